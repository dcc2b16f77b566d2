"""Mali's coordinator records a three-day workshop in Kayes, imports its 40 participants from
the sheet passed round the room (two of them already trained in Bamako, recognised), marks who
was present each day, enters the pre-test and post-test scores, and downloads the attendance
sheet and the workshop report; a participant fills in the evaluation on a phone-sized window
from their own link, once; the same pages in Arabic, right to left.

The demo (seed_demo) gives the country, the coordinator and the Bamako workshop; everything
after that happens in the browser. Figures the pages show are compared with what
relais.workshops computes from the database.
"""

import io
import re
from datetime import date
from pathlib import Path

import xlsxwriter
from docx import Document
from playwright.sync_api import expect

from relais.events.models import Event
from relais.workshops.demo import PEOPLE, _phone
from relais.workshops.learning import event_summary
from relais.workshops.models import Attendance, Evaluation, Participant, Participation

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "test-results"
COORDINATOR = "coordinator.ml@demo.relais.africa"
TITLE = "Formation des officiers de police judiciaire de Kayes à l'identification des victimes"
DAYS = ["2019-03-12", "2019-03-13", "2019-03-14"]
FIRST_NAMES = ["Awa", "Moussa", "Fanta", "Sékou", "Mariam", "Ousmane", "Kadiatou", "Bréhima"]
LAST_NAMES = ["Traoré", "Keïta", "Diallo", "Coulibaly", "Sissoko"]
STRUCTURES = [
    ("Police nationale", "État", "Commissaire"),
    ("Gendarmerie nationale", "État", "Officier de police judiciaire"),
    ("Tribunal de Kayes", "État", "Substitut du procureur"),
    ("AME", "OSC", "Animatrice"),
]


def shoot(page, name):
    RESULTS.mkdir(exist_ok=True)
    page.screenshot(path=RESULTS / name, full_page=True)


