"""A plan exported to .xlsx comes back as the same plan, in every language and currency; the
export is laid out like the committees' sheet; CSV and the blank templates."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from relais.countries.models import Organisation
from relais.countries.tests.factories import CountryFactory, OrganisationFactory
from relais.plans import selectors, services
from relais.plans.exporting import blank_template, plan_csv, plan_workbook
from relais.plans.importing import match_organisations
from relais.plans.models import Activity, Plan
from relais.plans.tests.factories import (
    ActivityFactory,
    FundingSourceFactory,
    ObjectiveFactory,
    PlanFactory,
    plan_with_content,
)
from relais.plans.tests.workbooks import parse, upload

pytestmark = pytest.mark.django_db

COUNTRIES = {"fr": "ML", "en": "GM", "pt": "GW", "ar": "MR"}
STATEMENTS = {
    "fr": [
        "Renforcer le cadre juridique et institutionnel de lutte contre la traite d'ici 2019",
        "Créer une agence de lutte contre la traite des personnes, dotée de tous ses pouvoirs",
    ],
    "en": [
        "Strengthen the legal framework against trafficking in persons by 2019",
        "Set up a national agency against trafficking in persons",
    ],
    "pt": [
        "Reforçar o quadro jurídico de luta contra o tráfico até 2019",
        "Criar uma agência nacional contra o tráfico de pessoas",
    ],
    "ar": [
        "تعزيز الإطار القانوني لمكافحة الاتجار بالأشخاص بحلول عام 2019",
        "إنشاء وكالة وطنية لمكافحة الاتجار بالأشخاص",
    ],
}
TITLES = {
    "fr": ["Atelier de validation du décret", "Plaidoyer auprès des députés", "Étude"],
    "en": ["Validation workshop", "Briefing of the members of parliament", "Study"],
    "pt": ["Seminário de validação", "Sensibilização dos deputados", "Estudo"],
    "ar": ["ورشة المصادقة على المرسوم", "مناصرة لدى النواب", "دراسة"],
}


def make_plan(language, currency, *, by_month=False):
    """A plan of two objectives and three activities with responsible structures, partners,
    funding sources (the state's and a partner's) and amounts that need every unit."""
    country = CountryFactory(code=COUNTRIES[language], currency=currency, languages=[language])
    justice = OrganisationFactory(country=country, name="Ministère de la Justice", acronym="MJ")
    icmpd = OrganisationFactory(
        country=None, name="International Centre for Migration Policy Development"
    )
    icmpd.acronym = "ICMPD"
    icmpd.save()
    plan = PlanFactory(
        country=country,
        language=language,
        currency=currency,
        title=f"Plan d'action de plaidoyer {language} (2018-2019)",
    )
    first = ObjectiveFactory(plan=plan, statement=STATEMENTS[language][0])
    second = ObjectiveFactory(plan=plan, statement=STATEMENTS[language][1])
    cents = currency != "XOF"
    workshop = ActivityFactory(
        objective=first,
        title=TITLES[language][0],
        responsible=justice,
        months=["2018-01", "2018-02", "2018-03"] if not by_month else ["2018-02"],
        unit_cost=Decimal("4250000.55") if cents else Decimal("4250000"),
        quantity=Decimal(3),
        unit="atelier",
        description="Deux jours à Bamako.\nLes actes sont remis aux participants.",
    )
    workshop.partners.add(icmpd)
    FundingSourceFactory(activity=workshop, organisation=None, amount=Decimal("1000000"))
    FundingSourceFactory(
        activity=workshop, organisation=icmpd, amount=workshop.total - Decimal("1000000")
    )
    ActivityFactory(
        objective=first,
        title=TITLES[language][1],
        responsible=justice,
        months=["2018-04", "2018-05", "2018-06", "2019-10", "2019-11", "2019-12"],
        unit_cost=Decimal("5500"),
        quantity=Decimal(120),
    )
    ActivityFactory(
        objective=second,
        title=TITLES[language][2],
        months=["2019-01", "2019-02", "2019-03"],
        unit_cost=Decimal("425000.50") if cents else Decimal("425001"),
        quantity=Decimal("2.5"),
    )
    return plan


def exported(plan):
    objectives, totals = selectors.plan_tree(plan=plan, detail=True)
    return plan_workbook(plan, objectives, totals), objectives, totals


def contents(objectives):
    return [
        (
            objective.statement,
            [
                (
                    a.title,
                    a.description,
                    list(a.months),
                    a.unit_cost,
                    a.quantity,
                    a.total,
                    a.unit,
                    a.responsible.short_name if a.responsible else "",
                    sorted(p.short_name for p in a.partners.all()),
                    sorted(
                        (s.organisation.short_name if s.organisation else "", s.amount)
                        for s in a.funding_sources.all()
                    ),
                )
                for a in objective.activities.all()
            ],
        )
        for objective in objectives
    ]


@pytest.mark.parametrize("language", ["fr", "en", "pt", "ar"])
@pytest.mark.parametrize("currency", ["XOF", "GMD"])
@pytest.mark.parametrize("by_month", [False, True], ids=["quarters", "months"])
def test_an_exported_plan_imports_back_as_the_same_plan(language, currency, by_month, make_user):
    plan = make_plan(language, currency, by_month=by_month)
    data, objectives, totals = exported(plan)

    parsed = parse(data, plan.country.currency)
    assert parsed.errors == []
    assert parsed.currency == currency
    assert parsed.period_kind == ("month" if by_month else "quarter")
    assert parsed.title == plan.title
    assert parsed.total == totals.grand
    assert [o.statement for o in parsed.objectives] == [o.statement for o in objectives]
    assert [o.stated_subtotal for o in parsed.objectives] == [
        totals.by_objective[o.pk] for o in objectives
    ]
    assert parsed.stated_total == totals.grand
    assert not [w for w in parsed.warnings if "total" in w.message.lower()]

    organisations = match_organisations(parsed, plan.country)
    assert None not in organisations.values()  # every structure is matched, none created
    coordinator = make_user("coordinator", plan.country)
    copy = services.plan_import(
        parsed=parsed, country=plan.country, by=coordinator, organisations=organisations
    )
    assert copy.pk != plan.pk and copy.status == Plan.Status.DRAFT
    assert (copy.period_start, copy.period_end) == (date(2018, 1, 1), date(2019, 12, 31))
    assert copy.currency == currency
    copied, copied_totals = selectors.plan_tree(plan=copy, detail=True)
    assert contents(copied) == contents(objectives)
    assert copied_totals.grand == totals.grand  # to the franc (or the butut)
    assert copied_totals.by_quarter == totals.by_quarter


def test_the_export_is_laid_out_like_the_committees_sheet():
    plan = make_plan("fr", "XOF")
    data, objectives, totals = exported(plan)
    from relais.core.sheets import read_workbook

    (sheet,) = read_workbook(upload(data))
    texts = [[sheet.text(r, c) for c in range(sheet.width)] for r in range(len(sheet.rows))]
    flat = [t for row in texts for t in row if t]
    with translation.override("fr"):
        assert "RÉPUBLIQUE DU MALI" in flat or not plan.country.national_body
        assert plan.title in flat
        assert "T1 2018" in flat and "T4 2019" in flat
        assert "OS1 : " + objectives[0].statement in flat
        assert "Sous-total OS1" in flat and "TOTAL GÉNÉRAL" in flat
    # sub-totals and the grand total are live formulas that also store their value
    import zipfile

    xml = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>SUM(" in xml and "<f>ROUND(" in xml
    assert f"<v>{int(totals.grand)}</v>" in xml
    parsed = parse(data)
    assert parsed.stated_total == totals.grand


def test_export_views_send_xlsx_and_csv_in_a_bounded_number_of_queries(
    client, make_user, django_assert_max_num_queries
):
    plan = make_plan("fr", "XOF")
    client.force_login(make_user("coordinator", plan.country))
    for _index in range(20):
        ActivityFactory(objective=plan.objectives.first(), months=["2018-01"])
    with django_assert_max_num_queries(15):
        response = client.get(reverse("plans:export", args=[plan.pk, "xlsx"]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert parse(response.content).activity_count == 23
    with django_assert_max_num_queries(15):
        response = client.get(reverse("plans:export", args=[plan.pk, "csv"]))
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 24


def test_another_countrys_plan_cannot_be_exported(client, make_user, senegal):
    plan = plan_with_content(CountryFactory(code="ML"))
    client.force_login(make_user("coordinator", senegal))
    assert client.get(reverse("plans:export", args=[plan.pk, "xlsx"])).status_code == 404


def test_csv_has_one_line_per_activity_with_exact_amounts():
    plan = make_plan("en", "GMD")
    objectives, _totals = selectors.plan_tree(plan=plan, detail=True)
    rows = list(csv.reader(io.StringIO(plan_csv(plan, objectives).lstrip("\ufeff"))))
    assert rows[0][0] == "No." and len(rows) == 4
    assert rows[1][5] == "2018-01 2018-02 2018-03"
    assert rows[1][9] == "12750001.65"  # 4 250 000.55 × 3, exact
    assert rows[1][10] == "State budget (1000000) ; ICMPD (11750001.65)"


@pytest.mark.parametrize("language", ["fr", "en", "pt", "ar"])
def test_each_blank_template_is_recognised_by_the_importer(language, mali, client, make_user):
    data = blank_template(mali, language)
    parsed = parse(data)
    assert set(parsed.columns) >= {
        "number",
        "label",
        "responsible",
        "partners",
        "unit_cost",
        "quantity",
        "unit",
        "total",
        "source",
    }
    assert len(parsed.period_columns) == 8 and parsed.period_kind == "quarter"
    # Empty, it has nothing to import, and says so.
    assert len(parsed.errors) == 1
    client.force_login(make_user("observer", mali))
    response = client.get(reverse("plans:template", args=[language]) + "?country=ML")
    assert response.status_code == 200
    assert parse(response.content).columns == parsed.columns


def test_a_filled_in_template_imports(mali, make_user):
    """A committee downloads the blank template, types its lines in, uploads it."""
    from relais.core.sheets import read_workbook

    data = blank_template(mali, "fr")
    (sheet,) = read_workbook(upload(data))
    parsed = parse(data)
    row = parsed.header_row + 2  # the first empty line under "OS1"
    # Fill the template's first line by rewriting it with the same layout, cell by cell.
    rows = [list(r) for r in sheet.rows]
    columns = parsed.columns
    rows[row][columns["number"]] = "1.1"
    rows[row][columns["label"]] = "Atelier de validation"
    rows[row][columns["responsible"]] = "CNLTP"
    rows[row][min(parsed.period_columns)] = "X"
    rows[row][columns["unit_cost"]] = "4 250 000"
    rows[row][columns["quantity"]] = 2
    from relais.plans.tests.workbooks import sheet_bytes

    merged = [(r0, c0, r1, c1) for (r0, c0), (r1, c1) in sheet.merged if r0 > parsed.header_row]
    for r0, c0, _r1, _c1 in merged:
        rows[r0][c0] = rows[r0][c0] or "x"
    header = [(r0, c0, r1, c1) for (r0, c0), (r1, c1) in sheet.merged if r0 <= parsed.header_row]
    filled = parse(sheet_bytes(rows, merged=header + merged))
    assert filled.errors == []
    assert filled.total == Decimal("8500000")
    organisations = match_organisations(filled, mali)
    assert organisations == {"CNLTP": mali.national_body}
    plan = services.plan_import(
        parsed=filled, country=mali, by=make_user("coordinator", mali), organisations=organisations
    )
    assert Activity.objects.get(objective__plan=plan).responsible == mali.national_body
    assert not Organisation.objects.filter(name="CNLTP").exists()
