"""A plan's reports, end to end: starting one for a period (presets, the plan's language, the
usual title), bad periods said at the field with nothing saved, writing its narrative,
submitting it to a ministry and a partner, acknowledging it; who may do each (another country
404, an observer 403, a partner not addressed 404, a partner addressed reads and acknowledges);
the history; and the pages' cost."""

import re
from datetime import date
from decimal import Decimal
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from relais.core.money import format_money
from relais.countries.models import Organisation
from relais.countries.tests.factories import OrganisationFactory
from relais.monitoring.models import ActivityUpdate
from relais.plans.models import Plan
from relais.plans.tests.factories import plan_with_content
from relais.reports import services
from relais.reports.figures import canonical_json, checksum
from relais.reports.models import Acknowledgement, Report

pytestmark = pytest.mark.django_db


def french(msgid):
    with translation.override("fr"):
        return gettext(msgid)


def field_error(response, name):
    """The text of the error shown at the field `name`: the element its input points to with
    aria-describedby."""
    html = response.content.decode()
    error_id = f"id_{name}_error"
    tags = re.findall(rf'<(?:input|select|textarea)[^>]*name="{name}"[^>]*>', html)
    assert tags, (name, tags)
    block = re.search(rf'<div id="{error_id}"[^>]*>(.*?)</div>', html, re.S)
    assert block, f"no element {error_id!r} for the field {name!r}"
    return unescape(block.group(1))


def state():
    """What a refused or failed request must leave as it was."""
    return {
        "reports": list(
            Report.objects.order_by("pk").values_list(
                "pk",
                "kind",
                "title",
                "period_start",
                "period_end",
                "status",
                "summary",
                "results",
                "checksum",
                "submitted_by",
            )
        ),
        "addressees": list(
            Report.addressees.through.objects.order_by("pk").values_list(
                "report_id", "organisation_id"
            )
        ),
        "acknowledgements": list(
            Acknowledgement.objects.order_by("pk").values_list("pk", "report_id", "by_id")
        ),
        "history": Report.history.count(),
    }


@pytest.fixture
def icmpd(db):
    return OrganisationFactory(
        name="International Centre for Migration Policy Development",
        acronym="ICMPD",
        kind=Organisation.Kind.PARTNER,
        country=None,
    )


@pytest.fixture
def mjdh(mali):
    return OrganisationFactory(
        name="Ministère de la Justice et des Droits de l'Homme",
        acronym="MJDH",
        kind=Organisation.Kind.MINISTRY,
        country=mali,
    )


@pytest.fixture
def unicef(db):
    return OrganisationFactory(acronym="UNICEF", kind=Organisation.Kind.UN, country=None)


@pytest.fixture
def plan(mali, icmpd):
    return plan_with_content(
        mali,
        status=Plan.Status.ADOPTED,
        funder=icmpd,
        title="Plan d'action de plaidoyer 2018-2019",
    )


@pytest.fixture
def coordinator(make_user, mali):
    return make_user("coordinator", mali)


@pytest.fixture
def draft(plan, coordinator):
    return services.report_create(
        plan=plan,
        by=coordinator,
        kind=Report.Kind.PROGRESS,
        period_start=date(2018, 1, 1),
        period_end=date(2018, 12, 31),
        language="fr",
    )


@pytest.fixture
def submitted(draft, coordinator, mjdh, icmpd):
    return services.report_submit(report=draft, by=coordinator, addressees=[mjdh, icmpd])


def report_data(**overrides):
    data = {
        "kind": "progress",
        "period_start": "2019-04-01",
        "period_end": "2019-06-30",
        "language": "fr",
        "title": "",
    }
    data.update(overrides)
    return data


# Starting a report ----------------------------------------------------------------------------


