"""The partner directory: the organisations that support the plans, each with its contacts,
areas of interest and history of contributions across plans and countries.

Members of the network read the directory and every organisation's page. A partner
representative reads only their own organisation's page; the directory and the others are
404 to them, as records that do not exist.
"""

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from relais.countries.rules import is_network_member, organisation_ids_of
from relais.funding import selectors


@require_GET
def partner_list(request):
    if not is_network_member(request.user):
        raise Http404
    q = request.GET.get("q", "").strip()
    country_code = request.GET.get("country", "").strip().upper()
    organisations = selectors.partner_directory(q=q, country_code=country_code)
    return render(
        request,
        "funding/partner_list.html",
        {
            "organisations": organisations,
            "countries": selectors.directory_countries(),
            "q": q,
            "country_code": country_code,
            "filtered": bool(q or country_code),
        },
    )


@require_GET
def partner_detail(request, pk):
    organisation = selectors.partner_get(user=request.user, pk=pk)
    # Contacts are for members of the network, and for the organisation's own representative.
    show_contacts = is_network_member(request.user) or pk in organisation_ids_of(request.user)
    contributions = selectors.partner_history(user=request.user, organisation=organisation)
    return render(
        request,
        "funding/partner_detail.html",
        {
            "organisation": organisation,
            "show_contacts": show_contacts,
            "contacts": selectors.partner_contacts(organisation=organisation)
            if show_contacts
            else [],
            "contributions": contributions,
            "totals": selectors.totals_by_currency(contributions),
            "in_directory": is_network_member(request.user),
        },
    )
