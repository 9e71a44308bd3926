"""The editors' workspace for the glossary: terms (with aliases and sources) and distinctions."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import CSV, JSON

from .admin_tools import HistoryAdmin, LifecycleAdmin
from .models import Alias, Distinction, Source, Status, Term
from .resources import TermResource

ADMIN_CSS = {"all": ["css/admin.css"]}


def _change_link(obj) -> str:
    opts = obj._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    return format_html('<a href="{}">{}</a>', url, obj)


class AliasInline(admin.TabularInline):
    model = Alias
    extra = 0
    fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


class SourceInline(admin.TabularInline):
    model = Source
    extra = 0
    fields = ["title", "url", "position"]


class StewardFilter(admin.SimpleListFilter):
    title = "steward"
    parameter_name = "steward"

    def lookups(self, request, model_admin):
        stewards = get_user_model().objects.filter(stewarded_terms__isnull=False).distinct()
        return [("none", "Nobody"), *((str(u.pk), u.get_username()) for u in stewards)]

    def queryset(self, request, queryset):
        if self.value() == "none":
            return queryset.filter(steward=None)
        if self.value():
            return queryset.filter(steward=self.value())
        return queryset


@admin.register(Term)
class TermAdmin(ImportExportMixin, LifecycleAdmin, HistoryAdmin):
    resource_classes = [TermResource]
    formats = [CSV, JSON]
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

    class Media:
        css = ADMIN_CSS

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
        items = [("Scenario", scenario) for scenario in usage.scenarios]
        items += [("Distinction", distinction) for distinction in usage.distinctions]
        items += [("Replacement for the retired term", old) for old in usage.replaces]
        return format_html(
            '<ul class="usage-list">{}</ul>',
            format_html_join("", "<li>{}: {}</li>", ((k, _change_link(o)) for k, o in items)),
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
        if was_published and obj.status != Status.PUBLISHED:
            from quiz.models import Scenario

            hidden = Scenario.objects.filter(status=Status.PUBLISHED, choices__term=obj).distinct()
            if hidden:
                names = ", ".join(f"“{scenario}”" for scenario in hidden)
                self.message_user(
                    request,
                    f"“{obj}” is no longer published, so these scenarios are out of the quizzes "
                    f"until they offer another term: {names}.",
                    messages.WARNING,
                )


class TermFilter(admin.SimpleListFilter):
    title = "term"
    parameter_name = "term"

    def lookups(self, request, model_admin):
        return [(str(term.pk), term.name) for term in Term.objects.order_by("name")]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(Q(term_a=self.value()) | Q(term_b=self.value()))
        return queryset


@admin.register(Distinction)
class DistinctionAdmin(LifecycleAdmin, HistoryAdmin):
    preview_url_name = "glossary:preview-distinction"
    list_display = ["__str__", "status_badge", "rule"]
    list_display_links = ["__str__"]
    list_filter = ["status", TermFilter]
    search_fields = ["rule", "example", "body", "term_a__name", "term_b__name"]
    list_select_related = ["term_a", "term_b"]
    fields = ["term_a", "term_b", "rule", "example", "body", "status"]

    class Media:
        css = ADMIN_CSS

    def is_public(self, obj: Distinction) -> bool:
        return obj.term_a.is_published and obj.term_b.is_published

    def preview_key(self, obj: Distinction) -> int:
        return obj.pk


admin.site.site_header = "Termwise editors’ workspace"
admin.site.site_title = "Termwise admin"
admin.site.index_title = "Terms, distinctions, scenarios and quizzes"
