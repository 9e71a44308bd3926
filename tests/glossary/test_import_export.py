"""Term import in the admin is a dry run first and all or nothing; it needs the change
permission, export only the view permission."""

import re

import pytest
from django.contrib.auth.models import Permission

from glossary.models import Status, Term
from tests.factories import UserFactory
from tests.helpers import confirm_import, upload

pytestmark = pytest.mark.django_db


def _csv(rows: list[dict]) -> bytes:
    header = list(rows[0])
    lines = [",".join(header)]
    for row in rows:
        lines.append(",".join('"' + str(row[key]).replace('"', '""') + '"' for key in header))
    return ("\n".join(lines) + "\n").encode()


def _term_row(slug, summary, **extra):
    row = {
        "slug": slug,
        "name": slug.title(),
        "summary": summary,
        "body": f"About {slug}s.",
        "status": "draft",
        "replaced_by": "",
        "steward": "",
    }
    row.update(extra)
    return row


def test_term_import_shows_a_dry_run_then_applies(editor_client, glossary):
    url = "/admin/glossary/term/import/"
    rows = [
        _term_row("buyer", "Whoever decides on a purchase and pays."),
        _term_row(
            "customer", "Anyone who buys from a business, once or often.", status="published"
        ),
    ]
    response = upload(editor_client, url, _csv(rows), "terms.csv", "0")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Confirm import" in page and "New" in page and "Update" in page
    assert not Term.objects.filter(slug="buyer").exists()  # a dry run changes nothing
    assert Term.objects.get(slug="customer").summary == "Anyone who buys from a business."

    response = confirm_import(editor_client, url, response)
    assert response.status_code == 303
    assert Term.objects.get(slug="buyer").status == Status.DRAFT
    assert Term.objects.get(slug="customer").summary.endswith("once or often.")
    assert Term.objects.get(slug="buyer").history.first().history_user.username == "eddie"


def test_a_term_file_with_one_bad_row_changes_nothing_and_names_the_row(editor_client, glossary):
    rows = [
        _term_row("buyer", "Whoever decides on a purchase and pays."),
        _term_row("shopper", "Browses a shop. Has not bought yet."),
        _term_row("user", "Uses the product.", body="See [[nobody]]."),
    ]
    response = upload(editor_client, "/admin/glossary/term/import/", _csv(rows), "t.csv", "0")
    page = response.content.decode()
    assert "Confirm import" not in page
    assert "Some rows failed to validate" in page
    assert re.search(r'<th scope="row">2</th>.*?one sentence', page, re.S)
    assert re.search(r'<th scope="row">3</th>.*?\[\[nobody\]\]', page, re.S)
    assert not Term.objects.filter(slug__in=["buyer", "shopper", "user"]).exists()


def test_terms_in_one_file_may_link_to_each_other(editor_client, glossary):
    rows = [
        _term_row("buyer", "Pays.", body="Not a [[shopper]]."),
        _term_row("shopper", "Browses.", body="Not yet a [[buyer]]."),
    ]
    response = upload(editor_client, "/admin/glossary/term/import/", _csv(rows), "t.csv", "0")
    assert "Confirm import" in response.content.decode()


def test_importing_needs_the_change_permission(client, glossary):
    viewer = UserFactory(
        username="viewer",
        is_staff=True,
        permissions=Permission.objects.filter(codename="view_term"),
    )
    client.force_login(viewer)
    assert client.get("/admin/glossary/term/").status_code == 200
    assert client.get("/admin/glossary/term/import/").status_code == 403
    assert client.get("/admin/glossary/term/export/").status_code == 200
