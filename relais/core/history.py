"""Reading the audit trail that django-simple-history keeps for the domain's records."""

from dataclasses import dataclass

from django.db import models


@dataclass
class Change:
    field: str
    old: str
    new: str


@dataclass
class Entry:
    record: object  # the historical row
    kind: str  # "+", "~" or "-"
    changes: list


def _display(model, field_name, value):
    try:
        field = model._meta.get_field(field_name)
    except Exception:
        return "" if value is None else str(value)
    if value in (None, ""):
        return "—"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.BooleanField):
        from django.utils.translation import gettext as _

        return _("yes") if value else _("no")
    return str(value)


def history_entries(obj):
    """Every recorded version of `obj`, newest first, each with what changed from the previous.

    One query: the historical rows with their author.
    """
    model = type(obj)
    rows = list(obj.history.select_related("history_user").order_by("history_date", "history_id"))
    entries = []
    previous = None
    for row in rows:
        changes = []
        if previous is not None:
            delta = row.diff_against(previous, foreign_keys_are_objs=False)
            for change in delta.changes:
                verbose = model._meta.get_field(change.field).verbose_name
                changes.append(
                    Change(
                        field=str(verbose),
                        old=_display(model, change.field, change.old),
                        new=_display(model, change.field, change.new),
                    )
                )
        entries.append(Entry(record=row, kind=row.history_type, changes=changes))
        previous = row
    entries.reverse()
    return entries
