"""The shadowing app's models, one module per area; import them from here.

`from shadowing.models import X` is the only import path the rest of the code uses, so a model
can move between modules without touching its callers (or the migrations that name
`shadowing.models.validate_timezone`).
"""

from .invitations import (
    ITIP_METHODS,
    CalendarFeed,
    Cancellation,
    Decline,
    InvitationLog,
    MessageKind,
    MessageStatus,
)
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
from .programmes import (
    ACTIVE_RUN_STATUSES,
    FIXED_PAIRING_STATUSES,
    Availability,
    Pairing,
    PairingRun,
    PairingRunStatus,
    PairingStatus,
    Programme,
    ProgrammeStatus,
    RepairReason,
    Shift,
    UnpairedExecutive,
    local_instant,
)
from .uploads import StashedUpload

__all__ = [
    "ACTIVE_RUN_STATUSES",
    "CODE_VALIDATOR",
    "FIXED_PAIRING_STATUSES",
    "ITIP_METHODS",
    "ROLE_FIELDS",
    "Availability",
    "CalendarFeed",
    "Cancellation",
    "Channel",
    "Decline",
    "Department",
    "InvitationLog",
    "MessageKind",
    "MessageStatus",
    "Pairing",
    "PairingRun",
    "PairingRunStatus",
    "PairingStatus",
    "Person",
    "PersonManager",
    "Programme",
    "ProgrammeStatus",
    "RepairReason",
    "Role",
    "Shift",
    "SignInLink",
    "SignInRequest",
    "Site",
    "StashedUpload",
    "UnpairedExecutive",
    "local_instant",
    "validate_timezone",
]
