"""Pages revalidated rather than downloaded again: a reader on a metered link who comes back to
a page that has not changed gets "304 Not Modified" (a few hundred bytes) instead of the page."""

import hashlib

from django.contrib import messages
from django.middleware.gzip import GZipMiddleware
from django.utils import translation

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


class GZipTextMiddleware(GZipMiddleware):
    """Django's gzip, for text only. Photos, PDFs, office files and archives are compressed
    already: gzip gains nothing on them and, on a streamed file, drops the Content-Length that
    lets a slow link show how much is left."""

    TEXT = ("text/", "application/json", "application/javascript", "image/svg+xml")

    def process_response(self, request, response):
        content_type = response.get("Content-Type", "")
        if content_type and not content_type.startswith(self.TEXT):
            return response
        return super().process_response(request, response)
