"""The trainers' assignment form."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db.models import Count

from . import services
from .models import Assignment, Quiz


class PersonChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        name = obj.get_full_name()
        return f"{name} ({obj.get_username()})" if name else obj.get_username()


class GroupChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.name} ({obj.member_count} member{'s' if obj.member_count != 1 else ''})"


class AssignmentForm(forms.Form):
    quiz = forms.ModelChoiceField(
        queryset=Quiz.objects.published(), empty_label="Choose a quiz…", label="Quiz"
    )
    groups = GroupChoiceField(
        queryset=Group.objects.annotate(member_count=Count("user")).order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Groups",
        help_text="Everyone in the group when they look, including people who join later.",
    )
    users = PersonChoiceField(
        queryset=get_user_model().objects.filter(is_active=True).order_by("username"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="People",
    )
    due_date = forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), label="Due date"
    )
    pass_mark = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=100,
        label="Pass mark (%)",
        help_text="Leave empty to use the quiz’s own pass mark.",
    )
    # Shown with the warning that some of the people already have the quiz open: the ids of
    # the assignments the trainer was shown, and their confirmation that they want another.
    seen_duplicates = forms.CharField(required=False, widget=forms.HiddenInput)
    assign_again = forms.BooleanField(
        required=False, label="Yes, assign it again: I have looked at the open assignments above"
    )
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
        label="Note for learners",
        help_text="Optional. Shown with the assignment.",
    )

    def __init__(self, *args, instance: Assignment | None = None, **kwargs) -> None:
        self.instance = instance
        if instance is not None:
            kwargs.setdefault(
                "initial",
                {
                    "quiz": instance.quiz,
                    "groups": instance.groups.all(),
                    "users": instance.users.all(),
                    "due_date": instance.due_date,
                    "pass_mark": instance.pass_mark,
                    "note": instance.note,
                },
            )
        super().__init__(*args, **kwargs)
        if instance is not None and not instance.quiz.is_published:
            # Keep the current quiz choosable even if it has since been unpublished.
            self.fields["quiz"].queryset = Quiz.objects.filter(pk=instance.quiz.pk) | (
                Quiz.objects.published()
            )

    def clean_due_date(self):
        due_date = self.cleaned_data["due_date"]
        previous = self.instance.due_date if self.instance else None
        services.validate_due_date(due_date, previous=previous)
        return due_date

    duplicates: list[Assignment] = []

    def clean_seen_duplicates(self) -> set[int]:
        seen = self.cleaned_data.get("seen_duplicates") or ""
        return {int(part) for part in seen.split(",") if part.strip().isdigit()}

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("users") and not cleaned.get("groups") and not self.has_error("users"):
            raise ValidationError("Choose at least one person or group.")
        if cleaned.get("quiz") and not self.errors:
            # A preview only: the service checks again when the assignment is saved.
            duplicates = services.open_duplicates(
                quiz=cleaned["quiz"],
                users=cleaned.get("users") or [],
                groups=cleaned.get("groups") or [],
                excluding=self.instance,
            )
            if {d.pk for d in duplicates} - self.confirmed_duplicates():
                self.warn_of(duplicates)
        return cleaned

    def confirmed_duplicates(self) -> set[int]:
        """The ids of the open assignments the trainer saw and said to assign again beside."""
        if not self.cleaned_data.get("assign_again"):
            return set()
        return self.cleaned_data.get("seen_duplicates") or set()

    def warn_of(self, duplicates: list[Assignment]) -> None:
        """Stop, show these open assignments and ask for confirmation, which then names
        exactly these (a new one since needs confirming again)."""
        self.duplicates = duplicates
        self.data = self.data.copy()
        self.data[self.add_prefix("seen_duplicates")] = ",".join(str(d.pk) for d in duplicates)
        self.data.pop(self.add_prefix("assign_again"), None)
        self.add_error(
            None, ValidationError(services.DuplicateAssignment.message, code="duplicate")
        )

    def save(self, *, trainer) -> Assignment:
        values = {
            name: value
            for name, value in self.cleaned_data.items()
            if name not in ("seen_duplicates", "assign_again")
        }
        return services.save_assignment(
            assignment=self.instance,
            trainer=trainer,
            confirmed_duplicates=self.confirmed_duplicates(),
            **values,
        )
