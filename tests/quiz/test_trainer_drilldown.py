"""The trainers' drill-down from a report: each learner's attempts question by question, a
question as the learner saw it, and a question of the report with how many picked each
option. Only what the report counts can be reached; query counts stay fixed."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from quiz import services
from quiz.models import Attempt
from quiz.trainer_views import ATTEMPTS_PER_PAGE
from tests.factories import UserFactory
from tests.quiz.factories import make_assignment, make_finished_attempt
from tests.quiz.test_records import EDITS

pytestmark = pytest.mark.django_db


def _answers(setup, right: int) -> dict:
    """The first `right` scenarios answered right, the others with their first wrong term."""
    return {
        scenario: scenario.choices.filter(is_correct=index < right).first().term
        for index, scenario in enumerate(setup.scenarios)
    }


def _base(training) -> str:
    return f"/trainer/assignments/{training.assignment.pk}"


@pytest.fixture
def ada_attempt(training):
    """Ada finished the assignment: lawyer (client) missed with customer, the rest right."""
    lawyer, *rest = training.scenarios
    answers = {lawyer: training.customer, **{s: s.choices.get(is_correct=True).term for s in rest}}
    return make_finished_attempt(
        training.learners[0], training.fixed, answers, assignment=training.assignment
    )


def test_the_report_links_each_learner_to_their_attempts(trainer_client, training, ada_attempt):
    html = trainer_client.get(f"{_base(training)}/").content.decode()
    ada, bob, _ = training.learners
    assert f'href="{_base(training)}/learners/{ada.pk}/">Ada Lovelace</a>' in html
    assert f'href="{_base(training)}/learners/{bob.pk}/">bob</a>' in html


def test_a_learners_page_shows_every_question_picked_right_and_when(
    trainer_client, training, ada_attempt
):
    ada = training.learners[0]
    html = trainer_client.get(f"{_base(training)}/learners/{ada.pk}/").content.decode()
    assert "Ada Lovelace" in html and "Attempt 1" in html
    assert "2 of 3</strong> correct (67%)" in html
    for question in ada_attempt.questions.all():
        url = f"{_base(training)}/attempts/{ada_attempt.pk}/questions/{question.position}/"
        assert f'href="{url}"' in html
    lawyer_row = re.search(r"<tr>(?:(?!</tr>).)*Situation lawyer.*?</tr>", html, re.S).group()
    assert 'data-label="Picked">Customer<' in lawyer_row
    assert 'data-label="Right answer">Client<' in lawyer_row
    assert "Wrong" in lawyer_row
    response = ada_attempt.responses.get(scenario=training.scenarios[0])
    local = timezone.localtime(response.answered)
    assert local.strftime("%H:%M:%S") in lawyer_row  # times to the second
    assert f'datetime="{local.isoformat()}"' in lawyer_row


def test_an_unfinished_attempt_shows_unanswered_questions(trainer_client, training):
    ada = training.learners[0]
    services.start_assignment(assignment=training.assignment, user=ada)
    html = trainer_client.get(f"{_base(training)}/learners/{ada.pk}/").content.decode()
    assert "In progress" in html and "0 of 3 answered so far" in html
    assert html.count("Not answered") == 3


def test_an_assigned_learner_who_has_not_started(trainer_client, training):
    bob = training.learners[1]
    html = trainer_client.get(f"{_base(training)}/learners/{bob.pk}/").content.decode()
    assert "bob has not started this assignment yet." in html
    assert "Not started" in html


def test_attempts_are_newest_first_a_page_at_a_time(trainer_client, training):
    ada = training.learners[0]
    for _ in range(ATTEMPTS_PER_PAGE + 2):
        make_finished_attempt(
            ada, training.fixed, _answers(training, 3), assignment=training.assignment
        )
    url = f"{_base(training)}/learners/{ada.pk}/"
    first = trainer_client.get(url).content.decode()
    assert f"Attempt {ATTEMPTS_PER_PAGE + 2}" in first and "Attempt 3" in first
    assert "Attempt 2<" not in first and "Page 1 of 2" in first
    second = trainer_client.get(url + "?page=2").content.decode()
    assert "Attempt 2" in second and "Attempt 1" in second and "Attempt 3" not in second


def test_the_question_as_the_learner_saw_it(trainer_client, training, ada_attempt):
    position = ada_attempt.questions.get(scenario=training.scenarios[0]).position
    url = f"{_base(training)}/attempts/{ada_attempt.pk}/questions/{position}/"
    html = trainer_client.get(url).content.decode()
    assert "Situation lawyer" in html and "Someone in situation lawyer" in html
    # The choices in the order they were offered, with the right one and the pick marked.
    assert html.index(">Customer<") < html.index(">Consumer<") < html.index(">Client<")
    assert "FEEDBACK-lawyer-customer" in html and "EXPLANATION-lawyer" in html
    assert "Right answer" in html and "Picked by Ada Lovelace" in html
    assert f'href="{_base(training)}/learners/{training.learners[0].pk}/"' in html


@pytest.mark.parametrize("edit", EDITS)
def test_the_question_page_shows_the_record_whatever_editors_did(
    trainer_client, training, ada_attempt, edit
):
    position = ada_attempt.questions.get(scenario=training.scenarios[0]).position
    edit(training)
    url = f"{_base(training)}/attempts/{ada_attempt.pk}/questions/{position}/"
    html = trainer_client.get(url).content.decode()
    assert "Situation lawyer" in html and "NEW" not in html
    right = re.search(r'asked__choice--right[^"]*">\s*<p[^>]*><strong>([^<]+)<', html).group(1)
    assert right == "Client"
    picked = re.search(r'asked__choice--picked[^"]*">\s*<p[^>]*><strong>([^<]+)<', html).group(1)
    assert picked == "Customer"
    learner = trainer_client.get(f"{_base(training)}/learners/{training.learners[0].pk}/")
    assert "Situation lawyer" in learner.content.decode()


def test_each_question_row_of_the_report_counts_every_option_from_the_tallies(
    trainer_client, training, ada_attempt
):
    bob, cy = training.learners[1:]
    make_finished_attempt(
        bob, training.fixed, _answers(training, 3), assignment=training.assignment
    )
    lawyer = training.scenarios[0]
    make_finished_attempt(
        cy,
        training.fixed,
        {**_answers(training, 3), lawyer: training.consumer},
        assignment=training.assignment,
    )
    with CaptureQueriesContext(connection) as queries:
        html = trainer_client.get(f"{_base(training)}/").content.decode()
    assert not [q["sql"] for q in queries if "quiz_response" in q["sql"]]
    row = re.search(r"<tr>(?:(?!</tr>).)*Situation lawyer.*?</tr>", html, re.S).group()
    picks = re.findall(r'picks__term">([^<]+)<.*?picks__count">([^<]+)<', row, re.S)
    assert [(name.strip(), count) for name, count in picks] == [
        ("Client", "1 · 33%"),
        ("Consumer", "1 · 33%"),
        ("Customer", "1 · 33%"),
    ]
    assert f'href="{_base(training)}/questions/{lawyer.pk}/"' in row
    # Options nobody picked are listed too, after the others.
    shop = re.search(r"<tr>(?:(?!</tr>).)*Situation corner-shop.*?</tr>", html, re.S).group()
    picks = re.findall(r'picks__term">([^<]+)<.*?picks__count">([^<]+)<', shop, re.S)
    assert [(name.strip(), count) for name, count in picks] == [
        ("Customer", "3 · 100%"),
        ("Client", "0 · 0%"),
        ("Consumer", "0 · 0%"),
    ]
    assert "/quiz/try/" not in html  # not the public page: the question as asked


def test_a_report_names_questions_and_options_as_they_are_after_an_edit(
    trainer_client, training, ada_attempt
):
    """The questions' titles and options are kept per content version: an edit shows on the
    next view of the report."""
    shop = training.scenarios[1]
    trainer_client.get(f"{_base(training)}/")  # kept from here
    shop.title = "Situation corner-shop, reworded"
    shop.save()
    shop.choices.filter(is_correct=False).first().delete()
    html = trainer_client.get(f"{_base(training)}/").content.decode()
    row = re.search(r"<tr>(?:(?!</tr>).)*corner-shop, reworded.*?</tr>", html, re.S).group()
    picks = re.findall(r'picks__term">([^<]+)<', row)
    assert [name.strip() for name in picks] == ["Customer", "Consumer"]


def test_a_report_question_shows_it_as_asked_with_the_picks(trainer_client, training, ada_attempt):
    lawyer = training.scenarios[0]
    EDITS[1](training)  # reworded since
    html = trainer_client.get(f"{_base(training)}/questions/{lawyer.pk}/").content.decode()
    assert "Situation lawyer" in html and "NEW title" not in html
    assert "Over 1 answer in finished attempts of the current assignees; 0% correct." in html
    picks = re.findall(r'picks__term">([^<]+)<.*?picks__count">([^<]+)<', html, re.S)
    assert [(name.strip(), count) for name, count in picks] == [
        ("Customer", "1 · 100%"),
        ("Client", "0 · 0%"),  # the right answer, as recorded
        ("Consumer", "0 · 0%"),
    ]
    quiz_html = trainer_client.get(f"/trainer/quizzes/fixed/questions/{lawyer.pk}/").content
    assert "Situation lawyer" in quiz_html.decode()


def test_a_report_question_nobody_finished_yet(trainer_client, training):
    ada = training.learners[0]
    services.start_assignment(assignment=training.assignment, user=ada)
    html = trainer_client.get(
        f"{_base(training)}/questions/{training.scenarios[0].pk}/"
    ).content.decode()
    assert "Nobody has finished an attempt with this question yet" in html


def test_the_quiz_report_drills_down_the_same_way(trainer_client, training, ada_attempt):
    ada = training.learners[0]
    practice_only = UserFactory(username="pat")
    make_finished_attempt(practice_only, training.fixed, _answers(training, 1))
    html = trainer_client.get("/trainer/quizzes/fixed/").content.decode()
    assert f'href="/trainer/quizzes/fixed/learners/{ada.pk}/">Ada Lovelace</a>' in html
    assert f'href="/trainer/quizzes/fixed/learners/{practice_only.pk}/">pat</a>' in html
    page = trainer_client.get(f"/trainer/quizzes/fixed/learners/{practice_only.pk}/")
    assert page.status_code == 200 and "Attempt 1" in page.content.decode()
    attempt = Attempt.objects.get(user=practice_only)
    url = f"/trainer/quizzes/fixed/attempts/{attempt.pk}/questions/1/"
    assert trainer_client.get(url).status_code == 200


def _urls(training, attempt, user_id, scenario_id):
    base = _base(training)
    return [
        f"{base}/learners/{user_id}/",
        f"{base}/attempts/{attempt.pk}/questions/1/",
        f"{base}/questions/{scenario_id}/",
    ]


def test_what_the_report_does_not_count_is_404(trainer_client, training, ada_attempt):
    outsider = training.outsider
    base = _base(training)
    # Someone not assigned, with an attempt of the same quiz made outside the assignment.
    own = make_finished_attempt(outsider, training.fixed, _answers(training, 3))
    for url in [
        f"{base}/learners/{outsider.pk}/",
        f"{base}/learners/999999/",
        f"{base}/attempts/{own.pk}/questions/1/",
        f"{base}/attempts/{ada_attempt.pk}/questions/99/",
        f"{base}/questions/{training.draft_scenario.pk}/",
        f"{base}/questions/999999/",
        f"/trainer/assignments/999999/learners/{training.learners[0].pk}/",
        f"/trainer/quizzes/nope/learners/{training.learners[0].pk}/",
        f"/trainer/quizzes/practice/learners/{training.learners[0].pk}/",
        f"/trainer/quizzes/practice/attempts/{ada_attempt.pk}/questions/1/",
    ]:
        assert trainer_client.get(url).status_code == 404, url
    # An attempt counts toward its own assignment only.
    other = make_assignment(training.fixed, users=[training.learners[0]])
    assert (
        trainer_client.get(
            f"/trainer/assignments/{other.pk}/attempts/{ada_attempt.pk}/questions/1/"
        ).status_code
        == 404
    )
    # Someone taken off the assignment leaves its report, and its drill-down.
    training.team.user_set.remove(training.learners[0])
    for url in _urls(training, ada_attempt, training.learners[0].pk, training.scenarios[0].pk):
        assert trainer_client.get(url).status_code == 404, url


def test_a_visitors_attempt_is_not_in_the_quiz_drilldown(trainer_client, training):
    attempt = services.start_attempt(quiz=training.fixed, session_key="visitor")
    url = f"/trainer/quizzes/fixed/attempts/{attempt.pk}/questions/1/"
    assert trainer_client.get(url).status_code == 404


def test_learners_get_403_and_visitors_the_login(training, ada_attempt):
    urls = _urls(training, ada_attempt, training.learners[0].pk, training.scenarios[0].pk)
    learner = Client()
    learner.force_login(training.learners[0])
    for url in urls:
        assert learner.get(url).status_code == 403, url
        response = Client().get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
        assert learner.head(url).status_code == 403


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_drilldown_pages_run_a_fixed_number_of_queries(
    trainer_client, training, ada_attempt, django_assert_num_queries
):
    ada = training.learners[0]
    urls = _urls(training, ada_attempt, ada.pk, training.scenarios[0].pk)
    urls += [f"/trainer/quizzes/fixed/learners/{ada.pk}/"]
    for url in urls:  # once first: the links of feedback are read once per content version
        trainer_client.get(url)
    before = [_queries(trainer_client, url) for url in urls]
    for _ in range(ATTEMPTS_PER_PAGE + 3):
        make_finished_attempt(
            ada, training.fixed, _answers(training, 2), assignment=training.assignment
        )
    for learner in training.learners[1:]:
        make_finished_attempt(
            learner, training.fixed, _answers(training, 1), assignment=training.assignment
        )
    for url, count in zip(urls, before, strict=True):
        with django_assert_num_queries(count):
            assert trainer_client.get(url).status_code == 200
    # Session (none with Redis), user and their two kinds of permissions; the assignment,
    # the learner, their progress, the page's count and attempts, those attempts' questions
    # and answers.
    assert before[0] <= 11


def test_due_dates_are_shown_on_the_learners_page(trainer_client, training):
    training.assignment.due_date = timezone.localdate() + timedelta(days=3)
    training.assignment.save()
    html = trainer_client.get(
        f"{_base(training)}/learners/{training.learners[1].pk}/"
    ).content.decode()
    assert training.assignment.due_date.strftime("%-d %b %Y") in html
