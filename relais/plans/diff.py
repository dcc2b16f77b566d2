"""What changed between two versions of a plan.

Objectives and activities keep their `key` across a plan's versions (a revision copies it), so
a record is matched with itself even when it was renumbered or retitled.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from relais.core.money import format_money

COMPARED = [
    "title",
    "description",
    "responsible",
    "months",
    "unit_cost",
    "quantity",
    "unit",
    "total",
]


@dataclass
class ActivityChange:
    old: object
    new: object
    fields: list  # [(label, old text, new text)]


@dataclass
class ObjectiveBudget:
    code: str
    statement: str
    old: Decimal
    new: Decimal

    @property
    def difference(self):
        return self.new - self.old


@dataclass
class PlanDiff:
    old_plan: object
    new_plan: object
    added: list = field(default_factory=list)
    removed: list = field(default_factory=list)
    changed: list = field(default_factory=list)
    budgets: list = field(default_factory=list)

    @property
    def old_total(self):
        return sum((b.old for b in self.budgets), Decimal(0))

    @property
    def new_total(self):
        return sum((b.new for b in self.budgets), Decimal(0))

    @property
    def difference(self):
        return self.new_total - self.old_total

    @property
    def is_empty(self):
        return not (self.added or self.removed or self.changed) and not self.difference


def _text(activity, name, currency):
    value = getattr(activity, name)
    if name == "responsible":
        return str(value) if value else "—"
    if name == "months":
        return ", ".join(value)
    if name in {"unit_cost", "total"}:
        return format_money(value, currency)
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    return value or "—"


def _label(name):
    from relais.plans.models import Activity

    return str(Activity._meta.get_field(name).verbose_name)


def plan_diff(old_objectives, new_objectives, *, old_plan, new_plan):
    """Compare two plan trees as returned by selectors.plan_tree (no query here)."""
    diff = PlanDiff(old_plan=old_plan, new_plan=new_plan)
    old_activities = {a.key: a for o in old_objectives for a in o.activities.all()}
    new_activities = {a.key: a for o in new_objectives for a in o.activities.all()}
    for key, activity in new_activities.items():
        before = old_activities.get(key)
        if before is None:
            diff.added.append(activity)
            continue
        changes = []
        for name in COMPARED:
            old_text = _text(before, name, old_plan.currency)
            new_text = _text(activity, name, new_plan.currency)
            if old_text != new_text:
                changes.append((_label(name), old_text, new_text))
        if before.objective.key != activity.objective.key:
            changes.append((_("objective"), before.objective.code, activity.objective.code))
        if changes:
            diff.changed.append(ActivityChange(before, activity, changes))
    diff.removed = [a for key, a in old_activities.items() if key not in new_activities]

    def budget(objective):
        return sum((a.total for a in objective.activities.all()), Decimal(0))

    old_by_key = {o.key: o for o in old_objectives}
    seen = set()
    for objective in new_objectives:
        before = old_by_key.get(objective.key)
        seen.add(objective.key)
        diff.budgets.append(
            ObjectiveBudget(
                code=objective.code,
                statement=objective.statement,
                old=budget(before) if before else Decimal(0),
                new=budget(objective),
            )
        )
    for objective in old_objectives:
        if objective.key not in seen:
            diff.budgets.append(
                ObjectiveBudget(
                    code=objective.code,
                    statement=objective.statement,
                    old=budget(objective),
                    new=Decimal(0),
                )
            )
    return diff
