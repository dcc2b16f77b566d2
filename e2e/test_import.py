"""A Mali coordinator imports the committee's own workbook: upload, correct a column Relais
could not recognise, read the preview, confirm, land on the new draft plan.

The workbook is written here, laid out like the committees' sheets: letterhead, a merged title,
the year over the quarters, objective rows, X marks, a total row, a sentence under it. Its
quantity column is titled "Nb de sessions", which no list of synonyms knows: until the person
maps it, every line counts one session and the totals are wrong.
"""

import re
from pathlib import Path

import xlsxwriter
from playwright.sync_api import expect

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "test-results"

COORDINATOR = "coordinator.ml@demo.relais.africa"
TITLE = "Plan d'action de plaidoyer pour une migration de travail sûre (2020)"
OBJECTIVE = "Faire adopter un décret encadrant les agences de recrutement"
TRAINING = "Formation des inspecteurs du travail sur les indicateurs de la traite"
CARAVAN = "Caravane de sensibilisation dans les gares routières de Kayes"
NARROW = "\u202f"


def shoot(page, name):
    RESULTS.mkdir(exist_ok=True)
    page.screenshot(path=RESULTS / name, full_page=True)


def amount(value):
    """A pattern for an amount, digits grouped by any separator ("9 750 000", "9 750 000")."""
    groups = f"{value:,}".split(",")
    return re.compile(r"(?<!\d)" + r"\D?".join(groups) + r"(?!\d)")


def leading(value):
    """A text that starts with the amount (then its currency, perhaps a remark)."""
    return re.compile(r"^\s*" + amount(value).pattern)


def committee_workbook(path):
    """The sheet as a committee keeps it. Training: 2 500 000 × 3 in T1 and T2; caravan:
    450 000 × 5 in T3 and T4; 9 750 000 FCFA in all."""
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet("Plan 2020")
    bold = book.add_format({"bold": True})
    head = book.add_format({"bold": True, "border": 1, "align": "center", "text_wrap": True})
    money = book.add_format({"num_format": "#,##0", "border": 1})
    cell = book.add_format({"border": 1, "text_wrap": True})
    section = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})

    sheet.write("A1", "RÉPUBLIQUE DU MALI", bold)
    sheet.write("A2", "Un Peuple – Un But – Une Foi")
    sheet.write("A3", "Comité national de lutte contre la traite des personnes")
    sheet.merge_range("A5:K5", TITLE, bold)
    sheet.merge_range("D7:G7", 2020, head)
    headers = [
        "N°",
        "Activités",
        "Structure responsable",
        "T1",
        "T2",
        "T3",
        "T4",
        "Coût unitaire",
        "Nb de sessions",
        "Coût total (FCFA)",
        "Observations",
    ]
    sheet.write_row("A8", headers, head)
    sheet.merge_range("A9:K9", f"OS1 : {OBJECTIVE}", section)
    sheet.write_row("A10", ["1.1", TRAINING, "MJDH", "X", "X", "", ""], cell)
    # An amount typed as text, grouped with narrow no-break spaces, as often in these sheets.
    sheet.write_string("H10", f"2{NARROW}500{NARROW}000", cell)
    sheet.write_number("I10", 3, cell)
    sheet.write_formula("J10", "=H10*I10", money, 7_500_000)
    sheet.write("K10", "Avec l'appui de l'OIM", cell)
    sheet.write_row("A11", ["1.2", CARAVAN, "Mairie de Kayes", "", "", "X", "x"], cell)
    sheet.write_number("H11", 450_000, money)
    sheet.write_number("I11", 5, cell)
    sheet.write_formula("J11", "=H11*I11", money, 2_250_000)
    sheet.merge_range("A12:I12", "TOTAL GÉNÉRAL", section)
    sheet.write_formula("J12", "=SUM(J10:J11)", money, 9_750_000)
    sheet.write(
        "A14", "Arrêté le présent plan à la somme de neuf millions sept cent cinquante mille FCFA."
    )
    sheet.set_column("B:B", 50)
    sheet.set_column("C:C", 22)
    sheet.set_column("H:K", 16)
    book.close()
    return path


