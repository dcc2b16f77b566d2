"""A Mali coordinator writes a small plan from nothing, watches its totals, gets it adopted; the
same plan and its chronogram read in Arabic (right to left); and the plan page without
JavaScript.

Selectors are what a person sees (roles, labels, text): the plan page's markup may change, what
it offers must not. Amounts are compared on their digits, whatever spaces group them.
"""

import re
from pathlib import Path

from playwright.sync_api import expect

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "test-results"

COORDINATOR = "coordinator.ml@demo.relais.africa"
TITLE = "Plan de plaidoyer contre le travail forcé à l'extérieur 2019"
OBJECTIVE = "Obtenir l'adoption d'un décret sur le recrutement des travailleurs migrants"
WORKSHOP = "Atelier de plaidoyer avec les députés de la commission des lois"
RADIO = "Émissions radio en bambara dans les régions de Kayes et de Sikasso"


def shoot(page, name):
    RESULTS.mkdir(exist_ok=True)
    page.screenshot(path=RESULTS / name, full_page=True)


def amount(value):
    """A pattern for an amount, digits grouped by any separator ("1 500 000", "1 500 000")."""
    groups = f"{value:,}".split(",")
    return re.compile(r"(?<!\d)" + r"\D?".join(groups) + r"(?!\d)")


TOTAL_LABEL = {"fr": "Total général", "ar": "المجموع العام"}


def grand_total(page):
    """The budget panel's grand total, label and amount, in the page's language."""
    language = page.locator("html").get_attribute("lang")
    return page.get_by_role("complementary").locator("p").filter(has_text=TOTAL_LABEL[language])


def activity_row(page, title):
    return page.get_by_role("row").filter(has_text=title)


def cells(page, title):
    """The cells of an activity's row (compared one by one: a row's text runs them together)."""
    return activity_row(page, title).get_by_role("cell")


def fill_activity(form, *, title=None, months=(), unit_cost=None, quantity=None):
    if title is not None:
        form.get_by_label("Activité").fill(title)
    for month in months:
        form.get_by_label(month, exact=True).check()
    if unit_cost is not None:
        form.get_by_label("Coût unitaire").fill(unit_cost)
    if quantity is not None:
        form.get_by_label("Quantité").fill(quantity)
    form.get_by_role("button", name="Enregistrer").click()


def test_coordinator_writes_a_plan_sees_totals_and_gets_it_adopted(page, signed_in):
    signed_in(page, COORDINATOR)
    page.goto("/countries/ML/")
    page.get_by_role("link", name="Plans d'action de plaidoyer").click()
    page.get_by_role("link", name="Nouveau plan").click()

    page.get_by_label("Titre").fill(TITLE)
    page.get_by_label("Début de la période").fill("2019-01-01")
    page.get_by_label("Fin de la période").fill("2019-12-31")
    page.get_by_role("button", name="Enregistrer").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.get_by_role("status")).to_contain_text("Le plan a été créé")
    expect(page.get_by_text("En brouillon", exact=True)).to_be_visible()
    expect(grand_total(page)).to_have_text(amount(0))

    # From here on, everything happens in place: a full reload would lose this mark.
    page.evaluate("window.stillTheSamePage = true")

    page.get_by_role("link", name="Ajouter un objectif").click()
    page.get_by_label("Énoncé").fill(OBJECTIVE)
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("heading", name=OBJECTIVE)).to_be_visible()

    page.get_by_role("link", name="Ajouter une activité").click()
    fill_activity(
        page.locator("form").filter(has=page.get_by_label("Coût unitaire")),
        title=WORKSHOP,
        months=["janv. 2019", "févr. 2019"],
        unit_cost="750 000",
        quantity="2",
    )
    expect(cells(page, WORKSHOP)).to_contain_text(["T1 2019", amount(1_500_000)])
    expect(grand_total(page)).to_have_text(amount(1_500_000))

    page.get_by_role("link", name="Ajouter une activité").click()
    fill_activity(
        page.locator("form").filter(has=page.get_by_label("Coût unitaire")),
        title=RADIO,
        # Real sheets skip quarters: July and October, nothing in between.
        months=["juil. 2019", "oct. 2019"],
        unit_cost="250000",
        quantity="10",
    )
    expect(cells(page, RADIO)).to_contain_text(["T3 2019, T4 2019", amount(2_500_000)])
    expect(grand_total(page)).to_have_text(amount(4_000_000))
    budget = page.get_by_role("complementary")
    by_objective = budget.get_by_role("row").filter(has=page.get_by_role("rowheader", name="OS1"))
    expect(by_objective.get_by_role("cell")).to_have_text(amount(4_000_000))
    first_quarter = budget.get_by_role("row").filter(
        has=page.get_by_role("rowheader", name="T1 2019")
    )
    expect(first_quarter.get_by_role("cell")).to_have_text(amount(1_500_000))

    # Edit the radio campaign in its row: four more broadcasts.
    activity_row(page, RADIO).get_by_role("link", name="Modifier").click()
    edit = page.locator("form").filter(has=page.get_by_label("Coût unitaire"))
    expect(edit.get_by_label("Quantité")).to_have_value("10")
    fill_activity(edit, quantity="14")
    expect(cells(page, RADIO)).to_contain_text(["T3 2019, T4 2019", amount(3_500_000)])
    expect(grand_total(page)).to_have_text(amount(5_000_000))
    assert page.evaluate("window.stillTheSamePage") is True

    edit_url = activity_row(page, RADIO).get_by_role("link", name="Modifier").get_attribute("href")

    # The workflow: submit, validate, adopt (the coordinator may do all three).
    for button, status in [
        ("Soumettre pour validation", "Soumis"),
        ("Valider", "Validé"),
        ("Adopter", "Adopté"),
    ]:
        page.get_by_role("button", name=button).click()
        expect(page.get_by_text(status, exact=True)).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("adopté")
    expect(grand_total(page)).to_have_text(amount(5_000_000))

    # Adopted: the content is frozen, nothing offers to change it.
    for name in [
        "Modifier",
        "Ajouter une activité",
        "Ajouter un objectif",
        "Modifier l'objectif",
        "Modifier les informations du plan",
    ]:
        expect(page.get_by_role("link", name=name, exact=True)).to_have_count(0)
    expect(page.get_by_role("button", name="Lancer une révision")).to_be_visible()
    shoot(page, "plan-fr.png")

    # An old link to the edit form is refused, with the reason.
    response = page.goto(edit_url)
    assert response.status == 403
    expect(page.get_by_role("alert").filter(has_text="adopté")).to_be_visible()
    page.go_back()

    read_in_arabic(page)


