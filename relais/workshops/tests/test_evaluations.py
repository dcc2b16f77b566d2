"""The participants' evaluation, end to end: the form opened from a link without an account, one
answer per participant, nothing after the evaluation closes, the results per criterion, the
printable cards, who may, and the pages' cost."""

import gzip
import re
from datetime import date
from decimal import Decimal
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from relais.countries.tests.factories import CountryFactory
from relais.events.models import Event
from relais.workshops import evaluations
from relais.workshops.evaluations import CRITERIA, evaluation_submit, first_name, results
from relais.workshops.models import Evaluation, Participant, Participation
from relais.workshops.tests.test_workshops import french

pytestmark = pytest.mark.django_db
ALL_FIVE = {key: "5" for key, _label in CRITERIA}


def state():
    return {
        "evaluations": list(
            Evaluation.objects.order_by("pk").values_list(
                "pk", "participation_id", "ratings", "comments", "suggestions"
            )
        ),
        "closed": list(Event.objects.order_by("pk").values_list("pk", "evaluation_closed_at")),
        "history": Event.history.count(),
    }


@pytest.fixture
def coordinator(make_user, mali):
    return make_user("coordinator", mali)


def make_workshop(country, title="Formation des acteurs clés"):
    return Event.objects.create(
        kind=Event.Kind.TRAINING, country=country, title=title, starts_on=date(2018, 4, 24)
    )


def enrol(event, *names):
    return [
        Participation.objects.create(
            event=event, participant=Participant.objects.create(full_name=name)
        )
        for name in names
    ]


@pytest.fixture
def workshop(mali):
    return make_workshop(mali)


@pytest.fixture
def people(workshop):
    return enrol(workshop, "TRAORÉ Awa", "Moussa Keïta", "Fatoumata Diarra")


def link(participation):
    return reverse("workshops:evaluate", args=[participation.token])


def answer(**overrides):
    data = {**ALL_FIVE, "comments": "Les outils de plaidoyer", "suggestions": "Plus de temps"}
    data.update(overrides)
    return data


# The form, without an account ---------------------------------------------------------------


