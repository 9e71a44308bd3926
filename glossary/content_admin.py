"""What the admins of every kind of content (terms, distinctions, scenarios, quizzes) share:
lifecycle actions, "View on site" that previews drafts, and the history page with a
field-by-field comparison and one-click restore."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.html import format_html
from django.views.decorators.http import require_POST
from simple_history.admin import SimpleHistoryAdmin

from .history import compare_versions, describe_version, restore_version
from .http import see_other
from .models import Status, Term
from .services import change_status


class OfferedValueFilter(admin.SimpleListFilter):
    """A list filter that takes only the values it offers (its lookups): any other value, typed
    into the address, is the admin's IncorrectLookupParameters, which brings the editor back
    to the whole list with a message (or a 400 where no list shows)."""

    def queryset(self, request, queryset):
        value = self.value()
        if not value:
            return queryset
        if value not in {str(key) for key, _ in self.lookup_choices}:
            messages.error(request, f"There is no {self.title} “{value}” to filter by.")
            raise IncorrectLookupParameters(f"{self.parameter_name}={value!r}")
        return self.filtered(queryset, value)

    def filtered(self, queryset: QuerySet, value: str) -> QuerySet:
        raise NotImplementedError


class TermFilter(OfferedValueFilter):
    """Narrows a list to the rows related to one term; `matching` says how."""

    title = "term"
    parameter_name = "term"

    def lookups(self, request, model_admin):
        return [(str(term.pk), term.name) for term in Term.objects.order_by("name")]

    def filtered(self, queryset: QuerySet, value: str) -> QuerySet:
        return queryset.filter(self.matching(value))

    def matching(self, term_id: str) -> Q:
        raise NotImplementedError


class LifecycleAdmin(admin.ModelAdmin):
    """Actions that move content through draft → in review → published, each checked by the
    same rules as a save: content that is not ready stays where it is, with the reason."""

    actions = ["publish", "send_to_review", "move_to_draft"]
    # The URL name of the editors' preview of one object, e.g. "glossary:preview-term".
    preview_url_name = ""

    @admin.action(description="Publish selected %(verbose_name_plural)s", permissions=["change"])
    def publish(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._move(request, queryset, Status.PUBLISHED)

    @admin.action(
        description="Send selected %(verbose_name_plural)s to review", permissions=["change"]
    )
    def send_to_review(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._move(request, queryset, Status.IN_REVIEW)

    @admin.action(
        description="Move selected %(verbose_name_plural)s back to draft", permissions=["change"]
    )
    def move_to_draft(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._move(request, queryset, Status.DRAFT)

    def _move(self, request: HttpRequest, queryset: QuerySet, status: str) -> None:
        label = Status(status).label.lower()
        moved = 0
        for obj in queryset:
            if obj.status == status:
                continue
            obj._history_user = request.user
            try:
                change_status(obj=obj, status=status)
            except ValidationError as error:
                self.message_user(
                    request,
                    f"“{obj}” was not moved to {label}: {' '.join(error.messages)}",
                    messages.ERROR,
                )
            else:
                moved += 1
                self.log_change(request, obj, f"Moved to {label}.")
        if moved:
            opts = self.model._meta
            name = opts.verbose_name if moved == 1 else opts.verbose_name_plural
            self.message_user(request, f"{moved} {name} moved to {label}.", messages.SUCCESS)

    @admin.display(description="Status", ordering="status")
    def status_badge(self, obj: Model) -> str:
        return format_html(
            '<span class="status-badge status-badge--{}">{}</span>',
            obj.status,
            obj.get_status_display(),
        )

    def view_on_site(self, obj: Model) -> str | None:
        """Published content on the public site; anything else in the editors' preview."""
        if obj.is_published or obj.is_retired:
            public = getattr(obj, "get_absolute_url", None)
            if public is not None and self.is_public(obj):
                return public()
        if self.preview_url_name:
            return reverse(self.preview_url_name, args=[self.preview_key(obj)])
        return None

    def is_public(self, obj: Model) -> bool:
        return True

    def preview_key(self, obj: Model) -> Any:
        return obj.slug


