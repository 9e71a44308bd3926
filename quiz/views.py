from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from glossary.http import HtmxHttpRequest, bad_request, see_other
from glossary.markdown import LinkTargets, link_targets, render_markdown
from glossary.models import Distinction, Term

from . import reports, services
from .models import (
    Assignment,
    Attempt,
    AttemptQuestion,
    Choice,
    Quiz,
    Response,
    Scenario,
    choices_with_terms,
)

ATTEMPTS_PER_PAGE = 20


def _owned_attempt(request: HtmxHttpRequest, attempt_id: int) -> Attempt:
    """The attempt if it belongs to this person (or this visitor's session); 404 otherwise,
    so nobody can tell another person's attempt from one that does not exist."""
    attempts = Attempt.objects.owned_by(request.user, request.session.session_key)
    return get_object_or_404(attempts.select_related("quiz", "assignment"), pk=attempt_id)


def _question_url(attempt: Attempt, position: int) -> str:
    return reverse("quiz:question", args=[attempt.pk, position])


def _comparisons(correct: Term, others: list[Term]) -> list[Distinction]:
    """Published comparison pages between the right term and the other offered terms."""
    return list(
        Distinction.objects.published()
        .filter(Q(term_a=correct, term_b__in=others) | Q(term_b=correct, term_a__in=others))
        .select_related("term_a", "term_b")
    )


def feedback_context(scenario: Scenario, chosen: Choice, targets: LinkTargets) -> dict[str, Any]:
    """What the feedback card shows once `chosen` was picked: every choice's feedback,
    the explanation, and links to the term and comparison pages."""
    choices = list(scenario.choices.all())
    chosen = next(choice for choice in choices if choice.pk == chosen.pk)
    correct = next(choice for choice in choices if choice.is_correct)
    others = [choice for choice in choices if choice.pk not in (chosen.pk, correct.pk)]
    for choice in choices:
        choice.feedback_html = render_markdown(choice.feedback, targets)
    return {
        "chosen": chosen,
        "correct": correct,
        "others": others,
        "explanation_html": render_markdown(scenario.explanation, targets),
        "comparisons": _comparisons(correct.term, [c.term for c in choices if c != correct]),
    }


def posted_answer(request: HttpRequest, scenario: Scenario) -> dict[str, Any] | None:
    """The feedback for the choice posted to a "Test yourself" box (nothing is recorded);
    None when the posted choice is not one of the scenario's."""
    posted = request.POST.get("choice")
    chosen = next((c for c in scenario.choices.all() if str(c.pk) == posted), None)
    if chosen is None:
        return None
    return {"response": chosen, **feedback_context(scenario, chosen, link_targets())}


@require_GET
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
    entries = [
        {
            "quiz": quiz,
            "questions": quiz.question_count if quiz.is_practice else quiz.published_questions,
            "resume": resume.get(quiz.pk),
        }
        for quiz in quizzes
    ]
    return render(request, "quiz/quiz_list.html", {"entries": entries})


