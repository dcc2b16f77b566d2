"""The IATI 2.03 activity file of a plan: it validates against the vendored schema, carries
the pledges, agreements, instalments and expenditures with their type codes, currencies and
value-dates, and its figures are the plan's own to the franc (budget, disbursed, spent); who
may download it; an Arabic plan in well-formed UTF-8; its cost does not grow with the plan."""

from collections import defaultdict
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from lxml import etree

from relais.core.rates import RateTable
from relais.countries.models import Organisation
from relais.countries.tests.factories import CountryFactory, OrganisationFactory
from relais.funding import services as funding
from relais.funding.picture import funding_picture, valued_contributions
from relais.monitoring.expenditures import spent_by_source
from relais.monitoring.figures import plan_figures
from relais.monitoring.models import Expenditure, IndicatorValue
from relais.plans.models import Activity, Indicator, Plan
from relais.plans.tests.factories import ActivityFactory, plan_with_content
from relais.reports.iati import activity_identifier, plan_iati, reporting_ref

pytestmark = pytest.mark.django_db
D = Decimal
XSD = Path(__file__).parent / "iati-2.03" / "iati-activities-schema.xsd"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
Status = Expenditure.Status


@pytest.fixture(scope="module")
def schema():
    # Parsed from its path: it includes iati-common.xsd and imports xml.xsd beside it.
    return etree.XMLSchema(etree.parse(str(XSD)))


def parse(content, schema):
    """The file's tree, once it has validated (the schema's messages otherwise)."""
    tree = etree.fromstring(content)
    assert schema.validate(tree), "\n".join(str(error) for error in schema.error_log)
    return tree


def transactions(tree, code):
    return [t for t in tree.iter("transaction") if t.find("transaction-type").get("code") == code]


def value_of(transaction):
    value = transaction.find("value")
    return D(value.text), value.get("currency"), date.fromisoformat(value.get("value-date"))


def in_plan_currency(transaction, currency, rates):
    amount, own, on = value_of(transaction)
    return rates.convert(amount, own, currency, on).amount


@pytest.fixture
def coordinator(make_user, mali):
    return make_user("coordinator", mali)


@pytest.fixture
def eu(db):
    return OrganisationFactory(
        name="Union européenne", acronym="UE", kind=Organisation.Kind.PARTNER, country=None
    )


@pytest.fixture
def plan(mali, eu):
    return plan_with_content(
        mali,
        status=Plan.Status.ADOPTED,
        funder=eu,
        title="Plan d'action national de plaidoyer 2018-2019",
        general_objective="Renforcer la lutte contre la traite des personnes au Mali.",
    )


@pytest.fixture
def funded(plan, coordinator, eu, mali):
    """EU: 60 000 EUR pledged, 50 000 agreed, 20 000 + 10 000 paid. The state: 1 000 000 XOF
    agreed, 600 000 paid. UNICEF: 2 000 000 XOF pledged only. ONG: withdrawn."""
    unicef = OrganisationFactory(acronym="UNICEF", kind=Organisation.Kind.UN, country=None)
    ong = OrganisationFactory(acronym="ENDA", kind=Organisation.Kind.CSO, country=mali)
    by = coordinator
    eu_part = funding.contribution_create(
        plan=plan, by=by, partner=eu, currency="EUR", amount=D(60000),
        announced_on=date(2018, 4, 26),
    )  # fmt: skip
    eu_part = funding.contribution_confirm(
        contribution=eu_part, by=by, amount=D(50000), signed_on=date(2018, 6, 1),
        reference="FED/2018/401-223",
    )  # fmt: skip
    funding.disbursement_create(
        contribution=eu_part, by=by, paid_on=date(2018, 7, 2), amount=D(20000), reference="V1"
    )
    funding.disbursement_create(
        contribution=eu_part, by=by, paid_on=date(2018, 10, 1), amount=D(10000)
    )
    state = funding.contribution_create(
        plan=plan, by=by, partner=None, currency="XOF", amount=D(1000000),
        announced_on=date(2018, 2, 1),
    )  # fmt: skip
    state = funding.contribution_confirm(
        contribution=state, by=by, amount=D(1000000), signed_on=date(2018, 2, 15)
    )
    funding.disbursement_create(
        contribution=state, by=by, paid_on=date(2018, 3, 1), amount=D(600000)
    )
    funding.contribution_create(
        plan=plan, by=by, partner=unicef, currency="XOF", amount=D(2000000),
        announced_on=date(2018, 5, 5),
    )  # fmt: skip
    withdrawn = funding.contribution_create(
        plan=plan, by=by, partner=ong, currency="XOF", amount=D(300000),
        announced_on=date(2018, 5, 6),
    )  # fmt: skip
    funding.contribution_withdraw(contribution=withdrawn, by=by, reason="Projet clôturé.")
    return eu_part, state