def test_a_participant_answers_from_their_link_without_an_account(people):
    client = Client(enforce_csrf_checks=True)
    page = client.get(link(people[0]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Formation des acteurs clés" in html and "Awa" in html
    assert "TRAORÉ" not in html  # the first name only
    assert html.count('type="radio"') == 5 * len(CRITERIA)
    assert page["Content-Language"] == "fr"  # Mali's first language
    assert "<script" not in html  # no script on a metered connection
    assert len(gzip.compress(page.content)) < 6_000
    token = client.cookies["csrftoken"].value
    response = client.post(
        link(people[0]), answer(relevance="4", csrfmiddlewaretoken=token, comments=" Utile ")
    )
    assert response.status_code == 302
    evaluation = Evaluation.objects.get()
    assert evaluation.participation == people[0]
    assert evaluation.ratings == {**{k: 5 for k, _l in CRITERIA}, "relevance": 4}
    assert evaluation.comments == "Utile"
    thanks = client.get(response["Location"])
    assert thanks.status_code == 200 and 'id="thanks"' in thanks.content.decode()


def test_a_post_without_the_csrf_token_is_refused(people):
    client = Client(enforce_csrf_checks=True)
    client.get(link(people[0]))
    assert client.post(link(people[0]), answer()).status_code == 403
    assert not Evaluation.objects.exists()


def test_the_form_speaks_the_countrys_first_language_or_the_one_chosen(mali):
    gambia = CountryFactory(code="GM", name="Gambia", languages=["en"])
    participation = enrol(make_workshop(gambia), "Lamin Jallow")[0]
    client = Client()
    page = client.get(link(participation))
    assert page["Content-Language"] == "en"
    assert "Lamin" in page.content.decode()
    client.cookies["django_language"] = "pt"
    assert client.get(link(participation))["Content-Language"] == "pt"


def test_every_criterion_must_be_rated(client, people):
    before = state()
    response = client.post(link(people[0]), answer(methods="", usefulness="9"))
    assert response.status_code == 200
    html = response.content.decode()
    message = french("Choose a rating from 1 to 5 for “%(criterion)s”.")
    assert html.count('class="error"') == 2
    assert 'aria-describedby="methods-e"' in html and 'id="usefulness-e"' in html
    assert message.split("%(")[0] in html
    # What was chosen comes back checked.
    assert re.search(r'name="relevance" value="5" required checked', html)
    assert state() == before
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        evaluation_submit(participation=people[0], ratings={"relevance": 3})
    assert refused.value.message_dict["facilitation"] == [
        "Choose a rating from 1 to 5 for “The facilitators were clear”."
    ]
    assert "relevance" not in refused.value.message_dict
    assert state() == before


def test_one_answer_per_participant(client, people):
    assert client.post(link(people[0]), answer()).status_code == 302
    before = state()
    response = client.post(link(people[0]), answer(relevance="1", comments="Changé"))
    assert response.status_code == 409
    assert 'id="refused"' in response.content.decode()
    assert state() == before
    with pytest.raises(ValidationError) as refused:
        evaluation_submit(participation=people[0], ratings=ALL_FIVE)
    assert refused.value.code == "answered"
    assert state() == before
    # Another participant still answers.
    assert client.post(link(people[1]), answer()).status_code == 302
    assert Evaluation.objects.count() == 2


def test_two_answers_sent_at_the_same_moment_make_one(people):
    # The second request read "not answered yet" before the first wrote: the database's
    # one-to-one constraint refuses it, and the participant is told.
    evaluation_submit(participation=people[0], ratings=ALL_FIVE)
    before = state()
    with (
        mock.patch.object(Evaluation.objects, "filter") as not_yet,
        pytest.raises(ValidationError) as refused,
    ):
        not_yet.return_value.exists.return_value = False
        evaluation_submit(participation=people[0], ratings=ALL_FIVE)
    assert refused.value.code == "answered"
    assert isinstance(refused.value.__cause__, IntegrityError)
    assert state() == before


def test_nothing_is_taken_once_the_evaluation_is_closed(client, coordinator, people):
    workshop = people[0].event
    anonymous = Client()
    assert anonymous.post(link(people[0]), answer()).status_code == 302
    client.force_login(coordinator)
    response = client.post(reverse("workshops:evaluation_close", args=[workshop.pk]))
    assert response.status_code == 302
    workshop.refresh_from_db()
    assert workshop.evaluation_closed_at is not None
    assert workshop.history.latest("history_id").history_user == coordinator
    before = state()
    page = anonymous.get(link(people[1]))
    assert page.status_code == 410 and 'id="closed"' in page.content.decode()
    assert 'type="radio"' not in page.content.decode()
    assert anonymous.post(link(people[1]), answer()).status_code == 410
    with pytest.raises(ValidationError) as refused:
        evaluation_submit(participation=people[1], ratings=ALL_FIVE)
    assert refused.value.code == "closed"
    assert state() == before
    # Reopened, answers are taken again.
    client.post(reverse("workshops:evaluation_close", args=[workshop.pk]), {"reopen": "1"})
    assert anonymous.post(link(people[1]), answer()).status_code == 302


def test_an_unknown_token_is_not_found(people, mali):
    client = Client()
    assert client.get(reverse("workshops:evaluate", args=["not-a-token"])).status_code == 404
    assert client.post(reverse("workshops:evaluate", args=["x" * 16]), answer()).status_code == 404
    assert not Evaluation.objects.exists()


# Results -----------------------------------------------------------------------------------


def test_results_per_criterion():
    rows = results(
        [
            {"relevance": 5, "facilitation": 4},
            {"relevance": 4, "facilitation": 4},
            {"relevance": 4, "facilitation": 9, "unknown": 3},
        ]
    )
    assert [r.key for r in rows] == [key for key, _label in CRITERIA]
    relevance, facilitation = rows[0], rows[1]
    assert (relevance.answers, relevance.mean, relevance.counts) == (
        3,
        Decimal("4.3"),
        (0, 0, 0, 2, 1),
    )
    assert (facilitation.answers, facilitation.mean) == (2, Decimal("4.0"))  # 9 is no rating
    assert rows[2].mean is None and rows[2].counts == (0, 0, 0, 0, 0)


def test_the_results_page(client, coordinator, people):
    for participation, mark in zip(people[:2], ("4", "2"), strict=True):
        evaluation_submit(
            participation=participation,
            ratings={**ALL_FIVE, "relevance": mark},
            comments=f"Commentaire {mark}",
        )
    client.force_login(coordinator)
    page = client.get(reverse("workshops:evaluation", args=[people[0].event_id]))
    assert page.status_code == 200
    assert (page.context["answer_count"], page.context["participant_count"]) == (2, 3)
    relevance, _segments = page.context["criteria"][0]
    assert relevance.mean == Decimal("3.0") and relevance.counts == (0, 1, 0, 1, 0)
    assert page.context["comments"] == ["Commentaire 4", "Commentaire 2"]
    html = page.content.decode()
    assert f"http://testserver/e/{people[2].token}/" in html
    answered = {p.pk: p.answered for p, _link in page.context["links"]}
    assert answered == {people[0].pk: True, people[1].pk: True, people[2].pk: False}
    assert 'id="evaluation-close"' in html


def test_the_cards_carry_each_participants_qr_code(client, coordinator, people):
    client.force_login(coordinator)
    page = client.get(reverse("workshops:evaluation_cards", args=[people[0].event_id]))
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count('<svg width="') == 3
    assert f"http://testserver/e/{people[1].token}/" in html
    assert "Moussa Keïta" in html


def test_first_names():
    assert first_name("TRAORÉ Awa") == "Awa"
    assert first_name("Awa Traoré") == "Awa"
    assert first_name("DIALLO Mamadou Lamine") == "Mamadou Lamine"
    assert first_name("SOW") == "SOW"
    assert first_name("") == ""


# Who may -----------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["observer", "contributor"])
def test_other_members_of_the_country_read_but_may_not_close_or_print(
    client, make_user, mali, people, kind
):
    workshop = people[0].event
    client.force_login(make_user(kind, mali))
    page = client.get(reverse("workshops:evaluation", args=[workshop.pk]))
    assert page.status_code == 200
    assert page.context["links"] is None
    assert people[0].token not in page.content.decode()
    before = state()
    assert client.post(reverse("workshops:evaluation_close", args=[workshop.pk])).status_code == 403
    assert client.get(reverse("workshops:evaluation_cards", args=[workshop.pk])).status_code == 403
    assert state() == before


def test_another_country_is_told_nothing_exists(client, make_user, senegal, people):
    workshop = people[0].event
    client.force_login(make_user("coordinator", senegal))
    before = state()
    for name in ("workshops:evaluation", "workshops:evaluation_cards"):
        assert client.get(reverse(name, args=[workshop.pk])).status_code == 404
    assert client.post(reverse("workshops:evaluation_close", args=[workshop.pk])).status_code == 404
    assert state() == before


def test_closing_takes_a_post(client, coordinator, people):
    client.force_login(coordinator)
    before = state()
    url = reverse("workshops:evaluation_close", args=[people[0].event_id])
    assert client.get(url).status_code == 405
    assert state() == before


# The pages' cost ---------------------------------------------------------------------------


def test_the_pages_read_the_database_a_fixed_number_of_times(
    client, coordinator, workshop, django_assert_max_num_queries
):
    few = enrol(workshop, *(f"Participant {i}" for i in range(3)))
    evaluation_submit(participation=few[0], ratings=ALL_FIVE, comments="Bien")
    client.force_login(coordinator)
    urls = [
        reverse("workshops:evaluation", args=[workshop.pk]),
        reverse("workshops:evaluation_cards", args=[workshop.pk]),
    ]
    counts = {}
    for url in urls:
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts[url] = len(queries)
    for participation in enrol(workshop, *(f"Personne {i}" for i in range(27))):
        evaluation_submit(participation=participation, ratings=ALL_FIVE, suggestions="Plus")
    for url in urls:
        with django_assert_max_num_queries(counts[url]):
            assert client.get(url).status_code == 200
    with django_assert_max_num_queries(4):
        assert Client().get(link(few[1])).status_code == 200


def test_the_criteria_are_translated():
    with translation.override("en"):
        assert str(evaluations.CRITERIA[0][1]) == "The content met my needs"
