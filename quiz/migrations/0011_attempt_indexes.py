from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("quiz", "0010_one_open_attempt_per_assignment"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="attempt",
            index=models.Index(fields=["user", "-finished"], name="attempt_user_finished"),
        ),
        migrations.AddIndex(
            model_name="attempt",
            index=models.Index(
                condition=models.Q(("finished__isnull", False)),
                fields=["quiz"],
                name="attempt_quiz_finished",
            ),
        ),
    ]
