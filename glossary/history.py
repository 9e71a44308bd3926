"""Versions of terms, distinctions and scenarios: field-by-field comparison and restore.

django-simple-history keeps a historical record for every save. A term's aliases and sources
and a scenario's choices have their own history; the ones belonging to one version are those
in force until the next version was saved (the admin saves an object, then its inlines).
A model whose versions include such rows says so with `register_children` (the term below;
the quiz registers its scenarios' choices from QuizConfig.ready()).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .models import Alias, Publishable, Source, Term

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
    """The fields an editor writes; derived ones (a term's body_html) follow from them."""
    return [
        field
        for field in model._meta.concrete_fields
        if field.name not in SKIPPED_FIELDS and field.editable
    ]


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


@dataclass(frozen=True)
class Children:
    """Rows of another model that belong to each version of an object, e.g. a term's
    aliases: compared with the object, and restored with it."""

    label: str  # the comparison's row heading, e.g. "Aliases"
    model: type[models.Model]
    fk_name: str  # the field pointing at the object, e.g. "term"
    line: Callable[[Any], str]  # one row as a line of the comparison
    order: Callable[[Any], Any]  # the order of the rows in the comparison
    related: tuple[str, ...] = ()  # what `line` reads through relations, fetched with the rows

    def of(self, record: Any) -> list[Any]:
        """The rows that belonged to this version: those in force until the next version
        was saved (the admin saves an object first, then its inlines)."""
        following = record.next_record
        until = following.history_date - timedelta(microseconds=1) if following else timezone.now()
        rows = self.model.history.as_of(until).filter(**{f"{self.fk_name}_id": record.id})
        if self.related:
            rows = rows.select_related(*self.related)
        return sorted(rows, key=self.order)

    def text(self, record: Any) -> str:
        return "\n".join(self.line(row) for row in self.of(record))


# Per model: its children, and how to put back those of an old version after its own fields.
CHILDREN: dict[type[models.Model], list[Children]] = {}
RESTORE_CHILDREN: dict[type[models.Model], Callable[[Any, Any], None]] = {}


def register_children(
    model: type[models.Model],
    children: list[Children],
    restore: Callable[[Any, Any], None],
) -> None:
    """Make the versions of `model` include these rows; `restore(obj, record)` puts back
    those of `record` when an older version is restored."""
    CHILDREN[model] = children
    RESTORE_CHILDREN[model] = restore


def compare_versions(old: Any, new: Any) -> list[FieldDiff]:
    """Every tracked field of two versions of one object, side by side, with its children
    (a term's aliases and sources, a scenario's choices)."""
    model = old.instance_type
    rows = [
        FieldDiff(str(field.verbose_name).capitalize(), _display(old, field), _display(new, field))
        for field in tracked_fields(model)
    ]
    children = CHILDREN.get(model, [])
    return rows + [FieldDiff(c.label, c.text(old), c.text(new)) for c in children]


ALIASES = Children(
    "Aliases", Alias, "term", lambda alias: f"{alias.name} ({alias.slug})", lambda a: a.slug
)
SOURCES = Children(
    "Sources",
    Source,
    "term",
    lambda source: f"{source.title} {source.url}".strip(),
    lambda source: (source.position, source.pk),
)


def _restore_aliases_and_sources(term: Term, record: Any) -> None:
    aliases = {alias.slug: alias for alias in ALIASES.of(record)}
    for alias in term.aliases.exclude(slug__in=aliases):
        alias.delete()
    for slug, old in aliases.items():
        alias = Alias.objects.filter(slug=slug).first() or Alias(term=term, slug=slug)
        if alias.term_id != term.pk:
            raise ValidationError(f"The alias “{old.name}” now belongs to “{alias.term}”.")
        alias.name = old.name
        alias.full_clean()
        alias.save()
    sources = {source.title: source for source in SOURCES.of(record)}
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
    """Bring back the content of an earlier version, with its children, as a new version.
    The status (and a retired term's replacement) stays as it is now. Everything the model
    checks on save is checked again; a version that no longer passes raises ValidationError
    and nothing changes."""
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
    if model in RESTORE_CHILDREN:
        RESTORE_CHILDREN[model](obj, record)
    if isinstance(obj, Publishable):
        obj.check_published()
    return obj


register_children(Term, [ALIASES, SOURCES], _restore_aliases_and_sources)
