"""The editors' workspace for the quiz: scenarios (choices inline, with the trainers' statistics
in the list) and quizzes (scenarios in order). Attempts and assignments are listed for
administrators only: the Editors group has no permission on them."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q, QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from import_export.formats.base_formats import JSON

from glossary.content_admin import HistoryAdmin, LifecycleAdmin, TermFilter
from glossary.imports import ContentImportExportMixin
from glossary.spreadsheet import SpreadsheetCSV

from . import services
from .models import (
    MAX_CHOICES,
    Assignment,
    Attempt,
    Choice,
    Quiz,
    QuizScenario,
    QuizTally,
    Scenario,
    choice_problems,
)
from .reports import scenario_statistics
from .resources import ScenarioResource


class ChoiceForm(forms.ModelForm):
    def validate_constraints(self) -> None:
        """The choices' constraints hold for the whole set, which ChoiceFormSet checks; a
        form must not compare its row with the stored ones while the answer moves."""


class ChoiceFormSet(BaseInlineFormSet):
    """The choices are checked together (choice_problems), with the scenario's status as
    submitted."""

    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        choices = [
            form.instance
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        publishing = self.instance.is_published
        problems = choice_problems(choices, publishing=publishing)
        if problems and publishing:
            raise ValidationError(
                f"This scenario cannot be published: {'; '.join(problems)}. "
                "Fix the choices, or save it as a draft."
            )
        if problems:
            listed = "; ".join(problems)
            raise ValidationError(f"{listed[0].upper()}{listed[1:]}.")


class ChoiceInline(admin.TabularInline):
    model = Choice
    form = ChoiceForm
    formset = ChoiceFormSet
    fields = ["term", "is_correct", "feedback", "position"]
    extra = 0
    max_num = MAX_CHOICES

    def get_extra(self, request, obj=None, **kwargs) -> int:
        existing = obj.choices.count() if obj is not None and obj.pk else 0
        return max(0, 3 - existing) if existing else MAX_CHOICES


class OneLineField(forms.CharField):
    """A line of text in a text area, so a long one can be read whole while it is written:
    line breaks and runs of spaces become one space, as the line is shown."""

    def to_python(self, value):
        return " ".join(super().to_python(value).split())


class AnswerFilter(TermFilter):
    title = "answer"
    parameter_name = "answer"

    def matching(self, term_id: str) -> Q:
        return Q(choices__term=term_id, choices__is_correct=True)


class StatisticsChangeList(ChangeList):
    """Attaches the trainers' statistics to the scenarios of the page: one query for all."""

    def get_results(self, request):
        super().get_results(request)
        statistics = scenario_statistics(QuizTally.objects.all())
        for scenario in self.result_list:
            scenario.statistics = statistics.get(scenario.pk)


@admin.register(Scenario)
class ScenarioAdmin(ContentImportExportMixin, LifecycleAdmin, HistoryAdmin):
    resource_classes = [ScenarioResource]
    formats = [SpreadsheetCSV, JSON]
    preview_url_name = "preview-scenario"
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

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "question":
            kwargs.update(
                form_class=OneLineField,
                widget=forms.Textarea(attrs={"rows": 2, "class": "vLargeTextField"}),
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        correct = Prefetch(
            "choices",
            queryset=Choice.objects.filter(is_correct=True).select_related("term"),
            to_attr="correct_choices",
        )
        return super().get_queryset(request).prefetch_related(correct)

    def get_changelist(self, request, **kwargs):
        return StatisticsChangeList

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
        services.write_choices(
            scenario=form.instance,
            keep=formset.save(commit=False),
            remove=formset.deleted_objects,
        )
        formset.save_m2m()

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        form.instance.check_published()


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

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).annotate(entry_count=Count("entries"))

    @admin.display(description="Questions", ordering="entry_count")
    def questions(self, quiz: Quiz) -> str:
        if quiz.is_practice:
            return f"{quiz.question_count or 10} drawn"
        return str(quiz.entry_count)


def _to_the_second(value) -> str:
    """A time in an attempt's record as people read it, to the second, in a <time> element."""
    if value is None:
        return "—"
    value = timezone.localtime(value)
    return format_html(
        '<time datetime="{}">{}</time>',
        value.isoformat(timespec="seconds"),
        date_format(value, "j M Y, H:i:s"),
    )


@admin.register(Attempt)
class AttemptAdmin(admin.ModelAdmin):
    """Learners' attempts, read-only: they are records, never edited by hand."""

    list_display = ["quiz", "user", "started_at", "finished_at", "score", "total"]
    list_filter = ["quiz"]
    list_select_related = ["quiz", "user"]
    date_hierarchy = "started"

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description="Started", ordering="started")
    def started_at(self, attempt: Attempt) -> str:
        return _to_the_second(attempt.started)

    @admin.display(description="Finished", ordering="finished")
    def finished_at(self, attempt: Attempt) -> str:
        return _to_the_second(attempt.finished)


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["quiz", "trainer", "due_date", "created", "archived"]
    list_filter = ["quiz"]
    list_select_related = ["quiz", "trainer"]
    filter_horizontal = ["users", "groups"]
