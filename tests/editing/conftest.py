import pytest

from quiz.roles import EDITORS, TRAINERS
from tests.factories import make_user, role


@pytest.fixture
def editor(db):
    return make_user("eddie", role(EDITORS), is_staff=True, first_name="Eddie")


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def trainer(db):
    return make_user("tara", role(TRAINERS))
