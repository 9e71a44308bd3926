"""The content as the fixtures hold it: what `export_content` writes and `load_content` reads.

Every list has a fixed order (natural keys, positions), so exporting what was just loaded
gives back the very same files.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from glossary.models import Distinction, Status, Term

from .models import Choice, Quiz, Scenario


def _with_status(entry: dict[str, Any], status: str) -> dict[str, Any]:
    """Published is what the loader assumes, so only other statuses are written out."""
    if status != Status.PUBLISHED:
        entry["status"] = status
    return entry


def glossary_data() -> dict[str, Any]:
    terms = Term.objects.order_by("slug").select_related("replaced_by")
    terms = terms.prefetch_related("aliases", "sources")
    entries = []
    for term in terms:
        entry = _with_status(
            {"slug": term.slug, "name": term.name, "summary": term.summary, "body": term.body},
            term.status,
        )
        if term.replaced_by is not None:
            entry["replaced_by"] = term.replaced_by.slug
        entry["aliases"] = [
            {"slug": alias.slug, "name": alias.name}
            for alias in sorted(term.aliases.all(), key=lambda alias: alias.slug)
        ]
        entry["sources"] = [
            {"title": source.title, "url": source.url}
            for source in sorted(term.sources.all(), key=lambda s: (s.position, s.pk))
        ]
        entries.append(entry)
    distinctions = [
        _with_status(
            {
                "terms": [term.slug for term in distinction.terms],
                "rule": distinction.rule,
                "example": distinction.example,
                "body": distinction.body,
            },
            distinction.status,
        )
        for distinction in Distinction.objects.select_related("term_a", "term_b")
    ]
    distinctions.sort(key=lambda entry: entry["terms"])
    return {"terms": entries, "distinctions": distinctions}


def scenarios_data(*, retired: Sequence[str] = ()) -> dict[str, Any]:
    by_scenario: dict[int, list[Choice]] = {}
    for choice in Choice.objects.select_related("term").order_by("scenario", "position", "pk"):
        by_scenario.setdefault(choice.scenario_id, []).append(choice)
    entries = []
    for scenario in Scenario.objects.order_by("slug").prefetch_related("former_slugs"):
        choices = by_scenario.get(scenario.pk, [])
        answer = next((choice.term.slug for choice in choices if choice.is_correct), None)
        entry: dict[str, Any] = {"slug": scenario.slug}
        former = [former.slug for former in scenario.former_slugs.all()]  # ordered by slug
        if former:
            entry["formerly"] = former
        entry |= {
            "title": scenario.title,
            "situation": scenario.situation,
            "question": scenario.question,
            "answer": answer,
            "difficulty": scenario.difficulty,
            "choices": [
                {"term": choice.term.slug, "feedback": choice.feedback} for choice in choices
            ],
            "explanation": scenario.explanation,
        }
        entries.append(_with_status(entry, scenario.status))
    # The slugs a release retires are an instruction to the loader, not content the database
    # holds: they are written as given (export_content keeps those of the file it rewrites).
    still_retired = [slug for slug in retired if slug not in {e["slug"] for e in entries}]
    return ({"retired": still_retired} if still_retired else {}) | {"scenarios": entries}


def quizzes_data() -> dict[str, Any]:
    slugs: dict[int, list[str]] = {}
    entries_qs = Quiz.scenarios.through.objects.select_related("scenario")
    for entry in entries_qs.order_by("quiz", "position", "pk"):
        slugs.setdefault(entry.quiz_id, []).append(entry.scenario.slug)
    quizzes = []
    for quiz in Quiz.objects.order_by("position", "slug"):
        entry = {
            "slug": quiz.slug,
            "title": quiz.title,
            "description": quiz.description,
            "kind": "practice" if quiz.is_practice else "fixed",
            "question_count": quiz.question_count,
            "pass_mark": quiz.pass_mark,
            "shuffle": quiz.shuffle,
            "scenarios": slugs.get(quiz.pk, []),
        }
        quizzes.append(_with_status(entry, quiz.status))
    return {"quizzes": quizzes}


def content_files(*, retired: Sequence[str] = ()) -> dict[str, str]:
    """File name → text, exactly as the fixtures are written (UTF-8, two-space indent);
    `retired` is the list of scenario slugs the release retires (see scenarios_data)."""
    data = {
        "terms.json": glossary_data(),
        "scenarios.json": scenarios_data(retired=retired),
        "quizzes.json": quizzes_data(),
    }
    return {name: dumps(content) for name, content in data.items()}


def dumps(content: dict[str, Any]) -> str:
    return json.dumps(content, indent=2, ensure_ascii=False) + "\n"
