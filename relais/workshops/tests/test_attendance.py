"""Attendance per day, end to end: the grid a coordinator ticks and saves (replacing what was
there), a day outside the workshop or a stranger refused with nothing saved, who may, the
page's cost, and the attendance sheet (PDF) participants sign."""

import re
from datetime import date
from html import unescape

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format

from relais.core.pdf import render_copies
from relais.core.tests.test_pdf import pdf_pages, texts
from relais.countries.models import Organisation
from relais.countries.tests.factories import OrganisationFactory
from relais.events.models import Event
from relais.workshops import services
from relais.workshops.attendance import attendance_save, attendance_sheet, workshop_days
from relais.workshops.models import Attendance, Participant, Participation

pytestmark = pytest.mark.django_db

MON, TUE, WED, THU = (date(2018, 5, d) for d in (14, 15, 16, 17))


@pytest.fixture
def coordinator(make_user, mali):
    return make_user("coordinator", mali, language="en")


@pytest.fixture
def funder(db):
    return OrganisationFactory(
        name="International Centre for Migration Policy Development",
        acronym="ICMPD",
        kind=Organisation.Kind.PARTNER,
        country=None,
    )


@pytest.fixture
def workshop(mali, coordinator, funder):
    return services.workshop_create(
        country=mali,
        by=coordinator,
        kind=Event.Kind.TRAINING,
        title="Formation des magistrats sur la loi de 2012",
        starts_on=MON,
        ends_on=WED,
        city="Ségou",
        venue="Centre Djoliba",
        funder=funder,
    )


def enrol(workshop, count, start=0):
    """`count` participants of `workshop`, alternately women and men; their participations."""
    participations = []
    for n in range(start, start + count):
        person = Participant.objects.create(
            full_name=f"Participant {n:03d} Traoré",
            sex=Participant.Sex.WOMAN if n % 2 == 0 else Participant.Sex.MAN,
            organisation=f"Tribunal de grande instance {n}",
            function="Magistrat",
            phone=f"+223 76 00 {n:02d} {n:02d}",
            email=f"p{n}@justice.ml",
        )
        participations.append(Participation.objects.create(event=workshop, participant=person))
    return participations


def value(participation, day):
    return f"{participation.pk}:{day.isoformat()}"


def state():
    """What a refused request must leave as it was."""
    return {
        "attendance": sorted(
            Attendance.objects.values_list("pk", "participation_id", "day", named=False)
        ),
        "history": Attendance.history.count(),
    }


def marked(workshop):
    return set(
        Attendance.objects.filter(participation__event=workshop).values_list(
            "participation_id", "day"
        )
    )


def alert(response):
    """The text of the page's error block."""
    block = re.search(
        r'<div class="msg msg-error" role="alert"[^>]*>(.*?)</div>', response.content.decode(), re.S
    )
    assert block, "no error shown"
    return unescape(re.sub(r"<[^>]+>", " ", block.group(1)))


# Marking --------------------------------------------------------------------------------------


def test_the_days_of_a_workshop(workshop):
    assert workshop_days(workshop) == [MON, TUE, WED]
    workshop.ends_on = None
    assert workshop_days(workshop) == [MON]


