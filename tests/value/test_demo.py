import random

from shadowing.demo.value import live_values
from value.models import Impact


def test_live_values_values_resolved_items_and_names_a_reviewer(resolved, eve):
    counts = live_values(random.Random(3))
    assert counts["reviewer"] == "eve@example.com"  # no demo roster: Finance's executive
    impact = Impact.objects.get(item=resolved)
    assert impact.expected_money is not None
    assert impact.realised_money is not None
    assert counts["realised"] == 1
    assert counts["confirmed"] + counts["challenged"] + counts["pending"] == 1
