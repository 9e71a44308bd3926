"""The editors' workspace for the glossary: terms (with aliases and sources) and distinctions."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join
from import_export.formats.base_formats import JSON

from .content_admin import HistoryAdmin, LifecycleAdmin, OfferedValueFilter, TermFilter
from .imports import ContentImportExportMixin
from .models import TERM_USES, Alias, Distinction, Source, Status, Term
from .preview import admin_url
from .resources import TermResource
from .spreadsheet import SpreadsheetCSV


def _change_link(obj) -> str:
    return format_html('<a href="{}">{}</a>', admin_url(obj), obj)


class AliasInline(admin.TabularInline):
    model = Alias
    extra = 0
    fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


class SourceInline(admin.TabularInline):
    model = Source
    extra = 0
    fields = ["title", "url", "position"]


class StewardFilter(OfferedValueFilter):
    title = "steward"
    parameter_name = "steward"

    def lookups(self, request, model_admin):
        stewards = get_user_model().objects.filter(stewarded_terms__isnull=False).distinct()
        return [("none", "Nobody"), *((str(u.pk), u.get_username()) for u in stewards)]

    def filtered(self, queryset: QuerySet, value: str) -> QuerySet:
        return queryset.filter(steward=None if value == "none" else value)


@admin.register(Term)
class TermAdmin(ContentImportExportMixin, LifecycleAdmin, HistoryAdmin):
    resource_classes = [TermResource]
    formats = [SpreadsheetCSV, JSON]
    preview_url_name = "glossary:preview-term"
    list_display = ["name", "slug", "status_badge", "summary", "steward", "updated"]
    list_filter = ["status", StewardFilter]
    search_fields = ["name", "slug", "summary", "aliases__name"]
    ordering = ["name"]
    list_per_page = 50
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["used_in", "created", "updated"]
    inlines = [AliasInline, SourceInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "summary", "body"]}),
        ("Publishing", {"fields": ["status", "replaced_by", "steward"]}),
        ("Where it is used", {"fields": ["used_in"]}),
        ("Dates", {"fields": ["created", "updated"], "classes": ["collapse"]}),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("steward")

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "summary":
            # One sentence, but a long one: show it whole while editing.
            kwargs["widget"] = forms.Textarea(attrs={"rows": 2, "cols": 80})
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "steward":
            kwargs["queryset"] = get_user_model().objects.filter(is_staff=True, is_active=True)
        if db_field.name == "replaced_by":
            kwargs["queryset"] = Term.objects.published()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description="Used in")
    def used_in(self, term: Term) -> str:
        if term.pk is None:
            return "Not used yet."
        usage = term.usage()
        if not usage:
            return "Not used by any scenario, distinction or retired term: it can be deleted."
        return format_html(
            '<ul class="usage-list">{}</ul>',
            format_html_join(
                "", "<li>{}: {}</li>", ((kind, _change_link(row)) for kind, row in usage.items())
            ),
        )

    def get_deleted_objects(self, objs, request):
        """A term in use is protected: say where it is used, in words an editor can act on."""
        deleted, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        protected = [
            f"{term}: used by {usage.describe()}" for term in objs if (usage := term.usage())
        ]
        return deleted, model_count, perms_needed, protected

    def save_model(self, request, obj, form, change):
        was_published = change and form.initial.get("status") == Status.PUBLISHED
        super().save_model(request, obj, form, change)
        if was_published and not obj.is_published:
            for use in (use for use in TERM_USES if use.when_unpublished):
                hidden = [row for row in use.rows(obj) if row.is_published]
                if hidden:
                    names = ", ".join(f"“{row}”" for row in hidden)
                    self.message_user(
                        request,
                        f"“{obj}” is no longer published, so these {use.plural} "
                        f"{use.when_unpublished}: {names}.",
                        messages.WARNING,
                    )


class DistinctionTermFilter(TermFilter):
    def matching(self, term_id: str) -> Q:
        return Q(term_a=term_id) | Q(term_b=term_id)


@admin.register(Distinction)
class DistinctionAdmin(LifecycleAdmin, HistoryAdmin):
    preview_url_name = "glossary:preview-distinction"
    list_display = ["__str__", "status_badge", "rule"]
    list_display_links = ["__str__"]
    list_filter = ["status", DistinctionTermFilter]
    search_fields = ["rule", "example", "body", "term_a__name", "term_b__name"]
    list_select_related = ["term_a", "term_b"]
    fields = ["term_a", "term_b", "rule", "example", "body", "status"]

    def is_public(self, obj: Distinction) -> bool:
        return obj.term_a.is_published and obj.term_b.is_published

    def preview_key(self, obj: Distinction) -> int:
        return obj.pk


admin.site.site_header = "Termwise editors’ workspace"
admin.site.site_title = "Termwise admin"
admin.site.index_title = "Terms, distinctions, scenarios and quizzes"
