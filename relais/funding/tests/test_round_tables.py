"""Round tables, end to end: recording one, who may, bad input, its page with the pledges
announced there, and its summary for the ministry as a page and a Word file."""

import io
import re
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from relais.core.money import format_money
from relais.countries.models import Organisation
from relais.countries.tests.factories import ContactFactory, OrganisationFactory
from relais.events.models import Event
from relais.funding import services
from relais.funding.models import Contribution
from relais.funding.picture import funding_picture
from relais.plans.tests.factories import plan_with_content

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def french(msgid):
    with translation.override("fr"):
        return gettext(msgid)


def fr(value, currency="XOF"):
    return format_money(value, currency, "fr")


def field_error(response, name):
    """The text of the error shown at the field `name`: the element its input (or its
    fieldset, for a checkbox list) points to with aria-describedby."""
    html = response.content.decode()
    error_id = f"id_{name}_error"
    tags = re.findall(rf'<(?:input|select|textarea)[^>]*name="{name}"[^>]*>', html)
    pointers = [t for t in tags if "aria-describedby" in t] or re.findall(
        rf'<fieldset[^>]*aria-describedby="{error_id}"[^>]*>', html
    )
    assert pointers and all(error_id in p for p in pointers), (name, tags)
    block = re.search(rf'<div id="{error_id}"[^>]*>(.*?)</div>', html, re.S)
    assert block, f"no element {error_id!r} for the field {name!r}"
    return block.group(1)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def plan(mali):
    # Budget: 1.1 3 000 000 + 1.2 750 000 + 2.1 425 000 = 4 175 000 FCFA.
    return plan_with_content(mali, title="Plan d'action de plaidoyer 2018-2019")


@pytest.fixture
def coordinator(make_user, mali):
    return make_user("coordinator", mali, language="fr")


@pytest.fixture
def partners(mali, senegal):
    return {
        "icmpd": OrganisationFactory(
            name="International Centre for Migration Policy Development",
            acronym="ICMPD",
            kind=Organisation.Kind.PARTNER,
            country=None,
        ),
        "ue": OrganisationFactory(
            name="Délégation de l'Union européenne",
            acronym="UE",
            kind=Organisation.Kind.PARTNER,
            country=None,
        ),
        "cso": OrganisationFactory(
            name="Association malienne pour la protection", acronym="AMPE", country=mali
        ),
        "senegal": OrganisationFactory(name="Organisation sénégalaise", country=senegal),
    }


@pytest.fixture
def people(mali, senegal, partners):
    return {
        "awa": ContactFactory(
            full_name="Awa Traoré",
            function="Présidente",
            organisation=partners["cso"],
            country=mali,
        ),
        "jean": ContactFactory(
            full_name="Jean Dupont",
            function="Chargé de programme",
            organisation=partners["icmpd"],
            country=mali,
        ),
        "senegalese": ContactFactory(full_name="Moussa Diop", country=senegal),
    }


@pytest.fixture
def event(plan, coordinator, partners, people):
    return services.round_table_create(
        plan=plan,
        by=coordinator,
        title="Table ronde des partenaires techniques et financiers",
        starts_on=date(2018, 3, 15),
        ends_on=date(2018, 3, 16),
        venue="Hôtel de l'Amitié",
        city="Bamako",
        chair="Le ministre de la Justice",
        agenda="Présentation du plan\nAnnonces des partenaires",
        invited=[partners["icmpd"], partners["ue"], partners["cso"]],
        present=[partners["icmpd"], partners["cso"]],
        participants=[people["awa"], people["jean"]],
    )


