"""The API against its own schema: every operation /api/schema/ lists, fuzzed by schemathesis
as a coordinator with a token. Any 5xx fails, and so does a response the schema does not
describe. A few examples per operation keep the run bounded as endpoints are added.
"""

import os
from io import StringIO

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

# Not config.wsgi.application: get_wsgi_application() would run django.setup() again, whose
# logging setup binds to the stderr pytest captures at collection and closes afterwards.
application = WSGIHandler()
# Loaded once, through the schema endpoint itself: that it serves is part of the test. A schema
# that does not load fails one test below rather than the collection of the whole suite.
try:
    schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
    schema_error = None
except Exception as exc:
    schema, schema_error = None, exc

# Enough to find the usual 500s in about a second of CPU per operation; raise it for a deeper
# search (API_FUZZ_EXAMPLES=500 make test).
EXAMPLES_PER_OPERATION = int(os.environ.get("API_FUZZ_EXAMPLES", "25"))


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """What Django's test client does too: at the end of a request Django closes connections
    it finds in a transaction, and here that transaction is the test's own (PostgreSQL drops
    it; SQLite's in-memory database is never closed, so only PostgreSQL would notice)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def token(request, cora, hank, eve, adam, nina):
    """An API token for the named member of the cast, the others there to be listed."""
    out = StringIO()
    call_command("issue_token", request.getfixturevalue(request.param).email, stdout=out)
    return out.getvalue().strip()


def test_the_schema_loads():
    assert schema_error is None, f"/api/schema/ does not load: {schema_error}"


fuzz = schema.parametrize() if schema else pytest.mark.skip(reason="no schema to fuzz")


@fuzz
# The parametrisation also gives each operation its own test id: without it, pytest 9 names
# every schemathesis item alike (it builds ids from `originalname`), which confuses xdist.
@pytest.mark.parametrize("token", ["cora"], indirect=True)
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    derandomize=True,  # the same cases on every run: a failure here is never a fluke
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_operation(case, token):
    case.call_and_validate(
        headers={"Authorization": f"Token {token}"},
        checks=[not_a_server_error, response_schema_conformance],
    )


def test_schema_validates_without_warnings(tmp_path):
    # Validation problems raise (SchemaGenerationError) rather than return.
    call_command(
        "spectacular",
        "--validate",
        "--fail-on-warn",
        "--file",
        str(tmp_path / "schema.yaml"),
        stderr=StringIO(),
    )
    assert "openapi: 3" in (tmp_path / "schema.yaml").read_text()
