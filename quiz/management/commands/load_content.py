import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from glossary.services import load_glossary
from quiz.services import load_quiz_content


class Command(BaseCommand):
    help = "Load the published content from the fixtures folder (safe to run again)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dir",
            type=Path,
            default=settings.CONTENT_DIR,
            help="Folder holding terms.json, scenarios.json and quizzes.json (default: fixtures/).",
        )

    def handle(self, *args: object, dir: Path, **options: object) -> None:
        def read(name: str) -> dict:
            return json.loads((dir / name).read_text(encoding="utf-8"))

        report = load_glossary(data=read("terms.json"))
        self.stdout.write(f"Glossary: {report}.")
        report = load_quiz_content(scenarios=read("scenarios.json"), quizzes=read("quizzes.json"))
        self.stdout.write(f"Quiz: {report}.")
