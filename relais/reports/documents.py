"""A report as a Word file (docxtpl, from a template the committee can change in Word) and as a
PDF (WeasyPrint), both written from the same figures (relais.reports.figures) so that their
totals agree with the page's to the franc.

Both are in the report's language, whoever downloads them. Everything a template prints is
prepared here as text already formatted for that language (amounts, dates, percentages): a
template only places it. The same context serves both documents; only the charts differ
(PNG images in Word, inline SVG in the PDF) and the logo (an image in Word, a URL in the PDF).

A country's own template is run in Jinja's sandbox, and given plain dicts, lists and strings
only: whoever uploads a template must not reach the server through it.
"""

import io
import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from types import SimpleNamespace

from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from relais.core.money import CURRENCIES, format_money, format_number, format_rate
from relais.monitoring import charts

TEMPLATES_DIR = Path(__file__).resolve().parent / "default_templates"
RTL_LANGUAGES = {"ar"}
CHART_WIDTH_MM = 150  # ~15 cm: the text width of an A4 page with 2 cm margins, almost
LOGO_WIDTH_MM = 25
# The charts' look, which the pages take from relais.css: CairoSVG and WeasyPrint need it in
# the SVG (dark bars on white, outlined, readable in black and white).
CHART_STYLE = (
    ".t{fill:#fff;stroke:#5b6b72;stroke-width:.6}.f{fill:#0b5a6b}.f.o{fill:#b5542a}"
    "text{fill:#1b1f22}"
)


def is_rtl(language):
    return language in RTL_LANGUAGES


# Which figures --------------------------------------------------------------------------------


def figures_of(report):
    """The figures a report's documents are written from: a submitted report's frozen ones, as
    they were when it was sent; a draft's drafted now from the data."""
    if report.status == report.Status.SUBMITTED and report.figures is not None:
        return report.figures
    from relais.reports.figures import report_figures

    return report_figures(
        plan=report.plan,
        start=report.period_start,
        end=report.period_end,
        kind=report.kind,
        language=report.language,
    )


# Formatting ------------------------------------------------------------------------------------


def _decimal(value):
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def _date(value):
    """An ISO date (or datetime) as the active language writes it; other text as it is."""
    if value in (None, ""):
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value[:10])
        except ValueError:
            return value
    return date_format(value, "DATE_FORMAT")


def _paragraphs(text):
    """The paragraphs of a text the committee typed (blank lines and line breaks apart)."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class _Formatter:
    def __init__(self, currency, language):
        self.currency = currency
        self.language = language

    def money(self, value, currency=None):
        amount = _decimal(value)
        if amount is None:
            return "—"
        return format_money(amount, currency or self.currency, self.language)

    def number(self, value):
        amount = _decimal(value)
        return "—" if amount is None else format_rate(amount, self.language)

    def count(self, value):
        return format_number(value or 0, 0, self.language)

    def percent(self, value):
        return charts.percent_text(_decimal(value))

    def percent_done(self, value):
        """An activity's percentage done, a whole number: "40 %"."""
        if isinstance(value, int):
            return f"{format_number(value, 0, self.language)}\N{NO-BREAK SPACE}%"
        return self.percent(value)


# The labels a template prints ------------------------------------------------------------------


