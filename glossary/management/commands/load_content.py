import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from glossary.services import load_glossary


class Command(BaseCommand):
    help = "Load the published content from the fixtures folder (safe to run again)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dir",
            type=Path,
            default=settings.CONTENT_DIR,
            help="Folder holding terms.json (default: the project's fixtures/).",
        )

    def handle(self, *args: object, dir: Path, **options: object) -> None:
        data = json.loads((dir / "terms.json").read_text(encoding="utf-8"))
        report = load_glossary(data=data)
        self.stdout.write(f"Glossary: {report}.")
