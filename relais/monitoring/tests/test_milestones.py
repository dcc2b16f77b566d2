"""Advocacy milestones: each objective's change sought and the steps it reached, recorded by
the coordinator (a date not in the future, a step from the list), kept in the history; who
may, and that a refused or bad request records nothing."""

import re
from datetime import date, timedelta
from html import unescape

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from relais.monitoring import indicators as services
from relais.monitoring.models import Milestone
from relais.plans.models import Objective, Plan
from relais.plans.tests.factories import ObjectiveFactory, plan_with_content

pytestmark = pytest.mark.django_db


def field_error(response, name):
    html = response.content.decode()
    block = re.search(rf'<div id="id_{name}_error"[^>]*>(.*?)</div>', html, re.S)
    assert block, f"no error shown at {name!r}"
    return unescape(block.group(1))


def state():
    return {
        "milestones": list(
            Milestone.objects.order_by("pk").values_list(
                "pk", "objective_id", "step", "reached_on", "description"
            )
        ),
        "history": Milestone.history.count(),
    }


@pytest.fixture
def plan(mali):
    plan = plan_with_content(mali, status=Plan.Status.ADOPTED, title="Plan 2018-2019")
    Objective.objects.filter(plan=plan, position=1).update(
        change_kind=Objective.ChangeKind.LAW,
        change_sought="Adoption du décret d'application de la loi n° 2012-023",
    )
    return plan


@pytest.fixture
def objective(plan):
    return plan.objectives.get(position=1)


@pytest.fixture
def coordinator(make_user, mali):
    return make_user("coordinator", mali, language="en")


def data(target, **overrides):
    fields = {
        "objective": target.pk,
        "step": "text_drafted",
        "reached_on": "2018-09-12",
        "description": "Avant-projet remis au ministère de la Justice",
    }
    fields.update(overrides)
    return fields


def test_a_coordinator_records_a_step_reached(client, plan, objective, coordinator):
    client.force_login(coordinator)
    url = reverse("monitoring:milestones", args=[plan.pk])
    page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200 and 'id="milestone-form"' in html
    assert "A law or a decree" in html and "décret d&#x27;application" in html

    response = client.post(url, data(objective))
    assert response.status_code == 302 and response["Location"] == url + "#reached"
    milestone = Milestone.objects.get()
    assert (milestone.objective, milestone.step, milestone.reached_on) == (
        objective,
        "text_drafted",
        date(2018, 9, 12),
    )
    assert milestone.by == coordinator
    assert milestone.history.get().history_user == coordinator

    client.post(url, data(objective, step="text_adopted", reached_on="2019-03-01", description=""))
    html = client.get(url).content.decode()
    assert html.index("Text drafted") < html.index("Text adopted")
    assert "Avant-projet remis" in html


PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def test_a_step_reached_with_its_evidence(client, plan, objective, coordinator, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(coordinator)
    url = reverse("monitoring:milestones", args=[plan.pk])
    decree = SimpleUploadedFile("decret.pdf", PDF, content_type="application/pdf")
    assert client.post(url, {**data(objective), "files": [decree]}).status_code == 302
    (evidence,) = Milestone.objects.get().evidence.all()
    assert (evidence.original_name, evidence.kind) == ("decret.pdf", "pdf")
    assert reverse("monitoring:evidence", args=[evidence.pk]) in client.get(url).content.decode()
    # A file that is not what its name says: named, and nothing recorded.
    fake = SimpleUploadedFile("loi.pdf", b"not a pdf at all", content_type="application/pdf")
    before = state()
    response = client.post(url, {**data(objective, step="text_adopted"), "files": [fake]})
    assert response.status_code == 200 and "loi.pdf" in unescape(response.content.decode())
    assert state() == before


def test_the_page_lists_each_objective_with_its_steps(client, plan, objective, coordinator):
    services.milestone_create(
        objective=objective, by=coordinator, step="target_met", reached_on=date(2018, 3, 1)
    )
    other = plan.objectives.get(position=2)
    client.force_login(coordinator)
    response = client.get(reverse("monitoring:milestones", args=[plan.pk]))
    objectives = response.context["objectives"]
    assert [o.pk for o in objectives] == [objective.pk, other.pk]
    assert [m.step for m in objectives[0].reached] == ["target_met"]
    assert objectives[1].reached == []
    assert "No step reached yet." in response.content.decode()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"reached_on": "tomorrow"}, "reached_on", "The date is in the future"),
        ({"reached_on": ""}, "reached_on", "This field is required"),
        ({"reached_on": "31/02/2019"}, "reached_on", "Enter a valid date"),
        ({"step": "dreamt"}, "step", "Select a valid choice"),
        ({"objective": "999999"}, "objective", "Select a valid choice"),
    ],
)
def test_bad_input_is_said_at_the_field_and_nothing_is_saved(
    client, plan, objective, coordinator, overrides, field, message
):
    if overrides.get("reached_on") == "tomorrow":
        overrides["reached_on"] = (timezone.localdate() + timedelta(days=1)).isoformat()
    before = state()
    client.force_login(coordinator)
    response = client.post(
        reverse("monitoring:milestones", args=[plan.pk]), data(objective, **overrides)
    )
    assert response.status_code == 200
    assert message in field_error(response, field)
    assert state() == before


def test_today_is_not_the_future(plan, objective, coordinator):
    today = timezone.localdate()
    milestone = services.milestone_create(
        objective=objective, by=coordinator, step="commitment", reached_on=today
    )
    assert milestone.reached_on == today


def test_an_objective_of_another_plan_cannot_be_chosen(client, plan, mali, coordinator):
    elsewhere = ObjectiveFactory(plan=plan_with_content(mali))
    before = state()
    client.force_login(coordinator)
    response = client.post(reverse("monitoring:milestones", args=[plan.pk]), data(elsewhere))
    assert response.status_code == 200 and "objective" in response.context["form"].errors
    assert state() == before


def test_the_service_says_what_is_wrong(objective, coordinator):
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.milestone_create(
            objective=objective,
            by=coordinator,
            step="nothing",
            reached_on=date(2019, 5, 2),
            today=date(2019, 5, 1),
        )
    assert set(error.value.message_dict) == {"step", "reached_on"}
    assert "after May 1, 2019" in error.value.message_dict["reached_on"][0]
    assert not Milestone.objects.exists()


@pytest.mark.parametrize("kind", ["observer", "contributor"])
def test_members_read_the_milestones_but_only_the_coordinator_records(
    client, plan, objective, make_user, mali, kind
):
    client.force_login(make_user(kind, mali))
    url = reverse("monitoring:milestones", args=[plan.pk])
    page = client.get(url)
    assert page.status_code == 200 and page.context["form"] is None
    before = state()
    assert client.post(url, data(objective)).status_code == 403
    assert state() == before


def test_another_countrys_coordinator_gets_404(client, plan, objective, make_user, senegal):
    client.force_login(make_user("coordinator", senegal))
    url = reverse("monitoring:milestones", args=[plan.pk])
    before = state()
    assert client.get(url).status_code == 404
    assert client.post(url, data(objective)).status_code == 404
    assert state() == before


def test_the_milestones_page_queries_do_not_grow(
    client, plan, objective, coordinator, django_assert_max_num_queries
):
    services.milestone_create(
        objective=objective, by=coordinator, step="target_met", reached_on=date(2018, 3, 1)
    )
    client.force_login(coordinator)
    url = reverse("monitoring:milestones", args=[plan.pk])
    client.get(url)
    with django_assert_max_num_queries(14) as few:
        assert client.get(url).status_code == 200
    expected = len(few.captured_queries)
    for n in range(5):
        more = ObjectiveFactory(plan=plan)
        for day in range(1, 4):
            services.milestone_create(
                objective=more, by=coordinator, step="other", reached_on=date(2018, n + 1, day)
            )
    with django_assert_max_num_queries(expected):
        assert client.get(url).status_code == 200
