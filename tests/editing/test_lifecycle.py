"""Only published content reaches visitors and quizzes; retired terms keep a signposted page;
editors preview everything else."""

import json
import random

import pytest

from glossary.models import Distinction, Status, Term
from glossary.services import change_status
from quiz.models import Scenario
from tests.factories import make_scenario, make_term, make_user

pytestmark = pytest.mark.django_db

HIDDEN = [Status.DRAFT, Status.IN_REVIEW, Status.RETIRED]


@pytest.fixture
def retired(glossary):
    """“Patron” retired in favour of “customer”."""
    return make_term(
        "patron",
        summary="A loyal regular of one venue.",
        status=Status.RETIRED,
        replaced_by=glossary["customer"],
    )


@pytest.mark.parametrize("status", HIDDEN)
def test_unpublished_terms_stay_out_of_lists_search_and_json(client, glossary, status):
    make_term(
        "patron",
        summary="A loyal regular of one venue.",
        status=status,
        replaced_by=glossary["customer"] if status == Status.RETIRED else None,
    )
    for url in ["/", "/terms/", "/terms/?q=patron", "/terms.json"]:
        assert "loyal regular" not in client.get(url).content.decode(), url


@pytest.mark.parametrize("status", [Status.DRAFT, Status.IN_REVIEW])
def test_draft_and_in_review_terms_have_no_page(client, glossary, status):
    make_term("patron", status=status)
    assert client.get("/terms/patron/").status_code == 404


def test_a_retired_term_keeps_its_page_pointing_to_the_replacement(client, retired):
    response = client.get("/terms/patron/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "no longer use" in page and 'href="/terms/customer/"' in page
    assert '<meta name="robots" content="noindex">' in page


def test_a_retired_term_is_not_a_published_term(retired):
    assert retired not in Term.objects.published()
    assert retired in Term.objects.with_public_page()


def test_scenarios_offering_a_retired_term_leave_the_quizzes(quiz_setup, retired):
    lawyer = quiz_setup["scenarios"][0]
    assert lawyer in Scenario.objects.published()
    lawyer.choices.filter(is_correct=False).first().delete()
    lawyer.choices.create(term=retired, feedback="Not a venue.", position=9)
    assert lawyer not in Scenario.objects.published()
    drawn = quiz_setup["practice"].draw_scenarios(random.Random(1))
    assert lawyer not in drawn


@pytest.mark.parametrize("status", HIDDEN)
def test_unpublished_scenarios_are_not_drawn_nor_tried(client, quiz_setup, status):
    lawyer = quiz_setup["scenarios"][0]
    Scenario.objects.filter(pk=lawyer.pk).update(status=status)
    for seed in range(5):
        assert lawyer not in quiz_setup["fixed"].draw_scenarios(random.Random(seed))
        assert lawyer not in quiz_setup["practice"].draw_scenarios(random.Random(seed))
    assert client.get("/quiz/try/lawyer/").status_code == 404


@pytest.mark.parametrize("status", HIDDEN)
def test_unpublished_distinctions_are_not_shown(client, glossary, status):
    Distinction.objects.filter(pk=glossary["client_vs_customer"].pk).update(status=status)
    assert client.get("/terms/client-vs-customer/").status_code == 404
    assert "Client vs Customer" not in client.get("/terms/client/").content.decode()
    data = json.loads(client.get("/terms.json").content)
    assert ["client", "customer"] not in [d["terms"] for d in data["distinctions"]]


def test_publishing_runs_every_check_and_changes_nothing_when_one_fails(glossary):
    term = make_term("buyer", status=Status.DRAFT, body="See [[customer]].")
    Term.objects.filter(pk=term.pk).update(body="See [[nobody]].")
    term.refresh_from_db()
    with pytest.raises(Exception, match=r"\[\[nobody\]\]"):
        change_status(obj=term, status=Status.PUBLISHED)
    term.refresh_from_db()
    assert term.status == Status.DRAFT


def test_publishing_records_a_version(glossary):
    term = make_term("buyer", status=Status.DRAFT)
    change_status(obj=term, status=Status.PUBLISHED)
    assert term.history.count() == 2
    assert term.history.first().status == Status.PUBLISHED


# Preview


@pytest.fixture
def draft_scenario(glossary):
    return make_scenario(
        "draft-lawyer",
        glossary["client"],
        [glossary["customer"], glossary["consumer"]],
        status=Status.DRAFT,
        situation="PREVIEW-SITUATION",
    )


def _preview_urls(glossary, draft_scenario):
    Distinction.objects.filter(pk=glossary["client_vs_customer"].pk).update(status=Status.DRAFT)
    return [
        "/preview/terms/secret-draft/",
        f"/preview/distinctions/{glossary['client_vs_customer'].pk}/",
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

    foreign = quiz_setup["scenarios"][0].choices.first()
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
    for user in [trainer, make_user("learner"), make_user("staff-nobody", is_staff=True)]:
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 404, (user, url)


def test_view_on_site_previews_unpublished_content_and_shows_published_pages(
    editor_client, glossary, draft_scenario
):
    draft = glossary["draft"]
    page = editor_client.get(f"/admin/glossary/term/{draft.pk}/change/").content.decode()
    assert 'href="/preview/terms/secret-draft/"' in page
    published = glossary["client"]
    page = editor_client.get(f"/admin/glossary/term/{published.pk}/change/").content.decode()
    assert 'href="/terms/client/"' in page
    page = editor_client.get(f"/admin/quiz/scenario/{draft_scenario.pk}/change/").content.decode()
    assert f'href="/preview/scenarios/{draft_scenario.slug}/"' in page