def labels(currency_label):
    """Every heading, column name and sentence of the default templates, in the active
    language: a template says {{ t.summary }} rather than "Résumé", so that one template
    serves the four languages (a committee's own may write its own words instead)."""
    amount = _("Amount (%(currency)s)") % {"currency": currency_label}
    page = _("Page %(page)s / %(pages)s")
    before, _sep, rest = page.partition("%(page)s")
    between, _sep, after = rest.partition("%(pages)s")
    out = {
        "plan": _("Plan"),
        "period": _("Period"),
        "kind": _("Kind of report"),
        "draft": _("DRAFT"),
        "draft_notice": _(
            "Draft: these figures are drafted from the data as it is today and may still change."
        ),
        "summary": _("Summary"),
        "results": _("Results per objective"),
        "difficulties": _("Difficulties"),
        "lessons": _("Lessons learned"),
        "next_steps": _("Next steps"),
        "recommendations": _("Recommendations"),
        "not_written": _("Not written."),
        "none": _("None in the period."),
        "activities": _("Activities"),
        "status": _("Status"),
        "number": _("Number"),
        "done": _("Activities done"),
        "ongoing": _("Activities ongoing"),
        "late": _("Activities late"),
        "code": _("Code"),
        "activity": _("Activity"),
        "objective": _("Objective"),
        "progress": _("Progress"),
        "planned": _("Planned"),
        "updated": _("Last update"),
        "completion_chart": _("Completion by objective"),
        "execution_chart": _("Budget execution by objective"),
        "budget": _("Budget and execution"),
        "by_objective": _("By objective"),
        "by_source": _("By source of funding"),
        "statement": _("Statement"),
        "budgeted": _("Budget (%(currency)s)") % {"currency": currency_label},
        "spent_period": _("Spent in the period (%(currency)s)") % {"currency": currency_label},
        "spent": _("Spent to date (%(currency)s)") % {"currency": currency_label},
        "execution": _("Execution"),
        "source": _("Source"),
        "disbursed": _("Disbursed"),
        "spent_short": _("Spent"),
        "total": _("Total"),
        "funding": _("Funding"),
        "contributions": _("Contributions"),
        "partner": _("Partner"),
        "contribution_kind": _("Kind"),
        "amount": _("Amount"),
        "amount_plan": amount,
        "confirmed": _("Confirmed (%(currency)s)") % {"currency": currency_label},
        "disbursed_plan": _("Disbursed (%(currency)s)") % {"currency": currency_label},
        "funding_total": _("Funding of the plan"),
        "figure": _("Figure"),
        "plan_budget": _("Budget of the plan"),
        "announced": _("Announced"),
        "confirmed_short": _("Confirmed"),
        "disbursed_period": _("Disbursed in the period"),
        "gap": _("Remaining gap"),
        "disbursements": _("Disbursements in the period"),
        "date": _("Date"),
        "indicators": _("Indicators"),
        "indicator": _("Indicator"),
        "unit": _("Unit"),
        "baseline": _("Baseline"),
        "target": _("Target"),
        "value": _("Value"),
        "value_period": _("Value in the period"),
        "milestones": _("Advocacy milestones reached"),
        "step": _("Step"),
        "description": _("Description"),
        "training": _("Workshops and people trained"),
        "workshop": _("Workshop"),
        "city": _("City"),
        "dates": _("Dates"),
        "participants": _("Participants"),
        "women": _("Women"),
        "men": _("Men"),
        "not_stated": _("Sex not stated"),
        "people_trained": _("People trained"),
        "participations": _("Participations"),
        "organisation_type": _("Type of organisation"),
        "frozen": _("Figures"),
        "checksum": _("Checksum (SHA-256)"),
        "page_before": before,
        "page_between": between,
        "page_after": after,
    }
    # "Plan :" in French, "Plan:" in English: the catalogue says where the colon goes.
    for name in ("plan", "period", "checksum", "participations"):
        out[f"{name}_label"] = _("%(label)s:") % {"label": out[name]}
    return out


# The context both documents are written from ---------------------------------------------------


def document_context(report, figures):
    """Everything the report's documents print, as text in the active language (call inside
    translation.override(report.language)). Plain dicts, lists and strings only."""
    return build_context(
        report,
        figures,
        body=report.plan.country.national_body,
        objectives=list(report.plan.objectives.order_by("position")),
    )


