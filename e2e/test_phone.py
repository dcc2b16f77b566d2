"""On a phone, in French and in Arabic, no page is wider than the screen: wide tables scroll
inside their box, and nothing else pushes the page sideways (a plain `1fr` grid column, a
visually hidden caption positioned outside its scroller, a table of totals that does not wrap)."""

import pytest

from relais.events.models import Event
from relais.plans.models import Plan

PAGES = [
    "/",
    "/countries/ML/",
    "/countries/ML/plans/",
    "/plans/{plan}/",
    "/plans/{plan}/chronogram/",
    "/plans/{plan}/chronogram/?by=month",
    "/plans/{plan}/print/",
    "/plans/{plan}/funding/",
    "/plans/{plan}/contributions/",
    "/plans/{plan}/contributions/new/",
    "/plans/{plan}/round-tables/",
    "/partners/",
    "/countries/ML/workshops/",
    "/workshops/{workshop}/",
    "/workshops/{workshop}/participants/",
    "/workshops/{workshop}/participants/import/",
    "/participations/{participation}/edit/",
    "/workshops/{workshop}/attendance/",
    "/workshops/{workshop}/scores/",
    "/workshops/{workshop}/scores/import/",
    "/workshops/{workshop}/evaluation/",
    "/workshops/{workshop}/evaluation/cards/",
    "/workshops/{workshop}/report/",
    "/e/{token}/",
    "/countries/ML/trained/",
    "/countries/ML/duplicates/",
    "/plans/{plan}/monitoring/",
    "/plans/{plan}/dashboard/",
    "/plans/{plan}/expenditures/",
    "/plans/{plan}/expenditures/new/",
    "/plans/{plan}/indicators/",
    "/plans/{plan}/milestones/",
    "/activities/{activity}/updates/",
]
WIDER_THAN_THE_SCREEN = """() => {
  const width = document.documentElement.clientWidth;
  return document.documentElement.scrollWidth > width + 1;
}"""


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_no_page_is_wider_than_a_phone(page, signed_in, language):
    page.set_viewport_size({"width": 360, "height": 740})
    signed_in(page, "coordinator.ml@demo.relais.africa")
    if language == "ar":
        page.locator(".langs button[value=ar]").click()
        page.wait_for_selector("html[dir=rtl]")
    plan = Plan.objects.filter(country__code="ML").order_by("pk").first()
    # Bamako's training: 40 participants, their attendance, scores and evaluations.
    workshop = Event.objects.get(country__code="ML", kind="training")
    participation = workshop.participations.filter(evaluation__isnull=True).first()
    activity = plan.objectives.first().activities.first()
    ids = {"plan": plan.pk, "workshop": workshop.pk, "participation": participation.pk}
    ids["activity"] = activity.pk
    wide = []
    for path in PAGES:
        page.goto(path.format(token=participation.token, **ids))
        if page.evaluate(WIDER_THAN_THE_SCREEN):
            wide.append(path)
    assert wide == []
