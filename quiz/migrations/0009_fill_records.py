# Records for the attempts made before answers were recorded as asked: the best account there
# is of what was asked is the scenario as it stands now. Responses keep the grade they got.
# Where a race opened two attempts for one assignment, the one with the most answers stays
# open for it; the others stay open as plain attempts of the quiz, counting toward nothing.

from django.db import migrations
from django.db.models import Count, F, OuterRef, Subquery


def record(scenario, choices) -> dict:
    return {
        "title": scenario.title,
        "difficulty": scenario.difficulty,
        "situation": scenario.situation,
        "question": scenario.question,
        "explanation": scenario.explanation,
        "choices": [
            {
                "id": choice.pk,
                "term": choice.term_id,
                "name": choice.term.name,
                "correct": choice.is_correct,
                "feedback": choice.feedback,
            }
            for choice in choices
        ],
    }


def fill(apps, schema_editor):
    Scenario = apps.get_model("quiz", "Scenario")
    Choice = apps.get_model("quiz", "Choice")
    AttemptQuestion = apps.get_model("quiz", "AttemptQuestion")
    Response = apps.get_model("quiz", "Response")
    Attempt = apps.get_model("quiz", "Attempt")

    asked = AttemptQuestion.objects.values_list("scenario_id", flat=True).distinct()
    for scenario in Scenario.objects.filter(pk__in=asked).iterator():
        choices = list(
            Choice.objects.filter(scenario=scenario).select_related("term").order_by("position", "pk")
        )
        if not any(choice.is_correct for choice in choices):
            # A draft mid-edit has no answer: the one graded right before is the best guess.
            graded = set(
                Response.objects.filter(scenario=scenario, is_correct=True).values_list(
                    "choice_id", flat=True
                )
            )
            for choice in choices:
                choice.is_correct = choice.pk in graded
        AttemptQuestion.objects.filter(scenario=scenario).update(
            record=record(scenario, choices)
        )

    Response.objects.update(
        chosen=F("choice_id"),
        term_id=Subquery(Choice.objects.filter(pk=OuterRef("choice_id")).values("term_id")),
        correct_term_id=Subquery(
            Choice.objects.filter(scenario=OuterRef("scenario_id"), is_correct=True).values(
                "term_id"
            )[:1]
        ),
    )

    open_attempts = Attempt.objects.filter(finished=None, assignment__isnull=False)
    doubled = (
        open_attempts.values("assignment_id", "user_id")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
    )
    for pair in doubled:
        attempts = open_attempts.filter(
            assignment_id=pair["assignment_id"], user_id=pair["user_id"]
        )
        keep = (
            attempts.annotate(answers=Count("responses"))
            .order_by("-answers", "started", "pk")
            .first()
        )
        attempts.exclude(pk=keep.pk).update(assignment=None)


class Migration(migrations.Migration):
    dependencies = [("quiz", "0008_record_what_was_asked")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