def test_a_coordinator_marks_the_attendance_then_corrects_it(client, coordinator, workshop):
    awa, bakary, coumba = enrol(workshop, 3)  # a woman, a man, a woman
    client.force_login(coordinator)
    url = reverse("workshops:attendance", args=[workshop.pk])
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count('type="checkbox" name="present"') == 9
    assert f'value="{value(awa, MON)}"' in html
    assert 'id="attendance"' in html

    first = {value(awa, MON), value(awa, TUE), value(bakary, MON), value(coumba, WED)}
    response = client.post(url, {"present": sorted(first)})
    assert response.status_code == 302
    assert response["Location"] == url
    assert marked(workshop) == {(awa.pk, MON), (awa.pk, TUE), (bakary.pk, MON), (coumba.pk, WED)}

    page = client.get(url)
    html = page.content.decode()
    assert html.count(" checked>") == 4
    grid = page.context["grid"]
    assert [(t.present, t.women, t.men) for t in grid.totals] == [(2, 1, 1), (1, 1, 0), (1, 1, 0)]
    assert [(row.participant, row.days) for row in grid.rows] == [
        (awa.participant, 2),
        (bakary.participant, 1),
        (coumba.participant, 1),
    ]

    # Sent again from the signed sheets: Awa was not there on Tuesday, Bakary came on Wednesday.
    second = (first - {value(awa, TUE)}) | {value(bakary, WED)}
    assert client.post(url, {"present": sorted(second)}).status_code == 302
    assert marked(workshop) == {(awa.pk, MON), (bakary.pk, MON), (bakary.pk, WED), (coumba.pk, WED)}
    # Who added and removed what is in the history.
    history = Attendance.history.order_by("history_id")
    assert [(h.history_type, h.history_user) for h in history].count(("+", coordinator)) == 5
    removed = history.filter(history_type="-").get()
    assert (removed.participation_id, removed.day, removed.history_user) == (
        awa.pk,
        TUE,
        coordinator,
    )

    # Nothing ticked: nobody was present.
    assert client.post(url, {}).status_code == 302
    assert marked(workshop) == set()


def test_everyone_present_on_a_day_keeps_the_other_ticks(client, coordinator, workshop):
    people = enrol(workshop, 4)
    client.force_login(coordinator)
    url = reverse("workshops:attendance", args=[workshop.pk])
    response = client.post(url, {"present": [value(people[0], WED)], "day": TUE.isoformat()})
    assert response.status_code == 302
    assert marked(workshop) == {(p.pk, TUE) for p in people} | {(people[0].pk, WED)}


def test_the_service_replaces_the_attendance_in_one_go(coordinator, workshop):
    awa, bakary = enrol(workshop, 2)
    assert attendance_save(event=workshop, by=coordinator, marks={(awa.pk, MON)}) == (1, 0)
    marks = {(awa.pk, TUE), (bakary.pk, TUE)}
    assert attendance_save(event=workshop, by=coordinator, marks=marks) == (2, 1)
    assert marked(workshop) == marks


def test_the_dates_cannot_leave_out_a_day_someone_was_present(coordinator, workshop):
    """Shortening the workshop past a day with presences would drop them silently."""
    (awa,) = enrol(workshop, 1)
    attendance_save(event=workshop, by=coordinator, marks={(awa.pk, WED)})
    fields = {"kind": workshop.kind, "title": workshop.title, "city": workshop.city}
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.workshop_update(
            event=workshop, by=coordinator, starts_on=MON, ends_on=TUE, **fields
        )
    assert refused.value.message_dict == {
        "ends_on": [
            "Participants were recorded present on May 16, 2018, outside these dates: change "
            "the attendance first."
        ]
    }
    workshop.refresh_from_db()
    assert workshop.ends_on == WED and marked(workshop) == {(awa.pk, WED)}
    # Moving the start is refused the same way, on the start.
    services.workshop_update(event=workshop, by=coordinator, starts_on=MON, ends_on=THU, **fields)
    with pytest.raises(ValidationError) as refused:
        services.workshop_update(
            event=workshop, by=coordinator, starts_on=THU, ends_on=THU, **fields
        )
    assert list(refused.value.message_dict) == ["starts_on"]


# Bad input ------------------------------------------------------------------------------------


