"""docs/architecture.md, kept: the import direction, module sizes, the published API document."""

import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent
PRODUCT = ("config", "shadowing", "debriefs", "barriers", "value", "reports", "stories")
MAX_LINES = 400


def test_imports_follow_the_layers_and_make_no_circle():
    """pyproject.toml's contracts: each part imports only the parts below it, the pairing engine
    imports nothing of Django, and no package's modules import each other in a circle."""
    lint_imports = Path(sys.executable).with_name("lint-imports")
    done = subprocess.run(
        [str(lint_imports), "--no-cache"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_no_product_module_is_over_the_size_a_reader_takes_in():
    too_long = {
        str(path.relative_to(ROOT)): lines
        for package in PRODUCT
        for path in (ROOT / package).rglob("*.py")
        if "migrations" not in path.parts
        and (lines := len(path.read_text().splitlines())) > MAX_LINES
    }
    assert not too_long, f"over {MAX_LINES} lines: {too_long}"


@pytest.mark.django_db
def test_the_api_document_is_the_published_one(tmp_path):
    """docs/openapi.yaml is what integrations read: a change to the API shows in review. After
    a deliberate change: `python manage.py spectacular --file docs/openapi.yaml`."""
    generated = tmp_path / "openapi.yaml"
    call_command("spectacular", "--file", str(generated))
    assert generated.read_text() == (ROOT / "docs" / "openapi.yaml").read_text()
