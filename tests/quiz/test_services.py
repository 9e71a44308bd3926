import random
from collections import Counter

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError

from glossary.models import Status
from quiz import services
from quiz.models import Attempt, Choice, Quiz, Response, Scenario
from tests.factories import TermFactory, UserFactory
from tests.quiz.factories import QuizFactory, ScenarioFactory, answer

pytestmark = pytest.mark.django_db


def _correct_choice(scenario):
    return scenario.choices.get(is_correct=True)


def _wrong_choice(scenario):
    return scenario.choices.filter(is_correct=False).first()


def test_start_attempt_fixes_the_published_questions_in_order(quiz_setup):
    attempt = services.start_attempt(quiz=quiz_setup.fixed, session_key="abc")
    asked = list(attempt.questions.values_list("scenario__slug", flat=True))
    assert asked == ["lawyer", "corner-shop", "birthday-cake"]  # never the draft
    assert attempt.total == 3 and attempt.session_key == "abc" and attempt.user is None


def test_start_attempt_ties_logged_in_attempts_to_the_user(quiz_setup):
    user = UserFactory(username="learner")
    attempt = services.start_attempt(quiz=quiz_setup.fixed, user=user, session_key="abc")
    assert attempt.user == user and attempt.session_key == ""
    anonymous = services.start_attempt(quiz=quiz_setup.fixed, user=AnonymousUser())
    assert anonymous.user is None


def test_shuffled_quiz_reshuffles_per_attempt(quiz_setup):
    quiz = quiz_setup.fixed
    quiz.shuffle = True
    quiz.save()
    orders = {
        tuple(
            services.start_attempt(quiz=quiz, rng=random.Random(seed)).questions.values_list(
                "scenario__slug", flat=True
            )
        )
        for seed in range(12)
    }
    assert len(orders) > 1
    assert all(sorted(order) == ["birthday-cake", "corner-shop", "lawyer"] for order in orders)


def test_practice_draws_cover_every_answer_term_first(glossary):
    terms = [glossary.client, glossary.customer, glossary.consumer]
    for number in range(12):
        answer = terms[number % 3]
        ScenarioFactory(slug=f"s{number}", answer=answer, others=[t for t in terms if t != answer])
    practice = QuizFactory(slug="practice", scenarios=[], is_practice=True, question_count=5)
    for seed in range(10):
        attempt = services.start_attempt(quiz=practice, rng=random.Random(seed))
        answers = Counter(
            Choice.objects.filter(
                is_correct=True, scenario__in=attempt.questions.values("scenario")
            ).values_list("term__slug", flat=True)
        )
        assert attempt.total == 5
        assert set(answers) == {"client", "customer", "consumer"}


def test_practice_with_fewer_scenarios_than_questions_asks_what_exists(quiz_setup):
    quiz_setup.practice.question_count = 10
    attempt = services.start_attempt(quiz=quiz_setup.practice)
    assert attempt.total == 3


def test_quiz_without_published_questions_cannot_start(glossary):
    empty = Quiz.objects.create(slug="empty", title="Empty", status="published")
    with pytest.raises(services.EmptyQuiz):
        services.start_attempt(quiz=empty)
    assert not Attempt.objects.exists()


def test_starting_reads_the_scenarios_once_per_content_version(
    quiz_setup, django_assert_num_queries
):
    """The scenarios as asked are read once per content version in each process; an edit
    makes a new version, so the next attempt records the edited wording."""
    services.start_attempt(quiz=quiz_setup.fixed, session_key="abc")
    # The drawing, the attempt and its questions (and the savepoint around them, inside the
    # test's transaction): nothing of the scenarios themselves.
    with django_assert_num_queries(5):
        services.start_attempt(quiz=quiz_setup.fixed, session_key="abc")
    lawyer = quiz_setup.scenarios[0]
    lawyer.question = "Which word fits the person who retains the lawyer?"
    lawyer.save()
    choice = lawyer.choices.get(is_correct=True)
    choice.feedback = "Yes: advice, given over time, to someone named."
    choice.save()
    attempt = services.start_attempt(quiz=quiz_setup.fixed, session_key="abc")
    asked = attempt.questions.get(scenario=lawyer).asked
    assert asked.question == "Which word fits the person who retains the lawyer?"
    assert asked.correct.feedback == "Yes: advice, given over time, to someone named."


