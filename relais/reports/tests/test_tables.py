"""The Excel tables of a report, read back (python-calamine): one sheet per table, amounts as
numbers with the currency's format, dates as dates, totals rows that are the figures' totals
(values, not formulas) and the sums of the rows above, frozen headers, Arabic right to left."""

import io
import re
import zipfile
from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation
from django.utils.translation import gettext
from python_calamine import CalamineWorkbook

from relais.countries.models import Organisation
from relais.countries.tests.factories import OrganisationFactory
from relais.funding.models import Contribution, Disbursement
from relais.monitoring.models import ActivityUpdate, IndicatorValue, Milestone
from relais.plans.models import Plan
from relais.plans.tests.factories import (
    ActivityFactory,
    IndicatorFactory,
    ObjectiveFactory,
    PlanFactory,
)
from relais.reports.figures import report_figures
from relais.reports.tables import _Workbook, report_workbook
from relais.reports.tests.test_figures import spend, update, workshop
from relais.workshops.models import Participant

pytestmark = pytest.mark.django_db
D = Decimal
CENT = D("0.01")
START, END = date(2018, 4, 1), date(2018, 6, 30)
SHEETS = [
    "Activities done",
    "Activities ongoing",
    "Late activities",
    "Budget by objective",
    "Budget by source",
    "Contributions",
    "Disbursements",
    "Indicators",
    "Advocacy milestones",
    "Workshops",
    "People trained",
]


@pytest.fixture
def plan(mali, make_user):
    """A plan with something in every table for the second quarter of 2018, amounts with
    cents in euros so that the conversions are not round."""
    coordinator = make_user("coordinator", mali)
    plan = PlanFactory(country=mali, currency="XOF", status=Plan.Status.ADOPTED)
    first, second = ObjectiveFactory(plan=plan), ObjectiveFactory(plan=plan)
    a = ActivityFactory(objective=first, unit_cost=1_234_567, months=["2018-02"])
    b = ActivityFactory(objective=first, unit_cost=3_000_000, months=["2018-06"])
    c = ActivityFactory(objective=second, unit_cost=2_500_001, months=["2018-05"])
    icmpd = OrganisationFactory(acronym="ICMPD", kind=Organisation.Kind.PARTNER, country=None)
    euros = Contribution.objects.create(
        plan=plan,
        partner=icmpd,
        currency="EUR",
        amount=D("3333.33"),
        status=Contribution.Status.CONFIRMED,
        confirmed_amount=D("2222.22"),
        announced_on=date(2018, 1, 10),
        signed_on=date(2018, 2, 1),
    )
    state = Contribution.objects.create(
        plan=plan, currency="XOF", amount=D(1_500_000), announced_on=date(2018, 1, 5)
    )
    for contribution, on, paid in (
        (euros, date(2018, 3, 1), "111.11"),
        (euros, START, "222.22"),
        (euros, END, "333.33"),
        (state, date(2018, 5, 5), 700_000),
    ):
        Disbursement.objects.create(contribution=contribution, paid_on=on, amount=D(paid))
    update(a, coordinator, ActivityUpdate.Status.ONGOING, START, percent=40)
    update(b, coordinator, ActivityUpdate.Status.DONE, END)
    spend(a, coordinator, "123.45", START, currency="EUR", contribution=euros)
    spend(b, coordinator, 250_001, END, contribution=state)
    spend(c, coordinator, 99_999, date(2018, 1, 15))
    indicator = IndicatorFactory(objective=first, baseline=D(0), target=D(12), unit="lois")
    IndicatorValue.objects.create(indicator=indicator, period_start=START, period_end=END, value=5)
    Milestone.objects.create(
        objective=first, step="commitment", reached_on=END, by=coordinator, description="Député"
    )
    people = [
        Participant.objects.create(full_name="Awa Traoré", sex="F", organisation_kind="cso"),
        Participant.objects.create(full_name="Moussa Keïta", sex="M", organisation_kind="cso"),
        Participant.objects.create(full_name="Fatou Diallo", sex="F", organisation_kind="ministry"),
    ]
    workshop(mali, START, people, title="Formation des magistrats", city="Kayes")
    workshop(mali, END, people[:2], title="Atelier de validation", ends_on=date(2018, 7, 2))
    return plan


def read(data):
    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    return {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}


def money(value):
    """What Excel holds, as the figures' Decimal."""
    return D(str(value)).quantize(CENT)


def figure(value):
    return D(value).quantize(CENT)


def column(sheet, header):
    return sheet[0].index(header)


def rows_between(sheet, totals=1):
    """The data rows: after the header, before the `totals` last rows."""
    return sheet[1 : len(sheet) - totals]


def assert_totals(sheet, header, expected, totals=1, total_row=-1):
    """The totals row holds the figure, and the rows above add up to it."""
    col = column(sheet, header)
    assert money(sheet[total_row][col]) == figure(expected), header
    rows = rows_between(sheet, totals)
    assert sum((money(row[col]) for row in rows if row[col] != ""), D(0)) == figure(expected)


