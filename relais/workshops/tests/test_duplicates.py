"""People entered twice across a country's workshops: what is proposed (never merged
silently), merging, saying two records are two people, undoing a merge, and who may."""

from datetime import date
from html import unescape

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from relais.countries.tests.factories import OrganisationFactory
from relais.events.models import Event
from relais.workshops import merges, participants, services
from relais.workshops.matching import close_names, duplicate_proposals
from relais.workshops.models import DistinctPair, Merge, Participant, Participation

pytestmark = pytest.mark.django_db


def state():
    """Every record as it is, field by field: what a refused request, or a merge undone, must
    leave as it was."""
    return {
        "participants": list(
            Participant.objects.order_by("pk").values_list(
                "pk",
                "full_name",
                "sex",
                "organisation",
                "organisation_kind",
                "function",
                "country_id",
                "phone",
                "email",
                "merged_into_id",
            )
        ),
        "participations": list(
            Participation.objects.order_by("pk").values_list("pk", "event_id", "participant_id")
        ),
        "distinct": list(DistinctPair.objects.values_list("first_id", "second_id")),
    }


def shown(response):
    return unescape(response.content.decode())


@pytest.fixture
def coordinator(make_user, mali):
    return make_user("coordinator", mali, language="en")


def make_workshop(country, title, day):
    return services.workshop_create(
        country=country, by=None, kind=Event.Kind.TRAINING, title=title, starts_on=day
    )


@pytest.fixture
def first(mali):
    return make_workshop(mali, "Formation des magistrats", date(2018, 5, 14))


@pytest.fixture
def second(mali):
    return make_workshop(mali, "Atelier de validation", date(2019, 3, 5))


def add(event, full_name, **fields):
    return participants.participant_add(event=event, by=None, full_name=full_name, **fields)[0]


def pairs(country):
    return [
        (p.first.full_name, p.second.full_name, p.reasons)
        for p in duplicate_proposals(country=country)
    ]


# What is proposed -----------------------------------------------------------------------------


def test_the_same_name_alone_is_proposed_not_merged(client, coordinator, mali, first, second):
    add(first, "Fatoumata Diarra", phone="76 12 34 56", organisation="CNLTP")
    add(second, "DIARRA Fatoumata", phone="66 00 00 00", organisation="AMDH")
    assert Participant.objects.count() == 2
    assert not Participant.objects.filter(merged_into__isnull=False).exists()
    assert pairs(mali) == [("Fatoumata Diarra", "DIARRA Fatoumata", ["name"])]
    client.force_login(coordinator)
    page = client.get(reverse("workshops:duplicates", args=["ML"]))
    assert page.status_code == 200
    html = shown(page)
    assert "Fatoumata Diarra" in html and "DIARRA Fatoumata" in html
    assert "Formation des magistrats" in html and "Atelier de validation" in html
    assert "Same person: merge" in html and "Two different people" in html
    assert Participant.objects.filter(merged_into__isnull=False).count() == 0


def test_close_names_sharing_a_phone_or_an_email_are_proposed(mali, first, second):
    add(first, "Fatoumata Diarra", phone="76 12 34 56")
    add(second, "Fatoumata B. Diarra", phone="+223 76123456")
    add(first, "Moussa Keïta", email="moussa@example.ml")
    add(second, "Mousa Keita", email="MOUSSA@example.ml")
    # One office's phone under two people's names: not a doubt.
    add(first, "Awa Traoré", phone="20 22 33 44")
    add(second, "Oumar Sangaré", phone="20 22 33 44")
    assert Participant.objects.count() == 6  # names differ: none recognised at entry
    assert pairs(mali) == [
        ("Fatoumata Diarra", "Fatoumata B. Diarra", ["close_name", "phone"]),
        ("Moussa Keïta", "Mousa Keita", ["close_name", "email"]),
    ]


def test_close_names_at_one_organisation_are_proposed(mali, first, second):
    add(first, "Fatoumata Diarra", organisation="MJDH")
    add(second, "Fatoumata B. Diarra", organisation="mjdh")
    # Two colleagues sharing a first name are two people.
    add(first, "Awa Traoré", organisation="Police nationale")
    add(second, "Awa Sissoko", organisation="Police nationale")
    assert pairs(mali) == [
        ("Fatoumata Diarra", "Fatoumata B. Diarra", ["close_name", "organisation"]),
    ]


def test_close_names():
    assert close_names("diarra fatoumata", "b diarra fatoumata")
    assert close_names("diarra fatoumata", "diara fatumata")
    assert not close_names("diarra fatoumata", "diallo fatoumata")
    assert not close_names("awa traore", "aminata traore")
    assert not close_names("diarra", "diarra fatoumata")  # one word is too little


