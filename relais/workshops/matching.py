"""Recognising a person entered twice, across workshops.

Two records are the same person when their names match once accents, case, spacing and word
order are ignored (relais.core.text.name_key) *and* something else agrees: the phone, the email
or the organisation. Anything less (the same name alone, or the same phone under another name)
is only a doubt, proposed to a coordinator and never merged silently.

Everything here reads the candidates in one query and compares them in Python: the cost of a
check does not grow with the number of people compared.
"""

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from itertools import combinations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from relais.core.text import name_key

_NOT_DIGIT = re.compile(r"\D+")
# Names at least this alike (difflib's ratio on their keys) are close enough to be doubted.
CLOSE_RATIO = 0.85

REASONS = {
    "name": _("same name"),
    "phone": _("same phone"),
    "email": _("same email"),
    "organisation": _("same organisation"),
    "close_name": _("close names"),
}


def phone_key(phone):
    """The last eight digits of a phone number: "+223 76 12 34 56" → "76123456"."""
    digits = _NOT_DIGIT.sub("", phone or "")
    return digits[-8:] if len(digits) >= 6 else ""


def organisation_key(text):
    """ "Ministère de la Justice" and "ministere de la  justice" are one organisation."""
    return name_key(text or "")


def _get(record, name):
    return record.get(name, "") if isinstance(record, dict) else getattr(record, name, "")


def agreements(first, second):
    """What else than the name two people (records or dicts with phone_key, email and
    organisation) share: ["phone", "email", "organisation"], in that order."""
    found = []
    if _get(first, "phone_key") and _get(first, "phone_key") == _get(second, "phone_key"):
        found.append("phone")
    email = (_get(first, "email") or "").strip().lower()
    if email and email == (_get(second, "email") or "").strip().lower():
        found.append("email")
    organisation = organisation_key(_get(first, "organisation"))
    if organisation and organisation == organisation_key(_get(second, "organisation")):
        found.append("organisation")
    return found


def same_person(candidates, person):
    """Among `candidates` (records bearing the person's name key), the one who is `person`
    (a dict of phone_key, email, organisation): the one that agrees on most, the oldest on a
    tie; None if none agrees on anything but the name."""
    best, best_count = None, 0
    for candidate in candidates:
        count = len(agreements(candidate, person))
        if count > best_count or (count == best_count and count and candidate.pk < best.pk):
            best, best_count = candidate, count
    return best


def known_people(keys):
    """{name key: [Participant, …]} of the records (not merged into another) bearing one of
    `keys`, oldest first. One query."""
    from relais.workshops.models import Participant

    found = {}
    keys = {key for key in keys if key}
    if not keys:
        return found
    people = Participant.objects.filter(name_key__in=keys, merged_into__isnull=True).order_by("pk")
    for person in people:
        found.setdefault(person.name_key, []).append(person)
    return found


def find_same_person(*, full_name, phone="", email="", organisation=""):
    """The recorded Participant who is this person, or None. One query."""
    key = name_key(full_name)
    person = {"phone_key": phone_key(phone), "email": email, "organisation": organisation}
    return same_person(known_people([key]).get(key, []), person)


# Doubts ----------------------------------------------------------------------------------------


def close_names(first_key, second_key):
    """Names that may be one person's written two ways: the words of one among the other's
    ("Fatoumata Diarra", "Fatoumata B. Diarra"), or spelt nearly alike."""
    if not first_key or not second_key or first_key == second_key:
        return first_key == second_key and bool(first_key)
    first, second = set(first_key.split()), set(second_key.split())
    shorter, longer = sorted((first, second), key=len)
    if len(shorter) >= 2 and shorter <= longer:
        return True
    return SequenceMatcher(None, first_key, second_key).ratio() >= CLOSE_RATIO


@dataclass
class Proposal:
    """Two records that may be one person, with why they are doubted."""

    first: object
    second: object
    reasons: list = field(default_factory=list)

    @property
    def reason_labels(self):
        return [REASONS[reason] for reason in self.reasons]


def _pair_reasons(first, second):
    if first.name_key == second.name_key:
        return ["name", *agreements(first, second)]
    shared = agreements(first, second)
    if shared and close_names(first.name_key, second.name_key):
        return ["close_name", *shared]
    return []


def proposals(people, *, events_of, distinct):
    """The pairs among `people` (Participant records, none merged) that may be one person: the
    same name, or the same phone, email or organisation under close names. Pairs judged distinct
    (`distinct`, a set of (smaller pk, larger pk)) and pairs who attended one same workshop
    (`events_of`: {pk: set of event ids}) are two people and left out. Only records that share
    a name key, a phone, an email, or an organisation and a word of their names are compared."""
    groups = {}
    for person in people:
        organisation = organisation_key(person.organisation)
        keys = [("name", person.name_key), ("phone", person.phone_key), ("email", person.email)]
        # Colleagues are compared name word by name word, not each with all the others.
        keys += [("organisation", (organisation, word)) for word in person.name_key.split()]
        for kind, value in keys:
            if value and (kind != "organisation" or value[0]):
                groups.setdefault((kind, value), []).append(person)
    pairs = {}
    for members in groups.values():
        for first, second in combinations(sorted(members, key=lambda p: p.pk), 2):
            key = (first.pk, second.pk)
            if key in pairs or key in distinct:
                continue
            if events_of.get(first.pk, set()) & events_of.get(second.pk, set()):
                continue
            reasons = _pair_reasons(first, second)
            if reasons:
                pairs[key] = Proposal(first, second, reasons)
    return sorted(pairs.values(), key=lambda p: (p.first.name_key, p.first.pk, p.second.pk))


def country_people(country):
    """The participant ids of `country`'s workshops (a subquery)."""
    from relais.workshops.models import Participation

    return Participation.objects.filter(event__country=country).values("participant_id")


def duplicate_proposals(*, country):
    """Proposals among the people trained at `country`'s workshops, each record bearing
    `workshops` (its participations with their events, at any country's workshops). Two
    queries: the participations with people and events, the pairs judged distinct."""
    from relais.workshops.models import DistinctPair, Participation

    ids = country_people(country)
    participations = (
        Participation.objects.filter(participant_id__in=ids, participant__merged_into__isnull=True)
        .select_related("participant", "event")
        .order_by("event__starts_on", "pk")
    )
    people, events_of = {}, {}
    for participation in participations:
        person = people.setdefault(participation.participant_id, participation.participant)
        if not hasattr(person, "workshops"):
            person.workshops = []
        person.workshops.append(participation.event)
        events_of.setdefault(person.pk, set()).add(participation.event_id)
    distinct = set(
        DistinctPair.objects.filter(Q(first_id__in=ids) | Q(second_id__in=ids)).values_list(
            "first_id", "second_id"
        )
    )
    return proposals(people.values(), events_of=events_of, distinct=distinct)
