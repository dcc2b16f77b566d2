"""The network's directory: the six countries, their national bodies, focal points and other
contacts, and the partners active in each, for members of the network only."""

from collections import defaultdict

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from relais.core.text import normalise
from relais.countries.models import Contact, Country, Organisation
from relais.funding.models import Contribution
from relais.plans.models import Activity, FundingSource


def _partner_ids_by_country():
    """{country id: {organisation ids party to its plans}}: planned funders, responsible
    structures, activity partners and contributors (withdrawn contributions aside). Four
    queries, whatever the plans' size."""
    pairs = [
        FundingSource.objects.filter(organisation__isnull=False).values_list(
            "activity__objective__plan__country_id", "organisation_id"
        ),
        Activity.objects.filter(responsible__isnull=False).values_list(
            "objective__plan__country_id", "responsible_id"
        ),
        Activity.partners.through.objects.values_list(
            "activity__objective__plan__country_id", "organisation_id"
        ),
        Contribution.objects.filter(partner__isnull=False)
        .exclude(status=Contribution.Status.WITHDRAWN)
        .values_list("plan__country_id", "partner_id"),
    ]
    found = defaultdict(set)
    for queryset in pairs:
        for country_id, organisation_id in queryset.distinct():
            found[country_id].add(organisation_id)
    return found


def _matches(words, *texts):
    haystack = normalise(" ".join(str(t) for t in texts if t))
    return all(word in haystack for word in words)


def _organisation_matches(words, organisation):
    return organisation is not None and _matches(words, organisation.name, organisation.acronym)


def _contact_matches(words, contact):
    organisation = contact.organisation
    return _matches(
        words,
        contact.full_name,
        contact.function,
        organisation.name if organisation else "",
        organisation.acronym if organisation else "",
    )


def directory_entries(*, query=""):
    """[{country, body, contacts, partners}] for the six countries, filtered by
    `query` (words matched in names, functions and organisations, accents, case and Arabic
    letter forms ignored). A country whose name matches is shown whole. Seven queries."""
    countries = list(Country.objects.select_related("national_body"))
    contacts = defaultdict(list)
    for contact in Contact.objects.select_related("organisation").order_by(
        "-is_focal_point", "full_name"
    ):
        contacts[contact.country_id].append(contact)
    partner_ids = _partner_ids_by_country()
    organisations = Organisation.objects.in_bulk(set().union(*partner_ids.values()))

    words = normalise(query).split()
    entries = []
    for country in countries:
        body = country.national_body
        country_contacts = contacts[country.pk]
        partners = sorted(
            (
                organisations[pk]
                for pk in partner_ids.get(country.pk, ())
                if pk in organisations and pk != country.national_body_id
            ),
            key=lambda o: normalise(o.name),
        )
        if words and not _matches(words, country.name, country.display_name, country.code):
            if not _organisation_matches(words, body):
                body = None
            country_contacts = [c for c in country_contacts if _contact_matches(words, c)]
            partners = [o for o in partners if _organisation_matches(words, o)]
            if body is None and not country_contacts and not partners:
                continue
        entries.append(
            {
                "country": country,
                "body": body,
                "contacts": country_contacts,  # focal points first
                "partners": partners,
            }
        )
    return entries


@require_GET
def directory(request):
    if not request.user.has_perm("countries.view_contacts"):
        raise Http404
    query = request.GET.get("q", "").strip()[:100]
    return render(
        request,
        "exchange/directory.html",
        {"entries": directory_entries(query=query), "query": query},
    )