def build_context(report, figures, *, body, objectives):
    """The context of `report` (saved or not) with `figures`, the letterhead of `body` (the
    national body, or None) and the plan's `objectives` (for the results per objective)."""
    plan = figures.get("plan") or {}
    currency = plan.get("currency") or "XOF"
    currency_label = CURRENCIES.get(currency, (2, currency))[1]
    fmt = _Formatter(currency, translation.get_language())
    letterhead = body.letterhead_lines if body else []
    body_name = body.name if body and body.name not in letterhead else ""

    activities = figures.get("activities") or {}
    counts = activities.get("counts") or {}
    budget = figures.get("budget") or {}
    funding = figures.get("funding") or {}
    training = figures.get("training") or {}
    submitted = report.status == report.Status.SUBMITTED and report.figures is not None

    def activity_rows(rows):
        return [
            {
                "code": row.get("code", ""),
                "title": row.get("title", ""),
                "objective": row.get("objective", ""),
                "status": row.get("status_label", ""),
                "percent": fmt.percent_done(row.get("percent")),
                "planned": _date(row.get("planned")),
                "on": _date(row.get("on")),
            }
            for row in rows or []
        ]

    budget_total = budget.get("total") or {}
    funding_total = funding.get("total") or {}
    gap = _decimal(funding_total.get("gap")) or Decimal(0)
    return {
        "lang": translation.get_language(),
        "rtl": is_rtl(report.language),
        "t": labels(currency_label),
        "letterhead": letterhead,
        "body_name": body_name,
        "title": report.title,
        "plan_title": plan.get("title") or "",
        "country": plan.get("country") or "",
        "kind": report.get_kind_display(),
        "period": (figures.get("period") or {}).get("label")
        or f"{_date(report.period_start)} – {_date(report.period_end)}",
        "draft": not submitted,
        "watermark": "" if submitted else _("DRAFT"),
        "frozen_on": _date(report.submitted_at) if submitted else "",
        "checksum": report.checksum if submitted else "",
        "frozen_notice": (
            _("Figures frozen on %(date)s, when the report was submitted.")
            % {"date": _date(report.submitted_at)}
            if submitted
            else ""
        ),
        "narrative": {
            name: _paragraphs(getattr(report, name))
            for name in (
                "summary",
                "difficulties",
                "lessons",
                "next_steps",
                "recommendations",
            )
        },
        "results": [
            {
                "code": objective.code,
                "statement": objective.statement,
                "text": _paragraphs((report.results or {}).get(str(objective.key), "")),
            }
            for objective in objectives
        ],
        "empty": bool(figures.get("empty")),
        "empty_notice": _(
            "Nothing was recorded in this period: no activity update, expenditure, "
            "disbursement, milestone or workshop."
        ),
        "counts": [
            {"label": label, "value": fmt.count(counts.get(key))}
            for key, label in (
                ("done", _("Done in the period")),
                ("done_before", _("Done before the period")),
                ("ongoing", _("Ongoing")),
                ("late", _("Late")),
                ("not_started", _("Not started")),
                ("postponed", _("Postponed")),
                ("cancelled", _("Cancelled")),
            )
        ],
        "counts_total": fmt.count(counts.get("total")),
        "activities": {
            name: activity_rows(activities.get(name)) for name in ("done", "ongoing", "late")
        },
        "budget": {
            "objectives": [
                {
                    "code": row.get("code", ""),
                    "statement": row.get("statement", ""),
                    "budget": fmt.money(row.get("budget")),
                    "spent_period": fmt.money(row.get("spent_period")),
                    "spent": fmt.money(row.get("spent")),
                    "execution": fmt.percent(row.get("execution")),
                }
                for row in budget.get("objectives") or []
            ],
            "sources": [
                {
                    "name": row.get("name", ""),
                    "disbursed": fmt.money(row.get("disbursed"), row.get("currency")),
                    "spent": fmt.money(row.get("spent"), row.get("currency")),
                    "execution": fmt.percent(row.get("execution")),
                }
                for row in budget.get("sources") or []
            ],
            "total": {
                "budget": fmt.money(budget_total.get("budget")),
                "spent_period": fmt.money(budget_total.get("spent_period")),
                "spent": fmt.money(budget_total.get("spent")),
                "execution": fmt.percent(budget_total.get("execution")),
            },
        },
        "funding": {
            "contributions": [
                {
                    "partner": row.get("partner", ""),
                    "kind": row.get("kind_label", ""),
                    "status": row.get("status_label", ""),
                    "amount": fmt.money(row.get("amount"), row.get("currency")),
                    "amount_plan": fmt.money(row.get("amount_plan")),
                    "confirmed": fmt.money(row.get("confirmed_plan")),
                    "disbursed": fmt.money(row.get("disbursed_plan")),
                }
                for row in funding.get("contributions") or []
            ],
            "disbursements": [
                {
                    "date": _date(row.get("date")),
                    "partner": row.get("partner", ""),
                    "amount": fmt.money(row.get("amount"), row.get("currency")),
                    "amount_plan": fmt.money(row.get("amount_plan")),
                }
                for row in funding.get("disbursements") or []
            ],
            "total": {
                key: fmt.money(funding_total.get(key))
                for key in ("budget", "announced", "confirmed", "disbursed", "disbursed_period")
            },
            "gap_label": _("Remaining gap") if gap >= 0 else _("Over-funded by"),
            "gap": fmt.money(abs(gap)),
        },
        # Contributions left out of the funding figures (no exchange rate), each said.
        "problems": [str(problem) for problem in figures.get("problems") or []],
        "indicators": [
            {
                "code": row.get("code", ""),
                "name": row.get("name", ""),
                "unit": row.get("unit", ""),
                "baseline": fmt.number(row.get("baseline")),
                "target": fmt.number(row.get("target")),
                "value": fmt.number(row.get("value")),
                "value_period": fmt.number(row.get("value_period")),
                "progress": fmt.percent(row.get("progress")),
            }
            for row in figures.get("indicators") or []
        ],
        "milestones": [
            {
                "objective": row.get("objective", ""),
                "step": row.get("step_label", "") or row.get("step", ""),
                "date": _date(row.get("date")),
                "description": row.get("description", ""),
            }
            for row in figures.get("milestones") or []
        ],
        "training": {
            "workshops": [
                {
                    "title": row.get("title", ""),
                    "kind": row.get("kind_label", ""),
                    "dates": _dates(row.get("starts_on"), row.get("ends_on")),
                    "city": row.get("city", ""),
                    "participants": fmt.count(row.get("participants")),
                    "women": fmt.count(row.get("women")),
                    "men": fmt.count(row.get("men")),
                }
                for row in training.get("workshops") or []
            ],
            "people": fmt.count(training.get("people")),
            "participations": fmt.count(training.get("participations")),
            "women": fmt.count(training.get("women")),
            "men": fmt.count(training.get("men")),
            "not_stated": fmt.count(training.get("not_stated")),
            "by_organisation_type": [
                {
                    "label": row.get("label", ""),
                    "women": fmt.count(row.get("women")),
                    "men": fmt.count(row.get("men")),
                    "not_stated": fmt.count(row.get("not_stated")),
                    "total": fmt.count(row.get("total")),
                }
                for row in training.get("by_organisation_type") or []
            ],
        },
    }


