"""Turning a service's refusal into a command's message."""

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError


def command_error(exc: ValidationError) -> CommandError:
    """A CommandError a coordinator can read: one line per problem, prefixed by the field."""
    if hasattr(exc, "error_dict"):
        lines = [
            f"{field.replace('_', ' ')}: {message}" if field != "__all__" else message
            for field, messages in exc.message_dict.items()
            for message in messages
        ]
    else:
        lines = list(exc.messages)
    return CommandError("\n".join(lines))
