from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, Exists, F, IntegerField, OuterRef, Q, Value, When
from django.db.models.functions import Greatest, Least
from django.urls import reverse
from simple_history.models import HistoricalRecords

# A comparison lives at /terms/<a>-vs-<b>/, so no slug may contain the separator.
PAIR_SEPARATOR = "-vs-"


def validate_not_a_pair(slug: str) -> None:
    if PAIR_SEPARATOR in slug:
        raise ValidationError(
            f"A slug cannot contain “{PAIR_SEPARATOR}”: that marks comparison pages."
        )


class Status(models.TextChoices):
    """The lifecycle of content: draft → in review → published → retired.
    Only published content reaches visitors and quizzes; a retired term keeps its page."""

    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    PUBLISHED = "published", "Published"
    RETIRED = "retired", "Retired"


SUMMARY_MAX_LENGTH = 199
# A full stop, question or exclamation mark followed by another sentence.
SENTENCE_BREAK = re.compile(r"[.!?][\"”’)]?\s+[A-Z0-9“\"]")


def validate_summary(summary: str) -> None:
    """A summary is one plain sentence under 200 characters."""
    summary = summary.strip()
    if len(summary) > SUMMARY_MAX_LENGTH:
        raise ValidationError(
            f"Keep the summary under 200 characters (it has {len(summary)}): "
            "one sentence a person remembers."
        )
    if SENTENCE_BREAK.search(summary):
        raise ValidationError("Write the summary as one sentence; move the rest into the body.")
    if summary and summary[-1] not in ".!?":
        raise ValidationError("End the summary with a full stop: it is one whole sentence.")


def missing_term_links(text: str, also: Iterable[str] = ()) -> list[str]:
    """The [[link]] targets in `text` that name no term or alias (of any status), in order;
    slugs in `also` count as existing (a new term may link to itself)."""
    from .markdown import term_link_slugs

    wanted = list(dict.fromkeys(term_link_slugs(text)))
    if not wanted:
        return []
    known = set(Term.objects.filter(slug__in=wanted).values_list("slug", flat=True))
    known |= set(Alias.objects.filter(slug__in=wanted).values_list("slug", flat=True))
    known |= _pending_link_targets.get() | set(also)
    return [slug for slug in wanted if slug not in known]


# Slugs that count as existing while a loader is still creating them (see `pending_terms`).
_pending_link_targets: ContextVar[frozenset[str]] = ContextVar(
    "pending_link_targets", default=frozenset()
)


@contextmanager
def pending_terms(slugs: Iterable[str]) -> Iterator[None]:
    """Let [[links]] point at terms that a bulk load creates later in the same transaction."""
    token = _pending_link_targets.set(frozenset(slugs))
    try:
        yield
    finally:
        _pending_link_targets.reset(token)


def check_term_links(errors: dict[str, list[str]], also: Iterable[str] = (), **fields: str) -> None:
    """Add a clear error for each Markdown field whose [[links]] name no existing term."""
    for name, text in fields.items():
        missing = missing_term_links(text, also)
        if missing:
            listed = ", ".join(f"[[{slug}]]" for slug in missing)
            errors.setdefault(name, []).append(
                f"These links point to no term or alias: {listed}. "
                "Fix the spelling or create the term first."
            )


class TermQuerySet(models.QuerySet["Term"]):
    def published(self) -> TermQuerySet:
        return self.filter(status=Status.PUBLISHED)

    def with_public_page(self) -> TermQuerySet:
        """Published terms, and retired ones: their page stays, pointing to the replacement."""
        return self.filter(status__in=[Status.PUBLISHED, Status.RETIRED])

    def search(self, query: str) -> TermQuerySet:
        """Terms whose name, alias or summary contains `query`: name matches first, then
        alias matches, then summary matches, alphabetical within each group."""
        query = query.strip()
        if not query:
            return self.none()
        alias_match = Exists(Alias.objects.filter(term=OuterRef("pk"), name__icontains=query))
        return (
            self.annotate(alias_match=alias_match)
            .filter(Q(name__icontains=query) | Q(alias_match=True) | Q(summary__icontains=query))
            .annotate(
                match_rank=Case(
                    When(name__icontains=query, then=Value(0)),
                    When(alias_match=True, then=Value(1)),
                    default=Value(2),
                    output_field=IntegerField(),
                )
            )
            .order_by("match_rank", "name")
        )

    def closest_to(self, text: str, limit: int = 3) -> list[Term]:
        """The terms whose name, slug or alias looks most like `text`, for "did you mean"."""
        text = text.lower().strip("/").replace("_", "-")
        terms = list(self.prefetch_related("aliases"))
        by_label: dict[str, Term] = {}
        for term in terms:
            for label in [term.slug, term.name.lower(), *(a.slug for a in term.aliases.all())]:
                by_label.setdefault(label, term)
        matches = difflib.get_close_matches(text, by_label, n=limit * 3, cutoff=0.5)
        matches += [label for label in by_label if text and (text in label or label in text)]
        suggestions: list[Term] = []
        for label in matches:
            term = by_label[label]
            if term not in suggestions:
                suggestions.append(term)
        return suggestions[:limit]


