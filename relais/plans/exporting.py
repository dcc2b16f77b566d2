"""Writing a plan as the committees' own sheet (.xlsx) or as CSV, and the blank templates.

The workbook is laid out like theirs: letterhead, title, a two-row header with a merged
"Chronogram" over quarter (or month) columns marked X, objectives as merged section rows,
sub-totals and the grand total as live formulas. Each formula also stores its computed value,
so that a reader that does not recalculate shows the right figure. It imports back into Relais
as the same plan (plans.importing): same objectives, activities, chronogram and amounts.
"""

import csv
import io
from datetime import date

import xlsxwriter
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from relais.core.money import decimals
from relais.core.sheets import column_letter
from relais.plans.models import months_between
from relais.plans.totals import quarter_of


def _quarter_columns(objectives):
    """Quarters if every activity's months fill whole quarters, else months."""
    for objective in objectives:
        for activity in objective.activities.all():
            quarters = {}
            for month in activity.months:
                quarters.setdefault(quarter_of(month), set()).add(month)
            if any(len(months) != 3 for months in quarters.values()):
                return False
    return True


def _periods(plan, by_quarter):
    months = plan.months
    if not by_quarter:
        return [(m, [m], _month_title(m)) for m in months]
    periods = {}
    for month in months:
        periods.setdefault(quarter_of(month), []).append(month)
    return [
        (key, list(ms), _("Q%(quarter)s %(year)s") % {"quarter": key[1], "year": key[0]})
        for key, ms in periods.items()
    ]


def _month_title(month):
    from relais.plans.forms import month_label

    return month_label(month)


def _name(organisation):
    return organisation.short_name if organisation else ""


def _sources_text(activity):
    """ "État (1000000) ; ICMPD (500000)": names with their part, read back by the importer."""
    parts = []
    for source in activity.funding_sources.all():
        name = _name(source.organisation) or _("State budget")
        parts.append(f"{name} ({source.amount.normalize():f})")
    return " ; ".join(parts)


def _headers(currency_label):
    return {
        "number": _("No."),
        "label": _("Specific objectives / activities"),
        "responsible": _("Responsible"),
        "partners": _("Partners"),
        "chronogram": _("Chronogram"),
        "unit_cost": _("Unit cost"),
        "quantity": _("Quantity"),
        "unit": _("Unit"),
        "total": _("Total cost (%(currency)s)") % {"currency": currency_label},
        "source": _("Funding source"),
        "description": _("Description"),
    }


def plan_workbook(plan, objectives, totals, *, blank=False):
    """The plan as .xlsx bytes, in the plan's language."""
    with translation.override(plan.language):
        return _workbook(plan, objectives, totals, blank=blank)


