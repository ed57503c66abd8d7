"""The debrief reminders' schedule (django-q2), created idempotently by name.

Every 15 minutes `debriefs.tasks.debrief_reminders_sweep` queues what is due; each mail is sent
once whatever the number of sweeps (DebriefNotice rows)."""

from django.db import migrations

NAME = "debriefs: reminders"


def create_schedule(apps, schema_editor):
    Schedule = apps.get_model("django_q", "Schedule")
    Schedule.objects.update_or_create(
        name=NAME,
        defaults={
            "func": "debriefs.tasks.debrief_reminders_sweep",
            "schedule_type": "I",  # minutes
            "minutes": 15,
            "repeats": -1,
        },
    )


def delete_schedule(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("debriefs", "0001_initial"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [migrations.RunPython(create_schedule, delete_schedule)]
