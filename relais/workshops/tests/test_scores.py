"""Pre-test and post-test scores, end to end: the grid a coordinator fills in, the full mark, the
import from a spreadsheet or pasted rows, bad input said where it is with nothing saved, who
may, and the page's cost."""

import io
import re
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from relais.events.models import Event
from relais.workshops import learning
from relais.workshops.models import Participant, Participation

pytestmark = pytest.mark.django_db
D = Decimal


def french(msgid):
    with translation.override("fr"):
        return gettext(msgid)


def state():
    """What a refused or failed request must leave as it was."""
    return {
        "scores": list(
            Participation.objects.order_by("pk").values_list("pk", "pre_score", "post_score")
        ),
        "score_max": list(Event.objects.order_by("pk").values_list("pk", "score_max")),
        "history": Participation.history.count() + Event.history.count(),
    }


@pytest.fixture
def coordinator(make_user, mali):
    return make_user("coordinator", mali)


def make_workshop(country, title="Formation des magistrats"):
    return Event.objects.create(
        kind=Event.Kind.TRAINING,
        country=country,
        title=title,
        starts_on=date(2018, 4, 24),
        ends_on=date(2018, 4, 25),
    )


def enrol(event, *names):
    participations = []
    for name in names:
        participant = Participant.objects.create(full_name=name, country=event.country)
        participations.append(Participation.objects.create(event=event, participant=participant))
    return participations


@pytest.fixture
def workshop(mali):
    return make_workshop(mali)


@pytest.fixture
def people(workshop):
    return enrol(workshop, "Awa Traoré", "Moussa Keïta", "Fatoumata Diarra")


def grid(people, **scores):
    """The grid's inputs: every participation's two scores, empty unless given as
    pre_0="12", post_2="15"."""
    data = {}
    for index, participation in enumerate(people):
        for field in ("pre", "post"):
            data[f"{field}-{participation.pk}"] = scores.get(f"{field}_{index}", "")
    return data


# The grid ----------------------------------------------------------------------------------


def test_a_coordinator_enters_the_scores_and_sees_the_gain(client, coordinator, workshop, people):
    client.force_login(coordinator)
    url = reverse("workshops:scores", args=[workshop.pk])
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert f'name="pre-{people[0].pk}"' in html and 'step="0.25"' in html and 'max="20"' in html
    response = client.post(
        url, grid(people, pre_0="8", post_0="12,5", pre_1="10.25", post_1="12", pre_2="9")
    )
    assert response.status_code == 302
    scores = dict(Participation.objects.values_list("pk", "pre_score"))
    assert scores[people[0].pk] == D("8") and scores[people[1].pk] == D("10.25")
    assert Participation.objects.get(pk=people[0].pk).post_score == D("12.5")
    summary = client.get(url).context["summary"]
    assert (summary.paired, summary.gain_mean) == (2, D("3.13"))  # (4.5 + 1.75) / 2 = 3.125
    # Who entered them is in the history; saving again changes nothing and records nothing.
    record = Participation.history.filter(id=people[0].pk).latest("history_id")
    assert record.history_user == coordinator and record.pre_score == D("8")
    count = Participation.history.count()
    client.post(url, grid(people, pre_0="8", post_0="12.50", pre_1="10.25", post_1="12", pre_2="9"))
    assert Participation.history.count() == count


def test_a_coordinator_sets_the_full_mark(client, coordinator, workshop, people):
    client.force_login(coordinator)
    url = reverse("workshops:scores", args=[workshop.pk])
    client.post(url, {"score_max": "100"})
    workshop.refresh_from_db()
    assert workshop.score_max == D("100")
    assert workshop.history.latest("history_id").history_user == coordinator
    client.post(url, grid(people, pre_0="80", post_0="95"))
    # Lowering it below a score kept is refused, and said.
    before = state()
    response = client.post(url, {"score_max": "50"})
    assert response.status_code == 200
    assert "Awa Traoré" in response.context["max_error"]
    assert state() == before
    response = client.post(url, {"score_max": "0"})
    assert response.context["max_error"]
    assert state() == before


