"""Demo accounts and sample results for trying Termwise locally. Development only."""

import random
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from quiz import services
from quiz.models import Assignment, Attempt, Quiz

PASSWORD = "termwise-demo"
TRAINER = ("tara", "Tara", "Trainer")
EDITOR = ("eddie", "Eddie", "Editor")
TEAMS = {
    "Front desk": [
        ("lena", "Lena", "Okafor"),
        ("luis", "Luis", "Moreno"),
        ("mira", "Mira", "Shah"),
    ],
    "Sales team": [("noah", "Noah", "Berg"), ("priya", "Priya", "Nair")],
}
# How likely each learner is to pick the right answer, so the reports show a spread.
SKILL = {"lena": 0.95, "luis": 0.6, "mira": 0.45, "noah": 0.85, "priya": 0.7}


class Command(BaseCommand):
    help = (
        "Create demo accounts (a trainer, an editor, five learners in two groups) with "
        "assignments and finished attempts, and print how to log in. Development only."
    )

    def handle(self, *args: object, **options: object) -> None:
        if not settings.DEBUG:
            raise CommandError("Demo accounts are for development only (DEBUG is off).")
        user_model = get_user_model()
        if user_model.objects.filter(username=TRAINER[0]).exists():
            self.stdout.write("Demo accounts already exist.")
        else:
            self._create(user_model)
            self.stdout.write(self.style.SUCCESS("Demo accounts created."))
        self._print_accounts()

    @transaction.atomic
    def _create(self, user_model) -> None:
        def make(username: str, first: str, last: str, **extra):
            return user_model.objects.create_user(
                username,
                email=f"{username}@termwise.example",
                password=PASSWORD,
                first_name=first,
                last_name=last,
                **extra,
            )

        trainer = make(*TRAINER)
        trainer.groups.add(Group.objects.get(name="Trainers"))
        editor = make(*EDITOR, is_staff=True)
        editor.groups.add(Group.objects.get(name="Editors"))
        teams = {}
        for team, people in TEAMS.items():
            group, _ = Group.objects.get_or_create(name=team)
            for person in people:
                make(*person).groups.add(group)
            teams[team] = group

        today = timezone.localdate()
        rng = random.Random(2026)
        plan = [
            ("client-or-customer", "Front desk", today + timedelta(days=7), None),
            ("who-pays-who-uses", "Sales team", today + timedelta(days=14), 80),
            ("retail-and-venues", "Front desk", today + timedelta(days=3), None),
        ]
        for slug, team, due, pass_mark in plan:
            quiz = Quiz.objects.published().filter(slug=slug).first()
            if quiz is None:
                continue
            assignment = services.save_assignment(
                trainer=trainer,
                quiz=quiz,
                users=[],
                groups=[teams[team]],
                due_date=due,
                pass_mark=pass_mark,
                note="Please finish this before the team meeting.",
            )
            for learner in assignment.assignees():
                if slug == "retail-and-venues":
                    # Half done by one learner and not started by the others.
                    if learner.username == "lena":
                        self._answer(assignment, learner, rng, questions=5)
                    continue
                self._answer(assignment, learner, rng)
        # One assignment already past its due date, to show what overdue looks like.
        overdue_quiz = Quiz.objects.published().filter(slug="subscriptions-and-software").first()
        if overdue_quiz is not None:
            assignment = services.save_assignment(
                trainer=trainer,
                quiz=overdue_quiz,
                users=[],
                groups=[teams["Sales team"]],
                due_date=today,
            )
            Assignment.objects.filter(pk=assignment.pk).update(due_date=today - timedelta(days=2))

    def _answer(
        self, assignment: Assignment, learner, rng: random.Random, questions: int | None = None
    ) -> Attempt:
        attempt, _ = services.start_assignment(assignment=assignment, user=learner)
        for question in attempt.questions.select_related("scenario")[:questions]:
            choices = list(question.scenario.choices.all())
            right = next(choice for choice in choices if choice.is_correct)
            wrong = [choice for choice in choices if not choice.is_correct]
            pick = right if rng.random() < SKILL[learner.username] else rng.choice(wrong)
            services.answer_question(attempt=attempt, question=question, choice=pick.pk)
        return attempt

    def _print_accounts(self) -> None:
        self.stdout.write(f"\nDemo accounts (password for all: {PASSWORD}):")
        self.stdout.write(f"  {TRAINER[0]:<8} trainer: assigns quizzes, reads reports at /trainer/")
        self.stdout.write(f"  {EDITOR[0]:<8} editor: curates content at /admin/")
        for team, people in TEAMS.items():
            names = ", ".join(person[0] for person in people)
            self.stdout.write(f"  {names}: learners in {team}")
