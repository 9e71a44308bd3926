"""Editors preview unpublished terms, distinctions and scenarios with the public templates;
nobody else sees them."""

import pytest

from glossary.models import Distinction, Status
from tests.factories import UserFactory
from tests.quiz.factories import ScenarioFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft_scenario(glossary):
    return ScenarioFactory(
        slug="draft-lawyer",
        answer=glossary.client,
        others=[glossary.customer, glossary.consumer],
        status=Status.DRAFT,
        situation="PREVIEW-SITUATION",
    )


def _preview_urls(glossary, draft_scenario):
    Distinction.objects.filter(pk=glossary.client_vs_customer.pk).update(status=Status.DRAFT)
    return [
        "/preview/terms/secret-draft/",
        f"/preview/distinctions/{glossary.client_vs_customer.pk}/",
        f"/preview/scenarios/{draft_scenario.slug}/",
    ]


def test_editors_preview_drafts_with_the_public_templates(editor_client, glossary, draft_scenario):
    for url in _preview_urls(glossary, draft_scenario):
        response = editor_client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        assert "Preview — not published" in page, url
        assert response["Cache-Control"] == "private, no-store"
    term_page = editor_client.get("/preview/terms/secret-draft/")
    assert term_page.templates[0].name == "glossary/term_detail.html"


def test_the_scenario_preview_answers_without_recording(editor_client, draft_scenario):
    from quiz.models import Response

    correct = draft_scenario.choices.get(is_correct=True)
    response = editor_client.post(
        f"/preview/scenarios/{draft_scenario.slug}/", {"choice": correct.pk}
    )
    html = response.content.decode()
    assert "FEEDBACK-draft-lawyer-client" in html
    assert f'href="/preview/scenarios/{draft_scenario.slug}/">Answer again' in html
    assert not Response.objects.exists()
    form = editor_client.get(f"/preview/scenarios/{draft_scenario.slug}/").content.decode()
    assert f'hx-post="/preview/scenarios/{draft_scenario.slug}/"' in form


def test_the_scenario_preview_refuses_a_choice_of_another_scenario(
    editor_client, draft_scenario, quiz_setup
):
    from quiz.models import Response

    foreign = quiz_setup.scenarios[0].choices.first()
    url = f"/preview/scenarios/{draft_scenario.slug}/"
    for choice in [foreign.pk, "nonsense", ""]:
        response = editor_client.post(url, {"choice": choice})
        assert response.status_code == 400
        assert "That choice does not belong to this question." in response.content.decode()
    assert not Response.objects.exists()


def test_the_scenario_preview_says_what_stops_publishing(editor_client, draft_scenario):
    draft_scenario.choices.filter(is_correct=False).update(feedback="")
    page = editor_client.get(f"/preview/scenarios/{draft_scenario.slug}/").content.decode()
    assert "Not ready to publish" in page and "every choice needs feedback" in page


def test_previews_are_hidden_from_everyone_else(client, glossary, draft_scenario, trainer):
    urls = _preview_urls(glossary, draft_scenario)
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    for user in [
        trainer,
        UserFactory(username="learner"),
        UserFactory(username="staff-nobody", is_staff=True),
    ]:
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 404, (user, url)


def test_view_on_site_previews_unpublished_content_and_shows_published_pages(
    editor_client, glossary, draft_scenario
):
    draft = glossary.draft
    page = editor_client.get(f"/admin/glossary/term/{draft.pk}/change/").content.decode()
    assert 'href="/preview/terms/secret-draft/"' in page
    published = glossary.client
    page = editor_client.get(f"/admin/glossary/term/{published.pk}/change/").content.decode()
    assert 'href="/terms/client/"' in page
    page = editor_client.get(f"/admin/quiz/scenario/{draft_scenario.pk}/change/").content.decode()
    assert f'href="/preview/scenarios/{draft_scenario.slug}/"' in page
