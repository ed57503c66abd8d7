"""The digest as a PDF, through the reports app's locked-down WeasyPrint renderer. A digest is
a few pages, so it renders inline."""

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from reports.pdf import render_pdf
from shadowing import clock

from .selectors import story_agent_label


def digest_pdf(content, *, language: str = "en") -> bytes:
    with translation.override(language):
        html = render_to_string(
            "stories/pdf/digest.html",
            {
                "content": content,
                "stories": [(story, story_agent_label(story)) for story in content.stories],
                "language": language,
                "kind": "digest",
                "generated_at": clock.now(),
            },
        )
        page_label, of_label = _("Page"), _("of")
    return render_pdf(
        html, paper="letter", page_label=page_label, of_label=of_label, title="digest"
    ).pdf
