"""Import and export of scenarios in the admin (django-import-export), as CSV or JSON.

A row holds the scenario and up to four choices as flat columns (choice_1_term,
choice_1_feedback, …) plus the slug of the right answer, so a spreadsheet can edit them.
Choices are checked with the scenario; a row that could not be saved in the admin is rejected.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from import_export import fields, resources

from glossary.models import Term
from glossary.resources import StyleFreeDiff

from .models import Scenario
from .services import save_choices

MAX_CHOICES = 4


def _choice(scenario: Scenario, index: int):
    choices = list(scenario.choices.all()) if scenario.pk else []
    return choices[index] if index < len(choices) else None


def _choice_term(index: int):
    def dehydrate(scenario: Scenario) -> str:
        choice = _choice(scenario, index)
        return choice.term.slug if choice else ""

    return dehydrate


def _choice_feedback(index: int):
    def dehydrate(scenario: Scenario) -> str:
        choice = _choice(scenario, index)
        return choice.feedback if choice else ""

    return dehydrate


def _answer(scenario: Scenario) -> str:
    choices = list(scenario.choices.all()) if scenario.pk else []
    return next((choice.term.slug for choice in choices if choice.is_correct), "")


CHOICE_COLUMNS = [(f"choice_{n}_term", f"choice_{n}_feedback") for n in range(1, MAX_CHOICES + 1)]


class ScenarioResource(resources.ModelResource):
    answer = fields.Field(column_name="answer", dehydrate_method=_answer)
    choice_1_term = fields.Field(column_name="choice_1_term", dehydrate_method=_choice_term(0))
    choice_1_feedback = fields.Field(
        column_name="choice_1_feedback", dehydrate_method=_choice_feedback(0)
    )
    choice_2_term = fields.Field(column_name="choice_2_term", dehydrate_method=_choice_term(1))
    choice_2_feedback = fields.Field(
        column_name="choice_2_feedback", dehydrate_method=_choice_feedback(1)
    )
    choice_3_term = fields.Field(column_name="choice_3_term", dehydrate_method=_choice_term(2))
    choice_3_feedback = fields.Field(
        column_name="choice_3_feedback", dehydrate_method=_choice_feedback(2)
    )
    choice_4_term = fields.Field(column_name="choice_4_term", dehydrate_method=_choice_term(3))
    choice_4_feedback = fields.Field(
        column_name="choice_4_feedback", dehydrate_method=_choice_feedback(3)
    )

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
        import_id_fields = ("slug",)
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
        use_transactions = True

    def get_queryset(self):
        return super().get_queryset().prefetch_related("choices__term").order_by("slug")

    def get_diff_class(self) -> type[StyleFreeDiff]:
        return StyleFreeDiff

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
