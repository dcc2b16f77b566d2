"""Writing an imported plan: all or nothing, in bulk, with its audit trail."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from relais.countries.models import Organisation
from relais.countries.tests.factories import CountryFactory, OrganisationFactory
from relais.plans import services
from relais.plans.importing import match_organisations
from relais.plans.models import Activity, FundingSource, Objective, Plan, PlanEvent
from relais.plans.tests.workbooks import Layout, build, database_counts, parse, sheet_bytes

pytestmark = pytest.mark.django_db


def imported(country, user, layout=None):
    data, expected = build(layout or Layout())
    parsed = parse(data, country.currency)
    organisations = match_organisations(parsed, country)
    plan = services.plan_import(
        parsed=parsed, country=country, by=user, organisations=organisations
    )
    return plan, parsed, expected


def test_a_workbook_with_one_bad_row_writes_nothing(mali, make_user):
    rows = [
        ["N°", "Activités", "Responsable", "T1 2018", "Coût total (FCFA)"],
        ["OS1 : Renforcer le cadre juridique"],
        ["1.1", "Atelier de validation", "Nouvelle structure", "X", "4 250 000"],
        ["1.2", "Plaidoyer", "Autre structure", "X", "4 250 000"],
        ["1.3", "Étude", "CNLTP", "X", "quatre millions"],
        ["1.4", "Table ronde", "CNLTP", "X", "1 000 000"],
    ]
    parsed = parse(sheet_bytes(rows, name="Feuil1"))
    (error,) = parsed.errors
    assert (error.sheet, error.row, error.column) == ("Feuil1", 5, "E")
    before = database_counts()
    with pytest.raises(ValidationError):
        services.plan_import(
            parsed=parsed,
            country=mali,
            by=make_user("coordinator", mali),
            organisations={"Nouvelle structure": None, "Autre structure": None},
        )
    assert database_counts() == before


def test_a_failure_half_way_through_the_writing_leaves_nothing_behind(mali, make_user, monkeypatch):
    """The plan, its objectives, activities, the new organisations and their history are all
    written in one transaction: if the last insert fails, none of them remains."""
    user = make_user("coordinator", mali)
    data, _expected = build(Layout())
    parsed = parse(data)
    organisations = match_organisations(parsed, mali)
    assert None in organisations.values()  # some organisations would be created
    before = database_counts()

    def fail(*args, **kwargs):
        raise IntegrityError("disk full")

    monkeypatch.setattr(PlanEvent.objects, "create", fail)
    with pytest.raises(IntegrityError):
        services.plan_import(parsed=parsed, country=mali, by=user, organisations=organisations)
    assert database_counts() == before


def test_the_audit_trail_records_the_plan_and_every_record_inserted_in_bulk(mali, make_user):
    user = make_user("coordinator", mali)
    before = database_counts()
    plan, parsed, expected = imported(mali, user)
    after = database_counts()
    added = {name: after[name] - before[name] for name in after}
    activities = Activity.objects.filter(objective__plan=plan)
    sources = FundingSource.objects.filter(activity__objective__plan=plan)
    assert added["Activity"] == len(expected.activities) == 6
    # one "created" historical record per record, by the person who imported
    assert added["HistoricalPlan"] == 1
    assert added["HistoricalObjective"] == added["Objective"] == 3
    assert added["HistoricalActivity"] == added["Activity"]
    assert added["HistoricalFundingSource"] == added["FundingSource"] == sources.count()
    assert added["HistoricalOrganisation"] == added["Organisation"] > 0
    assert added["HistoricalActivity_partners"] == added["Activity_partners"] > 0
    for record in [plan, *Objective.objects.filter(plan=plan), *activities, *sources]:
        (row,) = record.history.all()
        assert (row.history_type, row.history_user) == ("+", user)
    for organisation in Organisation.objects.filter(country=mali).exclude(pk=mali.national_body.pk):
        assert organisation.history.get().history_user == user
    # the activities' first historical record lists their partners, as an edit's would
    for activity in activities.prefetch_related("partners"):
        historical = activity.history.get()
        assert sorted(h.organisation_id for h in historical.partners.all()) == sorted(
            p.pk for p in activity.partners.all()
        )
    assert PlanEvent.objects.get(plan=plan).by == user


def test_organisations_are_matched_by_name_whatever_the_accents_case_and_spacing(mali, make_user):
    justice = OrganisationFactory(
        country=mali, name="Ministère de la Justice et des Droits de l'Homme", acronym="MJDH"
    )
    icmpd = OrganisationFactory(
        country=None, name="International Centre for Migration Policy Development"
    )
    icmpd.acronym = "ICMPD"
    icmpd.save()
    OrganisationFactory(country=None, name="Tostan")
    rows = [
        ["N°", "Activités", "Responsable", "Partenaires", "T1 2018", "Coût total (FCFA)"],
        ["OS1 : Renforcer le cadre juridique"],
        ["1.1", "Atelier", "MINISTERE DE LA  JUSTICE ET DES DROITS DE L’HOMME", "icmpd", "X", 1],
        ["1.2", "Plaidoyer", "mjdh", "Icmpd / ONG Tostan", "X", 2],
        ["1.3", "Étude", "cnltp", "", "X", 3],
    ]
    parsed = parse(sheet_bytes(rows))
    found = match_organisations(parsed, mali)
    assert found == {
        "MINISTERE DE LA  JUSTICE ET DES DROITS DE L’HOMME": justice,
        "icmpd": icmpd,
        "mjdh": justice,
        "Icmpd": icmpd,
        "ONG Tostan": None,
        "cnltp": mali.national_body,
    }
    (warning,) = parsed.warnings
    assert warning.row == 4 and warning.column == "D"
    plan = services.plan_import(
        parsed=parsed, country=mali, by=make_user("coordinator", mali), organisations=found
    )
    created = Organisation.objects.get(name="ONG Tostan")
    assert created.country == mali and created.kind == Organisation.Kind.PARTNER
    assert Plan.objects.get() == plan
    assert sum(a.total for a in Activity.objects.all()) == Decimal(6)


@pytest.fixture
def mauritania(db):
    return CountryFactory(code="MR", name="Mauritanie", currency="MRU", languages=["ar", "fr"])


@pytest.mark.parametrize(
    ("layout", "language"),
    [
        (Layout(language="fr", currency="MRU"), "fr"),  # Mauritania works in French too
        (Layout(language="ar", currency="MRU"), "ar"),
        (Layout(language="en", currency="MRU"), "en"),
    ],
)
def test_the_plan_takes_the_workbooks_language(mauritania, make_user, layout, language):
    plan, parsed, _expected = imported(mauritania, make_user("coordinator", mauritania), layout)
    assert parsed.language == plan.language == language


def test_a_workbook_that_does_not_tell_its_language_takes_the_countrys(mali, make_user):
    rows = [["N°", "Libellé", "T1 2018", "Total"], ["OS1"], ["1.1", "CNLTP", "X", 4250000]]
    parsed = parse(sheet_bytes(rows))
    assert parsed.errors == [] and parsed.language == ""
    plan = services.plan_import(
        parsed=parsed, country=mali, by=make_user("coordinator", mali), organisations={}
    )
    assert plan.language == "fr"
