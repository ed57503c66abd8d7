"""What the debrief services share: the time a write happens at, and queueing a task on commit."""

from django.utils import timezone


def _now(now):
    return now or timezone.now()


def _queue(func: str, *args) -> None:
    from django_q.tasks import async_task

    async_task(func, *args)
