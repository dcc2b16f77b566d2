"""A report as a Word file and a PDF: headings Word's navigation pane shows, real tables whose
totals are the figures' to the franc, the narrative and the letterhead, a draft marked as such
and a submitted report's checksum, an empty period said, Arabic right to left, the charts as
images, the default templates rebuilt the same; and who may download them."""

import copy
import io
import re
import subprocess
import zipfile
from datetime import date
from decimal import Decimal

import cairosvg
import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from docx import Document

from relais.core.money import format_money
from relais.countries.models import Organisation
from relais.countries.tests.factories import OrganisationFactory
from relais.plans.tests.factories import plan_with_content
from relais.reports import documents
from relais.reports.management.commands.build_report_templates import TEMPLATES, build_template
from relais.reports.models import Report

pytestmark = pytest.mark.django_db
D = Decimal


def activity(code, title, status="done", percent=100):
    return {
        "code": code,
        "title": title,
        "objective": code.split(".")[0].replace("A", "OS"),
        "status": status,
        "status_label": {"done": "Réalisée", "ongoing": "En cours"}.get(status, "En retard"),
        "percent": percent,
        "planned": "2018-06-30",
        "on": "2018-05-15",
    }


def hand_figures():
    """Figures of the documented shape (relais/reports/figures.py), written by hand."""
    return {
        "version": 1,
        "plan": {
            "id": 1,
            "title": "Plan d'action de plaidoyer 2018-2019",
            "country": "Mali",
            "country_code": "ML",
            "body": "CNLTP",
            "currency": "XOF",
            "period_start": "2018-01-01",
            "period_end": "2019-12-31",
            "status": "adopted",
        },
        "period": {
            "start": "2018-04-01",
            "end": "2018-06-30",
            "label": "2e trimestre 2018",
            "kind": "progress",
        },
        "activities": {
            "counts": {
                "total": 3,
                "done": 1,
                "done_before": 0,
                "ongoing": 1,
                "late": 1,
                "not_started": 0,
                "postponed": 0,
                "cancelled": 0,
            },
            "done": [activity("A1.1", "Atelier de validation de la loi")],
            "ongoing": [activity("A1.2", "Plaidoyer auprès des députés", "ongoing", 40)],
            "late": [activity("A2.1", "Campagne radio", "late", 0)],
        },
        "budget": {
            "objectives": [
                {
                    "code": "OS1",
                    "statement": "Renforcer le cadre juridique",
                    "budget": "3750000.00",
                    "spent_period": "1200000.00",
                    "spent": "1850000.00",
                    "execution": "49.3",
                },
                {
                    "code": "OS2",
                    "statement": "Sensibiliser le public",
                    "budget": "425000.00",
                    "spent_period": "0.00",
                    "spent": "0.00",
                    "execution": "0.0",
                },
            ],
            "sources": [
                {
                    "name": "Budget de l'État",
                    "currency": "XOF",
                    "disbursed": "1000000.00",
                    "spent": "850000.00",
                    "execution": "85.0",
                },
                {
                    "name": "ICMPD",
                    "currency": "EUR",
                    "disbursed": "1524.49",
                    "spent": "1524.49",
                    "execution": "100.0",
                },
            ],
            "total": {
                "budget": "4175000.00",
                "spent_period": "1200000.00",
                "spent": "1850000.00",
                "execution": "44.3",
            },
        },
        "funding": {
            "contributions": [
                {
                    "partner": "ICMPD",
                    "kind_label": "Subvention",
                    "status_label": "Confirmée",
                    "currency": "EUR",
                    "amount": "3000.00",
                    "amount_plan": "1967871.00",
                    "confirmed_plan": "1311914.00",
                    "disbursed_plan": "1000000.00",
                    "disbursed_period_plan": "1000000.00",
                },
                {
                    "partner": "Budget de l'État",
                    "kind_label": "Budget national",
                    "status_label": "Annoncée",
                    "currency": "XOF",
                    "amount": "2500000.00",
                    "amount_plan": "2500000.00",
                    "confirmed_plan": "0.00",
                    "disbursed_plan": "1000000.00",
                    "disbursed_period_plan": "500000.00",
                },
            ],
            "disbursements": [
                {
                    "date": "2018-05-02",
                    "partner": "ICMPD",
                    "amount": "1524.49",
                    "currency": "EUR",
                    "amount_plan": "1000000.00",
                },
                {
                    "date": "2018-06-30",
                    "partner": "Budget de l'État",
                    "amount": "500000.00",
                    "currency": "XOF",
                    "amount_plan": "500000.00",
                },
            ],
            "total": {
                "budget": "4175000.00",
                "announced": "4467871.00",
                "confirmed": "1311914.00",
                "disbursed": "2000000.00",
                "disbursed_period": "1500000.00",
                "gap": "-292871.00",
            },
        },
        "indicators": [
            {
                "code": "I1.1",
                "name": "Lois adoptées",
                "unit": "lois",
                "baseline": "0",
                "target": "2",
                "value": "1",
                "value_period": "1",
                "progress": "50.0",
                "from_workshops": False,
            }
        ],
        "milestones": [
            {
                "objective": "OS1",
                "step": "tabled",
                "step_label": "Déposé à l'Assemblée",
                "date": "2018-06-12",
                "description": "Projet de loi déposé",
            }
        ],
        "training": {
            "workshops": [
                {
                    "title": "Formation des magistrats",
                    "kind_label": "Atelier",
                    "starts_on": "2018-05-14",
                    "ends_on": "2018-05-16",
                    "city": "Bamako",
                    "participants": 27,
                    "women": 12,
                    "men": 15,
                }
            ],
            "people": 28,
            "participations": 31,
            "women": 12,
            "men": 15,
            "not_stated": 1,
            "by_organisation_type": [
                {"label": "Ministère", "women": 7, "men": 10, "not_stated": 1, "total": 18},
                {"label": "Société civile", "women": 5, "men": 5, "not_stated": 0, "total": 10},
            ],
        },
        "problems": ["Contribution de l'UNICEF en USD : pas de taux au 2018-05-02."],
        "empty": False,
    }


