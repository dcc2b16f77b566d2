"""A workshop's report: the page, the recommendations the coordinator writes, and the Word file,
whose figures are those of the pages; who may; the file in French, English and Arabic; and the
cost of both."""

import io
import zipfile
from datetime import date, time
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext

from relais.core.money import format_number
from relais.countries.models import Organisation
from relais.countries.tests.factories import OrganisationFactory
from relais.events.models import Event, Session
from relais.plans.tests.factories import plan_with_content
from relais.workshops import services
from relais.workshops.evaluations import event_results
from relais.workshops.learning import event_summary
from relais.workshops.models import Attendance, Evaluation, Participant, Participation
from relais.workshops.trained import disaggregate

pytestmark = pytest.mark.django_db

Kind = Organisation.Kind
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
SECTIONS = [
    "The workshop",
    "Objectives",
    "Agenda",
    "Participants",
    "Attendance",
    "What the participants learned",
    "Evaluation by the participants",
    "Recommendations",
    "Annex: list of participants",
]


D1, D2, D3 = date(2018, 5, 14), date(2018, 5, 15), date(2018, 5, 16)


def english_day(day):
    """ "Monday May 14, 2018": the weekday and the date as English writes them."""
    with translation.override("en"):
        return f"{date_format(day, 'l')} {date_format(day, 'DATE_FORMAT')}"


def french(msgid):
    with translation.override("fr"):
        return gettext(msgid)


def state(event):
    event.refresh_from_db()
    return {"recommendations": event.recommendations, "history": event.history.count()}


@pytest.fixture
def coordinator(make_user, mali):
    return make_user("coordinator", mali)


@pytest.fixture
def workshop(mali, coordinator):
    activity = plan_with_content(mali).objectives.get(position=1).activities.get(position=1)
    funder = OrganisationFactory(
        name="International Centre for Migration Policy Development",
        acronym="ICMPD",
        kind=Kind.PARTNER,
        country=None,
    )
    event = services.workshop_create(
        country=mali,
        by=coordinator,
        kind=Event.Kind.TRAINING,
        title="Formation des magistrats sur la loi de 2012",
        starts_on=date(2018, 5, 14),
        ends_on=date(2018, 5, 16),
        city="Ségou",
        venue="Centre Djoliba",
        funder=funder,
        organiser=mali.national_body,
        project="FMM West Africa",
        facilitators="Maître Keïta\nAwa Sidibé",
        objectives="Connaître la loi n° 2012-023\nIdentifier les victimes",
        activity=activity,
    )
    for day, starts, title in (
        (date(2018, 5, 14), time(9), "Ouverture"),
        (date(2018, 5, 14), time(10, 30), "La loi n° 2012-023"),
        (date(2018, 5, 15), time(9), "Études de cas"),
    ):
        Session.objects.create(
            event=event, day=day, starts_at=starts, title=title, facilitator="Maître Keïta"
        )
    return event


def participate(event, name, sex="", kind="", country=None, pre=None, post=None, days=(), **kw):
    participant = Participant.objects.create(
        full_name=name, sex=sex, organisation_kind=kind, country=country, **kw
    )
    participation = Participation.objects.create(
        event=event,
        participant=participant,
        pre_score=None if pre is None else Decimal(pre),
        post_score=None if post is None else Decimal(post),
    )
    for day in days:
        Attendance.objects.create(participation=participation, day=day)
    return participation


@pytest.fixture
def people(workshop, mali, senegal):
    d1, d2, d3 = D1, D2, D3
    awa = participate(
        workshop,
        "Awa Traoré",
        "F",
        Kind.CSO,
        mali,
        "8",
        "14.5",
        (d1, d2, d3),
        function="Juriste",
        organisation="AMDH",
        phone="+223 76 12 34 56",
        email="awa@example.org",
    )
    moussa = participate(
        workshop,
        "Moussa Keïta",
        "M",
        Kind.MINISTRY,
        mali,
        "10",
        "12",
        (d1, d2),
        function="Magistrat",
        organisation="Ministère de la Justice",
        email="moussa@example.org",
    )
    participate(workshop, "Fatou Diop", "F", "", senegal, "12", "11", (d1,))
    participate(workshop, "Quelqu'un")
    Evaluation.objects.create(
        participation=awa,
        ratings={key: 5 for key in ("relevance", "facilitation", "methods")}
        | {"organisation": 4, "usefulness": 5},
        comments="Les études de cas",
        suggestions="Plus de temps pour les questions",
    )
    Evaluation.objects.create(
        participation=moussa,
        ratings={
            "relevance": 4,
            "facilitation": 4,
            "methods": 3,
            "organisation": 2,
            "usefulness": 4,
        },
    )
    return workshop


