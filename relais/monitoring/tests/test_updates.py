"""Updates on an activity: who may post them, what is refused and said at the field, the
evidence attached, the history kept, and the page's cost."""

import io
import re
from datetime import date, timedelta
from html import unescape

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from PIL import Image

from relais.monitoring import updates
from relais.monitoring.models import ActivityUpdate, Evidence
from relais.plans.models import Plan
from relais.plans.tests.factories import plan_with_content

pytestmark = pytest.mark.django_db


def french(msgid):
    with translation.override("fr"):
        return gettext(msgid)


def field_error(response, name):
    """The text of the error shown at the field `name` (the element its input points to)."""
    html = response.content.decode()
    error_id = f"id_{name}_error"
    tags = re.findall(rf'<(?:input|select|textarea)[^>]*name="{name}"[^>]*>', html)
    assert tags and all(error_id in t for t in tags), (name, tags)
    block = re.search(rf'<div id="{error_id}"[^>]*>(.*?)</div>', html, re.S)
    assert block, f"no element {error_id!r} for the field {name!r}"
    return unescape(block.group(1))


def page_errors(response):
    block = re.search(r'<div class="errors" role="alert">(.*?)</div>', response.content.decode())
    return unescape(block.group(1)) if block else ""


def state():
    """What a refused or failed request must leave as it was."""
    return {
        "updates": list(
            ActivityUpdate.objects.order_by("pk").values_list(
                "pk", "activity_id", "status", "percent_done", "on", "narrative", "by_id"
            )
        ),
        "evidence": list(Evidence.objects.order_by("pk").values_list("pk", "file", "thumbnail")),
        "history": ActivityUpdate.history.count() + Evidence.history.count(),
    }


