"""Every content rule, enforced by the models and services (not only by admin forms)."""

import pytest
from django.core.exceptions import ValidationError

from glossary.models import Distinction, Status, Term
from glossary.services import TermInUse, change_status, delete_term
from quiz.models import Choice, Scenario
from quiz.services import save_choices
from tests.factories import make_term

pytestmark = pytest.mark.django_db


def _errors(obj) -> dict:
    with pytest.raises(ValidationError) as caught:
        obj.full_clean()
    return caught.value.message_dict


# Summaries


@pytest.mark.parametrize(
    "summary",
    [
        "A client pays for advice. They come back every year.",
        "A client pays for advice! Often.",
        "A client pays for advice",
        "A " + "very " * 40 + "long summary.",
    ],
)
def test_a_summary_is_one_sentence_under_200_characters(summary):
    term = Term(slug="client", name="Client", summary=summary, body="About clients.")
    assert "summary" in _errors(term)


def test_a_plain_one_sentence_summary_passes():
    Term(
        slug="client", name="Client", summary="A client pays for advice, e.g. a lawyer’s.", body="B"
    ).full_clean()


# [[links]] in every Markdown field


def test_term_body_links_must_name_existing_terms(glossary):
    term = Term(
        slug="buyer", name="Buyer", summary="Pays.", body="Not a [[customr]] nor [[patron]]."
    )
    message = " ".join(_errors(term)["body"])
    assert "[[customr]]" in message and "[[patron]]" in message


def test_links_may_use_aliases_drafts_and_the_term_itself(glossary):
    body = "See [[clientele]], [[secret-draft]] and [[buyers|buyer]]."
    Term(slug="buyer", name="Buyer", summary="Pays.", body=body).full_clean()


def test_distinction_example_and_body_links_are_checked(glossary):
    distinction = Distinction(
        term_a=glossary["client"],
        term_b=glossary["consumer"],
        rule="Advice or use.",
        example="A [[unicorn]] example.",
        body="See [[dragon]].",
    )
    errors = _errors(distinction)
    assert "[[unicorn]]" in errors["example"][0] and "[[dragon]]" in errors["body"][0]


def test_scenario_and_choice_links_are_checked(quiz_setup):
    scenario = quiz_setup["scenarios"][0]
    scenario.explanation = "See [[nobody]]."
    assert "[[nobody]]" in _errors(scenario)["explanation"][0]
    choice = scenario.choices.first()
    choice.feedback = "Not [[someone]]."
    assert "[[someone]]" in _errors(choice)["feedback"][0]


# Distinctions


def test_a_distinction_joins_two_different_terms(glossary):
    same = Distinction(term_a=glossary["client"], term_b=glossary["client"], rule="R", example="E")
    assert "two different terms" in " ".join(_errors(same)["term_b"])


@pytest.mark.parametrize("reverse", [False, True])
def test_a_distinction_exists_once_per_pair_in_either_order(glossary, reverse):
    first, second = glossary["customer"], glossary["client"]
    if reverse:
        first, second = second, first
    twin = Distinction(term_a=first, term_b=second, rule="R", example="E")
    assert "already exists" in " ".join(_errors(twin)["term_b"])


# Scenarios


def _choices(glossary, **overrides):
    rows = [
        {"term": glossary["client"], "is_correct": True, "feedback": "Advice."},
        {"term": glossary["customer"], "is_correct": False, "feedback": "Too wide."},
        {"term": glossary["consumer"], "is_correct": False, "feedback": "Nobody eats advice."},
    ]
    for index, values in overrides.items():
        rows[int(index[1:])].update(values)
    return rows


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"c0": {"is_correct": False}}, r"exactly one correct choice \(it has 0\)"),
        ({"c1": {"feedback": " "}}, "every choice needs feedback"),
    ],
)
def test_a_published_scenario_needs_one_answer_and_feedback_everywhere(
    glossary, overrides, message
):
    scenario = Scenario.objects.create(
        slug="s", title="S", situation="x", question="q", explanation="e", status=Status.PUBLISHED
    )
    with pytest.raises(ValidationError, match=message):
        save_choices(scenario=scenario, choices=_choices(glossary, **overrides))


def test_two_correct_choices_are_refused(quiz_setup):
    scenario = quiz_setup["scenarios"][0]
    Choice.objects.filter(scenario=scenario).update(is_correct=False)
    with pytest.raises(ValidationError, match="exactly one correct choice"):
        scenario.check_published()


def test_choices_are_distinct_terms(glossary):
    scenario = Scenario.objects.create(
        slug="s", title="S", situation="x", question="q", explanation="e"
    )
    rows = _choices(glossary, c2={"term": glossary["customer"]})
    with pytest.raises(ValidationError, match="different term"):
        save_choices(scenario=scenario, choices=rows)
    assert not scenario.choices.exists()


def test_a_draft_scenario_may_be_unfinished_but_not_published(glossary):
    scenario = Scenario.objects.create(
        slug="s", title="S", situation="x", question="q", explanation="e"
    )
    save_choices(scenario=scenario, choices=_choices(glossary)[:2])  # a draft may have two
    with pytest.raises(ValidationError, match="three or four choices"):
        change_status(obj=scenario, status=Status.PUBLISHED)
    scenario.refresh_from_db()
    assert scenario.status == Status.DRAFT


def test_a_published_scenario_offers_only_published_terms(quiz_setup):
    scenario = quiz_setup["scenarios"][0]
    Term.objects.filter(slug="consumer").update(status=Status.DRAFT)
    with pytest.raises(ValidationError, match="not published: Consumer"):
        scenario.check_published()


# Retired terms


def test_a_retired_term_needs_a_published_replacement(glossary):
    term = glossary["consumer"]
    term.status = Status.RETIRED
    assert "needs a replacement" in " ".join(_errors(term)["replaced_by"])
    term.replaced_by = glossary["draft"]
    assert "not published" in " ".join(_errors(term)["replaced_by"])
    term.replaced_by = term
    assert "cannot replace itself" in " ".join(_errors(term)["replaced_by"])
    term.replaced_by = glossary["customer"]
    term.full_clean()


def test_only_a_retired_term_has_a_replacement(glossary):
    term = glossary["consumer"]
    term.replaced_by = glossary["customer"]
    assert "Only a retired term" in " ".join(_errors(term)["replaced_by"])


# Deleting


def test_a_term_in_use_cannot_be_deleted_and_the_message_says_where(quiz_setup):
    client_term = quiz_setup["client"]
    with pytest.raises(TermInUse) as caught:
        delete_term(term=client_term)
    message = caught.value.messages[0]
    assert "Situation lawyer" in message and "Situation corner-shop" in message
    assert "Client vs Customer" in message
    assert Term.objects.filter(pk=client_term.pk).exists()


def test_a_term_nobody_uses_can_be_deleted(glossary):
    delete_term(term=glossary["draft"])
    assert not Term.objects.filter(slug="secret-draft").exists()


def test_a_term_replacing_a_retired_one_cannot_be_deleted(db):
    new = make_term("customer")
    make_term("patron", status=Status.RETIRED, replaced_by=new)
    with pytest.raises(TermInUse, match="the retired terms “Patron”"):
        delete_term(term=new)


def test_usage_lists_scenarios_and_distinctions_once(quiz_setup):
    usage = quiz_setup["customer"].usage()
    assert len(usage.rows("scenarios")) == len(set(usage.rows("scenarios"))) == 4
    assert {str(d) for d in usage.rows("distinctions")} == {
        "Client vs Customer",
        "Consumer vs Customer",
    }
