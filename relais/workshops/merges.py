"""A coordinator's decisions on two records that may be one person: merge them (and undo the
merge), or say they are two people. Each is one transaction; nothing is ever merged without
someone asking.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from relais.workshops.models import DistinctPair, Merge, Participant, Participation

# What a kept record takes from the merged one when it has none.
FILLED = ("sex", "function", "organisation", "organisation_kind", "country_id", "phone", "email")


@transaction.atomic
def participants_merge(*, kept, merged, by):
    """`merged` is `kept` entered twice: its participations move to `kept`, which takes what it
    lacked (sex, organisation, phone…); `merged` stays, pointing at `kept`, so that the merge
    can be undone."""
    if kept.pk == merged.pk:
        raise ValidationError(_("A record cannot be merged with itself."))
    people = Participant.objects.select_for_update().in_bulk([kept.pk, merged.pk])
    kept, merged = people[kept.pk], people[merged.pk]
    for person in (kept, merged):
        if person.merged_into_id:
            raise ValidationError(
                _("%(name)s has already been merged into another record.")
                % {"name": person.full_name}
            )
    moved = list(
        Participation.objects.select_for_update()
        .filter(participant=merged)
        .select_related("event")
        .order_by("pk")
    )
    common = (
        Participation.objects.filter(participant=kept, event_id__in=[p.event_id for p in moved])
        .select_related("event")
        .first()
    )
    if common is not None:
        raise ValidationError(
            _(
                "%(first)s and %(second)s both attended “%(workshop)s” (%(date)s): they are two "
                "people and cannot be merged."
            )
            % {
                "first": kept.full_name,
                "second": merged.full_name,
                "workshop": common.event.title,
                "date": date_format(common.event.starts_on, "DATE_FORMAT"),
            }
        )
    filled = {name: getattr(merged, name) for name in FILLED if not getattr(kept, name)}
    filled = {name: value for name, value in filled.items() if value}
    merge = Merge.objects.create(
        kept=kept, merged=merged, participations=[p.pk for p in moved], filled=filled, by=by
    )
    for participation in moved:
        participation.participant = kept
        participation._history_user = by
        participation.save(update_fields=["participant"])
    if filled:
        for name, value in filled.items():
            setattr(kept, name, value)
        kept._history_user = by
        kept.save()
    merged.merged_into = kept
    merged._history_user = by
    merged.save()
    return merge


@transaction.atomic
def merge_undo(*, merge, by):
    """Put back what `merge` did: exactly the participations it moved go back to the merged
    record, the fields it filled on the kept one are emptied again, and the merged record
    stands on its own. Only once."""
    merge = Merge.objects.select_for_update().select_related("kept", "merged").get(pk=merge.pk)
    if merge.undone_at is not None:
        raise ValidationError(_("This merge has already been undone."))
    kept, merged = merge.kept, merge.merged
    if kept.merged_into_id is not None:
        raise ValidationError(
            _("%(name)s has since been merged into another record: undo that merge first.")
            % {"name": kept.full_name}
        )
    for participation in Participation.objects.filter(
        pk__in=merge.participations, participant=kept
    ):
        participation.participant = merged
        participation._history_user = by
        participation.save(update_fields=["participant"])
    _unfill(kept, merge, by)
    merged.merged_into = None
    merged._history_user = by
    merged.save()
    merge.undone_at, merge.undone_by = timezone.now(), by
    merge.save(update_fields=["undone_at", "undone_by"])
    return merge


def _unfill(kept, merge, by):
    """Empty again the fields the merge filled on `kept`, unless someone changed them since."""
    changed = False
    for name, value in merge.filled.items():
        if getattr(kept, name) == value:
            setattr(kept, name, None if name == "country_id" else "")
            changed = True
    if changed:
        kept._history_user = by
        kept.save()


@transaction.atomic
def participants_distinct(*, first, second, by):
    """`first` and `second` are two people: they are not proposed again."""
    if first.pk == second.pk:
        raise ValidationError(_("A record cannot be compared with itself."))
    low, high = sorted((first, second), key=lambda p: p.pk)
    pair, _created = DistinctPair.objects.get_or_create(first=low, second=high, defaults={"by": by})
    return pair