@pytest.fixture
def pledges(plan, coordinator, partners, event):
    """ICMPD: 1 000 EUR (655 957 FCFA at the fixed parity); UE: 500 000 FCFA; the state:
    1 000 000 FCFA. 2 155 957 FCFA in all, against a budget of 4 175 000."""
    pledge = services.contribution_create
    return [
        pledge(
            plan=plan,
            by=coordinator,
            partner=partners["icmpd"],
            currency="EUR",
            amount=Decimal("1000"),
            event=event,
            announced_on=date(2018, 3, 15),
        ),
        pledge(
            plan=plan,
            by=coordinator,
            partner=partners["ue"],
            currency="XOF",
            amount=Decimal("500000"),
            event=event,
            announced_on=date(2018, 3, 15),
        ),
        pledge(
            plan=plan,
            by=coordinator,
            partner=None,
            currency="XOF",
            amount=Decimal("1000000"),
            event=event,
            announced_on=date(2018, 3, 16),
        ),
    ]


def form_data(partners, people, **overrides):
    data = {
        "title": "Table ronde de mobilisation des ressources",
        "starts_on": "2018-04-10",
        "ends_on": "",
        "venue": "CICB",
        "city": "Bamako",
        "chair": "Le Premier ministre",
        "agenda": "Ouverture\nPrésentation du plan",
        "invited": [partners["icmpd"].pk, partners["ue"].pk],
        "present": [partners["icmpd"].pk],
        "participants": [people["jean"].pk],
    }
    data.update(overrides)
    return data


def state():
    """What a refused or failed request must leave as it was."""
    return {
        "events": list(
            Event.objects.order_by("pk").values_list("pk", "title", "starts_on", "ends_on", "venue")
        ),
        "present": sorted(Event.present.through.objects.values_list("event_id", "organisation_id")),
        "history": Event.history.count(),
        "contributions": Contribution.objects.count(),
    }


# Recording ------------------------------------------------------------------------------------


def test_a_coordinator_records_a_round_table(client, plan, coordinator, partners, people):
    client.force_login(coordinator)
    url = reverse("funding:round_table_create", args=[plan.pk])
    assert client.get(url).status_code == 200

    minutes = SimpleUploadedFile("compte-rendu.pdf", PDF, content_type="application/pdf")
    response = client.post(url, form_data(partners, people, minutes=minutes))

    event = Event.objects.get()
    assert response.status_code == 302
    assert response["Location"] == event.get_absolute_url()
    assert (event.kind, event.country, event.plan) == (Event.Kind.ROUND_TABLE, plan.country, plan)
    assert event.title == "Table ronde de mobilisation des ressources"
    assert event.starts_on == date(2018, 4, 10) and event.ends_on is None
    assert (event.venue, event.city, event.chair) == ("CICB", "Bamako", "Le Premier ministre")
    assert set(event.invited.all()) == {partners["icmpd"], partners["ue"]}
    assert list(event.present.all()) == [partners["icmpd"]]
    assert list(event.participants.all()) == [people["jean"]]
    assert event.minutes.read() == PDF
    assert {h.history_user for h in event.history.all()} == {coordinator}

    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "compte-rendu" in page.content.decode()


def test_the_form_offers_the_countrys_and_the_regional_organisations_only(
    client, plan, coordinator, partners, people
):
    client.force_login(coordinator)
    html = client.get(reverse("funding:round_table_create", args=[plan.pk])).content.decode()
    assert "ICMPD" in html and "Association malienne" in html
    assert "Organisation sénégalaise" not in html
    assert "Awa Traoré (AMPE)" in html and "Moussa Diop" not in html


def test_a_coordinator_edits_a_round_table_and_keeps_its_minutes(
    client, coordinator, event, partners, people
):
    client.force_login(coordinator)
    url = reverse("funding:round_table_edit", args=[event.pk])
    minutes = SimpleUploadedFile("pv.pdf", PDF, content_type="application/pdf")
    client.post(url, form_data(partners, people, minutes=minutes))
    assert client.get(url).status_code == 200

    response = client.post(
        url,
        form_data(
            partners,
            people,
            title="Table ronde (compte rendu validé)",
            ends_on="2018-04-11",
            present=[partners["icmpd"].pk, partners["ue"].pk],
            participants=[people["awa"].pk, people["jean"].pk],
        ),
    )

    assert response.status_code == 302
    event.refresh_from_db()
    assert event.title == "Table ronde (compte rendu validé)"
    assert event.ends_on == date(2018, 4, 11)
    assert set(event.present.all()) == {partners["icmpd"], partners["ue"]}
    assert set(event.participants.all()) == {people["awa"], people["jean"]}
    assert event.minutes.name.endswith(".pdf") and event.minutes.read() == PDF


