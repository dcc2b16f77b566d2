"""Mali's coordinator records a round table with three partners' pledges in two currencies,
confirms the euro one by an agreement, records a first instalment of it, and reads the gap on
the plan's funding page, in French and in Arabic (right to left); the funding page without
JavaScript.

The country, the plan (two objectives, four activities: 23 000 000 FCFA), the partners, two
people and the coordinator are made in the test's setup; everything after that happens in the
browser. The figures the page shows are compared with what relais.funding.picture computes,
written as the page writes them (relais.core.money), spaces of any kind aside.

Some of the funding pages' strings may not be translated yet: elements are found by their
names, ids and links, not by visible text.
"""

import re
from datetime import date
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from relais.accounts.tests.factories import PASSWORD
from relais.core.money import format_money, format_number
from relais.countries.models import Organisation
from relais.countries.tests.factories import ContactFactory, OrganisationFactory
from relais.funding.models import Contribution
from relais.funding.picture import funding_picture
from relais.plans.tests.factories import ActivityFactory, ObjectiveFactory, PlanFactory

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "test-results"

TITLE = "Plan d'action de plaidoyer contre la traite des personnes 2018-2019"
ROUND_TABLE = "Table ronde des partenaires techniques et financiers"
SPACES = re.compile(r"\s+")  # \s covers the no-break and narrow no-break spaces too
# A PDF's first bytes are what the upload check reads.
AGREEMENT_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def shoot(page, name):
    RESULTS.mkdir(exist_ok=True)
    page.screenshot(path=RESULTS / name, full_page=True)


def bare(text):
    return SPACES.sub("", text or "")


def spaced(text):
    """A pattern for `text` whatever spaces it is written with."""
    return re.compile(r"^\s*" + r"\s*".join(re.escape(c) for c in bare(text)) + r"\s*$")


def sign_in(page, email, password=PASSWORD):
    page.goto("/accounts/login/")
    form = page.locator("main form").filter(has=page.locator("input[name=login]"))
    form.locator("input[name=login]").fill(email)
    form.locator("input[name=password]").fill(password)
    form.locator("button[type=submit]").click()
    expect(page.locator(".bar .me button")).to_be_visible()


@pytest.fixture
def setting(transactional_db, live_server, mali, make_user, settings, tmp_path):
    """Mali's plan (OS1: 6 000 000 + 4 000 000, OS2: 8 000 000 + 5 000 000 FCFA), three partners
    with two people, and the coordinator."""
    # The agreement uploaded is stored in this test's folder, not in the project's var/media.
    settings.MEDIA_ROOT = tmp_path / "media"
    plan = PlanFactory(country=mali, title=TITLE, currency="XOF")
    legal = ObjectiveFactory(
        plan=plan, statement="Obtenir l'adoption du décret d'application de la loi de 2012"
    )
    training = ObjectiveFactory(
        plan=plan, statement="Renforcer les capacités des acteurs de la chaîne pénale"
    )

    def activity(objective, title, month, cost):
        return ActivityFactory(
            objective=objective, title=title, months=[month], unit_cost=Decimal(cost), quantity=1
        )

    workshop = activity(
        legal, "Atelier avec les députés de la commission des lois", "2018-03", 6_000_000
    )
    activity(legal, "Émissions radio en bambara à Kayes et Sikasso", "2018-06", 4_000_000)
    judges = activity(training, "Formation des magistrats et des OPJ", "2018-09", 8_000_000)
    activity(training, "Caravane dans les gares routières", "2019-02", 5_000_000)

    def partner(name, acronym):
        return OrganisationFactory(
            name=name, acronym=acronym, kind=Organisation.Kind.PARTNER, country=None
        )

    partners = {
        "ICMPD": partner("International Centre for Migration Policy Development", "ICMPD"),
        "OIM": partner("Organisation internationale pour les migrations", "OIM"),
        "UE": partner("Union européenne", "UE"),
    }
    people = [
        ContactFactory(country=mali, full_name="Awa Traoré", organisation=partners["OIM"]),
        ContactFactory(country=mali, full_name="Jean Dupont", organisation=partners["UE"]),
    ]
    coordinator = make_user("coordinator", mali, email="coordinator.ml@example.org")
    return {
        "plan": plan,
        "objectives": (legal, training),
        "activities": (workshop, judges),
        "partners": partners,
        "people": people,
        "coordinator": coordinator,
    }


