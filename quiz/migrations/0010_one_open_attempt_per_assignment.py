from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("quiz", "0009_fill_records")]

    operations = [
        migrations.RemoveField(model_name="response", name="choice"),
        migrations.AlterField(
            model_name="response",
            name="chosen",
            field=models.PositiveIntegerField(help_text="The id of the recorded choice picked."),
        ),
        migrations.AddConstraint(
            model_name="attempt",
            constraint=models.UniqueConstraint(
                condition=models.Q(("finished", None)),
                fields=("assignment", "user"),
                name="one_open_attempt_per_assignment",
            ),
        ),
    ]
