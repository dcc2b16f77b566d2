"""Expenditures end to end: what the totals count (validated, to validate, corrected), the
conversion to the plan's currency, the overrun that must be confirmed, bad input said at the
field with nothing saved, who may enter and validate (403 at home, 404 elsewhere), a validated
expenditure that no request can change, the correction flow, and the list's cost."""

import re
from datetime import date, timedelta
from decimal import Decimal
from html import unescape

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from relais.core.money import XOF_PER_EUR, format_money, format_rate
from relais.funding import services as funding
from relais.monitoring import expenditures as services
from relais.monitoring.models import Evidence, Expenditure
from relais.plans.models import Plan
from relais.plans.tests.factories import plan_with_content

pytestmark = pytest.mark.django_db
D = Decimal
Status = Expenditure.Status
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def french(msgid):
    """The longest run of `msgid`'s French text between its placeholders."""
    with translation.override("fr"):
        text = gettext(msgid)
    return max(re.split(r"%\(\w+\)s", text), key=len).strip()


def field_error(response, name):
    """The text of the error shown at the field `name`."""
    html = response.content.decode()
    block = re.search(rf'<div id="id_{name}_error"[^>]*>(.*?)</div>', html, re.S)
    assert block, f"no error shown at {name!r}"
    return unescape(block.group(1))


def state():
    """What a refused or failed request must leave as it was."""
    return {
        "expenditures": list(
            Expenditure.objects.order_by("pk").values_list(
                "pk",
                "activity_id",
                "contribution_id",
                "spent_on",
                "amount",
                "currency",
                "description",
                "status",
                "corrects_id",
                "validated_by_id",
                "overrun_confirmed_by_id",
            )
        ),  # fmt: skip
        "history": Expenditure.history.count(),
        "evidence": Evidence.objects.count(),
    }


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def coordinator(make_user, mali):
    return make_user("coordinator", mali)


@pytest.fixture
def plan(mali):
    return plan_with_content(mali, status=Plan.Status.ADOPTED, currency="XOF")


@pytest.fixture
def activities(plan):
    return list(
        plan.objectives.order_by("position")
        .first()
        .activities.order_by("position")
        .select_related("objective__plan")
    ) + list(plan.objectives.get(position=2).activities.select_related("objective__plan"))


@pytest.fixture
def activity(activities):
    return activities[0]


@pytest.fixture
def contributor(make_user, mali, activity):
    user = make_user("contributor", mali)
    activity.assignees.add(user)
    return user


@pytest.fixture
def icmpd(plan, coordinator):
    """60 000 EUR confirmed, 30 000 EUR disbursed."""
    from relais.countries.models import Organisation
    from relais.countries.tests.factories import OrganisationFactory

    partner = OrganisationFactory(acronym="ICMPD", kind=Organisation.Kind.PARTNER, country=None)
    contribution = funding.contribution_create(
        plan=plan,
        by=coordinator,
        partner=partner,
        currency="EUR",
        amount=D(60000),
        announced_on=date(2018, 4, 26),
    )
    funding.contribution_confirm(
        contribution=contribution,
        by=coordinator,
        amount=D(60000),
        signed_on=date(2018, 6, 12),
        reference="ICMPD/2018/014",
    )
    funding.disbursement_create(
        contribution=contribution, by=coordinator, paid_on=date(2018, 7, 2), amount=D(30000)
    )
    contribution.refresh_from_db()
    return contribution


def spend(activity, by, amount, currency="XOF", contribution=None, **fields):
    fields.setdefault("spent_on", date(2018, 8, 1))
    fields.setdefault("description", "Location de la salle")
    return services.expenditure_create(
        activity=activity, by=by, amount=D(amount), currency=currency, contribution=contribution,
        **fields,
    )  # fmt: skip


def form(activity, **overrides):
    data = {
        "activity": activity.pk,
        "contribution": "",
        "spent_on": "2018-08-01",
        "amount": "1 500 000",
        "currency": "",
        "description": "Location de la salle et pauses-café",
    }
    data.update(overrides)
    return data


# The arithmetic ------------------------------------------------------------------------------


