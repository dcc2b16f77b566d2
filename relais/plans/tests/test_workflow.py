"""A plan's life: draft → submitted → validated → adopted → closed, back to draft with a reason,
revisions that supersede, copies for the next period; and adoption freezing the content for
everyone, through the services and through the pages."""

import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from relais.countries.models import Organisation
from relais.countries.tests.factories import OrganisationFactory
from relais.plans import services
from relais.plans.models import Activity, Indicator, Objective, Plan, PlanEvent, Result
from relais.plans.tests.factories import PlanFactory, plan_with_content, snapshot

pytestmark = pytest.mark.django_db

S = Plan.Status
ACTIONS = ["submit", "validate", "adopt", "return", "close"]
ALLOWED = {
    (S.DRAFT, "submit"): S.SUBMITTED,
    (S.SUBMITTED, "validate"): S.VALIDATED,
    (S.VALIDATED, "adopt"): S.ADOPTED,
    (S.SUBMITTED, "return"): S.DRAFT,
    (S.VALIDATED, "return"): S.DRAFT,
    (S.ADOPTED, "close"): S.CLOSED,
}


@pytest.fixture
def coordinator(make_user, mali):
    return make_user("coordinator", mali, language="en")


def _status_action_cases():
    for status in S:
        for action in ACTIONS:
            target = ALLOWED.get((status, action))
            outcome = f"to-{target}" if target else "refused"
            yield pytest.param(status, action, target, id=f"{status}-{action}-{outcome}")


@pytest.mark.parametrize(("status", "action", "target"), list(_status_action_cases()))
def test_every_transition_is_allowed_or_refused(mali, coordinator, status, action, target):
    plan = plan_with_content(mali, status=status)
    reason = "Les coûts de l'atelier sont à revoir." if action == "return" else ""

    if target is None:
        with pytest.raises(ValidationError) as caught:
            services.plan_transition(plan=plan, action=action, by=coordinator, reason=reason)
        assert caught.value.code == "transition"
        plan.refresh_from_db()
        assert plan.status == status
        assert not PlanEvent.objects.filter(plan=plan).exists()
    else:
        services.plan_transition(plan=plan, action=action, by=coordinator, reason=reason)
        plan.refresh_from_db()
        assert plan.status == target
        event = PlanEvent.objects.get(plan=plan)
        assert (event.action, event.from_status, event.to_status) == (action, status, target)
        assert event.by == coordinator
        assert event.reason == reason


def test_the_workflow_table_is_the_one_tested():
    table = {
        (source, action): target
        for action, (sources, target) in services.TRANSITIONS.items()
        for source in sources
    }
    assert table == ALLOWED


def test_an_unknown_action_is_refused(mali, coordinator):
    plan = plan_with_content(mali)
    with pytest.raises(ValidationError):
        services.plan_transition(plan=plan, action="publish", by=coordinator)
    plan.refresh_from_db()
    assert plan.status == S.DRAFT


@pytest.mark.parametrize("status", [S.SUBMITTED, S.VALIDATED])
@pytest.mark.parametrize("reason", ["", "   \n "])
def test_returning_to_draft_needs_a_reason(mali, coordinator, status, reason):
    plan = plan_with_content(mali, status=status)
    with pytest.raises(ValidationError) as caught:
        services.plan_transition(plan=plan, action="return", by=coordinator, reason=reason)
    assert "reason" in caught.value.message_dict
    plan.refresh_from_db()
    assert plan.status == status
    assert not PlanEvent.objects.exists()


def test_returning_to_draft_through_the_page_shows_why_it_was_refused(client, mali, coordinator):
    plan = plan_with_content(mali, status=S.SUBMITTED)
    client.force_login(coordinator)
    response = client.post(
        reverse("plans:transition", args=[plan.pk]), {"action": "return"}, follow=True
    )
    assert response.status_code == 200
    assert "Say why the plan goes back to draft." in response.content.decode()
    plan.refresh_from_db()
    assert plan.status == S.SUBMITTED


