"""The backlog listens to debriefs: each batch of barrier reports filed (sent on commit by
debriefs.services) is filed into the backlog by a background task, so that computing the
reports' vectors never slows the debrief's own request. Connected in BarriersConfig.ready."""

from django.dispatch import receiver

from debriefs.signals import barrier_reports_filed


@receiver(barrier_reports_filed, dispatch_uid="barriers.file_reports")
def file_reports(sender, report_ids, **kwargs) -> None:
    from django_q.tasks import async_task

    if report_ids:
        async_task("barriers.tasks.reports_file", list(report_ids))
