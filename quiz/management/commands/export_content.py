import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from quiz.content_export import content_files


class Command(BaseCommand):
    help = (
        "Write all content (every status) back out in the fixtures format, ordered by natural "
        "keys, so exporting what load_content loaded gives identical files."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dir",
            type=Path,
            default=settings.CONTENT_DIR,
            help="Folder to write terms.json, scenarios.json and quizzes.json to "
            "(default: fixtures/).",
        )

    def handle(self, *args: object, dir: Path, **options: object) -> None:
        dir.mkdir(parents=True, exist_ok=True)
        # The scenarios the release retires are no content of the database: keep the list of
        # the file being rewritten (content_files drops the slugs that are scenarios again).
        existing = dir / "scenarios.json"
        retired = []
        if existing.exists():
            retired = json.loads(existing.read_text(encoding="utf-8")).get("retired", [])
        for name, text in content_files(retired=retired).items():
            path = dir / name
            changed = not path.exists() or path.read_text(encoding="utf-8") != text
            if changed:
                path.write_text(text, encoding="utf-8")
            self.stdout.write(f"{path}: {'written' if changed else 'unchanged'}.")
