"""The people the workshops trained: counted once however many workshops they attended, split by
sex, type of organisation and country; the pages of a country and of the region; the plan
indicators counted from the workshops; who may see and set what; and the pages' cost."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from relais.countries.models import Organisation
from relais.countries.tests.factories import CountryFactory, OrganisationFactory
from relais.events.models import Event
from relais.plans.models import Indicator, Plan
from relais.plans.tests.factories import plan_with_content
from relais.workshops import trained
from relais.workshops.models import IndicatorSource, Participant, Participation

pytestmark = pytest.mark.django_db

Kind = Organisation.Kind


def workshop(country, starts_on, kind=Event.Kind.TRAINING, **fields):
    fields.setdefault("title", f"Atelier du {starts_on.isoformat()}")
    return Event.objects.create(kind=kind, country=country, starts_on=starts_on, **fields)


def person(name, sex="", kind="", country=None, **fields):
    return Participant.objects.create(
        full_name=name, sex=sex, organisation_kind=kind, country=country, **fields
    )


def attend(event, *people):
    for someone in people:
        Participation.objects.create(event=event, participant=someone)


def state():
    """What a refused request must leave as it was."""
    return {
        "sources": list(IndicatorSource.objects.order_by("pk").values_list("pk", "measure")),
        "history": IndicatorSource.history.count(),
    }


@pytest.fixture
def coordinator(make_user, mali):
    return make_user("coordinator", mali)


@pytest.fixture
def plan(mali):
    """Adopted, 2018-01-01 to 2019-12-31."""
    return plan_with_content(mali, status=Plan.Status.ADOPTED, title="Plan 2018-2019")


@pytest.fixture
def indicator(plan):
    return Indicator.objects.get(objective__plan=plan)


@pytest.fixture
def trainings(mali, senegal):
    """Three Malian workshops and one Senegalese: Awa attends the three Malian ones."""
    first = workshop(mali, date(2018, 5, 14), title="Formation des magistrats")
    second = workshop(mali, date(2018, 9, 3), kind=Event.Kind.VALIDATION, title="Validation")
    third = workshop(mali, date(2019, 2, 11), title="Formation des policiers")
    dakar = workshop(senegal, date(2018, 6, 1), title="Formation à Dakar")
    awa = person("Awa Traoré", "F", Kind.CSO, mali, phone="+223 76 12 34 56")
    moussa = person("Moussa Keïta", "M", Kind.MINISTRY, mali, email="moussa@example.org")
    fatou = person("Fatou Diop", "F", "", senegal)
    someone = person("Quelqu'un")
    attend(first, awa, moussa)
    attend(second, awa, fatou)
    attend(third, awa, someone)
    attend(dakar, fatou)
    return {"events": [first, second, third, dakar], "awa": awa, "fatou": fatou}


# Counting -------------------------------------------------------------------------------------


def test_a_person_trained_three_times_counts_once_and_three_participations(
    mali, trainings, django_assert_num_queries
):
    events = trained.workshops_of(country=mali)
    with translation.override("en"), django_assert_num_queries(2):
        people = trained.disaggregate(trained.participations_of(events))
    assert (people.people, people.participations) == (4, 6)
    assert [(s.key, s.people, s.participations) for s in people.by_sex] == [
        ("F", 2, 4),  # Awa three times, Fatou once
        ("M", 1, 1),
        ("", 1, 1),
    ]
    assert (people.women, people.men, people.not_stated) == (2, 1, 1)
    assert [s.label for s in people.by_sex] == ["Woman", "Man", "Not stated"]
    # In Organisation.Kind's order, "not stated" last, with the sex of each type's people.
    assert [
        (k.key, k.label, k.people, k.participations, k.women, k.men, k.unknown)
        for k in people.by_kind
    ] == [
        ("ministry", "Ministry", 1, 1, 0, 1, 0),
        ("cso", "Civil-society organisation", 1, 3, 1, 0, 0),
        ("", "Not stated", 2, 2, 1, 0, 1),
    ]
    assert [(c.key, c.label, c.people, c.participations) for c in people.by_country] == [
        ("ML", "Mali", 2, 4),
        ("SN", "Senegal", 1, 1),
        ("", "Not stated", 1, 1),
    ]
    # Each split shares out the people.
    for split in (people.by_sex, people.by_kind, people.by_country):
        assert sum(line.people for line in split) == people.people
        assert sum(line.participations for line in split) == people.participations


def test_a_merge_leaves_one_person(mali, trainings):
    """Merging moves the participations onto the record kept: one person, as many
    participations."""
    events = trained.workshops_of(country=mali)
    twin = person("Awa TRAORE", "F", Kind.CSO, mali)
    extra = workshop(mali, date(2019, 3, 1))
    attend(extra, twin)
    assert trained.disaggregate(trained.participations_of(events)).people == 5
    Participation.objects.filter(participant=twin).update(participant=trainings["awa"])
    people = trained.disaggregate(trained.participations_of(events))
    assert (people.people, people.participations) == (4, 7)


def test_nobody_trained_counts_zero(mali):
    people = trained.disaggregate(trained.participations_of(trained.workshops_of(country=mali)))
    assert (people.people, people.participations, people.women, people.men) == (0, 0, 0, 0)
    assert people.by_kind == [] and people.by_country == []


def test_who_was_trained_on_what(mali, trainings, django_assert_num_queries):
    events = trained.workshops_of(country=mali)
    with django_assert_num_queries(3):
        page = trained.trained_people(events)
        people = list(page)
        workshops = {p.full_name: [x.event.title for x in p.trained_at] for p in people}
    assert [p.full_name for p in people] == [
        "Awa Traoré",
        "Fatou Diop",
        "Moussa Keïta",
        "Quelqu'un",
    ]
    assert workshops["Awa Traoré"] == [
        "Formation des magistrats",
        "Validation",
        "Formation des policiers",
    ]
    assert workshops["Fatou Diop"] == ["Validation"]  # not Dakar's: another country's


def test_the_people_go_fifty_a_page(mali):
    event = workshop(mali, date(2018, 5, 14))
    attend(event, *(person(f"Personne {n:03d}") for n in range(55)))
    events = trained.workshops_of(country=mali)
    first, second = trained.trained_people(events, 1), trained.trained_people(events, "2")
    assert len(first) == 50 and len(second) == 5
    assert second[0].full_name == "Personne 050"


# Indicators counted from workshops ------------------------------------------------------------


def test_the_indicator_counts_the_plans_workshops(mali, senegal, plan, indicator):
    activity = plan.objectives.get(position=1).activities.first()
    within = workshop(mali, date(2018, 5, 14))
    last_day = workshop(mali, date(2019, 12, 31), kind=Event.Kind.VALIDATION)
    linked_after = workshop(mali, date(2020, 3, 2), activity=activity)
    coming = workshop(mali, timezone.localdate() + timedelta(days=30), activity=activity)
    # Not counted: after the period and not linked, not a training, another country's.
    after = workshop(mali, date(2020, 1, 1))
    mission = workshop(mali, date(2018, 7, 1), kind=Event.Kind.MISSION)
    campaign = workshop(mali, date(2018, 7, 2), kind=Event.Kind.CAMPAIGN)
    table = workshop(mali, date(2018, 7, 3), kind=Event.Kind.ROUND_TABLE, plan=plan)
    dakar = workshop(senegal, date(2018, 6, 1))

    awa, fatou = person("Awa", "F"), person("Fatou", "F")
    moussa, someone = person("Moussa", "M"), person("Quelqu'un")
    attend(within, awa, moussa)
    attend(last_day, awa, fatou)
    attend(linked_after, someone, moussa)
    for event in (after, mission, campaign, table, dakar):
        attend(event, person(f"Hors compte {event.pk}", "F"))

    expected = {"people": 4, "women": 2, "men": 1, "participations": 6, "workshops": 3}
    source = IndicatorSource.objects.create(indicator=indicator, measure="people")
    for measure, value in expected.items():
        source.measure = measure
        assert trained.indicator_value(source) == value, measure
    assert coming.pk  # linked but not held yet: not among the workshops held
    assert trained.plan_figures(plan) == expected

    # An indicator on a result counts the same plan's workshops.
    on_result = Indicator.objects.get(result__objective__plan=plan)
    result_source = IndicatorSource.objects.create(indicator=on_result, measure="women")
    assert trained.indicator_value(result_source) == 2


def test_a_coordinator_says_an_indicator_is_counted_from_workshops(
    client, coordinator, plan, indicator, trainings
):
    client.force_login(coordinator)
    url = reverse("workshops:indicator_source", args=[indicator.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["source"] is None
    assert page.context["figures"]["people"] == 4

    response = client.post(url, {"measure": "women"})
    assert response.status_code == 302
    assert response["Location"] == reverse("workshops:trained", args=["ML"]) + "#indicators"
    source = IndicatorSource.objects.get(indicator=indicator)
    assert source.measure == "women"
    assert client.get(url).context["value"] == 2

    client.post(url, {"measure": "participations"})
    source.refresh_from_db()
    assert source.measure == "participations"
    client.post(url, {"measure": ""})
    assert not IndicatorSource.objects.exists()
    assert [
        (h.history_type, h.history_user, h.measure)
        for h in IndicatorSource.history.order_by("history_id")
    ] == [
        ("+", coordinator, "women"),
        ("~", coordinator, "participations"),
        ("-", coordinator, "participations"),
    ]

    before = state()
    response = client.post(url, {"measure": "everyone"})
    assert response.status_code == 200
    assert response.context["form"].errors["measure"]
    assert state() == before


def test_the_trained_page_lists_the_plans_indicators_with_their_value(
    client, coordinator, mali, plan, indicator, trainings
):
    IndicatorSource.objects.create(indicator=indicator, measure="people")
    superseded = plan_with_content(mali, status=Plan.Status.SUPERSEDED, title="Ancienne version")
    client.force_login(coordinator)
    page = client.get(reverse("workshops:trained", args=["ML"]))
    lines = page.context["indicators"]
    assert {line.plan for line in lines} == {plan}  # the current plan only
    counted = next(line for line in lines if line.indicator == indicator)
    assert counted.value == 4  # Awa, Moussa, Fatou and someone, in 2018-2019
    html = page.content.decode()
    assert reverse("workshops:indicator_source", args=[indicator.pk]) in html
    assert superseded.title not in html


# The pages ------------------------------------------------------------------------------------


def test_the_countrys_trained_page(client, make_user, mali, trainings):
    client.force_login(make_user("observer", mali))
    page = client.get(reverse("workshops:trained", args=["ML"]))
    assert page.status_code == 200
    assert page.context["people"].people == 4
    assert page.context["workshops_held"] == 3
    html = page.content.decode()
    for name in ("Awa Traoré", "Moussa Keïta", "Formation des policiers", 'id="by-kind"'):
        assert name in html, name
    # Counts and names: no contact.
    assert "76 12 34 56" not in html and "moussa@example.org" not in html
    assert "Formation à Dakar" not in html
    # An observer does not set indicators.
    assert "workshops/indicators/" not in html and "/source/" not in html


def test_the_filters_by_year_and_kind(client, coordinator, mali, trainings):
    workshop(mali, date(2018, 10, 1), kind=Event.Kind.MISSION, title="Mission")
    attend(Event.objects.get(title="Mission"), person("Missionnaire", "M"))
    client.force_login(coordinator)
    url = reverse("workshops:trained", args=["ML"])
    in_2018 = client.get(url, {"year": "2018"})
    assert in_2018.context["people"].participations == 4  # the mission is not a training
    assert in_2018.context["workshops_held"] == 2
    assert [p.full_name for p in in_2018.context["page"]] == [
        "Awa Traoré",
        "Fatou Diop",
        "Moussa Keïta",
    ]
    validations = client.get(url, {"kind": "validation"})
    assert validations.context["people"].people == 2
    missions = client.get(url, {"kind": "mission", "year": "2018"})
    assert missions.context["people"].people == 1
    assert missions.context["workshops_held"] == 1
    # What is not understood is ignored, and said.
    odd = client.get(url, {"year": "1999", "kind": "round_table"})
    assert odd.status_code == 200
    assert odd.context["people"].people == 4
    assert set(odd.context["form"].errors) == {"year", "kind"}


def test_the_regional_page_sets_the_countries_side_by_side(
    client, make_user, mali, senegal, trainings
):
    CountryFactory(code="GN", name="Guinée", currency="GNF")
    client.force_login(make_user("regional"))
    page = client.get(reverse("workshops:trained_regional"))
    assert page.status_code == 200
    lines = {line.country.code: line for line in page.context["countries"]}
    assert (lines["ML"].people, lines["ML"].participations, lines["ML"].workshops) == (4, 6, 3)
    assert (lines["ML"].women, lines["ML"].men) == (2, 1)
    assert (lines["SN"].people, lines["SN"].participations, lines["SN"].workshops) == (1, 1, 1)
    assert lines["GN"].people == 0
    # Fatou, trained in both countries, counts in each and once in the region.
    region = page.context["people"]
    assert (region.people, region.participations) == (4, 7)
    assert page.context["workshops_held"] == 4
    assert reverse("workshops:trained", args=["SN"]) in page.content.decode()


def test_the_links_to_the_trained_pages(client, make_user, mali):
    client.force_login(make_user("coordinator", mali))
    html = client.get(reverse("countries:detail", args=["ML"])).content.decode()
    assert reverse("workshops:trained", args=["ML"]) in html
    client.force_login(make_user("regional"))
    html = client.get(reverse("home")).content.decode()
    assert reverse("workshops:trained_regional") in html


# Who may --------------------------------------------------------------------------------------


def test_another_country_is_told_nothing_exists(client, make_user, senegal, indicator, trainings):
    client.force_login(make_user("coordinator", senegal))
    before = state()
    assert client.get(reverse("workshops:trained", args=["ML"])).status_code == 404
    url = reverse("workshops:indicator_source", args=[indicator.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"measure": "people"}).status_code == 404
    assert state() == before
    # Their own page counts their own workshops.
    page = client.get(reverse("workshops:trained", args=["SN"]))
    assert page.status_code == 200 and page.context["people"].people == 1


def test_a_partner_representative_is_told_nothing_exists(client, make_user, mali, trainings):
    partner = OrganisationFactory(kind=Kind.PARTNER, country=None)
    client.force_login(make_user("partner", partner))
    assert client.get(reverse("workshops:trained", args=["ML"])).status_code == 404
    assert client.get(reverse("workshops:trained_regional")).status_code == 403


@pytest.mark.parametrize("kind", ["observer", "contributor", "regional"])
def test_only_the_coordinator_sets_an_indicators_source(client, make_user, mali, indicator, kind):
    IndicatorSource.objects.create(indicator=indicator, measure="people")
    client.force_login(make_user(kind, None if kind == "regional" else mali))
    before = state()
    url = reverse("workshops:indicator_source", args=[indicator.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"measure": "women"}).status_code == 403
    assert client.post(url, {"measure": ""}).status_code == 403
    assert state() == before


def test_the_regional_page_is_for_regional_coordinators(client, make_user, mali):
    client.force_login(make_user("coordinator", mali))
    assert client.get(reverse("workshops:trained_regional")).status_code == 403
    client.force_login(make_user("admin"))
    assert client.get(reverse("workshops:trained_regional")).status_code == 200


def test_an_unknown_indicator_or_country_is_not_found(client, coordinator):
    client.force_login(coordinator)
    assert client.get(reverse("workshops:indicator_source", args=[999999])).status_code == 404
    assert client.get(reverse("workshops:trained", args=["XX"])).status_code == 404


# The pages' cost ------------------------------------------------------------------------------


def _people(event, count, start=0):
    for n in range(start, start + count):
        someone = person(f"Personne {n:03d}", "FM"[n % 2], Kind.CSO if n % 3 else "")
        attend(event, someone)


def test_the_pages_read_the_database_a_fixed_number_of_times(
    client, coordinator, make_user, mali, plan, indicator, django_assert_max_num_queries
):
    IndicatorSource.objects.create(indicator=indicator, measure="women")
    first = workshop(mali, date(2018, 5, 14))
    second = workshop(mali, date(2019, 5, 14))
    _people(first, 3)
    regional = make_user("regional")
    urls = [
        (coordinator, reverse("workshops:trained", args=["ML"])),
        (coordinator, reverse("workshops:trained", args=["ML"]) + "?year=2018&kind=training"),
        (coordinator, reverse("workshops:indicator_source", args=[indicator.pk])),
        (regional, reverse("workshops:trained_regional")),
    ]
    counts = {}
    for user, url in urls:
        client.force_login(user)
        client.get(url)  # warm up
        with CaptureQueriesContext(connection) as few:
            assert client.get(url).status_code == 200
        counts[url] = len(few)
    _people(first, 27, start=3)
    _people(second, 30, start=30)
    Participation.objects.bulk_create(
        Participation(event=second, participant=p) for p in Participant.objects.all()[:10]
    )
    for user, url in urls:
        client.force_login(user)
        client.get(url)
        with django_assert_max_num_queries(counts[url]):
            assert client.get(url).status_code == 200, url
    page = client.get(reverse("workshops:trained_regional"))
    assert page.context["people"].people == 60
    client.force_login(coordinator)
    page = client.get(reverse("workshops:trained", args=["ML"]))
    assert len(page.context["page"]) == 50
    assert page.context["people"].participations == 70
