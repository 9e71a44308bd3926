"""Count the finished attempts made so far into the new tallies: the SQL of
quiz.services.rebuild_tallies as it stands at this migration (migrations do not import app
code)."""

from django.db import migrations

# The score on the rest of the quiz, wide enough to square (score is a smallint).
REST = "CAST(a.score AS BIGINT) - CASE WHEN r.is_correct THEN 1 ELSE 0 END"
KEY = (
    "r.scenario_id, COALESCE(r.correct_term_id, 0), COALESCE(r.term_id, 0), r.is_correct"
)
COLUMNS = "scenario_id, correct_term_pk, term_pk, is_correct, answers, rest_sum, rest_squares"


def fill(apps, schema_editor):
    counts = f"COUNT(*), SUM({REST}), SUM(({REST}) * ({REST}))"
    joined = "FROM quiz_response r JOIN quiz_attempt a ON a.id = r.attempt_id"
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO quiz_quiztally (quiz_id, {COLUMNS}) "
            f"SELECT a.quiz_id, {KEY}, {counts} {joined} "
            f"WHERE a.finished IS NOT NULL GROUP BY a.quiz_id, {KEY}"
        )
        cursor.execute(
            f"INSERT INTO quiz_assignmenttally (assignment_id, user_id, {COLUMNS}) "
            f"SELECT a.assignment_id, a.user_id, {KEY}, {counts} {joined} "
            "WHERE a.finished IS NOT NULL AND a.assignment_id IS NOT NULL "
            f"AND a.user_id IS NOT NULL GROUP BY a.assignment_id, a.user_id, {KEY}"
        )


def empty(apps, schema_editor):
    apps.get_model("quiz", "QuizTally").objects.all().delete()
    apps.get_model("quiz", "AssignmentTally").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("quiz", "0012_tallies")]

    operations = [migrations.RunPython(fill, empty)]