def test_submitting_needs_an_activity(mali, coordinator):
    plan = PlanFactory(country=mali)
    services.objective_create(plan=plan, by=coordinator, statement="Créer une agence")
    with translation.override("en"):
        with pytest.raises(ValidationError) as caught:
            services.plan_transition(plan=plan, action="submit", by=coordinator)
    assert caught.value.messages == ["A plan needs at least one activity before it is submitted."]
    plan.refresh_from_db()
    assert plan.status == S.DRAFT


def test_adopting_a_revision_supersedes_the_previous_version(mali, coordinator):
    first = plan_with_content(mali, status=S.ADOPTED)
    revision = services.plan_revise(plan=first, by=coordinator)
    for action in ("submit", "validate"):
        services.plan_transition(plan=revision, action=action, by=coordinator)
    first.refresh_from_db()
    # Until the revision is adopted, the adopted version stays the one in force.
    assert first.status == S.ADOPTED

    services.plan_transition(plan=revision, action="adopt", by=coordinator)

    first.refresh_from_db()
    revision.refresh_from_db()
    assert revision.status == S.ADOPTED
    assert first.status == S.SUPERSEDED
    event = first.events.get(action=PlanEvent.Action.SUPERSEDE)
    assert (event.from_status, event.to_status, event.by) == (S.ADOPTED, S.SUPERSEDED, coordinator)
    # A superseded plan can be neither revised again nor moved.
    with pytest.raises(ValidationError):
        services.plan_revise(plan=first, by=coordinator)
    assert services.allowed_actions(first) == []


def test_a_second_revision_waits_for_the_first(mali, coordinator):
    first = plan_with_content(mali, status=S.ADOPTED)
    services.plan_revise(plan=first, by=coordinator)
    with pytest.raises(ValidationError):
        services.plan_revise(plan=first, by=coordinator)
    assert Plan.objects.filter(previous=first).count() == 1


@pytest.mark.parametrize("status", [S.DRAFT, S.SUBMITTED, S.VALIDATED, S.CLOSED])
def test_only_an_adopted_plan_is_revised(mali, coordinator, status):
    plan = plan_with_content(mali, status=status)
    with pytest.raises(ValidationError):
        services.plan_revise(plan=plan, by=coordinator)
    assert Plan.objects.count() == 1


# Adoption freezes the content ----------------------------------------------------------------


def _records(plan):
    first, second = plan.objectives.order_by("position")
    activity, other = first.activities.order_by("position")
    result = first.results.get()
    return first, second, activity, other, result, first.indicators.get()


FROZEN_SERVICES = {
    "plan_update": lambda p, o, o2, a, a2, r, i, by: services.plan_update(
        plan=p, by=by, title="Nouveau titre"
    ),
    "objective_create": lambda p, o, o2, a, a2, r, i, by: services.objective_create(
        plan=p, by=by, statement="Créer une agence"
    ),
    "objective_update": lambda p, o, o2, a, a2, r, i, by: services.objective_update(
        objective=o, by=by, revision=o.revision, statement="Autre"
    ),
    "objective_delete": lambda p, o, o2, a, a2, r, i, by: services.objective_delete(
        objective=o, by=by
    ),
    "objective_move": lambda p, o, o2, a, a2, r, i, by: services.objective_move(
        objective=o, by=by, direction="down"
    ),
    "result_create": lambda p, o, o2, a, a2, r, i, by: services.result_create(
        objective=o, by=by, statement="Loi adoptée"
    ),
    "result_update": lambda p, o, o2, a, a2, r, i, by: services.result_update(
        result=r, by=by, statement="Loi votée"
    ),
    "result_delete": lambda p, o, o2, a, a2, r, i, by: services.result_delete(result=r, by=by),
    "indicator_create": lambda p, o, o2, a, a2, r, i, by: services.indicator_create(
        plan=p, by=by, objective=o, name="Nombre de lois"
    ),
    "indicator_update": lambda p, o, o2, a, a2, r, i, by: services.indicator_update(
        indicator=i, plan=p, by=by, name="Nombre de décrets"
    ),
    "indicator_delete": lambda p, o, o2, a, a2, r, i, by: services.indicator_delete(
        indicator=i, plan=p, by=by
    ),
    "activity_create": lambda p, o, o2, a, a2, r, i, by: services.activity_create(
        objective=o, by=by, title="Atelier", months=["2018-05"], unit_cost=Decimal(1000)
    ),
    "activity_update": lambda p, o, o2, a, a2, r, i, by: services.activity_update(
        activity=a, by=by, revision=a.revision, title="Atelier modifié"
    ),
    "activity_update_funding": lambda p, o, o2, a, a2, r, i, by: services.activity_update(
        activity=a, by=by, revision=a.revision, funding=[]
    ),
    "activity_delete": lambda p, o, o2, a, a2, r, i, by: services.activity_delete(
        activity=a, by=by
    ),
    "activity_move": lambda p, o, o2, a, a2, r, i, by: services.activity_move(
        activity=a, by=by, direction="down"
    ),
}


