"""The funding pages as each role meets them: what they show, who may record, who is refused
(403 in one's own country, 404 elsewhere) and that a refusal changes nothing."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from relais.funding import services
from relais.funding.models import Contribution, Disbursement
from relais.plans.tests.factories import ActivityFactory, ObjectiveFactory

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def pledges(plan, tree, coordinator, icmpd, eu):
    first, second, a, b, c = tree
    mine = services.contribution_create(
        plan=plan,
        by=coordinator,
        partner=icmpd,
        currency="XOF",
        amount=D(1_000_000),
        activities=[(a, D(1_000_000))],
    )
    theirs = services.contribution_create(
        plan=plan, by=coordinator, partner=eu, currency="EUR", amount=D(5000)
    )
    return mine, theirs


def english(client, url, **kwargs):
    with translation.override("en"):
        return client.get(url, HTTP_ACCEPT_LANGUAGE="en", **kwargs)


def test_the_funding_page_shows_totals_lines_and_partners(client, plan, pledges, coordinator):
    client.force_login(coordinator)
    response = client.get(reverse("funding:plan", args=[plan.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    picture = response.context["picture"]
    assert picture.total.announced == D(1_000_000) + D(3_279_785)  # 5 000 EUR at the peg
    assert "ICMPD" in html and "UE" in html
    assert 'id="funding-totals"' in html and '<svg class="gauge' in html


def test_the_plan_page_links_to_its_funding(client, plan, coordinator):
    client.force_login(coordinator)
    html = client.get(plan.get_absolute_url()).content.decode()
    assert reverse("funding:plan", args=[plan.pk]) in html


def test_a_coordinator_records_a_pledge_to_activities_through_the_form(
    client, plan, tree, coordinator, icmpd
):
    first, second, a, b, c = tree
    client.force_login(coordinator)
    url = reverse("funding:contribution_create", args=[plan.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "partner": icmpd.pk,
            "kind": "financial",
            "amount": "1 500 000",
            "currency": "XOF",
            "announced_on": "2018-05-02",
            "target": "activities",
            "activity_0": f"{a.code} {a.title}",  # as the list fills it in
            "share_0": "1 000 000",
            "activity_1": c.code,  # as typed
            "share_1": "500 000",
        },
    )
    contribution = Contribution.objects.get()
    assert response.status_code == 302 and response["Location"] == contribution.get_absolute_url()
    assert sorted(t.share for t in contribution.targets.all()) == [D(500_000), D(1_000_000)]
    detail = client.get(response["Location"])
    assert detail.status_code == 200


def test_bad_input_in_the_form_is_said_at_the_field_and_nothing_saved(
    client, plan, tree, coordinator, icmpd
):
    client.force_login(coordinator)
    url = reverse("funding:contribution_create", args=[plan.pk])
    data = {
        "partner": icmpd.pk,
        "kind": "financial",
        "amount": "-5",
        "currency": "XOF",
        "announced_on": "2018-05-02",
        "target": "plan",
    }
    with translation.override("fr"):
        response = client.post(url, data, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 200
    assert Contribution.objects.count() == 0
    assert response.context["form"].errors["amount"]
    data.update(amount="1000", target="objective")
    response = client.post(url, data)
    assert "objective" in response.context["form"].errors
    assert Contribution.objects.count() == 0


@pytest.mark.parametrize("kind", ["observer", "contributor"])
def test_who_reads_but_may_not_record_gets_403_and_nothing_changes(
    client, plan, pledges, make_user, mali, kind
):
    mine, _theirs = pledges
    client.force_login(make_user(kind, mali))
    assert client.get(reverse("funding:plan", args=[plan.pk])).status_code == 200
    before = (Contribution.objects.count(), Disbursement.objects.count(), mine.revision)
    posts = [
        reverse("funding:contribution_create", args=[plan.pk]),
        reverse("funding:contribution_edit", args=[mine.pk]),
        reverse("funding:contribution_confirm", args=[mine.pk]),
        reverse("funding:contribution_withdraw", args=[mine.pk]),
        reverse("funding:disbursement_create", args=[mine.pk]),
    ]
    for url in posts:
        response = client.post(url, {"amount": "1", "reason": "x", "currency": "XOF"})
        assert response.status_code == 403, url
    mine.refresh_from_db()
    assert (Contribution.objects.count(), Disbursement.objects.count(), mine.revision) == before


def test_another_countrys_coordinator_gets_404_everywhere(
    client, plan, pledges, make_user, senegal
):
    mine, _theirs = pledges
    client.force_login(make_user("coordinator", senegal))
    for url in [
        reverse("funding:plan", args=[plan.pk]),
        reverse("funding:contributions", args=[plan.pk]),
        reverse("funding:contribution_create", args=[plan.pk]),
        reverse("funding:contribution", args=[mine.pk]),
        reverse("funding:contribution_edit", args=[mine.pk]),
    ]:
        assert client.get(url).status_code == 404, url
    response = client.post(
        reverse("funding:contribution_withdraw", args=[mine.pk]), {"reason": "x"}
    )
    assert response.status_code == 404
    assert Contribution.objects.get(pk=mine.pk).status == "announced"


def test_a_partner_sees_its_own_contributions_and_nothing_of_the_others(
    client, plan, pledges, make_user, icmpd
):
    mine, theirs = pledges
    client.force_login(make_user("partner", icmpd))
    response = client.get(reverse("funding:plan", args=[plan.pk]))
    assert response.status_code == 200
    assert response.context["picture"].total.announced == D(1_000_000)
    assert response.context["picture"].total.budget == D(6_000_000)
    listing = client.get(reverse("funding:contributions", args=[plan.pk])).content.decode()
    assert mine.get_absolute_url() in listing and theirs.get_absolute_url() not in listing
    assert client.get(mine.get_absolute_url()).status_code == 200
    assert client.get(theirs.get_absolute_url()).status_code == 404
    assert client.get(reverse("funding:contribution_edit", args=[mine.pk])).status_code == 403
    assert client.get(reverse("funding:round_tables", args=[plan.pk])).status_code == 404


def test_a_partner_with_a_contribution_is_party_to_the_plan(
    client, plan, make_user, eu, coordinator
):
    partner = make_user("partner", eu)
    client.force_login(partner)
    assert client.get(plan.get_absolute_url()).status_code == 404
    services.contribution_create(
        plan=plan, by=coordinator, partner=eu, currency="EUR", amount=D(1000)
    )
    assert client.get(plan.get_absolute_url()).status_code == 200


def test_the_regional_coordinator_reads_but_does_not_record(client, plan, pledges, make_user):
    mine, _theirs = pledges
    client.force_login(make_user("regional"))
    assert client.get(reverse("funding:plan", args=[plan.pk])).status_code == 200
    assert client.get(mine.get_absolute_url()).status_code == 200
    url = reverse("funding:contribution_create", args=[plan.pk])
    assert client.post(url, {}).status_code == 403


def test_confirm_disburse_and_the_ceiling_through_the_pages(client, plan, pledges, coordinator):
    mine, _theirs = pledges
    client.force_login(coordinator)
    response = client.post(
        reverse("funding:contribution_confirm", args=[mine.pk]),
        {"confirmed_amount": "1 000 000", "signed_on": "2018-06-01", "revision": mine.revision},
    )
    assert response.status_code == 302
    url = reverse("funding:disbursement_create", args=[mine.pk])
    response = client.post(url, {"paid_on": "2018-07-01", "amount": "1 200 000"})
    assert response.status_code == 200 and Disbursement.objects.count() == 0
    assert response.context["form"].errors["amount"]
    response = client.post(
        url, {"paid_on": "2018-07-01", "amount": "1 200 000", "override_reason": "Avenant"}
    )
    assert response.status_code == 302 and Disbursement.objects.get().amount == D(1_200_000)


@pytest.mark.parametrize("name", ["funding:plan", "funding:contributions"])
def test_queries_do_not_grow_with_activities_and_contributions(
    client, plan, tree, coordinator, icmpd, eu, django_assert_max_num_queries, name
):
    client.force_login(coordinator)
    url = reverse(name, args=[plan.pk])
    client.get(url)
    with django_assert_max_num_queries(14) as few:
        assert client.get(url).status_code == 200
    objective = ObjectiveFactory(plan=plan)
    activities = [ActivityFactory(objective=objective) for _ in range(20)]
    for index, activity in enumerate(activities):
        contribution = services.contribution_create(
            plan=plan,
            by=coordinator,
            partner=icmpd if index % 2 else eu,
            currency="XOF" if index % 3 else "EUR",
            amount=D(1000),
            activities=[(activity, D(1000))],
        )
        if index % 4 == 0:
            services.contribution_confirm(
                contribution=contribution,
                by=coordinator,
                amount=D(1000),
                signed_on=date(2018, 3, 1),
            )
            services.disbursement_create(
                contribution=contribution, by=coordinator, paid_on=date(2018, 4, 1), amount=D(500)
            )
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


def test_a_long_plan_leaves_later_objectives_to_load_as_they_scroll(
    client, plan, tree, coordinator, monkeypatch
):
    monkeypatch.setattr("relais.plans.views.plans.ROWS_IN_PAGE", 2)
    first, second, a, b, c = tree
    client.force_login(coordinator)
    url = reverse("funding:plan", args=[plan.pk])
    html = client.get(url).content.decode()
    table = html[html.index('<table class="funding"') : html.index("</table>")]
    assert a.title in table and c.title not in table
    assert f'hx-get="?objective={second.pk}" hx-trigger="revealed"' in html
    assert f'href="?objective={second.pk}#funding-{second.pk}"' in html
    fragment = client.get(url, {"objective": second.pk}, HTTP_HX_REQUEST="true").content.decode()
    assert fragment.lstrip().startswith(f'<tbody id="funding-{second.pk}">')
    assert c.title in fragment and "<html" not in fragment
    assert c.title in client.get(url, {"objective": second.pk}).content.decode()  # without JS


@pytest.mark.parametrize("name", ["funding:plan", "funding:contributions"])
def test_an_unchanged_page_answers_304_and_a_change_makes_it_new(
    client, plan, pledges, coordinator, name
):
    mine, _theirs = pledges
    client.force_login(coordinator)
    url = reverse(name, args=[plan.pk])
    client.get(url)  # the first page sets the CSRF cookie, part of what a page's version holds
    first = client.get(url)
    etag = first["ETag"]
    assert "private" in first["Cache-Control"] and "no-cache" in first["Cache-Control"]
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    services.contribution_confirm(
        contribution=mine, by=coordinator, amount=D(900_000), signed_on=date(2018, 6, 1)
    )
    again = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 200 and again["ETag"] != etag


def test_valued_contributions_agree_with_the_picture(plan, pledges):
    from relais.funding.picture import funding_picture, valued_contributions

    picture = funding_picture(plan=plan)
    alone = valued_contributions(plan=plan)
    assert [(v.contribution.pk, v.announced, v.confirmed, v.disbursed) for v in alone] == [
        (v.contribution.pk, v.announced, v.confirmed, v.disbursed) for v in picture.contributions
    ]


def test_the_list_writes_each_contribution_with_its_figures(client, plan, pledges, coordinator):
    mine, theirs = pledges
    services.contribution_withdraw(contribution=theirs, by=coordinator, reason="Gel")
    client.force_login(coordinator)
    with translation.override("fr"):
        html = client.get(
            reverse("funding:contributions", args=[plan.pk]), HTTP_ACCEPT_LANGUAGE="fr"
        ).content.decode()
    assert f'<a href="{mine.get_absolute_url()}">ICMPD</a>' in html
    assert "1\u202f000\u202f000\xa0FCFA" in html  # French groups with narrow no-break spaces
    assert "<s>5\u202f000,00\xa0EUR</s>" in html  # withdrawn: struck through


def test_an_activity_line_with_an_unknown_number_is_said_at_the_line(
    client, plan, tree, coordinator, icmpd
):
    client.force_login(coordinator)
    url = reverse("funding:contribution_create", args=[plan.pk])
    data = {
        "partner": icmpd.pk,
        "kind": "financial",
        "amount": "1000",
        "currency": "XOF",
        "announced_on": "2018-05-02",
        "target": "activities",
        "activity_0": "9.9",
        "share_0": "1000",
    }
    response = client.post(url, data)  # in the coordinator's language, French
    assert response.status_code == 200 and Contribution.objects.count() == 0
    assert response.context["form"].errors["activity_0"] == [
        "Aucune activité de ce plan ne porte le numéro «\xa09.9\xa0»."
    ]