def test_a_coordinator_starts_a_report_from_the_list(client, plan, coordinator):
    client.force_login(coordinator)
    page = client.get(reverse("reports:list", args=[plan.pk]))
    assert page.status_code == 200
    html = unescape(page.content.decode())
    # The presets: each quarter, half-year and year of the plan, and the whole plan.
    create = reverse("reports:create", args=[plan.pk])
    assert f"{create}?kind=progress&period_start=2019-04-01&period_end=2019-06-30" in html
    assert f"{create}?kind=progress&period_start=2018-07-01&period_end=2018-12-31" in html
    assert f"{create}?kind=final&period_start=2018-01-01&period_end=2019-12-31" in html
    assert 'name="period_start"' in html

    # A preset fills the form in.
    prefilled = client.get(f"{create}?kind=progress&period_start=2019-04-01&period_end=2019-06-30")
    assert 'value="2019-04-01"' in prefilled.content.decode()

    response = client.post(create, report_data())
    report = Report.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:edit", args=[report.pk])
    assert (report.kind, report.status, report.language) == ("progress", "draft", "fr")
    assert (report.period_start, report.period_end) == (date(2019, 4, 1), date(2019, 6, 30))
    assert report.created_by == coordinator
    with translation.override("fr"):
        expected = gettext("Progress report — %(period)s") % {
            "period": gettext("Q%(quarter)s %(year)s") % {"quarter": 2, "year": 2019}
        }
    assert report.title == expected

    page = client.get(reverse("reports:list", args=[plan.pk]))
    assert report.title in unescape(page.content.decode())


def test_the_usual_title_is_in_the_report_s_language(plan, coordinator):
    report = services.report_create(
        plan=plan,
        by=coordinator,
        kind="progress",
        period_start=date(2019, 1, 1),
        period_end=date(2019, 6, 30),
        language="en",
    )
    assert report.title == "Progress report — H1 2019"
    final = services.report_create(
        plan=plan,
        by=coordinator,
        kind="final",
        period_start=plan.period_start,
        period_end=plan.period_end,
        language="en",
        title="  Rapport final du plan  ",
    )
    assert final.title == "Rapport final du plan"
    assert services.default_title(plan, "final", plan.period_start, plan.period_end, "en") == (
        "Final report — 2018–2019"
    )


def test_the_language_defaults_to_the_plan_s(client, mali, coordinator):
    plan = plan_with_content(mali, language="en")
    client.force_login(coordinator)
    page = client.get(reverse("reports:create", args=[plan.pk]))
    assert page.context["form"]["language"].value() == "en"


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"period_start": "2017-12-01"},
            "period_start",
            "The plan runs from %(first)s to %(last)s: choose a date within it.",
        ),
        (
            {"period_end": "2020-01-31"},
            "period_end",
            "The plan runs from %(first)s to %(last)s: choose a date within it.",
        ),
        ({"period_end": "2019-03-31"}, "period_end", "The period ends before it starts."),
        (
            {"kind": "final", "period_start": "2018-01-01", "period_end": "2019-06-30"},
            "period_end",
            "A final report covers the whole plan, from %(first)s to %(last)s.",
        ),
        ({"period_start": ""}, "period_start", "Enter the first day of the period."),
    ],
)
def test_a_bad_period_is_said_at_the_field_and_nothing_is_saved(
    client, plan, coordinator, overrides, field, message
):
    client.force_login(coordinator)
    before = state()
    response = client.post(reverse("reports:create", args=[plan.pk]), report_data(**overrides))
    assert response.status_code == 200
    assert french(message).split(" %")[0].split(":")[0] in field_error(response, field)
    assert state() == before


# Writing the narrative ------------------------------------------------------------------------