def test_coordinator_imports_the_committee_workbook(page, signed_in, settings, tmp_path):
    # The uploaded workbook is stored: in this test's folder, not in the project's var/media.
    settings.MEDIA_ROOT = tmp_path / "media"
    workbook = committee_workbook(tmp_path / "plan-plaidoyer-2020.xlsx")
    signed_in(page, COORDINATOR)
    page.goto("/countries/ML/")
    page.get_by_role("link", name="Plans d'action de plaidoyer").click()
    page.get_by_role("link", name="Importer un classeur").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Importer un classeur")
    page.get_by_label("Classeur").set_input_files(workbook)
    shoot(page, "import-upload.png")
    page.get_by_role("button", name="Lire le classeur").click()

    # Review: what Relais recognised, and what it did not.
    expect(page.get_by_role("heading", level=1)).to_have_text("Vérifier l'importation")
    mapping = page.locator("form").filter(has=page.get_by_role("button", name="Appliquer"))
    expect(mapping.get_by_label("Activités")).to_have_value("1")  # column B
    expect(mapping.get_by_label("Coût unitaire")).to_have_value("7")  # column H
    expect(mapping.get_by_label("Quantité")).to_have_value("")  # "Nb de sessions": unknown
    preview = page.locator("section").filter(has=page.get_by_role("heading", name="Aperçu"))
    grand = preview.locator("dd").filter(has=page.locator("strong"))
    # One session per line: 2 500 000 + 450 000, and the sheet's own figures disagree.
    expect(grand).to_have_text(leading(2_950_000))
    expect(grand).to_contain_text(re.compile("la feuille indique " + amount(9_750_000).pattern))
    expect(page.get_by_text("coût unitaire × quantité donne").first).to_be_visible()
    shoot(page, "import-review-before.png")

    mapping.get_by_label("Quantité").select_option(label="I — Nb de sessions")
    mapping.get_by_role("button", name="Appliquer").click()

    expect(mapping.get_by_label("Quantité")).to_have_value("8")
    expect(grand).to_have_text(leading(9_750_000))
    expect(page.get_by_text("coût unitaire × quantité donne")).to_have_count(0)
    facts = preview.locator("dl").first
    expect(facts).to_contain_text(TITLE)
    expect(facts).to_contain_text("janvier 2020 – décembre 2020")
    expect(preview.get_by_role("heading", name=OBJECTIVE)).to_contain_text(amount(9_750_000))
    training = preview.get_by_role("row").filter(has_text=TRAINING)
    expect(training.get_by_role("cell")).to_contain_text(["T1 2020, T2 2020", amount(7_500_000)])
    caravan = preview.get_by_role("row").filter(has_text=CARAVAN)
    expect(caravan.get_by_role("cell")).to_contain_text(["T3 2020, T4 2020", amount(2_250_000)])
    # MJDH is Mali's ministry of justice; the town hall is new to Relais and will be created.
    expect(page.get_by_text("n'est pas une organisation connue")).to_have_count(1)
    expect(page.get_by_text("Ces organisations seront créées")).to_contain_text("Mairie de Kayes")
    expect(page.get_by_label("Titre du plan")).to_have_value(TITLE)
    shoot(page, "import-review.png")

    page.get_by_role("button", name="Créer le plan en brouillon").click()

    expect(page).to_have_url(re.compile(r"/plans/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.get_by_role("status")).to_contain_text("importé en brouillon")
    expect(page.get_by_text("En brouillon", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name=OBJECTIVE)).to_be_visible()
    caravan = page.get_by_role("row").filter(has_text=CARAVAN)
    expect(caravan.get_by_role("cell")).to_contain_text(["T3 2020, T4 2020", amount(2_250_000)])
    total = page.get_by_role("complementary").locator("p").filter(has_text="Total général")
    expect(total).to_have_text(amount(9_750_000))
    shoot(page, "import-plan.png")