# Who may --------------------------------------------------------------------------------------


def _pages(plan, event):
    return {
        "list": reverse("funding:round_tables", args=[plan.pk]),
        "create": reverse("funding:round_table_create", args=[plan.pk]),
        "detail": reverse("funding:round_table", args=[event.pk]),
        "edit": reverse("funding:round_table_edit", args=[event.pk]),
        "summary": reverse("funding:round_table_summary", args=[event.pk]),
        "docx": reverse("funding:round_table_docx", args=[event.pk]),
    }


@pytest.mark.parametrize("kind", ["observer", "contributor"])
def test_other_members_of_the_country_read_but_may_not_record(
    client, make_user, mali, plan, event, pledges, partners, people, kind
):
    client.force_login(make_user(kind, mali))
    pages = _pages(plan, event)
    for name in ("list", "detail", "summary", "docx"):
        assert client.get(pages[name]).status_code == 200, name
    before = state()

    for name in ("create", "edit"):
        assert client.get(pages[name]).status_code == 403, name
        response = client.post(pages[name], form_data(partners, people, title="Pas permis"))
        assert response.status_code == 403, name

    assert state() == before
    detail = client.get(pages["detail"]).content.decode()
    assert reverse("funding:round_table_edit", args=[event.pk]) not in detail
    assert reverse("funding:contribution_create", args=[plan.pk]) not in detail


@pytest.mark.parametrize("who", ["coordinator_sn", "partner", "nobody"])
def test_whoever_does_not_see_malis_work_is_told_its_round_tables_do_not_exist(
    client, make_user, senegal, plan, event, pledges, partners, people, who
):
    user = {
        "coordinator_sn": lambda: make_user("coordinator", senegal),
        "partner": lambda: make_user("partner", partners["icmpd"]),
        "nobody": lambda: make_user(None),
    }[who]()
    client.force_login(user)
    before = state()
    for name, url in _pages(plan, event).items():
        assert client.get(url).status_code == 404, name
        if name in ("create", "edit"):
            assert client.post(url, form_data(partners, people)).status_code == 404, name
    assert state() == before


def test_the_regional_coordinator_reads_and_an_administrator_records(
    client, make_user, plan, event, partners, people
):
    pages = _pages(plan, event)
    client.force_login(make_user("regional"))
    assert client.get(pages["detail"]).status_code == 200
    assert client.get(pages["create"]).status_code == 403

    client.force_login(make_user("admin"))
    response = client.post(pages["create"], form_data(partners, people))
    assert response.status_code == 302
    assert Event.objects.count() == 2


def test_signed_out_people_are_sent_to_sign_in(client, plan, event):
    for name, url in _pages(plan, event).items():
        response = client.get(url)
        assert response.status_code == 302, name
        assert "login" in response["Location"]


# Bad input ------------------------------------------------------------------------------------

BAD = {
    "no title": ({"title": "   "}, "title", "Give the round table a title."),
    "no date": ({"starts_on": ""}, "starts_on", "Enter the date."),
    "last day before the first": (
        {"starts_on": "2018-04-10", "ends_on": "2018-04-09"},
        "ends_on",
        "The last day comes before the first.",
    ),
}


@pytest.mark.parametrize("mode", ["create", "edit"])
@pytest.mark.parametrize("case", BAD)
def test_bad_input_is_told_at_the_field_and_nothing_is_saved(
    client, coordinator, plan, event, partners, people, case, mode
):
    client.force_login(coordinator)
    overrides, field, msgid = BAD[case]
    before = state()

    response = client.post(_pages(plan, event)[mode], form_data(partners, people, **overrides))

    assert response.status_code == 200
    assert escape(french(msgid)) in field_error(response, field)
    assert state() == before
    if mode == "edit":
        # The page still names the round table as saved, not as typed.
        assert "<title>Table ronde des partenaires" in response.content.decode()


