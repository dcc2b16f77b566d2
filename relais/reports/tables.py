"""The tables of a report as an Excel workbook (XlsxWriter), one sheet per table, written from
the report's figures (relais.reports.figures) and nothing else.

Amounts are real numbers with their currency's format (`#,##0" FCFA"`), dates real dates, the
headers in the figures' language, and every totals row holds the figures' own totals as values,
not formulas: what a reader adds up in Excel is the report's total, to the franc. The header
row is frozen; Arabic sheets run right to left.
"""

import io
from datetime import date
from decimal import Decimal

import xlsxwriter
from django.utils import translation
from django.utils.translation import gettext as _

from relais.core.money import CURRENCIES
from relais.monitoring.figures import percent

ZERO = Decimal(0)
MIN_WIDTH, MAX_WIDTH = 8, 60
DATE_FORMATS = {"en": "d mmm yyyy"}  # else dd/mm/yyyy
SHEET_NAME_MAX = 31


def report_workbook(figures, *, title):
    """The .xlsx (bytes) of every table of `figures`, its labels in the figures' language."""
    language = figures.get("language") or "fr"
    with translation.override(language):
        return _Workbook(figures, title, language).build()


class _Workbook:
    def __init__(self, figures, title, language):
        self.figures = figures
        self.title = title
        self.language = language
        self.currency = figures["plan"]["currency"]
        self.buffer = io.BytesIO()
        self.book = xlsxwriter.Workbook(self.buffer, {"in_memory": True})
        self.names = set()
        self._formats = {}

    # Formats -------------------------------------------------------------------------------

    def format(self, kind, currency=None, total=False):
        key = (kind, currency, total)
        if key not in self._formats:
            properties = {"valign": "top"}
            if kind == "header":
                properties.update(bold=True, bg_color="#E7ECEF", text_wrap=True, bottom=1)
            elif kind == "money":
                places, label = CURRENCIES.get(currency, (2, currency))
                pattern = "#,##0" + ("." + "0" * places if places else "")
                properties["num_format"] = f'{pattern}" {label}"'
            elif kind == "date":
                properties["num_format"] = DATE_FORMATS.get(self.language, "dd/mm/yyyy")
            elif kind == "percent":
                properties["num_format"] = "0.0"
            elif kind in ("int", "number"):
                properties["num_format"] = "#,##0" if kind == "int" else "#,##0.##"
            elif kind == "text":
                properties["text_wrap"] = True
            elif kind == "notice":
                properties["italic"] = True
            if total:
                properties.update(bold=True, top=1)
            if self.language == "ar" and kind in ("text", "header", "notice"):
                properties["reading_order"] = 2
            self._formats[key] = self.book.add_format(properties)
        return self._formats[key]

    # Sheets --------------------------------------------------------------------------------

    def sheet_name(self, name):
        """A name Excel accepts: 31 characters at most, none of []:*?/\\, and unique."""
        for char in "[]:*?/\\":
            name = name.replace(char, " ")
        name = name.strip("' ")[:SHEET_NAME_MAX] or "Sheet"
        candidate, n = name, 2
        while candidate.lower() in self.names:
            suffix = f" ({n})"
            candidate, n = name[: SHEET_NAME_MAX - len(suffix)] + suffix, n + 1
        self.names.add(candidate.lower())
        return candidate

    def table(self, name, columns, rows, totals=()):
        """A sheet `name`: the header row of `columns` ((header, key, kind), kind one of text,
        money (the plan's currency), own (the row's "currency"), date, percent, int, number,
        bool), then `rows` (dicts of the figures), then `totals` (rows whose first column is
        their label)."""
        sheet = self.book.add_worksheet(self.sheet_name(name))
        if self.language == "ar":
            sheet.right_to_left()
        widths = [len(header) for header, _key, _kind in columns]
        for col, (header, _key, _kind) in enumerate(columns):
            sheet.write_string(0, col, header, self.format("header"))
        sheet.freeze_panes(1, 0)
        line = 1
        if not rows:
            notice = _("Nothing to report for this period.")
            sheet.write_string(line, 0, notice, self.format("notice"))
            line += 1
        for row in rows:
            for col, (_header, key, kind) in enumerate(columns):
                width = self.cell(sheet, line, col, row.get(key), kind, row.get("currency"))
                widths[col] = max(widths[col], width)
            line += 1
        for total in totals:
            for col, (_header, key, kind) in enumerate(columns):
                value = total.get(key)
                if col == 0 and value is None:
                    value, kind = total["label"], "text"
                width = self.cell(sheet, line, col, value, kind, total.get("currency"), True)
                widths[col] = max(widths[col], width)
            line += 1
        for col, width in enumerate(widths):
            sheet.set_column(col, col, max(MIN_WIDTH, min(MAX_WIDTH, width + 2)))
        return sheet

    def cell(self, sheet, row, col, value, kind, currency=None, total=False):
        """Write one value as its kind says; returns the width it needs."""
        if value is None or value == "":
            if total:
                sheet.write_blank(row, col, None, self.format("text", total=True))
            return 0
        if kind in ("money", "own"):
            currency = self.currency if kind == "money" else currency or self.currency
            amount = Decimal(value)
            # A float holds every amount of up to 15 digits exactly as Excel stores it.
            sheet.write_number(row, col, float(amount), self.format("money", currency, total))
            return len(f"{amount:,.2f}") + 5
        if kind == "date":
            day = date.fromisoformat(value)
            sheet.write_datetime(row, col, day, self.format("date", total=total))
            return 12
        if kind in ("percent", "number"):
            sheet.write_number(row, col, float(Decimal(value)), self.format(kind, total=total))
            return len(str(value)) + 1
        if kind == "int":
            sheet.write_number(row, col, int(value), self.format("int", total=total))
            return len(str(value)) + 1
        if kind == "bool":
            value = _("Yes") if value else _("No")
        text = str(value)
        sheet.write_string(row, col, text, self.format("text", total=total))
        return max((len(part) for part in text.splitlines()), default=0)

    # The tables ----------------------------------------------------------------------------

    def build(self):
        figures = self.figures
        self.book.set_properties(
            {
                "title": self.title,
                "subject": figures["period"]["label"],
                "company": figures["plan"]["body"],
                "comments": figures["plan"]["title"],
            }
        )
        self.activities()
        self.budget()
        self.funding()
        self.indicators()
        self.milestones()
        self.training()
        self.book.close()
        return self.buffer.getvalue()

    def activities(self):
        columns = [
            (_("Code"), "code", "text"),
            (_("Activity"), "title", "text"),
            (_("Objective"), "objective", "text"),
            (_("Status"), "status_label", "text"),
            (_("Percentage done"), "percent", "int"),
            (_("Planned end"), "planned", "date"),
            (_("Latest update"), "on", "date"),
        ]
        activities = self.figures["activities"]
        self.table(_("Activities done"), columns, activities["done"])
        self.table(_("Activities ongoing"), columns, activities["ongoing"])
        self.table(_("Late activities"), columns, activities["late"])

    def budget(self):
        budget = self.figures["budget"]
        total = budget["total"]
        self.table(
            _("Budget by objective"),
            [
                (_("Objective"), "code", "text"),
                (_("Statement"), "statement", "text"),
                (_("Budget"), "budget", "money"),
                (_("Spent in the period"), "spent_period", "money"),
                (_("Spent to the end of the period"), "spent", "money"),
                (_("Execution (%)"), "execution", "percent"),
            ],
            budget["objectives"],
            [{"label": _("Total"), **total}],
        )
        disbursed = Decimal(self.figures["funding"]["total"]["disbursed"])
        self.table(
            _("Budget by source"),
            [
                (_("Source"), "name", "text"),
                (_("Disbursed"), "disbursed", "money"),
                (_("Spent to the end of the period"), "spent", "money"),
                (_("Execution (%)"), "execution", "percent"),
            ],
            budget["sources"],
            [
                {
                    "label": _("Total"),
                    "disbursed": self.figures["funding"]["total"]["disbursed"],
                    "spent": total["spent"],
                    "execution": _text(percent(Decimal(total["spent"]), disbursed)),
                }
            ],
        )

    def funding(self):
        funding = self.figures["funding"]
        total = funding["total"]
        self.table(
            _("Contributions"),
            [
                (_("Partner"), "partner", "text"),
                (_("Kind"), "kind_label", "text"),
                (_("Status"), "status_label", "text"),
                (_("Currency"), "currency", "text"),
                (_("Amount in its currency"), "amount", "own"),
                (_("Announced"), "amount_plan", "money"),
                (_("Confirmed"), "confirmed_plan", "money"),
                (_("Disbursed"), "disbursed_plan", "money"),
                (_("Disbursed in the period"), "disbursed_period_plan", "money"),
            ],
            funding["contributions"],
            [
                {
                    "label": _("Total"),
                    "amount_plan": total["announced"],
                    "confirmed_plan": total["confirmed"],
                    "disbursed_plan": total["disbursed"],
                    "disbursed_period_plan": total["disbursed_period"],
                },
                {"label": _("Budget of the plan"), "amount_plan": total["budget"]},
                {"label": _("Funding gap"), "amount_plan": total["gap"]},
            ],
        )
        self.table(
            _("Disbursements"),
            [
                (_("Date"), "date", "date"),
                (_("Partner"), "partner", "text"),
                (_("Amount"), "amount", "own"),
                (_("Currency"), "currency", "text"),
                (_("Amount in the plan's currency"), "amount_plan", "money"),
            ],
            funding["disbursements"],
            [{"label": _("Total"), "amount_plan": total["disbursed_period"]}],
        )

    def indicators(self):
        self.table(
            _("Indicators"),
            [
                (_("Code"), "code", "text"),
                (_("Indicator"), "name", "text"),
                (_("Unit"), "unit", "text"),
                (_("Baseline"), "baseline", "number"),
                (_("Target"), "target", "number"),
                (_("Latest value"), "value", "number"),
                (_("Value in the period"), "value_period", "number"),
                (_("Progress (%)"), "progress", "percent"),
                (_("Counted from the workshops"), "from_workshops", "bool"),
            ],
            self.figures["indicators"],
        )

    def milestones(self):
        self.table(
            _("Advocacy milestones"),
            [
                (_("Objective"), "objective", "text"),
                (_("Step reached"), "step_label", "text"),
                (_("Date"), "date", "date"),
                (_("Description"), "description", "text"),
            ],
            self.figures["milestones"],
        )

    def training(self):
        training = self.figures["training"]
        self.table(
            _("Workshops"),
            [
                (_("Workshop"), "title", "text"),
                (_("Kind"), "kind_label", "text"),
                (_("Date"), "starts_on", "date"),
                (_("Last day"), "ends_on", "date"),
                (_("City"), "city", "text"),
                (_("Participants"), "participants", "int"),
                (_("Women"), "women", "int"),
                (_("Men"), "men", "int"),
            ],
            training["workshops"],
            # Women and men are people, each once: their totals are on the next sheet.
            [{"label": _("Total"), "participants": training["participations"]}],
        )
        self.table(
            _("People trained"),
            [
                (_("Type of organisation"), "label", "text"),
                (_("Women"), "women", "int"),
                (_("Men"), "men", "int"),
                (_("Sex not stated"), "not_stated", "int"),
                (_("People"), "total", "int"),
            ],
            training["by_organisation_type"],
            [
                {
                    "label": _("Total"),
                    "women": training["women"],
                    "men": training["men"],
                    "not_stated": training["not_stated"],
                    "total": training["people"],
                }
            ],
        )


def _text(value):
    return None if value is None else str(value)
