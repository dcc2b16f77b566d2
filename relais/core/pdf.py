"""PDF documents from Django templates, with WeasyPrint: the same HTML as a page, laid out on A4.

`render_pdf("app/thing.html", context, request=request)` renders the template in the active
language and returns the PDF's bytes; `pdf_response(data, "name.pdf")` sends them as a download.

The template is a whole HTML document. Its context also holds:

- `pdf_lang` and `pdf_dir`: the language and its direction, for `<html lang dir>` (Arabic is
  laid out right to left whether or not the template says so: the helper's own stylesheet
  sets the direction too);
- `pdf_style`: the shared stylesheet (A4, margins, system fonts, "Page 1 / 3" at the foot of
  each page), to put first in the template's `<style>` so that the template can override it.

No web fonts, no network: the fonts are the system's ("DejaVu Sans", and "Amiri" for Arabic,
from Debian's fonts-dejavu-core and fonts-hosny-amiri), and the URL fetcher serves only the
project's static and media files, from disk. Any other address (http, https, file, ftp) is
refused at once, so a stray link in a template or in text someone typed can neither hang the
rendering nor read the server's files.
"""

import functools
import logging
import mimetypes
import re
import unicodedata
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.storage import default_storage
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

# Relative addresses in a template resolve against this base (never fetched as such): `/static/…`
# becomes file:///static/… and the fetcher maps it to the file on disk.
BASE_URL = "file:///"

FONTS = {
    "ltr": '"DejaVu Sans", "Amiri", sans-serif',
    "rtl": '"Amiri", "DejaVu Sans", serif',
}


@functools.cache
def _weasyprint():
    """What this module uses of WeasyPrint: its HTML, Page, MarginBox and FontConfiguration
    classes, and Relais's URL fetcher class."""
    # WeasyPrint logs each step of every rendering at INFO (and of its own stylesheets as it
    # is imported): not news, unless LOGGING asks for them.
    progress = logging.getLogger("weasyprint.progress")
    if progress.level == logging.NOTSET:
        progress.setLevel(logging.WARNING)
    # Imported here: importing WeasyPrint loads Pango, which no page but a PDF needs.
    from weasyprint import HTML
    from weasyprint.document import Page
    from weasyprint.formatting_structure.boxes import MarginBox
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class LocalFetcher(URLFetcher):
        """data: URLs, and the files under STATIC_URL and MEDIA_URL read from disk (or the
        media storage); anything else raises ValueError, which WeasyPrint reports and skips."""

        def __init__(self):
            super().__init__(allowed_protocols={"data"}, allow_redirects=False)

        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            path = _local_path(url)
            if path is None:
                raise ValueError(f"Not fetched for a PDF: {url}")
            mime_type = mimetypes.guess_type(path or "")[0] or "application/octet-stream"
            return URLFetcherResponse(url, read_local(path), {"Content-Type": mime_type})

    return HTML, LocalFetcher, Page, MarginBox, FontConfiguration


def local_fetcher():
    return _weasyprint()[1]()


def _local_path(url):
    """The path of `url` if it names one of this site's files (relative to BASE_URL, or under
    an absolute STATIC_URL or MEDIA_URL), else None."""
    for prefix in (settings.STATIC_URL, settings.MEDIA_URL):
        if prefix and "://" in prefix and url.startswith(prefix):
            return unquote(urlsplit(url).path)
    parts = urlsplit(url)
    if parts.scheme == "file" and parts.netloc in ("", "localhost"):
        return unquote(parts.path)
    return None


def _name_under(path, prefix):
    """The file's name if `path` is under `prefix` (a URL or its path, like "/static/")."""
    prefix_path = urlsplit(prefix or "").path
    if not prefix_path or not path.startswith(prefix_path):
        return None
    name = path[len(prefix_path) :]
    if not name or name.startswith("/") or ".." in name.split("/"):
        return None
    return name


def read_local(path):
    """The bytes of the static or media file at the URL path `path` ("/static/css/x.css");
    ValueError for any other path: nothing else on the server is read."""
    static = _name_under(path or "", settings.STATIC_URL)
    if static is not None:
        # Source files first (development); collected ones (hashed names) in production.
        found = finders.find(static)
        if found is None and settings.STATIC_ROOT:
            candidate = Path(settings.STATIC_ROOT) / static
            found = candidate if candidate.is_file() else None
        if found is None:
            raise ValueError(f"No static file {static}")
        return Path(found).read_bytes()
    media = _name_under(path or "", settings.MEDIA_URL)
    if media is not None:
        with default_storage.open(media, "rb") as file:
            return file.read()
    raise ValueError(f"Not fetched for a PDF: {path}")


def _css_string(text):
    """`text` as a CSS string literal."""
    escaped = "".join(c if c.isprintable() and c not in '"\\' else f"\\{ord(c):x} " for c in text)
    return f'"{escaped}"'


def page_numbers_content():
    """The CSS `content` of "Page 1 / 3" in the active language: the translated sentence around
    the page counters."""
    sentence = _("Page %(page)s / %(pages)s")
    parts = re.split(r"(%\(page\)s|%\(pages\)s)", sentence)
    out = []
    for part in parts:
        if part == "%(page)s":
            out.append("counter(page)")
        elif part == "%(pages)s":
            out.append("counter(pages)")
        elif part:
            out.append(_css_string(part))
    return " ".join(out)


