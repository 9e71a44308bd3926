"""Trainers' pages: assignments, their progress reports, quiz reports and CSV downloads."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.decorators.vary import vary_on_headers

from glossary.http import HtmxHttpRequest, bad_request, see_other
from glossary.spreadsheet import csv_file

from . import reports, roles, selectors, services
from .forms import AssignmentForm
from .models import (
    Assignment,
    AssignmentTally,
    Attempt,
    AttemptQuestion,
    LearnerStatus,
    Quiz,
    QuizTally,
    Response,
    Tally,
)

LEARNERS_PER_PAGE = 50
# A learner's drill-down shows every question of each attempt: a few attempts a page.
ATTEMPTS_PER_PAGE = 10
# The index reads progress for the assignments it shows, so a page costs the same however many
# assignments there are.
ASSIGNMENTS_PER_PAGE = 50

# Worst first, so sorting by status brings the people who need a nudge to the top.
STATUS_ORDER = [
    LearnerStatus.OVERDUE,
    LearnerStatus.FAILED,
    LearnerStatus.NOT_STARTED,
    LearnerStatus.IN_PROGRESS,
    LearnerStatus.PASSED,
]
SORT_KEYS: dict[str, Callable[[reports.LearnerProgress], Any]] = {
    "name": reports.LearnerProgress.sort_name,
    "status": lambda row: STATUS_ORDER.index(row.status),
    "score": lambda row: -1 if row.best_percent is None else row.best_percent,
    "attempts": lambda row: row.attempts,
    "activity": lambda row: row.last_activity.timestamp() if row.last_activity else 0,
}
SORT_LABELS = {
    "name": "Learner",
    "status": "Status",
    "score": "Best score",
    "attempts": "Attempts",
    "activity": "Last activity",
}


def trainer_required(permission: str = roles.TRAINER_PERMISSION):
    """Anonymous people are sent to log in; signed-in people without the permission get 403."""

    def decorate(view):
        return login_required(permission_required(permission, raise_exception=True)(view))

    return decorate


@require_safe
@trainer_required()
def index(request: HtmxHttpRequest) -> HttpResponse:
    show_archived = request.GET.get("show") == "archived"
    assignments = Assignment.objects.select_related("quiz", "trainer").order_by("due_date", "pk")
    assignments = assignments.exclude(archived=None) if show_archived else assignments.active()
    page = Paginator(assignments, ASSIGNMENTS_PER_PAGE).get_page(request.GET.get("page"))
    shown = list(page)
    progress = reports.progress_by_assignment(shown)
    rows = [
        {"assignment": assignment, "summary": reports.summarise(progress[assignment.pk])}
        for assignment in shown
    ]
    quizzes = Quiz.objects.published().with_finished_attempts().order_by(*Quiz._meta.ordering)
    context = {"page": page, "rows": rows, "show_archived": show_archived, "quizzes": quizzes}
    return render(request, "trainer/index.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@trainer_required("quiz.add_assignment")
def assignment_create(request: HtmxHttpRequest) -> HttpResponse:
    form = AssignmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            assignment = form.save(trainer=request.user)
        except services.DuplicateAssignment as duplicate:
            form.warn_of(duplicate.duplicates)  # assigned by someone since the form was drawn
        else:
            messages.success(request, f"Assigned “{assignment.quiz.title}”.")
            return see_other(assignment.get_absolute_url())
    return render(request, "trainer/assignment_form.html", {"form": form, "assignment": None})


@require_http_methods(["GET", "HEAD", "POST"])
@trainer_required("quiz.change_assignment")
def assignment_edit(request: HtmxHttpRequest, assignment_id: int) -> HttpResponse:
    assignment = get_object_or_404(Assignment.objects.select_related("quiz"), pk=assignment_id)
    form = AssignmentForm(request.POST or None, instance=assignment)
    if request.method == "POST" and form.is_valid():
        try:
            form.save(trainer=request.user)
        except services.DuplicateAssignment as duplicate:
            form.warn_of(duplicate.duplicates)
        else:
            messages.success(request, "Your changes to the assignment are saved.")
            return see_other(assignment.get_absolute_url())
    return render(request, "trainer/assignment_form.html", {"form": form, "assignment": assignment})


@require_POST
@trainer_required("quiz.change_assignment")
def assignment_archive(request: HtmxHttpRequest, assignment_id: int) -> HttpResponse:
    assignment = get_object_or_404(Assignment, pk=assignment_id)
    archive = request.POST.get("archive")
    if archive not in ("yes", "no"):
        return bad_request(request, "Say whether to archive.")
    services.set_archived(assignment=assignment, archived=archive == "yes")
    if assignment.is_archived:
        messages.success(request, "Archived. Learners no longer see this assignment.")
    else:
        messages.success(request, "Restored. Learners see this assignment again.")
    return see_other(assignment.get_absolute_url())


def _sorted_learners(request: HtmxHttpRequest, rows: list[reports.LearnerProgress]):
    sort = request.GET.get("sort", "name")
    if sort not in SORT_KEYS:
        sort = "name"
    descending = request.GET.get("order") == "desc"
    # The reports list learners by name, so ties in any other column stay in name order.
    rows = sorted(rows, key=SORT_KEYS[sort], reverse=descending)
    page = Paginator(rows, LEARNERS_PER_PAGE).get_page(request.GET.get("page"))
    columns = [
        {
            "key": key,
            "label": label,
            "active": key == sort,
            "descending": descending,
            # A click on the active column flips it; a new column starts ascending.
            "order": "asc" if key == sort and descending else ("desc" if key == sort else "asc"),
        }
        for key, label in SORT_LABELS.items()
    ]
    return {
        "page": page,
        "sort": sort,
        "order": "desc" if descending else "asc",
        "columns": columns,
    }


def _statistics_context(attempts: QuerySet[Attempt], tallies: QuerySet[Tally]) -> dict[str, Any]:
    """The question statistics and the confusion matrix of the finished attempts that
    `tallies` sum, and how many attempts they are (counted from `attempts`)."""
    statistics = reports.scenario_statistics(tallies)
    scenarios = selectors.offered_scenarios(statistics)
    for scenario_id, entry in statistics.items():
        entry.add_unpicked(scenarios[scenario_id].options)
    scenario_rows = sorted(
        ((scenarios[scenario_id], entry) for scenario_id, entry in statistics.items()),
        key=lambda pair: (pair[1].share_correct, pair[0].title),
    )
    return {
        "scenario_rows": scenario_rows,
        "flagged": sum(bool(entry.flags) for entry in statistics.values()),
        "matrix": reports.confusion_matrix(tallies),
        "counts": reports.attempt_counts(attempts),
        "min_answers": reports.MIN_ANSWERS,
    }


def _report(
    request: HtmxHttpRequest,
    *,
    rows: list[reports.LearnerProgress],
    attempts: QuerySet[Attempt],
    tallies: QuerySet[Tally],
    context: dict[str, Any],
) -> HttpResponse:
    context = {**context, **_sorted_learners(request, rows), "summary": reports.summarise(rows)}
    if request.htmx:
        return render(request, "trainer/report.html#learners", context)
    context.update(_statistics_context(attempts, tallies))
    return render(request, "trainer/report.html", context)


@require_safe
@vary_on_headers("HX-Request")
@trainer_required()
def assignment_report(request: HtmxHttpRequest, assignment_id: int) -> HttpResponse:
    assignment = get_object_or_404(
        Assignment.objects.select_related("quiz", "trainer"), pk=assignment_id
    )
    rows = reports.progress_by_assignment([assignment])[assignment.pk]
    context = {
        "assignment": assignment,
        "quiz": assignment.quiz,
        "groups": list(assignment.groups.order_by("name")),
        "people": list(assignment.users.order_by("username")),
    }
    return _report(
        request,
        rows=rows,
        attempts=Attempt.objects.counting_toward(assignment),
        tallies=AssignmentTally.objects.counting_toward(assignment),
        context=context,
    )


@require_safe
@vary_on_headers("HX-Request")
@trainer_required()
def quiz_report(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    quiz = get_object_or_404(Quiz, slug=slug)
    rows = reports.progress_on_quiz(quiz)
    attempts = Attempt.objects.filter(quiz=quiz)
    return _report(
        request,
        rows=rows,
        attempts=attempts,
        tallies=QuizTally.objects.filter(quiz=quiz),
        context={"assignment": None, "quiz": quiz},
    )


def _csv_response(filename: str, chunks: Iterator[str]) -> HttpResponse:
    response = StreamingHttpResponse(csv_file(chunks), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _filename(stem: str, kind: str) -> str:
    return f"{slugify(stem)}-{kind}.csv"


@require_safe
@trainer_required()
def assignment_learners_csv(request: HtmxHttpRequest, assignment_id: int) -> HttpResponse:
    assignment = get_object_or_404(Assignment.objects.select_related("quiz"), pk=assignment_id)
    name = _filename(f"{assignment.quiz.slug}-{assignment.pk}", "learners")
    chunks = reports.learners_csv(
        lambda: reports.progress_by_assignment([assignment])[assignment.pk]
    )
    return _csv_response(name, chunks)


@require_safe
@trainer_required()
def assignment_responses_csv(request: HtmxHttpRequest, assignment_id: int) -> HttpResponse:
    assignment = get_object_or_404(Assignment.objects.select_related("quiz"), pk=assignment_id)
    name = _filename(f"{assignment.quiz.slug}-{assignment.pk}", "responses")
    return _csv_response(name, reports.responses_csv(Attempt.objects.counting_toward(assignment)))


@require_safe
@trainer_required()
def quiz_learners_csv(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    quiz = get_object_or_404(Quiz, slug=slug)
    chunks = reports.learners_csv(lambda: reports.progress_on_quiz(quiz))
    return _csv_response(_filename(quiz.slug, "learners"), chunks)


@require_safe
@trainer_required()
def quiz_responses_csv(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    quiz = get_object_or_404(Quiz, slug=slug)
    attempts = Attempt.objects.filter(quiz=quiz)
    return _csv_response(_filename(quiz.slug, "responses"), reports.responses_csv(attempts))


# The drill-down from a report: a learner's attempts question by question, one question as
# it was asked, and one question of the report with what people picked. A report's scope is
# an assignment or a quiz; the drill-down shows only what that report counts (its learners
# and their attempts: Attempt.objects.counting_toward for an assignment, the signed-in
# learners' attempts for a quiz), and anything else is a 404, as an unknown report is.


@dataclass(frozen=True)
class Scope:
    """The report a drill-down page belongs to."""

    quiz: Quiz
    assignment: Assignment | None = None

    @property
    def kind(self) -> str:
        return "assignment" if self.assignment else "quiz"

    @property
    def key(self) -> int | str:
        return self.assignment.pk if self.assignment else self.quiz.slug

    def url(self, name: str, *args: object) -> str:
        """The address of this report's page `name` ("" for the report itself)."""
        return reverse(f"trainer:{self.kind}{'_' + name if name else ''}", args=[self.key, *args])

    @property
    def report_url(self) -> str:
        return self.url("")

    @property
    def pass_mark(self) -> int:
        return self.assignment.effective_pass_mark if self.assignment else self.quiz.pass_mark

    @property
    def overdue(self) -> bool:
        return bool(self.assignment and self.assignment.is_overdue)

    def attempts(self) -> QuerySet[Attempt]:
        """The signed-in learners' attempts the report counts."""
        if self.assignment:
            return Attempt.objects.counting_toward(self.assignment)
        return Attempt.objects.filter(quiz=self.quiz, user__isnull=False)

    def tallies(self) -> QuerySet[Tally]:
        if self.assignment:
            return AssignmentTally.objects.counting_toward(self.assignment)
        return QuizTally.objects.filter(quiz=self.quiz)

    def learner(self, user_id: int):
        """A learner the report lists, or 404: for an assignment, someone assigned now; for
        a quiz, someone signed in who attempted it."""
        people = get_user_model().objects.all()
        if self.assignment:
            people = self.assignment.assignees()
        else:
            people = people.filter(Exists(self.attempts().filter(user=OuterRef("pk"))))
        return get_object_or_404(people, pk=user_id)

    def context(self) -> dict[str, Any]:
        return {"scope": self, "assignment": self.assignment, "quiz": self.quiz}