@pytest.mark.parametrize("kind", ["coordinator", "contributor", "admin"])
@pytest.mark.parametrize("write", FROZEN_SERVICES)
def test_no_one_edits_an_adopted_plan_through_the_services(make_user, mali, kind, write):
    user = make_user(kind, mali)
    plan = plan_with_content(mali, status=S.ADOPTED)
    before = snapshot()
    with pytest.raises(services.FrozenPlan) as caught:
        FROZEN_SERVICES[write](plan, *_records(plan), user)
    assert caught.value.code == "frozen"
    assert snapshot() == before


@pytest.mark.parametrize("status", [S.SUBMITTED, S.VALIDATED, S.CLOSED, S.SUPERSEDED])
def test_only_a_draft_has_content_that_changes(mali, coordinator, status):
    plan = plan_with_content(mali, status=status)
    before = snapshot()
    for write in ("activity_update", "objective_create", "activity_delete"):
        with pytest.raises(services.FrozenPlan):
            FROZEN_SERVICES[write](plan, *_records(plan), coordinator)
    assert snapshot() == before


def _frozen_pages(plan):
    """(url, data) for every POST that changes a plan's content."""
    objective, _second, activity, _other, result, indicator = _records(plan)
    activity_data = {
        "title": "Atelier modifié",
        "months": ["2018-05"],
        "unit_cost": "1 000 000",
        "quantity": "1",
    }
    return {
        "plan_edit": (
            reverse("plans:edit", args=[plan.pk]),
            {
                "title": "Nouveau titre",
                "period_start": "2018-01-01",
                "period_end": "2019-12-31",
                "currency": "XOF",
                "language": "fr",
            },
        ),
        "objective_create": (
            reverse("plans:objective_create", args=[plan.pk]),
            {"statement": "Créer une agence"},
        ),
        "objective_edit": (
            reverse("plans:objective_edit", args=[objective.pk]),
            {"statement": "Autre énoncé", "revision": objective.revision},
        ),
        "objective_delete": (reverse("plans:objective_delete", args=[objective.pk]), {}),
        "objective_move": (
            reverse("plans:objective_move", args=[objective.pk]),
            {"direction": "down"},
        ),
        "activity_create": (
            reverse("plans:activity_create", args=[objective.pk]),
            activity_data,
        ),
        "activity_edit": (
            reverse("plans:activity_edit", args=[activity.pk]),
            {**activity_data, "revision": activity.revision},
        ),
        "activity_delete": (reverse("plans:activity_delete", args=[activity.pk]), {}),
        "activity_move": (
            reverse("plans:activity_move", args=[activity.pk]),
            {"direction": "down"},
        ),
        "result_create": (
            reverse("plans:result_create", args=[objective.pk]),
            {"statement": "Loi adoptée"},
        ),
        "result_edit": (reverse("plans:result_edit", args=[result.pk]), {"statement": "Loi"}),
        "result_delete": (reverse("plans:result_edit", args=[result.pk]), {"delete": "1"}),
        "indicator_create": (
            reverse("plans:indicator_create", args=[objective.pk]),
            {"name": "Nombre de lois", "frequency": "yearly"},
        ),
        "indicator_edit": (
            reverse("plans:indicator_edit", args=[indicator.pk]),
            {"name": "Nombre de décrets", "frequency": "yearly"},
        ),
        "indicator_delete": (
            reverse("plans:indicator_edit", args=[indicator.pk]),
            {"delete": "1"},
        ),
    }