def test_totals_count_validated_apart_from_drafts_and_never_the_corrected(
    plan, activities, coordinator, icmpd
):
    a, b, c = activities
    validated = spend(a, coordinator, 1_000_000)
    services.expenditure_validate(expenditure=validated, by=coordinator)
    spend(b, coordinator, 400_000)  # a draft: to validate, not spent
    euros = spend(a, coordinator, 1000, "EUR", icmpd)
    services.expenditure_validate(expenditure=euros, by=coordinator)
    wrong = spend(c, coordinator, 700_000)
    services.expenditure_validate(expenditure=wrong, by=coordinator)
    fixed = services.expenditure_correct(
        expenditure=wrong, by=coordinator, correction_reason="Facture mal lue",
        activity=c, spent_on=date(2018, 8, 1), amount=D(70_000), description="Pauses-café",
    )  # fmt: skip
    # Until the correction is validated, the corrected one counts, the correction waits.
    assert services.spent_by_activity(plan) == {a.pk: D(1_655_957), c.pk: D(700_000)}
    services.expenditure_validate(expenditure=fixed, by=coordinator)
    wrong.refresh_from_db()
    assert wrong.status == Status.CORRECTED
    # 1 000 EUR at the peg: 655 957 FCFA.
    assert services.spent_by_activity(plan) == {a.pk: D(1_655_957), c.pk: D(70_000)}
    assert services.spent_by_source(plan) == {None: D(1_070_000), icmpd.pk: D(655_957)}

    rows, balances = services.plan_expenditures(plan=plan)
    by_source = {b.contribution.pk if b.contribution else None: b for b in balances}
    assert by_source[icmpd.pk].disbursed_own == D(30000)
    assert by_source[icmpd.pk].spent_own == D(1000)
    assert by_source[icmpd.pk].left_own == D(29000)
    assert by_source[icmpd.pk].left == D(19_678_710) - D(655_957)  # 30 000 EUR − 1 000 EUR
    assert by_source[None].spent == D(1_070_000) and by_source[None].pending == D(400_000)
    euro_row = next(r for r in rows if r.pk == euros.pk)
    assert euro_row.in_plan == D(655_957)
    assert (
        "655,957" in euro_row.conversion.describe() or "655.957" in euro_row.conversion.describe()
    )


def test_the_list_shows_totals_rates_and_what_each_source_has_left(
    client, plan, activities, coordinator, icmpd
):
    a, b, _c = activities
    euros = spend(a, coordinator, 1000, "EUR", icmpd, description="Billets d'avion")
    services.expenditure_validate(expenditure=euros, by=coordinator)
    spend(b, coordinator, 250_000)
    client.force_login(coordinator)
    with translation.override("en"):
        response = client.get(reverse("monitoring:expenditures", args=[plan.pk]))
    assert response.status_code == 200
    assert response.context["totals"]["validated"] == D(655_957)
    assert response.context["totals"]["pending"] == D(250_000)
    html = response.content.decode()
    assert "Billets d&#x27;avion" in html and "ICMPD" in html
    # The amount in FCFA, with the rate it used.
    assert format_money(D(655_957), "XOF", "fr") in unescape(html)
    assert format_rate(XOF_PER_EUR, "fr") in unescape(html)
    assert f'id="source-{icmpd.pk}"' in html
    # Filters: by status, objective and source.
    url = reverse("monitoring:expenditures", args=[plan.pk])
    drafts = client.get(url, {"status": "draft"}).context["page"].object_list
    assert [r.expenditure.amount for r in drafts] == [D(250_000)]
    from_icmpd = client.get(url, {"source": icmpd.pk}).context["page"].object_list
    assert [r.expenditure for r in from_icmpd] == [euros]
    state_only = client.get(url, {"source": "state"}).context["page"].object_list
    assert [r.expenditure.amount for r in state_only] == [D(250_000)]
    second = plan.objectives.get(position=2)
    assert list(client.get(url, {"objective": second.pk}).context["page"].object_list) == []


def test_the_list_runs_the_same_queries_for_3_or_30_expenditures(
    client, plan, activities, coordinator, icmpd, django_assert_max_num_queries
):
    def make(count):
        for index in range(count):
            activity = activities[index % 3]
            e = spend(activity, coordinator, 1000 + index, "EUR" if index % 2 else "XOF",
                      icmpd if index % 2 else None)  # fmt: skip
            if index % 3:
                services.expenditure_validate(expenditure=e, by=coordinator)

    client.force_login(coordinator)
    url = reverse("monitoring:expenditures", args=[plan.pk])
    make(3)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    make(27)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert len(response.context["page"].object_list) == 30


def test_an_unchanged_list_answers_304(client, plan, activity, coordinator):
    spend(activity, coordinator, 1000)
    client.force_login(coordinator)
    url = reverse("monitoring:expenditures", args=[plan.pk])
    client.get(url)  # the first page sets the CSRF cookie, part of what a page's version holds
    first = client.get(url)
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    spend(activity, coordinator, 2000)
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