def photo(name="atelier.jpg", size=(800, 600)):
    image = Image.linear_gradient("L").resize(size).convert("RGB")
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def pdf(name="liste-de-presence.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def plan(mali):
    return plan_with_content(mali, status=Plan.Status.ADOPTED)


@pytest.fixture
def activity(plan):
    return plan.objectives.get(position=1).activities.get(position=1)


@pytest.fixture
def contributor(make_user, mali, activity):
    user = make_user("contributor", mali, full_name="Awa Traoré")
    activity.assignees.add(user)
    return user


@pytest.fixture
def coordinator(make_user, mali):
    return make_user("coordinator", mali, full_name="Moussa Keïta")


def url(activity):
    return reverse("monitoring:activity", args=[activity.pk])


def data(**overrides):
    values = {
        "status": "ongoing",
        "percent_done": "40",
        "on": "2019-03-15",
        "narrative": "Deux ateliers sur trois tenus à Kayes.",
    }
    values.update(overrides)
    return values


# Posting --------------------------------------------------------------------------------------


def test_an_assigned_contributor_posts_an_update_with_evidence(client, contributor, activity):
    client.force_login(contributor)
    page = client.get(url(activity))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="post-update"' in html
    assert 'enctype="multipart/form-data"' in html
    assert re.search(r'<input[^>]*type="file"[^>]*multiple', html)
    assert 'accept="image/*,application/pdf' in html
    assert "capture" not in html

    response = client.post(url(activity), {**data(), "files": [photo(), pdf()]})
    update = ActivityUpdate.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{url(activity)}#update-{update.pk}"
    assert (update.status, update.percent_done, update.on, update.by) == (
        "ongoing",
        40,
        date(2019, 3, 15),
        contributor,
    )
    assert update.narrative == "Deux ateliers sur trois tenus à Kayes."
    image, document = update.evidence.order_by("pk")
    assert (image.original_name, image.kind, image.by) == ("atelier.jpg", "jpeg", contributor)
    assert image.size == image.file.size
    assert image.thumbnail and image.thumbnail.size < 20_000
    assert (document.original_name, document.kind) == ("liste-de-presence.pdf", "pdf")
    assert not document.thumbnail
    # Stored under a name of our own, not the one the phone gave.
    assert "atelier" not in image.file.name

    html = client.get(response["Location"]).content.decode()
    assert f'id="update-{update.pk}"' in html
    assert reverse("monitoring:evidence_thumbnail", args=[image.pk]) in html
    assert reverse("monitoring:evidence", args=[document.pk]) in html
    assert "liste-de-presence.pdf" in html
    assert "Deux ateliers sur trois tenus à Kayes." in html


def test_the_coordinator_posts_an_update_on_any_activity(client, coordinator, plan):
    other = plan.objectives.get(position=2).activities.get()
    client.force_login(coordinator)
    response = client.post(url(other), data(status="done", percent_done="100", narrative=""))
    assert response.status_code == 302
    assert other.updates.get().status == "done"


def test_the_page_shows_the_activity_and_its_updates_newest_first(
    client, contributor, coordinator, activity, plan
):
    for on, status, percent in [
        (date(2018, 4, 2), "ongoing", 10),
        (date(2019, 1, 10), "ongoing", 60),
        (date(2018, 9, 1), "postponed", 30),
    ]:
        updates.update_create(
            activity=activity, by=contributor, status=status, percent_done=percent, on=on
        )
    client.force_login(coordinator)
    with translation.override("en"):
        coordinator.language = "en"
        coordinator.save()
        response = client.get(url(activity))
    assert [u.percent_done for u in response.context["updates"]] == [60, 30, 10]
    assert response.context["latest"].percent_done == 60
    html = unescape(response.content.decode())
    assert activity.title in html
    assert activity.objective.statement in html
    assert plan.title in html
    assert "Awa Traoré" in html  # assigned, and who posted
    assert response.context["months"] == ["Mar 2018", "Nov 2019"]
    assert '<progress max="100" value="60"' in html
    # The next update starts from where the last one left the activity.
    assert response.context["form"].initial == {"status": "ongoing", "percent_done": 60}
    assert "60% done" in html


# Who may -------------------------------------------------------------------------------------


def test_a_contributor_not_assigned_is_refused(client, make_user, mali, activity):
    stranger = make_user("contributor", mali)
    client.force_login(stranger)
    page = client.get(url(activity))
    assert page.status_code == 200  # reads the plan's monitoring
    assert 'id="post-update"' not in page.content.decode()
    before = state()
    response = client.post(url(activity), {**data(), "files": [photo()]})
    assert response.status_code == 403
    assert state() == before


def test_an_observer_reads_but_may_not_post(client, make_user, mali, activity):
    client.force_login(make_user("observer", mali))
    assert client.get(url(activity)).status_code == 200
    before = state()
    assert client.post(url(activity), data()).status_code == 403
    assert state() == before


def test_another_country_is_told_nothing_exists(client, make_user, senegal, contributor, activity):
    update = updates.update_create(
        activity=activity,
        by=contributor,
        status="ongoing",
        percent_done=20,
        on=date(2018, 5, 1),
        files=[photo()],
    )
    evidence = update.evidence.get()
    client.force_login(make_user("coordinator", senegal))
    before = state()
    assert client.get(url(activity)).status_code == 404
    assert client.post(url(activity), data()).status_code == 404
    assert client.get(reverse("monitoring:evidence", args=[evidence.pk])).status_code == 404
    thumbnail = reverse("monitoring:evidence_thumbnail", args=[evidence.pk])
    assert client.get(thumbnail).status_code == 404
    assert state() == before


def test_a_regional_coordinator_reads_but_may_not_post(client, make_user, activity):
    client.force_login(make_user("regional"))
    assert client.get(url(activity)).status_code == 200
    assert client.post(url(activity), data()).status_code == 403


# Bad input -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"percent_done": "140"},
            "percent_done",
            "The percentage done is a number between 0 and 100.",
        ),
        (
            {"percent_done": "-5"},
            "percent_done",
            "The percentage done is a number between 0 and 100.",
        ),
        (
            {"status": "done", "percent_done": "80"},
            "percent_done",
            "An activity marked done is done in full: enter 100, or choose another status.",
        ),
        (
            {"status": "not_started", "percent_done": "10"},
            "percent_done",
            "An activity not started has nothing done yet: enter 0, or choose another status.",
        ),
        (
            {"status": "finished"},
            "status",
            "Select a valid choice. %(value)s is not one of the available choices.",
        ),
        ({"on": ""}, "on", "Enter the date of the update."),
    ],
)
def test_bad_input_is_said_at_the_field(client, contributor, activity, overrides, field, message):
    client.force_login(contributor)
    before = state()
    response = client.post(url(activity), {**data(**overrides), "files": [photo()]})
    assert response.status_code == 200
    assert french(message).split(" %")[0] in field_error(response, field)
    assert state() == before


def test_a_future_date_is_refused(client, contributor, activity):
    client.force_login(contributor)
    before = state()
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client.post(url(activity), data(on=tomorrow.isoformat()))
    assert response.status_code == 200
    future = french(
        "%(date)s is in the future: an update says what has already happened (today is %(today)s)."
    )
    assert future.split("%(date)s")[1].split("%(today)s")[0] in field_error(response, "on")
    assert state() == before


def test_a_date_before_the_plan_is_refused(client, contributor, activity):
    client.force_login(contributor)
    before = state()
    response = client.post(url(activity), data(on="2017-12-31"))
    assert response.status_code == 200
    with translation.override("fr"):
        message = gettext("The plan starts on %(start)s: an update cannot come before.")
    assert message.split(":")[-1].strip() in field_error(response, "on")
    assert state() == before


