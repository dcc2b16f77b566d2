"""The plans' bad input (issue 4), read in French, the default language: each is told plainly,
in French, at the field it concerns (or above the form, or by a 403 page for a frozen plan),
and nothing is saved. With and without JavaScript (htmx)."""

import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from relais.plans import services
from relais.plans.models import Plan
from relais.plans.tests.factories import plan_with_content, snapshot

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def french(msgid, **params):
    """The French of `msgid`, checked to be a translation rather than the English fallback."""
    with translation.override("fr"):
        text = gettext(msgid)
    assert text != msgid, f"{msgid!r} has no French translation"
    return text % params if params else text


def field_error(response, name):
    """The text of the error shown at the field `name`: the element its input (or, for the
    chronogram, its fieldset) points to with aria-describedby."""
    html = response.content.decode()
    tags = re.findall(rf'<(?:input|select|textarea)[^>]*name="{name}"[^>]*>', html)
    assert tags and all('aria-invalid="true"' in tag for tag in tags), tags
    if name == "months":
        pointer = re.search(r'<fieldset class="months"[^>]*>', html).group()
    else:
        (pointer,) = tags
    described = re.search(r'aria-describedby="([^"]*)"', pointer).group(1).split()
    error_id = next(i for i in described if i.endswith("_error"))
    block = re.search(rf'<div id="{error_id}"[^>]*>(.*?)</div>', html, re.S)
    assert block, f"no element {error_id!r} for the field {name!r}"
    return block.group(1)


@pytest.fixture
def coordinator(make_user, mali, client):
    user = make_user("coordinator", mali, language="fr")
    client.force_login(user)
    return user


@pytest.fixture
def plan(mali, coordinator):
    return plan_with_content(mali, title="Plan d'action de plaidoyer 2018-2019")


@pytest.fixture
def objective(plan):
    return plan.objectives.get(position=1)


@pytest.fixture
def activity(objective):
    return objective.activities.get(position=1)


