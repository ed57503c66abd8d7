"""The invitations' answers to the programmes' signals (`shadowing.programmes.signals`);
connected when this module is imported (ShadowingConfig.ready)."""

from django.dispatch import receiver

from shadowing.invitations.services import pairings_changed, programme_publish
from shadowing.programmes.signals import publish_requested, published_pairings_retimed


@receiver(publish_requested, dispatch_uid="invitations.publish")
def publish(*, programme, by, **_kwargs) -> None:
    programme_publish(programme=programme, by=by)


@receiver(published_pairings_retimed, dispatch_uid="invitations.retimed")
def retimed(*, pairing_ids, **_kwargs) -> None:
    pairings_changed(pairing_ids=pairing_ids)
