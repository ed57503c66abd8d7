"""The private addresses of the invitations: the signed "can't make it" link in invitation mails,
and the hash by which a private calendar feed's secret is stored and found.

A link names one pairing and one person and does one thing: let that person decline that visit.
It is signed with a salt used for nothing else, so no other signed value of the product (and
no link for another visit or person) passes for it. It holds no secret of its own and needs no
sign-in: whoever holds the person's mail may decline for them, and nothing more. A GET only
shows what would be declined (mail scanners fetch links); a POST declines.
"""

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "shadowing.invitations.decline"


@dataclass(frozen=True)
class DeclineClaim:
    pairing_uid: str
    person_id: int


def decline_token(*, pairing_uid: str, person_id: int) -> str:
    return signing.dumps({"p": str(pairing_uid), "u": person_id}, salt=SALT, compress=True)


def decline_url(*, pairing_uid: str, person_id: int) -> str:
    token = decline_token(pairing_uid=pairing_uid, person_id=person_id)
    return settings.BASE_URL + reverse("invitations:decline", args=[token])


def decline_claim(token: str) -> DeclineClaim | None:
    """What a token says, or None if it was not made by `decline_token` (tampered, truncated,
    or signed for another purpose)."""
    try:
        data = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    uid, person_id = data.get("p"), data.get("u")
    if not isinstance(uid, str) or not isinstance(person_id, int):
        return None
    return DeclineClaim(pairing_uid=uid, person_id=person_id)


def feed_token_hash(token: str) -> str:
    """What is stored of a private calendar feed's secret (its address is shown once)."""
    return hashlib.sha256(token.encode()).hexdigest()