@pytest.fixture
def spent(plan, funded, coordinator):
    """Validated expenditures in FCFA and in euros, a draft, and a corrected one with its
    validated correction."""
    eu_part, state = funded
    activity = Activity.objects.filter(objective__plan=plan).order_by("pk").first()

    def spend(amount, currency, contribution, on, status, **fields):
        return Expenditure.objects.create(
            activity=activity, contribution=contribution, spent_on=on, amount=D(amount),
            currency=currency, description=f"Dépense du {on}", status=status,
            entered_by=coordinator, **fields,
        )  # fmt: skip

    spend("250000", "XOF", state, date(2018, 3, 10), Status.VALIDATED)
    spend("4500.50", "EUR", eu_part, date(2018, 8, 3), Status.VALIDATED)
    spend("120000", "XOF", None, date(2018, 9, 1), Status.VALIDATED)
    spend("999999", "XOF", None, date(2018, 9, 2), Status.DRAFT)
    old = spend("80000", "XOF", None, date(2018, 11, 5), Status.CORRECTED)
    spend("75000", "XOF", None, date(2018, 11, 5), Status.VALIDATED, corrects=old)


@pytest.fixture
def measured(plan, coordinator):
    """Yearly values of OS1's indicator (target 2 by the end of 2019), split by sex."""
    indicator = Indicator.objects.get(objective__plan=plan, objective__position=1)
    indicator.baseline = D(0)
    indicator.save()
    IndicatorValue.objects.create(
        indicator=indicator, period_start=date(2018, 1, 1), period_end=date(2018, 12, 31),
        value=D(1), disaggregation={"women": 1, "men": 0}, comment="Premier décret.",
    )  # fmt: skip
    return indicator


@pytest.fixture
def tree(plan, spent, measured, schema):
    return parse(plan_iati(plan=plan), schema)


def test_the_file_validates_against_the_iati_schema(tree, plan):
    assert tree.tag == "iati-activities"
    assert tree.get("version") == "2.03"
    datetime.fromisoformat(tree.get("generated-datetime"))
    (activity,) = tree.findall("iati-activity")
    assert activity.get("default-currency") == "XOF"
    assert activity.get(XML_LANG) == "fr"
    datetime.fromisoformat(activity.get("last-updated-datetime"))
    assert activity.findtext("iati-identifier") == f"XM-RELAIS-ML-CNLTP-PLAN-{plan.pk}"
    reporting = activity.find("reporting-org")
    assert (reporting.get("ref"), reporting.get("type")) == ("XM-RELAIS-ML-CNLTP", "10")
    assert activity.find("title/narrative").text == plan.title
    assert activity.find("title/narrative").get(XML_LANG) == "fr"
    assert activity.find("activity-status").get("code") in {"2", "3"}
    dates = {d.get("type"): d.get("iso-date") for d in activity.findall("activity-date")}
    assert dates["1"] == "2018-01-01" and dates["3"] == "2019-12-31"
    assert activity.find("recipient-country").get("code") == "ML"
    sector = activity.find("sector")
    assert (sector.get("vocabulary"), sector.get("code")) == ("1", "15190")


