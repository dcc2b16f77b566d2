"""What a round table's summary says, and the Word file of it.

The summary is the document a committee sends the ministry the day after a round table: who
came, what each partner announced, what that makes in the plan's currency, and what remains
to find. The page (funding/round_table_summary.html) and the Word file say the same, from one
RoundTableReport. The Word file is written in the plan's language, whoever downloads it: it
goes to the plan's ministry.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils import translation
from django.utils.translation import gettext as _

from relais.core.docx import DocxWriter
from relais.core.money import CURRENCIES, format_money
from relais.events.formatting import dates_of, place_of
from relais.funding.picture import funding_picture

ZERO = Decimal(0)


@dataclass
class RoundTableReport:
    event: object  # relais.events.models.Event, with invited, present, participants loaded
    plan: object
    pledges: list  # picture.Valued of the contributions announced there, by partner
    announced: Decimal  # their total in the plan's currency (live and convertible ones)
    confirmed: Decimal  # what agreements confirm of them, in the plan's currency
    plan_figures: object  # picture.Figures of the whole plan: budget, announced, gap…

    @property
    def currency(self):
        return self.plan.currency

    @property
    def currency_label(self):
        return currency_label(self.plan.currency)

    @property
    def problems(self):
        """Pledges whose value in the plan's currency is unknown (a missing rate)."""
        return [valued for valued in self.pledges if valued.problem]


def currency_label(code):
    """What amounts are written with: "FCFA" for XOF."""
    return CURRENCIES.get(code, (2, code))[1]


def _partner_key(valued):
    contribution = valued.contribution
    if contribution.partner_id is None:
        return (0, "")  # the state's own budget first, as the committees list it
    return (1, contribution.partner.short_name.casefold())


def announced_total(pledges):
    """What `pledges` (picture.Valued) announced at the round table, in the plan's currency:
    the pledges as made that day (an agreement may later confirm another amount), but for
    those withdrawn since."""
    return sum((v.pledged for v in pledges if v.contribution.is_live and v.pledged), ZERO)


def pledges_by_event(picture):
    """{event pk: [Valued, …]} of a plan's funding picture."""
    grouped = {}
    for valued in picture.contributions:
        if valued.contribution.event_id:
            grouped.setdefault(valued.contribution.event_id, []).append(valued)
    return grouped


def round_table_report(*, event):
    """The RoundTableReport of `event` (a round table held for a plan): the plan's funding
    picture (seven queries) gives the figures, whatever the number of pledges."""
    plan = event.plan
    picture = funding_picture(plan=plan)
    pledges = sorted(pledges_by_event(picture).get(event.pk, []), key=_partner_key)
    return RoundTableReport(
        event=event,
        plan=plan,
        pledges=pledges,
        announced=announced_total(pledges),
        confirmed=sum((v.confirmed for v in pledges if v.confirmed), ZERO),
        plan_figures=picture.total,
    )


def pledge_original(valued):
    """The pledge in its own currency and the rate that converted it, when it was converted:
    "10 000,00 EUR (1 EUR = 655,957 XOF (fixed parity))"; "" in the plan's currency."""
    contribution = valued.contribution
    if valued.conversion is None and not valued.problem:
        return ""
    amount = contribution.committed or contribution.amount
    text = format_money(amount, contribution.currency) if amount else contribution.currency
    if valued.problem:
        return f"{text} — {valued.problem}"
    return f"{text} ({valued.conversion.describe()})"


def round_table_docx(report):
    """The summary as a Word file (bytes), in the plan's language."""
    plan, event, currency = report.plan, report.event, report.currency
    label = report.currency_label
    with translation.override(plan.language):
        lang = plan.language

        def money(value):
            return format_money(value, currency, lang)

        writer = DocxWriter(rtl=translation.get_language_bidi())
        properties = writer.document.core_properties
        properties.title = event.title
        properties.language = lang
        properties.subject = str(plan)

        writer.letterhead(plan.country.national_body)

        writer.heading(event.title, 1)
        writer.paragraph(dates_of(event), label=_("Date"))
        if place_of(event):
            writer.paragraph(place_of(event), label=_("Venue"))
        if event.chair:
            writer.paragraph(event.chair, label=_("Chaired by"))
        writer.paragraph(str(plan), label=_("Plan"))

        writer.heading(_("Participants"), 2)
        present = list(event.present.all())
        writer.heading(_("Organisations present"), 3)
        if present:
            for organisation in present:
                writer.paragraph(str(organisation), style="List Bullet")
        else:
            writer.paragraph(_("None recorded."))
        people = list(event.participants.all())
        writer.heading(_("People present"), 3)
        if people:
            writer.table(
                [_("Name"), _("Function"), _("Organisation")],
                [
                    [
                        person.full_name,
                        person.function,
                        person.organisation.short_name if person.organisation_id else "",
                    ]
                    for person in people
                ],
            )
        else:
            writer.paragraph(_("None recorded."))

        writer.heading(_("Contributions announced"), 2)
        if report.pledges:
            writer.table(
                [
                    _("Partner"),
                    _("Kind"),
                    _("Announced (%(currency)s)") % {"currency": label},
                    _("Confirmed (%(currency)s)") % {"currency": label},
                    _("Original amount and rate"),
                    _("Status"),
                ],
                [
                    [
                        str(valued.contribution.partner_name),
                        valued.contribution.get_kind_display(),
                        money(valued.pledged),
                        money(valued.confirmed),
                        pledge_original(valued),
                        valued.contribution.get_status_display(),
                    ]
                    for valued in report.pledges
                ],
                numeric=(2, 3),
                total=[
                    _("Total"),
                    "",
                    money(report.announced),
                    money(report.confirmed),
                    "",
                    "",
                ],
            )
        else:
            writer.paragraph(_("No contribution was recorded at this round table."))

        figures = report.plan_figures
        writer.heading(_("Funding of the plan"), 2)
        gap_label = _("Remaining gap") if figures.gap >= 0 else _("Over-funded by")
        writer.table(
            [_("Figure"), _("Amount (%(currency)s)") % {"currency": label}],
            [
                [_("Budget of the plan"), money(figures.budget)],
                [_("Announced at this round table"), money(report.announced)],
                [_("Announced for the plan in all"), money(figures.announced)],
                [gap_label, money(abs(figures.gap))],
            ],
            numeric=(1,),
        )
        return writer.save()
