from django.urls import reverse


def test_home_shows_own_country(client, make_user, mali, senegal):
    user = make_user("coordinator", mali)
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert [c.code for c in response.context["countries"]] == ["ML"]


def test_home_shows_six_side_by_side_to_regional(client, make_user, mali, senegal):
    client.force_login(make_user("regional"))
    response = client.get(reverse("home"))
    assert [c.code for c in response.context["countries"]] == ["ML", "SN"]
    assert b'id="countries-compare"' in response.content
