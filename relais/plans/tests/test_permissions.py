"""The permission matrix of the plan pages: every role × every page, GET and POST.

The records are a Mali draft plan's (and, for the revision, an adopted Mali plan's). A person
who may not see Mali's work, or a partner representative whose organisation is not party to
the plan, is told the record does not exist (404); a person who may read it but whose role does
not allow the action is refused (403); a signed-out person is sent to the sign-in page. A
refused POST changes nothing.
"""

from types import SimpleNamespace

import pytest
from django.urls import reverse

from relais.countries.models import Organisation
from relais.countries.tests.factories import OrganisationFactory
from relais.plans.models import Activity, Plan
from relais.plans.tests.factories import plan_with_content, snapshot

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "coordinator_ml",
    "contributor_ml",
    "observer_ml",
    "coordinator_sn",
    "partner_funder",
    "partner_other",
    "regional",
    "admin",
]
LOGIN = "login"  # 302 to the sign-in page, nothing changed
DONE = "done"  # 302 onwards, and the change was made

R = (LOGIN, 200, 200, 200, 404, 200, 404, 200, 200)  # reading the plan
W = (LOGIN, 200, 200, 403, 404, 403, 404, 403, 200)  # opening a form on its content
P = (LOGIN, DONE, DONE, 403, 404, 403, 404, 403, DONE)  # changing its content
# fmt: off
# role (ROLES):                    anon   coord  contr  obs    coord  partn  partn  region admin
# page, method                            ML     ML     ML     SN     funder other
MATRIX = {
    # A partner representative reads the list, reduced to their organisation's plans (below).
    ("list", "GET"):              (LOGIN, 200,   200,   200,   404,   200,   200,   200,   200),
    ("create", "GET"):            (LOGIN, 200,   403,   403,   404,   404,   404,   403,   200),
    ("create", "POST"):           (LOGIN, DONE,  403,   403,   404,   404,   404,   403,   DONE),
    ("detail", "GET"):            R,
    ("edit", "GET"):              W,
    ("edit", "POST"):             P,
    ("transition", "POST"):       (LOGIN, DONE,  403,   403,   404,   403,   404,   403,   DONE),
    ("revise", "POST"):           (LOGIN, DONE,  403,   403,   404,   403,   404,   403,   DONE),
    ("copy", "GET"):              (LOGIN, 200,   403,   403,   404,   403,   404,   403,   200),
    ("copy", "POST"):             (LOGIN, DONE,  403,   403,   404,   403,   404,   403,   DONE),
    ("compare", "GET"):           R,
    ("objective_create", "GET"):  W,
    ("objective_create", "POST"): P,
    ("objective_edit", "GET"):    W,
    ("objective_edit", "POST"):   P,
    ("objective_delete", "POST"): P,
    ("objective_move", "POST"):   P,
    ("activity_row", "GET"):      R,
    ("activity_create", "GET"):   W,
    ("activity_create", "POST"):  P,
    ("activity_edit", "GET"):     W,
    ("activity_edit", "POST"):    P,
    ("activity_delete", "POST"):  P,
    ("activity_move", "POST"):    P,
    ("result_create", "GET"):     W,
    ("result_create", "POST"):    P,
    ("result_edit", "GET"):       W,
    ("result_edit", "POST"):      P,
    ("indicator_create", "GET"):  W,
    ("indicator_create", "POST"): P,
    ("indicator_edit", "GET"):    W,
    ("indicator_edit", "POST"):   P,
    ("history_plan", "GET"):      (LOGIN, 200,   403,   403,   404,   403,   404,   403,   200),
    ("history_activity", "GET"):  (LOGIN, 200,   403,   403,   404,   403,   404,   403,   200),
    # Only POST: a GET is refused whoever asks (after the sign-in check).
    ("transition", "GET"):        (LOGIN, 405,   405,   405,   405,   405,   405,   405,   405),
    ("activity_delete", "GET"):   (LOGIN, 405,   405,   405,   405,   405,   405,   405,   405),
}
# fmt: on


def _records(w):
    objective = w.plan.objectives.get(position=1)
    return SimpleNamespace(
        objective=objective,
        activity=objective.activities.get(position=1),
        result=objective.results.get(),
        indicator=objective.indicators.get(),
    )


