"""Reads of the quiz that pages share: the feedback after an answer, the review of a finished
attempt, and the scenario a term page offers. The trainers' reports are in reports.py."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, Exists, OuterRef, Value, When
from django.urls import reverse

from glossary.markdown import LinkTargets, render_markdown
from glossary.models import Distinction, Term
from glossary.page_cache import content_version
from glossary.reusable import ReusableQuery

from .models import (
    AskedChoice,
    AskedScenario,
    AskedTerm,
    Attempt,
    AttemptQuestion,
    Choice,
    Owner,
    Response,
    Scenario,
    request_owner,
)


@dataclass(frozen=True)
class SiteLinks:
    """Where the links after an answer point, as the published content stands."""

    targets: LinkTargets  # for the [[links]] of the feedback and the explanation
    term_pages: dict[int, str]  # each term with a public page: its address, by id
    comparisons: dict[frozenset[int], Distinction]  # published, by the ids of their two terms

    def comparisons_of(self, pairs: Iterable[tuple[int, int]]) -> list[Distinction]:
        """The published comparisons of any of these pairs of term ids, by name."""
        found = {self.comparisons.get(frozenset(pair)) for pair in pairs} - {None}
        return sorted(found, key=lambda d: (d.term_a.name, d.term_b.name))


class _OfThisVersion[T]:
    """A value worked out from the content once per content version in each process
    (glossary.page_cache), and made again when an editor changes the content."""

    def __init__(self, make: Callable[[], T]) -> None:
        self._make = make
        self._version: str | None = None
        self._value: T | None = None

    def get(self) -> T:
        version = content_version()
        if version != self._version or self._value is None:
            self._value, self._version = self._make(), version
        return self._value


def _read_site_links() -> SiteLinks:
    distinctions = Distinction.objects.published().select_related("term_a", "term_b")
    return SiteLinks(
        targets=Term.objects.published().link_targets(),
        term_pages={
            pk: reverse("glossary:term", args=[slug])
            for pk, slug in Term.objects.with_public_page().values_list("pk", "slug")
        },
        comparisons={frozenset((d.term_a_id, d.term_b_id)): d for d in distinctions},
    )


# Read once per version (three queries) and shared by every answer after it.
_site_links = _OfThisVersion(_read_site_links)


def site_links() -> SiteLinks:
    return _site_links.get()


@dataclass(frozen=True)
class OfferedScenario:
    """A scenario as the reports name it, with its options as they are now: (term id, term
    name, whether right), so that a question's options nobody picked show too."""

    pk: int
    title: str
    options: list[tuple[int, str, bool]]


def _read_offered() -> dict[int, OfferedScenario]:
    offered = {
        pk: OfferedScenario(pk, title, [])
        for pk, title in Scenario.objects.values_list("pk", "title")
    }
    for scenario_id, term_id, name, is_correct in Choice.objects.order_by().values_list(
        "scenario_id", "term_id", "term__name", "is_correct"
    ):
        offered[scenario_id].options.append((term_id, name, is_correct))
    return offered


# Every scenario, whatever its status (reports count retired ones too): two queries per version.
_offered = _OfThisVersion(_read_offered)


def offered_scenarios(scenario_ids: Iterable[int]) -> dict[int, OfferedScenario]:
    """These scenarios as the reports name them, by id, read once per content version in
    this process instead of once per report."""
    offered = _offered.get()
    return {pk: offered[pk] for pk in scenario_ids}


# Every term's id, whatever its status: what an answer may still name (services.answer_question).
_term_ids = _OfThisVersion(lambda: frozenset(Term.objects.values_list("pk", flat=True)))


def existing_term_ids() -> frozenset[int]:
    """The ids of the terms that exist now, read once per content version in this process:
    deleting a term makes a new version."""
    return _term_ids.get()


# Scenarios as a learner is asked them now, by id: filled as attempts draw them.
_records = _OfThisVersion[dict[int, dict[str, Any]]](dict)


