"""Mali's coordinator enters an expenditure on an activity of the 2018-2019 plan, paid from
ICMPD's contribution in euros (with its invoice), validates it, and sees it in the plan's
validated total, converted to FCFA at the fixed parity, and in what ICMPD's contribution has
left; then the same page in Arabic, right to left.

The demo (seed_demo) gives the plan, ICMPD's contribution (60 000 EUR confirmed, 45 000 EUR
disbursed) and the coordinator; the plan is adopted in the setup if it is not. Some strings
may not be translated yet: elements are found by their names and ids, not by visible text.
"""

import re
from decimal import Decimal
from pathlib import Path

from playwright.sync_api import expect

from relais.core.money import format_money
from relais.funding.models import Contribution
from relais.monitoring.expenditures import plan_expenditures
from relais.monitoring.models import Expenditure
from relais.plans.models import Plan

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "test-results"
COORDINATOR = "coordinator.ml@demo.relais.africa"
DESCRIPTION = "Billets d'avion Bamako–Kayes des formateurs"
INVOICE = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
SPACES = re.compile(r"\s+")  # the no-break and narrow no-break spaces too


def shoot(page, name):
    RESULTS.mkdir(exist_ok=True)
    page.screenshot(path=RESULTS / name, full_page=True)


def bare(text):
    return SPACES.sub("", text or "")


def test_a_coordinator_enters_and_validates_an_expenditure(page, signed_in):
    plan = Plan.objects.filter(country__code="ML", version=1).order_by("pk").first()
    if plan.status != Plan.Status.ADOPTED:
        Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.ADOPTED)
    icmpd = Contribution.objects.get(plan=plan, partner__acronym="ICMPD")
    activity = plan.objectives.get(position=1).activities.order_by("position").first()

    signed_in(page, COORDINATOR)
    page.goto(f"/plans/{plan.pk}/expenditures/")
    expect(page.locator("#expenditure-totals")).to_be_visible()
    page.locator("#expenditure-new").click()

    form = page.locator("#expenditure-form")
    form.locator("select[name=activity]").select_option(str(activity.pk))
    form.locator("select[name=contribution]").select_option(str(icmpd.pk))
    form.locator("input[name=spent_on]").fill("2019-03-15")
    form.locator("input[name=amount]").fill("1 250")
    form.locator("textarea[name=description]").fill(DESCRIPTION)
    form.locator("input[name=document]").set_input_files(
        {"name": "facture-kayes.pdf", "mimeType": "application/pdf", "buffer": INVOICE}
    )
    form.locator("button[type=submit]").click()

    # The expenditure's page: a draft, in euros (ICMPD's currency), its invoice attached.
    expect(page.locator("#expenditure-status")).to_have_class(re.compile("status-draft"))
    expenditure = Expenditure.objects.get(description=DESCRIPTION)
    assert (expenditure.amount, expenditure.currency) == (Decimal(1250), "EUR")
    expect(page.locator("#expenditure-facts")).to_contain_text("facture-kayes.pdf")
    page.locator("#validate").click()
    expect(page.locator("#expenditure-status")).to_have_class(re.compile("status-validated"))
    expenditure.refresh_from_db()
    assert expenditure.status == Expenditure.Status.VALIDATED

    # The list: the validated total holds it, in FCFA at the parity (1 250 EUR = 819 946
    # FCFA), and ICMPD's contribution has 1 250 EUR less left. Figures as relais.monitoring
    # computes them (the demo may hold other expenditures), written as the page writes them.
    page.locator(".crumbs a[href$='/expenditures/']").click()
    expect(page.locator(f"#expenditure-{expenditure.pk}")).to_contain_text(DESCRIPTION[:40])
    rows, balances = plan_expenditures(plan=plan)
    assert next(r for r in rows if r.pk == expenditure.pk).in_plan == Decimal(819_946)
    validated = sum((r.in_plan for r in rows if r.counts and r.status == "validated"), Decimal(0))
    total = page.locator("#expenditure-totals dd").first
    assert bare(total.inner_text()) == bare(format_money(validated, "XOF", "fr"))
    left = next(b for b in balances if b.contribution == icmpd).left_own
    assert left == Decimal(45_000) - sum(
        e.amount for e in Expenditure.objects.filter(contribution=icmpd, status="validated")
    )
    source = page.locator(f"#source-{icmpd.pk}")
    assert bare(format_money(left, "EUR", "fr")) in bare(source.inner_text())
    shoot(page, "monitoring-expenditures-fr.png")
    # On a phone, the page scrolls down only: the table scrolls within its own box.
    page.set_viewport_size({"width": 360, "height": 780})
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.set_viewport_size({"width": 1280, "height": 800})

    # The same page in Arabic, right to left.
    page.get_by_role("button", name="العربيّة").click()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator(f"#expenditure-{expenditure.pk}")).to_be_visible()
    shoot(page, "monitoring-expenditures-ar.png")
