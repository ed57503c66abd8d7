import pytest

from tests.debriefs.conftest import full_body

pytestmark = pytest.mark.django_db


def test_file_and_submit(api_as, eve, visit, finance):
    api = api_as(eve)
    r = api.post("/api/v1/debriefs/", full_body(visit), format="json")
    assert r.status_code == 201, r.json()
    d = r.json()
    r = api.post(f"/api/v1/debriefs/{d['id']}/submit/", {}, format="json")
    assert r.status_code == 200, r.json()
    assert r.json()["status"] == "submitted"
    r2 = api.post(f"/api/v1/debriefs/{d['id']}/submit/", {}, format="json")
    assert r2.status_code == 200
    r3 = api.patch(f"/api/v1/debriefs/{d['id']}/", {"overall": "x"}, format="json")
    assert r3.status_code == 409