def _workbook(plan, objectives, totals, *, blank):
    from relais.core.money import CURRENCIES

    output = io.BytesIO()
    book = xlsxwriter.Workbook(output, {"in_memory": True, "strings_to_formulas": False})
    sheet = book.add_worksheet(_("Plan")[:31])
    if plan.language == "ar":
        sheet.right_to_left()
    places = decimals(plan.currency)
    money_format = "#,##0" + ("." + "0" * places if places else "")
    border = {"border": 1, "valign": "top"}
    head = {"bold": True, "border": 1, "align": "center", "valign": "vcenter", "text_wrap": True}
    band = {"bold": True, "border": 1, "bg_color": "#EEF3F4"}
    total = {"bold": True, "border": 2, "bg_color": "#D9E7EA"}
    styles = {
        "letterhead": {"align": "center", "bold": True, "font_size": 10},
        "title": {"align": "center", "valign": "vcenter", "bold": True, "font_size": 13},
        "head": {**head, "bg_color": "#D9E7EA"},
        "objective": {**band, "text_wrap": True},
        "text": {**border, "text_wrap": True},
        "mark": {**border, "align": "center", "bg_color": "#F4D9C6"},
        "empty": {"border": 1},
        "money": {**border, "num_format": money_format},
        "number": {**border, "num_format": "#,##0.##"},
        "subtotal": {**band, "num_format": money_format},
        "subtotal_label": band,
        "total": {**total, "num_format": money_format},
        "total_label": total,
    }
    f = {name: book.add_format(style) for name, style in styles.items()}
    by_quarter = blank or _quarter_columns(objectives)
    periods = _periods(plan, by_quarter)
    currency_label = CURRENCIES.get(plan.currency, (2, plan.currency))[1]
    headers = _headers(currency_label)
    # Columns: No., label, responsible, partners, periods…, unit cost, quantity, unit, total,
    # source, as committees lay them out; then the description, so that a plan exported and
    # imported back loses nothing.
    fixed_before = ["number", "label", "responsible", "partners"]
    first_period = len(fixed_before)
    after = ["unit_cost", "quantity", "unit", "total", "source", "description"]
    col = {name: i for i, name in enumerate(fixed_before)}
    for offset, name in enumerate(after):
        col[name] = first_period + len(periods) + offset
    last_col = col["description"]
    widths = {
        "number": 6,
        "label": 48,
        "responsible": 16,
        "partners": 16,
        "unit_cost": 13,
        "quantity": 8,
        "unit": 10,
        "total": 15,
        "source": 24,
        "description": 60,
    }
    for name, width in widths.items():
        sheet.set_column(col[name], col[name], width)
    sheet.set_column(first_period, first_period + len(periods) - 1, 6 if by_quarter else 5)

    row = 0
    body = plan.country.national_body
    for line in body.letterhead_lines if body else []:
        sheet.merge_range(row, 0, row, last_col, line, f["letterhead"])
        row += 1
    row += 1
    sheet.merge_range(row, 0, row, last_col, plan.title, f["title"])
    sheet.set_row(row, 36)
    row += 2
    head1, head2 = row, row + 1
    for name in fixed_before + after:
        sheet.merge_range(head1, col[name], head2, col[name], headers[name], f["head"])
    if periods:
        if len(periods) > 1:
            sheet.merge_range(
                head1,
                first_period,
                head1,
                first_period + len(periods) - 1,
                headers["chronogram"],
                f["head"],
            )
        else:
            sheet.write(head1, first_period, headers["chronogram"], f["head"])
        for index, (_key, _months, title) in enumerate(periods):
            sheet.write(head2, first_period + index, title, f["head"])
    sheet.freeze_panes(head2 + 1, 2)
    row = head2 + 1

    total_col = column_letter(col["total"])
    subtotal_cells = []
    grand_value = 0
    for objective in [] if blank else objectives:
        label = f"{objective.code} : {objective.statement}"
        sheet.merge_range(row, 0, row, last_col, label, f["objective"])
        row += 1
        first_line = row
        for activity in objective.activities.all():
            sheet.write_string(row, col["number"], activity.code, f["text"])
            sheet.write_string(row, col["label"], activity.title, f["text"])
            sheet.write_string(row, col["responsible"], _name(activity.responsible), f["text"])
            sheet.write_string(
                row,
                col["partners"],
                ", ".join(_name(p) for p in activity.partners.all()),
                f["text"],
            )
            months = set(activity.months)
            for index, (_key, period_months, _title) in enumerate(periods):
                if months & set(period_months):
                    sheet.write_string(row, first_period + index, "X", f["mark"])
                else:
                    sheet.write_blank(row, first_period + index, None, f["empty"])
            sheet.write_number(row, col["unit_cost"], float(activity.unit_cost), f["money"])
            sheet.write_number(row, col["quantity"], float(activity.quantity), f["number"])
            sheet.write_string(row, col["unit"], activity.unit, f["text"])
            uc, qty = column_letter(col["unit_cost"]), column_letter(col["quantity"])
            sheet.write_formula(
                row,
                col["total"],
                f"=ROUND({uc}{row + 1}*{qty}{row + 1},{places})",
                f["money"],
                _value(activity.total),
            )
            sheet.write_string(row, col["source"], _sources_text(activity), f["text"])
            sheet.write_string(row, col["description"], activity.description, f["text"])
            row += 1
        subtotal = totals.by_objective.get(objective.pk, 0)
        sheet.merge_range(
            row,
            0,
            row,
            col["total"] - 1,
            _("Sub-total %(code)s") % {"code": objective.code},
            f["subtotal_label"],
        )
        formula = (
            f"=SUM({total_col}{first_line + 1}:{total_col}{row})" if row > first_line else "=0"
        )
        sheet.write_formula(row, col["total"], formula, f["subtotal"], _value(subtotal))
        sheet.write_blank(row, col["source"], None, f["subtotal_label"])
        sheet.write_blank(row, col["description"], None, f["subtotal_label"])
        subtotal_cells.append(f"{total_col}{row + 1}")
        grand_value = totals.grand
        row += 1
    if blank:
        sheet.merge_range(
            row, 0, row, last_col, _("OS1 : the first specific objective"), f["objective"]
        )
        row += 1
        for _index in range(3):
            for column in range(last_col + 1):
                sheet.write_blank(row, column, None, f["empty"])
            row += 1
        sheet.merge_range(
            row,
            0,
            row,
            col["total"] - 1,
            _("Sub-total %(code)s") % {"code": "OS1"},
            f["subtotal_label"],
        )
        sheet.write_formula(
            row, col["total"], f"=SUM({total_col}{row - 2}:{total_col}{row})", f["subtotal"], 0
        )
        subtotal_cells.append(f"{total_col}{row + 1}")
        row += 1
    sheet.merge_range(row, 0, row, col["total"] - 1, _("GRAND TOTAL"), f["total_label"])
    formula = "=" + "+".join(subtotal_cells) if subtotal_cells else "=0"
    sheet.write_formula(row, col["total"], formula, f["total"], _value(grand_value))
    sheet.write_blank(row, col["source"], None, f["total_label"])
    sheet.write_blank(row, col["description"], None, f["total_label"])
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(head1, head2)
    book.close()
    return output.getvalue()


