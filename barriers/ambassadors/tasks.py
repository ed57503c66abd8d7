"""The ambassadors' background task: the nudge's mail to the head. Thin and idempotent: load
the `Notice` by id, return quietly if it is gone, send once (mail.notices_send)."""

from django.utils.translation import gettext_noop

from .. import mail
from ..models import Notice


def nudge_notify(notice_id: int) -> int:
    """Mail the head the item an ambassador nudged them about; once whatever the retries."""
    notice = (
        Notice.objects.select_related("item__department", "recipient").filter(pk=notice_id).first()
    )
    if notice is None or not notice.recipient.is_active:
        return 0
    item = notice.item

    def send_them(notices):
        mail.send(
            to=notice.recipient,
            subject=gettext_noop("A barrier of your department waits for your claim"),
            template="barriers/email/nudge.txt",
            context={"item": item, "url": mail.item_url(item.pk)},
        )

    return mail.notices_send(notice_ids=[notice.pk], send_them=send_them)
