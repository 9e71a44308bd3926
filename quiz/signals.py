"""Keeps the reports' tallies exact whatever deletes an attempt or a term: the admin, a
user's deletion (which takes their attempts with it), adopt_visitor_attempts, a test.
Connected in QuizConfig.ready()."""

from __future__ import annotations

from django.db.models.signals import post_delete, pre_delete

from glossary.models import Term

from . import services
from .models import Attempt


def _attempt_deleted(sender, instance: Attempt, **kwargs) -> None:
    # Before the delete: Django sends pre_delete for every attempt it is about to delete
    # before it deletes any of their responses, which this reads.
    services.count_in_tallies(attempt_id=instance.pk, sign=-1)


def _term_deleted(sender, instance: Term, **kwargs) -> None:
    services.forget_term_in_tallies(term_pk=instance.pk)


def connect() -> None:
    pre_delete.connect(_attempt_deleted, sender=Attempt, dispatch_uid="quiz-tally-attempt")
    post_delete.connect(_term_deleted, sender=Term, dispatch_uid="quiz-tally-term")
