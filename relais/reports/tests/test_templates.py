"""A country's Word template for its reports: the page, downloading the template in use, a
committee's own template used for its reports, a broken one or a file that is not Word refused
with the reason (nothing saved), going back to the default; and who may."""

import io
import re
from datetime import date
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document

from relais.plans.tests.factories import plan_with_content
from relais.reports import documents
from relais.reports.models import Report, ReportTemplate

pytestmark = pytest.mark.django_db
SENTENCE = "Ce rapport a été relu par le bureau du comité."


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def coordinator(make_user, mali):
    return make_user("coordinator", mali, language="en")


@pytest.fixture
def report(mali, coordinator):
    plan = plan_with_content(mali, title="Plan d'action de plaidoyer 2018-2019")
    return Report.objects.create(
        plan=plan,
        kind=Report.Kind.PROGRESS,
        title="Rapport d'étape",
        period_start=date(2018, 4, 1),
        period_end=date(2018, 6, 30),
        created_by=coordinator,
        status=Report.Status.SUBMITTED,
        figures=documents.sample_figures(),
        checksum="0" * 64,
    )


def url(country):
    return reverse("reports:template", args=[country.code])


def edited_template(*paragraphs):
    """The default template with `paragraphs` added after its title, as a committee would in
    Word."""
    document = Document(str(documents.default_template_path("fr")))
    title = next(p for p in document.paragraphs if p.style.name == "Title")
    for text in reversed(paragraphs):
        title._p.addnext(document.add_paragraph(text)._p)
    out = io.BytesIO()
    document.save(out)
    return SimpleUploadedFile("modele.docx", out.getvalue())


def state():
    return {
        "templates": list(ReportTemplate.objects.values_list("pk", "country_id", "file")),
        "history": ReportTemplate.history.count(),
    }


def errors(response):
    html = response.content.decode()
    block = re.search(r'<div id="id_file_error"[^>]*>(.*?)</div>', html, re.S)
    assert block, "no error at the field file"
    return unescape(re.sub(r"<[^>]+>", " ", block.group(1)))


def test_the_page_offers_the_template_in_use_the_defaults_and_an_upload(client, coordinator, mali):
    client.force_login(coordinator)
    response = client.get(url(mali))
    assert response.status_code == 200
    html = response.content.decode()
    assert "?download=current" in html and 'name="file"' in html
    response = client.get(url(mali) + "?download=current")
    assert response["Content-Disposition"] == 'attachment; filename="report.docx"'
    assert b"".join(response) == documents.default_template_path("fr").read_bytes()
    response = client.get(url(mali) + "?download=rtl")
    assert b"".join(response) == documents.default_template_path("ar").read_bytes()


def test_a_countrys_own_template_is_used_for_its_reports(client, coordinator, mali, report):
    client.force_login(coordinator)
    response = client.post(url(mali), {"action": "upload", "file": edited_template(SENTENCE)})
    assert response.status_code == 302
    template = ReportTemplate.objects.get(country=mali)
    assert template.uploaded_by == coordinator
    data = documents.report_docx(report, documents.figures_of(report))
    text = [p.text for p in Document(io.BytesIO(data)).paragraphs]
    assert SENTENCE in text
    assert "Rapport d'étape" in text  # the tags still filled in
    downloaded = client.get(url(mali) + "?download=current")
    assert SENTENCE in [p.text for p in Document(io.BytesIO(b"".join(downloaded))).paragraphs]
    # Back to the default: the sentence goes.
    assert client.post(url(mali), {"action": "reset"}).status_code == 302
    assert not ReportTemplate.objects.exists()
    data = documents.report_docx(report, documents.figures_of(report))
    assert SENTENCE not in [p.text for p in Document(io.BytesIO(data)).paragraphs]


@pytest.mark.parametrize(
    ("paragraph", "reason"),
    [
        ("{% for line in letterhead %}{{ line }}", "endfor"),
        ("Montant : {{ budget.total.budget }", "}"),
        ("{{ title|no_such_filter }}", "no_such_filter"),
    ],
)
def test_a_template_with_broken_tags_is_refused_with_the_reason(
    client, coordinator, mali, paragraph, reason
):
    client.force_login(coordinator)
    before = state()
    response = client.post(url(mali), {"action": "upload", "file": edited_template(paragraph)})
    assert response.status_code == 200
    message = errors(response)
    assert "template cannot be used" in message and reason in message
    assert state() == before


def test_a_file_that_is_not_word_is_refused(client, coordinator, mali):
    client.force_login(coordinator)
    before = state()
    fake = SimpleUploadedFile("modele.docx", b"%PDF-1.4 not a Word file")
    response = client.post(url(mali), {"action": "upload", "file": fake})
    assert "expected: Word (.docx)" in errors(response)
    assert state() == before


def test_the_sandbox_keeps_a_template_from_reaching_the_server(client, coordinator, mali):
    client.force_login(coordinator)
    before = state()
    tag = "{{ t.__class__.__mro__[1].__subclasses__() }}"
    response = client.post(url(mali), {"action": "upload", "file": edited_template(tag)})
    assert "template cannot be used" in errors(response)
    assert state() == before


def test_an_observer_downloads_the_template_but_may_not_change_it(client, make_user, mali):
    client.force_login(make_user("observer", mali, language="en"))
    response = client.get(url(mali))
    assert response.status_code == 200
    assert 'name="file"' not in response.content.decode()
    assert client.get(url(mali) + "?download=current").status_code == 200
    before = state()
    response = client.post(url(mali), {"action": "upload", "file": edited_template(SENTENCE)})
    assert response.status_code == 403
    assert client.post(url(mali), {"action": "reset"}).status_code == 403
    assert state() == before


def test_another_country_is_told_the_page_does_not_exist(client, make_user, mali, senegal):
    client.force_login(make_user("coordinator", senegal, language="en"))
    before = state()
    assert client.get(url(mali)).status_code == 404
    assert client.get(url(mali) + "?download=current").status_code == 404
    response = client.post(url(mali), {"action": "upload", "file": edited_template(SENTENCE)})
    assert response.status_code == 404
    assert state() == before


def test_an_arabic_speaking_country_gets_the_right_to_left_default(client, make_user):
    from relais.countries.tests.factories import CountryFactory

    mauritania = CountryFactory(
        code="MR", name="Mauritanie", currency="MRU", languages=["ar", "fr"]
    )
    client.force_login(make_user("coordinator", mauritania, language="en"))
    response = client.get(url(mauritania) + "?download=current")
    assert b"".join(response) == documents.default_template_path("ar").read_bytes()