def empty_figures():
    figures = hand_figures()
    figures["activities"] = {
        "counts": dict.fromkeys(figures["activities"]["counts"], 0),
        "done": [],
        "ongoing": [],
        "late": [],
    }
    figures["funding"]["disbursements"] = []
    figures["milestones"] = []
    figures["training"]["workshops"] = []
    figures["empty"] = True
    return figures


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def coordinator(make_user, mali):
    return make_user("coordinator", mali, language="en")


@pytest.fixture
def plan(mali):
    return plan_with_content(mali, title="Plan d'action de plaidoyer 2018-2019")


def make_report(plan, by, **fields):
    first = plan.objectives.get(position=1)
    values = {
        "plan": plan,
        "kind": Report.Kind.PROGRESS,
        "title": "Rapport d'étape du deuxième trimestre 2018",
        "period_start": date(2018, 4, 1),
        "period_end": date(2018, 6, 30),
        "language": "fr",
        "summary": "Le trimestre a vu la loi déposée.\n\nLes magistrats ont été formés.",
        "results": {str(first.key): "Le projet de loi est à l'Assemblée."},
        "difficulties": "Retards de décaissement.",
        "recommendations": "Tenir la table ronde en septembre.",
        "created_by": by,
    }
    values.update(fields)
    return Report.objects.create(**values)


def submit(report, by, figures):
    report.status = Report.Status.SUBMITTED
    report.figures = figures
    report.checksum = "ab" * 32
    report.submitted_by = by
    report.submitted_at = timezone.make_aware(timezone.datetime(2018, 7, 5, 10, 0))
    report.save()
    return report


@pytest.fixture
def report(plan, coordinator):
    return make_report(plan, coordinator)


def word_text(data):
    """Every paragraph's text of a Word file, tables' cells included, and its tables' rows."""
    document = Document(io.BytesIO(data))
    lines = [p.text for p in document.paragraphs]
    tables = [[[cell.text for cell in row.cells] for row in t.rows] for t in document.tables]
    for table in tables:
        lines.extend(" | ".join(row) for row in table)
    return document, "\n".join(lines), tables


