"""Background tasks of programmes (django-q2). Thin: load by id, return quietly if gone."""

from shadowing.programmes.pairing_models import PairingRun


def pairing_run(run_id: int) -> None:
    """Run the pairing engine for a queued `PairingRun`; progress is written on the run."""
    from shadowing.programmes.store.runs import pairing_run_execute

    run = PairingRun.objects.filter(pk=run_id).select_related("programme").first()
    if run is None:
        return  # the programme was deleted meanwhile
    pairing_run_execute(run=run)
