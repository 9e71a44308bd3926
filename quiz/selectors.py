"""Reads of the quiz that pages share: the feedback after an answer, the review of a finished
attempt, and the scenario a term page offers. The trainers' reports are in reports.py."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from glossary.markdown import render_markdown
from glossary.models import Distinction, Term

from .models import Attempt, Choice, Response, Scenario


def feedback(scenario: Scenario, chosen: Choice) -> dict[str, Any]:
    """What the feedback card shows once `chosen` was picked: every choice's feedback and the
    explanation (their [[links]] to published terms), and links to the term pages and to the
    comparisons of the right term with the others offered. The scenario's choices should be
    prefetched with their terms."""
    targets = Term.objects.published().link_targets()
    choices = list(scenario.choices.all())
    chosen = next(choice for choice in choices if choice.pk == chosen.pk)
    correct = next(choice for choice in choices if choice.is_correct)
    others = [choice for choice in choices if choice.pk not in (chosen.pk, correct.pk)]
    for choice in choices:
        choice.feedback_html = render_markdown(choice.feedback, targets)
    pairs = [(correct.term_id, choice.term_id) for choice in choices if choice != correct]
    return {
        "chosen": chosen,
        "correct": correct,
        "others": others,
        "explanation_html": render_markdown(scenario.explanation, targets),
        "comparisons": list(Distinction.objects.published().for_pairs(pairs)),
    }


@dataclass
class ReviewRow:
    position: int
    scenario: Scenario
    response: Response | None
    correct: Choice


@dataclass
class Review:
    """A finished attempt question by question, with what to read again."""

    rows: list[ReviewRow]
    revisit_terms: list[Term]  # the right and the chosen terms of every missed question
    comparisons: list[Distinction]  # the comparisons of those pairs


def attempt_review(attempt: Attempt) -> Review:
    questions = list(attempt.questions.select_related("scenario"))
    responses = {
        response.scenario_id: response
        for response in attempt.responses.select_related("choice__term")
    }
    correct = {
        choice.scenario_id: choice
        for choice in Choice.objects.filter(
            scenario__in=[q.scenario_id for q in questions], is_correct=True
        ).select_related("term")
    }
    rows = [
        ReviewRow(q.position, q.scenario, responses.get(q.scenario_id), correct[q.scenario_id])
        for q in questions
    ]
    missed = [row for row in rows if row.response and not row.response.is_correct]
    revisit_terms = {row.correct.term for row in missed} | {
        row.response.choice.term for row in missed if row.response
    }
    pairs = [(row.correct.term_id, row.response.choice.term_id) for row in missed if row.response]
    return Review(
        rows=rows,
        revisit_terms=sorted(revisit_terms, key=lambda term: term.name),
        comparisons=list(Distinction.objects.published().for_pairs(pairs)),
    )


def test_yourself_scenario(term: Term, *, previewing: bool = False) -> Scenario | None:
    """A scenario for the "Test yourself" box of a term's page, whose answer is that term;
    none for a retired term. In an editor's preview the term counts as published."""
    if term.is_retired:
        return None
    scenarios = Scenario.objects.published(previewing=term if previewing else None)
    return scenarios.answered_by(term).with_choices().order_by("?").first()
