"""Every change is a version: who, when, what; any two compare field by field; one click
restores an earlier version as a new one."""

import re
from datetime import UTC, datetime

import pytest
from django.contrib.auth.models import Permission

from glossary.history import compare_versions, restore_version
from glossary.models import Status
from tests.factories import UserFactory
from tests.helpers import admin_url, term_form

pytestmark = pytest.mark.django_db


def test_an_admin_change_records_who_when_and_what(editor_client, editor, glossary):
    term = glossary.customer
    response = editor_client.post(
        admin_url(term),
        term_form(term, summary="Anyone who buys from a business, once or often."),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    latest, previous = term.history.all()[:2]
    assert latest.history_user == editor
    assert [change.field for change in latest.diff_against(previous).changes] == ["summary"]

    page = editor_client.get(admin_url(term, "history")).content.decode()
    assert "eddie" in page and "Summary" in page and "Restore this version" in page


def test_history_gives_each_version_time_to_the_second(editor_client, glossary):
    term = glossary.customer
    when = datetime(2026, 11, 26, 14, 5, 32, tzinfo=UTC)
    term.history.update(history_date=when)
    page = editor_client.get(admin_url(term, "history")).content.decode()
    assert re.search(
        r'<time [^>]*datetime="2026-11-26T14:05:32\+00:00">26 Nov 2026, 14:05:32</time>', page
    )
    assert 'aria-label="Compare to the version of 26 Nov 2026, 14:05:32"' in page


def test_compare_shows_every_field_with_the_changed_words_marked(editor_client, glossary):
    term = glossary.customer
    old_summary = term.summary
    term.summary = "Anyone who buys goods from a business."
    term.save()
    new, old = term.history.all()[:2]
    rows = {row.label: row for row in compare_versions(old, new)}
    assert rows["Summary"].changed and not rows["Name"].changed
    assert rows["Summary"].old == old_summary
    assert rows["Summary"].new_html == "Anyone who buys<ins> goods</ins> from a business."
    assert rows["Summary"].old_html == rows["Summary"].old

    url = admin_url(term, "history") + f"compare/?from={old.history_id}&to={new.history_id}"
    page = editor_client.get(url).content.decode()
    assert "1 field changed" in page and "<ins>" in page


def test_compare_without_two_versions_goes_back_to_the_history(editor_client, glossary):
    term = glossary.customer
    response = editor_client.get(admin_url(term, "history") + "compare/?from=x")
    assert response.status_code == 302 and response["Location"].endswith("/history/")


@pytest.mark.parametrize("object_id", ["1/change", "not-a-number", "99999"])
def test_the_history_of_junk_or_missing_ids_is_a_404(editor_client, glossary, object_id):
    response = editor_client.get(f"/admin/glossary/term/{object_id}/history/")
    assert response.status_code == 404
    compare = editor_client.get(f"/admin/glossary/term/{object_id}/history/compare/?from=1&to=2")
    assert compare.status_code == 404


def test_restore_brings_the_old_text_back_as_a_new_version(editor_client, editor, glossary):
    term = glossary.customer
    original = term.summary
    term.summary = "A typo’d summary with a misteak."
    term.save()
    status_before = term.status
    versions = term.history.count()
    old = term.history.last()

    response = editor_client.post(admin_url(term, "history") + f"{old.history_id}/restore/")
    assert response.status_code == 303
    term.refresh_from_db()
    assert term.summary == original and term.status == status_before
    assert term.history.count() == versions + 1
    newest = term.history.first()
    assert newest.history_user == editor and "Restored" in newest.history_change_reason


def test_restore_keeps_the_current_status(glossary):
    term = glossary.draft
    first = term.history.last()
    term.status = Status.PUBLISHED
    term.summary = "Now a real summary."
    term.save()
    restore_version(record=first)
    term.refresh_from_db()
    assert term.status == Status.PUBLISHED and term.summary == first.summary


def test_a_version_that_no_longer_passes_the_rules_is_not_restored(editor_client, glossary):
    term = glossary.customer
    term.body = "See [[secret-draft]]."
    term.save()
    linked = term.history.first()
    term.body = "No links now."
    term.save()
    glossary.draft.delete()
    response = editor_client.post(
        admin_url(term, "history") + f"{linked.history_id}/restore/", follow=True
    )
    assert "cannot be restored" in response.content.decode()
    term.refresh_from_db()
    assert term.body == "No links now."


def test_restore_needs_post_and_change_permission(client, editor_client, glossary):
    term = glossary.customer
    url = admin_url(term, "history") + f"{term.history.last().history_id}/restore/"
    assert editor_client.get(url).status_code == 405


def test_restoring_a_term_brings_its_aliases_and_sources_back(glossary):
    from glossary.models import Alias, Source

    term = glossary.customer
    Source.objects.create(term=term, title="A dictionary", position=0)
    term.save()  # a version with the alias “customer base” and one source
    before = term.history.first()
    term.summary = "Anyone who buys, once or often."
    term.save()
    Alias.objects.get(slug="customer-base").delete()
    Alias.objects.create(term=term, name="customers", slug="customers")
    Source.objects.filter(term=term).update(url="https://example.com/changed")
    Source.objects.create(term=term, title="A new source", position=5)

    rows = {row.label: row for row in compare_versions(before, term.history.first())}
    assert rows["Aliases"].old == "customer base (customer-base)"
    assert rows["Aliases"].new == "customers (customers)"
    assert rows["Sources"].changed

    restore_version(record=before)
    term.refresh_from_db()
    assert term.summary == before.summary
    assert list(term.aliases.values_list("slug", flat=True)) == ["customer-base"]
    assert list(term.sources.values_list("title", "url")) == [("A dictionary", "")]


def test_history_without_change_permission_shows_but_cannot_restore(client, glossary):
    viewer = UserFactory(
        username="viewer",
        is_staff=True,
        permissions=Permission.objects.filter(codename__in=["view_term", "view_historicalterm"]),
    )
    client.force_login(viewer)
    term = glossary.customer
    page = client.get(f"/admin/glossary/term/{term.pk}/history/").content.decode()
    assert "Compare selected versions" in page and "Restore this version" not in page
    version = term.history.last().history_id
    assert (
        client.post(f"/admin/glossary/term/{term.pk}/history/{version}/restore/").status_code == 403
    )