def test_people_at_one_workshop_and_distinct_pairs_are_not_proposed(mali, first, second):
    # Two homonyms on one list are two people.
    add(first, "Awa Traoré", phone="76 00 00 01")
    add(first, "Awa Traoré", phone="76 00 00 02")
    assert pairs(mali) == []
    a = add(second, "Kadiatou Sow").participant
    b = add(first, "Sow Kadiatou", organisation="AMDH").participant
    assert len(pairs(mali)) == 1
    merges.participants_distinct(first=b, second=a, by=None)
    assert pairs(mali) == []
    assert DistinctPair.objects.get().first == a  # stored in order


def test_another_countrys_people_are_not_proposed(senegal, mali, first):
    dakar = make_workshop(senegal, "Atelier de Dakar", date(2018, 6, 1))
    add(first, "Awa Ndiaye")
    thies = make_workshop(senegal, "Atelier de Thiès", date(2018, 9, 1))
    add(dakar, "Awa Ndiaye", phone="77 000 00 00")
    add(thies, "Ndiaye Awa", phone="77 111 11 11")
    # Only pairs of people both trained at the country's workshops.
    assert pairs(mali) == []
    assert pairs(senegal) == [("Awa Ndiaye", "Ndiaye Awa", ["name"])]


# Merging and undoing --------------------------------------------------------------------------


def test_merge_then_undo_restores_exactly_what_was(client, coordinator, mali, first, second):
    third = make_workshop(mali, "Campagne de Kayes", date(2019, 7, 30))
    kept = add(first, "Fatoumata Diarra", phone="76 12 34 56").participant
    merged = add(
        second,
        "DIARRA Fatoumata",
        sex="F",
        organisation="CNLTP",
        function="Secrétaire permanente",
        email="f.diarra@example.ml",
    ).participant
    Participation.objects.create(event=third, participant=merged)
    before = state()
    client.force_login(coordinator)
    url = reverse("workshops:merge", args=["ML"])
    response = client.post(url, {"kept": kept.pk, "merged": merged.pk}, follow=True)
    assert response.status_code == 200
    assert "DIARRA Fatoumata and Fatoumata Diarra are now one person." in shown(response)

    kept.refresh_from_db()
    merged.refresh_from_db()
    assert merged.merged_into == kept
    assert sorted(kept.participations.values_list("event__title", flat=True)) == [
        "Atelier de validation",
        "Campagne de Kayes",
        "Formation des magistrats",
    ]
    assert (kept.sex, kept.organisation, kept.email, kept.phone) == (
        "F",
        "CNLTP",
        "f.diarra@example.ml",
        "76 12 34 56",
    )
    merge = Merge.objects.get()
    assert (merge.kept, merge.merged, merge.by) == (kept, merged, coordinator)
    assert sorted(merge.participations) == sorted(
        Participation.objects.filter(event__in=[second, third]).values_list("pk", flat=True)
    )
    # Now one person: counted once, trained three times; no longer proposed.
    assert Participation.objects.values("participant_id").distinct().count() == 1
    assert pairs(mali) == []

    page = client.get(reverse("workshops:duplicates", args=["ML"]))
    assert list(page.context["merges"]) == [merge]
    undo = reverse("workshops:merge_undo", args=[merge.pk])
    assert undo in page.content.decode()
    response = client.post(undo, follow=True)
    assert "The merge has been undone" in shown(response)
    assert state() == before
    merge.refresh_from_db()
    assert merge.undone_by == coordinator and merge.undone_at is not None

    # Only once.
    response = client.post(undo, follow=True)
    assert "This merge has already been undone." in shown(response)
    assert state() == before


def test_undo_keeps_what_was_changed_since(coordinator, first, second):
    kept = add(first, "Fatoumata Diarra").participant
    merged = add(second, "Diarra Fatoumata", function="Juge").participant
    merge = merges.participants_merge(kept=kept, merged=merged, by=coordinator)
    participants.participant_update(
        participant=kept, by=coordinator, full_name="Fatoumata Diarra", function="Présidente"
    )
    merges.merge_undo(merge=merge, by=coordinator)
    kept.refresh_from_db()
    assert kept.function == "Présidente"


def test_two_records_at_one_workshop_cannot_be_merged(client, coordinator, mali, first, second):
    a = add(first, "Awa Traoré", phone="76 00 00 01").participant
    b = add(first, "Awa Traoré", phone="76 00 00 02").participant
    Participation.objects.create(event=second, participant=b)
    before = state()
    client.force_login(coordinator)
    response = client.post(
        reverse("workshops:merge", args=["ML"]), {"kept": a.pk, "merged": b.pk}, follow=True
    )
    assert "both attended “Formation des magistrats”" in shown(response)
    assert "they are two people and cannot be merged" in shown(response)
    assert state() == before
    assert not Merge.objects.exists()
    with translation.override("en"), pytest.raises(ValidationError):
        merges.participants_merge(kept=b, merged=a, by=coordinator)
    assert state() == before


