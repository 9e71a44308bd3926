import pytest

from tests.factories import make_alias, make_distinction, make_source, make_term


@pytest.fixture
def glossary(db):
    """A small published glossary: client, customer, consumer, plus a draft term."""
    client_term = make_term(
        "client",
        summary="Someone who pays for professional advice.",
        body="A client has a [[customer|customer]] relationship and more. See [[patron]].",
    )
    customer = make_term("customer", summary="Anyone who buys from a business.")
    consumer = make_term("consumer", summary="The person who finally uses a product.")
    draft = make_term("secret-draft", name="Secret draft", status="draft")
    make_alias(client_term, "clientele")
    make_alias(customer, "customer base")
    make_source(client_term, "Client vs customer, a blog post")
    client_vs_customer = make_distinction(
        customer, client_term, rule="Advice and a named contact make a client."
    )
    make_distinction(customer, consumer, rule="Customers pay; consumers use.")
    return {
        "client": client_term,
        "customer": customer,
        "consumer": consumer,
        "draft": draft,
        "client_vs_customer": client_vs_customer,
    }


@pytest.fixture
def quiz_setup(glossary):
    """Three published scenarios (one per term), a draft one, a fixed quiz and a practice quiz."""
    from tests.factories import make_quiz, make_scenario

    client_term, customer, consumer = (glossary[k] for k in ("client", "customer", "consumer"))
    scenarios = [
        make_scenario("lawyer", client_term, [customer, consumer]),
        make_scenario("corner-shop", customer, [client_term, consumer]),
        make_scenario("birthday-cake", consumer, [customer, client_term]),
    ]
    draft = make_scenario("draft-one", customer, [client_term], status="draft")
    fixed = make_quiz("fixed", [*scenarios, draft], pass_mark=60)
    practice = make_quiz("practice", [], is_practice=True, question_count=3, position=0)
    return {
        **glossary,
        "scenarios": scenarios,
        "draft_scenario": draft,
        "fixed": fixed,
        "practice": practice,
    }


@pytest.fixture
def training(quiz_setup):
    """A trainer, a team of three learners, an outsider and the fixed quiz assigned to the
    team, due in a week."""
    from django.contrib.auth.models import Group

    from tests.factories import make_assignment, make_user, role

    trainer = make_user("tara", role("Trainers"), first_name="Tara", last_name="Trainer")
    team = Group.objects.create(name="Front desk")
    learners = [
        make_user("ada", team, first_name="Ada", last_name="Lovelace"),
        make_user("bob", team),
        make_user("cy", team),
    ]
    outsider = make_user("olga")
    assignment = make_assignment(quiz_setup["fixed"], groups=[team], trainer=trainer)
    return {
        **quiz_setup,
        "trainer": trainer,
        "team": team,
        "learners": learners,
        "outsider": outsider,
        "assignment": assignment,
    }
