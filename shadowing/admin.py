"""Django's admin discovers `<app>.admin`; each feature registers its own models' admin."""

from shadowing.invitations import admin as _invitations  # noqa: F401
from shadowing.organisation import admin as _organisation  # noqa: F401
from shadowing.programmes import admin as _programmes  # noqa: F401
