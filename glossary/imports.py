"""How an import in the admin is applied (docs/imports.md): a dry run first, then Confirm checks
every row again and applies the file in one transaction, all rows or none, and only once.

`ContentImportExportMixin` is django-import-export's admin mixin with the Confirm step made
safe; `ImportFile` keeps the uploaded file between the dry run and Confirm. The admins of
terms and scenarios use both.
"""

from __future__ import annotations

import os
import re
import tempfile
import time
from pathlib import Path
from uuid import uuid4

from django.contrib import messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import FieldError, PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_POST
from import_export.admin import ImportExportMixin
from import_export.tmp_storages import BaseStorage

from .http import see_other

IMPORT_FOLDER = Path(tempfile.gettempdir()) / "termwise-imports"
# How long an uploaded file waits for its Confirm, and a marker remembers an applied import.
KEEP_SECONDS = 2 * 24 * 3600


class ImportGone(Exception):
    """The import that Confirm names cannot be applied (any more); the message says why."""


class AlreadyApplied(ImportGone):
    """Confirm was sent again for an import that is applied, or being applied."""


class ImportFile(BaseStorage):
    """The uploaded file between the dry run and its Confirm, named by a random token.

    Confirm claims the file by renaming it, which only one request can do, so a double click
    applies it once; once applied, a marker under the same token says so; a failed Confirm
    removes the file. Files and markers older than two days are cleared at the next upload.
    """

    TOKEN = re.compile(r"[0-9a-f]{32}")

    def _path(self, suffix: str = "") -> Path:
        if not self.TOKEN.fullmatch(self.name or ""):
            raise ImportGone("This import is not one the site knows: upload the file again.")
        return IMPORT_FOLDER / f"{self.name}{suffix}"

    def save(self, data: bytes | str) -> None:
        IMPORT_FOLDER.mkdir(parents=True, exist_ok=True)
        self._clear_old()
        self.name = uuid4().hex
        content = data.encode(self.encoding or "utf-8") if isinstance(data, str) else data
        self._path().write_bytes(content)

    def read(self) -> bytes | str:
        path = self._path(".applying") if self._path(".applying").exists() else self._path()
        if "b" in self.read_mode:
            return path.read_bytes()
        return path.read_text(encoding=self.encoding or "utf-8")

    def remove(self) -> None:
        for suffix in ("", ".applying"):
            self._path(suffix).unlink(missing_ok=True)

    def claim(self) -> None:
        """Take the file to apply it; only one request can. AlreadyApplied or ImportGone when
        it cannot be had."""
        try:
            os.rename(self._path(), self._path(".applying"))
        except FileNotFoundError:
            if self._path(".applied").exists():
                raise AlreadyApplied(
                    "This import was already applied: nothing more to do."
                ) from None
            if self._path(".applying").exists():
                raise AlreadyApplied(
                    "This import is being applied already (it was confirmed twice): "
                    "nothing more to do."
                ) from None
            raise ImportGone(
                "The uploaded file of this import is no longer here (it was not applied, "
                "or it is too old): upload it again."
            ) from None

    def mark_applied(self) -> None:
        self._path(".applied").touch()
        self._path(".applying").unlink(missing_ok=True)

    @staticmethod
    def _clear_old() -> None:
        limit = time.time() - KEEP_SECONDS
        for path in IMPORT_FOLDER.iterdir():
            try:
                if path.stat().st_mtime < limit:
                    path.unlink()
            except FileNotFoundError:  # cleared by another request meanwhile
                pass


def _chosen(choices: list, index: object):
    """The item a posted index picks out of `choices`, or None for anything else."""
    text = str(index or "")
    return choices[int(text)] if text.isdigit() and int(text) < len(choices) else None


class ContentImportExportMixin(ImportExportMixin):
    """django-import-export in the admin, with a Confirm that checks again and an export that
    refuses junk in its address as a 400 with a message, not a 500."""

    tmp_storage_class = ImportFile

    def _url(self, view: str) -> str:
        opts = self.model._meta
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}")

    @method_decorator(require_POST)
    def process_import(self, request: HttpRequest, **kwargs) -> HttpResponse:
        """Apply the file that the dry run showed: every row checked again as it is saved,
        in one transaction that keeps all rows or none, and only once."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        form = self.create_confirm_form(request)
        valid = form.is_valid()
        format_class = _chosen(self.get_import_formats(), valid and form.cleaned_data["format"])
        resource = _chosen(
            self.get_import_resource_classes(request),
            (valid and form.cleaned_data.get("resource")) or "0",
        )
        if format_class is None or resource is None:
            messages.error(
                request,
                "This confirmation was incomplete or altered, so nothing was imported: "
                "upload the file again.",
            )
            return see_other(self._url("import"))

        input_format = format_class(encoding=self.from_encoding)
        storage = self.get_tmp_storage_class()(
            name=form.cleaned_data["import_file_name"],
            encoding=None if input_format.is_binary() else self.from_encoding,
            read_mode=input_format.get_read_mode(),
        )
        try:
            storage.claim()
        except AlreadyApplied as applied:
            messages.warning(request, str(applied))
            return see_other(self._url("changelist"))
        except ImportGone as gone:
            messages.error(request, str(gone))
            return see_other(self._url("import"))

        try:
            dataset = input_format.create_dataset(storage.read())
        except Exception:  # whatever the reader raises: the file is not in that format
            storage.remove()
            messages.error(
                request,
                f"The file does not read as {format_class().get_title()}, so nothing was "
                "imported: upload it again.",
            )
            return see_other(self._url("import"))

        result = self.process_dataset(
            dataset, form, request, raise_errors=False, rollback_on_validation_errors=True
        )
        if result.has_errors() or result.has_validation_errors():
            storage.remove()
            return self._confirm_failed(request, result)
        storage.mark_applied()
        return self.process_result(result, request)

    def process_result(self, result, request: HttpRequest) -> HttpResponse:
        response = super().process_result(result, request)
        return see_other(response["Location"])  # a 303, like every redirect after our POSTs

    def _confirm_failed(self, request: HttpRequest, result) -> TemplateResponse:
        """The import page again, with what stopped the file and a form to upload it anew."""
        messages.error(
            request,
            "Nothing was imported: checked again as they were to be saved, the rows below "
            "no longer pass (something changed since the preview). Fix them and upload the "
            "file again.",
        )
        form = self.get_import_form_class(request)(
            self.get_import_formats(), self.get_import_resource_classes(request)
        )
        resources = self.get_import_resource_classes(request)
        context = {
            **self.get_import_context_data(),
            **self.admin_site.each_context(request),
            "title": "Import",
            "form": form,
            "opts": self.model._meta,
            "media": self.media + form.media,
            "fields_list": [
                (
                    resource.get_display_name(),
                    [field.column_name for field in resource().get_user_visible_fields()],
                )
                for resource in resources
            ],
            "import_error_display": self.import_error_display,
            "result": result,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, [self.import_template_name], context)

    def get_export_queryset(self, request: HttpRequest):
        try:
            return super().get_export_queryset(request)
        except (FieldError, ValidationError, ValueError) as error:
            # The list reads every parameter of the export's address as a filter, so
            # ?format=xlsx is a field that does not exist: the same answer as a filter value
            # that names nothing (glossary.http.JunkRequestMiddleware: a 400 with a message).
            raise IncorrectLookupParameters(str(error)) from error