# Entering one --------------------------------------------------------------------------------


def test_a_coordinator_enters_an_expenditure_with_its_receipt(client, plan, activity, coordinator):
    client.force_login(coordinator)
    url = reverse("monitoring:expenditure_create", args=[plan.pk])
    assert client.get(url).status_code == 200
    receipt = SimpleUploadedFile("facture.pdf", PDF, content_type="application/pdf")
    response = client.post(url, form(activity, amount="1 500 000", document=receipt))
    expenditure = Expenditure.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("monitoring:expenditure", args=[expenditure.pk])
    assert expenditure.amount == D(1_500_000) and expenditure.currency == "XOF"  # the plan's
    assert expenditure.status == Status.DRAFT and expenditure.entered_by == coordinator
    assert expenditure.evidence.get().original_name == "facture.pdf"
    detail = client.get(response["Location"])
    assert detail.status_code == 200 and "facture.pdf" in detail.content.decode()


def test_the_currency_defaults_to_the_contributions_and_decimals_are_read(
    client, plan, activity, coordinator, icmpd
):
    client.force_login(coordinator)
    url = reverse("monitoring:expenditure_create", args=[plan.pk])
    client.post(url, form(activity, contribution=icmpd.pk, amount="1500,50"))
    expenditure = Expenditure.objects.get()
    assert (expenditure.amount, expenditure.currency) == (D("1500.50"), "EUR")


def test_a_file_that_is_not_what_it_says_is_refused_and_nothing_saved(
    client, plan, activity, coordinator
):
    client.force_login(coordinator)
    before = state()
    fake = SimpleUploadedFile("facture.pdf", b"not a pdf at all\n", content_type="application/pdf")
    response = client.post(
        reverse("monitoring:expenditure_create", args=[plan.pk]), form(activity, document=fake)
    )
    assert response.status_code == 200
    assert "facture.pdf" in field_error(response, "document")
    assert state() == before


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"amount": "0"}, "amount", "The amount must be more than zero."),
        ({"amount": "-5"}, "amount", "Enter a positive amount."),
        (
            {"amount": "1500000,50"},
            "amount",
            "Amounts in %(currency)s have at most %(places)s decimals.",
        ),
        ({"description": " "}, "description", "This field is required."),
        (
            {"spent_on": "2017-12-31"},
            "spent_on",
            "The plan starts on %(start)s: an expenditure cannot come before.",
        ),
    ],
)
def test_bad_input_is_said_at_the_field_and_nothing_saved(
    client, plan, activity, coordinator, overrides, field, message
):
    client.force_login(coordinator)
    before = state()
    response = client.post(
        reverse("monitoring:expenditure_create", args=[plan.pk]), form(activity, **overrides)
    )
    assert response.status_code == 200
    assert french(message) in field_error(response, field)
    assert state() == before


def test_a_future_date_is_refused(client, plan, activity, coordinator):
    client.force_login(coordinator)
    before = state()
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client.post(
        reverse("monitoring:expenditure_create", args=[plan.pk]),
        form(activity, spent_on=tomorrow.isoformat()),
    )
    future = (
        "%(date)s is in the future: record an expenditure once it is made (today is %(today)s)."
    )
    assert french(future) in field_error(response, "spent_on")
    assert state() == before
    with pytest.raises(ValidationError) as error:
        spend(activity, coordinator, 1000, spent_on=tomorrow)
    assert "spent_on" in error.value.message_dict


def test_an_overrun_must_be_confirmed_and_the_confirmation_is_recorded(
    client, plan, activity, coordinator, icmpd
):
    spend(activity, coordinator, 25_000, "EUR", icmpd)  # a draft counts as already spent
    client.force_login(coordinator)
    url = reverse("monitoring:expenditure_create", args=[plan.pk])
    data = form(activity, contribution=icmpd.pk, amount="6 000", currency="EUR")
    before = state()
    response = client.post(url, data)
    assert response.status_code == 200 and state() == before
    warning = field_error(response, "confirm_overrun")
    # Disbursed, already spent, this amount and the excess: all said, in the contribution's
    # currency, as the reader's language (French) writes them.
    for figure in (30_000, 25_000, 6_000, 1_000):
        assert format_money(D(figure), "EUR", "fr") in warning
    assert 'name="confirm_overrun"' in response.content.decode()

    response = client.post(url, {**data, "confirm_overrun": "on"})
    assert response.status_code == 302
    expenditure = Expenditure.objects.latest("pk")
    assert expenditure.overrun_confirmed_by == coordinator
    assert expenditure.overrun_confirmed_at is not None
    detail = client.get(response["Location"]).content.decode()
    assert 'id="overrun-confirmed"' in detail and coordinator.full_name in detail


