"""The shadowing app's models, one module per area; import them from here.

`from shadowing.models import X` is the only import path the rest of the code uses, so a model
can move between modules without touching its callers (or the migrations that name
`shadowing.models.validate_timezone`).
"""

from .organisation import (
    CODE_VALIDATOR,
    ROLE_FIELDS,
    Channel,
    Department,
    Person,
    PersonManager,
    Role,
    SignInLink,
    SignInRequest,
    Site,
    validate_timezone,
)

__all__ = [
    "CODE_VALIDATOR",
    "ROLE_FIELDS",
    "Channel",
    "Department",
    "Person",
    "PersonManager",
    "Role",
    "SignInLink",
    "SignInRequest",
    "Site",
    "validate_timezone",
]