def record_pledge(page, *, partner, amount, currency="XOF", objective=None, shares=()):
    """From the round table's page: its "Record a pledge" link, the form, saved."""
    page.locator("a[href*='/contributions/new/?event=']").click()
    form = page.locator("main form").filter(has=page.locator("input[name=amount]"))
    expect(form.locator("select[name=event]")).not_to_have_value("")
    form.locator("select[name=partner]").select_option(str(partner.pk))
    form.locator("select[name=kind]").select_option("financial")
    form.locator("input[name=amount]").fill(amount)
    form.locator("select[name=currency]").select_option(currency)
    form.locator("input[name=announced_on]").fill("2018-04-26")
    if objective is not None:
        form.locator("input[name=target][value=objective]").check()
        form.locator("select[name=objective]").select_option(str(objective.pk))
    elif shares:
        form.locator("input[name=target][value=activities]").check()
        for index, (activity, share) in enumerate(shares):
            form.locator(f"input[name=activity_{index}]").fill(activity.code)
            form.locator(f"input[name=share_{index}]").fill(share)
    else:
        form.locator("input[name=target][value=plan]").check()
    form.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/contributions/\d+/$"))
    expect(page.locator("h1")).to_have_text(partner.acronym)


def totals_shown(page):
    """The funding page's totals, {term: amount}, spaces removed, in the page's order."""
    totals = page.locator("#funding-totals")
    expect(totals).to_be_visible()
    terms = [bare(t) for t in totals.locator("dt").all_inner_texts()]
    values = [bare(v) for v in totals.locator("dd").all_inner_texts()]
    return list(zip(terms, values, strict=True))


def check_totals(page, plan):
    """The totals shown are the picture's: budget, announced, confirmed, disbursed, gap; and the
    table's last row says the same in bare numbers."""
    lang = page.locator("html").get_attribute("lang")
    total = funding_picture(plan=plan).total
    values = (total.budget, total.announced, total.confirmed, total.disbursed, total.gap)
    shown = totals_shown(page)
    assert [value for _term, value in shown[:5]] == [
        bare(format_money(value, plan.currency, lang)) for value in values
    ], shown
    sum_row = page.locator("#funding tr.sum td").all_inner_texts()
    assert [bare(text) for text in sum_row[:5]] == [
        bare(format_number(value, 0, lang)) for value in values
    ], sum_row
    return total


