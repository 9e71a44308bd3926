"""Confirming a term import checks every row again and applies the file whole or not at all,
and only once (glossary/imports.py)."""

import pytest
from django.contrib.messages import get_messages

from glossary.imports import AlreadyApplied, ImportFile, ImportGone
from glossary.models import Status, Term
from tests.factories import TermFactory
from tests.glossary.test_import_export import _csv, _term_row
from tests.helpers import confirm_import, upload

pytestmark = pytest.mark.django_db

URL = "/admin/glossary/term/import/"


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_a_term_file_is_applied_whole_or_not_at_all_when_confirmed(editor_client, glossary):
    old = TermFactory(slug="shopkeeper", status=Status.PUBLISHED)
    rows = [
        _term_row("buyer", "Whoever decides on a purchase and pays."),
        _term_row(
            "patron", "A loyal regular of one venue.", status="retired", replaced_by=old.slug
        ),
    ]
    preview = upload(editor_client, URL, _csv(rows), "terms.csv", "0")
    assert "Confirm import" in preview.content.decode()

    old.delete()  # by someone else, before Confirm
    response = confirm_import(editor_client, URL, preview)

    assert response.status_code == 200
    assert "Confirm import" not in response.content.decode()
    assert not Term.objects.filter(slug__in=["buyer", "patron"]).exists()
    assert not any("Import finished" in message for message in _messages(response))


def test_confirming_a_term_import_twice_says_it_was_applied_already(editor_client, glossary):
    rows = [_term_row("buyer", "Whoever decides on a purchase and pays.")]
    preview = upload(editor_client, URL, _csv(rows), "terms.csv", "0")
    assert confirm_import(editor_client, URL, preview).status_code in (302, 303)
    saved = Term.objects.get(slug="buyer").updated

    second = confirm_import(editor_client, URL, preview)

    assert second.status_code in (302, 303)
    assert second["Location"].endswith("/admin/glossary/term/")
    assert any("already applied" in message for message in _messages(second))
    assert Term.objects.get(slug="buyer").updated == saved
    assert Term.objects.get(slug="buyer").history.count() == 1


def test_an_import_file_is_claimed_by_one_confirm_only():
    """Two Confirms at the same moment: the second finds the file being applied."""
    first = ImportFile(encoding="utf-8-sig", read_mode="r")
    first.save(b"slug\nbuyer\n")
    second = ImportFile(name=first.name, encoding="utf-8-sig", read_mode="r")

    first.claim()
    with pytest.raises(AlreadyApplied, match="being applied"):
        second.claim()
    assert first.read() == "slug\nbuyer\n"
    first.mark_applied()
    with pytest.raises(AlreadyApplied, match="already applied"):
        second.claim()


@pytest.mark.parametrize("name", ["", "..", "../../etc/passwd", "tmpabc", "a" * 32, None])
def test_an_import_file_name_that_is_no_token_is_refused(name):
    with pytest.raises(ImportGone):
        ImportFile(name=name).claim()