def test_answer_question_grades_on_the_server(quiz_setup):
    attempt = services.start_attempt(quiz=quiz_setup.fixed)
    lawyer, shop, _ = quiz_setup.scenarios
    right = answer(attempt, lawyer, _correct_choice(lawyer))
    wrong = answer(attempt, shop, _wrong_choice(shop))
    assert right.recorded and right.response.is_correct and not wrong.response.is_correct
    assert (right.answered, wrong.answered) == (1, 2)
    assert wrong.attempt.score == 1 and not wrong.attempt.is_finished
    attempt.refresh_from_db()
    assert attempt.score == 1 and not attempt.is_finished


def test_second_answer_keeps_the_first(quiz_setup):
    attempt = services.start_attempt(quiz=quiz_setup.fixed)
    lawyer = quiz_setup.scenarios[0]
    first = answer(attempt, lawyer, _wrong_choice(lawyer)).response
    again = answer(attempt, lawyer, _correct_choice(lawyer))
    assert not again.recorded and again.response.pk == first.pk and not again.response.is_correct
    assert again.answered == 1
    assert Response.objects.count() == 1
    attempt.refresh_from_db()
    assert attempt.score == 0


def test_an_attempt_deleted_while_its_question_was_open_takes_no_answer(quiz_setup):
    attempt = services.start_attempt(quiz=quiz_setup.fixed)
    question = attempt.questions.get(position=1)
    lawyer = quiz_setup.scenarios[0]
    Attempt.objects.filter(pk=attempt.pk).delete()
    with pytest.raises(services.AttemptGone):
        services.answer_question(
            attempt=attempt, question=question, choice=_correct_choice(lawyer).pk
        )
    assert not Response.objects.exists()


def test_choice_of_another_question_is_refused(quiz_setup):
    attempt = services.start_attempt(quiz=quiz_setup.fixed)
    lawyer, shop, _ = quiz_setup.scenarios
    with pytest.raises(services.InvalidChoice):
        answer(attempt, lawyer, _correct_choice(shop))
    assert not Response.objects.exists()


def test_scenario_outside_the_attempt_is_refused(quiz_setup):
    attempt = services.start_attempt(quiz=quiz_setup.fixed)
    assert not attempt.questions.filter(scenario=quiz_setup.draft_scenario).exists()
    other = services.start_attempt(quiz=quiz_setup.fixed)
    question = other.questions.select_related("scenario").first()
    with pytest.raises(services.InvalidChoice):
        services.answer_question(
            attempt=attempt, question=question, choice=_correct_choice(question.scenario).pk
        )
    assert not Response.objects.exists()


def test_questions_are_answered_in_order(quiz_setup):
    attempt = services.start_attempt(quiz=quiz_setup.fixed)
    lawyer, shop, _ = quiz_setup.scenarios
    with pytest.raises(services.OutOfOrder):
        answer(attempt, shop, _correct_choice(shop))
    assert not Response.objects.exists()
    answer(attempt, lawyer, _correct_choice(lawyer))
    assert answer(attempt, shop, _correct_choice(shop)).recorded


def test_last_answer_finishes_the_attempt_and_then_nothing_more_is_taken(quiz_setup):
    attempt = services.start_attempt(quiz=quiz_setup.fixed)
    for scenario in quiz_setup.scenarios:
        last = answer(attempt, scenario, _correct_choice(scenario))
    assert last.attempt.is_finished and last.answered == 3
    attempt.refresh_from_db()
    assert attempt.is_finished and attempt.score == 3 and attempt.percent == 100 and attempt.passed


def test_finished_attempt_accepts_no_new_answers(quiz_setup):
    attempt = services.start_attempt(quiz=quiz_setup.fixed)
    services.finish_attempt(attempt=attempt)
    lawyer = quiz_setup.scenarios[0]
    with pytest.raises(services.AttemptFinished):
        answer(attempt, lawyer, _correct_choice(lawyer))
    assert not Response.objects.exists()


def test_finish_settles_score_from_responses_and_pass_mark(quiz_setup):
    attempt = services.start_attempt(quiz=quiz_setup.fixed)  # pass mark 60%
    lawyer, shop, _ = quiz_setup.scenarios
    answer(attempt, lawyer, _correct_choice(lawyer))
    answer(attempt, shop, _wrong_choice(shop))
    Attempt.objects.filter(pk=attempt.pk).update(score=99)
    attempt.refresh_from_db()
    services.finish_attempt(attempt=attempt)
    assert attempt.score == 1 and attempt.percent == 33 and not attempt.passed


