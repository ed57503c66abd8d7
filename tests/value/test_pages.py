import io

import pytest
from django.core.management import call_command

from shadowing.programmes.models import Series
from value.models import Impact, Review
from value.services import impact_set_expected, impact_set_realised


def test_item_page_and_link_from_the_backlog(client, item, hank):
    client.force_login(hank)
    assert f"/backlog/{item.pk}/value/" in client.get(f"/backlog/{item.pk}/").content.decode()
    response = client.get(f"/backlog/{item.pk}/value/")
    assert response.status_code == 200
    assert 'name="action" value="expected"' in response.content.decode()


@pytest.mark.parametrize(("who", "code"), [("nina", 404), ("finn", 200)])
def test_item_page_visibility(request, client, item, who, code):
    client.force_login(request.getfixturevalue(who))
    assert client.get(f"/backlog/{item.pk}/value/").status_code == code


def test_form_post_saves_and_bad_input_is_a_400(client, item, hank):
    client.force_login(hank)
    page = f"/backlog/{item.pk}/value/"
    bad = client.post(page, {"action": "expected", "kind": "amount", "quantity": "10"})
    assert bad.status_code == 400
    assert not Impact.objects.filter(expected_kind="amount").exists()
    assert (
        client.post(page, {"action": "expected", "kind": "contacts", "quantity": "12"}).status_code
        == 302
    )
    assert Impact.objects.get().expected_money is not None


def test_review_queue_oldest_first_and_confirm(client, resolved, hank, finn, nina):
    impact_set_realised(item=resolved, by=hank, kind="contacts", quantity="5", evidence="WFM")
    client.force_login(nina)
    assert client.get("/value/review/").status_code == 403
    client.force_login(finn)
    response = client.get("/value/review/")
    assert response.status_code == 200
    assert resolved.title in response.content.decode()
    assert "/value/review/" in client.get("/").content.decode()  # the home's next step
    impact = Impact.objects.get()
    done = client.post(
        f"/backlog/{resolved.pk}/value/",
        {"action": "review", "decision": "confirmed", "version": impact.version, "next": "queue"},
    )
    assert done.status_code == 302
    assert done.url == "/value/review/"
    assert Impact.objects.get().review == Review.CONFIRMED


def test_series_departments_and_settings_pages(client, programme, hank, cora):
    Series.objects.create(slug="loop", name="The loop")
    client.force_login(hank)
    assert client.get("/value/series/loop/").status_code == 200
    assert client.get("/value/series/nope/").status_code == 404
    assert client.get("/value/").status_code == 200
    assert client.get("/value/settings/").status_code == 403
    client.force_login(cora)
    settings_form = {"cost_per_minute": "1", "value_per_fcr_point": "0", "currency": "CAD"}
    bad = client.post("/value/settings/", {**settings_form, "cost_per_contact": "x"})
    assert bad.status_code == 400
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "fr"
    assert client.get("/value/settings/").status_code == 200


def test_value_export(item, hank, programme):
    series = Series.objects.create(slug="loop", name="The loop")
    programme.series = series
    programme.save(update_fields=["series"])
    impact_set_expected(item=item, by=hank, kind="contacts", quantity="3")
    out = io.StringIO()
    call_command("value_export", "--series", "loop", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("item,title,department,wave")
    assert len(lines) == 2
    assert ",CARE,autumn," in lines[1]
    assert "18.00" in lines[1]