def test_a_score_out_of_range_is_said_and_nothing_is_saved(client, coordinator, workshop, people):
    client.force_login(coordinator)
    url = reverse("workshops:scores", args=[workshop.pk])
    client.post(url, grid(people, pre_0="10"))
    before = state()
    response = client.post(
        url, grid(people, pre_0="12", post_0="25", pre_1="-2", post_2="treize", pre_2="9")
    )
    assert response.status_code == 200
    errors = response.context["errors"]
    assert errors[f"post-{people[0].pk}"].startswith("Awa Traoré")
    assert "25" in errors[f"post-{people[0].pk}"] and "20" in errors[f"post-{people[0].pk}"]
    assert set(errors) == {f"post-{people[0].pk}", f"pre-{people[1].pk}", f"post-{people[2].pk}"}
    html = response.content.decode()
    # What was typed comes back, at its input, with the error beside it.
    assert re.search(rf'name="post-{people[2].pk}"[^>]*value="treize"', html)
    assert f'aria-describedby="post-{people[0].pk}-e"' in html
    assert state() == before
    # The service says it in English too, naming the participant and the test.
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        learning.scores_save(event=workshop, by=coordinator, scores={people[0].pk: ("12", "25")})
    assert refused.value.message_dict == {
        f"post-{people[0].pk}": ["Awa Traoré, post-test: 25 is above the full mark, 20."]
    }
    assert state() == before


def test_a_participation_of_another_workshop_is_refused(
    client, coordinator, workshop, people, mali
):
    other = enrol(make_workshop(mali, "Autre atelier"), "Ibrahim Maïga")[0]
    client.force_login(coordinator)
    before = state()
    data = grid(people, pre_0="10")
    data[f"pre-{other.pk}"] = "12"
    response = client.post(reverse("workshops:scores", args=[workshop.pk]), data)
    assert response.status_code == 200
    assert response.context["general_errors"]
    assert state() == before


# Importing ---------------------------------------------------------------------------------


def xlsx(rows):
    import xlsxwriter

    output = io.BytesIO()
    book = xlsxwriter.Workbook(output, {"in_memory": True})
    sheet = book.add_worksheet("Tests")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value not in ("", None):
                sheet.write(r, c, value)
    book.close()
    return SimpleUploadedFile("scores.xlsx", output.getvalue())


def test_scores_are_imported_by_name_whatever_the_accents_and_order(
    client, coordinator, workshop, people
):
    client.force_login(coordinator)
    people[2].pre_score = D("7")
    people[2].save()
    upload = xlsx(
        [
            ["Atelier de Ségou — résultats des tests"],
            [],
            ["N°", "Nom et prénom(s)", "Pré-test (/20)", "Post-test (/20)"],
            [1, "TRAORE Awa", 8, 12.5],
            [2, "keita moussa", "10,25", 14],
            [3, "Fatoumata DIARRA", "", 11],
        ]
    )
    response = client.post(reverse("workshops:scores_import", args=[workshop.pk]), {"file": upload})
    assert response.status_code == 302, response.context and response.context["problems"]
    scores = {
        p.participant.full_name: (p.pre_score, p.post_score)
        for p in Participation.objects.select_related("participant")
    }
    assert scores == {
        "Awa Traoré": (D("8"), D("12.5")),
        "Moussa Keïta": (D("10.25"), D("14")),
        "Fatoumata Diarra": (D("7"), D("11")),  # the empty cell kept the score recorded
    }


def test_pasted_rows_with_titles_in_other_languages(client, coordinator, workshop, people):
    client.force_login(coordinator)
    url = reverse("workshops:scores_import", args=[workshop.pk])
    pasted = "Participant\tAvant\tAprès\nAwa Traoré\t9\t13\nMoussa Keita\t11\t12\n"
    assert client.post(url, {"rows": pasted}).status_code == 302
    assert Participation.objects.get(pk=people[0].pk).post_score == D("13")
    arabic = "الاسم;الاختبار القبلي;الاختبار البعدي\nFatoumata Diarra;5;9,5\n"
    assert client.post(url, {"rows": arabic}).status_code == 302
    assert Participation.objects.get(pk=people[2].pk).post_score == D("9.5")
    # Without titles: name, pre-test, post-test.
    assert client.post(url, {"rows": "Awa Traoré\t10\t14"}).status_code == 302
    assert Participation.objects.get(pk=people[0].pk).pre_score == D("10")