FROZEN_MESSAGE = (
    "This plan is adopted: its content can no longer change. Start a revision to change it."
)
PAGES = [
    "plan_edit",
    "objective_create",
    "objective_edit",
    "objective_delete",
    "objective_move",
    "activity_create",
    "activity_edit",
    "activity_delete",
    "activity_move",
    "result_create",
    "result_edit",
    "result_delete",
    "indicator_create",
    "indicator_edit",
    "indicator_delete",
]


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
@pytest.mark.parametrize("kind", ["coordinator", "contributor", "admin"])
@pytest.mark.parametrize("view", PAGES)
def test_no_one_edits_an_adopted_plan_through_the_pages(client, make_user, mali, kind, view, htmx):
    client.force_login(make_user(kind, mali, language="en"))
    plan = plan_with_content(mali, status=S.ADOPTED)
    url, data = _frozen_pages(plan)[view]
    before = snapshot()

    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    response = client.post(url, data, **headers)

    assert response.status_code == 403
    assert FROZEN_MESSAGE in response.content.decode()
    assert snapshot() == before


@pytest.mark.parametrize("kind", ["coordinator", "contributor", "admin"])
def test_the_forms_of_an_adopted_plan_do_not_open(client, make_user, mali, kind):
    client.force_login(make_user(kind, mali, language="en"))
    plan = plan_with_content(mali, status=S.ADOPTED)
    for view in ("plan_edit", "objective_create", "activity_edit", "indicator_edit"):
        url, _data = _frozen_pages(plan)[view]
        response = client.get(url)
        assert response.status_code == 403, view
        assert FROZEN_MESSAGE in response.content.decode()


def test_the_page_of_an_adopted_plan_offers_no_edit_even_to_an_administrator(
    client, make_user, mali
):
    client.force_login(make_user("admin", language="en"))
    plan = plan_with_content(mali, status=S.ADOPTED)
    response = client.get(plan.get_absolute_url())
    assert response.status_code == 200
    assert response.context["can_edit"] is False
    assert reverse("plans:edit", args=[plan.pk]) not in response.content.decode()


# Revisions and copies ------------------------------------------------------------------------


def content(plan):
    """A plan's content without its database ids: what a revision must reproduce."""
    rows = []
    for objective in Objective.objects.filter(plan=plan).order_by("position"):
        rows.append(
            (
                objective.key,
                objective.position,
                objective.statement,
                objective.deadline,
                objective.change_kind,
                objective.change_sought,
                objective.targets,
                objective.axis_id,
                [
                    (
                        result.position,
                        result.statement,
                        [(i.name, i.target, i.target_date) for i in result.indicators.all()],
                    )
                    for result in objective.results.order_by("position")
                ],
                [
                    (i.position, i.name, i.unit, i.baseline, i.target, i.target_date, i.frequency)
                    for i in objective.indicators.all()
                ],
                [
                    (
                        activity.key,
                        activity.position,
                        activity.title,
                        activity.description,
                        activity.responsible_id,
                        activity.months,
                        activity.unit_cost,
                        activity.quantity,
                        activity.unit,
                        activity.total,
                        activity.result.position if activity.result else None,
                        sorted(activity.partners.values_list("pk", flat=True)),
                        sorted(activity.assignees.values_list("pk", flat=True)),
                        sorted(
                            activity.funding_sources.values_list("organisation_id", "amount"),
                            key=str,
                        ),
                    )
                    for activity in objective.activities.order_by("position")
                ],
            )
        )
    return rows


