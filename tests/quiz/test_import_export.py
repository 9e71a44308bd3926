"""export_content round trips the fixtures byte for byte; scenario import in the admin is a dry
run first and all or nothing."""

import json
import re
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from glossary.models import Alias, Distinction, Source, Status, Term
from quiz.models import Choice, FormerSlug, Quiz, QuizScenario, Scenario
from tests.factories import TermFactory
from tests.helpers import confirm_import, upload

pytestmark = pytest.mark.django_db

FILES = ["terms.json", "scenarios.json", "quizzes.json"]


def _export(tmp_path: Path, name: str) -> dict[str, bytes]:
    folder = tmp_path / name
    call_command("export_content", dir=folder, stdout=open("/dev/null", "w"))  # noqa: SIM115
    return {file: (folder / file).read_bytes() for file in FILES}


def test_the_committed_fixtures_are_export_contents_output(tmp_path):
    """Exported over a copy of themselves, as `export_content` rewrites fixtures/: the
    release's list of retired scenarios is kept from the file rewritten."""
    call_command("load_content", stdout=open("/dev/null", "w"))  # noqa: SIM115
    (tmp_path / "out").mkdir()
    for file in FILES:
        shutil.copy(settings.CONTENT_DIR / file, tmp_path / "out" / file)
    exported = _export(tmp_path, "out")
    for file in FILES:
        assert exported[file] == (settings.CONTENT_DIR / file).read_bytes(), file


def test_export_keeps_the_retired_list_and_writes_former_slugs(tmp_path, quiz_setup):
    lawyer = quiz_setup.scenarios[0]
    FormerSlug.objects.create(slug="old-lawyer", scenario=lawyer)
    FormerSlug.objects.create(slug="an-older-lawyer", scenario=lawyer)
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "scenarios.json").write_text(
        json.dumps({"retired": ["gone", "lawyer"], "scenarios": []})
    )
    scenarios = json.loads(_export(tmp_path, "out")["scenarios.json"])
    assert scenarios["retired"] == ["gone"]  # lawyer is a scenario again
    entry = next(e for e in scenarios["scenarios"] if e["slug"] == "lawyer")
    assert entry["formerly"] == ["an-older-lawyer", "old-lawyer"]
    assert "formerly" not in next(e for e in scenarios["scenarios"] if e["slug"] != "lawyer")


def _wipe_content():
    QuizScenario.objects.all().delete()
    Quiz.objects.all().delete()
    Choice.objects.all().delete()
    Scenario.objects.all().delete()
    Distinction.objects.all().delete()
    Alias.objects.all().delete()
    Source.objects.all().delete()
    Term.objects.filter(status=Status.RETIRED).delete()
    Term.objects.all().delete()


def test_export_load_export_is_byte_identical_with_every_status(tmp_path, quiz_setup):
    customer = quiz_setup.customer
    TermFactory(
        slug="patron", summary="A loyal regular.", status=Status.RETIRED, replaced_by=customer
    )
    TermFactory(slug="buyer", summary="Pays.", status=Status.IN_REVIEW, body="See [[patron]].")
    Distinction.objects.filter(pk=quiz_setup.client_vs_customer.pk).update(status=Status.DRAFT)
    Source.objects.create(
        term=customer, title="Second source", url="https://example.com", position=1
    )
    first = _export(tmp_path, "first")

    _wipe_content()
    call_command("load_content", dir=tmp_path / "first", stdout=open("/dev/null", "w"))  # noqa: SIM115
    second = _export(tmp_path, "second")
    assert first == second
    terms = json.loads(first["terms.json"])
    patron = next(t for t in terms["terms"] if t["slug"] == "patron")
    assert patron["status"] == "retired" and patron["replaced_by"] == "customer"
    assert [t["slug"] for t in terms["terms"]] == sorted(t["slug"] for t in terms["terms"])