URLS = {
    "list": lambda w, r: reverse("plans:list", args=["ML"]),
    "create": lambda w, r: reverse("plans:create", args=["ML"]),
    "detail": lambda w, r: reverse("plans:detail", args=[w.plan.pk]),
    "edit": lambda w, r: reverse("plans:edit", args=[w.plan.pk]),
    "transition": lambda w, r: reverse("plans:transition", args=[w.plan.pk]),
    "revise": lambda w, r: reverse("plans:revise", args=[w.adopted.pk]),
    "copy": lambda w, r: reverse("plans:copy", args=[w.plan.pk]),
    "compare": lambda w, r: reverse("plans:diff", args=[w.plan.pk]),
    "objective_create": lambda w, r: reverse("plans:objective_create", args=[w.plan.pk]),
    "objective_edit": lambda w, r: reverse("plans:objective_edit", args=[r.objective.pk]),
    "objective_delete": lambda w, r: reverse("plans:objective_delete", args=[r.objective.pk]),
    "objective_move": lambda w, r: reverse("plans:objective_move", args=[r.objective.pk]),
    "activity_row": lambda w, r: reverse("plans:activity_row", args=[r.activity.pk]),
    "activity_create": lambda w, r: reverse("plans:activity_create", args=[r.objective.pk]),
    "activity_edit": lambda w, r: reverse("plans:activity_edit", args=[r.activity.pk]),
    "activity_delete": lambda w, r: reverse("plans:activity_delete", args=[r.activity.pk]),
    "activity_move": lambda w, r: reverse("plans:activity_move", args=[r.activity.pk]),
    "result_create": lambda w, r: reverse("plans:result_create", args=[r.objective.pk]),
    "result_edit": lambda w, r: reverse("plans:result_edit", args=[r.result.pk]),
    "indicator_create": lambda w, r: reverse("plans:indicator_create", args=[r.objective.pk]),
    "indicator_edit": lambda w, r: reverse("plans:indicator_edit", args=[r.indicator.pk]),
    "history_plan": lambda w, r: reverse("history", args=["plans", "plan", w.plan.pk]),
    "history_activity": lambda w, r: reverse("history", args=["plans", "activity", r.activity.pk]),
}

PLAN_FORM = {
    "title": "Plan d'action de plaidoyer 2020-2021",
    "period_start": "2018-01-01",
    "period_end": "2019-12-31",
    "currency": "XOF",
    "language": "fr",
}
# What each POST sends: what a person allowed to act would type.
POSTS = {
    "create": lambda r: {**PLAN_FORM, "period_start": "2020-01-01", "period_end": "2021-12-31"},
    "edit": lambda r: PLAN_FORM,
    "transition": lambda r: {"action": "submit"},
    "revise": lambda r: {},
    "copy": lambda r: {
        "title": "Plan d'action de plaidoyer 2020-2021",
        "period_start": "2020-01-01",
        "period_end": "2021-12-31",
    },
    "objective_create": lambda r: {"statement": "Créer une agence de lutte contre la traite"},
    "objective_edit": lambda r: {
        "statement": "Renforcer le cadre juridique d'ici 2019",
        "revision": r.objective.revision,
    },
    "objective_delete": lambda r: {},
    "objective_move": lambda r: {"direction": "down"},
    "activity_create": lambda r: {
        "title": "Campagne radio",
        "months": ["2018-05"],
        "unit_cost": "2 000 000",
        "quantity": "1",
    },
    "activity_edit": lambda r: {
        "title": "Atelier de validation",
        "months": ["2018-03"],
        "unit_cost": "3 000 000",
        "quantity": "1",
        "revision": r.activity.revision,
    },
    "activity_delete": lambda r: {},
    "activity_move": lambda r: {"direction": "down"},
    "result_create": lambda r: {"statement": "La loi est adoptée."},
    "result_edit": lambda r: {"statement": "La loi est promulguée."},
    "indicator_create": lambda r: {"name": "Nombre de textes adoptés", "frequency": "yearly"},
    "indicator_edit": lambda r: {"name": "Nombre de décrets", "frequency": "yearly"},
}

CASES = [
    pytest.param(view, method, role, expected, id=f"{view}-{method}-{role}-{expected}")
    for (view, method), row in MATRIX.items()
    for role, expected in zip(ROLES, row, strict=True)
]