def test_a_file_that_is_not_what_its_name_says_is_refused_by_name(
    client, contributor, activity, media
):
    client.force_login(contributor)
    before = state()
    fake = SimpleUploadedFile("photo-atelier.jpg", b"Ceci n'est pas une photo.\n" * 20)
    response = client.post(url(activity), {**data(), "files": [photo(), fake]})
    assert response.status_code == 200
    error = field_error(response, "files")
    assert "photo-atelier.jpg" in error
    assert state() == before
    assert not any(path.is_file() for path in media.rglob("*"))  # no file left behind


def test_too_many_files_are_refused(client, contributor, activity):
    client.force_login(contributor)
    before = state()
    files = [photo(f"photo-{n}.jpg", size=(40, 30)) for n in range(6)]
    response = client.post(url(activity), {**data(), "files": files})
    assert response.status_code == 200
    assert field_error(response, "files")
    assert state() == before


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (
            Plan.Status.DRAFT,
            "Updates are posted once the plan is adopted; this plan is still at the “%(status)s” "
            "stage.",
        ),
        (
            Plan.Status.VALIDATED,
            "Updates are posted once the plan is adopted; this plan is still at the “%(status)s” "
            "stage.",
        ),
        (
            Plan.Status.CLOSED,
            "This plan is closed: its monitoring is kept as it was and takes no new update.",
        ),
        (
            Plan.Status.SUPERSEDED,
            "This plan has been replaced by a revision: post updates on its current version.",
        ),
    ],
)
def test_updates_go_on_adopted_plans_only(client, contributor, activity, plan, status, message):
    Plan.objects.filter(pk=plan.pk).update(status=status)
    client.force_login(contributor)
    expected = french(message).split("%(status)s")[0].split(":")[0]
    page = client.get(url(activity))
    assert 'id="post-update"' not in page.content.decode()
    assert expected in unescape(page.content.decode())
    before = state()
    response = client.post(url(activity), {**data(), "files": [photo()]})
    assert response.status_code == 200
    assert expected in page_errors(response)
    assert state() == before


def test_the_service_checks_what_the_form_checks(contributor, activity):
    before = state()
    with pytest.raises(ValidationError) as refused:
        updates.update_create(
            activity=activity, by=contributor, status="ongoing", percent_done=101, on=None
        )
    assert set(refused.value.message_dict) == {"percent_done", "on"}
    assert state() == before


# History -------------------------------------------------------------------------------------


def test_who_posted_and_when_is_kept(client, contributor, activity):
    client.force_login(contributor)
    started = timezone.now()
    client.post(url(activity), {**data(), "files": [photo()]})
    update = ActivityUpdate.objects.get()
    record = update.history.get()
    assert (record.history_type, record.history_user) == ("+", contributor)
    assert record.history_date >= started
    assert update.at >= started
    evidence = update.evidence.get().history.get()
    assert (evidence.history_type, evidence.history_user) == ("+", contributor)


def test_the_service_records_its_author_outside_a_request(contributor, activity):
    update = updates.update_create(
        activity=activity,
        by=contributor,
        status="ongoing",
        percent_done=5,
        on=date(2018, 3, 1),
        files=[photo()],
    )
    assert update.history.get().history_user == contributor
    assert update.evidence.get().history.get().history_user == contributor


# Cost ----------------------------------------------------------------------------------------


def _updates_with_evidence(activity, by, count):
    for number in range(count):
        updates.update_create(
            activity=activity,
            by=by,
            status="ongoing",
            percent_done=number % 100,
            on=date(2018, 2, 1) + timedelta(days=number),
            files=[photo(size=(40, 30)), pdf()],
        )


def test_the_page_reads_the_database_a_fixed_number_of_times(
    client, contributor, activity, django_assert_max_num_queries
):
    client.force_login(contributor)
    _updates_with_evidence(activity, contributor, 3)
    client.get(url(activity))  # the session's first read
    # session, user, activity, assignees, roles, assignments, two versions, updates, evidence
    with django_assert_max_num_queries(10) as few:
        assert client.get(url(activity)).status_code == 200
    _updates_with_evidence(activity, contributor, 27)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url(activity))
    assert len(response.context["updates"]) == 30


def test_an_unchanged_page_is_not_sent_again(client, contributor, activity):
    client.force_login(contributor)
    client.get(url(activity))  # the CSRF cookie the page's form needs, set once
    etag = client.get(url(activity))["ETag"]
    assert client.get(url(activity), headers={"if-none-match": etag}).status_code == 304
    updates.update_create(
        activity=activity, by=contributor, status="ongoing", percent_done=5, on=date(2018, 3, 1)
    )
    assert client.get(url(activity), headers={"if-none-match": etag}).status_code == 200
