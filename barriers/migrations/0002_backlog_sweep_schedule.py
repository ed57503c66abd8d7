"""The backlog's hourly sweep (django-q2), created idempotently by name.

`barriers.tasks.backlog_sweep` files any report the signal missed and sends the escalations due;
each message goes once whatever the number of sweeps (Notice rows). Catch-up is off for the
whole cluster (Q_CLUSTER["catch_up"]): after downtime the sweep runs once, not once per hour
missed."""

from django.db import migrations

NAME = "barriers: backlog sweep"


def create_schedule(apps, schema_editor):
    Schedule = apps.get_model("django_q", "Schedule")
    Schedule.objects.update_or_create(
        name=NAME,
        defaults={
            "func": "barriers.tasks.backlog_sweep",
            "schedule_type": "H",  # hourly
            "repeats": -1,
        },
    )


def delete_schedule(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("barriers", "0001_initial"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [migrations.RunPython(create_schedule, delete_schedule)]