def records_as_asked(scenario_ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    """These scenarios as they stand now, as an attempt records them
    (AskedScenario.to_record), by id. Each is read from the database once per content
    version in this process (two queries for those not read yet): starting an attempt then
    costs its writes alone."""
    records = _records.get()
    missing = set(scenario_ids) - records.keys()
    if missing:
        for scenario in Scenario.objects.with_choices().filter(pk__in=missing):
            records[scenario.pk] = AskedScenario.of(scenario).to_record()
    return {pk: records[pk] for pk in scenario_ids}


# The reads of every answer, compiled once per process (glossary.reusable): one for each
# kind of owner (quiz.models.Owner), whose key is the value that changes.
_question_of = {
    kind: ReusableQuery(
        lambda key, attempt, position, kind=kind: (
            AttemptQuestion.objects.of_owner(Owner(kind, key))
            .with_progress()
            .filter(attempt=attempt, position=position)
        ),
        key=key_type,
        attempt=int,
        position=int,
    )
    for kind, key_type in (("user", int), ("session", str))
}


def question_of_owner(
    request_user, session_key: str | None, *, attempt: int, position: int
) -> AttemptQuestion | None:
    """A question of an attempt the person behind a request may see (request_owner), with
    its attempt and quiz and the attempt's progress (AttemptQuestionQuerySet.of_owner,
    .with_progress), in one query; None if there is no such question or it is not theirs."""
    owner = request_owner(request_user, session_key)
    if owner is None:
        return None
    return _question_of[owner.kind].first(key=owner.key, attempt=attempt, position=position)


_answered_scenarios = ReusableQuery(
    lambda attempt: Response.objects.filter(attempt=attempt).values_list("scenario_id", flat=True),
    attempt=int,
)


def answered_scenarios(attempt_id: int) -> list[int]:
    """The scenarios of an attempt answered so far, in the order they were answered."""
    return _answered_scenarios(attempt=attempt_id)


def feedback(asked: AskedScenario, chosen: AskedChoice) -> dict[str, Any]:
    """What the feedback card shows once `chosen` was picked: every choice's feedback and the
    explanation as they were asked, with their [[links]] and the links to the term pages and
    to the comparisons of the right term with the others offered as the site has them now."""
    links = site_links()
    _link_term_pages([choice.term for choice in asked.choices], links)
    for choice in asked.choices:
        choice.feedback_html = render_markdown(choice.feedback, links.targets)
    correct = asked.correct
    pairs = [(correct.term.pk, choice.term.pk) for choice in asked.choices if choice != correct]
    return {
        "chosen": chosen,
        "correct": correct,
        "others": [choice for choice in asked.choices if choice not in (chosen, correct)],
        "explanation_html": render_markdown(asked.explanation, links.targets),
        "comparisons": links.comparisons_of(pairs),
    }


def recorded_feedback(asked: AskedScenario, chosen: AskedChoice | None) -> dict[str, Any]:
    """A recorded question for a trainer to read: every choice's feedback and the
    explanation as they were asked, with their [[links]] as the site has them now, whether
    or not it was answered (`chosen`)."""
    links = site_links()
    _link_term_pages([choice.term for choice in asked.choices], links)
    for choice in asked.choices:
        choice.feedback_html = render_markdown(choice.feedback, links.targets)
    return {
        "chosen": chosen,
        "correct": asked.correct,
        "explanation_html": render_markdown(asked.explanation, links.targets),
    }


def _link_term_pages(terms: Iterable[AskedTerm], links: SiteLinks) -> None:
    """Point recorded terms at their pages, where they still have one."""
    for term in terms:
        term.url = links.term_pages.get(term.pk, "")


@dataclass
class ReviewRow:
    position: int
    asked: AskedScenario
    chosen: AskedChoice | None  # None: not answered
    correct: AskedChoice
    is_correct: bool  # as graded when answered


@dataclass
class Review:
    """A finished attempt question by question, as asked and answered, with what to read
    again (as the glossary has it now)."""

    rows: list[ReviewRow]
    revisit_terms: list[Term]  # the right and the chosen terms of every missed question
    comparisons: list[Distinction]  # the comparisons of those pairs


def attempt_review(attempt: Attempt) -> Review:
    answers = {
        scenario_id: (chosen, is_correct)
        for scenario_id, chosen, is_correct in attempt.responses.values_list(
            "scenario_id", "chosen", "is_correct"
        )
    }
    rows = []
    for question in attempt.questions.all():
        asked = question.asked
        chosen, is_correct = answers.get(question.scenario_id, (None, False))
        rows.append(
            ReviewRow(
                position=question.position,
                asked=asked,
                chosen=asked.choice(chosen) if chosen is not None else None,
                correct=asked.correct,
                is_correct=is_correct,
            )
        )
    links = site_links()
    _link_term_pages(
        [row.correct.term for row in rows] + [row.chosen.term for row in rows if row.chosen],
        links,
    )
    missed = [(row.correct.term.pk, row.chosen.term.pk) for row in rows if _missed(row)]
    revisit = Term.objects.with_public_page().filter(pk__in={pk for pair in missed for pk in pair})
    return Review(
        rows=rows,
        revisit_terms=list(revisit.order_by("name")),
        comparisons=links.comparisons_of(missed),
    )


def _missed(row: ReviewRow) -> bool:
    return row.chosen is not None and not row.is_correct


# How often the "Test yourself" box of a term's page asks a scenario whose answer is that
# page's term. The heading above the box names the term, so the draw must not favour it:
# with three or four choices offered, a learner who always picks the page's term does no
# better than chance.
ANSWERED_BY_PAGE_TERM = 1 / 3


def test_yourself_scenario(
    term: Term, *, previewing: bool = False, rng: random.Random | None = None
) -> Scenario | None:
    """A published scenario for the "Test yourself" box of a term's page, or none for a
    retired term. With probability ANSWERED_BY_PAGE_TERM one whose answer is the term (or,
    when there is none, one offering the term as a wrong choice); otherwise one offering the
    term as a wrong choice (or, when there is none, another one not answered by the term).
    So the page's term is the answer at most that often, however many scenarios it answers.
    Every draw comes from `rng`: seeded with the content version, the page is the same for
    every visitor until the content changes (and can be cached). In an editor's preview the
    term counts as published. Three queries (the candidates, the scenario, its choices)."""
    if term.is_retired:
        return None
    rng = rng or random.Random()
    offering = Choice.objects.filter(scenario=OuterRef("pk"), term=term)
    answered = Exists(offering.filter(is_correct=True))
    offered = Exists(offering)
    scenarios = Scenario.objects.published(previewing=term if previewing else None)
    if rng.random() < ANSWERED_BY_PAGE_TERM:
        preference = Case(
            When(answered, then=Value(0)), When(offered, then=Value(1)), default=Value(2)
        )
    else:
        scenarios = scenarios.exclude(answered)
        preference = Case(When(offered, then=Value(0)), default=Value(1))
    candidates = list(
        scenarios.annotate(preference=preference)
        .order_by("preference", "pk")
        .values_list("pk", "preference")
    )
    if not candidates:
        return None
    best = [pk for pk, rank in candidates if rank == candidates[0][1]]
    return Scenario.objects.with_choices().get(pk=rng.choice(best))
