"""The editors' workspace for the quiz: scenarios (choices inline, with the trainers' statistics
in the list) and quizzes (scenarios in order). Attempts and assignments are listed for
administrators only: the Editors group has no permission on them."""

from __future__ import annotations

from types import SimpleNamespace

from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django.utils.html import format_html
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import CSV, JSON

from glossary.admin_tools import HistoryAdmin, LifecycleAdmin
from glossary.models import Status, Term

from .models import Assignment, Attempt, Choice, Quiz, QuizScenario, Scenario
from .reports import scenario_statistics
from .resources import ScenarioResource
from .services import scenario_problems, validate_scenario

ADMIN_CSS = {"all": ["css/admin.css"]}


class ChoiceFormSet(BaseInlineFormSet):
    """The choices are checked together, with the scenario's status as submitted."""

    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        kept = [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        choices = [
            SimpleNamespace(
                term=data["term"],
                is_correct=data.get("is_correct", False),
                feedback=data.get("feedback", ""),
            )
            for data in kept
        ]
        if self.instance.status == Status.PUBLISHED:
            problems = scenario_problems(choices)
            if problems:
                raise ValidationError(
                    f"This scenario cannot be published: {'; '.join(problems)}. "
                    "Fix the choices, or save it as a draft."
                )
            return
        # Drafts may be incomplete, but never ambiguous or repetitive.
        if sum(choice.is_correct for choice in choices) > 1:
            raise ValidationError("Only one choice can be the correct one.")
        if len({choice.term.pk for choice in choices}) != len(choices):
            raise ValidationError("Each choice must offer a different term.")


class ChoiceInline(admin.TabularInline):
    model = Choice
    formset = ChoiceFormSet
    fields = ["term", "is_correct", "feedback", "position"]
    extra = 0
    max_num = 4

    def get_extra(self, request, obj=None, **kwargs) -> int:
        existing = obj.choices.count() if obj is not None and obj.pk else 0
        return max(0, 3 - existing) if existing else 4

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        # The one-correct-choice rule is checked on the whole set (ChoiceFormSet.clean), so a
        # form must not compare itself with the stored choices while the answer moves.
        formset.form.validate_constraints = lambda form: None
        return formset


class AnswerFilter(admin.SimpleListFilter):
    title = "answer"
    parameter_name = "answer"

    def lookups(self, request, model_admin):
        return [(str(term.pk), term.name) for term in Term.objects.order_by("name")]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(choices__term=self.value(), choices__is_correct=True)
        return queryset


class StatisticsChangeList(ChangeList):
    """Attaches the trainers' statistics to the scenarios of the page: two queries for all."""

    def get_results(self, request):
        super().get_results(request)
        statistics = scenario_statistics(Attempt.objects.all())
        for scenario in self.result_list:
            scenario.statistics = statistics.get(scenario.pk)


@admin.register(Scenario)
class ScenarioAdmin(ImportExportMixin, LifecycleAdmin, HistoryAdmin):
    resource_classes = [ScenarioResource]
    formats = [CSV, JSON]
    preview_url_name = "glossary:preview-scenario"
    list_display = [
        "title",
        "answer",
        "difficulty",
        "status_badge",
        "answers",
        "share_correct",
        "discrimination",
        "flags",
    ]
    list_filter = ["status", "difficulty", AnswerFilter]
    search_fields = ["title", "slug", "situation", "question", "explanation"]
    ordering = ["title"]
    list_per_page = 50
    prepopulated_fields = {"slug": ["title"]}
    inlines = [ChoiceInline]
    readonly_fields = ["created", "updated"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "situation", "question", "explanation"]}),
        ("Publishing", {"fields": ["difficulty", "status"]}),
        ("Dates", {"fields": ["created", "updated"], "classes": ["collapse"]}),
    ]

    class Media:
        css = ADMIN_CSS

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        correct = Prefetch(
            "choices",
            queryset=Choice.objects.filter(is_correct=True).select_related("term"),
            to_attr="correct_choices",
        )
        return super().get_queryset(request).prefetch_related(correct)

    def get_changelist(self, request, **kwargs):
        return StatisticsChangeList

    def view_on_site(self, obj: Scenario) -> str:
        # A scenario has no page of its own: the preview shows its "Test yourself" box.
        from django.urls import reverse

        return reverse(self.preview_url_name, args=[obj.slug])

    @admin.display(description="Answer")
    def answer(self, scenario: Scenario) -> str:
        correct = getattr(scenario, "correct_choices", None)
        return correct[0].term.name if correct else "—"

    def _statistics(self, scenario: Scenario):
        return getattr(scenario, "statistics", None)

    @admin.display(description="Answers")
    def answers(self, scenario: Scenario) -> int:
        statistics = self._statistics(scenario)
        return statistics.answers if statistics else 0

    @admin.display(description="Correct")
    def share_correct(self, scenario: Scenario) -> str:
        statistics = self._statistics(scenario)
        return f"{statistics.percent_correct} %" if statistics else "—"

    @admin.display(description="Discrimination")
    def discrimination(self, scenario: Scenario) -> str:
        statistics = self._statistics(scenario)
        if statistics is None or statistics.discrimination is None:
            return "—"
        return f"{statistics.discrimination:.2f}"

    @admin.display(description="Needs a look")
    def flags(self, scenario: Scenario) -> str:
        statistics = self._statistics(scenario)
        if statistics is None or not statistics.flags:
            return ""
        return format_html('<span class="stat-flags">{}</span>', ", ".join(statistics.flags))

    def save_formset(self, request, form, formset, change):
        if formset.model is not Choice:
            return super().save_formset(request, form, formset, change)
        # Wrong answers first, then the right one: one choice is correct at any moment.
        choices = formset.save(commit=False)
        for removed in formset.deleted_objects:
            removed.delete()
        for choice in sorted(choices, key=lambda choice: choice.is_correct):
            choice.save()
        formset.save_m2m()

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        validate_scenario(scenario=form.instance)


class QuizScenarioInline(admin.TabularInline):
    model = QuizScenario
    fields = ["position", "scenario"]
    autocomplete_fields = ["scenario"]
    extra = 1
    ordering = ["position"]


@admin.register(Quiz)
class QuizAdmin(LifecycleAdmin):
    list_display = [
        "title",
        "slug",
        "status_badge",
        "is_practice",
        "questions",
        "pass_mark",
        "position",
    ]
    list_filter = ["status", "is_practice"]
    search_fields = ["title", "slug", "description"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [QuizScenarioInline]
    view_on_site = False
    fieldsets = [
        (None, {"fields": ["title", "slug", "description"]}),
        ("Questions", {"fields": ["is_practice", "question_count", "shuffle", "pass_mark"]}),
        ("Publishing", {"fields": ["status", "position"]}),
    ]

    class Media:
        css = ADMIN_CSS

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).annotate(entry_count=Count("entries"))

    @admin.display(description="Questions", ordering="entry_count")
    def questions(self, quiz: Quiz) -> str:
        if quiz.is_practice:
            return f"{quiz.question_count or 10} drawn"
        return str(quiz.entry_count)


@admin.register(Attempt)
class AttemptAdmin(admin.ModelAdmin):
    """Learners' attempts, read-only: they are records, never edited by hand."""

    list_display = ["quiz", "user", "started", "finished", "score", "total"]
    list_filter = ["quiz"]
    list_select_related = ["quiz", "user"]
    date_hierarchy = "started"

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["quiz", "trainer", "due_date", "created", "archived"]
    list_filter = ["quiz"]
    list_select_related = ["quiz", "trainer"]
    filter_horizontal = ["users", "groups"]
