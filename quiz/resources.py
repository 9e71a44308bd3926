"""Import and export of scenarios in the admin (django-import-export), as CSV or JSON.

A row holds the scenario and up to four choices as flat columns (choice_1_term,
choice_1_feedback, …) plus the slug of the right answer, so a spreadsheet can edit them.
Choices are checked with the scenario; a row that could not be saved in the admin is rejected.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from import_export import fields, resources

from glossary.models import Term
from glossary.resources import ContentResource

from .models import MAX_CHOICES, Choice, Scenario
from .services import save_choices

CHOICE_COLUMNS = [(f"choice_{n}_term", f"choice_{n}_feedback") for n in range(1, MAX_CHOICES + 1)]


def _choice_value(index: int, read: Callable[[Choice], str]) -> Callable[[Scenario], str]:
    """Export: what column `index` of the choices shows for a scenario ("" past its last)."""

    def dehydrate(scenario: Scenario) -> str:
        choices = list(scenario.choices.all()) if scenario.pk else []
        return read(choices[index]) if index < len(choices) else ""

    return dehydrate


def _answer(scenario: Scenario) -> str:
    choices = list(scenario.choices.all()) if scenario.pk else []
    return next((choice.term.slug for choice in choices if choice.is_correct), "")


# The columns of the choices, declared as fields of a resource of their own so there is one
# declaration for all four (a resource's fields are the Field attributes of its classes).
ChoiceColumns = type(
    "ChoiceColumns",
    (resources.Resource,),
    {
        column: fields.Field(column_name=column, dehydrate_method=_choice_value(index, read))
        for index, pair in enumerate(CHOICE_COLUMNS)
        for column, read in zip(
            pair, (lambda choice: choice.term.slug, lambda choice: choice.feedback), strict=True
        )
    },
)


class ScenarioResource(ContentResource, ChoiceColumns):
    answer = fields.Field(column_name="answer", dehydrate_method=_answer)

    class Meta:
        model = Scenario
        fields = (
            "slug",
            "title",
            "situation",
            "question",
            "explanation",
            "difficulty",
            "status",
            "answer",
            *(column for pair in CHOICE_COLUMNS for column in pair),
        )
        export_order = fields

    def get_queryset(self):
        return super().get_queryset().prefetch_related("choices__term").order_by("slug")

    def _row_choices(self, row: dict[str, Any]) -> list[dict[str, Any]]:
        """The choices a row asks for, with the terms looked up; clear errors otherwise."""
        answer = (row.get("answer") or "").strip()
        slugs = {(row.get(term_column) or "").strip() for term_column, _ in CHOICE_COLUMNS} - {""}
        terms = Term.objects.in_bulk(slugs, field_name="slug")
        choices, errors = [], []
        for term_column, feedback_column in CHOICE_COLUMNS:
            slug = (row.get(term_column) or "").strip()
            if not slug:
                continue
            if slug not in terms:
                errors.append(f"{term_column}: there is no term “{slug}”.")
                continue
            choices.append(
                {
                    "term": terms[slug],
                    "is_correct": slug == answer,
                    "feedback": (row.get(feedback_column) or "").strip(),
                }
            )
        if answer and answer not in {choice["term"].slug for choice in choices}:
            errors.append(f"answer: “{answer}” is not one of the row's choices.")
        if errors:
            raise ValidationError(" ".join(errors))
        return choices

    def skip_row(self, instance, original, row, import_validation_errors=None) -> bool:
        if not super().skip_row(instance, original, row, import_validation_errors):
            return False
        # The scenario's own fields are unchanged: skip only if its choices are too.
        try:
            wanted = self._row_choices(row)
        except ValidationError:
            return False
        current = [
            {"term": choice.term, "is_correct": choice.is_correct, "feedback": choice.feedback}
            for choice in instance.choices.select_related("term")
        ]
        return current == wanted

    def after_save_instance(self, instance: Scenario, row: dict[str, Any], **kwargs: Any) -> None:
        save_choices(scenario=instance, choices=self._row_choices(row))