def read_in_arabic(page):
    """The adopted plan, its chronogram by quarter and by month, right to left."""
    html = page.locator("html")
    page.get_by_role("button", name="العربيّة").click()
    expect(html).to_have_attribute("dir", "rtl")
    expect(html).to_have_attribute("lang", "ar")
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.get_by_text("معتمدة", exact=True)).to_be_visible()
    expect(grand_total(page)).to_have_text(amount(5_000_000))
    expect(cells(page, WORKSHOP)).to_contain_text(["الربع 1 2019", amount(1_500_000)])
    width = page.viewport_size["width"]
    # Mirrored: the plan's tree starts on the right, the budget panel sits to its left.
    heading = page.get_by_role("heading", name=OBJECTIVE).bounding_box()
    panel = page.get_by_role("complementary").bounding_box()
    assert heading["x"] + heading["width"] > width / 2
    assert panel["x"] < heading["x"]
    shoot(page, "plan-ar.png")

    page.get_by_role("link", name="الجدول الزمني").first.click()
    expect(html).to_have_attribute("dir", "rtl")
    chart = page.get_by_role("table")
    expect(chart.get_by_role("columnheader", name="الربع 1 2019")).to_be_visible()
    bars_run_right_to_left(page, first_total=1_500_000)
    shoot(page, "chronogram-ar.png")

    page.get_by_role("link", name="حسب الشهر").click()
    expect(chart.get_by_role("columnheader")).to_have_count(1 + 1 + 12)
    bars_run_right_to_left(page, first_total=750_000)
    shoot(page, "chronogram-month-ar.png")
    # Twelve months are wider than the screen: the table scrolls, leftwards, to October.
    october = activity_row(page, RADIO).get_by_role("cell").filter(has_text="مقرَّر").last
    october.scroll_into_view_if_needed()
    expect(october).to_be_in_viewport()
    shoot(page, "chronogram-month-ar-scrolled.png")


def bars_run_right_to_left(page, first_total):
    """In Arabic time runs leftwards: the names on the right, the workshop (early in the year)
    to the right of the radio broadcasts (late in the year)."""
    planned = "مقرَّر"
    workshop = activity_row(page, WORKSHOP)
    radio = activity_row(page, RADIO)
    name = workshop.get_by_role("rowheader").bounding_box()
    early = workshop.get_by_role("cell").filter(has_text=planned).first.bounding_box()
    late = radio.get_by_role("cell").filter(has_text=planned).last.bounding_box()
    assert name["x"] > early["x"] > late["x"]
    # The totals row: the first period's total in the first column, on the right.
    totals = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name="المجموع"))
    expect(totals.get_by_role("cell").first).to_have_text(amount(first_total))


def test_plan_page_reads_and_takes_an_activity_without_javascript(new_context, signed_in):
    page = new_context(java_script_enabled=False).new_page()
    signed_in(page, COORDINATOR)
    page.goto("/countries/ML/plans/")
    page.get_by_role("link", name="Nouveau plan").click()
    page.get_by_label("Titre").fill(TITLE)
    page.get_by_label("Début de la période").fill("2019-01-01")
    page.get_by_label("Fin de la période").fill("2019-12-31")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)

    # Each link leads to a plain page whose form saves and comes back to the plan.
    page.get_by_role("link", name="Ajouter un objectif").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ajouter un objectif")
    page.get_by_label("Énoncé").fill(OBJECTIVE)
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("heading", name=OBJECTIVE)).to_be_visible()

    page.get_by_role("link", name="Ajouter une activité").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ajouter une activité")
    form = page.locator("main form").filter(has=page.get_by_label("Coût unitaire"))
    fill_activity(form, title=WORKSHOP, unit_cost="750000", quantity="2")
    # No month: the form says so at the field, nothing is saved.
    expect(page.get_by_role("alert").filter(has_text="au moins un mois")).to_be_visible()
    expect(form.get_by_label("Activité")).to_have_value(WORKSHOP)
    form.get_by_label("mars 2019", exact=True).check()
    form.get_by_role("button", name="Enregistrer").click()

    expect(page).to_have_url(re.compile(r"/plans/\d+/(#.*)?$"))
    expect(cells(page, WORKSHOP)).to_contain_text(["T1 2019", amount(1_500_000)])
    expect(grand_total(page)).to_have_text(amount(1_500_000))
    shoot(page, "plan-fr-nojs.png")