@pytest.mark.parametrize("mode", ["create", "edit"])
def test_another_countrys_organisation_or_a_file_that_is_no_document_is_refused(
    client, coordinator, plan, event, partners, people, mode
):
    client.force_login(coordinator)
    url = _pages(plan, event)[mode]
    before = state()

    response = client.post(url, form_data(partners, people, present=[partners["senegal"].pk]))
    assert response.status_code == 200
    assert field_error(response, "present")

    fake = SimpleUploadedFile("pv.pdf", b"MZ\x90\x00\x03" + b"\x00" * 64)
    response = client.post(url, form_data(partners, people, minutes=fake))
    assert response.status_code == 200
    assert "pv.pdf" in field_error(response, "minutes")
    assert state() == before


# The round table's page -----------------------------------------------------------------------


def test_the_page_shows_the_pledges_with_totals_equal_to_the_funding_picture(
    client, coordinator, plan, event, pledges
):
    client.force_login(coordinator)
    response = client.get(reverse("funding:round_table", args=[event.pk]))
    html = response.content.decode()

    picture = funding_picture(plan=plan)
    report = response.context["report"]
    assert report.announced == picture.total.announced == Decimal("2155957")
    assert report.plan_figures.budget == picture.total.budget == Decimal("4175000")
    assert re.search(r'id="pledges-announced">([^<]*)<', html).group(1) == fr(
        picture.total.announced
    )
    assert re.search(r'id="plan-budget">([^<]*)<', html).group(1) == fr(picture.total.budget)
    assert re.search(r'id="plan-gap">([^<]*)<', html).group(1) == fr(picture.total.gap)
    assert picture.total.gap == Decimal("2019043")
    # The euro pledge: in its currency, in the plan's, and the rate used.
    assert fr(Decimal("1000"), "EUR") in html
    assert fr(Decimal("655957")) in html
    with translation.override("fr"):
        rate = picture.contributions[0].conversion.describe()
    assert escape(rate) in html
    assert "ICMPD" in html and "UE" in html and escape(french("State budget")) in html
    # Facts, agenda, people.
    assert "Hôtel de l&#x27;Amitié" in html and "Le ministre de la Justice" in html
    assert "Annonces des partenaires" in html
    assert "Awa Traoré" in html and "Jean Dupont" in html
    # Recording a pledge there, the summary and the Word file.
    create = reverse("funding:contribution_create", args=[plan.pk])
    assert f'href="{create}?event={event.pk}"' in html
    assert reverse("funding:round_table_summary", args=[event.pk]) in html
    assert reverse("funding:round_table_docx", args=[event.pk]) in html


def test_confirmed_withdrawn_and_unvalued_pledges_count_as_the_funding_picture_counts_them(
    client, coordinator, plan, event, pledges, partners
):
    icmpd, ue, state_budget = pledges
    services.contribution_confirm(
        contribution=state_budget, by=coordinator, amount="800000", signed_on=date(2018, 5, 2)
    )
    services.contribution_withdraw(contribution=ue, by=coordinator, reason="Budget gelé")
    services.contribution_create(
        plan=plan,
        by=coordinator,
        partner=partners["cso"],
        currency="XOF",
        kind=Contribution.Kind.TECHNICAL,
        event=event,
    )
    client.force_login(coordinator)

    response = client.get(reverse("funding:round_table", args=[event.pk]))

    report = response.context["report"]
    picture = funding_picture(plan=plan)
    assert len(report.pledges) == 4
    # The round table shows the pledges as made that day (the state announced 1 000 000 and
    # its agreement confirmed 800 000); the plan's picture counts what each stands for now.
    assert report.announced == Decimal("1655957")
    assert picture.total.announced == Decimal("1455957")
    assert report.confirmed == Decimal("800000") == picture.total.confirmed
    html = response.content.decode()
    assert escape(french("not valued")) in html
    assert re.search(r'id="pledges-confirmed">([^<]*)<', html).group(1) == fr(Decimal("800000"))
    for name in ("round_table_summary", "round_table_docx"):
        assert client.get(reverse(f"funding:{name}", args=[event.pk])).status_code == 200