@require_POST
def start(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    quiz = get_object_or_404(Quiz.objects.published(), slug=slug)
    if not quiz.is_open_to_visitors and not request.user.is_authenticated:
        return redirect_to_login(reverse("quiz:list"))
    if not request.session.session_key:
        request.session.create()
    try:
        attempt = services.start_attempt(
            quiz=quiz, user=request.user, session_key=request.session.session_key
        )
    except services.EmptyQuiz as error:
        return bad_request(request, str(error))
    return see_other(_question_url(attempt, 1))


@require_GET
def attempt_detail(request: HtmxHttpRequest, attempt_id: int) -> HttpResponse:
    """Where an attempt goes on from: its next question, or its results."""
    attempt = _owned_attempt(request, attempt_id)
    if attempt.is_finished:
        return redirect("quiz:results", attempt.pk)
    return redirect(_question_url(attempt, attempt.responses.count() + 1))


@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def question(request: HtmxHttpRequest, attempt_id: int, position: int) -> HttpResponse:
    attempt = _owned_attempt(request, attempt_id)
    asked = get_object_or_404(
        AttemptQuestion.objects.select_related("scenario").prefetch_related(
            choices_with_terms("scenario__choices")
        ),
        attempt=attempt,
        position=position,
    )
    scenario = asked.scenario
    response = (
        Response.objects.filter(attempt=attempt, scenario=scenario).select_related("choice").first()
    )
    answered = attempt.responses.count()

    if request.method == "POST":
        if response is None and position != answered + 1:
            return bad_request(request, "Answer the questions in order.")
        try:
            choice_id = int(request.POST.get("choice", ""))
        except ValueError:
            return bad_request(request, "Pick one of the answers.")
        try:
            response, _ = services.record_answer(
                attempt=attempt, scenario=scenario, choice_id=choice_id
            )
        except services.QuizError as error:
            return bad_request(request, str(error))
        if not request.htmx:
            return see_other(_question_url(attempt, position))
        answered = attempt.responses.count()
    elif response is None and position != answered + 1:
        # Questions are answered in order: jump to where this attempt really is.
        return redirect("quiz:attempt", attempt.pk)

    context: dict[str, Any] = {
        "attempt": attempt,
        "scenario": scenario,
        "position": position,
        "answered": answered,
        "score": attempt.score,
        "response": response,
        "is_last": position == attempt.total,
        "next_url": _question_url(attempt, position + 1),
        "results_url": reverse("quiz:results", args=[attempt.pk]),
    }
    if response is not None:
        context.update(feedback_context(scenario, response.choice, link_targets()))
    template = "quiz/question.html#panel" if request.htmx else "quiz/question.html"
    return render(request, template, context)


@require_GET
def results(request: HtmxHttpRequest, attempt_id: int) -> HttpResponse:
    attempt = _owned_attempt(request, attempt_id)
    if not attempt.is_finished:
        return redirect("quiz:attempt", attempt.pk)
    questions = list(attempt.questions.select_related("scenario"))
    responses = {
        response.scenario_id: response
        for response in attempt.responses.select_related("choice__term")
    }
    correct = {
        choice.scenario_id: choice
        for choice in Choice.objects.filter(
            scenario__in=[q.scenario_id for q in questions], is_correct=True
        ).select_related("term")
    }
    rows = [
        {
            "position": q.position,
            "scenario": q.scenario,
            "response": responses.get(q.scenario_id),
            "correct": correct[q.scenario_id],
        }
        for q in questions
    ]
    missed = [row for row in rows if row["response"] and not row["response"].is_correct]
    revisit_terms = {row["correct"].term for row in missed} | {
        row["response"].choice.term for row in missed
    }
    missed_pairs = {
        frozenset((row["correct"].term_id, row["response"].choice.term_id)) for row in missed
    }
    comparisons = [
        distinction
        for distinction in Distinction.objects.published()
        .filter(term_a__in=revisit_terms, term_b__in=revisit_terms)
        .select_related("term_a", "term_b")
        if frozenset((distinction.term_a_id, distinction.term_b_id)) in missed_pairs
    ]
    context = {
        "attempt": attempt,
        "rows": rows,
        "revisit_terms": sorted(revisit_terms, key=lambda term: term.name),
        "comparisons": comparisons,
    }
    return render(request, "quiz/results.html", context)


@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def try_scenario(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """One scenario answered on its own (the "Test yourself" box); nothing is recorded."""
    scenario = get_object_or_404(Scenario.objects.published().with_choices(), slug=slug)
    context: dict[str, Any] = {"scenario": scenario}
    if request.method == "POST":
        answer = posted_answer(request, scenario)
        if answer is None:
            return bad_request(request, "That choice does not belong to this question.")
        context.update(answer)
    if request.htmx:
        return render(request, "quiz/try_scenario.html#box", context)
    return render(request, "quiz/try_scenario.html", context)


@require_GET
@login_required
def me(request: HtmxHttpRequest) -> HttpResponse:
    """A learner's own page: assignments with where they stand, then past attempts."""
    past = (
        Attempt.objects.filter(user=request.user, finished__isnull=False)
        .select_related("quiz", "assignment")
        .order_by("-finished")
    )
    context = {
        "assignments": reports.assignments_of_learner(request.user),
        "attempts": Paginator(past, ATTEMPTS_PER_PAGE).get_page(request.GET.get("page")),
    }
    return render(request, "quiz/me.html", context)


@require_POST
@login_required
def start_assignment(request: HtmxHttpRequest, assignment_id: int) -> HttpResponse:
    """Start (or carry on with) the attempt that counts toward an assignment."""
    assignment = get_object_or_404(Assignment.objects.select_related("quiz"), pk=assignment_id)
    try:
        attempt, _ = services.start_assignment(assignment=assignment, user=request.user)
    except services.NotAssigned:
        raise Http404("No such assignment for you.") from None
    except services.EmptyQuiz as error:
        return bad_request(request, str(error))
    return see_other(reverse("quiz:attempt", args=[attempt.pk]))