def _dates(start, end):
    if not end or end == start:
        return _date(start)
    return f"{_date(start)} – {_date(end)}"


# Charts ----------------------------------------------------------------------------------------


def chart_rows(figures):
    """{name: [(label, percentage or None), …]} of the report's charts: completion by objective
    (when the figures hold it) and budget execution by objective."""
    objectives = (figures.get("budget") or {}).get("objectives") or []
    rows = {}
    if any("completion" in row for row in objectives):
        rows["completion"] = [
            (row.get("code", ""), _decimal(row.get("completion"))) for row in objectives
        ]
    rows["execution"] = [
        (row.get("code", ""), _decimal(row.get("execution"))) for row in objectives
    ]
    return {name: lines for name, lines in rows.items() if lines}


def chart_svgs(figures, rtl=False):
    """{name: SVG text} of the report's charts (relais.monitoring.charts), with their style in
    them: for the PDF inline, and for CairoSVG."""
    titles = {
        "completion": _("Completion by objective"),
        "execution": _("Budget execution by objective"),
    }
    font = '"Amiri", "DejaVu Sans"' if rtl else '"DejaVu Sans"'
    style = f"<style>{CHART_STYLE}text{{font-family:{font};font-size:11px}}</style>"
    out = {}
    for name, rows in chart_rows(figures).items():
        svg = charts.bars(rows, titles[name], rtl=rtl)
        svg = svg.replace(
            "<svg ", '<svg xmlns="http://www.w3.org/2000/svg" width="640" ', 1
        ).replace(">", ">" + style, 1)
        out[name] = svg
    return out