def _scope(assignment_id: int | None = None, slug: str | None = None) -> Scope:
    if assignment_id is not None:
        assignment = get_object_or_404(
            Assignment.objects.select_related("quiz", "trainer"), pk=assignment_id
        )
        return Scope(quiz=assignment.quiz, assignment=assignment)
    return Scope(quiz=get_object_or_404(Quiz, slug=slug))


def _learner_attempts(request: HtmxHttpRequest, scope: Scope, user_id: int) -> HttpResponse:
    learner = scope.learner(user_id)
    attempts = (
        scope.attempts()
        .filter(user=learner)
        .select_related("quiz", "assignment__quiz")  # whether each passed
        .order_by("-started", "-pk")
    )
    page = Paginator(attempts, ATTEMPTS_PER_PAGE).get_page(request.GET.get("page"))
    shown = list(page)
    # Newest first; the first attempt the learner made is number 1.
    first = page.paginator.count - page.start_index() + 1
    numbers = list(range(first, first - len(shown), -1))
    details = reports.attempt_details(shown, numbers)
    for detail in details:
        for row in detail.questions:
            row.url = scope.url("asked", detail.attempt.pk, row.position)
    context = {
        **scope.context(),
        "learner": learner,
        "progress": reports.progress_of_learner(
            scope.attempts(), learner, pass_mark=scope.pass_mark, overdue=scope.overdue
        ),
        "page": page,
        "details": details,
    }
    return render(request, "trainer/learner.html", context)


