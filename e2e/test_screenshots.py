"""Screenshots of the regional home page (French, Arabic) and of a country page on a phone.

They land in test-results/ for a person to look at; the two home pages are also copied to
docs/screenshots/ for the README.
"""

import shutil
from pathlib import Path

from playwright.sync_api import expect

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "test-results"
DOCS = ROOT / "docs" / "screenshots"


def shoot(page, name, *, docs=False):
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / name
    page.screenshot(path=path, full_page=True)
    if docs:
        DOCS.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, DOCS / name)


def test_regional_home_and_country_page_screenshots(page, signed_in):
    signed_in(page, "regional@demo.relais.africa")
    # Once more, without the "signed in" message: the README shows this page.
    page.goto("/")
    html = page.locator("html")
    rows = page.locator("#countries-compare tbody tr")

    expect(html).to_have_attribute("lang", "fr")
    expect(rows).to_have_count(6)
    shoot(page, "home-fr.png", docs=True)

    page.locator(".langs button[value=ar]").click()
    expect(html).to_have_attribute("dir", "rtl")
    expect(rows).to_have_count(6)
    shoot(page, "home-ar.png", docs=True)

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/countries/ML/")
    expect(html).to_have_attribute("dir", "rtl")
    expect(page.locator("h1")).to_have_text("مالي")
    shoot(page, "country-ml-ar-phone.png")
