import pytest

from value.models import Impact, Review
from value.services import impact_set_realised


def url(item, tail=""):
    return f"/api/v1/barriers/{item.pk}/value/{tail}"


def test_get_an_unvalued_item_answers_empty_without_writing(api_as, item, hank):
    response = api_as(hank).get(url(item))
    assert response.status_code == 200
    assert response.json()["expected_kind"] == ""
    assert response.json()["history"] == []
    assert not Impact.objects.exists()


@pytest.mark.parametrize(
    ("who", "code"), [("nina", 404), ("bill", 404), ("finn", 200), ("eve", 200)]
)
def test_get_follows_visibility(request, api_as, item, who, code):
    assert api_as(request.getfixturevalue(who)).get(url(item)).status_code == code


def test_put_expected_then_realised_then_review(api_as, resolved, hank, finn):
    response = api_as(hank).put(
        url(resolved, "expected/"), {"kind": "contacts", "quantity": "100"}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["expected_money"] == "600.00"
    response = api_as(hank).put(
        url(resolved, "realised/"),
        {"kind": "contacts", "quantity": "80", "evidence": "WFM", "evidence_link": ""},
        format="json",
    )
    assert response.json()["review"] == "pending"
    version = response.json()["version"]
    response = api_as(finn).post(
        url(resolved, "reviews/"), {"decision": "challenged", "version": version}, format="json"
    )
    assert response.status_code == 400
    assert "reason" in response.json()
    response = api_as(finn).post(
        url(resolved, "reviews/"), {"decision": "confirmed", "version": version}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["review"] == "confirmed"
    response = api_as(finn).post(
        url(resolved, "reviews/"),
        {"decision": "challenged", "reason": "late", "version": version},
        format="json",
    )
    assert response.status_code == 409


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "contacts", "quantity": "-3"}, "quantity"),
        ({"kind": "contacts", "quantity": "99999999999"}, "quantity"),
        ({"kind": "nope", "quantity": "3"}, "kind"),
        ({"kind": "amount", "quantity": "3"}, "basis"),
        ({"kind": "contacts"}, "quantity"),
    ],
)
def test_bad_expected_names_the_field(api_as, item, hank, body, field):
    response = api_as(hank).put(url(item, "expected/"), body, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not Impact.objects.filter(expected_kind__gt="").exists()


def test_roles_on_writes(api_as, resolved, hank, finn, eve):
    body = {"kind": "contacts", "quantity": "1"}
    assert api_as(finn).put(url(resolved, "expected/"), body, format="json").status_code == 403
    assert api_as(eve).put(url(resolved, "expected/"), body, format="json").status_code == 403
    impact_set_realised(item=resolved, by=hank, kind="contacts", quantity="1", evidence="x")
    review = {"decision": "confirmed"}
    assert api_as(hank).post(url(resolved, "reviews/"), review, format="json").status_code == 403
    assert Impact.objects.get().review == Review.PENDING


def test_settings_api(api_as, cora, hank):
    assert api_as(hank).get("/api/v1/value/settings/").json()["currency"] == "CAD"
    body = {"cost_per_contact": "7", "cost_per_minute": "1", "value_per_fcr_point": "0",
            "currency": "usd"}  # fmt: skip
    assert api_as(hank).put("/api/v1/value/settings/", body, format="json").status_code == 403
    response = api_as(cora).put("/api/v1/value/settings/", {**body, "cost_per_minute": "-1"},
                                format="json")  # fmt: skip
    assert response.status_code == 400
    assert "cost_per_minute" in response.json()
    response = api_as(cora).put("/api/v1/value/settings/", body, format="json")
    assert response.json()["currency"] == "USD"


def test_rollup_api(api_as, hank, programme):
    assert api_as(hank).get("/api/v1/value/rollup/").status_code == 200
    response = api_as(hank).get("/api/v1/value/rollup/?programme=autumn")
    assert response.status_code == 200
    assert response.json()["title"] == "Autumn"
    assert api_as(hank).get("/api/v1/value/rollup/?series=nope").status_code == 404
    both = api_as(hank).get("/api/v1/value/rollup/?series=a&programme=b")
    assert both.status_code == 400
    assert "series" in both.json()