def test_the_body_implements_and_the_partners_fund(tree):
    roles = defaultdict(list)
    for org in tree.iter("participating-org"):
        roles[org.get("role")].append(org.findtext("narrative"))
    assert roles["4"] == ["Comité national de lutte contre la traite des personnes (CNLTP)"]
    funders = roles["1"]
    assert "Union européenne (UE)" in funders and "UNICEF" in " ".join(funders)
    assert not any("ENDA" in name for name in funders)  # withdrawn: no longer funds
    assert any("Mali" in name for name in funders)  # the state's budget, as the government


def test_every_kind_of_transaction_is_there_with_its_currency_and_value_date(tree, plan):
    codes = {t.find("transaction-type").get("code") for t in tree.iter("transaction")}
    assert codes == {"13", "11", "1", "4"}
    pledges = transactions(tree, "13")
    assert sorted(value_of(t) for t in pledges) == sorted(
        [
            (D("60000.00"), "EUR", date(2018, 4, 26)),
            (D("1000000.00"), "XOF", date(2018, 2, 1)),
            (D("2000000.00"), "XOF", date(2018, 5, 5)),
        ]
    )  # the withdrawn pledge is not there
    commitments = transactions(tree, "11")
    assert sorted(value_of(t) for t in commitments) == [
        (D("50000.00"), "EUR", date(2018, 6, 1)),
        (D("1000000.00"), "XOF", date(2018, 2, 15)),
    ]
    # Instalments at the rate date of their contribution, as the funding picture converts them.
    assert sorted(value_of(t) for t in transactions(tree, "1")) == [
        (D("10000.00"), "EUR", date(2018, 6, 1)),
        (D("20000.00"), "EUR", date(2018, 6, 1)),
        (D("600000.00"), "XOF", date(2018, 2, 15)),
    ]
    dates = [t.find("transaction-date").get("iso-date") for t in transactions(tree, "1")]
    assert sorted(dates) == ["2018-03-01", "2018-07-02", "2018-10-01"]
    # Incoming ones name who provides them; the state's budget is the government.
    for transaction in (
        transactions(tree, "13") + transactions(tree, "11") + transactions(tree, "1")
    ):
        provider = transaction.find("provider-org")
        assert provider is not None and provider.findtext("narrative")
    state = [t for t in transactions(tree, "1") if value_of(t)[1] == "XOF"][0]
    assert state.find("provider-org").get("type") == "10"
    # Validated expenditures only, the correction instead of the one it corrects.
    assert sorted(value_of(t)[:2] for t in transactions(tree, "4")) == sorted(
        [
            (D("120000.00"), "XOF"),
            (D("250000.00"), "XOF"),
            (D("4500.50"), "EUR"),
            (D("75000.00"), "XOF"),
        ]
    )
    euros = [t for t in transactions(tree, "4") if value_of(t)[1] == "EUR"][0]
    assert value_of(euros)[2] == date(2018, 6, 1)  # its contribution's rate date
    state_paid = [t for t in transactions(tree, "4") if value_of(t)[0] == D(120000)][0]
    assert value_of(state_paid)[2] == date(2018, 9, 1)  # its own date
    for transaction in tree.iter("transaction"):
        text = transaction.find("value").text
        assert text.replace(".", "").isdigit(), text  # plain decimals


