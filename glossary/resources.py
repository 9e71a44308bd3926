"""Import and export of terms in the admin (django-import-export), as CSV or JSON.

Every row is checked like a save in the admin (the model's full_clean); the admin shows a dry
run first and applies a file only when every row is valid, in one transaction.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from import_export import fields, resources
from import_export.widgets import ForeignKeyWidget

from .models import Term, pending_terms


class TermResource(resources.ModelResource):
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
        import_id_fields = ("slug",)
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
        use_transactions = True

    def get_queryset(self):
        return super().get_queryset().select_related("replaced_by", "steward").order_by("slug")

    def import_data(self, dataset: Any, *args: Any, **kwargs: Any) -> Any:
        # Terms in one file may link to each other with [[links]].
        slugs = [row.get("slug") or "" for row in dataset.dict]
        with pending_terms(slugs):
            return super().import_data(dataset, *args, **kwargs)