def test_import_problems_are_listed_by_row_and_column_and_nothing_is_saved(
    client, coordinator, workshop, people, mali
):
    enrol(workshop, "Awa Traore")  # a second Awa Traoré on the list: which one?
    client.force_login(coordinator)
    before = state()
    upload = xlsx(
        [
            ["Nom", "Pre-test", "Post-test"],
            ["Moussa Keïta", 8, 25],
            ["Inconnu Total", 10, 12],
            ["Awa Traoré", 10, 12],
            ["Fatoumata Diarra", "dix", 12],
            ["", 4, 5],
            ["Moussa Keita", 9, 10],
        ]
    )
    response = client.post(reverse("workshops:scores_import", args=[workshop.pk]), {"file": upload})
    assert response.status_code == 200
    problems = response.context["problems"]
    where = [re.match(r"\D*(\d+)\D*([A-Z])\b", p).groups() for p in problems]
    assert where == [("2", "C"), ("3", "A"), ("4", "A"), ("5", "B"), ("6", "A"), ("7", "A")]
    assert "Inconnu Total" in problems[1] and "Fatoumata Diarra" in problems[3]
    assert state() == before
    # No titles found: said, nothing saved.
    response = client.post(
        reverse("workshops:scores_import", args=[workshop.pk]),
        {"file": SimpleUploadedFile("x.csv", b"a;b\nc;d\n")},
    )
    assert response.status_code == 200 and len(response.context["problems"]) == 1
    response = client.post(reverse("workshops:scores_import", args=[workshop.pk]), {})
    assert response.context["form"].errors
    assert state() == before


# Who may -----------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["observer", "contributor"])
def test_other_members_of_the_country_read_but_may_not_change(
    client, make_user, mali, workshop, people, kind
):
    client.force_login(make_user(kind, mali))
    page = client.get(reverse("workshops:scores", args=[workshop.pk]))
    assert page.status_code == 200
    assert "<input" not in page.content.decode().split('id="scores"')[1]
    assert "Awa Traoré" in page.content.decode()
    before = state()
    url = reverse("workshops:scores", args=[workshop.pk])
    assert client.post(url, grid(people, pre_0="10")).status_code == 403
    assert client.post(url, {"score_max": "10"}).status_code == 403
    url = reverse("workshops:scores_import", args=[workshop.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"rows": "Awa Traoré\t10\t14"}).status_code == 403
    assert state() == before


def test_another_country_is_told_nothing_exists(client, make_user, senegal, workshop, people):
    client.force_login(make_user("coordinator", senegal))
    before = state()
    for name in ("workshops:scores", "workshops:scores_import"):
        url = reverse(name, args=[workshop.pk])
        assert client.get(url).status_code == 404
        assert client.post(url, grid(people, pre_0="10")).status_code == 404
    assert state() == before


def test_a_funders_representative_reads_the_figures_not_each_persons(
    client, make_user, mali, workshop, people
):
    from relais.countries.tests.factories import OrganisationFactory

    funder = OrganisationFactory(country=None)
    workshop.funder = funder
    workshop.save()
    client.force_login(make_user("partner", funder))
    page = client.get(reverse("workshops:scores", args=[workshop.pk]))
    assert page.status_code == 200
    assert page.context["summary"].participants == 3
    assert "Awa Traoré" not in page.content.decode()


# The page's cost ---------------------------------------------------------------------------


def test_the_page_reads_the_database_a_fixed_number_of_times(
    client, coordinator, workshop, django_assert_max_num_queries
):
    people = enrol(workshop, *(f"Participant {i}" for i in range(3)))
    Participation.objects.update(pre_score=8, post_score=12)
    client.force_login(coordinator)
    url = reverse("workshops:scores", args=[workshop.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    enrol(workshop, *(f"Personne {i}" for i in range(27)))
    with django_assert_max_num_queries(len(few)):
        assert client.get(url).status_code == 200
    # Saving 30 rows costs no more queries than saving 3.
    with CaptureQueriesContext(connection) as three:
        client.post(url, grid(people, pre_0="9", pre_1="9", pre_2="9"))
    everyone = list(workshop.participations.all())
    with django_assert_max_num_queries(len(three)):
        client.post(url, {f"pre-{p.pk}": "10" for p in everyone})
    assert set(workshop.participations.values_list("pre_score", flat=True)) == {D("10")}


def test_three_hundred_rows_stay_small(client, coordinator, workshop):
    import gzip

    enrol(workshop, *(f"Participante numéro {i} Traoré" for i in range(300)))
    Participation.objects.update(pre_score=D("8.5"), post_score=D("13.25"))
    client.force_login(coordinator)
    body = client.get(reverse("workshops:scores", args=[workshop.pk])).content
    assert len(gzip.compress(body)) < 30_000
