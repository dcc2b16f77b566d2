"""The demo's regional coordinator reads the regional dashboard in French, then in Arabic (right
to left): the six countries side by side in euros with the rates used, the charts, and nothing
wider than the window, on a desktop and on a phone.

The demo's dated rates of the dalasi, the Guinean franc and the ouguiya (relais.core.demo) convert
every country's figures."""

from pathlib import Path

from playwright.sync_api import expect

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "test-results"
WIDER_THAN_THE_WINDOW = """() => {
  const width = document.documentElement.clientWidth;
  return document.documentElement.scrollWidth > width + 1;
}"""


def shoot(page, name):
    RESULTS.mkdir(exist_ok=True)
    page.screenshot(path=RESULTS / name, full_page=True)


def test_the_regional_dashboard_in_french_and_arabic(page, signed_in):
    # The demo's rates (relais.core.demo) from 1 January 2018, when the plans start.
    signed_in(page, "regional@demo.relais.africa")
    page.goto("/regional/dashboard/")

    table = page.locator("#regional")
    expect(table.locator("tbody tr")).to_have_count(6)
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.locator("#country-ML td.num a").first).to_be_visible()
    expect(page.locator("svg.chart")).to_have_count(2)
    expect(page.locator("#rates")).to_contain_text("1 EUR = 655,957 XOF")
    expect(page.locator("#rates")).to_contain_text("1 EUR = 56,5 GMD")
    expect(page.locator("#regional .error")).to_have_count(0)  # every plan converted
    assert not page.evaluate(WIDER_THAN_THE_WINDOW)
    shoot(page, "monitoring-regional-fr.png")

    page.get_by_role("button", name="العربيّة").click()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(table.locator("tbody tr")).to_have_count(6)
    # The bars grow from the right: each chart's first label sits at its right edge.
    labels = page.locator("svg.chart text[text-anchor=end]")
    expect(labels.first).to_have_attribute("x", "320")
    assert not page.evaluate(WIDER_THAN_THE_WINDOW)
    shoot(page, "monitoring-regional-ar.png")

    page.set_viewport_size({"width": 360, "height": 740})
    page.reload()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    assert not page.evaluate(WIDER_THAN_THE_WINDOW)

    # A country's figure leads to its plan's dashboard.
    page.locator("#country-ML td.num a").first.click()
    expect(page.locator("#completion svg.chart")).to_be_visible()
    assert not page.evaluate(WIDER_THAN_THE_WINDOW)
