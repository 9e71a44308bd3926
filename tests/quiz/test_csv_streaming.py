"""The trainers' CSVs byte for byte on a fixed dataset, and how they stream: the header goes
out before the big query runs, and on PostgreSQL the rows come from a server-side cursor."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from quiz import reports
from quiz.models import Attempt, Response
from quiz.services import start_attempt
from tests.quiz.factories import make_finished_attempt

pytestmark = pytest.mark.django_db

START = datetime(2026, 3, 4, 9, 30, 15, 123456, tzinfo=UTC)


def _content(response) -> str:
    assert response.streaming
    return b"".join(response.streaming_content).decode("utf-8")


@pytest.fixture
def answered(training):
    """Fixed times and a mix of cells: a formula-looking username and scenario title, a visitor,
    an unfinished attempt, an attempt for no assignment and a term that is gone (None)."""
    ada = training.learners[0]
    ada.username = "@SUM(1+1)"
    ada.save()
    lawyer, shop, cake = training.scenarios
    lawyer.title = "=HYPERLINK(1)"
    lawyer.save()
    right = {scenario: scenario.choices.get(is_correct=True).term for scenario in (lawyer, shop)}
    right[cake] = training.customer  # wrong
    first = make_finished_attempt(ada, training.fixed, right, assignment=training.assignment)
    second = make_finished_attempt(training.learners[1], training.fixed, right)
    visitor = start_attempt(quiz=training.fixed, session_key="s" * 32)
    attempts = [first, second, visitor]
    for number, attempt in enumerate(attempts):
        started = START + timedelta(hours=number)
        Attempt.objects.filter(pk=attempt.pk).update(
            started=started, finished=started + timedelta(minutes=5) if number < 2 else None
        )
        for position, scenario in enumerate((lawyer, shop, cake)):
            Response.objects.filter(attempt=attempt, scenario=scenario).update(
                answered=started + timedelta(minutes=position, microseconds=999)
            )
    Response.objects.filter(attempt=second, scenario=shop).update(term=None)
    return attempts


def test_responses_csv_is_exactly_as_before(training, answered):
    first, second, _ = answered
    client = Client()
    client.force_login(training.trainer)
    content = _content(client.get("/trainer/quizzes/fixed/responses.csv"))
    header = (
        "attempt_id,username,quiz,assignment_id,attempt_started,attempt_finished,"
        "scenario,scenario_title,chosen_term,correct_term,is_correct,answered"
    )
    a, b, pk = first.pk, second.pk, training.assignment.pk
    assert content == "\ufeff" + "\r\n".join(
        [
            header,
            f"{a},'@SUM(1+1),fixed,{pk},2026-03-04T09:30:15+00:00,2026-03-04T09:35:15+00:00,"
            "lawyer,'=HYPERLINK(1),client,client,yes,2026-03-04T09:30:15+00:00",
            f"{a},'@SUM(1+1),fixed,{pk},2026-03-04T09:30:15+00:00,2026-03-04T09:35:15+00:00,"
            "corner-shop,Situation corner-shop,customer,customer,yes,2026-03-04T09:31:15+00:00",
            f"{a},'@SUM(1+1),fixed,{pk},2026-03-04T09:30:15+00:00,2026-03-04T09:35:15+00:00,"
            "birthday-cake,Situation birthday-cake,customer,consumer,no,"
            "2026-03-04T09:32:15+00:00",
            f"{b},bob,fixed,,2026-03-04T10:30:15+00:00,2026-03-04T10:35:15+00:00,"
            "lawyer,'=HYPERLINK(1),client,client,yes,2026-03-04T10:30:15+00:00",
            f"{b},bob,fixed,,2026-03-04T10:30:15+00:00,2026-03-04T10:35:15+00:00,"
            "corner-shop,Situation corner-shop,,customer,yes,2026-03-04T10:31:15+00:00",
            f"{b},bob,fixed,,2026-03-04T10:30:15+00:00,2026-03-04T10:35:15+00:00,"
            "birthday-cake,Situation birthday-cake,customer,consumer,no,"
            "2026-03-04T10:32:15+00:00",
            "",
        ]
    )


@pytest.mark.usefixtures("answered")
def test_learners_csv_is_exactly_as_before(training):
    client = Client()
    client.force_login(training.trainer)
    url = f"/trainer/assignments/{training.assignment.pk}/learners.csv"
    content = _content(client.get(url))
    assert content == "\ufeff" + "\r\n".join(
        [
            "username,name,status,best_score_percent,attempts,last_activity",
            "'@SUM(1+1),Ada Lovelace,Passed,67,1,2026-03-04T09:35:15+00:00",
            "bob,,Not started,,0,",
            "cy,,Not started,,0,",
            "",
        ]
    )


RESPONSES_HEADER = (
    "attempt_id,username,quiz,assignment_id,attempt_started,attempt_finished,"
    "scenario,scenario_title,chosen_term,correct_term,is_correct,answered\r\n"
)


@pytest.mark.parametrize("kind", ["responses", "learners"])
def test_the_header_goes_out_before_the_rows_are_read(training, answered, kind):
    client = Client()
    client.force_login(training.trainer)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/trainer/quizzes/fixed/{kind}.csv")
        chunks = iter(response.streaming_content)
        first = next(chunks)
        before = len(queries)
        rest = b"".join(chunks)
    assert first.decode().startswith("\ufeff") and first.count(b"\r\n") == 1
    if kind == "responses":
        assert first.decode() == "\ufeff" + RESPONSES_HEADER
    assert all("quiz_attempt" not in query["sql"] for query in queries[:before])
    assert rest.count(b"\r\n") == (6 if kind == "responses" else 2)


def test_responses_come_in_batches(training, answered, monkeypatch):
    monkeypatch.setattr(reports, "CSV_BATCH", 4)
    client = Client()
    client.force_login(training.trainer)
    chunks = list(client.get("/trainer/quizzes/fixed/responses.csv").streaming_content)
    assert [chunk.count(b"\r\n") for chunk in chunks] == [1, 4, 2]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's cursors")
@pytest.mark.django_db(transaction=True)
def test_on_postgresql_responses_stream_from_cursors_in_a_transaction(
    training, answered, monkeypatch
):
    """Outside a transaction Django declares its cursors WITH HOLD, which PostgreSQL fills
    with the whole result before the first row; inside one, they stream."""
    monkeypatch.setattr(reports, "CSV_BATCH", 4)
    client = Client()
    client.force_login(training.trainer)
    chunks = iter(client.get("/trainer/quizzes/fixed/responses.csv").streaming_content)
    assert next(chunks).count(b"\r\n") == 1
    assert next(chunks).count(b"\r\n") == 4
    with connection.cursor() as cursor:
        cursor.execute("SELECT is_holdable FROM pg_cursors WHERE name LIKE '_django_curs_%%'")
        assert cursor.fetchall() == [(False,), (False,)]  # the responses' and the attempts'
    assert connection.in_atomic_block
    assert b"".join(chunks).count(b"\r\n") == 2
    assert not connection.in_atomic_block  # the download's transaction is over
