"""The shared PDF helper: A4 pages in the language's direction, page numbers, nothing fetched
from the network nor from the server's files but static and media files, a download name safe
everywhere."""

import re
import time
import zlib

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test.utils import override_settings
from django.utils import translation

from relais.core import pdf

# Addresses that would hang if fetched (a non-routable address) or leak the server's files.
PAGE = """<!doctype html><html lang="{{ pdf_lang }}" dir="{{ pdf_dir }}">
<head><meta charset="utf-8">
<style>{{ pdf_style }} .next{break-before:page}</style>
<link rel="stylesheet" href="http://10.255.255.1/style.css">
<link rel="stylesheet" href="https://10.255.255.1/style.css">
</head><body>
<p>{{ text }}</p>
<img src="https://10.255.255.1/logo.png" alt="">
<img src="file:///etc/passwd" alt="">
<img src="/static/../../../etc/passwd" alt="">
{% if logo %}<img id="logo" src="{{ logo }}" alt="">{% endif %}
<p class="next">{{ second }}</p>
</body></html>"""

# A 1×1 PNG.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c6360f8cf00000301010018dd8db00000000049454e44ae426082"
)


@pytest.fixture(autouse=True)
def page_template():
    options = dict(settings.TEMPLATES[0]["OPTIONS"])
    options["loaders"] = [("django.template.loaders.locmem.Loader", {"page.html": PAGE})]
    templates = [{**settings.TEMPLATES[0], "APP_DIRS": False, "OPTIONS": options}]
    with override_settings(TEMPLATES=templates):
        yield