def activity_data(**overrides):
    data = {
        "title": "Atelier de validation",
        "months": ["2018-03", "2018-04"],
        "unit_cost": "4 250 000",
        "quantity": "1",
        "unit": "atelier",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


BAD_ACTIVITIES = {
    "a negative unit cost": ({"unit_cost": "-250 000"}, "unit_cost", "Enter a positive amount."),
    "a unit cost in words": (
        {"unit_cost": "quatre millions"},
        "unit_cost",
        "Enter an amount, for example 4 250 000.",
    ),
    "a quantity in words": (
        {"quantity": "deux"},
        "quantity",
        "Enter an amount, for example 4 250 000.",
    ),
    "a negative quantity": ({"quantity": "-1"}, "quantity", "Enter a positive amount."),
    "a negative funding amount": (
        {"source_0": "state", "amount_0": "-5 000"},
        "amount_0",
        "Enter a positive amount.",
    ),
    "a funding amount in words": (
        {"source_0": "state", "amount_0": "cinq mille"},
        "amount_0",
        "Enter an amount, for example 4 250 000.",
    ),
    "no month": ({"months": []}, "months", "Choose at least one month in the chronogram."),
}


def _url(mode, objective, activity):
    if mode == "create":
        return reverse("plans:activity_create", args=[objective.pk])
    return reverse("plans:activity_edit", args=[activity.pk])


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
@pytest.mark.parametrize("mode", ["create", "edit"])
@pytest.mark.parametrize("case", BAD_ACTIVITIES)
def test_bad_activity_input_is_told_in_french_at_the_field(
    client, objective, activity, case, mode, htmx
):
    overrides, field, msgid = BAD_ACTIVITIES[case]
    if mode == "edit":
        overrides = {**overrides, "revision": str(activity.revision)}
    before = snapshot()

    response = client.post(
        _url(mode, objective, activity), activity_data(**overrides), **(HTMX if htmx else {})
    )

    assert response.status_code == 200
    assert escape(french(msgid)) in field_error(response, field)
    assert snapshot() == before


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
@pytest.mark.parametrize("mode", ["create", "edit"])
def test_a_month_outside_the_period_is_told_in_french_at_the_chronogram(
    client, objective, activity, mode, htmx
):
    data = activity_data(months=["2018-03", "2025-01"])
    if mode == "edit":
        data["revision"] = str(activity.revision)
    before = snapshot()

    response = client.post(_url(mode, objective, activity), data, **(HTMX if htmx else {}))

    assert response.status_code == 200
    expected = french(
        "%(months)s is outside the plan's period (%(start)s – %(end)s).",
        months="2025-01",
        start="2018-01",
        end="2019-12",
    )
    assert escape(expected) in field_error(response, "months")
    assert snapshot() == before


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
@pytest.mark.parametrize("statement", ["", "  \n "])
def test_an_empty_objective_statement_is_told_in_french_at_the_field(
    client, plan, objective, statement, htmx
):
    before = snapshot()
    headers = HTMX if htmx else {}
    created = client.post(
        reverse("plans:objective_create", args=[plan.pk]), {"statement": statement}, **headers
    )
    edited = client.post(
        reverse("plans:objective_edit", args=[objective.pk]),
        {"statement": statement, "revision": str(objective.revision)},
        **headers,
    )
    for response in (created, edited):
        assert response.status_code == 200
        assert escape(french("This field is required.")) in field_error(response, "statement")
    assert snapshot() == before


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
@pytest.mark.parametrize("kind", ["coordinator", "contributor", "admin"])
def test_editing_an_adopted_plan_is_refused_in_french(client, make_user, mali, kind, htmx):
    client.force_login(make_user(kind, mali, language="fr"))
    plan = plan_with_content(mali, status=Plan.Status.ADOPTED)
    objective = plan.objectives.get(position=1)
    activity = objective.activities.get(position=1)
    before = snapshot()
    headers = HTMX if htmx else {}
    responses = [
        client.post(
            reverse("plans:activity_edit", args=[activity.pk]),
            activity_data(revision=str(activity.revision)),
            **headers,
        ),
        client.post(
            reverse("plans:activity_create", args=[objective.pk]), activity_data(), **headers
        ),
        client.post(
            reverse("plans:objective_edit", args=[objective.pk]),
            {"statement": "Autre énoncé", "revision": str(objective.revision)},
            **headers,
        ),
        client.post(reverse("plans:activity_delete", args=[activity.pk]), **headers),
    ]
    with translation.override("fr"):
        status = Plan.Status.ADOPTED.label.lower()
    expected = french(
        "This plan is %(status)s: its content can no longer change. Start a revision to change it.",
        status=status,
    )
    for response in responses:
        assert response.status_code == 403
        assert escape(expected) in response.content.decode()
    assert snapshot() == before


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
def test_a_stale_activity_edit_is_told_in_french_and_overwrites_nothing(
    client, objective, activity, htmx
):
    url = reverse("plans:activity_edit", args=[activity.pk])
    headers = HTMX if htmx else {}
    opened_at = str(activity.revision)
    # Awa saves first, from the form she opened at the same revision as Moussa.
    first = client.post(
        url, activity_data(title="Atelier d'Awa", unit_cost="2 000", revision=opened_at), **headers
    )
    assert first.status_code == 200 if htmx else 302
    after_awa = snapshot()

    second = client.post(
        url,
        activity_data(title="Atelier de Moussa", unit_cost="3 000", revision=opened_at),
        **headers,
    )

    assert second.status_code == 200
    html = second.content.decode()
    told = french(
        "Someone else changed this since you opened it, so your changes were not saved. "
        "Their version is shown here and what you typed is still in the form: save again "
        "to replace theirs."
    )
    errors = re.search(r'<div class="errors" role="alert">(.*?)</div>', html, re.S)
    assert errors and escape(told) in errors.group(1)
    assert 'value="Atelier de Moussa"' in html
    assert snapshot() == after_awa
    activity.refresh_from_db()
    assert (activity.title, activity.unit_cost) == ("Atelier d'Awa", Decimal(2000))


def test_a_stale_objective_edit_is_told_in_french_and_overwrites_nothing(client, objective):
    url = reverse("plans:objective_edit", args=[objective.pk])
    opened_at = str(objective.revision)
    client.post(url, {"statement": "Version d'Awa", "revision": opened_at})
    after_awa = snapshot()
    response = client.post(url, {"statement": "Version de Moussa", "revision": opened_at})
    assert response.status_code == 200
    assert (
        escape(
            french(
                "Someone else changed this since you opened it, so your changes were "
                "not saved. Their version is shown here and what you typed is still "
                "in the form: save again to replace theirs."
            )
        )
        in response.content.decode()
    )
    assert snapshot() == after_awa
    objective.refresh_from_db()
    assert objective.statement == "Version d'Awa"


def test_the_service_refuses_a_negative_amount_in_french_and_saves_nothing(objective):
    # What no form stands in front of (an import, a script) is refused by the service too.
    before = snapshot()
    with translation.override("fr"), pytest.raises(ValidationError) as caught:
        services.activity_create(
            objective=objective, by=None, title="Atelier", months=["2018-03"], unit_cost=-1
        )
    assert caught.value.message_dict == {
        "unit_cost": [french("The unit cost is a positive amount.")]
    }
    assert snapshot() == before