def _docx(response):
    from docx import Document

    return Document(io.BytesIO(response.content))


def _xml(response):
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        return archive.read("word/document.xml").decode()


def _table(document, first_header):
    """The rows (lists of cell texts) of the table whose first header cell is `first_header`."""
    for table in document.tables:
        rows = [[cell.text for cell in row.cells] for row in table.rows]
        if rows and rows[0][0] == first_header:
            return rows
    raise AssertionError(f"no table headed {first_header!r}")


def _download(client, event, **params):
    return client.get(reverse("workshops:report_docx", args=[event.pk]), params)


# The Word file --------------------------------------------------------------------------------


def test_the_word_file_says_what_the_pages_say(client, make_user, mali, people):
    client.force_login(make_user("observer", mali, language="en"))
    response = _download(client, people)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="rapport-formation-des-magistrats-sur-la-loi-de-2012.docx"'
    )
    document = _docx(response)
    paragraphs = [p.text for p in document.paragraphs]
    assert paragraphs[:2] == ["RÉPUBLIQUE DU MALI", "Un Peuple – Un But – Une Foi"]

    # Real heading styles, so that Word's navigation pane shows them.
    headings = [
        (p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("Heading")
    ]
    assert [text for style, text in headings if style == "Heading 1"] == [people.title]
    assert [text for style, text in headings if style == "Heading 2"] == SECTIONS
    assert ("Heading 3", english_day(D1)) in headings
    assert ("Heading 3", english_day(D2)) in headings

    text = "\n".join(paragraphs)
    for fact in (
        "Ségou",
        "Centre Djoliba",
        "ICMPD",
        "FMM West Africa",
        "Maître Keïta, Awa Sidibé",
        "Connaître la loi n° 2012-023",
        "Identifier les victimes",
        "Les études de cas",
        "Plus de temps pour les questions",
        people.activity.title,
    ):
        assert fact in text, fact

    assert _table(document, "Time")[1:] == [
        ["09:00", "Ouverture", "Maître Keïta"],
        ["10:30", "La loi n° 2012-023", "Maître Keïta"],
    ]

    # The same figures as the selectors.
    def n(value, places=0):
        return format_number(value, places, "en")

    with translation.override("en"):
        figures = disaggregate(people.participations.all())
        learning = event_summary(people)
        evaluation = event_results(people)
    assert _table(document, "Participants")[1:] == [
        ["People trained", n(figures.people)],
        ["Women", n(figures.women)],
        ["Men", n(figures.men)],
        ["Sex not stated", n(figures.not_stated)],
    ]
    assert (figures.people, figures.women, figures.men, figures.not_stated) == (4, 2, 1, 1)
    assert _table(document, "Type of organisation")[1:] == [
        [line.label, n(line.women), n(line.men), n(line.unknown), n(line.people)]
        for line in figures.by_kind
    ] + [["Total", "2", "1", "1", "4"]]
    assert _table(document, "Country")[1:] == [
        ["Mali", "2"],
        ["Senegal", "1"],
        ["Not stated", "1"],
        ["Total", "4"],
    ]
    assert _table(document, "Day")[1:] == [
        [english_day(D1), "3"],
        [english_day(D2), "2"],
        [english_day(D3), "1"],
    ]
    learned = dict(_table(document, "Figure")[1:])
    assert learned["Average before (pre-test)"] == n(learning.pre_mean, 2) == "10.00"
    assert learned["Average after (post-test)"] == n(learning.post_mean, 2) == "12.50"
    assert learned["Average gain ± standard deviation"] == (
        f"{n(learning.gain_mean, 2)} ± {n(learning.gain_sd, 2)}"
    )
    assert learned["Improved their score"] == "2 of 3"
    assert _table(document, "Criterion")[1:] == [
        [result.label, n(result.mean, 1), n(result.answers)] for result in evaluation
    ]
    annex = _table(document, "No.")
    assert annex[1:] == [
        ["1", "Awa Traoré", "Woman", "AMDH", "Juriste"],
        ["2", "Fatou Diop", "Woman", "", ""],
        ["3", "Moussa Keïta", "Man", "Ministère de la Justice", "Magistrat"],
        ["4", "Quelqu'un", "", "", ""],
    ]
    # Never a phone or an email.
    xml = _xml(response)
    for contact in ("76 12 34 56", "awa@example.org", "moussa@example.org", "@"):
        assert contact not in xml, contact


def test_the_word_file_is_in_the_readers_language_or_the_one_asked(client, coordinator, people):
    client.force_login(coordinator)  # reads Relais in French
    headings = [
        p.text for p in _docx(_download(client, people)).paragraphs if p.style.name == "Heading 2"
    ]
    assert headings == [french(section) for section in SECTIONS]
    english = _docx(_download(client, people, lang="en"))
    assert [p.text for p in english.paragraphs if p.style.name == "Heading 2"] == SECTIONS
    assert english.core_properties.language == "en"
    # A language the platform does not speak falls back to the reader's.
    assert _docx(_download(client, people, lang="xx")).core_properties.language == "fr"


def test_an_arabic_report_runs_right_to_left(client, make_user, mali, people):
    client.force_login(make_user("observer", mali, language="ar"))
    document = _docx(_download(client, people))
    assert document.core_properties.language == "ar"
    heading = next(p for p in document.paragraphs if p.style.name == "Heading 1")
    assert heading._p.pPr.find(f"{W}bidi") is not None
    assert all(run.font.rtl for run in heading.runs)
    body = [p for p in document.paragraphs if p.text]
    assert all(p._p.pPr is not None and p._p.pPr.find(f"{W}bidi") is not None for p in body)
    assert all("bidiVisual" in table._tbl.xml for table in document.tables)
    cell = document.tables[0].rows[1].cells[0].paragraphs[0]
    assert cell._p.pPr.find(f"{W}bidi") is not None and cell.runs[0].font.rtl
    # A French reader's file is left to right.
    client.force_login(make_user("observer", mali))
    french_file = _docx(_download(client, people))
    assert not any("bidiVisual" in table._tbl.xml for table in french_file.tables)


def test_the_national_bodys_logo_heads_the_report(
    client, coordinator, mali, people, settings, tmp_path
):
    from PIL import Image

    settings.MEDIA_ROOT = tmp_path
    png = io.BytesIO()
    Image.new("RGB", (40, 20), "navy").save(png, "PNG")
    body = mali.national_body
    body.logo = SimpleUploadedFile("logo.png", png.getvalue(), content_type="image/png")
    body.save()
    client.force_login(coordinator)
    document = _docx(_download(client, people))
    assert len(document.inline_shapes) == 1
    # A logo whose file is gone leaves the report whole, without it.
    (tmp_path / body.logo.name).unlink()
    response = _download(client, people)
    assert response.status_code == 200
    assert len(_docx(response).inline_shapes) == 0


def test_an_empty_workshop_has_a_report_too(client, coordinator, workshop, mali):
    mali.national_body.letterhead = ""
    mali.national_body.save()
    Session.objects.all().delete()
    client.force_login(coordinator)
    assert client.get(reverse("workshops:report", args=[workshop.pk])).status_code == 200
    document = _docx(_download(client, workshop, lang="en"))
    text = [p.text for p in document.paragraphs]
    assert "No session on the agenda." in text
    assert "No test score was recorded." in text
    assert "No evaluation was received." in text


# The page and the recommendations -------------------------------------------------------------


def test_the_report_page_shows_what_the_report_contains(client, make_user, mali, people):
    client.force_login(make_user("observer", mali, language="en"))
    page = client.get(reverse("workshops:report", args=[people.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert f'href="{reverse("workshops:report_docx", args=[people.pk])}?lang=en"' in html
    assert f'href="{reverse("workshops:report_docx", args=[people.pk])}?lang=fr"' in html
    assert f'<a href="{reverse("workshops:report", args=[people.pk])}" aria-current="page"' in html
    report = page.context["report"]
    assert report.people.people == 4 and report.answers == 2
    assert "Participants: 4 people (women: 2, men: 1)" in html
    assert 'name="recommendations"' not in html  # an observer reads them
    assert "76 12 34 56" not in html and "awa@example.org" not in html


def test_the_coordinator_writes_the_recommendations(client, coordinator, people):
    client.force_login(coordinator)
    url = reverse("workshops:report", args=[people.pk])
    assert 'name="recommendations"' in client.get(url).content.decode()
    response = client.post(
        url, {"recommendations": "  Former les greffiers\nTraduire la loi en bambara  "}
    )
    assert response.status_code == 302
    assert response["Location"] == url + "#recommendations"
    people.refresh_from_db()
    assert people.recommendations == "Former les greffiers\nTraduire la loi en bambara"
    record = people.history.order_by("-history_id").first()
    assert (record.history_user, record.recommendations) == (coordinator, people.recommendations)
    document = _docx(_download(client, people))
    paragraphs = [p.text for p in document.paragraphs]
    start = paragraphs.index(french("Recommendations"))
    assert paragraphs[start + 1 : start + 3] == [
        "Former les greffiers",
        "Traduire la loi en bambara",
    ]


@pytest.mark.parametrize("kind", ["observer", "contributor", "regional"])
def test_other_members_read_the_report_but_may_not_write_it(client, make_user, mali, people, kind):
    client.force_login(make_user(kind, None if kind == "regional" else mali))
    url = reverse("workshops:report", args=[people.pk])
    assert client.get(url).status_code == 200
    assert _download(client, people).status_code == 200
    before = state(people)
    assert client.post(url, {"recommendations": "Rien"}).status_code == 403
    assert state(people) == before


def test_another_country_is_told_nothing_exists(client, make_user, senegal, people):
    client.force_login(make_user("coordinator", senegal))
    before = state(people)
    url = reverse("workshops:report", args=[people.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"recommendations": "Rien"}).status_code == 404
    assert _download(client, people).status_code == 404
    assert state(people) == before


def test_a_round_table_has_no_workshop_report(client, coordinator, mali):
    plan = plan_with_content(mali)
    table = Event.objects.create(
        kind=Event.Kind.ROUND_TABLE, country=mali, plan=plan, title="T", starts_on=date(2018, 3, 1)
    )
    client.force_login(coordinator)
    assert client.get(reverse("workshops:report", args=[table.pk])).status_code == 404
    assert _download(client, table).status_code == 404


# The cost -------------------------------------------------------------------------------------


def _more(event, start, count):
    for n in range(start, start + count):
        participate(
            event,
            f"Personne {n:03d}",
            "FM"[n % 2],
            Kind.CSO,
            None,
            "5",
            "9",
            (date(2018, 5, 14),),
        )


def test_the_page_and_the_file_read_the_database_a_fixed_number_of_times(
    client, coordinator, workshop, django_assert_max_num_queries
):
    client.force_login(coordinator)
    _more(workshop, 0, 3)
    urls = [
        reverse("workshops:report", args=[workshop.pk]),
        reverse("workshops:report_docx", args=[workshop.pk]),
    ]
    counts = {}
    for url in urls:
        client.get(url)
        with CaptureQueriesContext(connection) as few:
            assert client.get(url).status_code == 200
        counts[url] = len(few)
    _more(workshop, 3, 27)
    for url in urls:
        with django_assert_max_num_queries(counts[url]):
            assert client.get(url).status_code == 200
    page = client.get(urls[0])
    assert page.context["report"].people.people == 30
