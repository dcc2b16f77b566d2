from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from relais.countries import selectors, services
from relais.countries.forms import (
    AcceptInvitationForm,
    BodyForm,
    ContactForm,
    InvitationForm,
    OrganisationForm,
)
from relais.countries.models import Invitation


def _country_for(request, code, perm):
    """The country of `code` if the person may do `perm` there.

    Someone who cannot see the country's work is told it does not exist (404); a member whose
    role does not allow `perm` is refused (403).
    """
    country = selectors.country_get(code=code)
    if not request.user.has_perm("countries.view_members", country):
        raise Http404
    if not request.user.has_perm(perm, country):
        raise PermissionDenied
    return country


@require_GET
def home(request):
    countries = selectors.country_overview(user=request.user)
    organisations = selectors.represented_organisations(user=request.user)
    return render(
        request, "countries/home.html", {"countries": countries, "organisations": organisations}
    )


@require_GET
def country_detail(request, code):
    country = selectors.country_page(code=code)
    return render(
        request,
        "countries/country_detail.html",
        {
            "country": country,
            "body": country.national_body,
            "show_contacts": request.user.has_perm("countries.view_contacts", country),
        },
    )


@require_http_methods(["GET", "POST"])
def body_edit(request, code):
    country = _country_for(request, code, "countries.change_body")
    body = country.national_body
    if body is None:
        raise Http404
    form = BodyForm(request.POST or None, request.FILES or None, instance=body)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The national body's details have been saved."))
        return redirect(country)
    return render(
        request,
        "countries/form.html",
        {"country": country, "form": form, "title": _("The national body")},
    )


@require_http_methods(["GET", "POST"])
def members(request, code):
    country = _country_for(request, code, "countries.view_members")
    form = InvitationForm(
        request.POST or None, initial={"language": country.languages[:1] or ["fr"]}
    )
    if request.method == "POST":
        if not request.user.has_perm("countries.invite", country):
            raise PermissionDenied
        if form.is_valid():
            try:
                invitation = services.invitation_create(
                    country=country,
                    by=request.user,
                    accept_url=lambda token: request.build_absolute_uri(
                        reverse("invitation_accept", args=[token])
                    ),
                    **form.cleaned_data,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("An invitation has been sent to %(email)s.") % {"email": invitation.email},
                )
                return redirect("countries:members", code=country.code)
    page = selectors.country_page(code=country.code)
    return render(
        request,
        "countries/members.html",
        {
            "country": page,
            "form": form,
            "invitations": selectors.invitation_list(country=country)[:50],
        },
    )


@require_POST
def invitation_revoke(request, code, pk):
    country = _country_for(request, code, "countries.invite")
    invitation = get_object_or_404(Invitation, pk=pk, country=country)
    services.invitation_revoke(invitation=invitation)
    messages.success(request, _("The invitation has been withdrawn."))
    return redirect("countries:members", code=country.code)


@login_not_required
@require_http_methods(["GET", "POST"])
def invitation_accept(request, token):
    invitation = get_object_or_404(Invitation.objects.select_related("country"), token=token)
    if not invitation.is_pending:
        return render(
            request, "countries/invitation_closed.html", {"invitation": invitation}, status=410
        )
    user = request.user if request.user.is_authenticated else None
    form = (
        None
        if user
        else AcceptInvitationForm(request.POST or None, initial={"full_name": invitation.full_name})
    )
    if request.method == "POST" and (user or form.is_valid()):
        try:
            with transaction.atomic():
                accepted_by = services.invitation_accept(
                    invitation=invitation,
                    user=user,
                    full_name=form.cleaned_data["full_name"] if form else "",
                    password=form.cleaned_data["password1"] if form else None,
                )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            if user is None:
                login(request, accepted_by, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(
                request,
                _("Welcome to Relais. You are now %(role)s for %(country)s.")
                % {"role": invitation.get_kind_display().lower(), "country": invitation.country},
            )
            return redirect(invitation.country)
    return render(
        request, "countries/invitation_accept.html", {"invitation": invitation, "form": form}
    )


@require_http_methods(["GET", "POST"])
def organisation_create(request, code):
    country = _country_for(request, code, "countries.add_organisation")
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.instance.country = country
        form.save()
        messages.success(request, _("The organisation has been added."))
        return redirect(country)
    return render(
        request,
        "countries/form.html",
        {"country": country, "form": form, "title": _("Add an organisation")},
    )


@require_http_methods(["GET", "POST"])
def contact_create(request, code):
    country = _country_for(request, code, "countries.add_contact")
    form = ContactForm(request.POST or None, country=country)
    if request.method == "POST" and form.is_valid():
        form.instance.country = country
        form.save()
        messages.success(request, _("The contact has been added."))
        return redirect(country)
    return render(
        request,
        "countries/form.html",
        {"country": country, "form": form, "title": _("Add a contact")},
    )
