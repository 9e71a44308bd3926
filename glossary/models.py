"""The glossary's content: terms, their aliases and sources, and the distinctions between
look-alike terms; plus what every kind of content shares (Publishable, Timestamped)."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.postgres.search import TrigramSimilarity
from django.core.exceptions import ValidationError
from django.db import connections, models
from django.db.models import F, Q
from django.db.models.functions import Greatest, Least
from django.urls import reverse
from simple_history.models import HistoricalRecords

from .markdown import render_markdown, term_link_slugs
from .trigrams import similarity, single, starts_a_word, words

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


class Timestamped(models.Model):
    """When a row was created and last saved."""

    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class PublishableQuerySet[M: Publishable](models.QuerySet[M]):
    def published(self) -> PublishableQuerySet[M]:
        return self.filter(status=Status.PUBLISHED)


class Publishable(models.Model):
    """Content with a lifecycle (terms, distinctions, scenarios, quizzes). Every path that
    saves it (the admin, an import, load_content, change_status, a restore) checks its fields
    with full_clean and, once the rows it is made of are saved, check_published, so published
    content is always fit to be seen."""

    status = models.CharField(max_length=20, choices=Status, default=Status.DRAFT)

    class Meta:
        abstract = True

    @property
    def is_published(self) -> bool:
        return self.status == Status.PUBLISHED

    @property
    def is_retired(self) -> bool:
        return self.status == Status.RETIRED

    def publishing_problems(self) -> list[str]:
        """What stops this content, as stored now, from being published, beyond the checks of
        its fields in `clean` (a scenario looks at its choices). Plain words, no full stop."""
        return []

    def check_published(self) -> None:
        """Raise ValidationError if this content is published but not fit to be."""
        if self.is_published:
            problems = self.publishing_problems()
            if problems:
                name = f"{self._meta.verbose_name.capitalize()} “{self}”"
                raise ValidationError(f"{name} cannot be published: {'; '.join(problems)}.")

    def check_status(self) -> None:
        """Every check this content must pass to have its status: its fields, then what
        publishing asks. Raises ValidationError."""
        self.full_clean()
        self.check_published()


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
    counted = _pending_link_targets.get() | set(also)
    wanted = [slug for slug in dict.fromkeys(term_link_slugs(text)) if slug not in counted]
    if not wanted:
        return []
    known = set(Term.objects.filter(slug__in=wanted).values_list("slug", flat=True))
    known |= set(Alias.objects.filter(slug__in=wanted).values_list("slug", flat=True))
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


class TermQuerySet(PublishableQuerySet["Term"]):
    def with_public_page(self) -> TermQuerySet:
        """Published terms, and retired ones: their page stays, pointing to the replacement."""
        return self.filter(status__in=[Status.PUBLISHED, Status.RETIRED])

    def link_targets(self) -> dict[str, str]:
        """Where [[links]] may point: these terms and their aliases, each slug mapped to the
        URL of its term page (two queries)."""
        targets = {
            slug: reverse("glossary:term", args=[slug])
            for slug in self.values_list("slug", flat=True)
        }
        aliases = Alias.objects.filter(term__in=self).values_list("slug", "term__slug")
        for alias_slug, term_slug in aliases:
            targets.setdefault(alias_slug, targets[term_slug])
        return targets

    def like(self, text: str, *, limit: int | None = None) -> list[Term]:
        """The terms like `text`, best first: what search shows and what the 404 page
        suggests. A term is like the text when its name or an alias is the text, starts
        with it, has a word that starts with it ("user" in "end user") or is spelt much like
        it (trigram similarity at least `SIMILAR_ENOUGH`: "custmer", "subscirber",
        "patrons"), or when a word of its summary starts with it. Ranked in that order
        (`Match`), the closer spelling first within each, then by name. Each term comes
        with its `match` (rank, similarity and the alias that matched, if one did).
        PostgreSQL computes the similarities (pg_trgm); other databases get the same
        numbers from `glossary.trigrams`; the ranking is this one function either way.
        Two queries, whatever the text."""
        query = words(text)
        if not query:
            return []
        terms = self
        # The aliases as plain rows: a few dozen here, thousands in the benchmark.
        aliases = Alias.objects.filter(term__in=self.values("pk"))
        in_database = connections[self.db].vendor == "postgresql"
        if in_database:
            terms = terms.annotate(similarity=TrigramSimilarity("name", query))
            aliases = aliases.annotate(similarity=TrigramSimilarity("name", query))
            rows = aliases.values_list("term_id", "name", "similarity")
        else:
            rows = aliases.values_list("term_id", "name")
        aliases_of: dict[int, list[tuple[str, str | None, float]]] = defaultdict(list)
        for term_id, name, *scored in rows:
            # psycopg reads a `real` as its shortest decimal: back to the `real` it was.
            score = single(scored[0]) if in_database else similarity(query, name)
            aliases_of[term_id].append((name, name, score))

        found: list[Term] = []
        for term in terms:
            score = single(term.similarity) if in_database else similarity(query, term.name)
            labels = [(term.name, None, score), *aliases_of[term.pk]]
            best = min(Match.of(query, *label) for label in labels)
            if best.rank == Match.SIMILAR and best.similarity < SIMILAR_ENOUGH:
                if not starts_a_word(query, words(term.summary)):
                    continue
                best = Match(Match.SUMMARY, best.closeness)
            term.match = best
            found.append(term)
        found.sort(key=lambda term: (term.match, term.name.casefold(), term.pk))
        return found[:limit]


# How alike a name or alias must be spelt to count (pg_trgm's own default threshold).
SIMILAR_ENOUGH = 0.3


@dataclass(frozen=True, order=True)
class Match:
    """How a term matched a search: `rank` first (lower is better), then the closer
    `similarity` of its name or alias to the query; `alias` is the alias that matched, if
    the name did not match as well."""

    EXACT, PREFIX, CONTAINS, SIMILAR, SUMMARY = range(5)

    rank: int
    closeness: float  # minus the similarity, so that the closer spelling sorts first
    alias: str | None = field(default=None, compare=False)

    @classmethod
    def of(cls, query: str, label: str, alias: str | None, score: float) -> Match:
        """How a name or alias (`label`; `alias` is it too if it is an alias) matches the
        words of a query, `score` being their similarity."""
        label = words(label)
        if label == query:
            rank = cls.EXACT
        elif label.startswith(query):
            rank = cls.PREFIX
        elif starts_a_word(query, label):
            rank = cls.CONTAINS
        else:
            rank = cls.SIMILAR
        return cls(rank, -score, alias)

    @property
    def similarity(self) -> float:
        return -self.closeness


class Term(Publishable, Timestamped):
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
    # The body as its page shows it, rendered when the term is saved and again when a term or
    # alias it links to changes (glossary.signals), rather than on every request.
    body_html = models.TextField(editable=False, blank=True)
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

    objects = TermQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.body_html = render_markdown(self.body, Term.objects.published().link_targets())
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "body" in update_fields:
            kwargs["update_fields"] = {*update_fields, "body_html"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("glossary:term", args=[self.slug])

    def natural_key(self) -> tuple[str]:
        return (self.slug,)

    def usage(self) -> TermUsage:
        """Where this term is used (see TERM_USES). A term in use cannot be deleted."""
        return TermUsage([(use, list(use.rows(self))) for use in TERM_USES])

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        check_term_links(errors, also=[self.slug], body=self.body)
        if self.is_retired:
            if self.replaced_by_id is None:
                errors.setdefault("replaced_by", []).append(
                    "A retired term needs a replacement: its page points readers there."
                )
            elif self.pk is not None and self.replaced_by_id == self.pk:
                errors.setdefault("replaced_by", []).append("A term cannot replace itself.")
            elif not self.replaced_by.is_published:
                errors.setdefault("replaced_by", []).append(
                    f"The replacement “{self.replaced_by}” is not published yet."
                )
        elif self.replaced_by_id is not None:
            errors.setdefault("replaced_by", []).append(
                "Only a retired term has a replacement: clear it or retire the term."
            )
        if errors:
            raise ValidationError(errors)


@dataclass(frozen=True)
class TermUse:
    """A kind of content that uses terms. The glossary's own are below; the quiz adds its
    scenarios from QuizConfig.ready(), so a term's admin page, its delete protection and the
    warning on unpublishing it know every use without the glossary importing the quiz."""

    singular: str  # one row, as the admin's "Used in" list names it: "Scenario"
    plural: str  # several, as messages name them: "scenarios"
    rows: Callable[[Term], Iterable[models.Model]]
    # What happens to published rows of this kind (Publishable content) when the term stops
    # being published; empty for kinds that nothing happens to.
    when_unpublished: str = field(default="")


@dataclass
class TermUsage:
    uses: list[tuple[TermUse, list[models.Model]]]

    def __bool__(self) -> bool:
        return any(rows for _, rows in self.uses)

    def rows(self, plural: str) -> list[models.Model]:
        return next((rows for use, rows in self.uses if use.plural == plural), [])

    def items(self) -> list[tuple[str, models.Model]]:
        """Every use, each with the name of its kind, for a list."""
        return [(use.singular, row) for use, rows in self.uses for row in rows]

    def describe(self) -> str:
        """One part per kind of use, e.g. "scenarios “A”, “B”; distinctions “X vs Y”"."""
        return "; ".join(
            f"{use.plural} " + ", ".join(f"“{row}”" for row in rows)
            for use, rows in self.uses
            if rows
        )


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


class DistinctionQuerySet(PublishableQuerySet["Distinction"]):
    def published(self, *, previewing: Term | None = None) -> DistinctionQuerySet:
        """Published distinctions whose both terms are published; `previewing` counts as
        published (an editor's preview shows the term as it will be once published)."""
        distinctions = super().published()
        for side in ("term_a", "term_b"):
            shown = Q(**{f"{side}__status": Status.PUBLISHED})
            if previewing is not None:
                shown |= Q(**{side: previewing})
            distinctions = distinctions.filter(shown)
        return distinctions

    def involving(self, term: Term) -> DistinctionQuerySet:
        return self.filter(Q(term_a=term) | Q(term_b=term)).select_related("term_a", "term_b")

    def for_pair(self, first: Term | int, second: Term | int) -> DistinctionQuerySet:
        return self.for_pairs([(first, second)])

    def for_pairs(self, pairs: Iterable[tuple[Term | int, Term | int]]) -> DistinctionQuerySet:
        """The distinctions joining any of these pairs of terms, in either order."""
        joins = Q(pk__in=[])
        for first, second in pairs:
            joins |= Q(term_a=first, term_b=second) | Q(term_a=second, term_b=first)
        return self.filter(joins).select_related("term_a", "term_b")


class Distinction(Publishable):
    """The rule that tells two easily confused terms apart. The pair is unordered."""

    term_a = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="+")
    term_b = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="+")
    rule = models.CharField(max_length=200, help_text="The rule of thumb, in one line.")
    example = models.TextField(help_text="Markdown: an example that separates the two terms.")
    body = models.TextField(blank=True, help_text="Markdown: the longer explanation.")

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

    @property
    def web_url(self) -> str:
        """The URL to link the title to: a web address only (no javascript: or data: link
        however the URL got in), else ""."""
        return self.url if urlsplit(self.url).scheme.lower() in ("http", "https") else ""


TERM_USES: list[TermUse] = [
    TermUse(
        "Distinction",
        "distinctions",
        lambda term: Distinction.objects.involving(term),
    ),
    TermUse(
        "Replacement for the retired term",
        "the retired terms",
        lambda term: term.replaces.order_by("name"),
    ),
]
