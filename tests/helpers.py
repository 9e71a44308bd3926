"""Helpers of the glossary layer's tests that the quiz layer's tests use too."""

import re

import pytest
import redis
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from glossary import page_cache
from glossary.models import Alias, Distinction, Source, Term


def glossary_rows():
    """Every glossary row, to compare before and after loading content."""
    return (
        list(Term.objects.values_list("slug", "name", "summary", "body", "status", "updated")),
        list(Alias.objects.values_list("slug", "name", "term__slug")),
        list(Source.objects.values_list("term__slug", "title", "position")),
        list(Distinction.objects.values_list("term_a__slug", "term_b__slug", "rule")),
    )


def validation_errors(obj) -> dict:
    """The errors of `obj.full_clean()`, which must fail."""
    with pytest.raises(ValidationError) as caught:
        obj.full_clean()
    return caught.value.message_dict


def admin_url(obj, view: str = "change") -> str:
    opts = obj._meta
    return f"/admin/{opts.app_label}/{opts.model_name}/{obj.pk}/{view}/"


def term_form(term, **changes) -> dict:
    """The admin's change form of `term` as posted unchanged, with `changes` made."""
    data = {
        "name": term.name,
        "slug": term.slug,
        "summary": term.summary,
        "body": term.body,
        "status": term.status,
        "replaced_by": "",
        "steward": "",
        "aliases-TOTAL_FORMS": "0",
        "aliases-INITIAL_FORMS": "0",
        "sources-TOTAL_FORMS": "0",
        "sources-INITIAL_FORMS": "0",
    }
    data.update(changes)
    return data


def upload(client, url, content: bytes, name: str, fmt: str):
    """Send a file to an admin import page: the answer is the dry run."""
    upload = SimpleUploadedFile(name, content, content_type="text/plain")
    return client.post(url, {"import_file": upload, "format": fmt})


def confirm_import(client, url, response):
    """Confirm the dry run that `response` shows."""
    page = response.content.decode()
    fields = dict(
        re.findall(
            r'name="(import_file_name|original_file_name|format|resource)" value="([^"]*)"', page
        )
    )
    return client.post(url.replace("/import/", "/process_import/"), fields)


def drawing_queries(client, url: str, **extra) -> list[str]:
    """The SQL a public page runs to be drawn: the page is drawn afresh (the content version
    changes first), and the cache's own reads and writes (a table without Redis) are left
    out, so the count is the same with and without Redis."""
    client.get(url, **extra)  # the content version exists, as it does on a running site
    page_cache.content_changed()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, **extra).status_code == 200
    return [
        query["sql"]
        for query in captured.captured_queries
        if "django_cache" not in query["sql"] and "SAVEPOINT" not in query["sql"]
    ]


# A Redis database number of the tests' own, for the tests that need Redis whatever
# REDIS_URL says (flushed by each of them).
LIVE_REDIS = "redis://127.0.0.1:6379/12"


def redis_answers(location: str = LIVE_REDIS) -> bool:
    try:
        return bool(redis.Redis.from_url(location, socket_timeout=1).ping())
    except redis.RedisError:
        return False


needs_redis = pytest.mark.skipif(not redis_answers(), reason="Redis does not answer")
