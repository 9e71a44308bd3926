"""The dry run of a scenario import shows every column of every row, and a file with errors lists
every error of every row at once, in the row's own line, readable without hovering."""

import json
import re

import pytest

from glossary.models import Status
from quiz.models import Choice, Scenario
from tests.helpers import confirm_import, upload
from tests.quiz.test_import_confirm import _row

pytestmark = pytest.mark.django_db

URL = "/admin/quiz/scenario/import/"


def _dry_run(client, rows):
    return upload(client, URL, json.dumps(rows).encode(), "scenarios.json", "1").content.decode()


def _table(page: str) -> tuple[list[str], dict[str, str]]:
    """The column headers of the import's table, and its rows' HTML by row number."""
    page = re.search(r'<table class="import-preview.*?</table>', page, re.S).group(0)
    headers = re.findall(r'<th scope="col">(.*?)</th>', page)
    rows = re.findall(r'<tr[^>]*>\s*<th scope="row">(\d+)</th>(.*?)</tr>', page, re.S)
    return headers, dict(rows)


def test_the_preview_shows_the_answer_and_every_choice(editor_client, quiz_setup):
    others = [quiz_setup.customer.slug, quiz_setup.consumer.slug]
    page = _dry_run(editor_client, [_row("new-one", quiz_setup.client.slug, others)])
    assert "Confirm import" in page

    headers, rows = _table(page)
    cells = re.findall(r"<td>(.*?)</td>", rows["1"], re.S)  # the columns after "Change"
    shown = {
        header: re.sub(r"<[^>]+>", "", cell)
        for header, cell in zip(headers[2:], cells, strict=True)
    }
    assert shown["answer"] == quiz_setup.client.slug
    assert shown["choice_1_term"] == quiz_setup.customer.slug
    assert shown["choice_1_feedback"] == f"Feedback on {quiz_setup.customer.slug}."
    assert shown["choice_3_term"] == quiz_setup.client.slug
    assert shown["choice_4_term"] == ""


def test_the_preview_of_a_changed_scenario_shows_its_choices_before_and_after(
    editor_client, quiz_setup
):
    lawyer = quiz_setup.scenarios[0]
    row = _row(lawyer.slug, quiz_setup.client.slug, [quiz_setup.customer.slug, "consumer"])
    page = _dry_run(editor_client, [row])
    headers, rows = _table(page)
    cells = dict(zip(headers[2:], re.findall(r"<td>(.*?)</td>", rows["1"], re.S), strict=True))
    old = lawyer.choices.get(term=quiz_setup.client).feedback
    changed = cells[f"choice_{lawyer.choices.count()}_feedback"]
    assert "<del>" in changed and "<ins>" in changed
    assert (
        re.sub(r"<del>.*?</del>|</?ins>", "", changed) == f"Feedback on {quiz_setup.client.slug}."
    )
    assert re.sub(r"<ins>.*?</ins>|</?del>", "", changed) == old


def test_every_error_of_every_row_is_listed_at_once(editor_client, quiz_setup):
    customer, consumer = quiz_setup.customer.slug, quiz_setup.consumer.slug
    fine = _row("fine", quiz_setup.client.slug, [customer, consumer])
    several = _row("several-errors", quiz_setup.client.slug, [customer, "nobody"])
    several["difficulty"] = "impossible"
    several["answer"] = "somebody"
    blank = _row("blank-feedback", customer, [quiz_setup.client.slug, consumer])
    blank["choice_2_feedback"] = ""
    blank["title"] = "T" * 200

    page = _dry_run(editor_client, [fine, several, blank])

    assert "Confirm import" not in page
    _, rows = _table(page)
    assert set(rows) == {"2", "3"}  # the row without errors is not listed among them
    for expected in ["impossible", "“nobody”", "“somebody”"]:
        assert expected in rows["2"]
    for expected in ["at most 120 characters", "every choice needs feedback"]:
        assert expected in rows["3"]
    assert not Scenario.objects.filter(slug__in=["fine", "several-errors", "blank-feedback"])


def test_errors_are_in_the_page_not_in_a_hover_box(editor_client, quiz_setup):
    row = _row("no-answer", quiz_setup.client.slug, [quiz_setup.customer.slug, "consumer"])
    row["answer"] = ""
    page = _dry_run(editor_client, [row])
    _, rows = _table(page)
    errors = re.search(r'<td class="import-preview__errors">\s*<ul>(.*?)</ul>', rows["1"], re.S)
    assert errors and "exactly one correct choice" in errors.group(1)
    assert "validation-error-container" not in page  # the library's box shown only on hover
    assert "import_export/import.css" not in page


def test_importing_the_same_choices_again_writes_no_new_versions(editor_client, quiz_setup):
    lawyer = quiz_setup.scenarios[0]
    choices = list(lawyer.choices.select_related("term"))
    row = _row(lawyer.slug, choices[-1].term.slug, [choice.term.slug for choice in choices[:-1]])
    for n, choice in enumerate(choices, start=1):
        row[f"choice_{n}_feedback"] = choice.feedback
    row["title"] = "Only the title changes"
    versions = Choice.history.filter(scenario_id=lawyer.pk).count()

    response = confirm_import(
        editor_client, URL, upload(editor_client, URL, json.dumps([row]).encode(), "s.json", "1")
    )

    assert response.status_code in (302, 303)
    lawyer.refresh_from_db()
    assert lawyer.title == "Only the title changes" and lawyer.status == Status.PUBLISHED
    assert Choice.history.filter(scenario_id=lawyer.pk).count() == versions
