import re
from datetime import date, timedelta

import pytest
from django.core import signing
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from relais.countries.models import Role
from relais.countries.tests.factories import OrganisationFactory
from relais.events.models import Event
from relais.exchange import calendar as selectors

pytestmark = pytest.mark.django_db

ARABIC = "ورشة تدريب وطنية حول مكافحة الاتجار بالأشخاص وتهريب المهاجرين في موريتانيا والسنغال"


def parse(body):
    """[{name: (params, value)}, …] of a VCALENDAR's VEVENTs, after checking its lines:
    CRLF endings, at most 75 octets each, each valid UTF-8 on its own."""
    raw = body.encode("utf-8") if isinstance(body, str) else body
    assert raw.endswith(b"\r\n")
    physical = raw[:-2].split(b"\r\n")
    assert b"\n" not in b"".join(physical)
    for line in physical:
        assert len(line) <= 75, line
        line.decode("utf-8")  # never a character cut in two
    lines = []
    for line in (p.decode("utf-8") for p in physical):
        if line.startswith(" "):
            lines[-1] += line[1:]
        else:
            lines.append(line)
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    header, events, current = {}, [], None
    for line in lines[1:-1]:
        name, value = re.match(r"([^:;]+(?:;[^:]*)?):(.*)", line).groups()
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT":
            events.append(current)
            current = None
        else:
            (header if current is None else current)[name] = value
    return header, events


