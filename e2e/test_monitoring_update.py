"""Mali's contributor, on a phone, says where an activity of the adopted plan stands: ongoing,
40 %, with a photo taken at the workshop; the update is listed at once with the photo's small
thumbnail, and the page is no wider than the phone.

The demo (seed_demo) gives the country, the contributor and the adopted plan; the test assigns
the contributor to the activity, and everything after that happens in the browser.
"""

import io
import re
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import expect

from relais.accounts.models import User
from relais.monitoring.models import ActivityUpdate
from relais.plans.models import Activity, Plan

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "test-results"
CONTRIBUTOR = "contributor.ml@demo.relais.africa"
NARRATIVE = "Deux des trois sessions de formation tenues à Kayes ; la troisième en avril."


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    # The live server runs in this process: its uploads go to a folder of the test's own.
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def workshop_photo():
    """A phone's photo: 2000 × 1500, detailed, a few hundred KB."""
    size = (2000, 1500)
    image = Image.effect_mandelbrot(size, (-2.2, -1.2, 1.0, 1.2), 60).convert("RGB")
    image = Image.blend(image, Image.effect_noise(size, 24).convert("RGB"), 0.25)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()


def test_a_contributor_posts_an_update_with_a_photo_from_a_phone(browser, signed_in, live_server):
    # The demo's plan for Mali, adopted; the contributor assigned to its first activity.
    plan = Plan.objects.filter(country__code="ML").order_by("pk").first()
    if plan.status != Plan.Status.ADOPTED:
        Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.ADOPTED)
    activity = Activity.objects.filter(objective__plan=plan).order_by("objective", "position")[0]
    contributor = User.objects.get(email=CONTRIBUTOR)
    activity.assignees.add(contributor)

    phone = browser.new_context(
        base_url=live_server.url,
        viewport={"width": 360, "height": 740},
        is_mobile=True,
        has_touch=True,
        locale="fr-FR",
    )
    mobile = signed_in(phone.new_page(), CONTRIBUTOR)
    mobile.goto(f"/activities/{activity.pk}/updates/")
    expect(mobile.locator("h1")).to_contain_text(activity.title)

    form = mobile.locator("form.update-form")
    files = form.locator("input[type=file][name=files]")
    expect(files).to_have_attribute("multiple", "")
    assert files.get_attribute("capture") is None  # the camera is offered, not forced
    form.locator("select[name=status]").select_option("ongoing")
    form.locator("input[name=percent_done]").fill("40")
    form.locator("textarea[name=narrative]").fill(NARRATIVE)
    files.set_input_files(
        [{"name": "atelier-kayes.jpg", "mimeType": "image/jpeg", "buffer": workshop_photo()}]
    )
    form.locator("button[type=submit]").click()

    expect(mobile).to_have_url(re.compile(r"/activities/\d+/updates/#update-\d+$"))
    update = ActivityUpdate.objects.get(activity=activity, narrative=NARRATIVE)
    assert (update.status, update.percent_done, update.by) == ("ongoing", 40, contributor)
    evidence = update.evidence.get()
    assert evidence.original_name == "atelier-kayes.jpg"
    assert evidence.thumbnail.size < 20_000

    listed = mobile.locator(f"#update-{update.pk}")
    expect(listed).to_contain_text(NARRATIVE)
    expect(listed).to_contain_text("atelier-kayes.jpg")
    thumbnail = listed.locator("img")
    expect(thumbnail).to_be_visible()
    # The thumbnail arrived and was drawn (a broken image has no natural width).
    mobile.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=thumbnail.element_handle()
    )
    assert thumbnail.evaluate("img => img.naturalWidth") <= 320
    expect(mobile.locator(".messages")).to_be_visible()
    assert mobile.evaluate("document.documentElement.scrollWidth") <= 360

    RESULTS.mkdir(exist_ok=True)
    mobile.screenshot(path=RESULTS / "monitoring-update-phone-fr.png", full_page=True)
    phone.close()
