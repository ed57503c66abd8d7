"""The agent's link: after a visit the agent gets a short signed link that opens a one-page form
for adding the barriers they face, with no sign-in.

The link acts for one purpose only (its own signing salt): filing barrier reports for one visit
as that visit's agent. It carries the visit and the agent, expires after
`AGENT_LINK_DAYS`, and stops working when the visit is cancelled, the agent is no longer the
visit's agent, or their account is deactivated. Nothing secret is stored: the signature is the
proof, so a link can be rebuilt at any time (the agent's home page does).
"""

from django.conf import settings
from django.core import signing
from django.urls import reverse

from shadowing.programmes.pairing_models import Pairing, PairingStatus

SALT = "debriefs.agent-barriers"


def _days() -> int:
    return getattr(settings, "AGENT_LINK_DAYS", 30)


def agent_link_token(pairing: Pairing) -> str:
    return signing.TimestampSigner(salt=SALT).sign(f"{pairing.pk}.{pairing.agent_id}")


def agent_link_path(pairing: Pairing) -> str:
    """The link on a page: relative, so that it stays on the host the page came from."""
    return reverse("debriefs:agent-barriers", args=[agent_link_token(pairing)])


def agent_link_url(pairing: Pairing) -> str:
    """The link in a message, with the product's public address."""
    return settings.BASE_URL + agent_link_path(pairing)


def agent_link_pairing(token: str) -> Pairing | None:
    """The visit a still-valid link acts for, with its agent loaded; None for a link that is
    forged, expired, or whose visit or agent no longer fits."""
    try:
        value = signing.TimestampSigner(salt=SALT).unsign(token, max_age=_days() * 24 * 3600)
        pairing_id, agent_id = (int(part) for part in value.split("."))
    except (signing.BadSignature, ValueError):
        return None
    pairing = (
        Pairing.objects.select_related("agent", "executive", "site", "programme")
        .filter(pk=pairing_id, agent_id=agent_id, agent__is_active=True)
        .exclude(status=PairingStatus.CANCELLED)
        .first()
    )
    return pairing
