"""Build, preview or send the weekly digest of stories and "you said, we did" items.

    manage.py stories_digest                     # preview last week's digest (the default)
    manage.py stories_digest --week 2026-W49 --send
    manage.py stories_digest --preview --pdf digest.pdf

Sending is once per ISO week: a second --send for the same week says so and sends nothing.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from stories.mail import digest_mail
from stories.models import Digest
from stories.pdf import digest_pdf
from stories.selectors import previous_week, story_agent_label, week_bounds
from stories.services import digest_content, digest_send


class Command(BaseCommand):
    help = "Preview or send the weekly stories digest (once per ISO week)."

    def add_arguments(self, parser):
        parser.add_argument("--week", help="ISO week, YYYY-Www (default: last week)")
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument("--send", action="store_true", help="send it to the digest list")
        mode.add_argument("--preview", action="store_true", help="print it (the default)")
        parser.add_argument("--pdf", help="with --preview: also write the PDF to this file")

    def handle(self, *args, week=None, send=False, pdf=None, **options):
        week = week or previous_week()
        try:
            week_bounds(week)
        except ValueError as error:
            raise CommandError(f"--week: not an ISO week like 2026-W49: {week!r}") from error
        if send:
            if digest_send(week=week, send=digest_mail):
                sent_to = Digest.objects.get(week=week).sent_to.split()
                self.stdout.write(f"Digest {week} sent to {len(sent_to)} address(es).")
            else:
                self.stdout.write(f"Digest {week} was already sent; nothing sent.")
            return
        content = digest_content(week, Digest.objects.filter(week=week).first())
        self.stdout.write(
            f"Digest {week}: {len(content.stories)} stories, {len(content.items)} items"
        )
        for story in content.stories:
            self.stdout.write(f"- {story_agent_label(story)}: {story.saw[:100]}")
        for item in content.items:
            self.stdout.write(f"* {item.title}: {item.resolution[:100]}")
        if pdf:
            Path(pdf).write_bytes(digest_pdf(content))
            self.stdout.write(f"PDF written to {pdf}")