def test_round_table_pledges_agreement_instalment_and_the_gap(page, new_context, setting):
    plan, coordinator = setting["plan"], setting["coordinator"]
    legal, training = setting["objectives"]
    workshop, judges = setting["activities"]
    icmpd, oim, eu = (setting["partners"][a] for a in ("ICMPD", "OIM", "UE"))

    sign_in(page, coordinator.email)
    page.goto(f"/plans/{plan.pk}/")
    expect(page.locator("h1")).to_have_text(TITLE)
    page.locator(f"main a[href='/plans/{plan.pk}/funding/']").first.click()
    expect(page).to_have_url(re.compile(rf"/plans/{plan.pk}/funding/$"))
    # Nothing announced yet: the gap is the whole budget.
    expect(page.locator("#funding-totals")).to_be_visible()
    check_totals(page, plan)

    # The round tables, then a new one with three organisations present.
    page.locator(f"a[href='/plans/{plan.pk}/round-tables/']").first.click()
    expect(page.locator("#round-tables")).to_be_visible()
    page.locator(f"a[href='/plans/{plan.pk}/round-tables/new/']").click()
    form = page.locator("main form").filter(has=page.locator("input[name=title]"))
    form.locator("input[name=title]").fill(ROUND_TABLE)
    form.locator("input[name=starts_on]").fill("2018-04-26")
    form.locator("input[name=venue]").fill("Hôtel de l'Amitié")
    form.locator("input[name=city]").fill("Bamako")
    form.locator("input[name=chair]").fill("Ministre de la Justice et des Droits de l'Homme")
    form.locator("textarea[name=agenda]").fill(
        "Ouverture officielle\nPrésentation du plan\nAnnonces des partenaires\nClôture"
    )
    for organisation in (icmpd, oim, eu):
        form.locator(f"input[name=invited][value='{organisation.pk}']").check()
        form.locator(f"input[name=present][value='{organisation.pk}']").check()
    for person in setting["people"]:
        form.locator(f"input[name=participants][value='{person.pk}']").check()
    form.locator("button[type=submit]").click()

    expect(page).to_have_url(re.compile(r"/round-tables/\d+/$"))
    round_table = page.url
    expect(page.locator("h1")).to_have_text(ROUND_TABLE)
    present = page.locator("#participants ul.inline-list").nth(1)
    for organisation in (icmpd, oim, eu):
        expect(present).to_contain_text(organisation.name)

    # Three pledges: two in francs (the whole plan, one objective), one in euros to two
    # activities with a share each. Each lands on its contribution; back to the round table
    # by the link the contribution gives to it.
    record_pledge(page, partner=icmpd, amount="5 000 000")
    back = f"main a[href='{urlsplit(round_table).path}']"
    page.locator(back).first.click()
    record_pledge(page, partner=oim, amount="3 500 000", objective=training)
    page.locator(back).first.click()
    record_pledge(
        page,
        partner=eu,
        amount="12 000",
        currency="EUR",
        shares=[(workshop, "8 000"), (judges, "4 000")],
    )
    assert Contribution.objects.filter(plan=plan, event__isnull=False).count() == 3

    # The euro pledge: an agreement for 10 000 EUR, then a first instalment of 4 000 EUR.
    confirm = page.locator("#confirm form")
    confirm.locator("input[name=confirmed_amount]").fill("10 000")
    confirm.locator("input[name=signed_on]").fill("2018-07-16")
    confirm.locator("input[name=agreement_reference]").fill("UE/FED/2018/397-512")
    confirm.locator("input[name=agreement]").set_input_files(
        {"name": "convention-ue.pdf", "mimeType": "application/pdf", "buffer": AGREEMENT_PDF}
    )
    confirm.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/contributions/\d+/$"))
    expect(page.locator("#confirm")).to_have_count(0)
    expect(page.locator(".badge.status-confirmed")).to_be_visible()
    instalment = page.locator("#instalments form")
    instalment.locator("input[name=paid_on]").fill("2018-09-03")
    instalment.locator("input[name=amount]").fill("4 000")
    instalment.locator("input[name=reference]").fill("VIR-2018-0913")
    instalment.locator("button[type=submit]").click()
    expect(page.locator("#instalments table tbody tr")).to_have_count(1)
    expect(page.locator("#instalments table tbody td").nth(1)).to_have_text(
        re.compile(r"^4\D?000,00\s*EUR$")
    )
    contribution = Contribution.objects.get(plan=plan, partner=eu)
    assert contribution.status == Contribution.Status.CONFIRMED
    assert contribution.confirmed_amount == Decimal("10000")
    assert contribution.signed_on == date(2018, 7, 16)
    assert contribution.agreement.name.endswith(".pdf")

    # The round table with its three pledges, the plan's gap under them.
    page.locator(back).first.click()
    pledges = page.locator("#pledges table.pledges tbody tr")
    expect(pledges).to_have_count(3)
    total = funding_picture(plan=plan).total
    expect(page.locator("#plan-gap")).to_have_text(spaced(format_money(total.gap, "XOF", "fr")))
    shoot(page, "round-table-fr.png")

    # The funding page: its figures are the picture's.
    page.locator(f"main a[href='/plans/{plan.pk}/']").first.click()
    page.locator(f"main a[href='/plans/{plan.pk}/funding/']").first.click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    total = check_totals(page, plan)
    # 23 000 000 budgeted; 5 000 000 + 3 500 000 + 10 000 EUR at 655,957; 4 000 EUR paid.
    assert total.budget == Decimal("23000000")
    assert total.announced == Decimal("8500000") + Decimal("6559570")
    assert total.confirmed == Decimal("6559570")
    assert total.disbursed == Decimal("2623828")
    assert total.gap == Decimal("7940430")
    expect(page.locator("#by-partner tbody tr")).to_have_count(3)
    expect(page.locator("#by-partner tbody")).to_contain_text("UE")
    shoot(page, "funding-fr.png")
    funding_url = page.url

    # Without JavaScript, in a new window holding the same session: the totals are there.
    plain = new_context(java_script_enabled=False, storage_state=page.context.storage_state())
    plain_page = plain.new_page()
    plain_page.goto(funding_url)
    check_totals(plain_page, plan)
    expect(plain_page.locator("#funding tbody tr.os")).to_have_count(2)
    plain.close()

    # In Arabic: right to left, the same figures written the Arabic way.
    page.locator(".langs button[value=ar]").click()
    html = page.locator("html")
    expect(html).to_have_attribute("dir", "rtl")
    expect(html).to_have_attribute("lang", "ar")
    check_totals(page, plan)
    shoot(page, "funding-ar.png")
