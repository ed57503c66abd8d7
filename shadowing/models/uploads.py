"""Uploaded files kept between a preview and its confirmation."""

from django.db import models
from django.utils import timezone

from .organisation import Person


class StashedUpload(models.Model):
    """One uploaded file, held server-side under a random key that only the uploader's session
    knows, until the uploader confirms the preview (or the stash expires).

    In the database rather than on local disk or in the cache, so that the preview and the
    confirmation may be served by different web processes on different machines.
    """

    key = models.CharField(max_length=64)
    owner = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    purpose = models.CharField(max_length=100)
    name = models.CharField(max_length=100)
    content = models.BinaryField()
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "name"], name="stashed_upload_name_per_key"),
        ]

    def __str__(self) -> str:
        return f"{self.purpose}: {self.name}"
