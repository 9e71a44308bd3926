import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from quiz.models import Attempt, FormerSlug, Response
from tests.factories import UserFactory
from tests.quiz.factories import QuizFactory, ScenarioFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def _start(client, slug="fixed"):
    response = client.post(f"/quiz/{slug}/start/")
    assert response.status_code == 303, response
    return Attempt.objects.latest("started")


def _choice(scenario, correct=True):
    return scenario.choices.filter(is_correct=correct).first()


@pytest.fixture
def learner(quiz_setup):
    return UserFactory(username="lee")


@pytest.fixture
def learner_client(learner):
    client = Client()
    client.force_login(learner)
    return client


def test_quiz_list_shows_quizzes_and_who_may_start_them(client, quiz_setup):
    html = client.get("/quiz/").content.decode()
    assert html.index("Practice") < html.index("Fixed")
    assert 'action="/quiz/practice/start/"' in html
    assert "Log in to take this quiz" in html  # the fixed quiz needs an account
    assert "3 questions · pass mark 60%" in html  # the draft scenario is not counted


def test_quiz_list_offers_to_continue_an_unfinished_attempt(learner_client, quiz_setup):
    attempt = _start(learner_client)
    html = learner_client.get("/quiz/").content.decode()
    assert f'href="/quiz/attempts/{attempt.pk}/"' in html
    assert "(0 of 3 done)" in html


def test_visitor_can_start_practice_tied_to_their_session(client, quiz_setup):
    response = client.post("/quiz/practice/start/")
    attempt = Attempt.objects.get()
    assert response["Location"] == f"/quiz/attempts/{attempt.pk}/questions/1/"
    assert attempt.user is None and attempt.session_key == client.session.session_key


