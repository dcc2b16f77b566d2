"""Mali's coordinator opens the reports of the 2018-2019 plan (the demo's report on 2018 is
there, submitted), starts a progress report for the first quarter of 2019 from the presets,
writes its summary and what one objective achieved, downloads it in Word and in PDF, submits it
to the Ministry of Justice and ICMPD and sees it submitted with its checksum; then the page in
Arabic, right to left.

The demo (seed_demo) gives the plan, its data and its reports; everything after that happens in
the browser. The Word file is read back with python-docx; the PDF's first page is drawn with
poppler's pdftoppm to look at.
"""

import re
import subprocess
from pathlib import Path

from docx import Document
from playwright.sync_api import expect

from relais.plans.models import Plan
from relais.reports.figures import checksum
from relais.reports.models import Report

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "test-results"
COORDINATOR = "coordinator.ml@demo.relais.africa"
SUMMARY = (
    "Au premier trimestre 2019, l'étude sur l'agence a été validée en atelier et la formation "
    "des organisations de la société civile s'est poursuivie à Kayes."
)
RESULT = "L'avant-projet de loi a été présenté à la commission des lois de l'Assemblée nationale."


def shoot(page, name):
    RESULTS.mkdir(exist_ok=True)
    page.screenshot(path=RESULTS / name, full_page=True)


def docx_text(path):
    document = Document(path)
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        lines += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(lines)


def test_a_progress_report_from_its_period_to_its_submission(page, browser, signed_in, live_server):
    signed_in(page, COORDINATOR)
    plan = Plan.objects.get(country__code="ML", version=1, title__startswith="Plan d'action")
    first = plan.objectives.order_by("position").first()

    # The plan's page links to its reports; the demo's report on 2018 is there, submitted.
    page.goto(f"/plans/{plan.pk}/")
    page.locator(f"main a[href$='/plans/{plan.pk}/reports/']").first.click()
    expect(page).to_have_url(re.compile(rf"/plans/{plan.pk}/reports/$"))
    expect(page.locator("table#reports tbody tr")).to_have_count(2)

    # The first quarter of 2019, from the presets: the form comes filled in.
    page.locator("#new-report a[href*='period_start=2019-01-01&period_end=2019-03-31']").click()
    form = page.locator("main form").filter(has=page.locator("input[name=period_start]"))
    expect(form.locator("input[name=period_start]")).to_have_value("2019-01-01")
    expect(form.locator("input[name=period_end]")).to_have_value("2019-03-31")
    form.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/reports/\d+/edit/$"))
    report = Report.objects.get(plan=plan, period_end="2019-03-31")
    assert (report.kind, report.status, report.language) == ("progress", "draft", "fr")

    # Its narrative: the summary and what the first objective achieved.
    page.locator("textarea[name=summary]").fill(SUMMARY)
    page.locator(f"textarea[name='result-{first.key}']").fill(RESULT)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/reports/{report.pk}/$"))
    expect(page.locator("#narrative")).to_contain_text(SUMMARY)
    expect(page.locator("#narrative")).to_contain_text(RESULT)
    expect(page.locator("#figures")).to_be_visible()

    # The Word file, read back.
    with page.expect_download() as download:
        page.locator("#documents a[href$='/report.docx']").click()
    text = docx_text(download.value.path())
    assert SUMMARY in text
    assert RESULT in text

    # The PDF, its first page drawn to look at.
    with page.expect_download() as download:
        page.locator("#documents a[href$='/report.pdf']").click()
    pdf = Path(download.value.path())
    assert pdf.read_bytes().startswith(b"%PDF")
    RESULTS.mkdir(exist_ok=True)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", str(pdf),
         str(RESULTS / "report-page1")],
        check=True,
    )  # fmt: skip
    assert (RESULTS / "report-page1.png").stat().st_size > 1000

    # Submitted to the Ministry of Justice and ICMPD: its figures frozen, with their checksum.
    submit = page.locator("form").filter(has=page.locator("input[name=addressees]"))
    for acronym in ("MJDH", "ICMPD"):
        submit.locator("label").filter(has_text=f"({acronym})").locator("input").check()
    submit.locator("button[type=submit]").click()
    expect(page.locator("#checksum")).to_be_visible()
    report.refresh_from_db()
    assert report.status == "submitted"
    assert sorted(report.addressees.values_list("acronym", flat=True)) == ["ICMPD", "MJDH"]
    assert report.checksum == checksum(report.figures)
    expect(page.locator("#checksum")).to_have_text(report.checksum)
    expect(page.locator("#report-status")).to_have_attribute("class", re.compile("submitted"))
    expect(page.locator("#submit")).to_have_count(0)
    expect(page.locator("a[href$='/edit/']")).to_have_count(0)
    shoot(page, "report-fr.png")

    # The same page in Arabic, right to left.
    page.get_by_role("button", name="العربيّة").click()
    html = page.locator("html")
    expect(html).to_have_attribute("dir", "rtl")
    expect(page.locator("#checksum")).to_have_text(report.checksum)
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
    shoot(page, "report-ar.png")

    # On a phone-sized window nothing runs off the side: wide tables scroll in their box.
    phone = browser.new_context(
        base_url=live_server.url,
        storage_state=page.context.storage_state(),
        viewport={"width": 360, "height": 740},
        is_mobile=True,
    )
    mobile = phone.new_page()
    mobile.goto(f"/reports/{report.pk}/")
    expect(mobile.locator("#checksum")).to_be_visible()
    assert mobile.evaluate("document.documentElement.scrollWidth") <= 360
    phone.close()