def test_export_reports_unchanged_files(tmp_path, glossary):
    out = tmp_path / "out"
    call_command("export_content", dir=out, stdout=open("/dev/null", "w"))  # noqa: SIM115
    from io import StringIO

    output = StringIO()
    call_command("export_content", dir=out, stdout=output)
    assert output.getvalue().count(": unchanged.") == 3


# Scenario import in the admin


def _scenario_row(slug, answer, choices, **extra):
    row = {
        "slug": slug,
        "title": slug.title(),
        "situation": "Someone does a thing.",
        "question": "Which word fits?",
        "explanation": f"It is [[{answer}]].",
        "difficulty": "easy",
        "status": "published",
        "answer": answer,
    }
    for n in range(1, 5):
        term, feedback = choices[n - 1] if n <= len(choices) else ("", "")
        row[f"choice_{n}_term"] = term
        row[f"choice_{n}_feedback"] = feedback
    row.update(extra)
    return row


def test_scenario_json_import_with_choices(editor_client, quiz_setup):
    rows = [
        _scenario_row(
            "new-one",
            "client",
            [("client", "Advice."), ("customer", "Wider."), ("consumer", "Uses.")],
        ),
    ]
    url = "/admin/quiz/scenario/import/"
    response = upload(editor_client, url, json.dumps(rows).encode(), "s.json", "1")
    assert "Confirm import" in response.content.decode()
    assert not Scenario.objects.filter(slug="new-one").exists()
    confirm_import(editor_client, url, response)
    scenario = Scenario.objects.get(slug="new-one")
    assert scenario in Scenario.objects.published()
    assert scenario.choices.get(is_correct=True).term.slug == "client"
    assert list(scenario.choices.values_list("term__slug", flat=True)) == [
        "client",
        "customer",
        "consumer",
    ]


def test_a_scenario_file_with_one_bad_row_changes_nothing(editor_client, quiz_setup):
    lawyer = quiz_setup.scenarios[0]
    choices = [("client", "Advice."), ("customer", "Wider."), ("consumer", "Uses.")]
    rows = [
        _scenario_row("lawyer", "client", choices, title="Renamed"),
        _scenario_row(
            "answer-not-offered",
            "customer",
            [("client", "A."), ("consumer", "B."), ("secret-draft", "C.")],
            status="draft",
        ),
        _scenario_row(
            "no-feedback", "client", [("client", ""), ("customer", "W"), ("consumer", "U")]
        ),
    ]
    url = "/admin/quiz/scenario/import/"
    response = upload(editor_client, url, json.dumps(rows).encode(), "s.json", "1")
    page = response.content.decode()
    assert "Confirm import" not in page
    assert re.search(r'<th scope="row">2</th>.*?“customer” is not one of the row', page, re.S)
    assert re.search(r'<th scope="row">3</th>.*?every choice needs feedback', page, re.S)
    lawyer.refresh_from_db()
    assert lawyer.title == "Situation lawyer"
    assert not Scenario.objects.filter(slug__in=["answer-not-offered", "no-feedback"]).exists()


def test_unchanged_rows_are_skipped(editor_client, quiz_setup):
    from quiz.resources import ScenarioResource

    dataset = ScenarioResource().export()
    result = ScenarioResource().import_data(dataset, dry_run=True)
    assert not result.has_errors() and not result.has_validation_errors()
    assert result.totals["skip"] == Scenario.objects.count()


def test_export_from_the_admin(editor_client, quiz_setup):
    from quiz.resources import ScenarioResource

    csv = ScenarioResource().export().csv
    header = csv.splitlines()[0]
    assert header.startswith("slug,title,situation,question,explanation,difficulty,status,answer")
    assert "choice_4_feedback" in header
    response = editor_client.post(
        "/admin/quiz/scenario/export/",
        {"format": "0", **{f"scenarioresource_{name}": "on" for name in header.split(",")}},
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert b"lawyer" in response.content
