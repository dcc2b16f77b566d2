"""Reads for partners and their contributions; each names what it preloads, so that pages run
a fixed number of queries however many contributions there are."""

from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, DecimalField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404

from relais.core.text import normalise
from relais.countries.models import Country, Organisation
from relais.countries.rules import is_network_member, organisation_ids_of
from relais.funding.models import Contribution, Disbursement
from relais.plans.selectors import visible_plans

MONEY = DecimalField(max_digits=20, decimal_places=2)

# The organisations the directory lists whether or not they contribute yet; any other
# organisation is listed once it has a contribution.
DIRECTORY_KINDS = (
    Organisation.Kind.PARTNER,
    Organisation.Kind.UN,
    Organisation.Kind.INGO,
    Organisation.Kind.REGIONAL,
)


def _contributing(**lookups):
    """The ids of the organisations with a contribution (matching `lookups`), as a subquery."""
    return Contribution.objects.filter(partner__isnull=False, **lookups).values("partner_id")


def _matches(organisation, words):
    """Every word of the search appears in the name or acronym, accents and case ignored."""
    text = normalise(f"{organisation.name} {organisation.acronym}")
    return all(word in text for word in words)


def partner_directory(*, q="", country_code=""):
    """The directory: partners, UN agencies, international NGOs, regional bodies, and every
    organisation with a contribution, by name.

    `q` keeps those whose name or acronym holds each of its words (accents and case ignored);
    `country_code` those of that country or with a contribution to one of its plans. Each
    carries `plan_count` and `country_list` (the countries of the plans it contributes to,
    Country objects). Three queries: the organisations with their country and counts, the
    countries of their contributions, the countries."""
    organisations = Organisation.objects.filter(
        Q(kind__in=DIRECTORY_KINDS) | Q(pk__in=_contributing())
    )
    if country_code:
        code = country_code.upper()
        organisations = organisations.filter(
            Q(country__code=code) | Q(pk__in=_contributing(plan__country__code=code))
        )
    organisations = list(
        organisations.select_related("country")
        .annotate(plan_count=Count("contributions__plan", distinct=True))
        .order_by("name", "pk")
    )
    words = normalise(q).split()
    if words:
        # A few hundred organisations at most: matched here, the same way on every database.
        organisations = [o for o in organisations if _matches(o, words)]
    countries = Country.objects.in_bulk()
    pairs = (
        Contribution.objects.filter(partner__in=[o.pk for o in organisations])
        .values_list("partner_id", "plan__country_id")
        .distinct()
    )
    country_ids = defaultdict(set)
    for partner_id, country_id in pairs:
        country_ids[partner_id].add(country_id)
    for organisation in organisations:
        organisation.country_list = sorted(
            (countries[pk] for pk in country_ids[organisation.pk]), key=lambda c: c.code
        )
    return organisations


def directory_countries():
    """The countries the directory can be narrowed to."""
    return Country.objects.order_by("code")


def partner_get(*, user, pk):
    """An organisation `user` may read in the directory, with its country: any for a member
    of the network; for a partner representative, only the organisation(s) they represent.
    404 otherwise, as for a record that does not exist."""
    if not (is_network_member(user) or pk in organisation_ids_of(user)):
        raise Http404
    organisation = Organisation.objects.select_related("country").filter(pk=pk).first()
    if organisation is None:
        raise Http404
    return organisation


def partner_contacts(*, organisation):
    return organisation.contacts.select_related("country")


def partner_history(*, user, organisation):
    """The contributions of `organisation` that `user` may read, newest first: those on the
    plans they may read, or all of them for the organisation's own representative. Each with
    its plan and the plan's country, and `disbursed` (the sum of its disbursements, 0 when
    nothing was paid). One query, however many contributions."""
    contributions = Contribution.objects.filter(partner=organisation)
    if organisation.pk not in organisation_ids_of(user):
        contributions = contributions.filter(plan__in=visible_plans(user=user).values("pk"))
    paid = (
        Disbursement.objects.filter(contribution=OuterRef("pk"))
        .values("contribution")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return list(
        contributions.select_related("plan", "plan__country")
        .annotate(
            disbursed=Coalesce(Subquery(paid, output_field=MONEY), Value(0), output_field=MONEY)
        )
        .order_by("-announced_on", "-pk")
    )


class CurrencyTotal:
    """What an organisation's contributions add up to in one currency."""

    def __init__(self, currency):
        self.currency = currency
        self.announced = Decimal(0)  # pledges not withdrawn
        self.confirmed = Decimal(0)  # what the agreements say
        self.disbursed = Decimal(0)


def totals_by_currency(contributions):
    """[CurrencyTotal] one per currency, by code: amounts are never added across currencies.
    Withdrawn contributions count in none; contributions without a value add nothing."""
    totals = {}
    for contribution in contributions:
        if not contribution.is_live:
            continue
        total = totals.setdefault(contribution.currency, CurrencyTotal(contribution.currency))
        total.announced += contribution.amount or 0
        if contribution.status == Contribution.Status.CONFIRMED:
            total.confirmed += contribution.confirmed_amount or 0
        total.disbursed += contribution.disbursed or 0
    return [totals[code] for code in sorted(totals)]