def test_a_day_outside_the_workshop_is_refused_and_nothing_saved(client, coordinator, workshop):
    awa, bakary = enrol(workshop, 2)
    attendance_save(event=workshop, by=coordinator, marks={(awa.pk, MON)})
    client.force_login(coordinator)
    url = reverse("workshops:attendance", args=[workshop.pk])
    before = state()
    for day in (THU, date(2018, 5, 13)):
        # A crafted form: Bakary on a day after (or before) the workshop, beside good ticks.
        data = {"present": [value(awa, TUE), value(bakary, MON), value(bakary, day)]}
        response = client.post(url, data)
        assert response.status_code == 200
        with translation.override("en"):
            said = alert(response)
            assert date_format(day, "DATE_FORMAT") in said
            assert date_format(MON, "DATE_FORMAT") in said
            assert date_format(WED, "DATE_FORMAT") in said
        assert "Nothing was saved." in said
        assert state() == before
        # The grid shows what was sent, so that nothing ticked is lost.
        html = response.content.decode()
        assert f'value="{value(awa, TUE)}" aria-labelledby="p{awa.pk} d1" checked' in html
    # "All present" on a day after the workshop too.
    response = client.post(url, {"day": THU.isoformat()})
    assert response.status_code == 200
    with translation.override("en"):
        assert date_format(THU, "DATE_FORMAT") in alert(response)
    assert state() == before
    # And a one-day workshop says so.
    workshop.ends_on = None
    workshop.save()
    with translation.override("en"), pytest.raises(Exception) as refused:
        attendance_save(event=workshop, by=coordinator, marks={(awa.pk, TUE)})
    assert "The workshop is on May 14, 2018, not on May 15, 2018" in refused.value.messages[0]
    assert state() == before


def test_a_participant_of_another_workshop_is_refused(client, coordinator, mali, workshop):
    (awa,) = enrol(workshop, 1)
    other = services.workshop_create(
        country=mali, by=coordinator, kind="training", title="Autre atelier", starts_on=MON
    )
    (stranger,) = enrol(other, 1, start=50)
    client.force_login(coordinator)
    before = state()
    url = reverse("workshops:attendance", args=[workshop.pk])
    response = client.post(url, {"present": [value(awa, MON), value(stranger, MON)]})
    assert response.status_code == 200
    assert "not at this workshop" in alert(response)
    assert state() == before


@pytest.mark.parametrize("sent", [["12"], ["x:2018-05-14"], ["1:14/05/2018"], ["1:"]])
def test_a_value_that_is_not_a_participant_and_a_day(client, coordinator, workshop, sent):
    enrol(workshop, 1)
    client.force_login(coordinator)
    before = state()
    response = client.post(reverse("workshops:attendance", args=[workshop.pk]), {"present": sent})
    assert response.status_code == 200
    assert "is not a participant and a day" in alert(response)
    response = client.post(reverse("workshops:attendance", args=[workshop.pk]), {"day": "demain"})
    assert "This is not a day" in alert(response)
    assert state() == before


# Who may --------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["observer", "contributor"])
def test_other_members_read_the_grid_but_may_not_save_it(
    client, make_user, mali, coordinator, workshop, kind
):
    awa, bakary = enrol(workshop, 2)
    attendance_save(event=workshop, by=coordinator, marks={(awa.pk, MON), (bakary.pk, TUE)})
    client.force_login(make_user(kind, mali))
    url = reverse("workshops:attendance", args=[workshop.pk])
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "<form" not in html.split('id="main"')[1]
    assert 'name="present"' not in html
    assert html.count("<td>✓</td>") == 2
    before = state()
    assert client.post(url, {"present": [value(awa, WED)]}).status_code == 403
    assert client.post(url, {"day": MON.isoformat()}).status_code == 403
    assert state() == before
    sheet = client.get(reverse("workshops:attendance_sheet", args=[workshop.pk]))
    assert sheet.status_code == 200


def test_another_country_is_told_nothing_exists(client, make_user, senegal, coordinator, workshop):
    (awa,) = enrol(workshop, 1)
    attendance_save(event=workshop, by=coordinator, marks={(awa.pk, MON)})
    client.force_login(make_user("coordinator", senegal))
    before = state()
    url = reverse("workshops:attendance", args=[workshop.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"present": []}).status_code == 404
    assert client.post(url, {"day": TUE.isoformat()}).status_code == 404
    assert client.get(reverse("workshops:attendance_sheet", args=[workshop.pk])).status_code == 404
    assert state() == before


