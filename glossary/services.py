"""Writes that touch several glossary rows at once."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction

from .models import Alias, Distinction, Publishable, Source, Status, Term, pending_terms


class LoadReport(Counter[str]):
    """Counts of created / updated / unchanged / deleted rows, for the command's output."""

    def __str__(self) -> str:
        keys = ("created", "updated", "deleted", "unchanged")
        return ", ".join(f"{self[key]} {key}" for key in keys)


def upsert(
    model: type[models.Model],
    report: LoadReport,
    lookup: dict[str, Any],
    values: dict[str, Any],
    creating: dict[str, Any] | None = None,
) -> models.Model:
    """Create the row, or update it only where a field differs, so a second load writes nothing.
    `creating` holds values used only when the row is new."""
    row = model._default_manager.filter(**lookup).first()
    if row is None:
        report["created"] += 1
        row = model(**lookup, **(creating or {}), **values)
        row.full_clean()
        row.save()
        return row
    changed = [name for name, value in values.items() if getattr(row, name) != value]
    if changed:
        for name in changed:
            setattr(row, name, values[name])
        row.full_clean()
        row.save(update_fields=changed)
        report["updated"] += 1
    else:
        report["unchanged"] += 1
    return row


@transaction.atomic
def load_glossary(*, data: dict[str, Any]) -> LoadReport:
    """Make the database hold exactly the terms, aliases, sources and distinctions of `data`
    (the format of fixtures/terms.json), matched by natural keys. Terms missing from the
    file are left alone, since editors may have added them in the admin."""
    report = LoadReport()
    terms: dict[str, Term] = {}
    # Terms may link to terms (or aliases) further down the file.
    in_file = [entry["slug"] for entry in data["terms"]] + [
        alias["slug"] for entry in data["terms"] for alias in entry.get("aliases", [])
    ]
    retiring = [entry for entry in data["terms"] if entry.get("replaced_by")]
    with pending_terms(in_file):
        for entry in data["terms"]:
            values = {"name": entry["name"], "summary": entry["summary"], "body": entry["body"]}
            creating = {}
            if entry.get("replaced_by"):
                # A retired term gets its status once its replacement exists (below).
                creating["status"] = Status.DRAFT
            else:
                values.update(status=entry.get("status", Status.PUBLISHED), replaced_by=None)
            term = upsert(Term, report, {"slug": entry["slug"]}, values, creating=creating)
            terms[term.slug] = term  # type: ignore[attr-defined]
    for entry in retiring:
        upsert(
            Term,
            LoadReport(),  # these rows were counted in the first pass
            {"pk": terms[entry["slug"]].pk},
            {
                "status": entry.get("status", Status.RETIRED),
                "replaced_by": terms[entry["replaced_by"]],
            },
        )

    for entry in data["terms"]:
        term = terms[entry["slug"]]
        alias_slugs = [alias["slug"] for alias in entry.get("aliases", [])]
        report["deleted"] += term.aliases.exclude(slug__in=alias_slugs).delete()[0]
        for alias in entry.get("aliases", []):
            upsert(Alias, report, {"slug": alias["slug"]}, {"term": term, "name": alias["name"]})

        titles = [source["title"] for source in entry.get("sources", [])]
        report["deleted"] += term.sources.exclude(title__in=titles).delete()[0]
        for position, source in enumerate(entry.get("sources", [])):
            upsert(
                Source,
                report,
                {"term": term, "title": source["title"]},
                {"url": source.get("url", ""), "position": position},
            )

    for entry in data["distinctions"]:
        first, second = (terms[slug] for slug in entry["terms"])
        values = {
            "rule": entry["rule"],
            "example": entry["example"],
            "body": entry["body"],
            "status": entry.get("status", Status.PUBLISHED),
        }
        existing = Distinction.objects.for_pair(first, second).first()
        if existing is None:
            upsert(Distinction, report, {"term_a": first, "term_b": second}, values)
        else:
            upsert(Distinction, report, {"pk": existing.pk}, values)
    return report


class TermInUse(ValidationError):
    """A term that scenarios, distinctions or retired terms still use cannot be deleted."""


@transaction.atomic
def delete_term(*, term: Term) -> None:
    """Delete a term nothing uses; otherwise say where it is used and delete nothing."""
    usage = term.usage()
    if usage:
        raise TermInUse(
            f"“{term}” cannot be deleted: it is used by {usage.describe()}. "
            "Change those first, or retire the term instead."
        )
    term.delete()


@transaction.atomic
def change_status[P: Publishable](*, obj: P, status: str) -> P:
    """Move a term, distinction, scenario or quiz to another step of its lifecycle, checking
    everything it must pass for that status first (Publishable.check_status), on the row as
    stored now. Raises ValidationError and changes nothing when the content is not ready."""
    locked = type(obj)._default_manager.select_for_update().get(pk=obj.pk)
    locked.status = status
    locked.check_status()
    if getattr(obj, "_history_user", None) is not None:
        locked._history_user = obj._history_user
    locked.save()
    obj.status = status
    return locked
