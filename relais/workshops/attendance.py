"""Who was present on which day of a workshop: the grid a coordinator ticks (reads and writes),
and the rows of the attendance sheet participants sign.

A mark is a pair (participation id, day). Saving the grid makes the workshop's Attendance rows
exactly the marks sent, in one transaction: a day outside the workshop's dates, or a
participation of another workshop, refuses the whole grid and nothing is saved.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.deletion import Collector
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from relais.core.pdf import text_direction
from relais.events.models import Event
from relais.workshops.models import Attendance, Participant, Participation


def workshop_days(event):
    """The days of `event`, first to last (one day without a last day)."""
    last = event.ends_on or event.starts_on
    return [event.starts_on + timedelta(days=n) for n in range((last - event.starts_on).days + 1)]


def _day(value):
    return date_format(value, "DATE_FORMAT")


# Reading ---------------------------------------------------------------------------------------


@dataclass
class Row:
    participation: Participation  # with its participant
    present: list  # [bool, …], one per day of the workshop
    days: int = 0  # days present
    cells: list = field(default_factory=list)  # [(checkbox value "<id>:<day>", present), …]

    @property
    def participant(self):
        return self.participation.participant


@dataclass
class DayTotal:
    day: date
    present: int = 0
    women: int = 0
    men: int = 0


@dataclass
class Grid:
    days: list
    rows: list
    totals: list  # [DayTotal, …], one per day
    # Marks recorded for days the workshop no longer has (its dates changed since): not shown
    # in the grid, and dropped when it is saved.
    outside: int = 0


def attendance_grid(*, event, marks=None):
    """The grid of `event`: its participants (by name) × its days, ticked from the Attendance
    rows, or from `marks` (a grid sent back with an error); totals per day and per person.
    Two queries, however many participants."""
    days = workshop_days(event)
    index = {day: n for n, day in enumerate(days)}
    participations = list(
        Participation.objects.filter(event=event)
        .select_related("participant")
        .order_by("participant__full_name", "pk")
    )
    if marks is None:
        marks = set(
            Attendance.objects.filter(participation__event=event).values_list(
                "participation_id", "day"
            )
        )
    totals = [DayTotal(day) for day in days]
    rows, outside = [], 0
    by_pk = {}
    for participation in participations:
        row = Row(participation, [False] * len(days))
        rows.append(row)
        by_pk[participation.pk] = row
    for participation_id, day in marks:
        row, n = by_pk.get(participation_id), index.get(day)
        if row is None or n is None:
            outside += 1
            continue
        row.present[n] = True
        row.days += 1
        total = totals[n]
        total.present += 1
        sex = row.participant.sex
        if sex == Participant.Sex.WOMAN:
            total.women += 1
        elif sex == Participant.Sex.MAN:
            total.men += 1
    isos = [day.isoformat() for day in days]
    for row in rows:
        pk = row.participation.pk
        row.cells = [
            (f"{pk}:{iso}", present) for iso, present in zip(isos, row.present, strict=True)
        ]
    return Grid(days=days, rows=rows, totals=totals, outside=outside)


def parse_marks(values):
    """{(participation id, day)} from the grid's checkbox values "<id>:<YYYY-MM-DD>";
    ValidationError naming the first value that is not one."""
    marks = set()
    for value in values:
        pk, _sep, day = str(value).partition(":")
        try:
            marks.add((int(pk), date.fromisoformat(day)))
        except ValueError:
            raise ValidationError(
                _("“%(value)s” is not a participant and a day: nothing was saved.")
                % {"value": str(value)[:40]},
                code="invalid",
            ) from None
    return marks


# Writing ---------------------------------------------------------------------------------------


def _check_day(event, day):
    first, last = event.starts_on, event.ends_on or event.starts_on
    if first <= day <= last:
        return
    if first == last:
        message = _("The workshop is on %(first)s, not on %(day)s: nothing was saved.")
    else:
        message = _(
            "The workshop runs from %(first)s to %(last)s: %(day)s is not one of its days. "
            "Nothing was saved."
        )
    raise ValidationError(
        message % {"first": _day(first), "last": _day(last), "day": _day(day)},
        code="outside",
    )


@transaction.atomic
def attendance_save(*, event, by, marks, all_present_on=None):
    """Make `event`'s attendance exactly `marks` ({(participation id, day)}), and everyone
    present on the day `all_present_on` if given. Returns (added, removed).

    Refused whole (ValidationError, nothing saved) if a day is outside the workshop's dates or
    a participation is not of this workshop. Marks on days the workshop no longer has (its
    dates changed since they were recorded) are dropped."""
    current = Event.objects.select_for_update().get(pk=event.pk)
    marks = set(marks)
    for day in sorted({day for _pk, day in marks} | ({all_present_on} - {None})):
        _check_day(current, day)
    participations = set(current.participations.values_list("pk", flat=True))
    strangers = {pk for pk, _day in marks} - participations
    if strangers:
        raise ValidationError(
            _(
                "The list names a participant who is not at this workshop (record %(pk)s): "
                "nothing was saved. Reload the page and mark the attendance again."
            )
            % {"pk": min(strangers)},
            code="stranger",
        )
    if all_present_on is not None:
        marks |= {(pk, all_present_on) for pk in participations}

    existing = {
        (a.participation_id, a.day): a
        for a in Attendance.objects.filter(participation__event=current)
    }
    added = [
        Attendance(participation_id=pk, day=day)
        for pk, day in sorted(marks - existing.keys(), key=lambda m: (m[1], m[0]))
    ]
    removed = [existing[mark] for mark in existing.keys() - marks]
    if added:
        bulk_create_with_history(added, Attendance, default_user=by)
    if removed:
        _delete_with_history(removed, by)
    return len(added), len(removed)


def _delete_with_history(attendances, by):
    """Delete `attendances` in one query; the history records each deletion as made by `by`
    (a queryset's delete would fetch them again, without knowing who)."""
    for attendance in attendances:
        attendance._history_user = by
    collector = Collector(using=Attendance.objects.db)
    collector.collect(attendances)
    collector.delete()


# The sheet -------------------------------------------------------------------------------------


@dataclass
class Sheet:
    event: Event
    letterhead: list  # lines of the country's letterhead
    body: str  # the national body's name, when its letterhead does not end with it
    logo: str  # the URL of the body's logo, or ""
    days: list
    participants: list  # [Participant, …] by name
    blank_rows: int
    contacts: bool  # whether phone and email are printed

    @property
    def place(self):
        return ", ".join(part for part in (self.event.venue, self.event.city) if part)

    @property
    def dates(self):
        first, last = self.days[0], self.days[-1]
        if first == last:
            return _day(first)
        return _("%(first)s to %(last)s") % {"first": _day(first), "last": _day(last)}

    @property
    def heads(self):
        """What each day's sheets say at the head of every page: the day."""
        total = len(self.days)
        heads = []
        for n, day in enumerate(self.days, start=1):
            values = {"weekday": date_format(day, "l"), "date": _day(day), "n": n, "total": total}
            if total == 1:
                heads.append(_("%(weekday)s %(date)s") % values)
            else:
                heads.append(_("%(weekday)s %(date)s — day %(n)s of %(total)s") % values)
        return heads

    @property
    def rows(self):
        """[(number, [(text, direction), …]), …]: a row per participant, its cells' text and
        the direction it is written in when it is not the page's (a Latin name on an Arabic
        sheet: "" otherwise). Phone and email always left to right; blank without contacts."""
        page = "rtl" if translation.get_language_bidi() else "ltr"

        def cell(text, direction=None):
            direction = direction or text_direction(text)
            return (text, direction if text and direction != page else "")

        rows = []
        for number, person in enumerate(self.participants, start=1):
            cells = [cell(person.full_name), cell(person.organisation), cell(person.function)]
            if self.contacts:
                cells += [cell(person.phone, "ltr"), cell(person.email, "ltr")]
            else:
                cells += [("", ""), ("", "")]
            rows.append((number, cells))
        return rows

    @property
    def blank_numbers(self):
        """The numbers of the blank rows, after the participants'."""
        count = len(self.participants)
        return range(count + 1, count + self.blank_rows + 1)


BLANK_ROWS = 8  # for those who come without being on the list


def attendance_sheet(*, event, contacts):
    """What the attendance sheet of `event` prints: its participants by name, for each of its
    days, phone and email when `contacts`. One query (the event holds its country's body)."""
    body = event.country.national_body
    lines = body.letterhead_lines if body else []
    participants = [
        p.participant
        for p in Participation.objects.filter(event=event)
        .select_related("participant")
        .order_by("participant__full_name", "pk")
    ]
    return Sheet(
        event=event,
        letterhead=lines,
        body=body.name if body and body.name not in lines else "",
        logo=body.logo.url if body and body.logo else "",
        days=workshop_days(event),
        participants=participants,
        blank_rows=BLANK_ROWS,
        contacts=contacts,
    )
