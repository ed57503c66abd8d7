"""Uploaded files kept server-side between a preview and its confirmation.

The preview page shows what an import would do; the confirmation must apply exactly the files
that were previewed, without asking the coordinator to upload them again and without trusting
anything the browser sends back but a key. The files go to the database (any web process can
confirm), under a random key that is kept in the uploader's session and repeated in the
confirmation form, so that a second preview in another tab cannot be confirmed by the first.
"""

import datetime as dt
import secrets
from collections.abc import Mapping

from django.http import HttpRequest
from django.utils import timezone

from shadowing.organisation.models import StashedUpload

# Long enough to read a preview of thousands of rows; short enough not to keep HR data around.
STASH_LIFETIME = dt.timedelta(hours=2)


def _session_key(purpose: str) -> str:
    return f"upload_stash:{purpose}"


def stash_put(*, request: HttpRequest, purpose: str, files: Mapping[str, bytes]) -> str:
    """Keep `files` for this person and purpose; returns the key to put in the confirm form.
    Replaces what this session stashed earlier for the same purpose."""
    stash_drop(request=request, purpose=purpose)
    StashedUpload.objects.filter(created_at__lt=timezone.now() - STASH_LIFETIME).delete()
    key = secrets.token_urlsafe(32)
    StashedUpload.objects.bulk_create(
        StashedUpload(key=key, owner=request.user, purpose=purpose, name=name, content=data)
        for name, data in files.items()
    )
    request.session[_session_key(purpose)] = key
    return key


def stash_get(*, request: HttpRequest, purpose: str, key: str) -> dict[str, bytes] | None:
    """The files stashed under `key` by this session for `purpose`, or None when the key is not
    this session's latest for that purpose, or the stash expired."""
    if not key or not secrets.compare_digest(
        str(request.session.get(_session_key(purpose), "")), key
    ):
        return None
    rows = StashedUpload.objects.filter(
        key=key,
        owner=request.user,
        purpose=purpose,
        created_at__gte=timezone.now() - STASH_LIFETIME,
    ).values_list("name", "content")
    files = {name: bytes(content) for name, content in rows}
    return files or None


def stash_drop(*, request: HttpRequest, purpose: str) -> None:
    key = request.session.pop(_session_key(purpose), None)
    if key:
        StashedUpload.objects.filter(key=key, owner=request.user).delete()