def test_a_regional_coordinator_reads_but_does_not_save(client, make_user, workshop):
    enrol(workshop, 1)
    client.force_login(make_user("regional"))
    url = reverse("workshops:attendance", args=[workshop.pk])
    page = client.get(url)
    assert page.status_code == 200 and not page.context["can_change"]
    before = state()
    assert client.post(url, {"day": MON.isoformat()}).status_code == 403
    assert state() == before


def test_a_round_table_has_no_attendance_page(client, coordinator, mali):
    table = Event.objects.create(
        kind=Event.Kind.ROUND_TABLE, country=mali, title="Table ronde", starts_on=MON
    )
    client.force_login(coordinator)
    assert client.get(reverse("workshops:attendance", args=[table.pk])).status_code == 404
    assert client.get(reverse("workshops:attendance_sheet", args=[table.pk])).status_code == 404


# The page's cost ------------------------------------------------------------------------------


def test_the_page_reads_the_database_a_fixed_number_of_times(
    client, make_user, mali, coordinator, workshop, django_assert_max_num_queries
):
    observer = make_user("observer", mali)
    url = reverse("workshops:attendance", args=[workshop.pk])
    sheet = reverse("workshops:attendance_sheet", args=[workshop.pk])

    def mark_all(participations):
        marks = {(p.pk, day) for p in participations for day in (MON, TUE)}
        attendance_save(event=workshop, by=coordinator, marks=marks | marked(workshop))

    mark_all(enrol(workshop, 3))
    counts = {}
    for user in (coordinator, observer):
        client.force_login(user)
        client.get(url)  # warm up (session, content types…)
        for path in (url, sheet):
            with CaptureQueriesContext(connection) as few:
                assert client.get(path).status_code == 200
            counts[user, path] = len(few)
    mark_all(enrol(workshop, 27, start=3))
    for user in (coordinator, observer):
        client.force_login(user)
        client.get(url)
        for path in (url, sheet):
            with django_assert_max_num_queries(counts[user, path]):
                response = client.get(path)
            assert response.status_code == 200
    assert len(client.get(url).context["grid"].rows) == 30


def test_an_unchanged_grid_is_not_sent_again(client, coordinator, workshop):
    awa, bakary = enrol(workshop, 2)
    client.force_login(coordinator)
    url = reverse("workshops:attendance", args=[workshop.pk])
    client.get(url)  # sets the CSRF cookie the page's version depends on
    etag = client.get(url)["ETag"]
    assert client.get(url, headers={"if-none-match": etag}).status_code == 304
    # Anything the grid shows changes its version: a presence, a participant's name, the dates.
    attendance_save(event=workshop, by=coordinator, marks={(awa.pk, MON)})
    assert client.get(url, headers={"if-none-match": etag}).status_code == 200
    etag = client.get(url)["ETag"]
    person = bakary.participant
    person.full_name = "Bakary Keïta"
    person.save()
    assert client.get(url, headers={"if-none-match": etag}).status_code == 200
    etag = client.get(url)["ETag"]
    services.workshop_update(
        event=workshop, by=coordinator, kind="training", title=workshop.title, starts_on=MON
    )
    assert client.get(url, headers={"if-none-match": etag}).status_code == 200


# The attendance sheet -------------------------------------------------------------------------


def sheet_pages(workshop, language="en", contacts=True):
    """The text of each page of the attendance sheet of `workshop`, as the view renders it."""
    with translation.override(language):
        sheet = attendance_sheet(event=workshop, contacts=contacts)
        document = render_copies("workshops/attendance_sheet.html", {"sheet": sheet}, sheet.heads)
    return document, texts(document)