def _value(amount):
    """The cached value stored with a formula: an int for whole amounts, so readers show it
    exactly."""
    return int(amount) if amount == int(amount) else float(amount)


def plan_csv(plan, objectives):
    """The plan as CSV (UTF-8 with BOM so that Excel reads accents), one line per activity."""
    with translation.override(plan.language):
        output = io.StringIO()
        output.write("\ufeff")
        writer = csv.writer(output, delimiter=";" if plan.language in {"fr", "pt"} else ",")
        writer.writerow(
            [
                _("No."),
                _("Specific objective"),
                _("Activity"),
                _("Responsible"),
                _("Partners"),
                _("Months"),
                _("Unit cost"),
                _("Quantity"),
                _("Unit"),
                _("Total cost"),
                _("Funding source"),
                _("Description"),
            ]
        )
        for objective in objectives:
            for activity in objective.activities.all():
                writer.writerow(
                    [
                        activity.code,
                        f"{objective.code} : {objective.statement}",
                        activity.title,
                        _name(activity.responsible),
                        ", ".join(_name(p) for p in activity.partners.all()),
                        " ".join(activity.months),
                        f"{activity.unit_cost.normalize():f}",
                        f"{activity.quantity.normalize():f}",
                        activity.unit,
                        f"{activity.total.normalize():f}",
                        _sources_text(activity),
                        activity.description,
                    ]
                )
        return output.getvalue()


class _BlankPlan:
    """Enough of a plan to lay out the blank template: this year and the next, by quarter."""

    def __init__(self, country, language, currency):
        today = timezone.localdate()
        self.country = country
        self.language = language
        self.currency = currency
        self.period_start = date(today.year, 1, 1)
        self.period_end = date(today.year + 1, 12, 31)
        with translation.override(language):
            self.title = _("Advocacy action plan (%(start)s-%(end)s)") % {
                "start": today.year,
                "end": today.year + 1,
            }

    @property
    def months(self):
        return months_between(self.period_start, self.period_end)


def blank_template(country, language):
    plan = _BlankPlan(country, language, country.currency)
    return plan_workbook(plan, [], None, blank=True)
