"""The chronogram page (a Gantt by quarter or month) and the print view laid out like the
committees' sheet."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from relais.countries.models import Organisation
from relais.countries.tests.factories import OrganisationFactory
from relais.plans import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(make_user, mali):
    return make_user("coordinator", mali)


@pytest.fixture
def plan(mali, coordinator):
    return services.plan_create(
        country=mali,
        by=coordinator,
        title="Plan d'action de plaidoyer 2018-2019",
        period_start=date(2018, 1, 1),
        period_end=date(2019, 12, 31),
    )


def add_activities(plan, by, count, *, objective=None, **fields):
    objective = objective or services.objective_create(
        plan=plan, by=by, statement="Renforcer le cadre juridique d'ici 2019"
    )
    for index in range(count):
        services.activity_create(
            objective=objective,
            by=by,
            title=f"{fields.get('title', 'Atelier')} {index + 1}",
            months=fields.get("months", ["2018-02", "2018-08"]),
            unit_cost=fields.get("unit_cost", Decimal("1200000")),
            funding=fields.get("funding", ()),
        )
    return objective


def rows(html, table_id):
    """[(header cell text, [classes of the data cells])] for each body row of a table (or of
    the tables in a block: the print view writes one per objective)."""
    table = re.search(rf'<(table|div)[^>]*id="{table_id}".*?</\1>', html, re.S).group()
    found = []
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S):
        header = re.search(r'<th scope="row"[^>]*>(.*?)</th>', row, re.S)
        if header:
            cells = re.findall(r"<td(?: class=\"(\w+)\")?[^>]*>", row)
            text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", header.group(1))).strip()
            found.append((text, cells))
    return found


def column_heads(html):
    thead = re.search(r"<thead>(.*?)</thead>", html, re.S).group(1)
    last_row = re.findall(r"<tr>(.*?)</tr>", thead, re.S)[-1]
    return [re.sub(r"<[^>]+>", "", cell) for cell in re.findall(r"<th[^>]*>(.*?)</th>", last_row)]


def test_quarter_view_marks_exactly_the_quarters_of_the_activity(client, plan, coordinator):
    # February and August: T1 and T3, not T2 (sheets skip quarters).
    add_activities(plan, coordinator, 1)
    client.force_login(coordinator)
    response = client.get(reverse("plans:chronogram", args=[plan.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert column_heads(html) == [f"T{q} {y}" for y in (2018, 2019) for q in (1, 2, 3, 4)]
    [(name, cells)] = [row for row in rows(html, "chronogram") if row[0].startswith("1.1")]
    assert "Atelier 1" in name
    assert [index for index, css in enumerate(cells) if css == "on"] == [0, 2]
    assert html.count('<td class="on"><span class="vh">') == 2
    assert '<th scope="colgroup" colspan="4">2018</th>' in html


def test_month_view_marks_exactly_the_months_of_the_activity(client, plan, coordinator):
    add_activities(plan, coordinator, 1)
    client.force_login(coordinator)
    html = client.get(reverse("plans:chronogram", args=[plan.pk]), {"by": "month"}).content
    html = html.decode()
    assert len(column_heads(html)) == 24
    assert column_heads(html)[1] == "févr."  # its year heads the columns above
    [(_name, cells)] = [row for row in rows(html, "chronogram") if row[0].startswith("1.1")]
    assert [index for index, css in enumerate(cells) if css == "on"] == [1, 7]
    assert '<th scope="colgroup" colspan="12">2019</th>' in html


def test_chronogram_shows_the_objective_and_the_responsible_structure(
    client, plan, coordinator, mali
):
    objective = add_activities(plan, coordinator, 0)
    ministry = OrganisationFactory(
        name="Ministère de la Justice", acronym="MJ", kind=Organisation.Kind.MINISTRY, country=mali
    )
    services.activity_create(
        objective=objective,
        by=coordinator,
        title="Relecture du projet de loi",
        months=["2018-04"],
        unit_cost=Decimal("500000"),
        responsible=ministry,
    )
    client.force_login(coordinator)
    html = client.get(reverse("plans:chronogram", args=[plan.pk])).content.decode()
    assert "OS1 — Renforcer le cadre juridique d&#x27;ici 2019" in html
    [(name, _cells)] = rows(html, "chronogram")[:1]
    assert name == "1.1 Relecture du projet de loi MJ"
    assert re.search(r"<caption class=\"vh\">\w", html)


def test_chronogram_totals_per_quarter(client, plan, coordinator):
    # 1 200 000 over February and August: 600 000 in T1 2018 and in T3 2018.
    add_activities(plan, coordinator, 1)
    add_activities(plan, coordinator, 1, months=["2019-11"], unit_cost=Decimal("750000"))
    client.force_login(coordinator)
    html = client.get(reverse("plans:chronogram", args=[plan.pk])).content.decode()
    [(_name, _cells)] = [row for row in rows(html, "chronogram") if row[0] == "Total"]
    row = re.search(r'<tr class="sum">(.*?)</tr>', html, re.S).group(1)
    totals = [re.sub(r"\s", " ", cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row)]
    assert totals == ["600 000 FCFA", "", "600 000 FCFA", "", "", "", "", "750 000 FCFA"]
    assert "1\u202f950\u202f000\xa0FCFA" in html


def test_chronogram_in_arabic_keeps_latin_digits_and_runs_right_to_left(
    client, plan, coordinator, make_user, mali
):
    add_activities(plan, coordinator, 1)
    client.force_login(make_user("coordinator", mali, language="ar"))
    html = client.get(reverse("plans:chronogram", args=[plan.pk])).content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert column_heads(html)[0] == "الربع 1 2018"
    assert "600,000\xa0FCFA" in html


def test_print_view_shows_sub_totals_and_the_grand_total(client, plan, coordinator, mali):
    funder = OrganisationFactory(name="ICMPD", acronym="ICMPD", country=None)
    first = add_activities(
        plan, coordinator, 2, funding=[(None, Decimal("200000")), (funder, Decimal("1000000"))]
    )
    second = services.objective_create(plan=plan, by=coordinator, statement="Créer une agence")
    add_activities(plan, coordinator, 1, objective=second, months=["2019-05"])
    client.force_login(coordinator)
    response = client.get(reverse("plans:print", args=[plan.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "RÉPUBLIQUE DU MALI" in html and "Un Peuple – Un But – Une Foi" in html
    assert "Coût total (FCFA)" in html and "Chronogramme" in html
    assert f"{first.code} : Renforcer le cadre juridique" in html
    assert "OS2 : Créer une agence" in html
    found = dict((name, cells) for name, cells in rows(html, "plan-sheet"))
    assert "Sous-total OS1" in found and "Sous-total OS2" in found and "TOTAL GÉNÉRAL" in found
    sub_totals = re.findall(r'<tr class="(?:sub|grand)">.*?<td class="num">(.*?)</td>', html, re.S)
    assert sub_totals == ["2\u202f400\u202f000", "1\u202f200\u202f000", "3\u202f600\u202f000"]
    # X in T1 and T3 2018 for 1.1, after No., title, responsible and partners.
    activity = re.search(r"<tr>\s*<td>1\.1</td>(.*?)</tr>", html, re.S).group(1)
    marks = re.findall(r"<td(?: class=\"(\w+)\")?>", activity)[2:10]
    assert [index for index, css in enumerate(marks) if css == "x"] == [0, 2]
    assert "Budget de l’État" in html or "Budget de l'État" in html
    assert "ICMPD <span" in html


def test_print_view_is_written_in_the_plans_language(client, plan, coordinator):
    plan.language = "en"
    plan.save()
    add_activities(plan, coordinator, 1)
    client.force_login(coordinator)
    response = client.get(reverse("plans:print", args=[plan.pk]))
    html = response.content.decode()
    assert "GRAND TOTAL" in html and "Q1 2018" in html and "Total cost (FCFA)" in html
    assert response["Content-Language"] == "en"


def test_print_view_of_an_arabic_plan_runs_right_to_left(client, plan, coordinator):
    plan.language = "ar"
    plan.save()
    add_activities(plan, coordinator, 1)
    client.force_login(coordinator)
    html = client.get(reverse("plans:print", args=[plan.pk])).content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert "الربع 3 2018" in html and "1,200,000" in html


@pytest.mark.parametrize("name", ["plans:chronogram", "plans:print"])
def test_another_countrys_coordinator_gets_404(client, plan, coordinator, make_user, senegal, name):
    add_activities(plan, coordinator, 1)
    client.force_login(make_user("coordinator", senegal))
    assert client.get(reverse(name, args=[plan.pk])).status_code == 404


@pytest.mark.parametrize("name", ["plans:chronogram", "plans:print"])
@pytest.mark.parametrize("by", ["quarter", "month"])
def test_query_count_is_constant_when_activities_grow(
    client, plan, coordinator, django_assert_max_num_queries, name, by
):
    objective = add_activities(plan, coordinator, 3)
    client.force_login(coordinator)
    url = reverse(name, args=[plan.pk])
    # session, user, plan with country and national body, roles (the rule), then plan_tree:
    # objectives, activities with responsible and result, funding sources with organisations,
    # partners, assignees, results, indicators (none of results here: no result, no query).
    # The chronogram adds the plan's totals in one query: it loads only the rows it writes.
    most = 12 if name == "plans:chronogram" else 11
    with django_assert_max_num_queries(most):
        assert client.get(url, {"by": by}).status_code == 200
    add_activities(plan, coordinator, 27, objective=objective)
    with django_assert_max_num_queries(most):
        assert client.get(url, {"by": by}).status_code == 200


def test_a_long_chronogram_leaves_the_later_objectives_to_load_as_they_scroll(
    client, plan, coordinator, monkeypatch
):
    monkeypatch.setattr("relais.plans.views.plans.ROWS_IN_PAGE", 4)
    first = add_activities(plan, coordinator, 4)
    second = add_activities(plan, coordinator, 3, title="Étude")
    client.force_login(coordinator)
    url = reverse("plans:chronogram", args=[plan.pk])
    html = client.get(url, {"by": "month"}).content.decode()
    titles = [a.title for a in second.activities.all()]
    assert all(a.title in html for a in first.activities.all())
    assert not any(title in html for title in titles)
    assert f'hx-get="?by=month&amp;objective={second.pk}" hx-trigger="revealed"' in html
    assert f'href="?by=month&amp;objective={second.pk}#chronogram-{second.pk}"' in html
    # The column totals stay the whole plan's.
    columns = client.get(url).context["columns"]
    assert sum(column.total for column in columns) == 7 * Decimal("1200000")
    # htmx gets the objective's rows alone; without JavaScript the link writes them in the page.
    fragment = client.get(url, {"by": "month", "objective": second.pk}, HTTP_HX_REQUEST="true")
    body = fragment.content.decode()
    assert body.lstrip().startswith(f'<tbody id="chronogram-{second.pk}">')
    assert all(title in body for title in titles) and "<html" not in body
    page = client.get(url, {"by": "month", "objective": second.pk}).content.decode()
    assert all(title in page for title in titles)
    # For paper, one link writes every row.
    assert 'href="?by=month&amp;objective=all"' in html
    whole = client.get(url, {"by": "month", "objective": "all"}).content.decode()
    assert all(a.title in whole for o in (first, second) for a in o.activities.all())
    assert "hx-trigger" not in whole
    missing = client.get(url, {"objective": 0}, HTTP_HX_REQUEST="true")
    assert missing.status_code == 404
