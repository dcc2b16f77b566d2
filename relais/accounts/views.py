from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from relais.accounts.forms import ProfileForm


def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        translation.activate(request.user.language)
        messages.success(request, _("Your profile has been saved."))
        response = redirect("accounts:profile")
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            request.user.language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            secure=settings.LANGUAGE_COOKIE_SECURE,
        )
        return response
    roles = request.user.roles.select_related("country", "organisation")
    return render(request, "accounts/profile.html", {"form": form, "roles": roles})


@login_not_required
@require_POST
def set_language(request):
    """Django's language switch, which also remembers the choice in a signed-in profile."""
    language = request.POST.get("language")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        request.user.language = language
        request.user.save(update_fields=["language"])
    return django_set_language(request)