def pdf_pages(data):
    """The number of pages of the PDF `data` (its objects may sit in compressed streams)."""
    chunks = [data]
    for stream in re.findall(rb"stream\r?\n(.*?)endstream", data, re.S):
        try:
            chunks.append(zlib.decompress(stream))
        except zlib.error:
            pass
    return sum(len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", chunk)) for chunk in chunks)


def texts(document):
    """The text of each page of a WeasyPrint Document."""
    return [
        " ".join(box.text for box in page._page_box.descendants() if hasattr(box, "text"))
        for page in document.pages
    ]


def test_a_pdf_of_two_a4_pages_numbered(db):
    with translation.override("en"):
        data = pdf.render_pdf("page.html", {"text": "Liste de présence", "second": "Suite"})
        document = pdf.render_document("page.html", {"text": "Liste", "second": "Suite"})
    assert data.startswith(b"%PDF-")
    assert pdf_pages(data) == 2
    assert len(document.pages) == 2
    page = document.pages[0]
    assert (round(page.width * 25.4 / 96), round(page.height * 25.4 / 96)) == (210, 297)
    first, second = texts(document)
    assert "Liste" in first and "Page 1 / 2" in first
    assert "Suite" in second and "Page 2 / 2" in second


def test_arabic_is_laid_out_right_to_left(db):
    with translation.override("ar"):
        document = pdf.render_document(
            "page.html", {"text": "قائمة الحضور", "second": "الصفحة الثانية"}
        )
        data = pdf.render_pdf("page.html", {"text": "قائمة الحضور", "second": "٢"})
    root = document.pages[0]._page_box.children[0]
    assert root.element_tag == "html"
    assert root.style["direction"] == "rtl"
    assert "قائمة الحضور" in texts(document)[0]
    assert data.startswith(b"%PDF-")
    with translation.override("fr"):
        document = pdf.render_document("page.html", {"text": "Liste", "second": "Suite"})
    assert document.pages[0]._page_box.children[0].style["direction"] == "ltr"


def test_nothing_is_fetched_from_the_network_or_the_servers_files(db, monkeypatch):
    asked = []
    read = pdf.read_local
    monkeypatch.setattr(pdf, "read_local", lambda path: asked.append(path) or read(path))
    start = time.monotonic()
    with translation.override("fr"):
        data = pdf.render_pdf("page.html", {"text": "Bonjour", "second": "Suite"})
    assert time.monotonic() - start < 5  # no wait on an address that never answers
    assert data.startswith(b"%PDF-")
    # Only the local path reached the reader ("/static/../../../etc/passwd" is joined to
    # "/etc/passwd" before), and it refused it; as it does any path out of static and media.
    assert asked == ["/etc/passwd"]
    for path in ("/etc/passwd", "/static/../../../etc/passwd", "/static/", "/media/../x"):
        with pytest.raises(ValueError):
            read(path)
    fetcher = pdf.local_fetcher()
    for url in (
        "http://10.255.255.1/style.css",
        "https://example.org/static/css/relais.css",
        "ftp://example.org/x",
        "file:///etc/passwd",
        "file://otherhost/static/css/relais.css",
    ):
        with pytest.raises(ValueError):
            fetcher.fetch(url)


def test_static_and_media_files_are_read_from_disk(db, tmp_path):
    fetcher = pdf.local_fetcher()
    response = fetcher.fetch("file:///static/css/relais.css")
    assert b"logical properties" in response.read()
    assert response.content_type == "text/css"
    with override_settings(MEDIA_ROOT=tmp_path):
        name = default_storage.save("logos/body.png", ContentFile(PNG))
        url = default_storage.url(name)
        response = fetcher.fetch(pdf.BASE_URL + url.lstrip("/"))
        assert response.read() == PNG
        with translation.override("fr"):
            document = pdf.render_document(
                "page.html", {"text": "Logo", "second": "Suite", "logo": url}
            )
    images = [
        box
        for box in document.pages[0]._page_box.descendants()
        if box.element_tag == "img" and box.element.get("id") == "logo"
    ]
    assert images and type(images[0]).__name__ == "InlineReplacedBox"


def test_data_urls_are_allowed(db):
    response = pdf.local_fetcher().fetch("data:text/plain;base64,UmVsYWlz")
    assert response.read() == b"Relais"


@pytest.mark.parametrize(
    ("name", "disposition"),
    [
        ("sheet.pdf", 'attachment; filename="sheet.pdf"'),
        (
            "liste-de-présence-atelier.pdf",
            "attachment; filename=\"liste-de-presence-atelier.pdf\"; filename*=UTF-8''"
            "liste-de-pr%C3%A9sence-atelier.pdf",
        ),
        (
            'a"b\r\nc.pdf',
            "attachment; filename=\"a-b-c.pdf\"; filename*=UTF-8''a%22b%0D%0Ac.pdf",
        ),
        (
            "قائمة.pdf",
            'attachment; filename="document.pdf"; '
            "filename*=UTF-8''%D9%82%D8%A7%D8%A6%D9%85%D8%A9.pdf",
        ),
    ],
)
def test_the_download_name_is_safe(name, disposition):
    response = pdf.pdf_response(b"%PDF-1.7 ...", name)
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == disposition
    assert response.content == b"%PDF-1.7 ..."


@pytest.mark.parametrize(
    ("text", "direction"),
    [("Awa Traoré", "ltr"), ("محمد ولد أحمد", "rtl"), ("+223 76 12 34 56", ""), ("", "")],
)
def test_the_direction_of_a_text(text, direction):
    assert pdf.text_direction(text) == direction


def test_copies_laid_out_once_each_with_its_head(db):
    with translation.override("en"):
        document = pdf.render_copies(
            "page.html", {"text": "Liste", "second": "Suite"}, ["Monday", "Tuesday", "Wednesday"]
        )
        data = document.write_pdf()
    assert pdf_pages(data) == 6
    pages = texts(document)
    assert len(pages) == 6
    for n, head in enumerate(("Monday", "Monday", "Tuesday", "Tuesday", "Wednesday", "Wednesday")):
        assert head in pages[n]
        assert f"Page {n % 2 + 1} / 2" in pages[n]  # numbered apart
        assert ("Liste" if n % 2 == 0 else "Suite") in pages[n]
    # Nothing of the template's own margin boxes is left: one page number a page.
    assert all(page.count("Page ") == 1 for page in pages)
    with translation.override("ar"):
        document = pdf.render_copies("page.html", {"text": "قائمة", "second": "٢"}, ["الاثنين"])
    assert "الاثنين" in texts(document)[0]