class Term(models.Model):
    slug = models.SlugField(unique=True, validators=[validate_not_a_pair])
    name = models.CharField(max_length=80)
    summary = models.CharField(
        max_length=200,
        validators=[validate_summary],
        help_text="One plain sentence under 200 characters: the definition a person remembers.",
    )
    body = models.TextField(
        help_text="Markdown. Link other terms as [[customer]] or [[clients|client]]."
    )
    status = models.CharField(max_length=20, choices=Status, default=Status.DRAFT)
    steward = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="stewarded_terms",
        help_text="The editor who looks after this term.",
    )
    replaced_by = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaces",
        help_text="For a retired term: the term its page now points readers to.",
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = TermQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("glossary:term", args=[self.slug])

    def natural_key(self) -> tuple[str]:
        return (self.slug,)

    @property
    def is_published(self) -> bool:
        return self.status == Status.PUBLISHED

    @property
    def is_retired(self) -> bool:
        return self.status == Status.RETIRED

    def usage(self) -> TermUsage:
        """Where this term is used: scenarios offering it, distinctions joining it, retired
        terms pointing to it. A term in use cannot be deleted."""
        from quiz.models import Scenario

        return TermUsage(
            scenarios=list(
                Scenario.objects.filter(choices__term=self).distinct().order_by("title")
            ),
            distinctions=list(
                Distinction.objects.involving(self).select_related("term_a", "term_b")
            ),
            replaces=list(self.replaces.order_by("name")),
        )

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        check_term_links(errors, also=[self.slug], body=self.body)
        if self.status == Status.RETIRED:
            if self.replaced_by_id is None:
                errors.setdefault("replaced_by", []).append(
                    "A retired term needs a replacement: its page points readers there."
                )
            elif self.pk is not None and self.replaced_by_id == self.pk:
                errors.setdefault("replaced_by", []).append("A term cannot replace itself.")
            elif self.replaced_by.status != Status.PUBLISHED:
                errors.setdefault("replaced_by", []).append(
                    f"The replacement “{self.replaced_by}” is not published yet."
                )
        elif self.replaced_by_id is not None:
            errors.setdefault("replaced_by", []).append(
                "Only a retired term has a replacement: clear it or retire the term."
            )
        if errors:
            raise ValidationError(errors)


@dataclass
class TermUsage:
    scenarios: list[Any]
    distinctions: list[Distinction]
    replaces: list[Term]

    def __bool__(self) -> bool:
        return bool(self.scenarios or self.distinctions or self.replaces)

    def describe(self) -> str:
        """One line per kind of use, e.g. "scenarios “A”, “B”; distinctions “X vs Y”"."""
        parts = []
        for label, objects in (
            ("scenarios", self.scenarios),
            ("distinctions", self.distinctions),
            ("the retired terms", self.replaces),
        ):
            if objects:
                parts.append(f"{label} " + ", ".join(f"“{obj}”" for obj in objects))
        return "; ".join(parts)


class Alias(models.Model):
    """Another spelling or near-synonym that leads to a term (clientele → client)."""

    term = models.ForeignKey(Term, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=80)
    slug = models.SlugField(unique=True, validators=[validate_not_a_pair])

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "aliases"

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if Term.objects.filter(slug=self.slug).exists():
            raise ValidationError({"slug": "A term already uses this slug."})


class DistinctionQuerySet(models.QuerySet["Distinction"]):
    def published(self) -> DistinctionQuerySet:
        """Published distinctions whose both terms are published."""
        return self.filter(
            status=Status.PUBLISHED,
            term_a__status=Status.PUBLISHED,
            term_b__status=Status.PUBLISHED,
        )

    def involving(self, term: Term) -> DistinctionQuerySet:
        return self.filter(Q(term_a=term) | Q(term_b=term))

    def for_pair(self, first: Term | int, second: Term | int) -> DistinctionQuerySet:
        return self.filter(
            Q(term_a=first, term_b=second) | Q(term_a=second, term_b=first)
        ).select_related("term_a", "term_b")


class Distinction(models.Model):
    """The rule that tells two easily confused terms apart. The pair is unordered."""

    term_a = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="+")
    term_b = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="+")
    rule = models.CharField(max_length=200, help_text="The rule of thumb, in one line.")
    example = models.TextField(help_text="Markdown: an example that separates the two terms.")
    body = models.TextField(blank=True, help_text="Markdown: the longer explanation.")
    status = models.CharField(max_length=20, choices=Status, default=Status.DRAFT)

    objects = DistinctionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["term_a__name", "term_b__name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(term_a=F("term_b")), name="distinction_joins_two_terms"
            ),
            models.UniqueConstraint(
                Least("term_a", "term_b"),
                Greatest("term_a", "term_b"),
                name="distinction_once_per_pair",
            ),
        ]

    def __str__(self) -> str:
        first, second = self.terms
        return f"{first.name} vs {second.name}"

    def get_absolute_url(self) -> str:
        first, second = self.terms
        return reverse("glossary:compare", args=[first.slug, second.slug])

    @property
    def terms(self) -> tuple[Term, Term]:
        """The two terms in canonical (alphabetical by slug) order."""
        return tuple(sorted((self.term_a, self.term_b), key=lambda term: term.slug))  # type: ignore[return-value]

    def other(self, term: Term) -> Term:
        return self.term_b if self.term_a_id == term.pk else self.term_a

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        check_term_links(errors, example=self.example, body=self.body)
        if self.term_a_id and self.term_a_id == self.term_b_id:
            errors.setdefault("term_b", []).append("A distinction joins two different terms.")
        elif self.term_a_id and self.term_b_id:
            twin = (
                Distinction.objects.for_pair(self.term_a_id, self.term_b_id)
                .exclude(pk=self.pk)
                .first()
            )
            if twin is not None:
                errors.setdefault("term_b", []).append(
                    f"“{twin}” already exists: a pair of terms has one distinction. "
                    "Edit that one instead."
                )
        if errors:
            raise ValidationError(errors)


class Source(models.Model):
    """Where a fact on a term page came from."""

    term = models.ForeignKey(Term, on_delete=models.CASCADE, related_name="sources")
    title = models.CharField(max_length=200)
    url = models.URLField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title
