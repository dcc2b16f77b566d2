"""What a workshop's report says, and the Word file of it.

The report is what a coordinator sends the funder and the ministry after a workshop: what it was,
its agenda, who came (counted and split by sex, type of organisation and country), who was
there each day, what they learned (pre-test and post-test), what they thought of it (the
evaluation), the recommendations, and the list of participants (names, organisations and
functions; never their phone or email).

The page (workshops/report.html) and the Word file say the same, from one WorkshopReport. The
Word file is written in the language of the person who downloads it (their profile's language),
or in another language of the platform asked for with `?lang=`: the report page offers the
country's working languages. Unlike a round table's summary, which goes to the plan's ministry
in the plan's language, a workshop report is first read and finished in Word by the coordinator
who downloads it, and is often sent to a funder who reads another language than the country's.
"""

from dataclasses import dataclass
from datetime import timedelta
from itertools import groupby

from django.db import transaction
from django.db.models import Count
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

# The round table summary's Word writer and date and place lines serve here unchanged.
from relais.core.docx import DocxWriter
from relais.core.money import format_number
from relais.events.formatting import dates_of, place_of
from relais.workshops.evaluations import results
from relais.workshops.learning import summarise
from relais.workshops.models import Attendance, Evaluation
from relais.workshops.trained import disaggregate


@dataclass
class WorkshopReport:
    event: object  # relais.events.models.Event, with its sessions, organiser, funder, activity
    agenda: list  # [(day, [Session, …]), …]
    people: object  # trained.Disaggregation
    attendance: list  # [(day, people present), …] every day of the workshop
    learning: object  # learning.LearningSummary
    evaluation: list  # [evaluations.CriterionResult, …]
    answers: int  # evaluations received
    comments: list  # what was most useful, as written
    suggestions: list
    participations: list  # [Participation] with their participant, by name: the annex

    @property
    def activity(self):
        return self.event.activity


def _days(event):
    last = event.ends_on or event.starts_on
    return [event.starts_on + timedelta(days=n) for n in range((last - event.starts_on).days + 1)]


def workshop_report(*, event):
    """The WorkshopReport of `event` (fetched with its sessions prefetched). Five queries,
    whatever the number of participants."""
    people = disaggregate(event.participations.all())
    participations = list(event.participations.select_related("participant").order_by())
    participations.sort(key=lambda p: (p.participant.full_name.casefold(), p.participant.pk))
    present = dict(
        Attendance.objects.filter(participation__event=event)
        .order_by()
        .values("day")
        .annotate(count=Count("participation", distinct=True))
        .values_list("day", "count")
    )
    days = sorted(set(_days(event)) | set(present))
    evaluations = list(
        Evaluation.objects.filter(participation__event=event).values_list(
            "ratings", "comments", "suggestions"
        )
    )
    return WorkshopReport(
        event=event,
        agenda=[
            (day, list(sessions))
            for day, sessions in groupby(event.sessions.all(), lambda s: s.day)
        ],
        people=people,
        attendance=[(day, present.get(day, 0)) for day in days],
        learning=summarise(((p.pre_score, p.post_score) for p in participations), event.score_max),
        evaluation=results(ratings for ratings, _c, _s in evaluations),
        answers=len(evaluations),
        comments=[c.strip() for _r, c, _s in evaluations if c.strip()],
        suggestions=[s.strip() for _r, _c, s in evaluations if s.strip()],
        participations=participations,
    )


@transaction.atomic
def recommendations_save(*, event, by, recommendations):
    """The recommendations the workshop's report carries, recorded in the event's history."""
    from relais.events.models import Event

    current = Event.objects.select_for_update().get(pk=event.pk)
    if current.kind == Event.Kind.ROUND_TABLE:
        raise ValueError("A round table has no workshop report.")
    text = (recommendations or "").strip()
    if current.recommendations == text:
        return current
    current.recommendations = text
    current._history_user = by
    current._change_reason = "recommendations"
    current.save()
    return current


# The Word file ---------------------------------------------------------------------------------


def _time(session):
    start = session.starts_at.strftime("%H:%M") if session.starts_at else ""
    end = session.ends_at.strftime("%H:%M") if session.ends_at else ""
    if start and end:
        return f"{start} – {end}"
    return start or (f"– {end}" if end else "")


def _day(day):
    return f"{date_format(day, 'l')} {date_format(day, 'DATE_FORMAT')}"