@pytest.fixture
def world(make_user, mali, senegal):
    icmpd = OrganisationFactory(
        name="International Centre for Migration Policy Development",
        acronym="ICMPD",
        kind=Organisation.Kind.PARTNER,
        country=None,
    )
    unrelated = OrganisationFactory(
        name="Fondation sans lien", kind=Organisation.Kind.PARTNER, country=None
    )
    users = {
        "anonymous": None,
        "coordinator_ml": make_user("coordinator", mali),
        "contributor_ml": make_user("contributor", mali),
        "observer_ml": make_user("observer", mali),
        "coordinator_sn": make_user("coordinator", senegal),
        "partner_funder": make_user("partner", icmpd),
        "partner_other": make_user("partner", unrelated),
        "regional": make_user("regional"),
        "admin": make_user("admin"),
    }
    # ICMPD is a planned funding source of both plans, nothing else.
    plan = plan_with_content(mali, funder=icmpd, title="Plan d'action de plaidoyer 2018-2019")
    adopted = plan_with_content(
        mali, funder=icmpd, status=Plan.Status.ADOPTED, title="Plan d'action 2016-2017"
    )
    return SimpleNamespace(mali=mali, users=users, plan=plan, adopted=adopted, icmpd=icmpd)


@pytest.mark.parametrize(("view", "method", "role", "expected"), CASES)
def test_permission_matrix(client, world, view, method, role, expected):
    user = world.users[role]
    if user is not None:
        client.force_login(user)
    records = _records(world)
    url = URLS[view](world, records)
    before = snapshot()

    if method == "GET":
        response = client.get(url)
    else:
        response = client.post(url, POSTS.get(view, lambda r: {})(records))

    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login") + "?next=")
    elif expected == DONE:
        assert response.status_code == 302, response.context and response.context.get("form")
        assert not response["Location"].startswith(reverse("account_login"))
    else:
        assert response.status_code == expected

    after = snapshot()
    if expected == DONE:
        assert after != before
    else:
        # Reading, refusing or sending to the sign-in page changes nothing.
        assert after == before


def test_matrix_covers_every_page_of_plan_content():
    """A page added to the plans' URLs without a row here fails, unless another file owns it."""
    from relais.plans import urls

    owned_elsewhere = {
        # workbooks, exports, chronogram and the regional pages have their own tests
        "import_upload",
        "import_review",
        "import_confirm",
        "template",
        "export",
        "chronogram",
        "print",
        "strategy",
        "rates",
        "rollup",
    }
    names = {p.name for p in urls.urlpatterns} - owned_elsewhere
    covered = {view for view, _method in MATRIX} - {"history_plan", "history_activity"}
    assert {"diff" if n == "compare" else n for n in covered} == names


def test_a_partner_sees_the_plan_they_fund_and_not_the_others(client, world, make_user):
    client.force_login(world.users["partner_funder"])
    response = client.get(world.plan.get_absolute_url())
    assert response.status_code == 200
    assert response.context["can_edit"] is False
    assert response.context["can_move"] is False
    other = plan_with_content(world.mali)
    assert client.get(other.get_absolute_url()).status_code == 404
    # Once the funding is gone, so is the partner's view of the plan.
    Activity.objects.filter(objective__plan=world.plan).update(responsible=None)
    world.plan.objectives.get(position=1).activities.get(position=1).funding_sources.filter(
        organisation=world.icmpd
    ).delete()
    assert client.get(world.plan.get_absolute_url()).status_code == 404


def listed(response):
    return [plan.pk for plan in response.context["plans"]]


def test_a_partner_lists_the_plans_of_a_country_their_organisation_is_party_to(
    client, world, make_user, senegal
):
    responsible = OrganisationFactory(kind=Organisation.Kind.INGO, country=None)
    partner_of = OrganisationFactory(kind=Organisation.Kind.INGO, country=None)
    unrelated = plan_with_content(world.mali, title="Plan sans ICMPD")
    third = plan_with_content(world.mali, title="Plan d'une ONG")
    Activity.objects.filter(objective__plan=third, position=2).update(responsible=responsible)
    Activity.objects.filter(objective__plan=third).first().partners.add(partner_of)
    senegal_plan = plan_with_content(senegal, funder=world.icmpd)
    url = reverse("plans:list", args=["ML"])

    client.force_login(world.users["partner_funder"])
    response = client.get(url)
    assert response.status_code == 200
    # The two plans ICMPD funds, not the others of Mali, nor Senegal's.
    assert sorted(listed(response)) == sorted([world.plan.pk, world.adopted.pk])
    html = response.content.decode()
    assert world.plan.get_absolute_url() in html
    assert unrelated.get_absolute_url() not in html
    assert reverse("plans:create", args=["ML"]) not in html
    assert client.get(world.plan.get_absolute_url()).status_code == 200
    assert client.get(unrelated.get_absolute_url()).status_code == 404
    assert listed(client.get(reverse("plans:list", args=["SN"]))) == [senegal_plan.pk]

    # The responsible structure of an activity, and a partner of one, read that plan.
    for organisation in (responsible, partner_of):
        client.force_login(make_user("partner", organisation))
        assert listed(client.get(url)) == [third.pk]
        assert client.get(third.get_absolute_url()).status_code == 200
        assert client.get(world.plan.get_absolute_url()).status_code == 404