def test_two_different_people(client, coordinator, mali, first, second):
    a = add(first, "Kadiatou Sow").participant
    b = add(second, "Kadiatou Sow", phone="76 11 11 11").participant
    client.force_login(coordinator)
    response = client.post(
        reverse("workshops:distinct", args=["ML"]), {"first": b.pk, "second": a.pk}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("workshops:duplicates", args=["ML"])
    pair = DistinctPair.objects.get()
    assert (pair.first, pair.second, pair.by) == (a, b, coordinator)
    page = client.get(reverse("workshops:duplicates", args=["ML"]))
    assert page.context["proposals"] == []
    # Saying it twice records it once.
    client.post(reverse("workshops:distinct", args=["ML"]), {"first": a.pk, "second": b.pk})
    assert DistinctPair.objects.count() == 1


def test_records_of_another_country_cannot_be_posted(client, coordinator, senegal, first):
    dakar = make_workshop(senegal, "Atelier de Dakar", date(2018, 6, 1))
    a = add(first, "Awa Ndiaye").participant
    b = add(dakar, "Ndiaye Awa", phone="77 000 00 00").participant
    client.force_login(coordinator)
    before = state()
    url = reverse("workshops:merge", args=["ML"])
    assert client.post(url, {"kept": a.pk, "merged": b.pk}).status_code == 404
    assert client.post(url, {"kept": a.pk, "merged": "x"}).status_code == 404
    assert client.post(url, {"kept": a.pk, "merged": a.pk}).status_code == 404
    distinct = reverse("workshops:distinct", args=["ML"])
    assert client.post(distinct, {"first": a.pk, "second": b.pk}).status_code == 404
    assert state() == before


# Who may --------------------------------------------------------------------------------------


@pytest.fixture
def doubt(first, second):
    a = add(first, "Fatoumata Diarra").participant
    b = add(second, "Diarra Fatoumata", phone="76 00 00 00").participant
    c = add(first, "Moussa Keïta").participant
    d = add(second, "Keïta Moussa", phone="66 00 00 00").participant
    merge = merges.participants_merge(kept=c, merged=d, by=None)
    return a, b, merge


def _requests(a, b, merge):
    return [
        ("get", reverse("workshops:duplicates", args=["ML"]), {}),
        ("post", reverse("workshops:merge", args=["ML"]), {"kept": a.pk, "merged": b.pk}),
        ("post", reverse("workshops:distinct", args=["ML"]), {"first": a.pk, "second": b.pk}),
        ("post", reverse("workshops:merge_undo", args=[merge.pk]), {}),
    ]


@pytest.mark.parametrize("kind", ["observer", "contributor", "regional"])
def test_others_who_read_the_country_may_not_decide(client, make_user, mali, doubt, kind):
    client.force_login(make_user(kind, mali if kind != "regional" else None))
    before = state()
    for method, url, data in _requests(*doubt):
        assert getattr(client, method)(url, data).status_code == 403, url
    assert state() == before
    assert Merge.objects.get().undone_at is None
    page = client.get(reverse("workshops:list", args=["ML"]))
    assert reverse("workshops:duplicates", args=["ML"]) not in page.content.decode()


def test_another_country_is_told_nothing_exists(client, make_user, senegal, doubt):
    client.force_login(make_user("coordinator", senegal))
    before = state()
    for method, url, data in _requests(*doubt):
        assert getattr(client, method)(url, data).status_code == 404, url
    assert state() == before


def test_a_partners_representative_is_told_nothing_exists(client, make_user, doubt):
    client.force_login(make_user("partner", OrganisationFactory(country=None)))
    before = state()
    for method, url, data in _requests(*doubt):
        assert getattr(client, method)(url, data).status_code == 404, url
    assert state() == before


def test_coordinators_and_administrators_decide(client, make_user, coordinator, doubt):
    for user in (coordinator, make_user("admin")):
        client.force_login(user)
        page = client.get(reverse("workshops:duplicates", args=["ML"]))
        assert page.status_code == 200
        assert len(page.context["proposals"]) == 1
    client.force_login(coordinator)
    page = client.get(reverse("workshops:list", args=["ML"]))
    assert reverse("workshops:duplicates", args=["ML"]) in page.content.decode()


# The page's cost ------------------------------------------------------------------------------


def _doubts(first, second, start, count):
    for index in range(start, start + count):
        add(first, f"Personne {index} Diarra", phone=f"76 00 {index:04d}")
        add(second, f"Diarra Personne {index}", phone=f"66 00 {index:04d}")


def test_the_page_reads_the_database_a_fixed_number_of_times(
    client, coordinator, first, second, django_assert_max_num_queries
):
    client.force_login(coordinator)
    url = reverse("workshops:duplicates", args=["ML"])
    client.get(url)  # warm up
    _doubts(first, second, 0, 3)
    kept, merged = Participant.objects.order_by("pk")[:2]
    merges.participants_merge(kept=kept, merged=merged, by=coordinator)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _doubts(first, second, 3, 27)
    with django_assert_max_num_queries(len(few)):
        response = client.get(url)
    assert len(response.context["proposals"]) == 29