def chart_pngs(figures, rtl=None):
    """{name: PNG bytes} of the report's charts, for the Word file: CairoSVG from the SVG the
    pages draw, at twice its size so that it prints sharp."""
    import cairosvg

    rtl = translation.get_language_bidi() if rtl is None else rtl
    return {
        name: cairosvg.svg2png(bytestring=svg.encode(), scale=1.5)
        for name, svg in chart_svgs(figures, rtl=rtl).items()
    }


# The Word file ---------------------------------------------------------------------------------


def default_template_path(language):
    name = "report-rtl.docx" if is_rtl(language) else "report.docx"
    return TEMPLATES_DIR / name


def template_source(report):
    """The country's own template (its bytes) if it has one, else the default's path."""
    from relais.reports.models import ReportTemplate

    custom = ReportTemplate.objects.filter(country_id=report.plan.country_id).first()
    if custom is not None:
        try:
            with custom.file.open("rb") as file:
                return io.BytesIO(file.read())
        except OSError:
            pass  # the file is gone: the default still gives a report
    return default_template_path(report.language)


def _logo_image(tpl, body):
    """The body's logo as a docxtpl InlineImage, or "" when there is none Word can read."""
    if not body or not body.logo:
        return ""
    from docx.image.image import Image
    from docx.shared import Mm
    from docxtpl import InlineImage

    try:
        with body.logo.open("rb") as file:
            data = file.read()
        Image.from_blob(data)  # raises on what is not an image Word reads
    except Exception:  # noqa: BLE001 — a missing logo must not stop a report
        return ""
    return InlineImage(tpl, io.BytesIO(data), width=Mm(LOGO_WIDTH_MM))


def _environment():
    from jinja2.sandbox import SandboxedEnvironment

    return SandboxedEnvironment(autoescape=True)


def render_docx(source, context, *, body=None, pngs=None):
    """The Word file (bytes) of the docxtpl template `source` (a path or a file) rendered with
    `context`, the charts `pngs` and the logo of `body` added as images."""
    from docx.shared import Mm
    from docxtpl import DocxTemplate, InlineImage

    tpl = DocxTemplate(source)
    context = {
        **context,
        "logo": _logo_image(tpl, body),
        "charts": {
            name: InlineImage(tpl, io.BytesIO(png), width=Mm(CHART_WIDTH_MM))
            for name, png in (pngs or {}).items()
        },
    }
    tpl.render(context, jinja_env=_environment())
    properties = tpl.docx.core_properties
    properties.title = context.get("title", "")[:255]
    properties.language = context.get("lang", "")
    out = io.BytesIO()
    tpl.save(out)
    return out.getvalue()


def report_docx(report, figures):
    """The report as a Word file (bytes), in the report's language."""
    with translation.override(report.language):
        context = document_context(report, figures)
        return render_docx(
            template_source(report),
            context,
            body=report.plan.country.national_body,
            pngs=chart_pngs(figures, rtl=is_rtl(report.language)),
        )


