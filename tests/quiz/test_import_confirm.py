"""Confirming a scenario import checks every row again, in one transaction, at the moment it is
applied: what changed since the dry run (a term unpublished or deleted) stops the whole file,
with the errors shown. Confirming the same import twice says it was applied already."""

import json

import pytest
import tablib
from django.contrib.messages import get_messages

from glossary.models import Status, Term
from glossary.services import change_status
from quiz.models import Choice, Scenario
from quiz.resources import ScenarioResource
from tests.factories import TermFactory
from tests.helpers import confirm_import, upload

pytestmark = pytest.mark.django_db

URL = "/admin/quiz/scenario/import/"


def _row(slug, answer, others, **extra):
    """A scenario row offering `others` and then `answer`, the right one, all with feedback."""
    row = {
        "slug": slug,
        "title": slug.replace("-", " ").capitalize(),
        "situation": "Someone pays for a thing.",
        "question": "Which word fits them?",
        "explanation": f"It is [[{answer}]].",
        "difficulty": "easy",
        "status": Status.PUBLISHED,
        "answer": answer,
    }
    for n, slug_n in enumerate([*others, answer], start=1):
        row[f"choice_{n}_term"] = slug_n
        row[f"choice_{n}_feedback"] = f"Feedback on {slug_n}."
    return row


def _dry_run(client, rows):
    response = upload(client, URL, json.dumps(rows).encode(), "scenarios.json", "1")
    assert "Confirm import" in response.content.decode()
    return response


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def _unpublish(term: Term) -> None:
    change_status(obj=term, status=Status.DRAFT)


def _delete(term: Term) -> None:
    term.delete()


@pytest.mark.parametrize("change", [_unpublish, _delete], ids=["unpublished", "deleted"])
def test_confirm_checks_again_and_saves_nothing_when_a_term_changed(
    editor_client, quiz_setup, change
):
    answer = TermFactory(slug="advisee")
    others = [quiz_setup.client.slug, quiz_setup.customer.slug]
    rows = [
        _row("first-fine", quiz_setup.consumer.slug, others),
        _row("second-changes", answer.slug, others),
    ]
    preview = _dry_run(editor_client, rows)
    before = (Scenario.objects.count(), Choice.objects.count())

    change(answer)  # by someone else, between the dry run and Confirm
    response = confirm_import(editor_client, URL, preview)

    assert response.status_code == 200
    page = response.content.decode()
    assert "advisee" in page.lower()  # the error names the term that changed
    assert "Confirm import" not in page
    assert (Scenario.objects.count(), Choice.objects.count()) == before
    assert not Scenario.objects.filter(slug__in=["first-fine", "second-changes"]).exists()
    assert not any("Import finished" in message for message in _messages(response))


def test_confirm_does_not_half_write_an_update(editor_client, quiz_setup):
    """An existing published scenario whose new answer's term goes away keeps its old self."""
    lawyer = quiz_setup.scenarios[0]
    replacement = TermFactory(slug="advisee")
    row = _row(lawyer.slug, replacement.slug, [quiz_setup.customer.slug, quiz_setup.consumer.slug])
    row["title"] = "A new title"
    preview = _dry_run(editor_client, [row])
    wanted_before = list(lawyer.choices.values_list("term__slug", "is_correct", "feedback"))

    replacement.delete()
    response = confirm_import(editor_client, URL, preview)

    assert response.status_code == 200
    lawyer.refresh_from_db()
    assert lawyer.title != "A new title"
    assert list(lawyer.choices.values_list("term__slug", "is_correct", "feedback")) == (
        wanted_before
    )


def test_confirming_twice_says_it_was_applied_already(editor_client, quiz_setup):
    rows = [_row("once-only", quiz_setup.client.slug, [quiz_setup.customer.slug, "consumer"])]
    preview = _dry_run(editor_client, rows)
    first = confirm_import(editor_client, URL, preview)
    assert first.status_code in (302, 303)
    assert Scenario.objects.filter(slug="once-only").count() == 1
    saved = Scenario.objects.get(slug="once-only").updated

    second = confirm_import(editor_client, URL, preview)  # a double click, the back button

    assert second.status_code in (302, 303)
    assert second["Location"].endswith("/admin/quiz/scenario/")
    assert any("already applied" in message for message in _messages(second))
    assert Scenario.objects.get(slug="once-only").updated == saved


def test_a_row_that_fails_while_saving_leaves_nothing_of_itself(quiz_setup):
    """Even for a caller that keeps the rows that pass, a row is all or nothing: the library's
    savepoint around each row must not keep the scenario while its choices fail."""
    lawyer = quiz_setup.scenarios[0]
    row = _row(lawyer.slug, quiz_setup.client.slug, [quiz_setup.customer.slug, "consumer"])
    row["title"] = "Renamed"
    # Checked when the choice is saved, after the scenario: a link to no term.
    row["choice_1_feedback"] = "See [[nobody-at-all]]."
    dataset = tablib.Dataset(headers=list(row))
    dataset.append(list(row.values()))

    result = ScenarioResource().import_data(dataset, rollback_on_validation_errors=False)

    assert result.has_validation_errors()
    lawyer.refresh_from_db()
    assert lawyer.title != "Renamed"
