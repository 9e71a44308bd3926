"""Import and export of terms in the admin (django-import-export), as CSV or JSON.

Every row is checked like a save in the admin (the model's full_clean); the admin shows a dry
run first and applies a file only when every row is valid, in one transaction.
"""

from __future__ import annotations

from typing import Any

from diff_match_patch import diff_match_patch
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.encoding import force_str
from django.utils.html import escape
from django.utils.safestring import mark_safe
from import_export import fields, resources
from import_export.instance_loaders import CachedInstanceLoader
from import_export.resources import Diff
from import_export.results import RowResult
from import_export.widgets import ForeignKeyWidget

from .models import Term, pending_terms


class StyleFreeDiff(Diff):
    """The dry run's per-field diff, marked up with plain <ins>/<del> (styled in admin.css):
    the library's version uses inline style attributes, which our CSP blocks. It reads each
    column as the export does, so columns computed by a resource (a scenario's answer and
    choices) show their values instead of blanks."""

    def __init__(self, resource: resources.Resource, instance: Any, new: bool) -> None:
        self.left = self._columns(resource, instance)
        self.right = []
        self.new = new

    def compare_with(self, resource: resources.Resource, instance: Any) -> None:
        self.right = self._columns(resource, instance)

    @staticmethod
    def _columns(resource: resources.Resource, instance: Any) -> list[Any]:
        return [resource.export_field(field, instance) for field in resource.get_import_fields()]

    def as_html(self) -> list[str]:
        dmp = diff_match_patch()
        cells = []
        for before, after in zip(self.left, self.right, strict=False):
            if before != after and self.new:
                before = ""
            changes = dmp.diff_main(force_str(before), force_str(after))
            dmp.diff_cleanupSemantic(changes)
            html = []
            for op, text in changes:
                text = escape(text).replace("\n", "<br>")
                if op == dmp.DIFF_INSERT:
                    html.append(f"<ins>{text}</ins>")
                elif op == dmp.DIFF_DELETE:
                    html.append(f"<del>{text}</del>")
                else:
                    html.append(text)
            cells.append(mark_safe("".join(html)))
        return cells


class ContentResource(resources.ModelResource):
    """What the import and export of every kind of content share: rows matched by slug (looked
    up in one query), checked like a save in the admin, applied all or nothing, and a dry run
    our CSP allows."""

    class Meta:
        import_id_fields = ("slug",)
        instance_loader_class = CachedInstanceLoader
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
        use_transactions = True

    def get_diff_class(self) -> type[Diff]:
        return StyleFreeDiff

    def import_row(self, row: dict[str, Any], instance_loader: Any, **kwargs: Any) -> RowResult:
        result = super().import_row(row, instance_loader, **kwargs)
        if (result.errors or result.validation_error) and kwargs.get("using_transactions"):
            # A row is all or nothing too: the library runs each row in a savepoint but keeps
            # what a failing row wrote before its error (a scenario saved, its choices not).
            transaction.set_rollback(True)
        return result


class TermResource(ContentResource):
    replaced_by = fields.Field(
        attribute="replaced_by", column_name="replaced_by", widget=ForeignKeyWidget(Term, "slug")
    )
    steward = fields.Field(
        attribute="steward",
        column_name="steward",
        widget=ForeignKeyWidget(get_user_model(), "username"),
    )

    class Meta:
        model = Term
        fields = ("slug", "name", "summary", "body", "status", "replaced_by", "steward")
        export_order = fields

    def get_queryset(self):
        return super().get_queryset().select_related("replaced_by", "steward").order_by("slug")

    def import_data(self, dataset: Any, *args: Any, **kwargs: Any) -> Any:
        # Terms in one file may link to each other with [[links]].
        slugs = [row.get("slug") or "" for row in dataset.dict]
        with pending_terms(slugs):
            return super().import_data(dataset, *args, **kwargs)