def test_check_published_refuses_broken_published_scenarios(glossary):
    scenario = ScenarioFactory(slug="broken", answer=glossary.client, others=[glossary.customer])
    Choice.objects.filter(scenario=scenario).update(is_correct=False)
    with pytest.raises(ValidationError, match="exactly one correct choice"):
        scenario.check_published()
    Choice.objects.filter(scenario=scenario, term=glossary.client).update(
        is_correct=True, feedback=" "
    )
    with pytest.raises(ValidationError, match="feedback"):
        scenario.check_published()
    scenario.status = "draft"
    scenario.check_published()  # drafts may be incomplete


def test_load_quiz_content_twice_changes_nothing(glossary):
    TermFactory(slug="patron")
    scenarios = {
        "scenarios": [
            {
                "slug": "s1",
                "title": "T",
                "situation": "S",
                "question": "Q?",
                "answer": "client",
                "difficulty": "easy",
                "choices": [
                    {"term": "customer", "feedback": "no"},
                    {"term": "client", "feedback": "yes"},
                    {"term": "patron", "feedback": "no"},
                ],
                "explanation": "E",
            }
        ]
    }
    quizzes = {
        "quizzes": [
            {
                "slug": "q1",
                "title": "Q1",
                "description": "D",
                "kind": "fixed",
                "pass_mark": 70,
                "shuffle": True,
                "scenarios": ["s1"],
            }
        ]
    }
    first = services.load_quiz_content(scenarios=scenarios, quizzes=quizzes)
    assert first["created"] == 6
    second = services.load_quiz_content(scenarios=scenarios, quizzes=quizzes)
    assert second["created"] == second["updated"] == 0
    scenarios["scenarios"][0]["answer"] = "patron"
    services.load_quiz_content(scenarios=scenarios, quizzes=quizzes)
    assert Choice.objects.get(is_correct=True).term.slug == "patron"


def _fixture_scenario(slug: str) -> dict:
    return {
        "slug": slug,
        "title": f"Title {slug}",
        "situation": "Someone pays for a thing.",
        "question": "Which word fits them?",
        "answer": "customer",
        "difficulty": "easy",
        "choices": [
            {"term": "customer", "feedback": "yes"},
            {"term": "client", "feedback": "no"},
            {"term": "consumer", "feedback": "no"},
        ],
        "explanation": "E",
    }


def test_load_quiz_content_retires_only_the_scenarios_the_fixture_lists(glossary):
    """Never deleted: learners' answers refer to them. Scenarios editors wrote in the admin
    and drafts are left as they are, and a scenario that comes back to the fixtures is
    published again."""
    quizzes = {"quizzes": []}
    kept, dropped = _fixture_scenario("kept"), _fixture_scenario("dropped")
    services.load_quiz_content(scenarios={"scenarios": [kept, dropped]}, quizzes=quizzes)
    old = Scenario.objects.get(slug="dropped")
    attempt = services.start_attempt(quiz=QuizFactory(scenarios=[old]), session_key="abc")
    answer(attempt, old, old.choices.get(is_correct=True))
    ScenarioFactory(
        slug="an-editors-draft", answer=glossary.client, others=[glossary.customer], status="draft"
    )
    ScenarioFactory(
        slug="an-editors-own", answer=glossary.client, others=[glossary.customer, glossary.consumer]
    )
    release = {"scenarios": [kept], "retired": ["dropped", "never-existed", "an-editors-draft"]}

    report = services.load_quiz_content(scenarios=release, quizzes=quizzes)
    assert report["retired"] == 1 and "1 retired" in str(report)
    statuses = dict(Scenario.objects.values_list("slug", "status"))
    assert statuses == {
        "kept": Status.PUBLISHED,
        "dropped": Status.RETIRED,
        "an-editors-draft": Status.DRAFT,
        "an-editors-own": Status.PUBLISHED,
    }
    assert Scenario.objects.get(slug="dropped").choices.count() == 3
    assert Response.objects.get(attempt=attempt).scenario == old
    assert not Scenario.objects.published().filter(slug="dropped").exists()

    again = services.load_quiz_content(scenarios=release, quizzes=quizzes)
    assert again["retired"] == again["updated"] == again["created"] == 0
    services.load_quiz_content(scenarios={"scenarios": [kept, dropped]}, quizzes=quizzes)
    assert Scenario.objects.get(slug="dropped").status == Status.PUBLISHED


