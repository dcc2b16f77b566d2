"""Comparing two versions of a plan: activities added, removed and changed, budget per objective."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from relais.plans import services
from relais.plans.diff import plan_diff
from relais.plans.models import Plan
from relais.plans.selectors import plan_tree

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(make_user, mali):
    return make_user("coordinator", mali, language="en")


@pytest.fixture
def versions(mali, coordinator):
    """Version 1 (adopted) and version 2 (a draft revision), changed as a committee would."""
    by = coordinator
    first = services.plan_create(
        country=mali,
        by=by,
        title="Plan d'action de plaidoyer 2018-2019",
        period_start=date(2018, 1, 1),
        period_end=date(2019, 12, 31),
    )
    law = services.objective_create(plan=first, by=by, statement="Renforcer le cadre juridique")
    agency = services.objective_create(plan=first, by=by, statement="Créer une agence")

    def add(objective, title, unit_cost, months):
        return services.activity_create(
            objective=objective, by=by, title=title, months=months, unit_cost=Decimal(unit_cost)
        )

    add(law, "Atelier de validation du projet de loi", "4250000", ["2018-03"])
    add(law, "Plaidoyer auprès des députés", "1500000", ["2018-06", "2018-07"])
    add(law, "Étude sur le travail forcé", "5500000", ["2018-09"])
    add(agency, "Table ronde des partenaires", "15000000", ["2019-02"])
    for action in ("submit", "validate", "adopt"):
        services.plan_transition(plan=first, action=action, by=by)
    first.refresh_from_db()

    second = services.plan_revise(plan=first, by=by)
    law2, agency2 = second.objectives.order_by("position")
    workshop, lobbying, study = law2.activities.order_by("position")
    services.activity_update(
        activity=workshop,
        by=by,
        revision=workshop.revision,
        title="Atelier national de validation du projet de loi",
        months=["2018-04", "2018-05"],
        unit_cost=Decimal("5000000"),
    )
    services.activity_delete(activity=study, by=by)
    add(law2, "Campagne radio", "2000000", ["2018-10"])
    dossier = services.objective_create(
        plan=second, by=by, statement="Élaborer un dossier de plaidoyer"
    )
    add(dossier, "Recherche documentaire", "3000000", ["2019-03"])
    return first, second


def _diff(old, new):
    old_tree, _totals = plan_tree(plan=old)
    new_tree, _totals = plan_tree(plan=new)
    return plan_diff(old_tree, new_tree, old_plan=old, new_plan=new)


def test_added_removed_and_changed_activities(versions):
    first, second = versions
    with translation.override("en"):
        diff = _diff(first, second)

    assert [a.title for a in diff.added] == ["Campagne radio", "Recherche documentaire"]
    assert [a.title for a in diff.removed] == ["Étude sur le travail forcé"]
    assert len(diff.changed) == 1
    (change,) = diff.changed
    assert change.old.title == "Atelier de validation du projet de loi"
    assert change.new.title == "Atelier national de validation du projet de loi"
    assert change.fields == [
        (
            "activity",
            "Atelier de validation du projet de loi",
            "Atelier national de validation du projet de loi",
        ),
        ("chronogram", "2018-03", "2018-04, 2018-05"),
        ("unit cost", "4,250,000\xa0FCFA", "5,000,000\xa0FCFA"),
        ("total cost", "4,250,000\xa0FCFA", "5,000,000\xa0FCFA"),
    ]
    assert not diff.is_empty


def test_budget_difference_per_objective_and_an_objective_added(versions):
    first, second = versions
    diff = _diff(first, second)

    budgets = [(b.code, b.statement, b.old, b.new, b.difference) for b in diff.budgets]
    assert budgets == [
        # 4 250 000 + 1 500 000 + 5 500 000 → 5 000 000 + 1 500 000 + 2 000 000
        (
            "OS1",
            "Renforcer le cadre juridique",
            Decimal("11250000"),
            Decimal("8500000"),
            Decimal("-2750000"),
        ),
        ("OS2", "Créer une agence", Decimal("15000000"), Decimal("15000000"), Decimal(0)),
        # Added in version 2: nothing before.
        (
            "OS3",
            "Élaborer un dossier de plaidoyer",
            Decimal(0),
            Decimal("3000000"),
            Decimal("3000000"),
        ),
    ]
    assert diff.old_total == Decimal("26250000")
    assert diff.new_total == Decimal("26500000")
    assert diff.difference == Decimal("250000")


def test_an_objective_removed_keeps_its_old_budget(versions):
    first, second = versions
    agency = second.objectives.get(statement="Créer une agence")
    services.objective_delete(objective=agency, by=None)
    diff = _diff(first, second)
    removed = [b for b in diff.budgets if b.statement == "Créer une agence"]
    assert [(b.old, b.new) for b in removed] == [(Decimal("15000000"), Decimal(0))]
    assert "Table ronde des partenaires" in [a.title for a in diff.removed]


def test_a_renumbered_activity_is_the_same_activity(versions):
    first, second = versions
    lobbying = second.objectives.get(position=1).activities.get(title__startswith="Plaidoyer")
    services.activity_move(activity=lobbying, by=None, direction="up")
    diff = _diff(first, second)
    # Moving changes its number, not what it is: matched by key, nothing compared changed.
    assert "Plaidoyer auprès des députés" not in [c.new.title for c in diff.changed]
    assert "Plaidoyer auprès des députés" not in [a.title for a in diff.added + diff.removed]


def test_a_fresh_revision_has_no_difference(mali, coordinator, versions):
    first, _second = versions
    Plan.objects.filter(previous=first).delete()
    fresh = services.plan_revise(plan=first, by=coordinator)
    diff = _diff(first, fresh)
    assert (diff.added, diff.removed, diff.changed) == ([], [], [])
    assert diff.is_empty


def test_the_compare_page_shows_the_differences(client, coordinator, versions):
    first, second = versions
    client.force_login(coordinator)
    response = client.get(reverse("plans:diff", args=[second.pk]))
    assert response.status_code == 200
    diff = response.context["diff"]
    assert diff.old_plan == first
    assert diff.new_plan == second
    html = response.content.decode()
    for title in ("Campagne radio", "Recherche documentaire", "Étude sur le travail forcé"):
        assert title in html
    # From the old version's page, compared with its revision.
    response = client.get(reverse("plans:diff", args=[first.pk]))
    assert response.context["diff"].new_plan == second
    # Not a version of this plan: not found.
    other = services.plan_create(
        country=first.country,
        by=coordinator,
        title="Autre plan",
        period_start=date(2020, 1, 1),
        period_end=date(2020, 12, 31),
    )
    response = client.get(reverse("plans:diff", args=[second.pk]), {"against": other.pk})
    assert response.status_code == 404
