"""The top navigation leads to the network-wide plan pages, for those who may see them."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def nav_links(response):
    """{href: label} of the main navigation's links."""
    html = response.content.decode()
    nav = re.search(r'<nav class="nav"[^>]*>(.*?)</nav>', html, re.S)
    assert nav, "no main navigation on the page"
    return {
        href: re.sub(r"<[^>]+>", "", label).strip()
        for href, label in re.findall(r'<a href="([^"]+)"[^>]*>(.*?)</a>', nav.group(1), re.S)
    }


ROLLUP, STRATEGY, RATES = (reverse(f"plans:{name}") for name in ("rollup", "strategy", "rates"))


@pytest.mark.parametrize("kind", ["regional", "admin"])
def test_regional_coordinators_and_administrators_reach_the_regional_pages(client, make_user, kind):
    client.force_login(make_user(kind, language="fr"))
    links = nav_links(client.get(reverse("home")))
    assert links[ROLLUP] == "Les plans des six pays"
    assert links[STRATEGY] == "Stratégie régionale"
    assert links[RATES] == "Taux de change"
    for url in (ROLLUP, STRATEGY, RATES):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("kind", ["coordinator", "contributor", "observer"])
def test_country_roles_see_the_strategy_and_the_rates_but_not_the_roll_up(
    client, make_user, mali, kind
):
    client.force_login(make_user(kind, mali, language="fr"))
    links = nav_links(client.get(reverse("home")))
    assert ROLLUP not in links
    assert STRATEGY in links and RATES in links
    assert client.get(ROLLUP).status_code == 403
    assert client.get(STRATEGY).status_code == 200
    assert client.get(RATES).status_code == 200


def test_the_current_page_is_marked_in_the_navigation(client, make_user):
    client.force_login(make_user("regional"))
    html = client.get(ROLLUP).content.decode()
    assert f'<a href="{ROLLUP}" aria-current="page">' in html
    assert f'<a href="{RATES}" aria-current="page">' not in html


def test_a_signed_out_visitor_has_no_navigation(client):
    html = client.get(reverse("account_login")).content.decode()
    assert '<nav class="nav"' not in html
    assert ROLLUP not in html
