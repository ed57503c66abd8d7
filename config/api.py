"""Cross-cutting API behaviour: errors always come back as JSON with field names, never a 500
page for input a client sent."""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        # A service refused the input: report it like a serializer would.
        if hasattr(exc, "error_dict"):
            detail = {
                field: [str(m) for e in errs for m in e.messages]
                for field, errs in exc.error_dict.items()
            }
        else:
            detail = {"non_field_errors": exc.messages}
        exc = exceptions.ValidationError(detail)
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, OverflowError):
        # SQLite's driver refuses an integer beyond 64 bits (`?id=99999999999999999999`) only
        # when the query runs, past any view's validation; PostgreSQL just finds nothing.
        exc = exceptions.ValidationError({"detail": ["A number in the request is too large."]})
    return drf_exception_handler(exc, context)
