"""The "Test yourself" box of a term page: the heading above it names the term, so the draw
must not make that term the answer more often than chance would. The public page draws it
with the content version as the seed (so the page is the same for everyone and can be
cached): the draw is fair across versions."""

import random
import re

import pytest
from django.test import Client

from glossary import page_cache
from glossary.models import Status, Term
from quiz.models import Scenario
from quiz.selectors import ANSWERED_BY_PAGE_TERM
from quiz.selectors import test_yourself_scenario as draw
from tests.quiz.factories import ScenarioFactory

pytestmark = pytest.mark.django_db


class Fixed:
    """An rng whose every draw is `value`: picks one branch of the draw."""

    def __init__(self, value: float) -> None:
        self.value = value

    def random(self) -> float:
        return self.value

    def choice(self, candidates):
        return candidates[0]


ANSWER_BRANCH = Fixed(0.0)
OTHER_BRANCH = Fixed(0.999)


@pytest.fixture
def answers_most(glossary):
    """Client answers five scenarios and is offered as a wrong choice in one; one more
    scenario does not offer client at all."""
    client_term, customer, consumer = glossary.client, glossary.customer, glossary.consumer
    answered = [
        ScenarioFactory(slug=f"advice-{n}", answer=client_term, others=[customer, consumer])
        for n in range(5)
    ]
    wrong = ScenarioFactory(slug="bakery", answer=customer, others=[client_term, consumer])
    unrelated = ScenarioFactory(slug="cake", answer=consumer, others=[customer])
    return answered, wrong, unrelated


def _answer_slug(scenario) -> str:
    return next(choice.term.slug for choice in scenario.choices.all() if choice.is_correct)


def _seeded(version, term) -> random.Random:
    """The rng of the term page's box (quiz/templatetags/test_yourself.py)."""
    return random.Random(f"{version}:{term.pk}")


def test_the_page_term_is_the_answer_about_a_third_of_the_time(glossary, answers_most):
    draws = [draw(glossary.client, rng=_seeded(version, glossary.client)) for version in range(300)]
    answered = sum(_answer_slug(scenario) == "client" for scenario in draws)
    # Over 300 content versions; seeded, so the same count every run. Five of the six
    # scenarios offering client have it as the answer, yet it is the answer about a third
    # of the time, never over half.
    assert answered / len(draws) == pytest.approx(ANSWERED_BY_PAGE_TERM, abs=0.06)
    assert ANSWERED_BY_PAGE_TERM <= 1 / 2
    offering = {scenario.slug for scenario in draws}
    assert offering == {"bakery", *(f"advice-{n}" for n in range(5))}


def test_each_branch_of_the_draw(glossary, answers_most):
    answered, wrong, unrelated = answers_most
    client_term = glossary.client
    assert draw(client_term, rng=ANSWER_BRANCH) in answered
    assert draw(client_term, rng=OTHER_BRANCH) == wrong
    # Offered as a wrong choice nowhere: another scenario, never one it answers.
    wrong.delete()
    assert draw(client_term, rng=OTHER_BRANCH) == unrelated
    unrelated.delete()
    assert draw(client_term, rng=OTHER_BRANCH) is None
    assert draw(client_term, rng=ANSWER_BRANCH) in answered


def test_a_term_that_answers_nothing_is_still_offered_as_a_wrong_choice(glossary, answers_most):
    customer = glossary.customer  # answers only "bakery"; offered wrong in the others
    _, bakery, _ = answers_most
    bakery.delete()
    for rng in (ANSWER_BRANCH, OTHER_BRANCH):
        scenario = draw(customer, rng=rng)
        assert scenario is not None and _answer_slug(scenario) != "customer"
        assert "customer" in {choice.term.slug for choice in scenario.choices.all()}


def test_one_version_draws_one_scenario(glossary, answers_most):
    drawn = {draw(glossary.client, rng=_seeded("1764150000.ab", glossary.client)) for _ in range(5)}
    assert len(drawn) == 1


def test_the_draw_is_three_queries_whatever_the_data(
    glossary, answers_most, django_assert_num_queries
):
    for rng in (ANSWER_BRANCH, OTHER_BRANCH):
        with django_assert_num_queries(3):
            scenario = draw(glossary.client, rng=rng)
            [choice.term.name for choice in scenario.choices.all()]


def test_only_published_scenarios_of_published_terms_and_none_for_a_retired_term(
    glossary, answers_most
):
    # Consumer, offered by every scenario so far, is taken back to a draft.
    Term.objects.filter(pk=glossary.consumer.pk).update(status=Status.DRAFT)
    ScenarioFactory(
        slug="unready", answer=glossary.client, others=[glossary.customer], status=Status.DRAFT
    )
    plain = ScenarioFactory(slug="plain", answer=glossary.customer, others=[glossary.client])
    assert draw(glossary.client, rng=ANSWER_BRANCH) == plain
    glossary.client.status = Status.RETIRED
    assert draw(glossary.client, rng=ANSWER_BRANCH) is None


def test_an_editor_previewing_a_draft_term_sees_scenarios_offering_it(glossary, editor_client):
    ScenarioFactory(
        slug="drafty", answer=glossary.customer, others=[glossary.draft, glossary.client]
    )
    page = editor_client.get("/preview/terms/secret-draft/").content.decode()
    assert 'hx-post="/quiz/try/drafty/"' in page


def test_the_term_page_box_is_not_mostly_about_the_page_term(client, glossary, answers_most):
    """Every visitor gets the same box until the content changes; over the versions, the
    page's term is the answer no more than half of the time."""
    shown = []
    for _ in range(30):
        page = client.get("/terms/client/").content.decode()
        assert "FEEDBACK-" not in page and "EXPLANATION-" not in page
        assert page == Client().get("/terms/client/").content.decode()
        shown += re.findall(r'hx-post="/quiz/try/([\w-]+)/"', page)
        page_cache.content_changed()
    assert len(shown) == 30
    about_client = sum(slug.startswith("advice-") for slug in shown)
    assert 0 < about_client <= len(shown) / 2, shown


def test_new_choices_get_ids_in_their_order_so_a_button_value_tells_nothing(glossary):
    from quiz.services import save_choices

    scenario = Scenario.objects.create(
        slug="typed", title="Typed", situation="x", question="q", explanation="e"
    )
    save_choices(
        scenario=scenario,
        choices=[
            {"term": glossary.client, "is_correct": True, "feedback": "Advice."},
            {"term": glossary.customer, "is_correct": False, "feedback": "Wider."},
            {"term": glossary.consumer, "is_correct": False, "feedback": "Uses."},
        ],
    )
    ids = list(scenario.choices.order_by("position").values_list("pk", "is_correct"))
    assert ids == sorted(ids) and ids[0][1] is True  # the answer, listed first, has the lowest