@require_safe
@trainer_required()
def assignment_learner(request: HtmxHttpRequest, assignment_id: int, user_id: int) -> HttpResponse:
    """A learner of an assignment: each of their attempts towards it, question by question."""
    return _learner_attempts(request, _scope(assignment_id=assignment_id), user_id)


@require_safe
@trainer_required()
def quiz_learner(request: HtmxHttpRequest, slug: str, user_id: int) -> HttpResponse:
    """A learner of a quiz report: each of their attempts at the quiz, question by question."""
    return _learner_attempts(request, _scope(slug=slug), user_id)


def _asked_question(
    request: HtmxHttpRequest, scope: Scope, attempt_id: int, position: int
) -> HttpResponse:
    question = get_object_or_404(
        AttemptQuestion.objects.select_related("attempt__user", "attempt__quiz").filter(
            attempt__in=scope.attempts()
        ),
        attempt=attempt_id,
        position=position,
    )
    attempt = question.attempt
    asked = question.asked  # as the learner saw it, whatever editors changed since
    response = Response.objects.filter(attempt=attempt, scenario=question.scenario_id).first()
    chosen = asked.choice(response.chosen) if response else None
    context = {
        **scope.context(),
        "learner": attempt.user,
        "learner_url": scope.url("learner", attempt.user_id),
        "attempt": attempt,
        "question": question,
        "here": f"Attempt of {timezone.localtime(attempt.started):%-d %b %Y}, question {position}",
        "previous_url": scope.url("asked", attempt.pk, position - 1) if position > 1 else "",
        "next_url": scope.url("asked", attempt.pk, position + 1)
        if position < attempt.total
        else "",
        "asked": asked,
        "response": response,
        **selectors.recorded_feedback(asked, chosen),
    }
    return render(request, "trainer/asked_question.html", context)


