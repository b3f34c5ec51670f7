"""A table with an index and a foreign key into the school app: real DDL in every schema."""

from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True
    dependencies = [("school", "0001_initial")]

    operations = [
        migrations.CreateModel(
            name="ProbeNote",
            fields=[
                ("id", models.BigAutoField(primary_key=True, serialize=False)),
                ("text", models.CharField(max_length=200)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "member",
                    models.ForeignKey(null=True, on_delete=models.deletion.CASCADE, to="school.member"),
                ),
            ],
            options={"indexes": [models.Index(fields=["created_at"], name="probe_note_created_idx")]},
        ),
    ]
