"""Carry the preferences people set in their profile (``User.notification_preferences``,
topics "absences" and "timetable", channel "email") over to their notification settings."""

from django.db import migrations

TOPICS = {"absences": "absence", "timetable": "lesson_change", "grades": "grade", "homework": "homework",
          "messages": "message"}


def forward(apps, schema_editor):
    User = apps.get_model("identity", "User")
    Settings = apps.get_model("notifications_public", "NotificationSettings")
    for user_id, stored in User.objects.exclude(notification_preferences={}).values_list(
        "pk", "notification_preferences"
    ):
        if not isinstance(stored, dict):
            continue
        channels = {}
        for topic, choice in stored.items():
            if topic in TOPICS and isinstance(choice, dict) and isinstance(choice.get("email"), bool):
                channels[TOPICS[topic]] = {"email": choice["email"]}
        if channels:
            Settings.objects.update_or_create(user_id=user_id, defaults={"channels": channels})


class Migration(migrations.Migration):
    dependencies = [("notifications_public", "0001_initial"), ("identity", "0005_merge_20261204_2122")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
