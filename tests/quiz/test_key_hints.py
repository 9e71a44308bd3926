"""The number-key hints on answer buttons are marked so that CSS hides them unless quiz.js
handles the keys on a device with a fine pointer (it then puts `answer-keys` on <html>)."""

import re

import pytest
from django.contrib.staticfiles import finders

from quiz import services

pytestmark = pytest.mark.django_db

HIDDEN_UNLESS_KEYS = re.compile(
    r"html:not\(\.answer-keys\) \.choice__key,\s*html:not\(\.answer-keys\) \.keys-hint\s*"
    r"\{\s*display:\s*none;?\s*\}"
)


def _static(path: str) -> str:
    with open(finders.find(path), encoding="utf-8") as file:
        return file.read()


def test_the_stylesheet_hides_the_hints_unless_the_keys_are_handled():
    assert HIDDEN_UNLESS_KEYS.search(_static("css/site.css"))
    script = _static("js/quiz.js")
    assert 'classList.toggle("answer-keys", finePointer.matches)' in script
    assert 'matchMedia("(pointer: fine)")' in script


def test_a_question_marks_every_key_hint_and_runs_no_inline_script(client, quiz_setup):
    attempt = services.start_attempt(quiz=quiz_setup.fixed, session_key="")
    session = client.session
    session.save()
    attempt.session_key = session.session_key
    attempt.save(update_fields=["session_key"])
    page = client.get(f"/quiz/attempts/{attempt.pk}/questions/1/").content.decode()
    form = re.search(r'<form class="choices".*?</form>', page, re.S).group()
    buttons = re.findall(r'<button type="submit" name="choice".*?</button>', form, re.S)
    assert len(buttons) == 3
    assert all('<kbd class="choice__key"' in button for button in buttons)
    tip = re.search(r'<p class="([^"]*)">Tip: press', form).group(1).split()
    assert "keys-hint" in tip
    assert all("src=" in tag for tag in re.findall(r"<script[^>]*>", page) if "json" not in tag)
    assert '<html lang="en">' in page  # no class until quiz.js adds it


def test_the_term_page_box_marks_its_key_hints_too(client, quiz_setup):
    page = client.get("/terms/client/").content.decode()
    box = re.search(r'<section id="try-box".*?</section>', page, re.S).group()
    assert re.findall(r'<kbd class="choice__key"', box)
    assert 'class="hint keys-hint"' in box