@require_safe
@trainer_required()
def assignment_asked_question(
    request: HtmxHttpRequest, assignment_id: int, attempt_id: int, position: int
) -> HttpResponse:
    """One question of an attempt towards an assignment, as the learner saw and answered it."""
    return _asked_question(request, _scope(assignment_id=assignment_id), attempt_id, position)


@require_safe
@trainer_required()
def quiz_asked_question(
    request: HtmxHttpRequest, slug: str, attempt_id: int, position: int
) -> HttpResponse:
    """One question of an attempt at a quiz, as the learner saw and answered it."""
    return _asked_question(request, _scope(slug=slug), attempt_id, position)


def _report_question(request: HtmxHttpRequest, scope: Scope, scenario_id: int) -> HttpResponse:
    """A question of a report as its learners were last asked it (the newest record among
    the attempts the report counts), with how many picked each option (from the tallies)."""
    question = (
        AttemptQuestion.objects.filter(attempt__in=scope.attempts(), scenario=scenario_id)
        .select_related("attempt")
        .order_by("-attempt__started", "-attempt_id")
        .first()
    )
    if question is None:
        raise Http404("No learner of this report was asked that question.")
    statistics = reports.scenario_statistics(scope.tallies().filter(scenario=scenario_id))
    entry = statistics.get(scenario_id)
    if entry is not None:  # the options as the learners saw them, picked or not
        entry.add_unpicked([(c.term.pk, c.term.name, c.is_correct) for c in question.asked.choices])
    context = {
        **scope.context(),
        "question": question,
        "here": question.asked.title,
        "asked": question.asked,
        "last_asked": question.attempt.started,
        "entry": entry,
        **selectors.recorded_feedback(question.asked, None),
    }
    return render(request, "trainer/report_question.html", context)


@require_safe
@trainer_required()
def assignment_question(
    request: HtmxHttpRequest, assignment_id: int, scenario_id: int
) -> HttpResponse:
    return _report_question(request, _scope(assignment_id=assignment_id), scenario_id)


@require_safe
@trainer_required()
def quiz_question(request: HtmxHttpRequest, slug: str, scenario_id: int) -> HttpResponse:
    return _report_question(request, _scope(slug=slug), scenario_id)