def francs(text):
    """The Decimal of "1 850 000 FCFA" (French separators, no decimals)."""
    assert text.endswith("FCFA"), text
    return D(re.sub(r"[^\d-]", "", text))


def test_the_word_file_has_headings_in_the_navigation_pane_and_tables_with_the_figures(report):
    figures = hand_figures()
    document, text, tables = word_text(documents.report_docx(report, figures))
    headings = [
        (p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("Heading")
    ]
    assert ("Heading 1", "Synthèse") in headings
    assert ("Heading 1", "Budget et exécution") in headings or any(
        name == "Heading 1" and "Budget" in title for name, title in headings
    )
    assert any(name == "Heading 2" and title.startswith("OS1") for name, title in headings)
    assert all(t.style.name == "Table Grid" for t in document.tables)
    # The budget's total row: budget, spent in the period, spent, execution, to the franc.
    budget = figures["budget"]["total"]
    by_objective = next(t for t in tables if t[1][0] == "OS1")
    total = by_objective[-1]
    assert total[0] == "Total"
    assert francs(total[2]) == D(budget["budget"]) == D("4175000")
    assert francs(total[3]) == D(budget["spent_period"])
    assert francs(total[4]) == D(budget["spent"])
    assert total[2] == format_money(D(budget["budget"]), "XOF", "fr")
    # Each objective's line too.
    assert [francs(row[2]) for row in by_objective[1:-1]] == [
        D(o["budget"]) for o in figures["budget"]["objectives"]
    ]
    # Funding: announced, confirmed, disbursed and the gap (here over-funded) to the franc.
    funding = figures["funding"]["total"]
    plan_rows = next(t for t in tables if len(t) == 7 and len(t[0]) == 2)
    values = {row[0]: row[1] for row in plan_rows[1:]}
    assert francs(values["Budget du plan"]) == D(funding["budget"])
    assert francs(values["Annoncé"]) == D(funding["announced"])
    assert francs(values["Confirmé"]) == D(funding["confirmed"])
    assert francs(values["Décaissé"]) == D(funding["disbursed"])
    assert francs(plan_rows[-2][1]) == D(funding["disbursed_period"])
    assert francs(plan_rows[-1][1]) == abs(D(funding["gap"]))  # over-funded, said so
    contributions = next(t for t in tables if t[1][0] == "ICMPD")
    assert [francs(c) for c in contributions[-1][4:]] == [
        D(funding["announced"]),
        D(funding["confirmed"]),
        D(funding["disbursed"]),
    ]
    assert contributions[1][3] == "3\u202f000,00\xa0EUR"  # a contribution in its own currency
    # People trained, by type of organisation, with their total.
    trained = next(t for t in tables if t[1][0] == "Ministère")
    assert trained[-1][1:] == ["12", "15", "1", "28"]
    assert re.search(r"Participations\s*:\s*31", text)
    # Every activity, indicator, milestone and workshop line.
    for value in (
        "Atelier de validation de la loi",
        "Plaidoyer auprès des députés",
        "Campagne radio",
        "Lois adoptées",
        "Déposé à l'Assemblée",
        "Formation des magistrats",
        "15 mai 2018",
        "Contribution de l'UNICEF en USD : pas de taux au 2018-05-02.",
    ):
        assert value in text


def test_the_word_file_carries_the_narrative_the_letterhead_and_a_draft_mark(report, mali):
    document, text, _tables = word_text(documents.report_docx(report, hand_figures()))
    for line in (
        "RÉPUBLIQUE DU MALI",
        "Un Peuple – Un But – Une Foi",
        "Comité national de lutte contre la traite des personnes",
        "Rapport d'étape du deuxième trimestre 2018",
        "Le trimestre a vu la loi déposée.",
        "Les magistrats ont été formés.",
        "Le projet de loi est à l'Assemblée.",
        "Retards de décaissement.",
        "Tenir la table ronde en septembre.",
    ):
        assert line in text
    # Paragraphs typed apart stay apart.
    assert "Les magistrats ont été formés." in [p.text for p in document.paragraphs]
    header = document.sections[0].header._element.xml
    assert 'string="' in header and "DRAFT" not in text  # the watermark, in the header
    with zipfile.ZipFile(io.BytesIO(documents.report_docx(report, hand_figures()))) as z:
        footer = "".join(z.read(n).decode() for n in z.namelist() if "footer" in n)
    assert "PAGE" in footer and "NUMPAGES" in footer


def test_a_submitted_report_prints_its_checksum_and_the_day_its_figures_were_frozen(
    report, coordinator
):
    submit(report, coordinator, hand_figures())
    data = documents.report_docx(report, documents.figures_of(report))
    document, text, _tables = word_text(data)
    assert "ab" * 32 in text
    assert "5 juillet 2018" in text
    assert "watermark" not in document.sections[0].header._element.xml.lower()


def test_an_empty_period_says_so_instead_of_empty_tables(report):
    _document, text, tables = word_text(documents.report_docx(report, empty_figures()))
    assert (
        "Nothing was recorded in this period" in text
        or "rien" in text.lower()
        or (text.count(documents_notice(report)) >= 5)
    )
    assert not any(t[1][0] == "OS1" for t in tables)


def documents_notice(report):
    from django.utils import translation

    with translation.override(report.language):
        return documents.build_context(report, empty_figures(), body=None, objectives=[])[
            "empty_notice"
        ]


def test_an_arabic_report_is_right_to_left(plan, coordinator):
    report = make_report(plan, coordinator, language="ar", title="تقرير مرحلي")
    data = documents.report_docx(report, hand_figures())
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        body = z.read("word/document.xml").decode()
        styles = z.read("word/styles.xml").decode()
    assert "<w:bidi/>" in body and "<w:rtl/>" in body and "<w:bidiVisual/>" in body
    assert "<w:bidi/>" in styles and "<w:bidiVisual/>" in styles
    document, text, _tables = word_text(data)
    assert "تقرير مرحلي" in text
    assert "4,175,000\xa0FCFA" in text  # Latin digits, the Arabic separators


def test_the_charts_are_png_images_and_a_broken_logo_is_skipped(report, mali):
    pngs = documents.chart_pngs(hand_figures())
    assert pngs and all(png.startswith(b"\x89PNG") for png in pngs.values())
    body = mali.national_body
    body.logo.save("logo.png", ContentFile(b"not an image at all"), save=True)
    data = documents.report_docx(report, hand_figures())
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        media = [n for n in z.namelist() if n.startswith("word/media/")]
    assert len(media) == len(pngs)  # the charts, not the broken logo
    logo = cairosvg.svg2png(
        bytestring=b'<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40">'
        b'<circle cx="20" cy="20" r="15" fill="#0b5a6b"/></svg>'
    )
    body.logo.save("logo.png", ContentFile(logo), save=True)
    data = documents.report_docx(report, hand_figures())
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        media = [n for n in z.namelist() if n.startswith("word/media/")]
    assert len(media) == len(pngs) + 1


def test_the_default_templates_are_what_the_command_builds(tmp_path):
    for name, rtl in TEMPLATES.items():
        assert (documents.TEMPLATES_DIR / name).read_bytes() == build_template(rtl), name


def test_the_pdf_says_the_title_and_the_totals_as_written_in_french(report, tmp_path):
    figures = hand_figures()
    data = documents.report_pdf(report, figures)
    assert data.startswith(b"%PDF")
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Rapport d'étape du deuxième trimestre 2018" in text
    budget = format_money(D(figures["budget"]["total"]["budget"]), "XOF", "fr")
    assert budget == "4\u202f175\u202f000\xa0FCFA"
    assert budget.replace("\xa0", " ").replace("\u202f", " ") in text.replace("\xa0", " ").replace(
        "\u202f", " "
    )
    assert "RÉPUBLIQUE DU MALI" in text
    assert re.search(r"Page 1\s*/\s*\d", text) or "1 / " in text
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(path), str(tmp_path / "page")],
        check=True,
    )
    page = next(tmp_path.glob("page*.png"))
    assert page.read_bytes().startswith(b"\x89PNG") and page.stat().st_size > 1000


