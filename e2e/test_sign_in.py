"""Sign in, read in French, switch to Arabic (the layout mirrors), sign out."""

import re

from playwright.sync_api import expect


def brand_centre(page):
    box = page.locator(".bar .brand").bounding_box()
    return box["x"] + box["width"] / 2


def test_coordinator_signs_in_switches_to_arabic_and_signs_out(page, signed_in):
    signed_in(page, "coordinator.ml@demo.relais.africa")

    html = page.locator("html")
    expect(page).to_have_url(re.compile(r"/$"))
    expect(html).to_have_attribute("lang", "fr")
    expect(html).to_have_attribute("dir", "ltr")
    expect(page.locator(".langs button[aria-current]")).to_have_text("Français")
    expect(page.locator(".bar nav")).to_contain_text("Accueil")
    width = page.viewport_size["width"]
    assert brand_centre(page) < width / 2

    page.locator("main .cards").get_by_role("link", name="Mali").click()
    expect(page).to_have_url(re.compile(r"/countries/ML/$"))
    expect(page.locator("h1")).to_have_text("Mali")
    expect(page.locator("#body .facts")).to_contain_text("Français")

    page.locator(".langs button[value=ar]").click()
    expect(html).to_have_attribute("dir", "rtl")
    expect(html).to_have_attribute("lang", "ar")
    expect(page).to_have_url(re.compile(r"/countries/ML/$"))
    expect(page.locator("h1")).to_have_text("مالي")
    expect(page.locator("#body .facts")).to_contain_text("الفرنسيّة")
    expect(page.locator(".bar nav")).to_contain_text("الرئيسية")
    # Mirrored, not only marked: the header starts on the right.
    assert brand_centre(page) > width / 2

    page.locator(".bar .me button").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    expect(page.locator("input[name=login]")).to_be_visible()
    expect(page.locator(".bar .me")).to_have_count(0)
