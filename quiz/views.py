"""The learners' and visitors' pages: home, quizzes, questions, results, "Test yourself",
a learner's own page, and the editors' scenario preview."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.core.validators import slug_re
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect

from glossary.http import (
    HTMX_PART_HEADERS,
    HtmxHttpRequest,
    bad_request,
    see_other,
    wants_htmx_part,
)
from glossary.models import Term
from glossary.page_cache import public_page
from glossary.preview import admin_url, editors_only

from . import reports, roles, selectors, services
from .models import (
    AskedScenario,
    Assignment,
    Attempt,
    Quiz,
    Scenario,
)

ATTEMPTS_PER_PAGE = 20
# The session key a visitor's attempts were made under. Logging in gives the session a new
# key but keeps its data, so this is how the attempts are found again to carry them over.
VISITOR_SESSION = "quiz_visitor_session"


def _owned_attempt(request: HtmxHttpRequest, attempt_id: int) -> Attempt:
    """The attempt if it belongs to this person (or this visitor's session); 404 otherwise,
    so nobody can tell another person's attempt from one that does not exist."""
    attempts = Attempt.objects.owned_by(request.user, request.session.session_key)
    return get_object_or_404(attempts.select_related("quiz", "assignment"), pk=attempt_id)


def _question_url(attempt: Attempt, position: int) -> str:
    return reverse("quiz:question", args=[attempt.pk, position])


@require_safe
@public_page(per_reader=True)  # a learner's home page lists their assignments
def home(request: HtmxHttpRequest) -> HttpResponse:
    """The eight terms, search, practice, and a signed-in learner's open assignments."""
    open_assignments = []
    if request.user.is_authenticated:
        open_assignments = [
            entry for entry in reports.assignments_of_learner(request.user) if entry.is_open
        ]
    context = {"terms": Term.objects.published(), "open_assignments": open_assignments}
    return render(request, "home.html", context)


@require_safe
def quiz_list(request: HtmxHttpRequest) -> HttpResponse:
    quizzes = (
        Quiz.objects.published()
        .annotate(
            published_questions=Count(
                "entries",
                filter=Q(entries__scenario__in=Scenario.objects.published()),
                distinct=True,
            )
        )
        .order_by(*Quiz._meta.ordering)  # Meta.ordering is not applied to GROUP BY queries
    )
    unfinished = (
        Attempt.objects.owned_by(request.user, request.session.session_key)
        .filter(finished=None)
        .annotate(answered=Count("responses"))
        .order_by("started")
    )
    # The latest unfinished attempt of each quiz is the one to continue.
    resume = {attempt.quiz_id: attempt for attempt in unfinished}
    quizzes = list(quizzes)
    for quiz in quizzes:
        quiz.questions = quiz.question_count if quiz.is_practice else quiz.published_questions
        quiz.resume = resume.get(quiz.pk)
    return render(request, "quiz/quiz_list.html", {"quizzes": quizzes})


@require_POST
def start(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    quiz = get_object_or_404(Quiz.objects.published(), slug=slug)
    if not quiz.is_open_to_visitors and not request.user.is_authenticated:
        return redirect_to_login(reverse("quiz:list"))
    if not request.session.session_key:
        request.session.create()
    if not request.user.is_authenticated:
        request.session.setdefault(VISITOR_SESSION, request.session.session_key)
    try:
        attempt = services.start_attempt(
            quiz=quiz, user=request.user, session_key=request.session.session_key
        )
    except services.EmptyQuiz as error:
        return bad_request(request, str(error))
    return see_other(_question_url(attempt, 1))


@require_safe
def attempt_detail(request: HtmxHttpRequest, attempt_id: int) -> HttpResponse:
    """Where an attempt goes on from: its next question, or its results."""
    attempt = _owned_attempt(request, attempt_id)
    if attempt.is_finished:
        return redirect("quiz:results", attempt.pk)
    return redirect(_question_url(attempt, attempt.responses.count() + 1))


@require_http_methods(["GET", "HEAD", "POST"])
@vary_on_headers(*HTMX_PART_HEADERS)
def question(request: HtmxHttpRequest, attempt_id: int, position: int) -> HttpResponse:
    """One question of an attempt: its choices, or once answered, the feedback. A POST
    answers it (services.answer_question) and, without htmx, comes back here by a GET."""
    question = selectors.question_of_owner(
        request.user, request.session.session_key, attempt=attempt_id, position=position
    )
    if question is None:
        raise Http404("No such question.")
    attempt = question.attempt
    asked = question.asked  # as it was asked, whatever editors changed since
    if request.method == "POST":
        try:
            answer = services.answer_question(
                attempt=attempt, question=question, choice=request.POST.get("choice")
            )
        except services.QuizError as error:
            return bad_request(request, str(error))
        if not request.htmx:
            return see_other(_question_url(attempt, position))
        response, answered, score = answer.response, answer.answered, answer.attempt.score
    else:
        answered, score = question.answered_count, attempt.score
        response = None
        if question.is_answered:
            response = attempt.responses.get(scenario=question.scenario_id)
        elif not question.is_next(answered):
            # Questions are answered in order: go to where this attempt really is.
            return redirect("quiz:attempt", attempt.pk)

    context: dict[str, Any] = {
        "attempt": attempt,
        "scenario": asked,
        "choices": asked.choices,
        "position": position,
        "answered": answered,
        "score": score,
        "response": response,
        "is_last": position == attempt.total,
        "next_url": _question_url(attempt, position + 1),
        "results_url": reverse("quiz:results", args=[attempt.pk]),
    }
    if response is not None:
        context.update(selectors.feedback(asked, asked.choice(response.chosen)))
    template = "quiz/question.html#panel" if wants_htmx_part(request) else "quiz/question.html"
    return render(request, template, context)


@require_safe
def results(request: HtmxHttpRequest, attempt_id: int) -> HttpResponse:
    attempt = _owned_attempt(request, attempt_id)
    if not attempt.is_finished:
        return redirect("quiz:attempt", attempt.pk)
    review = selectors.attempt_review(attempt)
    # Trying again starts a new attempt of the same kind: for the assignment while it is open.
    counts = attempt.assignment is not None and not attempt.assignment.is_archived
    if counts:
        again_url, back_url, back_label = (
            reverse("learner:start", args=[attempt.assignment_id]),
            reverse("learner:me"),
            "My learning",
        )
    else:
        again_url, back_url, back_label = (
            reverse("quiz:start", args=[attempt.quiz.slug]),
            reverse("quiz:list"),
            "All quizzes",
        )
    context = {
        "attempt": attempt,
        "rows": review.rows,
        "revisit_terms": review.revisit_terms,
        "comparisons": review.comparisons,
        "counts_toward_assignment": counts,
        "again_url": again_url,
        "back_url": back_url,
        "back_label": back_label,
    }
    return render(request, "quiz/results.html", context)


def _test_yourself(
    request: HtmxHttpRequest, scenario: Scenario, template: str, context: dict[str, Any]
) -> HttpResponse:
    """A scenario answered on its own, in the "Test yourself" box of `template` (its
    partial "box" for htmx): a POST shows the feedback for the posted choice and records
    nothing. Content that is not ready to publish (`problems`) takes no answers."""
    asked = AskedScenario.of(scenario)
    context = {"scenario": scenario, "choices": asked.choices, **context}
    if request.method == "POST" and not context.get("problems"):
        try:
            chosen = services.chosen_choice(asked, request.POST.get("choice"))
        except services.InvalidChoice as error:
            return bad_request(request, str(error))
        context.update(response=chosen, **selectors.feedback(asked, chosen))
    return render(request, f"{template}#box" if request.htmx else template, context)


def _came_from(request: HtmxHttpRequest) -> tuple[str, str]:
    """Where the "Test yourself" page leads back to: the published term page whose box was
    answered (its form sends `from`), else the quiz list. Anything else in `from` is ignored."""
    slug = request.POST.get("from") or request.GET.get("from") or ""
    if slug_re.fullmatch(slug) and len(slug) <= Term._meta.get_field("slug").max_length:
        term = Term.objects.published().filter(slug=slug).only("slug", "name").first()
        if term is not None:
            return term.get_absolute_url(), f"Back to {term.name}"
    return reverse("quiz:list"), "All quizzes"


# Answering here records nothing, so there is nothing to forge; without a token, the pages
# that show this box (term pages) are alike for every visitor and can be cached whole.
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
@vary_on_headers("HX-Request")
def try_scenario(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """One published scenario to answer on its own: the "Test yourself" page. The address of
    a scenario since renamed leads, for good, to its new one."""
    scenario = Scenario.objects.published().with_choices().filter(slug=slug).first()
    if scenario is None:
        renamed = Scenario.objects.published().renamed_from(slug)
        if renamed is None:
            raise Http404("No such scenario.")
        return redirect("quiz:try", slug=renamed.slug, permanent=True)
    # The box says "Test yourself" itself only where the page around it does not: answered in
    # place on a term page (htmx, with the term page's `from`).
    context: dict[str, Any] = {"own_page": not (request.htmx and request.POST.get("from"))}
    if not request.htmx:  # the box alone has no way back; the page around it has
        context["back_url"], context["back_label"] = _came_from(request)
    return _test_yourself(request, scenario, "quiz/try_scenario.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@vary_on_headers("HX-Request")
@editors_only("quiz.view_scenario")
def preview_scenario(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """Editors only: a scenario of any status in its "Test yourself" box, with what stops
    it from being published."""
    scenario = get_object_or_404(Scenario.objects.with_choices(), slug=slug)
    context = {
        "preview": True,
        "own_page": True,
        "problems": scenario.publishing_problems(),
        "preview_admin_url": admin_url(scenario),
    }
    return _test_yourself(request, scenario, "quiz/preview_scenario.html", context)


def carry_over_visitor_attempts(sender, request, user, **kwargs) -> None:
    """On login (the user_logged_in signal): what the person practised as a visitor in this
    browser becomes theirs."""
    if request is not None and hasattr(request, "session"):
        services.adopt_visitor_attempts(
            user=user, session_key=request.session.pop(VISITOR_SESSION, "")
        )


class LoginView(auth_views.LoginView):
    """Django's login page, landing each person where their work is (quiz.roles.landing_page)
    unless the page was given a `next`: that still wins, when Django finds it safe (on this
    site's host, by the same scheme); an unsafe one is ignored."""

    def get_default_redirect_url(self) -> str:
        return roles.landing_page(self.request.user)


class LogoutView(auth_views.LogoutView):
    """Django's logout, which takes a POST, plus a page that asks to confirm it on a GET.
    The navigation's "Log out" is a link to that page, so that the page around it carries no
    CSRF token and a signed-in reader's public page is the visitors' page with links that
    stay the same (docs/performance.md). With script, htmx posts the link at once, the token
    read from its cookie, and is told where to go next. Never cached, as Django's is."""

    http_method_names = ["get", "head", "post", "options"]
    template_name = "registration/logout.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        # Only a `next` that Django finds safe is carried on to the POST.
        return super().get_context_data(next=self.get_redirect_url(), **kwargs)

    def post(self, request: HtmxHttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        if request.htmx and response.status_code == 302:
            return HttpResponseClientRedirect(response["Location"])
        return response


@require_safe
@login_required
def me(request: HtmxHttpRequest) -> HttpResponse:
    """A learner's own page: assignments with where they stand, then past attempts."""
    past = Attempt.objects.past(request.user)
    context = {
        "assignments": reports.assignments_of_learner(request.user),
        "attempts": Paginator(past, ATTEMPTS_PER_PAGE).get_page(request.GET.get("page")),
    }
    return render(request, "quiz/me.html", context)


@require_POST
@login_required
def start_assignment(request: HtmxHttpRequest, assignment_id: int) -> HttpResponse:
    """Start (or carry on with) the attempt that counts towards an assignment."""
    assignment = get_object_or_404(Assignment.objects.select_related("quiz"), pk=assignment_id)
    try:
        attempt, _ = services.start_assignment(assignment=assignment, user=request.user)
    except services.NotAssigned:
        raise Http404("No such assignment for you.") from None
    except services.EmptyQuiz as error:
        return bad_request(request, str(error))
    return see_other(reverse("quiz:attempt", args=[attempt.pk]))
