"""Benchmark: a scenario import of 1,000 and 5,000 rows in the admin, dry run then Confirm.

Run with `make bench`; prints the time of each request and asserts only that the import
went through. The aim (issue 12): a 5,000-row import completes in under 30 s, each request
well inside a server's time-out.
"""

import csv
import io
import re
import time

import pytest
from django.db import connection
from django.test import Client

from quiz.models import Choice, Scenario
from tests.factories import TermFactory
from tests.quiz.factories import role

TERM_SLUGS = ["client", "customer", "consumer", "patron", "buyer", "shopper", "subscriber", "user"]
URL = "/admin/quiz/scenario/import/"


def _csv(rows: int, title: str) -> bytes:
    out = io.StringIO()
    header = ["slug", "title", "situation", "question", "explanation", "difficulty", "status"]
    header += ["answer"] + [
        f"choice_{n}_{part}" for n in range(1, 5) for part in ("term", "feedback")
    ]
    writer = csv.writer(out)
    writer.writerow(header)
    for n in range(rows):
        picked = [TERM_SLUGS[(n + k) % len(TERM_SLUGS)] for k in range(4)]
        choices = [value for slug in picked for value in (slug, f"Feedback on {slug} {n}.")]
        writer.writerow(
            [
                f"bench-{n:05}",
                f"{title} {n}",
                f"Someone in situation {n} pays for a thing.",
                "Which word fits them?",
                f"It is [[{picked[0]}]].",
                "easy",
                "published",
                picked[0],
                *choices,
            ]
        )
    return out.getvalue().encode()


def _timed(call):
    """The response; the wall-clock and CPU seconds it took (the test client and SQLite run
    in this process, so CPU time is the request's own cost even on a busy machine); and the
    number of SQL statements it ran, which does not depend on the machine at all."""
    statements = []

    def count(execute, sql, params, many, context):
        statements.append(1)
        return execute(sql, params, many, context)

    wall, cpu = time.perf_counter(), time.process_time()
    with connection.execute_wrapper(count):
        response = call()
    return response, (time.perf_counter() - wall, time.process_time() - cpu, len(statements))


def _import(client: Client, content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("bench.csv", content, content_type="text/csv")
    preview, dry_run = _timed(lambda: client.post(URL, {"import_file": upload, "format": "0"}))
    page = preview.content.decode()
    assert "Confirm import" in page, page[-2000:]
    fields = dict(
        re.findall(
            r'name="(import_file_name|original_file_name|format|resource)" value="([^"]*)"', page
        )
    )
    done, confirm = _timed(lambda: client.post(URL.replace("/import/", "/process_import/"), fields))
    assert done.status_code in (302, 303)
    return dry_run, confirm, len(preview.content)


@pytest.mark.parametrize("rows", [1_000, 5_000])
def test_scenario_import_timings(db, django_user_model, rows):
    from quiz.roles import EDITORS

    for slug in TERM_SLUGS:
        TermFactory(slug=slug)
    editor = django_user_model.objects.create(username="eddie", is_staff=True)
    editor.groups.add(role(EDITORS))
    client = Client()
    client.force_login(editor)

    new = _import(client, _csv(rows, "Bench"))
    assert Scenario.objects.count() == rows and Choice.objects.count() == 4 * rows
    changed = _import(client, _csv(rows, "Renamed"))
    assert Scenario.objects.filter(title__startswith="Renamed").count() == rows

    print(f"\nScenario import, {rows} rows (CSV, 4 choices each):")
    print("  (wall-clock seconds, CPU seconds, SQL statements per row)")
    for name, (dry_run, confirm, size) in (("new", new), ("changed", changed)):
        print(
            f"  {name:8} dry run {dry_run[0]:5.1f} s ({dry_run[1]:5.1f}, {dry_run[2] / rows:4.1f})"
            f"  confirm {confirm[0]:5.1f} s ({confirm[1]:5.1f}, {confirm[2] / rows:4.1f})"
            f"  total {dry_run[0] + confirm[0]:5.1f} s ({dry_run[1] + confirm[1]:5.1f})"
            f"  preview {size / 1e6:.1f} MB"
        )
