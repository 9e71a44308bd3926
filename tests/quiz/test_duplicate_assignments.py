"""Assigning a quiz to people who already have it open warns, links to what is there and asks
for confirmation; the check runs again in the service when the confirmed form is applied."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from quiz import services
from quiz.models import Assignment
from tests.factories import UserFactory
from tests.quiz.factories import QuizFactory, make_assignment

pytestmark = pytest.mark.django_db

NEW = "/trainer/assignments/new/"


def _form(setup, **changes):
    data = {
        "quiz": setup.fixed.pk,
        "groups": [],
        "users": [],
        "due_date": (timezone.localdate() + timedelta(days=5)).isoformat(),
        "note": "",
    }
    data.update(changes)
    return data


def _seen(html: str) -> str:
    return re.search(r'name="seen_duplicates" value="([^"]*)"', html).group(1)


@pytest.mark.parametrize(
    "who",
    [
        "the same group",
        "a member of the group, by name",
        "a group with a member of the group",
    ],
)
def test_assigning_an_open_quiz_again_warns_and_links_to_it(trainer_client, training, who):
    ada = training.learners[0]
    other_group = Group.objects.create(name="Night shift")
    ada.groups.add(other_group)
    changes = {
        "the same group": {"groups": [training.team.pk]},
        "a member of the group, by name": {"users": [ada.pk]},
        "a group with a member of the group": {"groups": [other_group.pk]},
    }[who]
    response = trainer_client.post(NEW, _form(training, **changes))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Already assigned" in html
    assert f'href="/trainer/assignments/{training.assignment.pk}/"' in html
    assert "for Front desk (group)" in html
    assert 'name="assign_again"' in html and _seen(html) == str(training.assignment.pk)
    assert Assignment.objects.count() == 1


def test_no_warning_for_other_people_another_quiz_or_an_archived_one(trainer_client, training):
    response = trainer_client.post(NEW, _form(training, users=[training.outsider.pk]))
    assert response.status_code == 303
    other_quiz = QuizFactory(slug="other", scenarios=training.scenarios)
    response = trainer_client.post(
        NEW, _form(training, quiz=other_quiz.pk, groups=[training.team.pk])
    )
    assert response.status_code == 303
    services.set_archived(assignment=training.assignment, archived=True)
    response = trainer_client.post(NEW, _form(training, groups=[training.team.pk]))
    assert response.status_code == 303
    assert Assignment.objects.count() == 4


def test_confirming_assigns_it_again(trainer_client, training):
    form = _form(training, groups=[training.team.pk])
    warned = trainer_client.post(NEW, form).content.decode()
    form.update(seen_duplicates=_seen(warned), assign_again="on")
    response = trainer_client.post(NEW, form)
    assert response.status_code == 303
    assert Assignment.objects.filter(quiz=training.fixed).count() == 2


def test_the_box_unticked_still_warns(trainer_client, training):
    form = _form(training, groups=[training.team.pk])
    warned = trainer_client.post(NEW, form).content.decode()
    form.update(seen_duplicates=_seen(warned))
    assert trainer_client.post(NEW, form).status_code == 200
    assert Assignment.objects.count() == 1


def test_a_double_submit_makes_one_assignment(trainer_client, training):
    form = _form(training, users=[training.outsider.pk])
    first = trainer_client.post(NEW, form)
    second = trainer_client.post(NEW, form)
    assert first.status_code == 303 and second.status_code == 200
    assert "Already assigned" in second.content.decode()
    assert Assignment.objects.filter(users=training.outsider).count() == 1


def test_a_confirmed_form_sent_twice_makes_one_more_assignment(trainer_client, training):
    form = _form(training, groups=[training.team.pk])
    form.update(seen_duplicates=_seen(trainer_client.post(NEW, form).content.decode()))
    form.update(assign_again="on")
    first = trainer_client.post(NEW, form)
    second = trainer_client.post(NEW, form)
    assert first.status_code == 303 and second.status_code == 200
    # The second names the assignment the first made, which nobody confirmed.
    made = Assignment.objects.latest("pk")
    html = second.content.decode()
    assert f'href="/trainer/assignments/{made.pk}/"' in html
    assert set(_seen(html).split(",")) == {str(training.assignment.pk), str(made.pk)}
    assert Assignment.objects.filter(quiz=training.fixed).count() == 2


def test_a_confirmation_does_not_cover_an_assignment_made_since(trainer_client, training):
    form = _form(training, groups=[training.team.pk])
    form.update(seen_duplicates=_seen(trainer_client.post(NEW, form).content.decode()))
    # Another trainer assigns the quiz to one of them meanwhile.
    since = make_assignment(training.fixed, users=[training.learners[1]])
    form.update(assign_again="on")
    response = trainer_client.post(NEW, form)
    assert response.status_code == 200
    assert f'href="/trainer/assignments/{since.pk}/"' in response.content.decode()
    assert Assignment.objects.count() == 2


def test_the_service_checks_again_whatever_the_form_saw(training):
    values = {
        "trainer": training.trainer,
        "quiz": training.fixed,
        "users": [training.learners[2]],
        "groups": [],
        "due_date": timezone.localdate() + timedelta(days=3),
    }
    with pytest.raises(services.DuplicateAssignment) as caught:
        services.save_assignment(**values)
    assert caught.value.duplicates == [training.assignment]
    with pytest.raises(services.DuplicateAssignment):
        services.save_assignment(**values, confirmed_duplicates=[999])
    made = services.save_assignment(**values, confirmed_duplicates=[training.assignment.pk])
    assert made.pk and Assignment.objects.count() == 2


def test_the_service_refusing_leaves_the_form_with_the_warning(
    trainer_client, training, monkeypatch
):
    """An assignment made between the form's check and the service's: the service's check
    stops it, and the page warns as the form would have."""
    form = _form(training, users=[training.outsider.pk])
    original = services.open_duplicates
    calls = []

    def preview_sees_nothing(**kwargs):
        calls.append(kwargs)
        if len(calls) == 1:
            make_assignment(training.fixed, users=[training.outsider])
            return []
        return original(**kwargs)

    monkeypatch.setattr(services, "open_duplicates", preview_sees_nothing)
    response = trainer_client.post(NEW, form)
    assert response.status_code == 200 and "Already assigned" in response.content.decode()
    assert Assignment.objects.filter(users=training.outsider).count() == 1


def test_editing_an_assignment_is_no_duplicate_of_itself(trainer_client, training):
    url = f"/trainer/assignments/{training.assignment.pk}/edit/"
    response = trainer_client.post(url, _form(training, groups=[training.team.pk], note="x"))
    assert response.status_code == 303


def test_editing_into_a_duplicate_warns(trainer_client, training):
    other = make_assignment(training.fixed, users=[training.outsider])
    url = f"/trainer/assignments/{other.pk}/edit/"
    response = trainer_client.post(url, _form(training, users=[training.learners[0].pk]))
    assert response.status_code == 200
    assert f'href="/trainer/assignments/{training.assignment.pk}/"' in response.content.decode()
    other.refresh_from_db()
    assert list(other.users.all()) == [training.outsider]


def test_an_inactive_person_is_no_duplicate(trainer_client, training):
    gone = UserFactory(username="gone", is_active=False)
    make_assignment(training.fixed, users=[gone])
    # Inactive people cannot be chosen on the form; the service counts active people only.
    assert not services.open_duplicates(quiz=training.fixed, users=[gone], groups=[])