def test_the_values_add_up_to_the_plans_figures(tree, plan):
    rates = RateTable.load()
    currency = plan.currency
    spent = sum(in_plan_currency(t, currency, rates) for t in transactions(tree, "4"))
    assert spent == sum(spent_by_source(plan).values())
    assert spent == plan_figures(plan).total.spent == D(250000 + 2952134 + 120000 + 75000)

    # Instalments: per contribution in its own currency, and in the plan's once converted
    # at their value-date (all of a contribution's share it), as the funding picture does.
    picture = funding_picture(plan=plan)
    own = defaultdict(lambda: D(0))
    for transaction in transactions(tree, "1"):
        own[value_of(transaction)[1:]] += value_of(transaction)[0]
    by_contribution = {
        (v.contribution.currency, v.contribution.rate_date): v.disbursed_own
        for v in valued_contributions(plan=plan)
        if v.disbursed_own
    }
    assert dict(own) == by_contribution
    converted = sum(
        rates.convert(amount, code, currency, on).amount for (code, on), amount in own.items()
    )
    assert converted == picture.total.disbursed == D(600000) + D(30000) * D("655.957")

    budgets = tree.findall("iati-activity/budget")
    periods = [
        (b.find("period-start").get("iso-date"), b.find("period-end").get("iso-date"))
        for b in budgets
    ]
    assert periods == [("2018-01-01", "2018-12-31"), ("2019-01-01", "2019-12-31")]
    assert {b.find("value").get("currency") for b in budgets} == {"XOF"}
    total = sum(D(b.find("value").text) for b in budgets)
    assert total == sum(
        Activity.objects.filter(objective__plan=plan).values_list("total", flat=True)
    )
    assert total == picture.total.budget


def test_budgets_split_to_the_franc(plan, schema):
    """An activity of three months over two years: its cost split 1/3 – 2/3, to the franc."""
    objective = plan.objectives.get(position=2)
    ActivityFactory(
        objective=objective, months=["2018-12", "2019-01", "2019-02"], unit_cost=D(1000001)
    )
    tree = parse(plan_iati(plan=plan), schema)
    values = [D(b.find("value").text) for b in tree.iter("budget")]
    assert sum(values) == sum(
        Activity.objects.filter(objective__plan=plan).values_list("total", flat=True)
    )
    assert all(value == value.to_integral_value() for value in values)  # FCFA: no cents


def test_results_carry_indicators_with_baseline_target_and_actuals(tree, measured):
    results = tree.findall("iati-activity/result")
    assert len(results) == 1  # OS2 has no indicator: IATI would refuse a result without one
    result = results[0]
    assert result.get("type") == "2"
    assert result.find("reference").get("code") == "OS1"
    indicators = result.findall("indicator")
    assert len(indicators) == 2  # the objective's and its expected result's
    first = indicators[0]
    assert first.findtext("title/narrative") == measured.name
    assert first.find("baseline").get("value") == "0"
    assert first.find("baseline").get("year") == "2018"
    periods = first.findall("period")
    by_start = {p.find("period-start").get("iso-date"): p for p in periods}
    actuals = by_start["2018-01-01"].findall("actual")
    assert [a.get("value") for a in actuals] == ["1", "1", "0"]
    assert actuals[0].findtext("comment/narrative") == "Premier décret."
    dimensions = [(a.find("dimension").get("name"), a.find("dimension").get("value"))
                  for a in actuals[1:]]  # fmt: skip
    assert dimensions == [("sex", "female"), ("sex", "male")]
    assert by_start["2019-01-01"].find("target").get("value") == "2"  # target date 2019-12-31


def test_a_revision_keeps_the_identifier(plan, mali):
    revision = plan_with_content(mali, status=Plan.Status.DRAFT, previous=plan, version=2)
    assert activity_identifier(revision) == activity_identifier(plan)
    assert reporting_ref(mali) == "XM-RELAIS-ML-CNLTP"


# Who may download it ----------------------------------------------------------------------


