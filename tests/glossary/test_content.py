"""Checks of the shipped glossary content itself (fixtures/terms.json)."""

import json
import re
from pathlib import Path

import pytest
from django.conf import settings

from glossary.markdown import term_link_slugs

EIGHT_TERMS = {"buyer", "client", "consumer", "customer", "patron", "shopper", "subscriber", "user"}
PAIRS_PEOPLE_MIX_UP = [
    ("client", "customer"),
    ("consumer", "customer"),
    ("buyer", "consumer"),
    ("customer", "user"),
    ("customer", "subscriber"),
    ("customer", "patron"),
    ("buyer", "shopper"),
    ("consumer", "user"),
    ("client", "patron"),
    ("subscriber", "user"),
]
SEEDS = settings.BASE_DIR.parent / "shared" / "seeds"
CONTENT = json.loads((settings.CONTENT_DIR / "terms.json").read_text(encoding="utf-8"))


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9']+", text.lower().replace("’", "'"))


def _all_prose() -> list[str]:
    texts = []
    for term in CONTENT["terms"]:
        texts += [term["summary"], term["body"]]
    for distinction in CONTENT["distinctions"]:
        texts += [distinction["rule"], distinction["example"], distinction["body"]]
    return texts


def test_summaries_are_one_sentence_under_200_characters():
    for term in CONTENT["terms"]:
        summary = term["summary"]
        assert len(summary) < 200, term["slug"]
        assert summary.endswith("."), term["slug"]
        assert not re.search(r"[.!?]\s+[A-Z]", summary), f"{term['slug']}: more than one sentence"


def test_bodies_are_150_to_400_words_with_usage_and_examples():
    for term in CONTENT["terms"]:
        body = term["body"]
        assert 150 <= len(_words(body)) <= 400, term["slug"]
        for heading in ("When to use it", "When not to use it", "Examples"):
            assert f"### {heading}" in body, (term["slug"], heading)


def test_every_term_link_points_to_one_of_the_terms():
    for text in _all_prose():
        for slug in term_link_slugs(text):
            assert slug in EIGHT_TERMS, slug


def test_the_pairs_people_mix_up_each_have_one_distinction():
    pairs = [tuple(sorted(d["terms"])) for d in CONTENT["distinctions"]]
    assert len(pairs) == len(set(pairs)) >= 10
    for pair in PAIRS_PEOPLE_MIX_UP:
        assert tuple(sorted(pair)) in pairs, pair
    for distinction in CONTENT["distinctions"]:
        assert distinction["rule"] and distinction["example"], distinction["terms"]


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is not beside the checkout")
def test_no_run_of_eight_words_is_copied_from_the_seeds():
    seed_runs = set()
    for seed in Path(SEEDS).glob("*.txt"):
        words = _words(seed.read_text(encoding="utf-8"))
        seed_runs |= {" ".join(words[i : i + 8]) for i in range(len(words) - 7)}
    # One seed lost its spaces when it was scraped: compare without spaces too.
    squashed_seeds = "".join(_words("".join(p.read_text() for p in Path(SEEDS).glob("*.txt"))))
    for text in _all_prose():
        words = _words(text)
        for i in range(len(words) - 7):
            run = words[i : i + 8]
            assert " ".join(run) not in seed_runs, " ".join(run)
            assert "".join(run) not in squashed_seeds, " ".join(run)