def test_an_arabic_pdf_is_laid_out(plan, coordinator, tmp_path):
    report = make_report(plan, coordinator, language="ar", title="تقرير مرحلي")
    data = documents.report_pdf(report, empty_figures())
    assert data.startswith(b"%PDF")


def test_a_draft_is_written_from_the_live_figures_a_submitted_one_from_its_frozen_ones(
    report, coordinator, monkeypatch
):
    from relais.monitoring.models import Expenditure
    from relais.reports import figures as figures_module

    Expenditure.objects.create(
        activity=report.plan.objectives.get(position=1).activities.get(position=1),
        amount=D(100_000),
        currency="XOF",
        spent_on=date(2018, 5, 10),
        description="Location de salle",
        status=Expenditure.Status.VALIDATED,
        entered_by=coordinator,
    )
    live = figures_module.report_figures(
        plan=report.plan,
        start=report.period_start,
        end=report.period_end,
        kind=report.kind,
        language=report.language,
    )
    assert documents.figures_of(report) == live
    _document, _text, tables = word_text(documents.report_docx(report, live))
    by_objective = next(t for t in tables if t[1][0] == "OS1")
    assert francs(by_objective[-1][2]) == D(live["budget"]["total"]["budget"])
    assert francs(by_objective[-1][3]) == D(live["budget"]["total"]["spent_period"]) == 100_000
    frozen = copy.deepcopy(hand_figures())
    submit(report, coordinator, frozen)
    monkeypatch.setattr(figures_module, "report_figures", lambda **kw: pytest.fail("live"))
    assert documents.figures_of(report) == frozen