def test_a_revision_is_version_plus_one_with_the_same_content_and_keys(make_user, mali):
    coordinator = make_user("coordinator", mali)
    contributor = make_user("contributor", mali)
    icmpd = OrganisationFactory(acronym="ICMPD", kind=Organisation.Kind.PARTNER, country=None)
    first = plan_with_content(mali, status=S.ADOPTED, funder=icmpd)
    activity = Activity.objects.filter(objective__plan=first).first()
    activity.partners.set([icmpd, mali.national_body])
    activity.assignees.set([contributor])
    activity.responsible = mali.national_body
    activity.save()

    revision = services.plan_revise(plan=first, by=coordinator)

    assert revision.version == first.version + 1 == 2
    assert revision.previous == first
    assert revision.status == S.DRAFT
    assert (revision.title, revision.period_start, revision.period_end, revision.currency) == (
        first.title,
        first.period_start,
        first.period_end,
        first.currency,
    )
    assert content(revision) == content(first)
    assert Activity.objects.filter(objective__plan=revision).count() == 3
    assert Result.objects.filter(objective__plan=revision).count() == 1
    assert Indicator.objects.filter(result__objective__plan=revision).count() == 1
    # Its own records, not the adopted version's.
    assert not set(Objective.objects.filter(plan=revision).values_list("pk", flat=True)) & set(
        Objective.objects.filter(plan=first).values_list("pk", flat=True)
    )
    assert revision.events.get().action == PlanEvent.Action.REVISE
    first.refresh_from_db()
    assert first.status == S.ADOPTED


def test_a_copy_moves_the_chronogram_by_the_offset_between_the_periods(make_user, mali):
    coordinator = make_user("coordinator", mali)
    source = plan_with_content(mali, status=S.CLOSED)

    copy = services.plan_copy(
        plan=source,
        by=coordinator,
        title="Plan d'action 2020",
        period_start=date(2020, 1, 1),
        period_end=date(2020, 12, 31),
    )

    assert (copy.status, copy.version, copy.previous) == (S.DRAFT, 1, None)
    assert copy.months == [f"2020-{m:02d}" for m in range(1, 13)]
    moved = list(
        Activity.objects.filter(objective__plan=copy)
        .order_by("objective__position", "position")
        .values_list("title", "months", "total")
    )
    original = list(
        Activity.objects.filter(objective__plan=source)
        .order_by("objective__position", "position")
        .values_list("title", "months", "total")
    )
    # Two years later: 2018-03 → 2020-03; 2019-11 would be 2021-11, outside 2020, so dropped.
    assert [m for _t, m, _a in original] == [
        ["2018-03", "2019-11"],
        ["2018-06"],
        ["2019-01", "2019-02"],
    ]
    assert [m for _t, m, _a in moved[:2]] == [["2020-03"], ["2020-06"]]
    # 2.1 would fall wholly in 2021: it keeps its calendar months in 2020 rather than none.
    assert moved[2][1] == ["2020-01", "2020-02"]
    assert [a.code for a in copy.adjusted_activities] == ["1.1", "2.1"]
    assert [(t, a) for t, _m, a in moved] == [(t, a) for t, _m, a in original]
    objective = copy.objectives.get(position=1)
    assert objective.deadline == date(2021, 6, 30)
    assert objective.indicators.get().target_date == date(2021, 12, 31)
    # A copy is a new line of plans: new keys, its own history.
    assert not set(
        Activity.objects.filter(objective__plan=copy).values_list("key", flat=True)
    ) & set(Activity.objects.filter(objective__plan=source).values_list("key", flat=True))
    assert copy.events.get().action == PlanEvent.Action.COPY
    source.refresh_from_db()
    assert source.status == S.CLOSED


def test_a_copy_shifts_by_months_not_only_years(make_user, mali):
    coordinator = make_user("coordinator", mali)
    source = plan_with_content(mali)
    copy = services.plan_copy(
        plan=source,
        by=coordinator,
        title="Plan d'action 2020-2021",
        period_start=date(2020, 4, 1),
        period_end=date(2022, 3, 31),
    )
    months = list(
        Activity.objects.filter(objective__plan=copy)
        .order_by("objective__position", "position")
        .values_list("months", flat=True)
    )
    # 27 months later; 2019-11 → 2022-02 is still inside, the period ending in March 2022.
    assert months == [["2020-06", "2022-02"], ["2020-09"], ["2021-04", "2021-05"]]


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (date(2020, 1, 1), date(2020, 12, 31)),  # a year for two
        (date(2020, 1, 1), date(2020, 3, 31)),  # one quarter
        (date(2020, 7, 1), date(2020, 7, 31)),  # a single month
        (date(2016, 1, 1), date(2016, 6, 30)),  # an earlier period
        (date(2025, 10, 1), date(2026, 9, 30)),  # a year that straddles two
    ],
)
def test_a_copy_never_leaves_an_activity_without_a_month_of_its_period(make_user, mali, start, end):
    coordinator = make_user("coordinator", mali)
    source = plan_with_content(mali)
    copy = services.plan_copy(
        plan=source, by=coordinator, title="Plan suivant", period_start=start, period_end=end
    )
    activities = Activity.objects.filter(objective__plan=copy)
    assert activities.count() == 3
    for activity in activities:
        assert activity.months, activity.code
        assert set(activity.months) <= set(copy.months), activity.code
        assert activity.months == sorted(activity.months)
    # Unchanged amounts: only the chronogram adapts.
    assert sorted(activities.values_list("total", flat=True)) == sorted(
        Activity.objects.filter(objective__plan=source).values_list("total", flat=True)
    )


