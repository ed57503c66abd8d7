"""Who may do what: named predicates, registered once with `rules`.

Views, the API, the admin and templates all ask `user.has_perm(...)`; nothing else decides.
"""

import rules


@rules.predicate
def is_signed_in(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


@rules.predicate
def is_coordinator(user) -> bool:
    return is_signed_in(user) and (user.is_coordinator or user.is_superuser)


@rules.predicate
def is_executive(user) -> bool:
    return is_signed_in(user) and user.is_executive


@rules.predicate
def is_agent(user) -> bool:
    return is_signed_in(user) and user.is_agent


@rules.predicate
def is_department_head(user) -> bool:
    return is_signed_in(user) and user.is_department_head


@rules.predicate
def is_self(user, person) -> bool:
    return person is not None and is_signed_in(user) and user.pk == person.pk


# The organisation: everyone signed in reads it; coordinators change it.
for model in ("department", "site", "person"):
    rules.add_perm(f"shadowing.view_{model}", is_signed_in)
    rules.add_perm(f"shadowing.add_{model}", is_coordinator)
    rules.add_perm(f"shadowing.change_{model}", is_coordinator)
    rules.add_perm(f"shadowing.delete_{model}", is_coordinator)

rules.add_perm("shadowing.import_roster", is_coordinator)
rules.add_perm("shadowing.edit_profile", is_self | is_coordinator)
# The admin's app index asks for this before listing any model.
rules.add_perm("shadowing", is_coordinator)
# The company's days off: coordinators list, add and remove them (anyone's working days count
# them without seeing the list).
for verb in ("view", "add", "change", "delete"):
    rules.add_perm(f"shadowing.{verb}_companyday", is_coordinator)
