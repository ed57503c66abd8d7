"""Who may do what with an item's value, registered once with `rules` (ValueConfig.ready).

- Whoever sees the item (barriers' rules) sees its value; a finance reviewer sees the value of
  any item, whatever its department.
- The item's owner, its department's head and coordinators set the expected impact and the
  realised one. A finance reviewer does not: who checks a number does not write it.
- A finance reviewer confirms or challenges a realised value (the services say when).
- Coordinators change the costs (the settings page, the API, the admin).
"""

import rules

from barriers.permissions import can_view as can_view_item
from barriers.permissions import heads_item_department, owns_item
from shadowing.organisation.permissions import is_coordinator, is_signed_in


@rules.predicate
def is_finance_reviewer(user) -> bool:
    return is_signed_in(user) and user.is_finance_reviewer


can_view_value = can_view_item | is_finance_reviewer
can_set_value = (is_coordinator | heads_item_department | owns_item) & ~is_finance_reviewer
can_review_value = is_finance_reviewer

rules.add_perm("value", is_coordinator)  # the admin's app index
rules.add_perm("value.view_impact", can_view_value)
rules.add_perm("value.set_impact", can_set_value)
rules.add_perm("value.review_impact", can_review_value)
rules.add_perm("value.review_queue", is_finance_reviewer)
rules.add_perm("value.view_rollup", is_signed_in)
rules.add_perm("value.view_valuesettings", is_signed_in)
rules.add_perm("value.change_valuesettings", is_coordinator)
for _verb in ("add", "delete"):
    rules.add_perm(f"value.{_verb}_valuesettings", rules.always_deny)
for _model in ("impact", "valueevent"):
    for _verb in ("add", "change", "delete"):
        rules.add_perm(f"value.{_verb}_{_model}", rules.always_deny)
rules.add_perm("value.view_valueevent", is_coordinator)
