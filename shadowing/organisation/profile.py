"""What a person may change about themselves: the interface language and, for an agent, whether
they host executives."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from shadowing.organisation.models import Person

INTERFACE_LANGUAGES = [code for code, _name in settings.LANGUAGES]


def person_profile_update(
    *, person: Person, ui_language: str, hosting_opt_out: bool | None = None
) -> Person:
    """Save the person's interface language and, if given and the person is an agent, their
    hosting opt-out. Raises ValidationError for a language the interface does not speak, or an
    opt-out from someone who is not an agent."""
    if ui_language not in INTERFACE_LANGUAGES:
        raise ValidationError({"ui_language": _("Choose English or Français (Canada).")})
    fields = ["ui_language", "updated_at"]
    person.ui_language = ui_language
    if hosting_opt_out is not None and hosting_opt_out != person.hosting_opt_out:
        if not person.is_agent:
            raise ValidationError({"hosting_opt_out": _("Only agents host executives.")})
        person.hosting_opt_out = hosting_opt_out
        fields.append("hosting_opt_out")
    person.save(update_fields=fields)
    return person
