"""The weekly digest (django-q2): every Monday at 07:00 programme time, created idempotently by
name. `stories.tasks.digest_weekly` sends last week's digest once (a Digest row per ISO week),
so a second run the same week sends nothing. Weekly schedules repeat at the same UTC instant,
so across a daylight-saving change it runs at 06:00 or 08:00 instead: still a Monday-morning
read."""

import datetime as dt

from django.db import migrations

NAME = "stories: weekly digest"


def _next_monday_morning():
    from shadowing import clock

    zone = clock.home_zone()
    today = clock.local_today()
    days = (7 - today.weekday()) % 7 or 7
    monday = today + dt.timedelta(days=days)
    return dt.datetime.combine(monday, dt.time(7, 0), zone).astimezone(dt.UTC)


def create_schedule(apps, schema_editor):
    Schedule = apps.get_model("django_q", "Schedule")
    Schedule.objects.update_or_create(
        name=NAME,
        defaults={
            "func": "stories.tasks.digest_weekly",
            "schedule_type": "W",  # weekly
            "repeats": -1,
            "next_run": _next_monday_morning(),
        },
    )


def delete_schedule(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("stories", "0001_initial"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [migrations.RunPython(create_schedule, delete_schedule)]