class HistoryAdmin(SimpleHistoryAdmin):
    """History with "who, when, what changed", a comparison of any two versions and a
    restore button that saves the older content as a new version."""

    object_history_template = "admin/termwise/object_history.html"
    history_list_per_page = 50

    def get_urls(self) -> list:
        opts = self.model._meta
        info = opts.app_label, opts.model_name
        view = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/history/compare/",
                view(self.history_compare_view),
                name="{}_{}_history_compare".format(*info),
            ),
            path(
                "<path:object_id>/history/<int:version_id>/restore/",
                view(require_POST(self.history_restore_view)),
                name="{}_{}_history_restore".format(*info),
            ),
            *super().get_urls(),
        ]

    def get_history_queryset(self, request, history_manager, pk_name, object_id) -> QuerySet:
        # The related objects the "what changed" column names, fetched with the versions.
        related = [
            field.name
            for field in history_manager.model._meta.fields
            if field.is_relation and field.name != "history_user"
        ]
        records = history_manager.filter(**{pk_name: object_id})
        return records.select_related("history_user", *related)

    def _ids_or_404(self, object_id: str, version_id: str | None = None) -> None:
        """simple-history looks versions up by these ids as they are, even for objects that
        were deleted since: junk is a 404, not a database error."""
        try:
            self.model._meta.pk.to_python(unquote(object_id))
            if version_id is not None:
                self.model.history.model._meta.pk.to_python(version_id)
        except ValidationError:
            raise Http404("There is no such object or version.") from None

    def history_view(self, request: HttpRequest, object_id: str, extra_context=None):
        self._ids_or_404(object_id)
        obj = self.get_object(request, unquote(object_id))
        extra = {
            "can_restore": obj is not None and self.has_change_permission(request, obj),
            **(extra_context or {}),
        }
        return super().history_view(request, object_id, extra)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._ids_or_404(object_id, version_id)
        return super().history_form_view(request, object_id, version_id, extra_context)

    def _object_and_history(self, request: HttpRequest, object_id: str):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404("That object does not exist (any more).")
        if not self.has_view_history_or_change_history_permission(request, obj):
            raise PermissionDenied
        return obj, obj.history.select_related("history_user")

    def _history_url(self, obj: Model) -> str:
        opts = self.model._meta
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[obj.pk])

    def history_compare_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        obj, history = self._object_and_history(request, object_id)
        try:
            first = history.get(history_id=int(request.GET["from"]))
            second = history.get(history_id=int(request.GET["to"]))
        except (KeyError, ValueError, history.model.DoesNotExist):
            self.message_user(
                request, "Pick two versions of this object to compare.", messages.ERROR
            )
            return HttpResponseRedirect(self._history_url(obj))
        old, new = sorted([first, second], key=lambda record: (record.history_date, record.pk))
        rows = compare_versions(old, new)
        context = {
            **self.admin_site.each_context(request),
            "title": f"Compare versions: {obj}",
            "subtitle": None,
            "opts": self.model._meta,
            "object": obj,
            "old": old,
            "new": new,
            "old_label": describe_version(old),
            "new_label": describe_version(new),
            "rows": rows,
            "changed": [row for row in rows if row.changed],
            "history_url": self._history_url(obj),
            "can_restore": self.has_change_permission(request, obj),
        }
        return render(request, "admin/termwise/compare_versions.html", context)

    def history_restore_view(
        self, request: HttpRequest, object_id: str, version_id: int
    ) -> HttpResponse:
        obj, history = self._object_and_history(request, object_id)
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        record = history.filter(history_id=version_id).first()
        if record is None:
            raise Http404("That version does not exist.")
        try:
            restored = restore_version(record=record, user=request.user)
        except ValidationError as error:
            self.message_user(
                request,
                f"The {describe_version(record)} cannot be restored: {' '.join(error.messages)}",
                messages.ERROR,
            )
        else:
            self.log_change(request, restored, f"Restored the {describe_version(record)}.")
            self.message_user(
                request,
                f"Restored the {describe_version(record)} of “{restored}” as a new version.",
                messages.SUCCESS,
            )
        return see_other(self._history_url(obj))