def test_the_list_counts_the_pledges_of_each_round_table(
    client, coordinator, plan, event, pledges, partners
):
    other = services.round_table_create(
        plan=plan, by=coordinator, title="Seconde table ronde", starts_on=date(2019, 2, 1)
    )
    client.force_login(coordinator)
    response = client.get(reverse("funding:round_tables", args=[plan.pk]))
    rows = {row[0].pk: row[1:] for row in response.context["rows"]}
    assert rows == {event.pk: (3, Decimal("2155957")), other.pk: (0, Decimal(0))}
    html = response.content.decode()
    assert fr(Decimal("2155957")) in html and "Seconde table ronde" in html
    assert reverse("funding:round_table_create", args=[plan.pk]) in html


# The summary for the ministry -----------------------------------------------------------------


def test_the_summary_page_says_who_came_what_was_announced_and_what_remains(
    client, coordinator, plan, event, pledges
):
    client.force_login(coordinator)
    response = client.get(reverse("funding:round_table_summary", args=[event.pk]))
    html = response.content.decode()

    assert response.status_code == 200
    assert "<script" not in html
    assert "RÉPUBLIQUE DU MALI" in html
    assert "Table ronde des partenaires techniques et financiers" in html
    assert "Le ministre de la Justice" in html
    for name in (
        "International Centre for Migration Policy Development",
        "AMPE",
        "Awa Traoré",
        "Jean Dupont",
        "Présidente",
    ):
        assert escape(name) in html, name
    assert "Délégation de l" not in html.split('id="pledges"')[0]  # invited, not present
    for figure in ("655957", "500000", "1000000", "2155957", "4175000", "2019043"):
        assert fr(Decimal(figure)) in html, figure
    assert "655,957" in html  # the rate used for the euro pledge


# The Word file --------------------------------------------------------------------------------


def _docx(response):
    from docx import Document

    return Document(io.BytesIO(response.content))


def _text(document):
    paragraphs = [p.text for p in document.paragraphs]
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return paragraphs, cells


def test_the_word_file_has_the_letterhead_headings_tables_and_figures(
    client, coordinator, plan, event, pledges
):
    client.force_login(coordinator)
    response = client.get(reverse("funding:round_table_docx", args=[event.pk]))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert response["Content-Disposition"].endswith('.docx"')
    document = _docx(response)
    paragraphs, cells = _text(document)
    assert paragraphs[:2] == ["RÉPUBLIQUE DU MALI", "Un Peuple – Un But – Une Foi"]
    headings = [
        (p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("Heading")
    ]
    assert ("Heading 1", "Table ronde des partenaires techniques et financiers") in headings
    assert len([h for h in headings if h[0] == "Heading 2"]) >= 3
    text = "\n".join(paragraphs + cells)
    for name in (
        "International Centre for Migration Policy Development (ICMPD)",
        "Awa Traoré",
        "Jean Dupont",
        "ICMPD",
        "UE",
        "Bamako",
        "Le ministre de la Justice",
    ):
        assert name in text, name
    for figure in ("655957", "500000", "1000000", "2155957", "4175000", "2019043"):
        assert fr(Decimal(figure)) in cells, figure
    assert fr(Decimal("1000"), "EUR") in text and "655,957" in text
    with translation.override("fr"):
        assert gettext("State budget") in cells
    assert len(document.tables) >= 3


def test_the_word_file_is_in_the_plans_language_whoever_downloads_it(
    client, make_user, mali, coordinator, plan, event, pledges
):
    plan.language = "en"
    plan.save()
    client.force_login(make_user("observer", mali, language="fr"))
    paragraphs, cells = _text(
        _docx(client.get(reverse("funding:round_table_docx", args=[event.pk])))
    )
    # English writes 2,155,957 FCFA; French would write 2 155 957 FCFA.
    assert format_money(Decimal("2155957"), "XOF", "en") in cells
    assert fr(Decimal("2155957")) not in cells
    assert "State budget" in cells


def test_an_arabic_plans_word_file_runs_right_to_left(client, coordinator, plan, event, pledges):
    plan.language = "ar"
    plan.save()
    client.force_login(coordinator)
    document = _docx(client.get(reverse("funding:round_table_docx", args=[event.pk])))
    heading = next(p for p in document.paragraphs if p.style.name == "Heading 1")
    assert (
        heading._p.pPr.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}bidi")
        is not None
    )
    assert "bidiVisual" in document.tables[0]._tbl.xml