def test_the_narrative_is_written_per_objective(client, plan, coordinator, draft):
    client.force_login(coordinator)
    url = reverse("reports:edit", args=[draft.pk])
    page = client.get(url)
    assert page.status_code == 200
    first, second = plan.objectives.order_by("position")
    html = page.content.decode()
    assert f'name="result-{first.key}"' in html and f'name="result-{second.key}"' in html

    response = client.post(
        url,
        {
            "summary": "Une année de plaidoyer auprès des parlementaires.",
            f"result-{first.key}": "L'avant-projet de loi a été remis au ministère.",
            f"result-{second.key}": "",
            "difficulties": "Des décaissements tardifs.",
            "lessons": "",
            "next_steps": "Le conseil des ministres.",
            "recommendations": "",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:detail", args=[draft.pk])
    draft.refresh_from_db()
    assert draft.summary == "Une année de plaidoyer auprès des parlementaires."
    assert draft.results == {str(first.key): "L'avant-projet de loi a été remis au ministère."}
    assert draft.difficulties == "Des décaissements tardifs."

    page = unescape(client.get(response["Location"]).content.decode())
    assert "Une année de plaidoyer auprès des parlementaires." in page
    assert "L'avant-projet de loi a été remis au ministère." in page


def test_an_objective_of_another_plan_is_refused(plan, mali, coordinator, draft):
    other = plan_with_content(mali)
    stranger = str(other.objectives.first().key)
    before = state()
    with pytest.raises(Exception) as error:
        services.report_update(report=draft, by=coordinator, results={stranger: "Texte"})
    assert "results" in error.value.message_dict
    assert state() == before


# The page -------------------------------------------------------------------------------------


def test_the_report_page_shows_its_figures_documents_and_links(client, plan, coordinator, draft):
    ActivityUpdate.objects.create(
        activity=plan.objectives.get(position=1).activities.get(position=1),
        status=ActivityUpdate.Status.DONE,
        percent_done=100,
        on=date(2018, 3, 20),
        by=coordinator,
    )
    client.force_login(coordinator)
    page = client.get(reverse("reports:detail", args=[draft.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    for name in ("docx", "pdf", "xlsx"):
        assert reverse(f"reports:{name}", args=[draft.pk]) in html
    assert reverse("reports:iati", args=[plan.pk]) in html
    assert 'id="figures-budget"' in html
    assert 'id="figures-empty"' not in html
    figures = page.context["figures"]
    assert figures["activities"]["counts"]["done"] == 1
    # Amounts written as the language writes them, in the plan's currency.
    assert format_money(Decimal("3750000"), "XOF", "fr") in html
    # The submit form, for the coordinator: the country's ministries and the plan's partners.
    assert 'id="submit"' in html


def test_a_draft_with_nothing_in_its_period_says_so(client, mali, coordinator):
    plan = plan_with_content(mali, status=Plan.Status.ADOPTED)
    report = services.report_create(
        plan=plan,
        by=coordinator,
        kind="progress",
        period_start=date(2019, 7, 1),
        period_end=date(2019, 9, 30),
    )
    client.force_login(coordinator)
    page = client.get(reverse("reports:detail", args=[report.pk]))
    html = page.content.decode()
    assert page.context["figures"]["empty"] is True
    assert 'id="figures-empty"' in html
    assert 'id="figures-budget"' not in html


# Submitting -----------------------------------------------------------------------------------


def test_the_coordinator_submits_to_a_ministry_and_a_partner(
    client, plan, coordinator, draft, mjdh, icmpd
):
    client.force_login(coordinator)
    page = client.get(reverse("reports:detail", args=[draft.pk]))
    choices = {o.pk for o in page.context["submit_form"].fields["addressees"].queryset}
    assert {mjdh.pk, icmpd.pk} <= choices
    assert plan.country.national_body_id not in choices

    response = client.post(
        reverse("reports:submit", args=[draft.pk]), {"addressees": [mjdh.pk, icmpd.pk]}
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == "submitted"
    assert draft.submitted_by == coordinator and draft.submitted_at is not None
    assert set(draft.addressees.all()) == {mjdh, icmpd}
    assert draft.figures["period"]["start"] == "2018-01-01"
    assert draft.checksum == checksum(draft.figures)
    assert len(draft.checksum) == 64

    page = client.get(reverse("reports:detail", args=[draft.pk]))
    html = page.content.decode()
    assert draft.checksum in html
    assert 'id="submit"' not in html
    assert 'id="changes"' not in html  # the data have not moved


def test_a_submission_names_whom_it_is_addressed_to(client, coordinator, draft, unicef):
    client.force_login(coordinator)
    before = state()
    response = client.post(reverse("reports:submit", args=[draft.pk]), {"addressees": []})
    assert response.status_code == 200
    assert french("Choose whom the report is addressed to: a ministry, a partner…")[:20] in (
        field_error(response, "addressees")
    )
    # An organisation neither of the country nor party to the plan is not a choice.
    response = client.post(reverse("reports:submit", args=[draft.pk]), {"addressees": [unicef.pk]})
    assert response.status_code == 200
    assert field_error(response, "addressees")
    assert state() == before


def test_a_submitted_report_is_never_edited_nor_submitted_again(
    client, coordinator, submitted, mjdh
):
    client.force_login(coordinator)
    before = state()
    reason = french("This report has been submitted: its text and figures can no longer change.")
    for response in (
        client.get(reverse("reports:edit", args=[submitted.pk])),
        client.post(reverse("reports:edit", args=[submitted.pk]), {"summary": "Changé"}),
    ):
        assert response.status_code == 403
        assert reason in unescape(response.content.decode())
    response = client.post(
        reverse("reports:submit", args=[submitted.pk]), {"addressees": [mjdh.pk]}
    )
    assert response.status_code == 403
    assert french("This report has already been submitted.") in unescape(response.content.decode())
    with pytest.raises(Exception, match="submitted"):
        with translation.override("en"):
            services.report_submit(report=submitted, by=coordinator, addressees=[mjdh])
    assert state() == before


# Acknowledging --------------------------------------------------------------------------------


def test_a_partner_addressed_reads_and_acknowledges_once(
    client, make_user, plan, submitted, icmpd, draft
):
    representative = make_user("partner", icmpd)
    client.force_login(representative)
    # The list shows them only the submitted reports addressed to their organisation.
    later = services.report_create(
        plan=plan,
        by=submitted.created_by,
        kind="progress",
        period_start=date(2019, 1, 1),
        period_end=date(2019, 6, 30),
    )
    # The plan's page leads them there.
    plan_page = client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert reverse("reports:list", args=[plan.pk]) in plan_page
    page = client.get(reverse("reports:list", args=[plan.pk]))
    assert page.status_code == 200
    assert [r.pk for r in page.context["reports"]] == [submitted.pk]
    assert page.context["form"] is None
    assert client.get(reverse("reports:detail", args=[later.pk])).status_code == 404

    page = client.get(reverse("reports:detail", args=[submitted.pk]))
    assert page.status_code == 200
    assert 'id="acknowledge"' in page.content.decode()
    url = reverse("reports:acknowledge", args=[submitted.pk])
    assert client.post(url, {"comment": "Bien reçu."}).status_code == 302
    acknowledgement = Acknowledgement.objects.get()
    assert (acknowledgement.by, acknowledgement.organisation) == (representative, icmpd)
    assert acknowledgement.comment == "Bien reçu."
    # Once per person.
    assert client.post(url).status_code == 302
    assert Acknowledgement.objects.count() == 1
    page = client.get(reverse("reports:detail", args=[submitted.pk]))
    assert 'id="acknowledge"' not in page.content.decode()


def test_a_regional_coordinator_acknowledges(client, make_user, submitted):
    regional = make_user("regional")
    client.force_login(regional)
    assert client.post(reverse("reports:acknowledge", args=[submitted.pk])).status_code == 302
    acknowledgement = Acknowledgement.objects.get()
    assert (acknowledgement.by, acknowledgement.organisation) == (regional, None)


# Who may --------------------------------------------------------------------------------------


def test_another_country_is_told_the_reports_do_not_exist(
    client, make_user, senegal, plan, submitted, mjdh
):
    client.force_login(make_user("coordinator", senegal))
    before = state()
    for url in (
        reverse("reports:list", args=[plan.pk]),
        reverse("reports:create", args=[plan.pk]),
        reverse("reports:detail", args=[submitted.pk]),
        reverse("reports:edit", args=[submitted.pk]),
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("reports:create", args=[plan.pk]), report_data()).status_code == 404
    for name in ("submit", "acknowledge"):
        url = reverse(f"reports:{name}", args=[submitted.pk])
        assert client.post(url, {"addressees": [mjdh.pk]}).status_code == 404
    assert state() == before


def test_a_partner_not_addressed_is_told_they_do_not_exist(
    client, make_user, plan, submitted, icmpd
):
    # A partner of the plan (it funds it), to whom the report was not addressed.
    other = OrganisationFactory(acronym="UE", kind=Organisation.Kind.PARTNER, country=None)
    plan.objectives.first().activities.first().partners.add(other)
    client.force_login(make_user("partner", other))
    plan_page = client.get(reverse("plans:detail", args=[plan.pk]))
    assert plan_page.status_code == 200
    # No link to a list it may not read.
    assert reverse("reports:list", args=[plan.pk]) not in plan_page.content.decode()
    before = state()
    assert client.get(reverse("reports:list", args=[plan.pk])).status_code == 404
    assert client.get(reverse("reports:detail", args=[submitted.pk])).status_code == 404
    url = reverse("reports:acknowledge", args=[submitted.pk])
    assert client.post(url).status_code == 404
    assert state() == before


def test_an_observer_reads_but_may_not_write_submit_or_acknowledge(
    client, make_user, mali, plan, draft, submitted, mjdh
):
    later = services.report_create(
        plan=plan,
        by=submitted.created_by,
        kind="progress",
        period_start=date(2019, 1, 1),
        period_end=date(2019, 6, 30),
    )
    client.force_login(make_user("observer", mali))
    assert client.get(reverse("reports:list", args=[plan.pk])).status_code == 200
    assert client.get(reverse("reports:detail", args=[later.pk])).status_code == 200
    before = state()
    assert client.get(reverse("reports:create", args=[plan.pk])).status_code == 403
    assert client.post(reverse("reports:create", args=[plan.pk]), report_data()).status_code == 403
    assert client.get(reverse("reports:edit", args=[later.pk])).status_code == 403
    assert (
        client.post(reverse("reports:edit", args=[later.pk]), {"summary": "x"}).status_code == 403
    )
    url = reverse("reports:submit", args=[later.pk])
    assert client.post(url, {"addressees": [mjdh.pk]}).status_code == 403
    assert client.post(reverse("reports:acknowledge", args=[submitted.pk])).status_code == 403
    assert state() == before


def test_a_contributor_writes_but_the_coordinator_submits(
    client, make_user, mali, plan, draft, mjdh
):
    client.force_login(make_user("contributor", mali))
    response = client.post(reverse("reports:create", args=[plan.pk]), report_data())
    assert response.status_code == 302
    assert client.get(reverse("reports:edit", args=[draft.pk])).status_code == 200
    before = state()
    url = reverse("reports:submit", args=[draft.pk])
    assert client.post(url, {"addressees": [mjdh.pk]}).status_code == 403
    assert state() == before


def test_the_country_s_coordinator_does_not_acknowledge(client, coordinator, submitted):
    client.force_login(coordinator)
    before = state()
    assert client.post(reverse("reports:acknowledge", args=[submitted.pk])).status_code == 403
    assert state() == before


def test_only_post_changes_anything(client, coordinator, draft):
    client.force_login(coordinator)
    assert client.get(reverse("reports:submit", args=[draft.pk])).status_code == 405
    assert client.get(reverse("reports:acknowledge", args=[draft.pk])).status_code == 405


# History --------------------------------------------------------------------------------------


def test_the_history_records_who_did_what(client, make_user, mali, coordinator, draft, mjdh):
    contributor = make_user("contributor", mali)
    client.force_login(contributor)
    client.post(reverse("reports:edit", args=[draft.pk]), {"summary": "Résumé"})
    client.force_login(coordinator)
    client.post(reverse("reports:submit", args=[draft.pk]), {"addressees": [mjdh.pk]})
    records = list(draft.history.order_by("history_id"))
    assert [r.history_user for r in records][:2] == [coordinator, contributor]
    assert records[0].history_type == "+"
    assert records[1].summary == "Résumé"
    assert records[-1].status == "submitted" and records[-1].history_user == coordinator
    assert records[-1].checksum == Report.objects.get().checksum
    page = client.get(reverse("history", args=["reports", "report", draft.pk]))
    assert page.status_code == 200


# The pages' cost ------------------------------------------------------------------------------


def test_the_list_reads_the_database_a_fixed_number_of_times(
    client, make_user, plan, coordinator, mjdh, icmpd, django_assert_max_num_queries
):
    def add(count):
        for index in range(count):
            report = services.report_create(
                plan=plan,
                by=coordinator,
                kind="progress",
                period_start=date(2018, 1 + index % 12, 1),
                period_end=date(2018, 12, 31),
            )
            report = services.report_submit(report=report, by=coordinator, addressees=[mjdh, icmpd])
            services.report_acknowledge(report=report, by=make_user("regional"))

    client.force_login(coordinator)
    url = reverse("reports:list", args=[plan.pk])
    client.get(url)
    add(2)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    add(8)
    with django_assert_max_num_queries(len(few)):
        response = client.get(url)
    assert len(response.context["reports"]) == 10


def test_the_report_page_reads_the_database_a_fixed_number_of_times(
    client, make_user, plan, coordinator, submitted, django_assert_max_num_queries
):
    client.force_login(coordinator)
    url = reverse("reports:detail", args=[submitted.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for _index in range(6):
        services.report_acknowledge(report=submitted, by=make_user("regional"))
    with django_assert_max_num_queries(len(few)):
        assert client.get(url).status_code == 200


def test_canonical_json_is_what_the_checksum_reads(submitted):
    import hashlib

    assert hashlib.sha256(canonical_json(submitted.figures)).hexdigest() == submitted.checksum
