"""People who may have been entered twice across a country's workshops: the pairs proposed
(relais.workshops.matching), merging a pair, saying it is two people, and undoing a merge.

Nothing is merged without a coordinator asking. The country's coordinator (or an administrator)
sees the proposals and decides; the country's other members and regional coordinators are
refused (403); anyone else is told the country's workshops do not exist (404).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from relais.countries.models import Country
from relais.workshops import merges
from relais.workshops.matching import country_people, duplicate_proposals
from relais.workshops.models import Merge, Participant, Participation
from relais.workshops.views.access import country_for

RECENT_MERGES = 20


def _country(request, code):
    """A country whose duplicates `request.user` may decide on: 404 if they may not read its
    workshops, 403 if they may read but not merge."""
    country = country_for(request, code)
    if not request.user.has_perm("workshops.merge_participants", country):
        raise PermissionDenied
    return country


def _pair(request, country, first, second):
    """Two records (not merged) of people trained at `country`'s workshops, from the ids
    posted as `first` and `second`; 404 otherwise."""
    try:
        ids = [int(request.POST.get(first, "")), int(request.POST.get(second, ""))]
    except ValueError as exc:
        raise Http404 from exc
    people = Participant.objects.filter(
        Q(pk__in=ids) & Q(pk__in=country_people(country)), merged_into__isnull=True
    ).in_bulk()
    if len(set(ids)) != 2 or len(people) != 2:
        raise Http404
    return people[ids[0]], people[ids[1]]


def _back(country):
    return redirect("workshops:duplicates", code=country.code)


@require_GET
def duplicate_list(request, code):
    country = _country(request, code)
    ids = country_people(country)
    recent = (
        Merge.objects.filter(Q(kept_id__in=ids) | Q(merged_id__in=ids))
        .select_related("kept", "merged", "by", "undone_by")
        .order_by("-at", "-pk")[:RECENT_MERGES]
    )
    context = {
        "country": country,
        "proposals": duplicate_proposals(country=country),
        "merges": recent,
    }
    return render(request, "workshops/duplicate_list.html", context)


@require_POST
def merge(request, code):
    """One record (`merged`) is the other (`kept`) entered twice."""
    country = _country(request, code)
    kept, merged = _pair(request, country, "kept", "merged")
    try:
        merges.participants_merge(kept=kept, merged=merged, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("%(merged)s and %(kept)s are now one person. The merge can be undone below.")
            % {"merged": merged.full_name, "kept": kept.full_name},
        )
    return _back(country)


@require_POST
def distinct(request, code):
    """The two records are two people: not proposed again."""
    country = _country(request, code)
    first, second = _pair(request, country, "first", "second")
    merges.participants_distinct(first=first, second=second, by=request.user)
    messages.success(
        request,
        _("%(first)s and %(second)s are recorded as two different people.")
        % {"first": first.full_name, "second": second.full_name},
    )
    return _back(country)


@require_POST
def merge_undo(request, pk):
    merge = get_object_or_404(Merge.objects.select_related("kept", "merged"), pk=pk)
    country_ids = Participation.objects.filter(
        participant_id__in=[merge.kept_id, merge.merged_id]
    ).values("event__country_id")
    countries = Country.objects.filter(pk__in=country_ids).order_by("code")
    user = request.user
    visible = [c for c in countries if user.has_perm("workshops.view_event", c)]
    if not visible:
        raise Http404
    allowed = [c for c in visible if user.has_perm("workshops.merge_participants", c)]
    if not allowed:
        raise PermissionDenied
    try:
        merges.merge_undo(merge=merge, by=user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("The merge has been undone: %(merged)s and %(kept)s are two records again.")
            % {"merged": merge.merged.full_name, "kept": merge.kept.full_name},
        )
    return _back(allowed[0])
