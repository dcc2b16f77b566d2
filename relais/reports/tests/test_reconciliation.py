# ruff: noqa: F811 -- the scenario's fixtures are imported from the figures' and IATI tests.
"""Figures that agree: every total the report's page shows is the same, to the franc, in the
Word file, in the PDF's text, in the Excel tables and in the IATI file, all read back from the
bytes a person downloads."""

import io
import re
import shutil
import subprocess
from datetime import date
from decimal import Decimal
from html import unescape

import pytest
from django.urls import reverse
from docx import Document
from lxml import etree
from python_calamine import CalamineWorkbook

from relais.core.money import format_money, format_number
from relais.core.rates import RateTable
from relais.reports import services
from relais.reports.models import Report
from relais.reports.tests.test_figures import (  # noqa: F401 (fixtures)
    coordinator,
    funded,
    icmpd,
    people,
    plan,
    spend,
    tree,
    update,
    workshop,
)
from relais.reports.tests.test_iati import in_plan_currency, parse, schema, transactions  # noqa: F401

pytestmark = pytest.mark.django_db
D = Decimal
SPACES = re.compile(r"\s+")  # \s covers the no-break and narrow no-break spaces too


def bare(text):
    return SPACES.sub("", text)


@pytest.fixture
def report(client, plan, tree, coordinator, funded, people, settings, tmp_path):
    """The final report of the whole plan, with updates, expenditures in francs and euros
    (one from ICMPD's contribution), and a workshop of four people."""
    settings.MEDIA_ROOT = tmp_path
    a, b, c, _d = tree
    euros, state = funded
    update(a, coordinator, "done", date(2018, 3, 30), percent=100)
    update(b, coordinator, "ongoing", date(2018, 6, 15), percent=40)
    spend(a, coordinator, "750000", date(2018, 3, 20), contribution=state)
    spend(b, coordinator, "450.50", date(2018, 6, 1), currency="EUR", contribution=euros)
    spend(c, coordinator, "125000", date(2018, 5, 2), status="draft")
    workshop(plan.country, date(2018, 5, 10), people=people, title="Atelier des OPJ")
    report = services.report_create(
        plan=plan,
        by=coordinator,
        kind=Report.Kind.FINAL,
        period_start=plan.period_start,
        period_end=plan.period_end,
        language="fr",
    )
    client.force_login(coordinator)
    return report


def totals_of(figures):
    """The totals a reader compares: budget, spent, announced, confirmed, disbursed, gap."""
    budget, funding = figures["budget"]["total"], figures["funding"]["total"]
    return {
        "budget": D(budget["budget"]),
        "spent": D(budget["spent"]),
        "announced": D(funding["announced"]),
        "confirmed": D(funding["confirmed"]),
        "disbursed": D(funding["disbursed"]),
        "gap": D(funding["gap"]),
    }


def test_every_total_agrees_on_the_page_in_word_pdf_excel_and_iati(client, report, schema):
    page = client.get(reverse("reports:detail", args=[report.pk]))
    assert page.status_code == 200
    figures = page.context["figures"]
    totals = totals_of(figures)
    assert totals["spent"] > 0 and totals["disbursed"] > 0 and totals["gap"] > 0
    written = {name: bare(format_money(value, "XOF", "fr")) for name, value in totals.items()}
    trained = bare(format_number(figures["training"]["people"], 0, "fr"))

    # The page.
    html = bare(unescape(page.content.decode()))
    for name, text in written.items():
        assert text in html, (name, text)

    # The Word file: every total in one of its tables.
    docx = client.get(reverse("reports:docx", args=[report.pk]))
    document = Document(io.BytesIO(docx.content))
    cells = {
        bare(cell.text) for table in document.tables for row in table.rows for cell in row.cells
    }
    for name, text in written.items():
        assert text in cells, (name, text)
    assert trained in cells

    # The PDF, as its text reads.
    if shutil.which("pdftotext"):
        pdf = client.get(reverse("reports:pdf", args=[report.pk])).content
        text = subprocess.run(
            ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
        ).stdout.decode()
        for name, value in written.items():
            assert value in bare(text), (name, value)

    # The Excel tables: the totals as numbers, to the franc.
    xlsx = client.get(reverse("reports:xlsx", args=[report.pk]))
    book = CalamineWorkbook.from_filelike(io.BytesIO(xlsx.content))
    numbers = {
        D(str(value)).quantize(D("0.01"))
        for name in book.sheet_names
        for row in book.get_sheet_by_name(name).to_python()
        for value in row
        if isinstance(value, int | float) and not isinstance(value, bool)
    }
    for name in ("budget", "spent", "announced", "confirmed", "disbursed", "gap"):
        assert totals[name] in numbers, name

    # The IATI file: the budgets, the expenditures and the instalments, converted at their
    # value-dates, add up to the same totals.
    iati = client.get(reverse("reports:iati", args=[report.plan_id]))
    activity = parse(iati.content, schema)
    rates = RateTable.load()
    budgets = sum(D(b.find("value").text) for b in activity.iter("budget"))
    assert budgets == totals["budget"]
    spent = sum(in_plan_currency(t, "XOF", rates) for t in transactions(activity, "4"))
    assert spent == totals["spent"]
    disbursed = sum(in_plan_currency(t, "XOF", rates) for t in transactions(activity, "1"))
    assert disbursed == totals["disbursed"]
    assert etree.tostring(activity)  # well-formed, once more