def unescape(value):
    return re.sub(r"\\(.)", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


@pytest.fixture
def events(mali, senegal):
    today = timezone.localdate()
    return {
        "workshop": Event.objects.create(
            kind=Event.Kind.TRAINING,
            country=mali,
            title="Formation des magistrats, Kayes; session 2",
            starts_on=today + timedelta(days=10),
            ends_on=today + timedelta(days=12),
            venue="Hôtel du Fleuve\nsalle B",
            city="Kayes",
        ),
        "round_table": Event.objects.create(
            kind=Event.Kind.ROUND_TABLE,
            country=senegal,
            title="Table ronde des partenaires",
            starts_on=today + timedelta(days=40),
            city="Dakar",
        ),
        "mission": Event.objects.create(
            kind=Event.Kind.MISSION,
            country=senegal,
            title=ARABIC,
            starts_on=today,
            city="Saint-Louis",
        ),
        "past": Event.objects.create(
            kind=Event.Kind.CAMPAIGN,
            country=mali,
            title="Campagne du 30 juillet",
            starts_on=date(2018, 7, 30),
            ends_on=date(2018, 7, 31),
            city="Bamako",
        ),
    }


def _rows(response):
    return {event.pk: event for _month, events in response.context["months"] for event in events}


def _feed_url(client, user):
    client.force_login(user)
    url = client.get(reverse("exchange:calendar")).context["feed_url"]
    client.logout()
    return url.removeprefix("http://testserver")


# The page -------------------------------------------------------------------------------------


def test_members_read_every_countrys_upcoming_events(client, make_user, mali, events):
    client.force_login(make_user("coordinator", mali))
    response = client.get(reverse("exchange:calendar"))
    assert response.status_code == 200
    rows = _rows(response)
    upcoming = [events["mission"], events["workshop"], events["round_table"]]
    assert list(rows) == [e.pk for e in upcoming]
    html = response.content.decode()
    # Its own country's work is linked; another country's is named only.
    assert f'href="{events["workshop"].get_absolute_url()}"' in html
    assert events["round_table"].get_absolute_url() not in html
    assert "Table ronde des partenaires" in html
    assert ARABIC in html and events["mission"].get_absolute_url() not in html
    assert 'href="?year=2018"' in html
    assert 'id="calendar-feed"' in html


def test_past_months_by_year(client, make_user, mali, events):
    client.force_login(make_user("observer", mali))
    response = client.get(reverse("exchange:calendar"), {"year": 2018})
    assert list(_rows(response)) == [events["past"].pk]
    assert f'href="{events["past"].get_absolute_url()}"' in response.content.decode()
    assert client.get(reverse("exchange:calendar"), {"year": "x"}).status_code == 404


def test_a_regional_coordinator_has_every_link(client, make_user, events):
    client.force_login(make_user("regional"))
    html = client.get(reverse("exchange:calendar")).content.decode()
    for key in ("workshop", "round_table", "mission"):
        assert f'href="{events[key].get_absolute_url()}"' in html


def test_others_are_told_it_does_not_exist(client, make_user, mali, events):
    partner = make_user("partner", OrganisationFactory(country=mali))
    for user in (partner, make_user(None)):
        client.force_login(user)
        assert client.get(reverse("exchange:calendar")).status_code == 404
    client.logout()
    response = client.get(reverse("exchange:calendar"))
    assert response.status_code == 302


# The feed -------------------------------------------------------------------------------------


def test_the_feed_lists_every_event_with_its_dates(client, make_user, mali, events, settings):
    settings.RELAIS_SITE_URL = "https://relais.example.org"
    url = _feed_url(client, make_user("contributor", mali))
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    header, parsed = parse(response.content)
    assert header["VERSION"] == "2.0"
    assert header["CALSCALE"] == "GREGORIAN"
    assert "PRODID" in header and "X-WR-CALNAME" in header
    by_uid = {e["UID"]: e for e in parsed}
    assert len(parsed) == len(by_uid) == len(events)
    for event in events.values():
        vevent = by_uid[f"event-{event.pk}@relais"]
        last = event.ends_on or event.starts_on
        assert vevent["DTSTART;VALUE=DATE"] == event.starts_on.strftime("%Y%m%d")
        assert vevent["DTEND;VALUE=DATE"] == (last + timedelta(days=1)).strftime("%Y%m%d")
        assert unescape(vevent["SUMMARY"]) == event.title
        assert vevent["URL"] == "https://relais.example.org" + event.get_absolute_url()
        assert re.fullmatch(r"\d{8}T\d{6}Z", vevent["DTSTAMP"])
        assert vevent["CATEGORIES"]
    past = by_uid[f"event-{events['past'].pk}@relais"]
    assert (past["DTSTART;VALUE=DATE"], past["DTEND;VALUE=DATE"]) == ("20180730", "20180801")
    workshop = by_uid[f"event-{events['workshop'].pk}@relais"]
    assert workshop["SUMMARY"] == "Formation des magistrats\\, Kayes\\; session 2"
    assert workshop["LOCATION"].startswith("Hôtel du Fleuve\\nsalle B\\, Kayes\\, ")
    assert unescape(workshop["LOCATION"]).startswith("Hôtel du Fleuve\nsalle B, Kayes, ")


def test_an_arabic_title_folds_between_characters(client, make_user, mali, events):
    body = client.get(_feed_url(client, make_user("regional"))).content
    assert len(("SUMMARY:" + ARABIC).encode()) > 150  # folded at least twice
    _header, parsed = parse(body)  # checks every physical line decodes on its own
    assert ARABIC in [e["SUMMARY"] for e in parsed]


def test_folding_and_escaping():
    line = "SUMMARY:" + "é" * 100
    folded = selectors.fold(line)
    parts = folded.split("\r\n")
    assert all(len(p.encode()) <= 75 for p in parts)
    assert all(p.startswith(" ") for p in parts[1:])
    assert "".join(p[1:] if i else p for i, p in enumerate(parts)) == line
    assert selectors.escape_text("a\\b,c;d\ne") == "a\\\\b\\,c\\;d\\ne"


def test_a_tampered_token_is_not_found(client, make_user, mali, events):
    url = _feed_url(client, make_user("coordinator", mali))
    token = url.rsplit("/", 1)[1].removesuffix(".ics")
    for bad in (token[:-1] + ("A" if token[-1] != "A" else "B"), "nothing", token + "x"):
        assert client.get(reverse("exchange:calendar_feed", args=[bad])).status_code == 404
    other_salt = signing.dumps(1, salt="something.else")
    assert client.get(reverse("exchange:calendar_feed", args=[other_salt])).status_code == 404


def test_a_token_stops_working_when_its_reader_leaves(client, make_user, mali, events):
    user = make_user("coordinator", mali)
    url = _feed_url(client, user)
    assert client.get(url).status_code == 200
    Role.objects.filter(user=user).delete()
    assert client.get(url).status_code == 404

    other = make_user("observer", mali)
    url = _feed_url(client, other)
    other.is_active = False
    other.save()
    assert client.get(url).status_code == 404


def test_a_partners_token_is_not_found(client, make_user, mali, events):
    partner = make_user("partner", OrganisationFactory(country=mali))
    token = selectors.feed_token(user=partner)
    assert client.get(reverse("exchange:calendar_feed", args=[token])).status_code == 404


# The cost -------------------------------------------------------------------------------------


def _more_events(mali, senegal, count):
    today = timezone.localdate()
    Event.objects.bulk_create(
        Event(
            kind=Event.Kind.TRAINING,
            country=(mali, senegal)[i % 2],
            title=f"Atelier {i}",
            starts_on=today + timedelta(days=i * 9),
            city="Ségou",
        )
        for i in range(count)
    )


def test_the_pages_read_the_database_a_fixed_number_of_times(
    client, make_user, mali, senegal, events, django_assert_max_num_queries
):
    user = make_user("coordinator", mali)
    feed = _feed_url(client, user)
    client.force_login(user)
    urls = [reverse("exchange:calendar"), reverse("exchange:calendar") + "?year=2018"]
    for url in urls:
        client.get(url)  # warm up (session, content types…)
    counts = {}
    for url in urls:
        with CaptureQueriesContext(connection) as few:
            assert client.get(url).status_code == 200
        counts[url] = len(few)
    client.logout()
    with CaptureQueriesContext(connection) as few:
        assert client.get(feed).status_code == 200
    counts[feed] = len(few)
    _more_events(mali, senegal, 30)
    client.force_login(user)
    for url in urls:
        with django_assert_max_num_queries(counts[url]):
            assert client.get(url).status_code == 200
    assert len(_rows(client.get(urls[0]))) == 33
    client.logout()
    with django_assert_max_num_queries(counts[feed]):
        response = client.get(feed)
    assert len(parse(response.content)[1]) == 34