def test_a_copy_into_a_shorter_period_wraps_the_months_in_order(make_user, mali):
    coordinator = make_user("coordinator", mali)
    source = plan_with_content(mali)
    # The first quarter of 2020: 2018-03 → 2020-03 fits; 2018-06 → 2020-06 does not, and
    # wraps into the quarter (June is 5 months after January: 5 mod 3 = 2 → March).
    copy = services.plan_copy(
        plan=source,
        by=coordinator,
        title="Plan trimestriel",
        period_start=date(2020, 1, 1),
        period_end=date(2020, 3, 31),
    )
    months = list(
        Activity.objects.filter(objective__plan=copy)
        .order_by("objective__position", "position")
        .values_list("months", flat=True)
    )
    # 1.1: 2020-03 kept, 2021-11 dropped. 1.2: 2020-06 → 2020-03. 2.1: 2021-01, 2021-02 →
    # 12 and 13 months after January 2020 → 0 and 1 → 2020-01, 2020-02.
    assert months == [["2020-03"], ["2020-03"], ["2020-01", "2020-02"]]


def test_the_copy_page_names_the_activities_to_check(client, make_user, mali):
    client.force_login(make_user("coordinator", mali, language="en"))
    source = plan_with_content(mali)
    response = client.post(
        reverse("plans:copy", args=[source.pk]),
        {"title": "Plan 2020", "period_start": "2020-01-01", "period_end": "2020-12-31"},
        follow=True,
    )
    assert response.status_code == 200
    copy = Plan.objects.get(title="Plan 2020")
    assert not Activity.objects.filter(objective__plan=copy, months=[]).exists()
    messages = [str(m) for m in response.context["messages"]]
    assert (
        "The chronograms of activities 1.1, 2.1 did not fit in the new period and have been "
        "adjusted: check them." in messages
    )


CLOSE_WITHOUT_CONTEXT = re.compile(
    r"""\{%\s*(?:translate|trans)\s+["']Close["']\s*(?:%\}|as\b|noop\b)"""
    r"""|\b(?:_|gettext|gettext_lazy|gettext_noop)\(\s*["']Close["']\s*\)"""
)


def test_closing_a_plan_has_its_own_msgid_not_the_admins_close():
    """Django's admin translates "Close" (a window) as "Fermer"; closing a plan is "Clôturer".
    The project's catalogue comes first, so the same msgid would rename the admin's button:
    the workflow's "Close" carries a context."""
    root = Path(settings.BASE_DIR) / "relais"
    offenders = [
        str(path.relative_to(root))
        for path in sorted(root.rglob("*"))
        if path.suffix in {".html", ".txt", ".py"}
        and "tests" not in path.parts
        and CLOSE_WITHOUT_CONTEXT.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_the_close_pattern_finds_what_it_must():
    assert CLOSE_WITHOUT_CONTEXT.search('{% translate "Close" %}')
    assert CLOSE_WITHOUT_CONTEXT.search("_('Close')")
    assert not CLOSE_WITHOUT_CONTEXT.search('{% translate "Close" context "plan workflow" %}')
    assert not CLOSE_WITHOUT_CONTEXT.search('pgettext("plan workflow", "Close")')