def test_within_what_was_disbursed_no_confirmation_is_asked(plan, activity, coordinator, icmpd):
    expenditure = spend(activity, coordinator, 30_000, "EUR", icmpd)
    assert expenditure.overrun_confirmed_by is None
    with pytest.raises(services.Overrun):
        spend(activity, coordinator, D("0.01"), "EUR", icmpd)


# Who may -------------------------------------------------------------------------------------


def test_an_assigned_contributor_enters_on_their_activity_only(
    client, plan, activities, contributor
):
    a, b, _c = activities
    client.force_login(contributor)
    url = reverse("monitoring:expenditure_create", args=[plan.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert list(page.context["form"].fields["activity"].queryset) == [a]
    assert client.post(url, form(a)).status_code == 302
    before = state()
    assert client.post(url, form(b)).status_code == 403  # crafted: not theirs
    assert state() == before


def test_a_contributor_not_assigned_gets_403_and_nothing_is_saved(
    client, plan, activity, make_user, mali
):
    client.force_login(make_user("contributor", mali))
    url = reverse("monitoring:expenditure_create", args=[plan.pk])
    before = state()
    assert client.get(url).status_code == 403
    assert client.post(url, form(activity)).status_code == 403
    assert state() == before
    with pytest.raises(PermissionDenied):
        spend(activity, make_user("observer", mali), 1000)
    assert state() == before


@pytest.mark.parametrize("kind", ["observer", "contributor"])
def test_only_a_coordinator_validates(client, plan, activity, coordinator, make_user, mali, kind):
    expenditure = spend(activity, coordinator, 1000)
    user = make_user(kind, mali)
    activity.assignees.add(user)
    client.force_login(user)
    before = state()
    response = client.post(reverse("monitoring:expenditure_validate", args=[expenditure.pk]))
    assert response.status_code == 403
    assert state() == before


def test_another_countrys_people_get_404_everywhere(
    client, plan, activity, coordinator, make_user, senegal
):
    expenditure = spend(activity, coordinator, 1000)
    client.force_login(make_user("coordinator", senegal))
    before = state()
    for url in (
        reverse("monitoring:expenditures", args=[plan.pk]),
        reverse("monitoring:expenditure_create", args=[plan.pk]),
        reverse("monitoring:expenditure", args=[expenditure.pk]),
        reverse("monitoring:expenditure_edit", args=[expenditure.pk]),
        reverse("monitoring:expenditure_correct", args=[expenditure.pk]),
    ):
        assert client.get(url).status_code == 404, url
    create = reverse("monitoring:expenditure_create", args=[plan.pk])
    assert client.post(create, form(activity)).status_code == 404
    validate = reverse("monitoring:expenditure_validate", args=[expenditure.pk])
    assert client.post(validate).status_code == 404
    assert state() == before


def test_a_draft_plan_takes_no_expenditure(client, mali, coordinator):
    draft = plan_with_content(mali)
    activity = draft.objectives.first().activities.first()
    client.force_login(coordinator)
    assert client.get(reverse("monitoring:expenditures", args=[draft.pk])).status_code == 200
    url = reverse("monitoring:expenditure_create", args=[draft.pk])
    assert client.post(url, form(activity)).status_code == 403
    assert not Expenditure.objects.exists()


# Validated: never changed silently; corrected instead ----------------------------------------


def test_a_validated_expenditure_cannot_be_changed_by_any_request(
    client, plan, activity, coordinator
):
    expenditure = spend(activity, coordinator, 1_000_000)
    services.expenditure_validate(expenditure=expenditure, by=coordinator)
    client.force_login(coordinator)
    url = reverse("monitoring:expenditure_edit", args=[expenditure.pk])
    before = state()
    history = list(expenditure.history.values_list("history_id", "amount", "status"))
    assert client.get(url).status_code == 403
    response = client.post(url, form(activity, amount="1"))  # crafted
    assert response.status_code == 403
    assert state() == before
    assert list(expenditure.history.values_list("history_id", "amount", "status")) == history
    with pytest.raises(ValidationError):
        services.expenditure_update(
            expenditure=expenditure, by=coordinator, activity=activity,
            spent_on=date(2018, 8, 1), amount=D(1), description="x",
        )  # fmt: skip
    assert state() == before
    # Validating it again changes nothing either.
    client.post(reverse("monitoring:expenditure_validate", args=[expenditure.pk]))
    assert state() == before


def test_a_draft_is_edited_and_its_history_kept(client, plan, activity, coordinator):
    expenditure = spend(activity, coordinator, 1000)
    client.force_login(coordinator)
    url = reverse("monitoring:expenditure_edit", args=[expenditure.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, form(activity, amount="2 000"))
    assert response.status_code == 302
    expenditure.refresh_from_db()
    assert expenditure.amount == D(2000)
    assert expenditure.history.count() == 2


def test_the_correction_flow(client, plan, activity, coordinator, contributor):
    expenditure = spend(activity, coordinator, 1_000_000)
    client.force_login(coordinator)
    client.post(reverse("monitoring:expenditure_validate", args=[expenditure.pk]))
    expenditure.refresh_from_db()
    assert expenditure.status == Status.VALIDATED and expenditure.validated_by == coordinator

    # The assigned contributor proposes a correction; the reason is required.
    client.force_login(contributor)
    url = reverse("monitoring:expenditure_correct", args=[expenditure.pk])
    assert client.get(url).status_code == 200
    before = state()
    response = client.post(url, form(activity, amount="100 000"))
    assert response.status_code == 200 and state() == before
    assert field_error(response, "correction_reason")
    data = {**form(activity, amount="100 000"), "correction_reason": "Un zéro de trop"}
    response = client.post(url, data)
    correction = Expenditure.objects.get(corrects=expenditure)
    assert response.status_code == 302 and correction.status == Status.DRAFT
    assert services.spent_by_activity(plan) == {activity.pk: D(1_000_000)}
    # A second correction of the same expenditure goes to the pending one.
    assert client.get(url).status_code == 302

    client.force_login(coordinator)
    detail = client.get(reverse("monitoring:expenditure", args=[correction.pk])).content.decode()
    assert "Un zéro de trop" in detail and 'id="validate"' in detail
    client.post(reverse("monitoring:expenditure_validate", args=[correction.pk]))
    expenditure.refresh_from_db()
    correction.refresh_from_db()
    assert expenditure.status == Status.CORRECTED and correction.status == Status.VALIDATED
    assert services.spent_by_activity(plan) == {activity.pk: D(100_000)}
    old = client.get(reverse("monitoring:expenditure", args=[expenditure.pk])).content.decode()
    assert reverse("monitoring:expenditure", args=[correction.pk]) in old
    assert 'id="validate"' not in old
    # The old one is kept, its amount unchanged, its history telling the correction.
    assert expenditure.amount == D(1_000_000)
    assert expenditure.history.first().status == Status.CORRECTED


def test_the_detail_shows_who_entered_and_validated(client, plan, activity, coordinator):
    expenditure = spend(activity, coordinator, 1000)
    services.expenditure_validate(expenditure=expenditure, by=coordinator)
    client.force_login(coordinator)
    response = client.get(reverse("monitoring:expenditure", args=[expenditure.pk]))
    html = response.content.decode()
    assert html.count(coordinator.full_name) >= 2
    assert reverse("monitoring:expenditure_correct", args=[expenditure.pk]) in html
    assert reverse("monitoring:expenditure_edit", args=[expenditure.pk]) not in html


def test_a_partner_representative_reads_only_what_their_contributions_paid(
    client, plan, activity, coordinator, icmpd, make_user
):
    theirs = spend(activity, coordinator, 1000, "EUR", icmpd)
    state_paid = spend(activity, coordinator, 50_000)
    client.force_login(make_user("partner", icmpd.partner))
    response = client.get(reverse("monitoring:expenditures", args=[plan.pk]))
    assert response.status_code == 200
    assert [r.expenditure for r in response.context["page"].object_list] == [theirs]
    assert [b.contribution for b in response.context["balances"]] == [icmpd]
    assert client.get(reverse("monitoring:expenditure", args=[theirs.pk])).status_code == 200
    assert client.get(reverse("monitoring:expenditure", args=[state_paid.pk])).status_code == 404
    before = state()
    url = reverse("monitoring:expenditure_create", args=[plan.pk])
    assert client.post(url, form(activity)).status_code == 403
    assert state() == before


def test_the_receipt_is_served_to_readers_of_the_plan(client, plan, activity, coordinator):
    receipt = SimpleUploadedFile("recu.pdf", PDF, content_type="application/pdf")
    expenditure = spend(activity, coordinator, 1000, document=receipt)
    evidence = expenditure.evidence.get()
    assert evidence.kind == "pdf"
    client.force_login(coordinator)
    response = client.get(reverse("monitoring:evidence", args=[evidence.pk]))
    assert response.status_code == 200