def check_template(upload):
    """Refuse a Word template whose tags do not render: it is rendered once with sample
    figures, and the ValidationError says the paragraph and the reason."""
    from jinja2 import TemplateError

    data = upload.read()
    upload.seek(0)
    try:
        render_docx(io.BytesIO(data), sample_context())
    except TemplateError as exc:
        where = _failing_text(exc)
        reason = getattr(exc, "message", None) or str(exc)
        if where:
            message = _("The template cannot be used: %(reason)s (near “%(text)s”).") % {
                "reason": reason,
                "text": where[:200],
            }
        else:
            message = _("The template cannot be used: %(reason)s.") % {"reason": reason}
        raise ValidationError(message, code="template") from exc
    except Exception as exc:  # noqa: BLE001 — whatever docxtpl trips on, it is the file
        raise ValidationError(
            _("The template cannot be used: Word's file could not be read (%(reason)s).")
            % {"reason": str(exc)[:200]},
            code="template",
        ) from exc


def _failing_text(exc):
    """The text of the paragraph where Jinja stopped (docxtpl puts each paragraph on its own
    line and keeps the lines around the error, tags stripped), or ""."""
    lines = list(getattr(exc, "docx_context", None) or [])
    lineno = getattr(exc, "lineno", None)
    if not lines or not lineno:
        return ""
    index = min(lineno - 1 - max(lineno - 4, 0), len(lines) - 1)
    return " ".join(lines[index].split())


def sample_figures():
    """Figures of the documented shape with a line in every table, to try a template with."""
    activity = {
        "code": "A1.1",
        "title": _("Activity"),
        "objective": "OS1",
        "status": "done",
        "status_label": _("Done"),
        "percent": 100,
        "planned": "2019-03-31",
        "on": "2019-03-15",
    }
    return {
        "version": 1,
        "plan": {"title": _("Plan"), "currency": "XOF", "country": "", "body": ""},
        "period": {"start": "2019-01-01", "end": "2019-06-30", "label": "", "kind": "progress"},
        "activities": {
            "counts": {"total": 3, "done": 1, "ongoing": 1, "late": 1},
            "done": [activity],
            "ongoing": [activity],
            "late": [activity],
        },
        "budget": {
            "objectives": [
                {
                    "code": "OS1",
                    "statement": _("Objective"),
                    "budget": "1000.00",
                    "spent_period": "100.00",
                    "spent": "500.00",
                    "execution": "50.0",
                }
            ],
            "sources": [
                {
                    "name": _("Source"),
                    "currency": "XOF",
                    "disbursed": "600.00",
                    "spent": "500.00",
                    "execution": "83.3",
                }
            ],
            "total": {
                "budget": "1000.00",
                "spent_period": "100.00",
                "spent": "500.00",
                "execution": "50.0",
            },
        },
        "funding": {
            "contributions": [
                {
                    "partner": _("Partner"),
                    "kind_label": "",
                    "status_label": "",
                    "currency": "XOF",
                    "amount": "800.00",
                    "amount_plan": "800.00",
                    "confirmed_plan": "800.00",
                    "disbursed_plan": "600.00",
                    "disbursed_period_plan": "600.00",
                }
            ],
            "disbursements": [
                {
                    "date": "2019-02-01",
                    "partner": _("Partner"),
                    "amount": "600.00",
                    "currency": "XOF",
                    "amount_plan": "600.00",
                }
            ],
            "total": {
                "budget": "1000.00",
                "announced": "800.00",
                "confirmed": "800.00",
                "disbursed": "600.00",
                "disbursed_period": "600.00",
                "gap": "200.00",
            },
        },
        "indicators": [
            {
                "code": "I1",
                "name": _("Indicator"),
                "unit": "",
                "baseline": "0",
                "target": "2",
                "value": "1",
                "value_period": "1",
                "progress": "50.0",
                "from_workshops": False,
            }
        ],
        "milestones": [
            {
                "objective": "OS1",
                "step": "adopted",
                "step_label": _("Step"),
                "date": "2019-05-01",
                "description": "",
            }
        ],
        "training": {
            "workshops": [
                {
                    "title": _("Workshop"),
                    "kind_label": "",
                    "starts_on": "2019-04-01",
                    "ends_on": "2019-04-02",
                    "city": "",
                    "participants": 2,
                    "women": 1,
                    "men": 1,
                }
            ],
            "people": 2,
            "participations": 2,
            "women": 1,
            "men": 1,
            "not_stated": 0,
            "by_organisation_type": [
                {"label": _("Type"), "women": 1, "men": 1, "not_stated": 0, "total": 2}
            ],
        },
        "problems": [],
        "empty": False,
    }


