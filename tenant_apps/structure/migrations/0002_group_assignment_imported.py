# Expand-only: two defaulted columns (a database default too, so that code of the previous
# version, which does not know them, still inserts rows while schools migrate one by one).

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("structure", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="group",
            name="imported",
            field=models.BooleanField(db_default=False, default=False, verbose_name="imported"),
        ),
        migrations.AddField(
            model_name="teachingassignment",
            name="imported",
            field=models.BooleanField(db_default=False, default=False, verbose_name="imported"),
        ),
    ]