@pytest.mark.parametrize(
    ("scenarios", "problem"),
    [
        ({"scenarios": ["a", "b"], "retired": ["b"]}, "“b” is listed as retired but is also"),
        ({"scenarios": ["a", "b"], "formerly": {"a": ["b"]}}, "“b” is a former slug but is"),
        (
            {"scenarios": ["a", "b"], "formerly": {"a": ["x"], "b": ["x"]}},
            "“x” is a former slug of",
        ),
        ({"scenarios": ["a"], "formerly": {"a": ["x"]}, "retired": ["x"]}, "“x” is listed as"),
    ],
)
def test_load_quiz_content_refuses_a_fixture_that_contradicts_itself(glossary, scenarios, problem):
    """Before writing anything: the scenario that exists is neither renamed nor retired."""
    ScenarioFactory(slug="x", answer=glossary.client, others=[glossary.customer, glossary.consumer])
    ScenarioFactory(slug="b", answer=glossary.client, others=[glossary.customer, glossary.consumer])
    entries = [
        _fixture_scenario(slug) | {"formerly": scenarios.get("formerly", {}).get(slug, [])}
        for slug in scenarios["scenarios"]
    ]
    fixture = {"scenarios": entries, "retired": scenarios.get("retired", [])}
    with pytest.raises(ValidationError, match=problem):
        services.load_quiz_content(scenarios=fixture, quizzes={"quizzes": []})
    assert set(Scenario.objects.values_list("slug", "status")) == {
        ("x", Status.PUBLISHED),
        ("b", Status.PUBLISHED),
    }


def test_load_quiz_content_renames_a_scenario_in_place(glossary):
    """The same row under its new slug: learners' answers, its history and its place in
    quizzes stay with it; the entry's new wording is loaded as usual."""
    old = _fixture_scenario("donor-gives-the-answer")
    quizzes = {
        "quizzes": [
            {
                "slug": "q1",
                "title": "Q1",
                "description": "D",
                "kind": "fixed",
                "pass_mark": 70,
                "shuffle": False,
                "scenarios": ["donor-gives-the-answer"],
            }
        ]
    }
    services.load_quiz_content(scenarios={"scenarios": [old]}, quizzes=quizzes)
    before = Scenario.objects.get(slug="donor-gives-the-answer")
    attempt = services.start_attempt(quiz=Quiz.objects.get(slug="q1"), session_key="abc")
    answer(attempt, before, before.choices.get(is_correct=True))

    renamed = _fixture_scenario("concerts-for-schools") | {
        "title": "Concerts for schools",
        "formerly": ["donor-gives-the-answer", "an-even-older-slug"],
    }
    quizzes["quizzes"][0]["scenarios"] = ["concerts-for-schools"]
    report = services.load_quiz_content(scenarios={"scenarios": [renamed]}, quizzes=quizzes)
    assert report["renamed"] == 1 and "1 renamed" in str(report)
    assert report["created"] == 2 and report["deleted"] == report["retired"] == 0
    after = Scenario.objects.get()
    assert (after.pk, after.slug, after.title) == (
        before.pk,
        "concerts-for-schools",
        renamed["title"],
    )
    assert Response.objects.get(attempt=attempt).scenario == after
    assert list(Quiz.objects.get(slug="q1").scenarios.all()) == [after]
    assert {row.slug for row in after.history.all()} == {"donor-gives-the-answer", after.slug}
    assert list(after.former_slugs.values_list("slug", flat=True)) == renamed["formerly"][::-1]

    again = services.load_quiz_content(scenarios={"scenarios": [renamed]}, quizzes=quizzes)
    assert again["renamed"] == again["created"] == again["updated"] == again["deleted"] == 0


def test_load_quiz_content_renames_nothing_when_the_new_slug_is_taken(glossary):
    """Both rows exist (an earlier load made the new one): the old one is left alone, and
    the retired list is how a release takes it out."""
    for slug in ("old-slug", "new-slug"):
        ScenarioFactory(
            slug=slug, answer=glossary.client, others=[glossary.customer, glossary.consumer]
        )
    entry = _fixture_scenario("new-slug") | {"formerly": ["old-slug"]}
    report = services.load_quiz_content(scenarios={"scenarios": [entry]}, quizzes={"quizzes": []})
    assert report["renamed"] == 0
    assert set(Scenario.objects.values_list("slug", flat=True)) == {"old-slug", "new-slug"}
