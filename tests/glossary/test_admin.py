"""Editing the glossary through the admin forms and actions: clear messages, nothing
half-saved."""

import pytest

from glossary.models import Status, Term
from tests.factories import TermFactory
from tests.helpers import term_form

pytestmark = pytest.mark.django_db


def test_term_form_messages(editor_client, glossary):
    term = glossary.customer
    data = term_form(
        term, summary="Two sentences. Not one.", body="See [[nowhere]].", status="retired"
    )
    page = editor_client.post(f"/admin/glossary/term/{term.pk}/change/", data).content.decode()
    assert "Write the summary as one sentence" in page
    assert "[[nowhere]]" in page
    assert "A retired term needs a replacement" in page
    term.refresh_from_db()
    assert term.status == Status.PUBLISHED


def test_send_to_review_and_back_to_draft(editor_client, glossary):
    term = TermFactory(slug="buyer", status=Status.DRAFT)
    editor_client.post(
        "/admin/glossary/term/", {"action": "send_to_review", "_selected_action": [term.pk]}
    )
    assert Term.objects.get(pk=term.pk).status == Status.IN_REVIEW
    editor_client.post(
        "/admin/glossary/term/", {"action": "move_to_draft", "_selected_action": [term.pk]}
    )
    assert Term.objects.get(pk=term.pk).status == Status.DRAFT


def test_a_second_distinction_for_a_pair_gets_one_clear_message(editor_client, glossary):
    data = {
        "term_a": glossary.client.pk,
        "term_b": glossary.customer.pk,
        "rule": "Again.",
        "example": "Ex.",
        "body": "",
        "status": "draft",
    }
    page = editor_client.post("/admin/glossary/distinction/add/", data).content.decode()
    assert "“Client vs Customer” already exists" in page
    assert "is violated" not in page
    data["term_b"] = glossary.client.pk
    page = editor_client.post("/admin/glossary/distinction/add/", data).content.decode()
    assert "A distinction joins two different terms." in page
    assert "is violated" not in page


def test_a_visitor_is_sent_to_the_admin_login(client, db):
    response = client.get("/admin/glossary/term/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