def test_without_pledges_or_participants_the_summary_says_so(client, coordinator, plan):
    event = services.round_table_create(
        plan=plan, by=coordinator, title="Table ronde vide", starts_on=date(2018, 5, 2)
    )
    plan.country.national_body.letterhead = ""
    plan.country.national_body.save()
    client.force_login(coordinator)
    for name in ("round_table", "round_table_summary", "round_table_docx"):
        assert client.get(reverse(f"funding:{name}", args=[event.pk])).status_code == 200, name


# Queries --------------------------------------------------------------------------------------


def _populate(plan, event, coordinator, n):
    """`n` more pledges (each from its own partner, some in euros) and `n` more people and
    organisations present."""
    organisations = OrganisationFactory.create_batch(
        n, country=None, kind=Organisation.Kind.PARTNER
    )
    for index, organisation in enumerate(organisations):
        services.contribution_create(
            plan=plan,
            by=coordinator,
            partner=organisation,
            currency="EUR" if index % 2 else "XOF",
            amount=Decimal(1000 + index),
            event=event,
        )
        contact = ContactFactory(country=plan.country, organisation=organisation)
        event.present.add(organisation)
        event.invited.add(organisation)
        event.participants.add(contact)


@pytest.mark.parametrize("page", ["round_table", "round_table_summary", "round_table_docx"])
def test_a_round_tables_pages_read_the_database_a_fixed_number_of_times(
    client, coordinator, plan, event, page, django_assert_max_num_queries
):
    client.force_login(coordinator)
    url = reverse(f"funding:{page}", args=[event.pk])
    client.get(url)  # warm up (session, content types…)

    _populate(plan, event, coordinator, 3)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _populate(plan, event, coordinator, 27)
    with django_assert_max_num_queries(len(few)):
        response = client.get(url)
    assert response.status_code == 200
    if page == "round_table":
        assert len(response.context["report"].pledges) == 30
    # session, user, roles, the round table and its three lists, the funding picture (7)
    assert len(few) <= 15, [q["sql"] for q in few.captured_queries]


def test_the_list_reads_the_database_a_fixed_number_of_times(
    client, coordinator, plan, event, django_assert_max_num_queries
):
    client.force_login(coordinator)
    url = reverse("funding:round_tables", args=[plan.pk])
    _populate(plan, event, coordinator, 3)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for index in range(5):
        extra = services.round_table_create(
            plan=plan, by=coordinator, title=f"Table {index}", starts_on=date(2018, 6, 1)
        )
        _populate(plan, extra, coordinator, 3)
    with django_assert_max_num_queries(len(few)):
        response = client.get(url)
    assert len(response.context["rows"]) == 6


def test_people_invited_are_kept_apart_from_those_who_came(client, coordinator, plan, mali):
    from relais.countries.tests.factories import ContactFactory

    invited = ContactFactory(country=mali, full_name="Awa Konaté")
    came = ContactFactory(country=mali, full_name="Moussa Keïta")
    event = services.round_table_create(
        plan=plan,
        by=coordinator,
        title="Table ronde",
        starts_on=date(2018, 4, 26),
        invited_people=[invited, came],
        participants=[came],
    )
    assert list(event.invited_people.order_by("full_name")) == [invited, came]
    client.force_login(coordinator)
    html = client.get(reverse("funding:round_table", args=[event.pk])).content.decode()
    people_invited = html[html.index('id="participants"') :]
    assert "Awa Konaté" in people_invited and "Moussa Keïta" in people_invited
