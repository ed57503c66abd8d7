"""Value fixtures on top of the backlog's (tests/barriers/conftest.py).

cora coordinator · hank head of CARE, owner of `item` · mo manager in CARE (not the owner)
eve executive in FIN, who reported `item` · bill head of BILL · nina nobody special
finn finance reviewer in FIN (no other role) · item: a new CARE item · resolved: it, resolved
"""

import pytest

from barriers.services.resolution import barrier_resolve
from tests.barriers.conftest import (  # noqa: F401  (fixtures)
    bill,
    billing,
    file_report,
    fresh_vector_index,
    item,
    item_of,
    local_today,
    make_visit,
    mo,
    programme,
    visit,
)
from tests.factories import PersonFactory


@pytest.fixture
def finn(finance, west_site):
    return PersonFactory(
        email="finn@example.com",
        full_name="Finn Reviewer",
        department=finance,
        site=west_site,
        is_finance_reviewer=True,
    )


@pytest.fixture
def fiona(finance, west_site):
    return PersonFactory(
        email="fiona@example.com",
        full_name="Fiona Reviewer",
        department=finance,
        site=west_site,
        is_finance_reviewer=True,
    )


@pytest.fixture
def resolved(item, hank):  # noqa: F811  (the backlog fixture, imported above)
    return barrier_resolve(barrier=item, by=hank, resolution="The form asks once now.")