def base_style(direction):
    return (
        "@page{size:A4;margin:15mm 12mm 18mm;"
        f"@bottom-center{{content:{page_numbers_content()};font-size:8pt;color:#555}}}}"
        f"html{{direction:{direction};font-family:{FONTS[direction]};font-size:10pt;"
        "line-height:1.3;color:#000}"
        "body{margin:0}"
        "table{border-collapse:collapse;inline-size:100%}"
        "thead{display:table-header-group}"
        "tr{break-inside:avoid}"
    )


def pdf_context(context):
    """`context` with what every PDF template uses: pdf_lang, pdf_dir, pdf_style."""
    direction = "rtl" if translation.get_language_bidi() else "ltr"
    return {
        **context,
        "pdf_lang": translation.get_language(),
        "pdf_dir": direction,
        "pdf_style": mark_safe(base_style(direction)),  # written here, from no input
    }


def _layout(html, fonts):
    HTML, LocalFetcher, *_others = _weasyprint()
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=LocalFetcher())
    return document.render(font_config=fonts)


def render_document(template_name, context, *, request=None):
    """WeasyPrint's laid-out Document of `template_name` (its pages, for tests and counts)."""
    html = render_to_string(template_name, pdf_context(context), request=request)
    return _layout(html, None)


def render_pdf(template_name, context, *, request=None):
    """The PDF (bytes) of `template_name` rendered with `context`, in the active language."""
    return render_document(template_name, context, request=request).write_pdf()


def render_copies(template_name, context, heads, *, request=None):
    """WeasyPrint's Document of `template_name` laid out once and printed once for each text of
    `heads`: each copy says its text at the head of every one of its pages, and its pages are
    numbered apart ("Page 2 / 20"). The template's own margin boxes are not printed.

    For the documents that repeat the same content but for one thing, like the attendance
    sheets of a three-day workshop (the same list each day, the day at the head of each page):
    WeasyPrint takes about a second and a half to lay out 300 rows, and this lays them out once
    rather than once a day. The heads and page numbers are the margin boxes of a document of
    empty pages, one per copy, put on the laid-out pages (WeasyPrint's page boxes: the version
    is pinned, and the tests check the result page by page)."""
    _HTML, _Fetcher, Page, MarginBox, FontConfiguration = _weasyprint()
    fonts = FontConfiguration()  # one set of fonts for the body and the heads
    body = _layout(render_to_string(template_name, pdf_context(context), request=request), fonts)
    if not body.pages:
        return body
    box = body.pages[0]._page_box
    direction = "rtl" if translation.get_language_bidi() else "ltr"
    # The heads' pages: the body's size and margins, so that margin boxes fall in place.
    size = (
        f"size:{box.margin_width():.3f}px {box.margin_height():.3f}px;"
        f"margin:{box.margin_top:.3f}px {box.margin_right:.3f}px "
        f"{box.margin_bottom:.3f}px {box.margin_left:.3f}px"
    )
    side = "top-left" if direction == "rtl" else "top-right"
    pages = []
    for head in heads:
        style = (
            f"{base_style(direction)}@page{{{size};@{side}{{content:{_css_string(head)};"
            "font-size:10pt;font-weight:bold;vertical-align:bottom}}p{margin:0}"
            "p+p{break-before:page}"
        )
        html = (
            f'<!doctype html><html lang="{translation.get_language()}" dir="{direction}">'
            f'<head><meta charset="utf-8"><style>{style}</style></head>'
            f"<body>{'<p></p>' * len(body.pages)}</body></html>"
        )
        margins = _layout(html, fonts)
        if len(margins.pages) != len(body.pages):
            raise RuntimeError("The heads of a PDF's copies do not have as many pages as it.")
        for laid_out, stamp in zip(body.pages, margins.pages, strict=True):
            content = [c for c in laid_out._page_box.children if not isinstance(c, MarginBox)]
            on_top = [c for c in stamp._page_box.children if isinstance(c, MarginBox)]
            pages.append(Page(laid_out._page_box.copy_with_children(content + on_top)))
    return body.copy(pages)


def text_direction(text):
    """ "rtl" or "ltr" after the first letter of `text` that has one (Arabic or Latin, say);
    "" if none has: to lay out a Latin name in an Arabic table, or an Arabic one in French."""
    for character in text or "":
        kind = unicodedata.bidirectional(character)
        if kind in ("R", "AL"):
            return "rtl"
        if kind == "L":
            return "ltr"
    return ""


def ascii_filename(filename, extension=".pdf"):
    """`filename` in ASCII letters, digits, dots, dashes and underscores (accents dropped, the
    rest replaced by dashes), ending with `extension`; "document.pdf" if nothing is left."""
    stem = filename.removesuffix(extension)
    stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", stem).strip("-.")
    return (stem or "document") + extension


def pdf_response(data, filename):
    """An HttpResponse sending the PDF `data` as a download named `filename`: an ASCII name for
    old browsers, the exact name (UTF-8) for the others."""
    response = HttpResponse(data, content_type="application/pdf")
    fallback = ascii_filename(filename)
    disposition = f'attachment; filename="{fallback}"'
    if fallback != filename:
        disposition += f"; filename*=UTF-8''{quote(filename, safe='')}"
    response["Content-Disposition"] = disposition
    response["Content-Length"] = str(len(data))
    return response
