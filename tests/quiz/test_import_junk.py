"""Junk sent to the admin's import and export (issue 12, item 13): an unknown format, a
confirmation that was altered, a temporary file that is gone. Each is a 4xx, or the page with
a clear message; never a 500, and nothing is imported."""

import re
from uuid import uuid4

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile

from glossary.imports import IMPORT_FOLDER
from glossary.models import Term
from quiz.models import Scenario

pytestmark = pytest.mark.django_db

SCENARIOS = "/admin/quiz/scenario/"
TERMS = "/admin/glossary/term/"
CSV = (
    b"slug,title,situation,question,explanation,difficulty,status,answer\n"
    b"junk-test,Junk,Someone pays.,Which word fits?,Plain.,easy,draft,\n"
)
GOOD_FILES = {
    SCENARIOS: CSV,
    TERMS: b"slug,name,summary,body,status\njunk-term,Junk,Someone in a test.,Body.,draft\n",
}


def _dry_run(client, admin: str = SCENARIOS) -> dict[str, str]:
    """The fields of the Confirm form that a dry run of a good file shows."""
    upload = SimpleUploadedFile("s.csv", GOOD_FILES[admin], content_type="text/csv")
    page = client.post(f"{admin}import/", {"import_file": upload, "format": "0"})
    fields = re.findall(
        r'name="(import_file_name|original_file_name|format|resource)" value="([^"]*)"',
        page.content.decode(),
    )
    assert fields, "the dry run shows a Confirm form"
    return dict(fields)


def _confirm(client, admin=SCENARIOS, **changes):
    fields = _dry_run(client, admin) | changes
    return client.post(f"{admin}process_import/", fields)


def _confirm_after_the_file_is_gone(client, admin=SCENARIOS):
    fields = _dry_run(client, admin)
    (IMPORT_FOLDER / fields["import_file_name"]).unlink()
    return client.post(f"{admin}process_import/", fields)


def _upload(client, fmt, content=CSV, admin=SCENARIOS):
    upload = SimpleUploadedFile("s.csv", content, content_type="text/csv")
    return client.post(f"{admin}import/", {"import_file": upload, "format": fmt})


CASES = {
    # Export
    "export-get-unknown-format": lambda c: c.get(f"{SCENARIOS}export/?format=xlsx"),
    "export-get-unknown-format-terms": lambda c: c.get(f"{TERMS}export/?format=9"),
    "export-get-junk-filter": lambda c: c.get(f"{SCENARIOS}export/?nonsense__in=abc"),
    "export-post-unknown-format": lambda c: c.post(f"{SCENARIOS}export/", {"format": "9"}),
    "export-post-junk-format": lambda c: c.post(f"{TERMS}export/", {"format": "x\x00"}),
    # The upload (dry run)
    "import-unknown-format": lambda c: _upload(c, "9"),
    "import-junk-format": lambda c: _upload(c, "csv\x00"),
    "import-not-json": lambda c: _upload(c, "1"),
    "import-binary-junk": lambda c: _upload(c, "0", b"\xff\xfe\x00\x01junk"),
    # Confirm
    "confirm-unknown-format": lambda c: _confirm(c, format="9"),
    "confirm-junk-format": lambda c: _confirm(c, format="abc"),
    "confirm-other-format": lambda c: _confirm(c, format="1"),  # the CSV read as JSON
    "confirm-unknown-resource": lambda c: _confirm(c, resource="7"),
    "confirm-no-fields": lambda c: c.post(f"{SCENARIOS}process_import/", {}),
    "confirm-file-gone": _confirm_after_the_file_is_gone,
    "confirm-file-gone-terms": lambda c: _confirm_after_the_file_is_gone(c, TERMS),
    "confirm-file-never-there": lambda c: _confirm(c, import_file_name=uuid4().hex),
    "confirm-file-name-junk": lambda c: _confirm(c, import_file_name="tmpabc123"),
    "confirm-file-name-dots": lambda c: _confirm(c, import_file_name=".."),
    "confirm-file-name-path": lambda c: _confirm(c, import_file_name="../../etc/passwd"),
    "confirm-file-name-nul": lambda c: _confirm(c, import_file_name="ab\x00cd"),
    "confirm-by-get": lambda c: c.get(f"{SCENARIOS}process_import/"),
}


@pytest.mark.parametrize("send", CASES.values(), ids=CASES.keys())
def test_import_and_export_junk_is_a_4xx_or_a_clear_message(editor_client, quiz_setup, send):
    before = (list(Scenario.objects.values_list("slug", "updated")), Term.objects.count())

    response = send(editor_client)

    assert response.status_code < 500
    if response.status_code < 400:
        told = [str(m) for m in get_messages(response.wsgi_request)]
        errors = re.findall(r'class="errorlist[^"]*"', response.content.decode())
        assert told or errors, "the page says what was wrong"
    assert (list(Scenario.objects.values_list("slug", "updated")), Term.objects.count()) == before