def test_the_attendance_sheet(client, coordinator, workshop):
    enrol(workshop, 3)
    client.force_login(coordinator)
    response = client.get(reverse("workshops:attendance_sheet", args=[workshop.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert response["Content-Disposition"] == (
        'attachment; filename="attendance-sheet-formation-des-magistrats-sur-la-loi-de-2012.pdf"'
    )
    assert pdf_pages(response.content) == 3  # a sheet per day

    document, pages = sheet_pages(workshop)
    assert len(pages) == 3
    page = document.pages[0]
    assert (round(page.width * 25.4 / 96), round(page.height * 25.4 / 96)) == (297, 210)
    for text in (
        "RÉPUBLIQUE DU MALI",
        "Un Peuple – Un But – Une Foi",
        "Comité national de lutte contre la traite des personnes",
        "ATTENDANCE SHEET",  # uppercase, as the sheets of the region
        "Formation des magistrats sur la loi de 2012",
        "Centre Djoliba, Ségou",
        "May 14, 2018 to May 16, 2018",
        "Signature",
        "Participant 000 Traoré",
        "Participant 002 Traoré",
        "Tribunal de grande instance 1",
        "+223 76 00 01 01",
        "p2@justice.ml",
        " 11 ",  # 3 participants, then 8 blank rows for those not on the list
    ):
        assert text in pages[0], text
    # Each day's sheet says its day at the head of the page, and is numbered apart.
    for n, weekday in enumerate(("Monday May 14", "Tuesday May 15", "Wednesday May 16")):
        assert f"{weekday}, 2018 — day {n + 1} of 3" in pages[n]
        assert pages[n].endswith("Page 1 / 1") or "Page 1 / 1" in pages[n]
        assert "Participant 001 Traoré" in pages[n]


def test_the_sheet_grows_with_the_participants_and_repeats_its_header(coordinator, workshop):
    enrol(workshop, 60)
    _document, pages = sheet_pages(workshop)
    per_day = len(pages) // 3
    assert len(pages) == 3 * per_day and per_day >= 4  # 68 rows a day, a signature's height each
    assert all("Signature" in page for page in pages)  # the header row on every page
    assert sum("Participant 059 Traoré" in page for page in pages) == 3
    for day in range(3):
        sheets = pages[day * per_day : (day + 1) * per_day]
        assert all(f"day {day + 1} of 3" in page for page in sheets)
        assert [f"Page {n} / {per_day}" in page for n, page in enumerate(sheets, 1)] == [
            True
        ] * per_day
    # A one-day workshop: the day alone.
    workshop.ends_on = None
    _document, pages = sheet_pages(workshop)
    assert len(pages) == per_day
    assert "Monday May 14, 2018" in pages[0] and "day 1 of" not in pages[0]


def test_contacts_are_left_blank_for_whom_may_not_see_them(client, make_user, funder, workshop):
    enrol(workshop, 2)
    representative = make_user("partner", funder)
    client.force_login(representative)
    assert representative.has_perm("workshops.view_event", workshop)
    assert not representative.has_perm("workshops.view_contacts", workshop)
    response = client.get(reverse("workshops:attendance_sheet", args=[workshop.pk]))
    assert response.status_code == 200
    _document, pages = sheet_pages(workshop, contacts=False)
    assert "Participant 001 Traoré" in pages[0] and "Phone" in pages[0]
    assert "+223" not in pages[0] and "@justice.ml" not in pages[0]


def test_the_sheet_in_arabic_is_right_to_left(client, make_user, mali, workshop):
    enrol(workshop, 2)
    client.force_login(make_user("observer", mali, language="ar"))
    response = client.get(reverse("workshops:attendance_sheet", args=[workshop.pk]))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF-")
    document, pages = sheet_pages(workshop, language="ar")
    html = document.pages[0]._page_box.children[0]
    assert html.element_tag == "html" and html.style["direction"] == "rtl"
    assert "Participant 000 Traoré" in pages[0]
