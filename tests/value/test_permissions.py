"""Who may see, set and review an item's value: the matrix of roles by action."""

import pytest

ACTIONS = ("value.view_impact", "value.set_impact", "value.review_impact")

# role: (view, set, review) for a CARE item owned by hank that eve reported.
MATRIX = {
    "cora": (True, True, False),  # coordinator
    "hank": (True, True, False),  # head of CARE, the owner
    "mo": (False, False, False),  # CARE manager, neither owner nor head nor reporter
    "eve": (True, False, False),  # reported it
    "bill": (False, False, False),  # head of another department
    "nina": (False, False, False),  # nobody special
    "finn": (True, False, True),  # finance reviewer, any department
}


@pytest.mark.parametrize("who", MATRIX)
def test_permission_matrix(request, resolved, who):
    person = request.getfixturevalue(who)
    assert tuple(person.has_perm(action, resolved) for action in ACTIONS) == MATRIX[who]


def test_a_finance_reviewer_who_heads_the_department_still_cannot_set(resolved, hank):
    hank.is_finance_reviewer = True
    assert hank.has_perm("value.review_impact", resolved)
    assert not hank.has_perm("value.set_impact", resolved)


@pytest.mark.parametrize(("who", "allowed"), [("cora", True), ("hank", False), ("finn", False)])
def test_only_coordinators_change_costs(request, who, allowed):
    assert request.getfixturevalue(who).has_perm("value.change_valuesettings") is allowed


@pytest.mark.parametrize(("who", "allowed"), [("finn", True), ("cora", False), ("hank", False)])
def test_only_finance_reviewers_have_a_queue(request, who, allowed):
    assert request.getfixturevalue(who).has_perm("value.review_queue") is allowed