def test_a_member_downloads_it(client, coordinator, plan, schema):
    client.force_login(coordinator)
    response = client.get(reverse("reports:iati", args=[plan.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="iati-ml-')
    assert disposition.endswith('.xml"')
    parse(response.content, schema)


def test_another_countrys_plan_does_not_exist(client, make_user, senegal, plan):
    client.force_login(make_user("coordinator", senegal))
    assert client.get(reverse("reports:iati", args=[plan.pk])).status_code == 404
    client.force_login(make_user())  # no role at all
    assert client.get(reverse("reports:iati", args=[plan.pk])).status_code == 404


def test_a_partner_party_to_the_plan_may_download_it(client, make_user, plan, eu, spent, schema):
    """A partner representative reads the plans their organisation is party to
    (plans.rules.can_read_plan): here a planned funder of activity 1.1. As on the funding
    pages, the file carries their own organisation's funding only."""
    representative = make_user("partner", eu)
    assert representative.has_perm("plans.view_plan", plan)
    client.force_login(representative)
    response = client.get(reverse("reports:iati", args=[plan.pk]))
    assert response.status_code == 200
    tree = parse(response.content, schema)
    funders = [
        org.findtext("narrative")
        for org in tree.iter("participating-org")
        if org.get("role") == "1"
    ]
    assert funders == ["Union européenne (UE)"]
    providers = {t.findtext("provider-org/narrative") for t in tree.iter("transaction")} - {None}
    assert providers == {"Union européenne (UE)"}
    assert [value_of(t)[:2] for t in transactions(tree, "4")] == [(D("4500.50"), "EUR")]
    assert len(tree.findall("iati-activity/budget")) == 2  # the plan's budget, whole


def test_a_partner_not_party_to_the_plan_may_not(client, make_user, plan):
    stranger = OrganisationFactory(acronym="GIZ", kind=Organisation.Kind.PARTNER, country=None)
    client.force_login(make_user("partner", stranger))
    assert client.get(reverse("reports:iati", args=[plan.pk])).status_code == 404


def test_an_unknown_plan_is_404(client, coordinator):
    client.force_login(coordinator)
    assert client.get(reverse("reports:iati", args=[999999])).status_code == 404


def test_a_post_is_refused(client, coordinator, plan):
    client.force_login(coordinator)
    assert client.post(reverse("reports:iati", args=[plan.pk])).status_code == 405


# An Arabic plan --------------------------------------------------------------------------


def test_a_mauritanian_plan_in_arabic_is_well_formed_utf8(client, make_user, schema):
    mauritania = CountryFactory(code="MR", name="Mauritanie", currency="MRU", languages=["ar"])
    mauritania.national_body = OrganisationFactory(
        name="اللجنة الوطنية لمكافحة الاتجار بالأشخاص",
        acronym="CNLTP",
        kind=Organisation.Kind.NATIONAL_BODY,
        country=mauritania,
    )
    mauritania.save()
    title = "خطة العمل الوطنية للمناصرة 2018-2019"
    plan = plan_with_content(mauritania, status=Plan.Status.ADOPTED, language="ar", title=title)
    client.force_login(make_user("coordinator", mauritania))
    response = client.get(reverse("reports:iati", args=[plan.pk]))
    assert response.status_code == 200
    content = response.content
    assert content.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    text = content.decode("utf-8")  # raises if it were not UTF-8
    assert title in text
    tree = parse(content, schema)
    activity = tree.find("iati-activity")
    assert activity.get(XML_LANG) == "ar"
    assert activity.get("default-currency") == "MRU"
    assert activity.findtext("title/narrative") == title
    assert activity.findtext("reporting-org/narrative").startswith("اللجنة الوطنية")
    assert activity.findtext("iati-identifier") == f"XM-RELAIS-MR-CNLTP-PLAN-{plan.pk}"
    # What Relais writes itself is in the plan's language: the country's name in Arabic.
    assert activity.findtext("recipient-country/narrative") == "موريتانيا"


# Its cost --------------------------------------------------------------------------------


def test_its_queries_do_not_grow_with_the_plan(plan, spent, measured, coordinator):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            plan_iati(plan=plan)
        return len(captured)

    before = queries()
    activity = Activity.objects.filter(objective__plan=plan).first()
    Expenditure.objects.bulk_create(
        Expenditure(
            activity=activity, spent_on=date(2018, 12, 1), amount=D(1000 + n), currency="XOF",
            description="Transport", status=Status.VALIDATED, entered_by=coordinator,
        )
        for n in range(30)
    )  # fmt: skip
    for _n in range(10):
        ActivityFactory(objective=activity.objective, months=["2019-05"])
    assert queries() == before