def test_every_total_of_the_workbook_is_the_figures_total_and_the_sum_of_its_rows(plan):
    figures = report_figures(plan=plan, start=START, end=END, language="en")
    sheets = read(report_workbook(figures, title="Rapport d'étape T2 2018"))

    assert list(sheets) == SHEETS
    budget, funding, training = figures["budget"], figures["funding"], figures["training"]

    objectives = sheets["Budget by objective"]
    assert objectives[0] == [
        "Objective",
        "Statement",
        "Budget",
        "Spent in the period",
        "Spent to the end of the period",
        "Execution (%)",
    ]
    assert objectives[-1][0] == "Total"
    assert_totals(objectives, "Budget", budget["total"]["budget"])
    assert_totals(objectives, "Spent in the period", budget["total"]["spent_period"])
    assert_totals(objectives, "Spent to the end of the period", budget["total"]["spent"])
    assert D(str(objectives[-1][5])) == D(budget["total"]["execution"])

    sources = sheets["Budget by source"]
    assert_totals(sources, "Disbursed", funding["total"]["disbursed"])
    assert_totals(sources, "Spent to the end of the period", budget["total"]["spent"])

    contributions = sheets["Contributions"]
    assert [row[0] for row in contributions[-3:]] == ["Total", "Budget of the plan", "Funding gap"]
    for header, name in (
        ("Announced", "announced"),
        ("Confirmed", "confirmed"),
        ("Disbursed", "disbursed"),
        ("Disbursed in the period", "disbursed_period"),
    ):
        assert_totals(contributions, header, funding["total"][name], totals=3, total_row=-3)
    announced = column(contributions, "Announced")
    assert money(contributions[-2][announced]) == figure(funding["total"]["budget"])
    assert money(contributions[-1][announced]) == figure(funding["total"]["gap"])
    own = column(contributions, "Amount in its currency")
    assert [money(row[own]) for row in rows_between(contributions, 3)] == [
        D("1500000.00"),
        D("2222.22"),
    ]

    disbursements = sheets["Disbursements"]
    assert_totals(
        disbursements, "Amount in the plan's currency", funding["total"]["disbursed_period"]
    )
    assert [row[0] for row in rows_between(disbursements)] == [START, date(2018, 5, 5), END]

    people = sheets["People trained"]
    for header, name in (("Women", "women"), ("Men", "men"), ("People", "people")):
        col = column(people, header)
        assert people[-1][col] == training[name] == sum(row[col] for row in people[1:-1])
    workshops = sheets["Workshops"]
    col = column(workshops, "Participants")
    assert workshops[-1][col] == training["participations"] == 5
    assert sum(row[col] for row in workshops[1:-1]) == 5
    assert workshops[2][:5] == [
        "Atelier de validation",
        "Training workshop",
        END,
        date(2018, 7, 2),
        "",
    ]

    assert [row[0] for row in sheets["Activities done"][1:]] == ["1.2"]
    late = sheets["Late activities"]
    assert [row[0] for row in late[1:]] == ["1.1", "2.1"]
    assert late[1][2:] == ["OS1", "Ongoing", 40, date(2018, 2, 28), START]
    indicators = sheets["Indicators"]
    assert indicators[1][5:] == [5, 5, 41.7, "No"]
    assert sheets["Advocacy milestones"][1] == ["OS1", "Public commitment obtained", END, "Député"]


def test_amounts_have_their_currencys_format_and_the_headers_stay_in_view(plan):
    figures = report_figures(plan=plan, start=START, end=END, language="en")
    data = report_workbook(figures, title="Rapport")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        styles = archive.read("xl/styles.xml").decode()
        sheets = [
            archive.read(name).decode()
            for name in sorted(archive.namelist())
            if name.startswith("xl/worksheets/sheet")
        ]
        core = archive.read("docProps/core.xml").decode()
    assert 'formatCode="#,##0&quot; FCFA&quot;"' in styles
    assert 'formatCode="#,##0.00&quot; EUR&quot;"' in styles  # a contribution's own amount
    assert 'formatCode="d mmm yyyy"' in styles
    assert len(sheets) == len(SHEETS)
    for xml in sheets:
        assert re.search(r'<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" '
                         r'state="frozen"/>', xml)  # fmt: skip
        assert "<f>" not in xml  # totals are values, never formulas
        assert "<cols>" in xml and "rightToLeft" not in xml
    assert "Rapport" in core


def test_an_arabic_workbook_runs_right_to_left_in_arabic(plan):
    figures = report_figures(plan=plan, start=START, end=END, language="ar")
    data = report_workbook(figures, title="تقرير")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheets = [
            archive.read(name).decode()
            for name in archive.namelist()
            if name.startswith("xl/worksheets/sheet")
        ]
    assert sheets and all('rightToLeft="1"' in xml for xml in sheets)
    with translation.override("ar"):
        contributions, total = gettext("Contributions"), gettext("Total")
    assert contributions != "Contributions"
    book = read(data)
    assert contributions in book
    assert book[contributions][-3][0] == total
    # The same numbers whatever the language.
    english = read(report_workbook(report_figures(plan=plan, start=START, end=END), title="x"))
    assert book[contributions][-3][5:] == english["Contributions"][-3][5:]


def test_an_empty_period_gives_each_table_its_notice_and_zero_totals(plan):
    figures = report_figures(
        plan=plan, start=date(2019, 7, 1), end=date(2019, 9, 30), language="en"
    )
    assert figures["empty"] is True
    sheets = read(report_workbook(figures, title="Vide"))
    notice = "Nothing to report for this period."
    for name in ("Activities done", "Disbursements", "Advocacy milestones", "Workshops"):
        assert sheets[name][1][0] == notice, name
    assert sheets["Disbursements"][-1][0] == "Total"
    assert sheets["Disbursements"][-1][-1] == 0


def test_sheet_names_are_what_excel_accepts():
    book = _Workbook({"plan": {"currency": "XOF"}, "language": "fr"}, "Rapport", "fr")
    first = book.sheet_name("Budget par objectif spécifique [2018-2019] : exécution")
    second = book.sheet_name("Budget par objectif spécifique [2018-2019] : exécution")
    assert len(first) <= 31 and len(second) <= 31
    assert not set("[]:*?/\\") & set(first + second)
    assert first != second and second.endswith("(2)")
    book.book.close()
