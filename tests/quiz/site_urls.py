"""Every URL pattern of the site, with a real URL for each: the junk-input and HEAD tests go
over all of them, and fail when a pattern is added without a sample here."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.contrib import admin
from django.contrib.auth.tokens import default_token_generator
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from glossary.models import Term
from quiz import services
from tests.factories import UserFactory
from tests.quiz.factories import make_assignment


def routes() -> list[str]:
    """The route of every URL pattern, from the root URLconf: "quiz/<slug:slug>/start/"."""

    def walk(patterns, prefix: str):
        for pattern in patterns:
            route = prefix + str(pattern.pattern).lstrip("^").rstrip("$")
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern):
                yield route

    return list(dict.fromkeys(walk(get_resolver().url_patterns, "")))


# The site's own pages, each with a URL that reaches the page for logged_in_superuser (who
# owns an attempt and is assigned the fixed quiz). {names} are filled in at run time.
ASSIGNMENT = "trainer/assignments/<int:assignment_id>/"
SITE = {
    "": "/",
    "favicon.ico": "/favicon.ico",
    "accounts/login/": "/accounts/login/",
    "accounts/logout/": "/accounts/logout/",
    "accounts/password_change/": "/accounts/password_change/",
    "accounts/password_change/done/": "/accounts/password_change/done/",
    "accounts/password_reset/": "/accounts/password_reset/",
    "accounts/password_reset/done/": "/accounts/password_reset/done/",
    "accounts/reset/<uidb64>/<token>/": "/accounts/reset/{uidb64}/{token}/",
    "accounts/reset/done/": "/accounts/reset/done/",
    "quiz/": "/quiz/",
    "quiz/<slug:slug>/start/": "/quiz/fixed/start/",
    "quiz/attempts/<int:attempt_id>/": "/quiz/attempts/{attempt}/",
    "quiz/attempts/<int:attempt_id>/questions/<int:position>/": (
        "/quiz/attempts/{attempt}/questions/1/"
    ),
    "quiz/attempts/<int:attempt_id>/results/": "/quiz/attempts/{attempt}/results/",
    "quiz/try/<slug:slug>/": "/quiz/try/lawyer/",
    "me/": "/me/",
    "me/assignments/<int:assignment_id>/start/": "/me/assignments/{assignment}/start/",
    "trainer/": "/trainer/",
    "trainer/assignments/new/": "/trainer/assignments/new/",
    f"{ASSIGNMENT}": "/trainer/assignments/{assignment}/",
    f"{ASSIGNMENT}edit/": "/trainer/assignments/{assignment}/edit/",
    f"{ASSIGNMENT}archive/": "/trainer/assignments/{assignment}/archive/",
    f"{ASSIGNMENT}learners.csv": "/trainer/assignments/{assignment}/learners.csv",
    f"{ASSIGNMENT}responses.csv": "/trainer/assignments/{assignment}/responses.csv",
    f"{ASSIGNMENT}learners/<int:user_id>/": "/trainer/assignments/{assignment}/learners/{user}/",
    f"{ASSIGNMENT}attempts/<int:attempt_id>/questions/<int:position>/": (
        "/trainer/assignments/{assignment}/attempts/{attempt}/questions/1/"
    ),
    f"{ASSIGNMENT}questions/<int:scenario_id>/": (
        "/trainer/assignments/{assignment}/questions/{scenario}/"
    ),
    "trainer/quizzes/<slug:slug>/": "/trainer/quizzes/fixed/",
    "trainer/quizzes/<slug:slug>/learners.csv": "/trainer/quizzes/fixed/learners.csv",
    "trainer/quizzes/<slug:slug>/responses.csv": "/trainer/quizzes/fixed/responses.csv",
    "trainer/quizzes/<slug:slug>/learners/<int:user_id>/": (
        "/trainer/quizzes/fixed/learners/{user}/"
    ),
    "trainer/quizzes/<slug:slug>/attempts/<int:attempt_id>/questions/<int:position>/": (
        "/trainer/quizzes/fixed/attempts/{attempt}/questions/1/"
    ),
    "trainer/quizzes/<slug:slug>/questions/<int:scenario_id>/": (
        "/trainer/quizzes/fixed/questions/{scenario}/"
    ),
    "preview/scenarios/<slug:slug>/": "/preview/scenarios/draft-one/",
    "terms/": "/terms/",
    "terms.json": "/terms.json",
    "terms/(?P<first>[-\\w]+?)-vs-(?P<second>[-\\w]+)/": "/terms/client-vs-customer/",
    "terms/<slug:slug>/": "/terms/client/",
    "preview/terms/<slug:slug>/": "/preview/terms/secret-draft/",
    "preview/distinctions/<int:pk>/": "/preview/distinctions/{distinction}/",
}

# The admin's pages apart from those of each registered model (MODEL_ADMIN below).
ADMIN = {
    "admin/": "/admin/",
    "admin/login/": "/admin/login/",
    "admin/logout/": "/admin/logout/",
    "admin/password_reset/": "/admin/password_reset/",
    "admin/password_change/": "/admin/password_change/",
    "admin/password_change/done/": "/admin/password_change/done/",
    "admin/autocomplete/": (
        "/admin/autocomplete/?app_label=quiz&model_name=quizscenario&field_name=scenario&term=law"
    ),
    "admin/jsi18n/": "/admin/jsi18n/",
    "admin/r/<path:content_type_id>/<path:object_id>/": "/admin/r/{term_type}/{term}/",
    "admin/(?P<app_label>auth|axes|glossary|quiz)/": "/admin/glossary/",
    "admin/(?P<url>.*)": "/admin/nowhere/",
    "admin/auth/user/<id>/password/": "/admin/auth/user/{user}/password/",
}

# Every registered model's pages; {pk} is the model's first row, {version} its first version.
MODEL_ADMIN = {
    "": "",
    "add/": "add/",
    "<path:object_id>/": "{pk}/",
    "<path:object_id>/change/": "{pk}/change/",
    "<path:object_id>/delete/": "{pk}/delete/",
    "<path:object_id>/history/": "{pk}/history/",
    # The three below only for models with history (simple-history, glossary.content_admin).
    "([^/]+)/history/([^/]+)/": "{pk}/history/{version}/",
    "<path:object_id>/history/compare/": "{pk}/history/compare/?from={version}&to={version}",
    "<path:object_id>/history/<int:version_id>/restore/": "{pk}/history/{version}/restore/",
    # Only for models with import and export.
    "import/": "import/",
    "process_import/": "process_import/",
    "export/": "export/",
}


@dataclass
class Sample:
    route: str
    url: str  # with {names} to fill in
    model: type | None = None


def samples() -> dict[str, Sample]:
    """A sample URL for each route of the site that has one."""
    found = {route: Sample(route, url) for route, url in {**SITE, **ADMIN}.items()}
    for model in admin.site._registry:
        prefix = f"admin/{model._meta.app_label}/{model._meta.model_name}/"
        for route, url in MODEL_ADMIN.items():
            found[prefix + route] = Sample(prefix + route, "/" + prefix + url, model)
    return found


def fill(sample: Sample, values: dict[str, object]) -> str:
    """The sample's URL with the names filled in: {pk} and {version} from its model's rows."""
    if sample.model is not None:
        row = sample.model._default_manager.order_by("pk").first()
        history = getattr(row, "history", None)
        version = history.order_by("history_id").first() if history is not None else None
        values = {
            **values,
            "pk": row.pk if row else 1,
            "version": version.history_id if version else 1,
        }
    return sample.url.format(**values)


def logged_in_superuser(training) -> tuple[Client, dict[str, object]]:
    """A client logged in as a superuser who is also a learner with an attempt and an
    assignment (so every page has something to show); and the values that fill in the
    sample URLs."""
    boss = UserFactory(username="boss", is_staff=True, is_superuser=True)
    assignment = make_assignment(training.fixed, users=[boss])
    attempt = services.start_assignment(assignment=assignment, user=boss)[0]
    client = Client()
    client.force_login(boss)
    term = Term.objects.get(slug="client")
    values = {
        "attempt": attempt.pk,
        "scenario": attempt.questions.get(position=1).scenario_id,
        "assignment": assignment.pk,
        "distinction": training.client_vs_customer.pk,
        "term": term.pk,
        "term_type": ContentType.objects.get_for_model(Term).pk,
        "user": boss.pk,
        "uidb64": urlsafe_base64_encode(force_bytes(boss.pk)),
        "token": default_token_generator.make_token(boss),
    }
    return client, values


PARAMETER = re.compile(r"<(?:(\w+):)?(\w+)>|\(\?P<(\w+)>[^)]*\)|\(\[\^/\]\+\)")
