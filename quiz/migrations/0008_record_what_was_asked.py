# What a learner was asked and answered is recorded with the attempt (docs/records.md): the
# fields come first, filled by 0009, and the old link to the live choice goes in 0010.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("glossary", "0002_lifecycle_history"),
        ("quiz", "0007_trainer_assignments_given"),
    ]

    operations = [
        migrations.AddField(
            model_name="attemptquestion",
            name="record",
            field=models.JSONField(
                default=dict, help_text="The scenario as asked: AskedScenario.to_record()."
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="response",
            name="chosen",
            field=models.PositiveIntegerField(
                null=True, help_text="The id of the recorded choice picked."
            ),
        ),
        migrations.AddField(
            model_name="response",
            name="term",
            field=models.ForeignKey(
                help_text="Picked.",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="glossary.term",
            ),
        ),
        migrations.AddField(
            model_name="response",
            name="correct_term",
            field=models.ForeignKey(
                help_text="Right then.",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="glossary.term",
            ),
        ),
    ]
