import json

import pytest

from glossary.models import Alias, Distinction, Source, Term
from glossary.services import load_glossary
from tests.helpers import glossary_rows

pytestmark = pytest.mark.django_db

DATA = {
    "terms": [
        {
            "slug": "client",
            "name": "Client",
            "summary": "Pays for advice.",
            "body": "About clients and [[customer]].",
            "aliases": [{"slug": "clientele", "name": "clientele"}],
            "sources": [{"title": "A blog", "url": ""}, {"title": "A dictionary", "url": ""}],
        },
        {
            "slug": "customer",
            "name": "Customer",
            "summary": "Buys from a business.",
            "body": "About customers.",
            "aliases": [],
            "sources": [],
        },
    ],
    "distinctions": [
        {"terms": ["client", "customer"], "rule": "Advice.", "example": "Ex.", "body": "B."}
    ],
}


def test_load_creates_every_row():
    report = load_glossary(data=DATA)
    assert report["created"] == 6
    assert Term.objects.published().count() == 2
    assert Alias.objects.get(slug="clientele").term.slug == "client"
    assert list(Source.objects.values_list("title", flat=True)) == ["A blog", "A dictionary"]
    assert Distinction.objects.count() == 1


def test_loading_twice_leaves_the_same_rows():
    load_glossary(data=DATA)
    before = glossary_rows()
    report = load_glossary(data=DATA)
    assert report["created"] == report["updated"] == report["deleted"] == 0
    assert report["unchanged"] == 6
    assert glossary_rows() == before


def test_load_updates_changed_fields_and_removes_dropped_aliases():
    load_glossary(data=DATA)
    changed = json.loads(json.dumps(DATA))
    changed["terms"][0]["summary"] = "Pays for professional advice."
    changed["terms"][0]["aliases"] = []
    changed["distinctions"][0]["terms"] = ["customer", "client"]
    changed["distinctions"][0]["rule"] = "New rule."
    report = load_glossary(data=changed)
    assert report["updated"] == 2
    assert report["deleted"] == 1
    assert Term.objects.get(slug="client").summary == "Pays for professional advice."
    assert not Alias.objects.exists()
    assert list(Distinction.objects.values_list("rule", flat=True)) == ["New rule."]


def test_load_rejects_invalid_content_and_writes_nothing():
    broken = json.loads(json.dumps(DATA))
    broken["terms"][0]["slug"] = "buyer-vs-seller"
    with pytest.raises(Exception, match="comparison"):
        load_glossary(data=broken)
    assert not Term.objects.exists()
