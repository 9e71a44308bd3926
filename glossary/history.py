"""Versions of terms, distinctions and scenarios: field-by-field comparison and restore.

django-simple-history keeps a historical record for every save. A scenario's choices have
their own history; the choices belonging to one version of a scenario are those in force
until the scenario's next version was saved (the admin saves a scenario, then its choices).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db import models, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Bookkeeping fields: never compared, never restored.
SKIPPED_FIELDS = {"id", "created", "updated"}
# The lifecycle is changed on purpose (publish, retire), not by restoring an old text.
LIFECYCLE_FIELDS = {"status", "replaced_by"}


@dataclass
class FieldDiff:
    label: str
    old: str
    new: str

    @property
    def changed(self) -> bool:
        return self.old != self.new

    @property
    def old_html(self) -> SafeString:
        return inline_diff(self.old, self.new)[0]

    @property
    def new_html(self) -> SafeString:
        return inline_diff(self.old, self.new)[1]


TOKEN = re.compile(r"\s+|[^\s\w]|\w+")


def inline_diff(old: str, new: str) -> tuple[SafeString, SafeString]:
    """Both texts as HTML, with the words removed from `old` in <del> and the words added in
    `new` in <ins>."""
    a, b = TOKEN.findall(old), TOKEN.findall(new)
    old_parts: list[str] = []
    new_parts: list[str] = []
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        removed, added = escape("".join(a[i1:i2])), escape("".join(b[j1:j2]))
        if tag == "equal":
            old_parts.append(removed)
            new_parts.append(added)
            continue
        if removed:
            old_parts.append(f"<del>{removed}</del>")
        if added:
            new_parts.append(f"<ins>{added}</ins>")
    return mark_safe("".join(old_parts)), mark_safe("".join(new_parts))


def tracked_fields(model: type[models.Model]) -> list[models.Field]:
    return [field for field in model._meta.concrete_fields if field.name not in SKIPPED_FIELDS]


def _display(record: Any, field: models.Field) -> str:
    value = getattr(record, field.attname)
    if value is None or value == "":
        return ""
    if field.is_relation:
        try:
            return str(getattr(record, field.name))
        except ObjectDoesNotExist:
            return f"(deleted #{value})"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return str(value)


def choices_of(record: Any) -> list[Any]:
    """The choices (as Choice instances) that belonged to this version of a scenario."""
    from quiz.models import Choice

    following = record.next_record
    until = following.history_date - timedelta(microseconds=1) if following else timezone.now()
    choices = Choice.history.as_of(until).filter(scenario_id=record.id).select_related("term")
    return sorted(choices, key=lambda choice: (choice.position, choice.pk))


def _choices_text(record: Any) -> str:
    return "\n".join(
        f"{'✓' if choice.is_correct else '✗'} {choice.term.name}: {choice.feedback}"
        for choice in choices_of(record)
    )


def compare_versions(old: Any, new: Any) -> list[FieldDiff]:
    """Every tracked field of two versions of one object, side by side."""
    model = old.instance_type
    rows = [
        FieldDiff(str(field.verbose_name).capitalize(), _display(old, field), _display(new, field))
        for field in tracked_fields(model)
    ]
    if model._meta.label == "quiz.Scenario":
        rows.append(FieldDiff("Choices", _choices_text(old), _choices_text(new)))
    return rows


def describe_version(record: Any) -> str:
    return f"version of {date_format(timezone.localtime(record.history_date), 'j M Y, H:i:s')}"


@transaction.atomic
def restore_version(*, record: Any, user: Any = None) -> models.Model:
    """Bring back the content of an earlier version as a new version. The status (and a
    retired term's replacement) stays as it is now. Everything the model checks on save is
    checked again; a version that no longer passes raises ValidationError and nothing changes.
    """
    from quiz.models import Scenario
    from quiz.services import save_choices, validate_scenario

    model = record.instance_type
    obj = model._default_manager.select_for_update().get(pk=record.id)
    for field in tracked_fields(model):
        if field.name not in LIFECYCLE_FIELDS:
            setattr(obj, field.attname, getattr(record, field.attname))
    obj._change_reason = f"Restored the {describe_version(record)}"[:100]
    if user is not None:
        obj._history_user = user
    obj.full_clean()
    obj.save()
    if isinstance(obj, Scenario):
        choices = choices_of(record)
        if choices:
            save_choices(
                scenario=obj,
                choices=[
                    {"term": c.term, "is_correct": c.is_correct, "feedback": c.feedback}
                    for c in choices
                ],
            )
        validate_scenario(scenario=obj)
    return obj
