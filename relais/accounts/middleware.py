import time

from django.contrib import messages
from django.contrib.auth import middleware as auth_middleware
from django.http import HttpResponse, QueryDict
from django.utils import translation
from django.utils.translation import gettext as _

REPLAY_KEY = "relais_replay"
REPLAY_MAX_AGE = 3600  # seconds a stashed form waits for its author to sign in again


class UserLanguageMiddleware:
    """A signed-in person reads Relais in the language of their profile."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.language:
            translation.activate(user.language)
            request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)


class LoginRequiredMiddleware(auth_middleware.LoginRequiredMiddleware):
    """Every page needs a signed-in person, unless its view says `login_not_required`.

    A form posted after the session ended is kept (its text fields, not its files) so that it
    completes once the person signs in again: see ReplayPostMiddleware.
    """

    def handle_no_permission(self, request, view_func):
        if request.method == "POST":
            data = [
                (key, value)
                for key, values in request.POST.lists()
                if key != "csrfmiddlewaretoken"
                for value in values
            ]
            request.session[REPLAY_KEY] = {
                "path": request.get_full_path(),
                "data": data,
                "at": time.time(),
            }
            messages.info(
                request,
                _("Your session had ended. Sign in again and what you sent will be saved."),
            )
        response = super().handle_no_permission(request, view_func)
        if getattr(request, "htmx", False) or request.headers.get("HX-Request"):
            # htmx would swap the sign-in page into a fragment: send the whole window there.
            redirect = HttpResponse(status=204)
            redirect["HX-Redirect"] = response["Location"]
            return redirect
        return response


class ReplayPostMiddleware:
    """After signing in again, the form kept by LoginRequiredMiddleware is posted once.

    It runs before CsrfViewMiddleware and exempts the replay from the token check: the token
    was checked when the form first arrived (the login-required check runs after the CSRF
    check), and signing in rotates the token since.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "GET" and request.user.is_authenticated:
            pending = request.session.get(REPLAY_KEY)
            if pending and pending.get("path") == request.get_full_path():
                del request.session[REPLAY_KEY]
                if time.time() - pending.get("at", 0) < REPLAY_MAX_AGE:
                    post = QueryDict(mutable=True)
                    for key, value in pending["data"]:
                        post.appendlist(key, value)
                    post._mutable = False
                    request.method = "POST"
                    request.META["REQUEST_METHOD"] = "POST"
                    request.POST = post
                    request._dont_enforce_csrf_checks = True
        return self.get_response(request)