def test_visitor_cannot_start_other_quizzes(client, quiz_setup):
    response = client.post("/quiz/fixed/start/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert not Attempt.objects.exists()


def test_start_needs_post_and_a_published_quiz(client, learner_client, quiz_setup):
    assert client.get("/quiz/practice/start/").status_code == 405
    assert learner_client.post("/quiz/missing/start/").status_code == 404
    quiz_setup.fixed.status = "draft"
    quiz_setup.fixed.save()
    assert learner_client.post("/quiz/fixed/start/").status_code == 404


def test_question_page_gives_no_hint_of_the_answer(learner_client, quiz_setup):
    attempt = _start(learner_client)
    response = learner_client.get(f"/quiz/attempts/{attempt.pk}/questions/1/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Question 1 of 3" in html and "Situation lawyer" in html
    assert "FEEDBACK-" not in html and "EXPLANATION-" not in html
    assert "correct" not in html.lower()
    assert "term-link" not in html and 'href="/terms/client/"' not in html
    assert len(re.findall(r'<button type="submit" name="choice"', html)) == 3


def test_first_question_has_no_score_until_something_is_answered(learner_client, quiz_setup):
    attempt = _start(learner_client)
    html = learner_client.get(f"/quiz/attempts/{attempt.pk}/questions/1/").content.decode()
    assert "No questions answered yet" in html
    assert "Score:" not in html


@pytest.mark.parametrize("correct", [True, False])
def test_feedback_headings_are_one_style_in_sentence_case(learner_client, quiz_setup, correct):
    """Right or not, the heading says so in one word or two, then names the answer the same
    way; the results page and the announcement use the same words."""
    attempt = _start(learner_client)
    lawyer = quiz_setup.scenarios[0]
    url = f"/quiz/attempts/{attempt.pk}/questions/1/"
    html = learner_client.post(url, {"choice": _choice(lawyer, correct).pk}, **HTMX)
    html = html.content.decode()
    title = re.search(r'class="feedback__title"[^>]*>(.*?)</h2>', html, re.S).group(1)
    title = re.sub(r"<[^>]+>|[✓✗]", "", title).strip()
    assert title == ("Correct — it’s client" if correct else "Not quite — it’s client")
    announced = "Correct." if correct else "Not quite."
    assert f"{announced} The answer is client." in html
    assert "Right" not in html and "Wrong" not in html


def test_answer_without_htmx_redirects_to_the_feedback(learner_client, quiz_setup):
    attempt = _start(learner_client)
    lawyer = quiz_setup.scenarios[0]
    url = f"/quiz/attempts/{attempt.pk}/questions/1/"
    response = learner_client.post(url, {"choice": _choice(lawyer, correct=False).pk})
    assert response.status_code == 303 and response["Location"] == url
    html = learner_client.get(url).content.decode()
    wrong = _choice(lawyer, correct=False)
    assert f"FEEDBACK-lawyer-{wrong.term.slug}" in html
    assert "FEEDBACK-lawyer-client" in html
    assert "EXPLANATION-lawyer" in html
    assert "Not quite — it’s client" in html
    assert 'href="/terms/client-vs-customer/"' in html  # the comparison of the pair
    assert f'href="/quiz/attempts/{attempt.pk}/questions/2/"' in html
    assert "Score: 0 / 1" in html


def test_answer_with_htmx_returns_the_feedback_panel(learner_client, quiz_setup):
    attempt = _start(learner_client)
    lawyer = quiz_setup.scenarios[0]
    response = learner_client.post(
        f"/quiz/attempts/{attempt.pk}/questions/1/", {"choice": _choice(lawyer).pk}, **HTMX
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and html.lstrip().startswith('<div id="quiz-panel"')
    assert "Correct — it’s client" in html and "Score: 1 / 1" in html
    assert 'id="announcer"' in html and 'hx-swap-oob="true"' in html
    assert 'aria-live="polite"' in html and "data-autofocus" in html
    assert response["Vary"].count("HX-Request") == 1


def test_next_question_with_htmx_returns_the_question_panel(learner_client, quiz_setup):
    attempt = _start(learner_client)
    lawyer = quiz_setup.scenarios[0]
    learner_client.post(f"/quiz/attempts/{attempt.pk}/questions/1/", {"choice": _choice(lawyer).pk})
    html = learner_client.get(f"/quiz/attempts/{attempt.pk}/questions/2/", **HTMX).content.decode()
    assert "<html" not in html and "Question 2 of 3" in html and "Situation corner-shop" in html
    assert "FEEDBACK-" not in html


def test_a_history_restore_gets_the_whole_question_page(learner_client, quiz_setup):
    """Back after "Next question" (which pushes the address): when htmx no longer holds the
    page it asks for it marked as a history restore, and swaps in the whole body."""
    attempt = _start(learner_client)
    restore = {**HTMX, "HTTP_HX_HISTORY_RESTORE_REQUEST": "true"}
    response = learner_client.get(f"/quiz/attempts/{attempt.pk}/questions/1/", **restore)
    html = response.content.decode()
    assert "<html" in html and "Question 1 of 3" in html
    assert "HX-History-Restore-Request" in response["Vary"]


@pytest.mark.parametrize("headers", [{}, HTMX])
def test_double_submit_keeps_the_first_answer(learner_client, quiz_setup, headers):
    attempt = _start(learner_client)
    lawyer = quiz_setup.scenarios[0]
    url = f"/quiz/attempts/{attempt.pk}/questions/1/"
    learner_client.post(url, {"choice": _choice(lawyer, correct=False).pk}, **headers)
    second = learner_client.post(url, {"choice": _choice(lawyer).pk}, **headers, follow=True)
    assert second.status_code == 200
    assert "Not quite" in second.content.decode()
    assert Response.objects.filter(attempt=attempt).count() == 1
    assert not Response.objects.get().is_correct


def test_tampered_choice_gives_400_and_records_nothing(learner_client, quiz_setup):
    attempt = _start(learner_client)
    shop = quiz_setup.scenarios[1]
    url = f"/quiz/attempts/{attempt.pk}/questions/1/"
    for bad in [_choice(shop).pk, "abc", "", 999999]:
        response = learner_client.post(url, {"choice": bad})
        assert response.status_code == 400, bad
        assert "Nothing was changed" in response.content.decode()
    assert not Response.objects.exists()


def test_another_persons_attempt_is_404(learner_client, quiz_setup, client):
    attempt = _start(learner_client)
    other = UserFactory(username="other")
    other_client = Client()
    other_client.force_login(other)
    lawyer = quiz_setup.scenarios[0]
    for someone in (other_client, client):
        assert someone.get(f"/quiz/attempts/{attempt.pk}/").status_code == 404
        assert someone.get(f"/quiz/attempts/{attempt.pk}/questions/1/").status_code == 404
        url = f"/quiz/attempts/{attempt.pk}/questions/1/"
        assert someone.post(url, {"choice": _choice(lawyer).pk}).status_code == 404
        assert someone.get(f"/quiz/attempts/{attempt.pk}/results/").status_code == 404
    assert not Response.objects.exists()


@pytest.mark.parametrize("signed_in", [True, False])
def test_addresses_out_of_every_range_are_404(learner_client, client, quiz_setup, signed_in):
    """A position past a smallint, an attempt past 64 bits: a 404 on SQLite and PostgreSQL
    alike, for a learner and a visitor, never an error from the database."""
    someone = learner_client if signed_in else client
    attempt = _start(someone, "fixed" if signed_in else "practice")
    huge = 10**30
    for path in (
        f"/quiz/attempts/{attempt.pk}/questions/{2**15}/",
        f"/quiz/attempts/{attempt.pk}/questions/{huge}/",
        f"/quiz/attempts/{huge}/questions/1/",
        f"/quiz/attempts/{2**63}/questions/{2**63}/",
    ):
        assert someone.get(path).status_code == 404, path
        assert someone.get(path, **HTMX).status_code == 404, path
        assert someone.post(path, {"choice": 1}).status_code == 404, path
    assert someone.get(f"/quiz/attempts/{attempt.pk}/questions/1/").status_code == 200


def test_visitor_attempt_belongs_to_that_browser_only(client, quiz_setup):
    attempt = _start(client, "practice")
    assert client.get(f"/quiz/attempts/{attempt.pk}/questions/1/").status_code == 200
    assert Client().get(f"/quiz/attempts/{attempt.pk}/questions/1/").status_code == 404


def test_questions_are_answered_in_order(learner_client, quiz_setup):
    attempt = _start(learner_client)
    base = f"/quiz/attempts/{attempt.pk}"
    response = learner_client.get(f"{base}/questions/3/")
    assert response.status_code == 302 and response["Location"] == f"{base}/"
    assert learner_client.get(f"{base}/", follow=True).redirect_chain[-1][0] == (
        f"{base}/questions/1/"
    )
    third = quiz_setup.scenarios[2]
    assert (
        learner_client.post(f"{base}/questions/3/", {"choice": _choice(third).pk}).status_code
        == 400
    )
    assert learner_client.get(f"{base}/questions/4/").status_code == 404
    assert not Response.objects.exists()


def _finish(client, attempt, scenarios, right=(True, False, True)):
    for position, (scenario, correct) in enumerate(zip(scenarios, right, strict=True), start=1):
        url = f"/quiz/attempts/{attempt.pk}/questions/{position}/"
        client.post(url, {"choice": _choice(scenario, correct).pk})


def test_results_show_score_pass_mark_review_and_terms_to_revisit(learner_client, quiz_setup):
    attempt = _start(learner_client)
    results_url = f"/quiz/attempts/{attempt.pk}/results/"
    assert learner_client.get(results_url)["Location"] == f"/quiz/attempts/{attempt.pk}/"
    _finish(learner_client, attempt, quiz_setup.scenarios)
    html = learner_client.get(results_url).content.decode()
    assert "Passed" in html and "2 of 3" in html and "67%" in html and "pass mark is 60%" in html
    assert html.count("review__item--right") == 2 and html.count("review__item--wrong") == 1
    # The corner-shop question was missed by choosing "client": revisit both and their pair.
    revisit = html[html.index("Terms to revisit") : html.index("Question by question")]
    assert 'href="/terms/customer/"' in revisit and 'href="/terms/client/"' in revisit
    assert 'href="/terms/client-vs-customer/"' in revisit
    assert learner_client.get(f"/quiz/attempts/{attempt.pk}/").status_code == 302


def test_failing_attempt_says_so(learner_client, quiz_setup):
    attempt = _start(learner_client)
    _finish(learner_client, attempt, quiz_setup.scenarios, right=(False, False, True))
    html = learner_client.get(f"/quiz/attempts/{attempt.pk}/results/").content.decode()
    assert "Not passed" in html and "1 of 3" in html
    assert "Failed" not in html and "Not passed yet" not in html  # one word for it everywhere


def test_finished_attempt_takes_no_more_answers(learner_client, quiz_setup):
    attempt = _start(learner_client)
    _finish(learner_client, attempt, quiz_setup.scenarios)
    lawyer = quiz_setup.scenarios[0]
    url = f"/quiz/attempts/{attempt.pk}/questions/1/"
    learner_client.post(url, {"choice": _choice(lawyer, correct=False).pk})
    assert Response.objects.get(scenario=lawyer).is_correct
    assert Response.objects.count() == 3


def test_try_again_starts_a_new_attempt(learner_client, quiz_setup):
    first = _start(learner_client)
    _finish(learner_client, first, quiz_setup.scenarios)
    second = _start(learner_client)
    assert second.pk != first.pk and not second.is_finished
    assert Attempt.objects.count() == 2


def _queries(client, method, url, **kwargs):
    with CaptureQueriesContext(connection) as captured:
        response = getattr(client, method)(url, **kwargs)
    assert response.status_code in (200, 303), response
    return len(captured)


def _measure(client, attempt, scenarios):
    base = f"/quiz/attempts/{attempt.pk}/questions"
    counts = [_queries(client, "get", f"{base}/1/")]
    counts.append(_queries(client, "post", f"{base}/1/", data={"choice": _choice(scenarios[0]).pk}))
    counts.append(_queries(client, "get", f"{base}/1/"))
    for position, scenario in enumerate(scenarios[1:], start=2):
        client.post(f"{base}/{position}/", {"choice": _choice(scenario, False).pk})
    counts.append(_queries(client, "get", f"/quiz/attempts/{attempt.pk}/results/"))
    return counts


def test_query_counts_do_not_grow_with_quiz_length(learner_client, quiz_setup):
    short = _measure(learner_client, _start(learner_client), quiz_setup.scenarios)
    terms = [quiz_setup.client, quiz_setup.customer, quiz_setup.consumer]
    long_scenarios = [
        ScenarioFactory(
            slug=f"long-{n}", answer=terms[n % 3], others=[t for t in terms if t != terms[n % 3]]
        )
        for n in range(15)
    ]
    QuizFactory(slug="long", scenarios=long_scenarios)
    long = _measure(learner_client, _start(learner_client, "long"), long_scenarios)
    assert short == long


def test_try_scenario_answers_in_place_without_recording(client, quiz_setup):
    lawyer = quiz_setup.scenarios[0]
    page = client.get("/quiz/try/lawyer/").content.decode()
    assert "FEEDBACK-" not in page and "EXPLANATION-" not in page
    response = client.post("/quiz/try/lawyer/", {"choice": _choice(lawyer).pk}, **HTMX)
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="try-box"')
    assert "Correct — it’s client" in html and "EXPLANATION-lawyer" in html
    full = client.post("/quiz/try/lawyer/", {"choice": _choice(lawyer, False).pk})
    assert "<html" in full.content.decode() and "Not quite" in full.content.decode()
    assert not Attempt.objects.exists() and not Response.objects.exists()


def test_try_page_says_test_yourself_once_and_leads_back_to_the_quizzes(client, quiz_setup):
    html = client.get("/quiz/try/lawyer/").content.decode()
    assert html.count("Test yourself") == 2  # the <title> and the one heading
    assert "<h1>Test yourself</h1>" in html and "try-box__eyebrow" not in html
    assert '<a href="/quiz/"><span aria-hidden="true">←</span> All quizzes</a>' in html


def test_try_page_answered_without_javascript_leads_back_to_the_term_page(client, quiz_setup):
    """A term page's box posts to the try page; without htmx, that page shows the feedback
    and a link back to the term page it was answered on."""
    lawyer = quiz_setup.scenarios[0]
    term_page = client.get("/terms/customer/").content.decode()
    assert '<input type="hidden" name="from" value="customer">' in term_page
    html = client.post(
        "/quiz/try/lawyer/", {"choice": _choice(lawyer).pk, "from": "customer"}
    ).content.decode()
    assert "Correct — it’s client" in html
    assert html.count("Test yourself") == 2 and "try-box__eyebrow" not in html
    assert (
        '<a href="/terms/customer/"><span aria-hidden="true">←</span> Back to Customer</a>' in html
    )
    for junk in ("nope", "../admin", "client/", "x" * 500, "secret-draft"):
        html = client.post(
            "/quiz/try/lawyer/", {"choice": _choice(lawyer).pk, "from": junk}
        ).content.decode()
        assert "All quizzes</a>" in html and "Back to" not in html, junk
    htmx = client.post(
        "/quiz/try/lawyer/", {"choice": _choice(lawyer).pk, "from": "customer"}, **HTMX
    ).content.decode()
    assert "Back to" not in htmx  # the box alone: the term page around it is the way back
    assert "try-box__eyebrow" in htmx  # as the term page showed it before the answer
    on_its_page = client.post("/quiz/try/lawyer/", {"choice": _choice(lawyer).pk}, **HTMX)
    assert "try-box__eyebrow" not in on_its_page.content.decode()  # under its own heading


def test_try_scenario_refuses_foreign_choices_and_drafts(client, quiz_setup):
    shop = quiz_setup.scenarios[1]
    assert client.post("/quiz/try/lawyer/", {"choice": _choice(shop).pk}).status_code == 400
    assert client.post("/quiz/try/lawyer/", {}).status_code == 400
    assert client.get("/quiz/try/draft-one/").status_code == 404
    assert client.get("/quiz/try/nope/").status_code == 404


def test_try_scenario_at_a_former_slug_redirects_for_good(client, quiz_setup, glossary):
    """A scenario renamed by load_content ("formerly") keeps its old address as a 301 to
    the new one; a retired or draft scenario's old address is a 404."""
    lawyer = quiz_setup.scenarios[0]
    lawyer.slug = "a-will-in-two-meetings"
    lawyer.save()
    FormerSlug.objects.create(slug="lawyer", scenario=lawyer)
    response = client.get("/quiz/try/lawyer/")
    assert response.status_code == 301
    assert response["Location"] == "/quiz/try/a-will-in-two-meetings/"
    assert client.get(response["Location"]).status_code == 200
    assert client.head("/quiz/try/lawyer/").status_code == 301
    assert client.get("/quiz/try/nobody-had-this/").status_code == 404
    lawyer.status = "retired"
    lawyer.save()
    assert client.get("/quiz/try/lawyer/").status_code == 404
    # A scenario that has the slug now comes first.
    lawyer.status = "published"
    lawyer.save()
    ScenarioFactory(slug="lawyer", answer=glossary.client, others=[glossary.customer])
    assert client.get("/quiz/try/lawyer/").status_code == 200


def test_term_page_has_a_test_yourself_box_without_the_answer(client, quiz_setup):
    html = client.get("/terms/client/").content.decode()
    # Every published scenario of quiz_setup offers client, as the answer or not.
    slug = re.search(r'hx-post="/quiz/try/([\w-]+)/"', html).group(1)
    assert 'id="try-box"' in html and f"Situation {slug}" in html
    assert slug in {scenario.slug for scenario in quiz_setup.scenarios}
    assert "FEEDBACK-" not in html and "EXPLANATION-" not in html


def test_term_page_without_scenarios_has_no_box(client, glossary):
    assert 'id="try-box"' not in client.get("/terms/client/").content.decode()


def test_quiz_list_query_count_is_fixed(learner_client, quiz_setup, django_assert_max_num_queries):
    for n in range(6):
        QuizFactory(slug=f"extra-{n}", scenarios=quiz_setup.scenarios)
        _start(learner_client, f"extra-{n}")
    with django_assert_max_num_queries(6):
        assert learner_client.get("/quiz/").status_code == 200


def _site_queries(captured) -> list[str]:
    """The statements of a request, without the cache's and the session's (tables without
    Redis, Redis with it), so the count is the same either way."""
    return [
        q["sql"]
        for q in captured.captured_queries
        if "django_cache" not in q["sql"] and "django_session" not in q["sql"]
    ]


def test_answer_path_reads_and_writes_little(learner_client, quiz_setup):
    """The answer path at 100 answers a second (issue 13): opening a question takes the
    session (left out here), the user, and the question with its attempt and how far the
    attempt is, in one query; answering adds the locked attempt, the answers so far, the
    insert and the score,
    with no savepoint of its own. Where the feedback's links point, and which terms exist,
    are read once per content version (quiz.selectors), not per answer.
    Each number here was higher before."""
    attempt = _start(learner_client)
    first, second = quiz_setup.scenarios[:2]
    path = f"/quiz/attempts/{attempt.pk}/questions/"
    learner_client.post(f"{path}1/", {"choice": _choice(first).pk}, **HTMX)  # links read
    right = _choice(second).pk
    with CaptureQueriesContext(connection) as opening:
        assert learner_client.get(f"{path}2/", **HTMX).status_code == 200
    with CaptureQueriesContext(connection) as answering:
        response = learner_client.post(f"{path}2/", {"choice": right}, **HTMX)
    assert response.status_code == 200
    assert "Correct — " in response.content.decode()
    assert len(_site_queries(opening)) == 2, _site_queries(opening)
    reads = [sql for sql in _site_queries(answering) if sql.startswith("SELECT")]
    # user, question + attempt; locked attempt, answers so far.
    assert len(reads) == 4, "\n".join(sql[:200] for sql in reads)
    # One transaction: a savepoint only because the test itself runs inside a transaction.
    savepoints = [sql.split()[0] for sql in _site_queries(answering) if "SAVEPOINT" in sql]
    assert savepoints == ["SAVEPOINT", "RELEASE"], savepoints
    writes = [sql for sql in _site_queries(answering) if sql.startswith(("INSERT", "UPDATE"))]
    assert len(writes) == 2, writes  # the response, the score


def test_the_feedback_links_follow_an_edit_at_once(learner_client, quiz_setup):
    """The links after an answer are read once per content version: a term unpublished
    between two answers loses its link in the second one's feedback."""
    attempt = _start(learner_client)
    first, second = quiz_setup.scenarios[:2]
    term = _choice(second).term
    link = f'href="/terms/{term.slug}/"'.encode()
    path = f"/quiz/attempts/{attempt.pk}/questions/"
    picked = first.choices.get(term=term).pk  # the term is offered in the first question too
    before = learner_client.post(f"{path}1/", {"choice": picked}, **HTMX).content
    assert link in before
    term.status = "draft"
    term.save()
    after = learner_client.post(f"{path}2/", {"choice": _choice(second).pk}, **HTMX).content
    assert link not in after and term.name.encode() in after
