"""Recording contributions: the transitions allowed and refused, the ceiling of disbursements,
and bad input, each with its message and nothing written."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from relais.funding import services
from relais.funding.models import Contribution, ContributionTarget, Disbursement
from relais.plans.tests.factories import ActivityFactory, ObjectiveFactory, PlanFactory

pytestmark = pytest.mark.django_db
D = Decimal


def counts():
    return (
        Contribution.objects.count(),
        ContributionTarget.objects.count(),
        Disbursement.objects.count(),
        Contribution.history.count(),
    )


def refused(call, field=None):
    """The ValidationError `call` raises, in English, and that nothing was written."""
    before = counts()
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        call()
    assert counts() == before
    error = caught.value
    if field:
        assert field in error.message_dict, error
        return " ".join(error.message_dict[field])
    return " ".join(error.messages)


def confirmed(plan, coordinator, partner, amount="1000000", agreed="1000000"):
    contribution = services.contribution_create(
        plan=plan, by=coordinator, partner=partner, currency="XOF", amount=D(amount)
    )
    return services.contribution_confirm(
        contribution=contribution, by=coordinator, amount=D(agreed), signed_on=date(2018, 5, 1)
    )


@pytest.mark.parametrize("amount", ["0", "-5000", "abc", None, "NaN"])
def test_amounts_zero_negative_or_not_numbers_are_refused(plan, coordinator, icmpd, amount):
    message = refused(
        lambda: services.contribution_create(
            plan=plan, by=coordinator, partner=icmpd, currency="XOF", amount=amount
        ),
        "amount",
    )
    assert "amount" in message.lower()


def test_an_unknown_currency_is_refused(plan, coordinator, icmpd):
    message = refused(
        lambda: services.contribution_create(
            plan=plan, by=coordinator, partner=icmpd, currency="XYZ", amount=D(5)
        ),
        "currency",
    )
    assert "XYZ" in message


def test_a_missing_rate_for_the_date_is_said_and_nothing_saved(gambia, make_user, icmpd):
    plan = PlanFactory(country=gambia, currency="GMD")
    message = refused(
        lambda: services.contribution_create(
            plan=plan,
            by=make_user("coordinator", gambia),
            partner=icmpd,
            currency="EUR",
            amount=D(1000),
            announced_on=date(2018, 3, 1),
        ),
        "currency",
    )
    assert message == "No exchange rate for GMD on or before 2018-03-01."


def test_a_pledge_to_an_activity_of_another_plan_is_refused(plan, tree, coordinator, icmpd):
    other = ActivityFactory(objective=ObjectiveFactory(plan=PlanFactory(country=plan.country)))
    message = refused(
        lambda: services.contribution_create(
            plan=plan,
            by=coordinator,
            partner=icmpd,
            currency="XOF",
            amount=D(100),
            activities=[(other, D(100))],
        ),
        "targets",
    )
    assert message == f"Activity {other.code} is not in this plan."


def test_shares_must_add_up_to_the_amount(plan, tree, coordinator, icmpd):
    first, second, a, b, c = tree
    message = refused(
        lambda: services.contribution_create(
            plan=plan,
            by=coordinator,
            partner=icmpd,
            currency="XOF",
            amount=D(1000),
            activities=[(a, D(400)), (b, D(500))],
        ),
        "targets",
    )
    assert "900" in message and "1,000" in message


def test_only_an_announced_contribution_is_confirmed(plan, coordinator, icmpd):
    contribution = confirmed(plan, coordinator, icmpd)
    message = refused(
        lambda: services.contribution_confirm(
            contribution=contribution, by=coordinator, amount=D(1), signed_on=date(2018, 1, 1)
        )
    )
    assert message == "Only an announced contribution can be confirmed."


def test_only_a_confirmed_contribution_is_disbursed(plan, coordinator, icmpd):
    contribution = services.contribution_create(
        plan=plan, by=coordinator, partner=icmpd, currency="XOF", amount=D(1000)
    )
    refused(
        lambda: services.disbursement_create(
            contribution=contribution, by=coordinator, paid_on=date(2018, 6, 1), amount=D(10)
        )
    )


def test_withdrawing_needs_a_reason_and_nothing_paid(plan, coordinator, icmpd):
    contribution = confirmed(plan, coordinator, icmpd)
    refused(
        lambda: services.contribution_withdraw(
            contribution=contribution, by=coordinator, reason=""
        ),
        "reason",
    )
    services.disbursement_create(
        contribution=contribution, by=coordinator, paid_on=date(2018, 6, 1), amount=D(10)
    )
    message = refused(
        lambda: services.contribution_withdraw(
            contribution=contribution, by=coordinator, reason="Fin du projet"
        )
    )
    assert "paid" in message


def test_a_withdrawn_contribution_stays_withdrawn(plan, coordinator, icmpd):
    contribution = services.contribution_create(
        plan=plan, by=coordinator, partner=icmpd, currency="XOF", amount=D(1000)
    )
    services.contribution_withdraw(contribution=contribution, by=coordinator, reason="Annulé")
    refused(
        lambda: services.contribution_confirm(
            contribution=contribution, by=coordinator, amount=D(1), signed_on=date(2018, 1, 1)
        )
    )


def test_paying_more_than_confirmed_needs_a_recorded_reason(plan, coordinator, icmpd):
    contribution = confirmed(plan, coordinator, icmpd, agreed="1000000")
    services.disbursement_create(
        contribution=contribution, by=coordinator, paid_on=date(2018, 6, 1), amount=D(600000)
    )
    message = refused(
        lambda: services.disbursement_create(
            contribution=contribution, by=coordinator, paid_on=date(2018, 7, 1), amount=D(500000)
        ),
        "amount",
    )
    assert "1,100,000" in message and "1,000,000" in message
    paid = services.disbursement_create(
        contribution=contribution,
        by=coordinator,
        paid_on=date(2018, 7, 1),
        amount=D(500000),
        override_reason="Avenant n°2 signé le 30 juin",
    )
    assert paid.history.get().override_reason == "Avenant n°2 signé le 30 juin"
    assert paid.history.get().history_user == coordinator


def test_a_disbursement_is_corrected_with_a_reason_and_its_history_kept(plan, coordinator, icmpd):
    contribution = confirmed(plan, coordinator, icmpd)
    paid = services.disbursement_create(
        contribution=contribution, by=coordinator, paid_on=date(2018, 6, 1), amount=D(600000)
    )
    refused(
        lambda: services.disbursement_correct(
            disbursement=paid, by=coordinator, paid_on=date(2018, 6, 1), amount=D(60000), reason=""
        ),
        "correction_reason",
    )
    services.disbursement_correct(
        disbursement=paid,
        by=coordinator,
        paid_on=date(2018, 6, 1),
        amount=D(60000),
        reason="Un zéro de trop",
    )
    assert [h.amount for h in paid.history.order_by("history_date")] == [D(600000), D(60000)]
    assert Disbursement.objects.get().correction_reason == "Un zéro de trop"


def test_a_stale_edit_is_refused(plan, coordinator, icmpd):
    contribution = services.contribution_create(
        plan=plan, by=coordinator, partner=icmpd, currency="XOF", amount=D(1000)
    )
    fields = dict(partner=icmpd, currency="XOF", amount=D(2000), announced_on=date(2018, 1, 1))
    services.contribution_update(contribution=contribution, by=coordinator, revision=1, **fields)
    with pytest.raises(services.StaleContribution):
        services.contribution_update(
            contribution=contribution, by=coordinator, revision=1, **{**fields, "amount": D(3)}
        )
    assert Contribution.objects.get().amount == D(2000)


def test_every_change_is_in_the_audit_trail(plan, coordinator, icmpd):
    contribution = confirmed(plan, coordinator, icmpd)
    assert [h.status for h in contribution.history.order_by("history_date")] == [
        "announced",
        "confirmed",
    ]
    assert {h.history_user for h in contribution.history.all()} == {coordinator}


def test_contributions_follow_an_adopted_revision(plan, tree, coordinator, icmpd, eu):
    from relais.plans import services as plan_services
    from relais.plans.models import Activity

    first, second, a, b, c = tree
    to_a = services.contribution_create(
        plan=plan,
        by=coordinator,
        partner=icmpd,
        currency="XOF",
        amount=D(1000),
        activities=[(a, D(600)), (c, D(400))],
    )
    to_os2 = services.contribution_create(
        plan=plan, by=coordinator, partner=eu, currency="XOF", amount=D(50), objective=second
    )
    for action in ("submit", "validate", "adopt"):
        plan_services.plan_transition(plan=plan, action=action, by=coordinator)
    revision = plan_services.plan_revise(plan=plan, by=coordinator)
    new_c = Activity.objects.get(objective__plan=revision, key=c.key)
    plan_services.activity_delete(activity=new_c, by=coordinator)  # the revision drops 2.1
    for action in ("submit", "validate", "adopt"):
        plan_services.plan_transition(plan=revision, action=action, by=coordinator)
    to_a.refresh_from_db()
    to_os2.refresh_from_db()
    assert to_a.plan == revision and to_os2.plan == revision
    targets = {(t.activity.key if t.activity else t.objective.key): t for t in to_a.targets.all()}
    assert targets[a.key].activity.objective.plan == revision
    assert targets[second.key].objective.plan == revision  # 2.1 is gone: its objective carries it
    assert to_os2.targets.get().objective.key == second.key


def test_an_activity_a_contribution_funds_cannot_be_deleted(plan, tree, coordinator, icmpd):
    from relais.plans import services as plan_services

    first, second, a, b, c = tree
    services.contribution_create(
        plan=plan,
        by=coordinator,
        partner=icmpd,
        currency="XOF",
        amount=D(1000),
        activities=[(a, D(1000))],
    )
    with pytest.raises(ValidationError):
        plan_services.activity_delete(activity=a, by=coordinator)
    assert a.__class__.objects.filter(pk=a.pk).exists()
