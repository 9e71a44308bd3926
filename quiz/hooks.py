"""What the quiz plugs into the glossary, which never imports the quiz: scenarios as a use of
terms (shown in a term's admin page, protecting it from deletion, warned about when it is
unpublished), and a scenario's choices as part of each of its versions. Registered from
QuizConfig.ready()."""

from __future__ import annotations

from glossary.history import Children, register_children
from glossary.models import TERM_USES, TermUse

from . import services
from .models import Choice, Scenario

SCENARIOS = TermUse(
    "Scenario",
    "scenarios",
    lambda term: Scenario.objects.filter(choices__term=term).distinct().order_by("title"),
    when_unpublished="are out of the quizzes until they offer another term",
)

CHOICES = Children(
    "Choices",
    Choice,
    "scenario",
    lambda choice: f"{'✓' if choice.is_correct else '✗'} {choice.term.name}: {choice.feedback}",
    lambda choice: (choice.position, choice.pk),
    related=("term",),
)


def _restore_choices(scenario: Scenario, record) -> None:
    choices = CHOICES.of(record)
    if choices:
        services.save_choices(
            scenario=scenario,
            choices=[
                {"term": c.term, "is_correct": c.is_correct, "feedback": c.feedback}
                for c in choices
            ],
        )


def register() -> None:
    if SCENARIOS not in TERM_USES:
        TERM_USES.insert(0, SCENARIOS)
    register_children(Scenario, [CHOICES], _restore_choices)