def test_a_partner_party_to_nothing_sees_an_empty_list_that_says_why(client, world):
    client.force_login(world.users["partner_other"])
    response = client.get(reverse("plans:list", args=["ML"]))
    assert response.status_code == 200
    assert listed(response) == []
    assert world.plan.get_absolute_url() not in response.content.decode()
    assert "Aucun plan de ce pays ne concerne votre organisation." in response.content.decode()


def test_the_country_page_leads_a_partner_to_the_plans_and_not_to_the_members(client, world):
    client.force_login(world.users["partner_funder"])
    html = client.get(reverse("countries:detail", args=["ML"])).content.decode()
    assert reverse("plans:list", args=["ML"]) in html
    assert reverse("countries:members", args=["ML"]) not in html


def test_a_partner_compares_only_the_versions_they_may_read(client, world, make_user):
    from relais.plans import services
    from relais.plans.models import FundingSource

    first = plan_with_content(world.mali, status=Plan.Status.ADOPTED, title="Sans partenaire")
    second = services.plan_revise(plan=first, by=world.users["coordinator_ml"])
    FundingSource.objects.create(
        activity=Activity.objects.filter(objective__plan=second).first(),
        organisation=world.icmpd,
        amount=1000,
    )
    client.force_login(world.users["partner_funder"])
    url = reverse("plans:diff", args=[second.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert [v.pk for v in response.context["versions"]] == [second.pk]
    assert response.context["other"] is None
    assert client.get(url, {"against": first.pk}).status_code == 404
    assert client.get(reverse("plans:diff", args=[first.pk])).status_code == 404
    # The country's coordinator compares the two.
    client.force_login(world.users["coordinator_ml"])
    response = client.get(url)
    assert [v.pk for v in response.context["versions"]] == [first.pk, second.pk]
    assert response.context["other"].pk == first.pk


def test_a_partner_of_an_activity_reads_the_plan(client, world, make_user):
    ngo = OrganisationFactory(kind=Organisation.Kind.INGO, country=None)
    activity = world.plan.objectives.get(position=1).activities.get(position=2)
    activity.partners.add(ngo)
    client.force_login(make_user("partner", ngo))
    assert client.get(world.plan.get_absolute_url()).status_code == 200
    response = client.post(
        reverse("plans:activity_delete", args=[activity.pk]),
    )
    assert response.status_code == 403
    assert Activity.objects.filter(pk=activity.pk).exists()


def test_a_contributor_edits_a_draft_but_cannot_adopt(client, world):
    contributor = world.users["contributor_ml"]
    client.force_login(contributor)
    records = _records(world)
    response = client.post(
        reverse("plans:activity_edit", args=[records.activity.pk]), POSTS["activity_edit"](records)
    )
    assert response.status_code == 302
    records.activity.refresh_from_db()
    assert records.activity.unit_cost == 3000000

    world.plan.status = Plan.Status.VALIDATED
    world.plan.save()
    before = snapshot()
    response = client.post(reverse("plans:transition", args=[world.plan.pk]), {"action": "adopt"})
    assert response.status_code == 403
    assert snapshot() == before
    world.plan.refresh_from_db()
    assert world.plan.status == Plan.Status.VALIDATED


def test_a_coordinator_adopts_a_validated_plan(client, world):
    client.force_login(world.users["coordinator_ml"])
    world.plan.status = Plan.Status.VALIDATED
    world.plan.save()
    response = client.post(reverse("plans:transition", args=[world.plan.pk]), {"action": "adopt"})
    assert response.status_code == 302
    world.plan.refresh_from_db()
    assert world.plan.status == Plan.Status.ADOPTED


def test_an_observer_cannot_edit(client, world):
    client.force_login(world.users["observer_ml"])
    records = _records(world)
    before = snapshot()
    for view in ("activity_edit", "objective_edit", "result_edit"):
        response = client.post(URLS[view](world, records), POSTS[view](records))
        assert response.status_code == 403
    assert snapshot() == before
    page = client.get(world.plan.get_absolute_url())
    assert page.context["can_edit"] is False
    assert reverse("plans:activity_edit", args=[records.activity.pk]) not in page.content.decode()


def test_a_signed_out_htmx_request_is_sent_to_sign_in_as_a_whole_page(client, world):
    records = _records(world)
    response = client.post(
        reverse("plans:activity_edit", args=[records.activity.pk]),
        POSTS["activity_edit"](records),
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 204
    assert response["HX-Redirect"].startswith(reverse("account_login"))
