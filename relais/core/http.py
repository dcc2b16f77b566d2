"""Pages revalidated rather than downloaded again: a reader on a metered link who comes back to
a page that has not changed gets "304 Not Modified" (a few hundred bytes) instead of the page."""

import hashlib

from django.contrib import messages
from django.middleware.gzip import GZipMiddleware
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import quote_etag

from relais.countries.rules import roles_of


def reader_etag(request, *parts):
    """The version of a page for this reader: what the page says (`parts`: when its content
    last changed…), then who reads it, their roles, language and CSRF secret (the page embeds
    a token). None while a message waits to be shown."""
    if len(messages.get_messages(request)):  # counted, not consumed
        return None
    parts = (
        *parts,
        request.user.pk,
        roles_of(request.user),
        translation.get_language(),
        request.META.get("CSRF_COOKIE", ""),
    )
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


def versioned(request, *parts):
    """(etag, response) for a GET of a page whose content `parts` say (when it last changed,
    its filters…): "304 Not Modified" as the response when the reader already has this
    version, else None. (None, None) for a POST, or while a message waits to be shown. The
    view puts the ETag on the page it renders with `with_etag`."""
    if request.method != "GET":
        return None, None
    etag = reader_etag(request, *parts)
    if not etag:
        return None, None
    etag = quote_etag(etag)
    return etag, get_conditional_response(request, etag=etag)


def not_modified(request, etag):
    """304 when the reader already has this version of the page, else None."""
    return get_conditional_response(request, etag=etag) if etag else None


def with_etag(response, etag):
    """`response` carrying its version, revalidated each time it is shown again. It varies
    with HX-Request: a page and its htmx fragment share their address, not their content."""
    if etag and response.status_code == 200:
        response.headers["ETag"] = etag
        patch_cache_control(response, private=True, no_cache=True)
    patch_vary_headers(response, ["HX-Request"])
    return response


class GZipTextMiddleware(GZipMiddleware):
    """Django's gzip, for text only. Photos, PDFs, office files and archives are compressed
    already: gzip gains nothing on them and, on a streamed file, drops the Content-Length that
    lets a slow link show how much is left."""

    TEXT = (
        "text/",
        "application/json",
        "application/javascript",
        "application/xml",
        "image/svg+xml",
    )

    def process_response(self, request, response):
        content_type = response.get("Content-Type", "")
        if content_type and not content_type.startswith(self.TEXT):
            return response
        return super().process_response(request, response)
