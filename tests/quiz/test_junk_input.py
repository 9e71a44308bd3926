"""Junk in any part of a request (NUL bytes, ids that are not numbers or too large, filter
values that name nothing) is a 4xx, or the page with a message: never a 500, on SQLite and
PostgreSQL. One case per URL pattern of the site (tests/quiz/site_urls.py), each sending junk
in every place that pattern takes it; and every kind of junk the admin's import and export
can be sent."""

from __future__ import annotations

import re
from uuid import uuid4

import pytest
from django.contrib import admin
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from glossary.imports import IMPORT_FOLDER
from glossary.models import Term
from quiz.models import Scenario
from tests.quiz.site_urls import PARAMETER, fill, logged_in_superuser, routes, samples

pytestmark = pytest.mark.django_db

NUL = "%00"
TOO_BIG = "9" * 25  # matches <int:…> but fits no database column
# What a page may answer junk with: the page itself (with its message), a redirect to where
# it belongs, or a 4xx.
HANDLED = {200, 301, 302, 303, 400, 403, 404, 405}
NUL_FORM = {"q": "\x00", "username": "\x00", "password": "\x00", "choice": "1\x00"}


def _list_parameters(route: str) -> list[str]:
    """The query parameters of a changelist (or its export page): search, sort, page and every
    filter."""
    for model, model_admin in admin.site._registry.items():
        changelist = f"admin/{model._meta.app_label}/{model._meta.model_name}/"
        if route in (changelist, f"{changelist}export/"):
            names = ["q", "o", "p", "e", "_to_field", "_popup", "_changelist_filters"]
            for entry in model_admin.list_filter:
                if isinstance(entry, str):
                    names += [f"{entry}__exact", f"{entry}__id__exact", f"{entry}__isnull"]
                else:
                    names.append(entry.parameter_name)
            if model_admin.date_hierarchy:
                names += [f"{model_admin.date_hierarchy}__{p}" for p in ("year", "month", "day")]
            return names
    return []


def _junk_requests(route: str, values: dict) -> list[tuple[str, str, dict | None, set[int]]]:
    """(method, URL, form, statuses allowed) for the junk a route can be sent."""
    url = fill(samples()[route], values)
    glue = "&" if "?" in url else "?"
    requests = [
        ("get", f"{url}{glue}q={NUL}&next={NUL}", None, {400}),
        ("post", url, NUL_FORM, {400}),
        ("get", f"{url}{glue}page=abc&sort=abc&order=abc&show=abc&from=abc&to=abc", None, HANDLED),
    ]
    if PARAMETER.search(route):
        requests += [
            ("get", "/" + PARAMETER.sub(junk, route), None, {400} if junk == NUL else HANDLED)
            for junk in ("abc", NUL, TOO_BIG)
        ]
    requests += [
        ("get", f"{url}{glue}{name}={junk}", None, HANDLED)
        for name in _list_parameters(route)
        for junk in ("abc", "-1")
    ]
    return requests


@pytest.mark.parametrize("route", routes())
def test_junk_is_a_4xx_or_the_page_with_a_message(training, route):
    client, values = logged_in_superuser(training)
    wrong = []
    for method, url, form, allowed in _junk_requests(route, values):
        response = getattr(client, method)(url, form)
        if response.status_code not in allowed:
            wrong.append((method, url, response.status_code))
        elif response.status_code == 400 and allowed == {400}:
            assert "NUL" in response.content.decode()
    stranger = Client()  # a forged session cookie is ignored: a visitor without a session
    stranger.cookies["sessionid"] = "abcdefgh\x00ijklmnop"
    stranger.cookies["csrftoken"] = "abc\x00"
    response = stranger.get(fill(samples()[route], values))
    if response.status_code not in HANDLED:
        wrong.append(("get with a NUL in the session cookie", route, response.status_code))
    assert wrong == []


def test_an_admin_filter_value_that_names_nothing_says_so(editor_client, training):
    for url in ["/admin/glossary/term/?steward=abc", "/admin/quiz/scenario/?answer=12345"]:
        response = editor_client.get(url, follow=True)
        assert response.redirect_chain[-1][1] == 302
        page = response.content.decode()
        assert "There is no" in page and "to filter by" in page
    response = editor_client.get("/admin/glossary/distinction/?term=abc")
    assert response.status_code == 302 and response["Location"].endswith("?e=1")
    # The export page has no list to fall back on.
    response = editor_client.get("/admin/glossary/term/export/?steward=abc")
    assert response.status_code == 400


def test_nul_in_a_search_is_a_400_with_a_message(client, glossary):
    response = client.get("/terms/?q=%00")
    assert response.status_code == 400
    assert "NUL character" in response.content.decode()


def test_every_url_pattern_has_a_sample():
    """A new URL pattern needs a sample in tests/quiz/site_urls.py, so that the junk and HEAD
    tests cover it."""
    assert set(routes()) - set(samples()) == set()


# The admin's import and export: an unknown format, an altered confirmation, a temporary
# file that is gone. Nothing is imported.
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
