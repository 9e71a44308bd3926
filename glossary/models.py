from __future__ import annotations

import difflib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, Exists, F, IntegerField, OuterRef, Q, Value, When
from django.db.models.functions import Greatest, Least
from django.urls import reverse

# A comparison lives at /terms/<a>-vs-<b>/, so no slug may contain the separator.
PAIR_SEPARATOR = "-vs-"


def validate_not_a_pair(slug: str) -> None:
    if PAIR_SEPARATOR in slug:
        raise ValidationError(
            f"A slug cannot contain “{PAIR_SEPARATOR}”: that marks comparison pages."
        )


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class TermQuerySet(models.QuerySet["Term"]):
    def published(self) -> TermQuerySet:
        return self.filter(status=Status.PUBLISHED)

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
        max_length=200, help_text="One plain sentence: the definition a person remembers."
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
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = TermQuerySet.as_manager()

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


class Alias(models.Model):
    """Another spelling or near-synonym that leads to a term (clientele → client)."""

    term = models.ForeignKey(Term, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=80)
    slug = models.SlugField(unique=True, validators=[validate_not_a_pair])

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
        """Distinctions whose both terms are published."""
        return self.filter(term_a__status=Status.PUBLISHED, term_b__status=Status.PUBLISHED)

    def involving(self, term: Term) -> DistinctionQuerySet:
        return self.filter(Q(term_a=term) | Q(term_b=term))

    def for_pair(self, first: Term, second: Term) -> DistinctionQuerySet:
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

    objects = DistinctionQuerySet.as_manager()

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
        if self.term_a_id and self.term_a_id == self.term_b_id:
            raise ValidationError("A distinction joins two different terms.")


class Source(models.Model):
    """Where a fact on a term page came from."""

    term = models.ForeignKey(Term, on_delete=models.CASCADE, related_name="sources")
    title = models.CharField(max_length=200)
    url = models.URLField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title
