"""A small named cast that every test can ask for by role.

cora  coordinator          hank  head of Customer Care (CARE)
eve   executive (Finance)  adam  agent in Customer Care, reports to hank
nina  nobody special: signed in, no role
"""

import pytest
from django.conf import settings
from django.utils import translation
from rest_framework.test import APIClient

from tests.browser import axe_phone, browser, phone  # noqa: F401  (fixtures for every folder)
from tests.clock import (  # noqa: F401  (hooks: TEST_CLOCK moves the whole session's clock)
    pytest_configure,
    pytest_report_header,
    pytest_unconfigure,
)
from tests.factories import DepartmentFactory, PersonFactory, SiteFactory


def pytest_collection_modifyitems(items):
    """The slow tests first: pytest-xdist hands tests out in this order, and a long test that
    starts last keeps the run waiting on one worker while the other has finished."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


@pytest.fixture(autouse=True)
def _language_reset_after_each_test():
    """A request by a French reader leaves French active in the thread (the locale middleware
    does not put it back), so the next test would start in French: each starts in English."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def care(db):
    return DepartmentFactory(code="CARE", name="Customer Care")


@pytest.fixture
def finance(db):
    return DepartmentFactory(code="FIN", name="Finance")


@pytest.fixture
def west_site(db):
    return SiteFactory(code="VAN", name="Vancouver", region="West", timezone="America/Vancouver")


@pytest.fixture
def cora(care, west_site):
    return PersonFactory(
        email="cora@example.com",
        full_name="Cora Coordinator",
        department=care,
        site=west_site,
        is_coordinator=True,
    )


@pytest.fixture
def hank(care, west_site):
    head = PersonFactory(
        email="hank@example.com",
        full_name="Hank Head",
        department=care,
        site=west_site,
        is_department_head=True,
        is_executive=True,
    )
    care.head = head
    care.save(update_fields=["head"])
    return head


@pytest.fixture
def eve(finance, west_site):
    return PersonFactory(
        email="eve@example.com",
        full_name="Eve Executive",
        department=finance,
        site=west_site,
        is_executive=True,
        languages=["en", "fr"],
    )


@pytest.fixture
def adam(care, west_site, hank):
    return PersonFactory(
        email="adam@example.com",
        full_name="Adam Agent",
        department=care,
        site=west_site,
        manager=hank,
        is_agent=True,
    )


@pytest.fixture
def ada(care, west_site, hank):
    return PersonFactory(
        email="ada@example.com",
        full_name="Ada Agent",
        department=care,
        site=west_site,
        manager=hank,
        is_agent=True,
    )


@pytest.fixture
def ed(finance, west_site):
    return PersonFactory(
        email="ed@example.com",
        full_name="Ed Executive",
        department=finance,
        site=west_site,
        is_executive=True,
    )


@pytest.fixture
def nina(care, west_site):
    return PersonFactory(
        email="nina@example.com", full_name="Nina Nobody", department=care, site=west_site
    )


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def api_as(api):
    """`api_as(person)`: an API client authenticated as that person."""

    def sign_in(person):
        api.force_authenticate(person)
        return api

    return sign_in