def participants_workbook():
    """The sheet as committees keep it: a title above, separate surname and first-name columns,
    H/F for the sex; 38 new people and two of Bamako's, written their own way."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    sheet = book.add_worksheet("Liste")
    sheet.write_row(0, 0, ["LISTE DES PARTICIPANTS — ATELIER DE KAYES"])
    sheet.write_row(
        2, 0, ["N°", "Nom", "Prénom(s)", "Sexe (H/F)", "Structure", "Type", "Fonction", "Tél."]
    )
    rows = []
    for index in range(38):
        first = FIRST_NAMES[index % len(FIRST_NAMES)]
        last = LAST_NAMES[index // len(FIRST_NAMES)]
        structure, kind, function = STRUCTURES[index % len(STRUCTURES)]
        sex = "F" if first in {"Awa", "Fanta", "Mariam", "Kadiatou"} else "H"
        rows.append([last.upper(), first, sex, structure, kind, function, f"7{index:07d}"])
    # Aïssata Diallo and Mamadou Konaté, trained in Bamako: the same phones, names turned round.
    for index in (0, 3):
        name, sex, organisation, _kind, function = PEOPLE[index]
        first, last = name.rsplit(" ", 1)
        rows.append(
            [last.upper(), first, "F" if sex == "F" else "H", organisation, "", function,
             _phone(index).replace("+223 ", "")]
        )  # fmt: skip
    for number, row in enumerate(rows, start=1):
        sheet.write_row(2 + number, 0, [number, *row])
    book.close()
    return out.getvalue()


def tab(page, href_end):
    page.locator(f"nav.tabs a[href$='{href_end}']").click()


def test_a_workshop_from_its_participants_to_its_report(page, browser, signed_in, live_server):
    signed_in(page, COORDINATOR)

    # The workshop, recorded from the country's list of workshops.
    page.goto("/countries/ML/workshops/")
    page.locator("a[href$='/workshops/new/']").click()
    form = page.locator("main form").filter(has=page.locator("input[name=title]"))
    form.locator("select[name=kind]").select_option("training")
    form.locator("input[name=title]").fill(TITLE)
    form.locator("input[name=starts_on]").fill(DAYS[0])
    form.locator("input[name=ends_on]").fill(DAYS[-1])
    form.locator("input[name=city]").fill("Kayes")
    form.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/workshops/\d+/$"))
    event = Event.objects.get(title=TITLE)

    # 40 participants imported from the sheet: read, reviewed, saved at once.
    tab(page, "/participants/")
    page.locator("a[href$='/participants/import/']").first.click()
    page.locator("input[name=workbook]").set_input_files(
        files=[
            {
                "name": "participants-kayes.xlsx",
                "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "buffer": participants_workbook(),
            }
        ]
    )
    page.locator("main form button[type=submit]").first.click()
    confirm = page.locator("button[name=confirm]")
    expect(confirm).to_be_visible()
    shoot(page, "workshop-import-review-fr.png")
    confirm.click()
    expect(page).to_have_url(re.compile(r"/participants/(#.*)?$"))
    assert Participation.objects.filter(event=event).count() == 40
    # The two people of Bamako are the same records, now trained twice.
    returning = Participant.objects.filter(participations__event=event).filter(
        participations__event__title__startswith="Atelier de formation des acteurs"
    )
    assert sorted(p.full_name for p in returning) == ["Aïssata Diallo", "Mamadou Konaté"]
    expect(page.locator("main table tbody tr")).to_have_count(40)
    shoot(page, "workshop-participants-fr.png")

    # Attendance: everyone the first day, all but five the next two.
    tab(page, "/attendance/")
    boxes = page.locator("form#attendance input[name=present]")
    expect(boxes).to_have_count(40 * 3)
    for box in boxes.all():
        box.check()
    absent = page.locator(f"form#attendance input[name=present][value$=':{DAYS[2]}']")
    for box in absent.all()[:5]:
        box.uncheck()
    page.locator("form#attendance button[type=submit]").first.click()
    expect(page.locator("form#attendance input[name=present]:checked")).to_have_count(115)
    assert Attendance.objects.filter(participation__event=event).count() == 115
    assert (
        Attendance.objects.filter(participation__event=event, day=date(2019, 3, 14)).count() == 35
    )
    shoot(page, "workshop-attendance-fr.png")

    # The attendance sheet to print: a PDF.
    with page.expect_download() as download:
        page.locator("a[href$='/attendance.pdf']").click()
    pdf = Path(download.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF")

    # Scores out of 20: before, then after, the second four points higher on average.
    tab(page, "/scores/")
    rows = Participation.objects.filter(event=event).order_by("pk")
    for index, participation in enumerate(rows):
        pre = 8 + index % 5
        page.locator(f"input[name=pre-{participation.pk}]").fill(str(pre))
        page.locator(f"input[name=post-{participation.pk}]").fill(f"{pre + 3 + index % 3}.5")
    page.locator("form#scores-form button[type=submit]").first.click()
    expect(page.locator(f"input[name=post-{rows[0].pk}]")).to_have_value(re.compile(r"^11[.,]5"))
    summary = event_summary(event)
    assert summary.paired == 40
    assert str(summary.gain_mean) == "4.48"  # 3.5, 4.5, 5.5 in turn: (14 × 3.5 + 13 × 4.5 …)/40
    expect(page.locator("main")).to_contain_text("4,48")
    shoot(page, "workshop-scores-fr.png")

    # The evaluation: a participant's own link, opened on a phone, answered once.
    tab(page, "/evaluation/")
    link = page.locator("main a[href*='/e/']").first.get_attribute("href")
    phone = browser.new_context(
        base_url=live_server.url,
        viewport={"width": 360, "height": 740},
        is_mobile=True,
        has_touch=True,
        locale="fr-FR",
    )
    mobile = phone.new_page()
    mobile.goto(link)
    form = mobile.locator("form#evaluate")
    for radio in form.locator("input[type=radio][value='4']").all():
        radio.check()
    form.locator("textarea[name=comments]").fill("Les cas pratiques d'identification.")
    assert mobile.evaluate("document.documentElement.scrollWidth") <= 360
    shoot(mobile, "workshop-evaluation-phone-fr.png")
    form.locator("button[type=submit]").click()
    expect(mobile.locator("form#evaluate")).to_have_count(0)
    shoot(mobile, "workshop-evaluation-done-fr.png")
    assert Evaluation.objects.filter(participation__event=event).count() == 1
    mobile.goto(link)  # once only
    expect(mobile.locator("form#evaluate")).to_have_count(0)
    phone.close()
    assert Evaluation.objects.filter(participation__event=event).count() == 1

    # The report: recommendations written in the app, then the Word file.
    tab(page, "/report/")
    page.locator("textarea[name=recommendations]").fill(
        "Former les OPJ des cercles de Nioro et de Diéma."
    )
    page.locator("main form button[type=submit]").first.click()
    with page.expect_download() as download:
        page.locator("a[href*='/report.docx']").first.click()
    document = Document(download.value.path())
    text = "\n".join(p.text for p in document.paragraphs)
    assert TITLE in text
    assert "Former les OPJ des cercles de Nioro et de Diéma." in text
    annex = max(document.tables, key=lambda t: len(t.rows))
    assert len(annex.rows) == 1 + 40
    shoot(page, "workshop-report-fr.png")

    # The same pages in Arabic, right to left.
    page.get_by_role("button", name="العربيّة").click()
    html = page.locator("html")
    expect(html).to_have_attribute("dir", "rtl")
    shoot(page, "workshop-report-ar.png")
    for href_end, name in [
        ("/participants/", "workshop-participants-ar.png"),
        ("/attendance/", "workshop-attendance-ar.png"),
        ("/scores/", "workshop-scores-ar.png"),
        ("/evaluation/", "workshop-evaluation-ar.png"),
    ]:
        tab(page, href_end)
        expect(html).to_have_attribute("dir", "rtl")
        assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
        shoot(page, name)