def sample_context():
    """A whole context without a report: what a template is tried with at upload."""
    from relais.reports.models import Report

    report = Report(
        title=_("Report"),
        kind=Report.Kind.PROGRESS,
        period_start=date(2019, 1, 1),
        period_end=date(2019, 6, 30),
        language=translation.get_language() or "fr",
        summary=_("Summary"),
    )
    objective = SimpleNamespace(code="OS1", statement=_("Objective"), key="sample")
    return build_context(report, sample_figures(), body=None, objectives=[objective])


# The PDF ---------------------------------------------------------------------------------------


def report_pdf(report, figures):
    """The report as a PDF (bytes), A4 with page numbers, in the report's language."""
    from relais.core.pdf import render_pdf

    with translation.override(report.language):
        context = document_context(report, figures)
        body = report.plan.country.national_body
        return render_pdf("reports/report_pdf.html", pdf_context(context, figures, body))


def pdf_context(context, figures, body):
    """The documents' context with what the PDF's template loops over instead (its sections
    in order), the logo's URL and the charts as inline SVG."""
    t = context["t"]
    return {
        **context,
        "activity_sections": [
            {"heading": t[name], "rows": context["activities"][name], "late": name == "late"}
            for name in ("done", "ongoing", "late")
        ],
        "closing_sections": [
            {"heading": t[name], "lines": context["narrative"][name]}
            for name in ("difficulties", "lessons", "next_steps", "recommendations")
        ],
        "logo_url": body.logo.url if body and body.logo else "",
        "charts": {
            name: mark_safe(svg)  # drawn here from numbers, labels escaped by charts.bars
            for name, svg in chart_svgs(figures, rtl=context["rtl"]).items()
        },
    }


def report_filename(report, extension):
    """ "rapport-<slug>.<extension>" in the report's language's word for a report."""
    from django.utils.text import slugify

    with translation.override(report.language):
        word = slugify(_("report")) or "report"
    slug = slugify(report.title)[:80] or str(report.pk)
    if not slug.startswith(word):  # "rapport-rapport-d-etape…" otherwise
        slug = f"{word}-{slug}"
    return re.sub(r"-+", "-", slug) + extension


# A country's own template ----------------------------------------------------------------------


def default_template_for(country):
    """The default template for the direction of `country`'s main language."""
    languages = country.languages or ["fr"]
    return default_template_path(languages[0])


def report_template_save(*, country, upload, by):
    """Make `upload` (a .docx that renders) the Word template of `country`'s reports. Raises
    ValidationError on the field "file" (what is wrong, and where in the template); nothing
    is saved then."""
    from django.db import transaction

    from relais.core.uploads import check_upload
    from relais.reports.models import ReportTemplate

    try:
        check_upload(upload, {"docx"}, max_bytes=5 * 1024 * 1024)
        check_template(upload)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from exc
    with transaction.atomic():
        template = ReportTemplate.objects.select_for_update().filter(country=country).first()
        if template is None:
            template = ReportTemplate(country=country)
        template.file = upload
        template.uploaded_by = by
        template.uploaded_at = timezone.now()
        template._change_reason = "upload"
        template.save()
    return template


def report_template_reset(*, country, by):
    """Go back to Relais's default template for `country`'s reports (its own is deleted; its
    history keeps who uploaded what)."""
    from django.db import transaction

    from relais.reports.models import ReportTemplate

    with transaction.atomic():
        for template in ReportTemplate.objects.select_for_update().filter(country=country):
            template._history_user = by
            template.delete()