def _lines(text):
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def workshop_docx(*, event, language):
    """The report of `event` (fetched with its sessions prefetched) as a Word file (bytes), in
    `language`: its figures are read in that language too, so that their labels (types of
    organisation, countries, criteria) are in it."""
    with translation.override(language):
        report = workshop_report(event=event)

        def number(value, places=0):
            return "" if value is None else format_number(value, places, language)

        writer = DocxWriter(rtl=translation.get_language_bidi())
        properties = writer.document.core_properties
        properties.title = event.title
        properties.language = language
        properties.subject = _("Workshop report")

        body = event.country.national_body
        writer.letterhead(body)

        writer.paragraph(_("Workshop report"), center=True)
        writer.heading(event.title, 1)

        # The workshop
        writer.heading(_("The workshop"), 2)
        writer.paragraph(event.get_kind_display(), label=_("Kind"))
        writer.paragraph(dates_of(event), label=_("Date"))
        if place_of(event):
            writer.paragraph(place_of(event), label=_("Venue"))
        if event.organiser_id:
            writer.paragraph(str(event.organiser), label=_("Organiser"))
        if event.funder_id:
            writer.paragraph(str(event.funder), label=_("Funder"))
        if event.project:
            writer.paragraph(event.project, label=_("Project"))
        if event.facilitators:
            writer.paragraph(", ".join(_lines(event.facilitators)), label=_("Facilitators"))
        activity = event.activity
        if activity is not None:
            writer.paragraph(
                f"{activity.code} {activity.title} — {activity.objective.plan.title}",
                label=_("Plan activity it carries out"),
            )

        writer.heading(_("Objectives"), 2)
        objectives = _lines(event.objectives)
        for line in objectives:
            writer.paragraph(line)
        if not objectives:
            writer.paragraph(_("None recorded."))

        writer.heading(_("Agenda"), 2)
        for day, sessions in report.agenda:
            writer.heading(_day(day), 3)
            writer.table(
                [_("Time"), _("Session"), _("Facilitator")],
                [[_time(s), s.title, s.facilitator] for s in sessions],
            )
        if not report.agenda:
            writer.paragraph(_("No session on the agenda."))

        people = report.people
        writer.heading(_("Participants"), 2)
        writer.table(
            [_("Participants"), _("Number")],
            [
                [_("People trained"), number(people.people)],
                [_("Women"), number(people.women)],
                [_("Men"), number(people.men)],
                [_("Sex not stated"), number(people.not_stated)],
            ],
            numeric=(1,),
        )
        if people.by_kind:
            writer.heading(_("By type of organisation"), 3)
            writer.table(
                [_("Type of organisation"), _("Women"), _("Men"), _("Not stated"), _("Total")],
                [
                    [line.label, number(line.women), number(line.men), number(line.unknown)]
                    + [number(line.people)]
                    for line in people.by_kind
                ],
                numeric=(1, 2, 3, 4),
                total=[
                    _("Total"),
                    number(people.women),
                    number(people.men),
                    number(people.not_stated),
                    number(people.people),
                ],
            )
        if people.by_country:
            writer.heading(_("By country"), 3)
            writer.table(
                [_("Country"), _("People")],
                [[line.label, number(line.people)] for line in people.by_country],
                numeric=(1,),
                total=[_("Total"), number(people.people)],
            )

        writer.heading(_("Attendance"), 2)
        writer.table(
            [_("Day"), _("People present")],
            [[_day(day), number(count)] for day, count in report.attendance],
            numeric=(1,),
        )

        learning = report.learning
        writer.heading(_("What the participants learned"), 2)
        if learning.pre_count or learning.post_count:
            out_of = number(learning.score_max, 2)
            gain = ""
            if learning.gain_mean is not None:
                gain = number(learning.gain_mean, 2)
                if learning.gain_sd is not None:
                    gain = f"{gain} ± {number(learning.gain_sd, 2)}"
            writer.table(
                [_("Figure"), _("Value")],
                [
                    [_("Tests marked out of"), out_of],
                    [_("Sat the pre-test"), number(learning.pre_count)],
                    [_("Sat the post-test"), number(learning.post_count)],
                    [_("Average before (pre-test)"), number(learning.pre_mean, 2)],
                    [_("Average after (post-test)"), number(learning.post_mean, 2)],
                    [_("Average gain ± standard deviation"), gain],
                    [
                        _("Improved their score"),
                        _("%(improved)s of %(paired)s")
                        % {
                            "improved": number(learning.improved),
                            "paired": number(learning.paired),
                        },
                    ],
                ],
                numeric=(1,),
            )
        else:
            writer.paragraph(_("No test score was recorded."))

        writer.heading(_("Evaluation by the participants"), 2)
        if report.answers:
            writer.paragraph(number(report.answers), label=_("Evaluations received"))
            writer.table(
                [_("Criterion"), _("Average (out of 5)"), _("Answers")],
                [
                    [result.label, number(result.mean, 1), number(result.answers)]
                    for result in report.evaluation
                ],
                numeric=(1, 2),
            )
            for title, texts in (
                (_("What was most useful"), report.comments),
                (_("Suggestions"), report.suggestions),
            ):
                if texts:
                    writer.heading(title, 3)
                    for text in texts:
                        writer.paragraph(text, style="List Bullet")
        else:
            writer.paragraph(_("No evaluation was received."))

        writer.heading(_("Recommendations"), 2)
        recommendations = _lines(event.recommendations)
        for line in recommendations:
            writer.paragraph(line)
        if not recommendations:
            writer.paragraph(_("None recorded."))

        writer.heading(_("Annex: list of participants"), 2)
        if report.participations:
            writer.table(
                [_("No."), _("Name"), _("Sex"), _("Organisation"), _("Function")],
                [
                    [
                        number(index),
                        p.participant.full_name,
                        p.participant.get_sex_display(),
                        p.participant.organisation,
                        p.participant.function,
                    ]
                    for index, p in enumerate(report.participations, start=1)
                ],
                numeric=(0,),
            )
        else:
            writer.paragraph(_("None recorded."))
        return writer.save()
