"""Import and export of scenarios in the admin (django-import-export), as CSV or JSON.

A row holds the scenario and up to four choices as flat columns (choice_1_term,
choice_1_feedback, …) plus the slug of the right answer, so a spreadsheet can edit them.
Choices are checked with the scenario; a row that could not be saved in the admin is rejected.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from import_export import fields, resources

from glossary.models import Alias, Term, pending_terms
from glossary.resources import ContentResource

from .models import MAX_CHOICES, Choice, Scenario, choice_problems, fixed_term_words
from .services import save_choices

CHOICE_COLUMNS = [(f"choice_{n}_term", f"choice_{n}_feedback") for n in range(1, MAX_CHOICES + 1)]


def _choices_of(scenario: Scenario) -> list[Choice]:
    """A scenario's choices in order: during an import, the ones the import holds for it
    (`import_choices`: as stored when its row is read, as written once it is saved, so the
    preview shows both); otherwise as stored (prefetched when exporting)."""
    held = getattr(scenario, "import_choices", None)
    if held is not None:
        return held
    return list(scenario.choices.all()) if scenario.pk else []


def _choice_value(index: int, read: Callable[[Choice], str]) -> Callable[[Scenario], str]:
    """What column `index` of the choices shows for a scenario ("" past its last)."""

    def dehydrate(scenario: Scenario) -> str:
        choices = _choices_of(scenario)
        return read(choices[index]) if index < len(choices) else ""

    return dehydrate


def _answer(scenario: Scenario) -> str:
    return next((choice.term.slug for choice in _choices_of(scenario) if choice.is_correct), "")


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

    def before_import(self, dataset: Any, **kwargs: Any) -> None:
        """Look up every term the file names, once. Inside the import's transaction they are
        locked (PostgreSQL) until it ends, so a term cannot be unpublished or deleted between
        the check of a row and the commit: what is checked is what is applied."""
        super().before_import(dataset, **kwargs)
        headers = dataset.headers or []
        slugs = {
            str(cell or "").strip()
            for column, _ in CHOICE_COLUMNS
            if column in headers
            for cell in dataset[column]
        } - {""}
        terms = Term.objects.filter(slug__in=slugs)
        if transaction.get_connection().in_atomic_block:
            terms = terms.select_for_update()
        self._terms = {term.slug: term for term in terms}

    def import_data(self, dataset: Any, *args: Any, **kwargs: Any) -> Any:
        # Every [[link]] target that exists when the import starts counts as existing for
        # its rows, which then check their links without two queries each.
        targets = {*Term.objects.values_list("slug", flat=True)}
        targets |= {*Alias.objects.values_list("slug", flat=True)}
        # Likewise the terms' names and aliases that a scenario's wording must not use.
        with pending_terms(targets), fixed_term_words():
            return super().import_data(dataset, *args, **kwargs)

    def after_init_instance(
        self, instance: Scenario, new: bool, row: dict[str, Any], **kwargs: Any
    ) -> None:
        # Read the stored choices from the prefetch now: the library deep-copies the instance
        # for the preview, and a copied prefetch is read again from the database, a query
        # for the choices and one for each choice's term.
        super().after_init_instance(instance, new, row, **kwargs)
        instance.import_choices = [] if new else list(instance.choices.all())

    def _row_choices(self, row: dict[str, Any]) -> list[dict[str, Any]]:
        """The choices a row asks for, with their terms; a ValidationError naming each column
        that is wrong otherwise."""
        terms = getattr(self, "_terms", None)
        if terms is None:  # outside import_data
            slugs = {str(row.get(column) or "").strip() for column, _ in CHOICE_COLUMNS}
            terms = Term.objects.in_bulk(slugs - {""}, field_name="slug")
        answer = str(row.get("answer") or "").strip()
        choices, errors = [], {}
        for term_column, feedback_column in CHOICE_COLUMNS:
            slug = str(row.get(term_column) or "").strip()
            if not slug:
                continue
            if slug not in terms:
                errors[term_column] = [f"There is no term “{slug}”."]
                continue
            choices.append(
                {
                    "term": terms[slug],
                    "is_correct": slug == answer,
                    "feedback": str(row.get(feedback_column) or "").strip(),
                }
            )
        if answer and answer not in {choice["term"].slug for choice in choices}:
            errors["answer"] = [f"“{answer}” is not one of the row's choices."]
        if errors:
            raise ValidationError(errors)
        return choices

    def import_instance(self, instance: Scenario, row: dict[str, Any], **kwargs: Any) -> None:
        """Read the row into the scenario, and check its choices by the scenario's rules, so
        that a row shows its choices' errors with its fields' ones (validate_instance)."""
        try:
            super().import_instance(instance, row, **kwargs)
        finally:
            instance.import_choice_errors = self._choice_errors(instance, row)

    def _choice_errors(self, instance: Scenario, row: dict[str, Any]) -> dict[str, list[str]]:
        try:
            choices = self._row_choices(row)
        except ValidationError as error:
            return error.message_dict
        offered = [Choice(scenario=instance, **values) for values in choices]
        problems = choice_problems(offered, publishing=instance.is_published)
        if not problems:
            return {}
        listed = "; ".join(problems)
        if instance.is_published:
            return {"choices": [f"A published scenario needs this: {listed}."]}
        return {"choices": [f"{listed[0].upper()}{listed[1:]}."]}

    def validate_instance(
        self, instance: Scenario, import_validation_errors=None, validate_unique=True
    ) -> None:
        """The row's field errors and its choices' errors together, before anything is saved
        (a row that is skipped as unchanged is not checked, as the library does for fields)."""
        errors = {key: list(value) for key, value in (import_validation_errors or {}).items()}
        for key, messages in getattr(instance, "import_choice_errors", {}).items():
            errors.setdefault(key, []).extend(messages)
        super().validate_instance(instance, errors, validate_unique)

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
            for choice in _choices_of(instance)
        ]
        return current == wanted

    def after_save_instance(self, instance: Scenario, row: dict[str, Any], **kwargs: Any) -> None:
        """Write the choices through the one service for it, which checks them again, and the
        scenario's publishing rules against what is now stored (check_published)."""
        choices = self._row_choices(row)
        save_choices(scenario=instance, choices=choices)
        instance.import_choices = [
            Choice(scenario=instance, position=position, **values)
            for position, values in enumerate(choices)
        ]