# The downloads


@pytest.fixture
def submitted(report, coordinator):
    return submit(report, coordinator, hand_figures())


@pytest.mark.parametrize(
    ("name", "content_type", "magic"),
    [
        ("reports:docx", "wordprocessingml", b"PK"),
        ("reports:pdf", "application/pdf", b"%PDF"),
    ],
)
def test_whoever_reads_the_report_downloads_it(
    client, make_user, mali, submitted, name, content_type, magic
):
    client.force_login(make_user("observer", mali))
    response = client.get(reverse(name, args=[submitted.pk]))
    assert response.status_code == 200
    assert content_type in response["Content-Type"]
    assert response.content.startswith(magic)
    disposition = response["Content-Disposition"]
    extension = ".docx" if name == "reports:docx" else ".pdf"
    filename = documents.report_filename(submitted, extension)
    assert disposition == f'attachment; filename="{filename}"'
    assert re.fullmatch(
        r"([a-z]+-)?rapport-detape-du-deuxieme-trimestre-2018\.(docx|pdf)", filename
    )


@pytest.mark.parametrize("name", ["reports:docx", "reports:pdf", "reports:xlsx"])
def test_another_country_or_an_unaddressed_partner_is_told_it_does_not_exist(
    client, make_user, senegal, submitted, name
):
    client.force_login(make_user("coordinator", senegal))
    assert client.get(reverse(name, args=[submitted.pk])).status_code == 404
    partner = OrganisationFactory(kind=Organisation.Kind.PARTNER, country=None)
    client.force_login(make_user("partner", partner))
    assert client.get(reverse(name, args=[submitted.pk])).status_code == 404


def test_a_partner_the_report_is_addressed_to_downloads_it(client, make_user, submitted):
    partner = OrganisationFactory(kind=Organisation.Kind.PARTNER, country=None)
    submitted.addressees.add(partner)
    client.force_login(make_user("partner", partner))
    assert client.get(reverse("reports:pdf", args=[submitted.pk])).status_code == 200


def test_the_excel_tables_download_for_whoever_reads_the_report(client, make_user, mali, submitted):
    client.force_login(make_user("observer", mali))
    response = client.get(reverse("reports:xlsx", args=[submitted.pk]))
    assert response.status_code == 200
    assert "spreadsheetml" in response["Content-Type"]
    assert response.content.startswith(b"PK")
    assert response["Content-Disposition"].endswith('.xlsx"')
