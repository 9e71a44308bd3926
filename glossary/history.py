"""Versions of terms, distinctions and scenarios: field-by-field comparison and restore.

django-simple-history keeps a historical record for every save. A term's aliases and sources
and a scenario's choices have their own history; the ones belonging to one version are those
in force until the next version was saved (the admin saves an object, then its inlines).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .models import Alias, Source, Term

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


def _related_at(record: Any, model: type[models.Model], fk_name: str) -> list[Any]:
    """The `model` rows pointing at this version's object, as they were until its next
    version was saved (the admin saves an object first, then its inlines)."""
    following = record.next_record
    until = following.history_date - timedelta(microseconds=1) if following else timezone.now()
    rows = model.history.as_of(until).filter(**{f"{fk_name}_id": record.id})
    if fk_name == "scenario":
        rows = rows.select_related("term")
    return list(rows)


def choices_of(record: Any) -> list[Any]:
    """The choices (as Choice instances) that belonged to this version of a scenario."""
    from quiz.models import Choice

    choices = _related_at(record, Choice, "scenario")
    return sorted(choices, key=lambda choice: (choice.position, choice.pk))


def aliases_of(record: Any) -> list[Alias]:
    return sorted(_related_at(record, Alias, "term"), key=lambda alias: alias.slug)


def sources_of(record: Any) -> list[Source]:
    return sorted(_related_at(record, Source, "term"), key=lambda s: (s.position, s.pk))


def _related_rows(old: Any, new: Any) -> list[FieldDiff]:
    label = old.instance_type._meta.label
    texts: dict[str, Any] = {}
    if label == "quiz.Scenario":
        texts["Choices"] = lambda record: "\n".join(
            f"{'✓' if c.is_correct else '✗'} {c.term.name}: {c.feedback}"
            for c in choices_of(record)
        )
    elif label == "glossary.Term":
        texts["Aliases"] = lambda record: "\n".join(
            f"{alias.name} ({alias.slug})" for alias in aliases_of(record)
        )
        texts["Sources"] = lambda record: "\n".join(
            f"{source.title} {source.url}".strip() for source in sources_of(record)
        )
    return [FieldDiff(name, text(old), text(new)) for name, text in texts.items()]


def compare_versions(old: Any, new: Any) -> list[FieldDiff]:
    """Every tracked field of two versions of one object, side by side, with its inline rows
    (a term's aliases and sources, a scenario's choices)."""
    model = old.instance_type
    rows = [
        FieldDiff(str(field.verbose_name).capitalize(), _display(old, field), _display(new, field))
        for field in tracked_fields(model)
    ]
    return rows + _related_rows(old, new)


def _restore_aliases_and_sources(term: Term, record: Any) -> None:
    aliases = {alias.slug: alias for alias in aliases_of(record)}
    for alias in term.aliases.exclude(slug__in=aliases):
        alias.delete()
    for slug, old in aliases.items():
        alias = Alias.objects.filter(slug=slug).first() or Alias(term=term, slug=slug)
        if alias.term_id != term.pk:
            raise ValidationError(f"The alias “{old.name}” now belongs to “{alias.term}”.")
        alias.name = old.name
        alias.full_clean()
        alias.save()
    sources = {source.title: source for source in sources_of(record)}
    for source in term.sources.exclude(title__in=sources):
        source.delete()
    for title, old in sources.items():
        source = term.sources.filter(title=title).first() or Source(term=term, title=title)
        source.url, source.position = old.url, old.position
        source.full_clean()
        source.save()


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
    if isinstance(obj, Term):
        _restore_aliases_and_sources(obj, record)
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
