"""Django loads an app's models from `<app>.models`; the shadowing app's features keep theirs in
their own folders, and this module only imports them so that they are registered.

Nothing imports models from here: each caller names the feature that owns the model
(`shadowing.organisation.models`, `shadowing.programmes.models`, ...), see docs/architecture.md.
"""

from shadowing.invitations import models as _invitations  # noqa: F401
from shadowing.organisation import models as _organisation  # noqa: F401
from shadowing.programmes import models as _programmes  # noqa: F401
from shadowing.programmes import pairing_models as _pairing_models  # noqa: F401
