"""Password reset, for learners from the site's login page and for staff from the admin's:
request → email → the link → a new password → log in."""

import re

import pytest

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-brand-new-passphrase-7"
LINK = re.compile(r"https?://testserver(/accounts/reset/[^/\s]+/[^/\s]+/)")


def _reset_by_email(client, mailoutbox, email: str, start="/accounts/password_reset/") -> str:
    """Asks for a reset at `start`, follows the emailed link and sets NEW_PASSWORD; the page
    it ends on."""
    response = client.post(start, {"email": email}, follow=True)
    assert "Check your email" in response.content.decode()
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == [email]
    assert mail.subject == "Choose a new password for Termwise"
    link = LINK.search(mail.body)
    assert link, mail.body

    form_page = client.get(link.group(1), follow=True)
    assert "Choose a new password" in form_page.content.decode()
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )
    return done.content.decode()


def test_the_login_page_offers_a_reset(client):
    page = client.get("/accounts/login/").content.decode()
    assert 'href="/accounts/password_reset/"' in page


def test_the_admin_login_offers_the_reset(client):
    page = client.get("/admin/login/").content.decode()
    assert 'href="/admin/password_reset/"' in page
    reset_page = client.get("/admin/password_reset/").content.decode()
    assert "Reset your password" in reset_page
    assert 'class="site-header"' in reset_page  # the site's look, not the admin's


def test_a_learner_resets_the_password_and_logs_in(client, mailoutbox):
    learner = UserFactory(username="lena", email="lena@termwise.example", first_name="Lena")
    page = _reset_by_email(client, mailoutbox, "lena@termwise.example")

    assert "Your new password is saved" in page
    assert mailoutbox[0].body.startswith("Hello Lena,")
    assert "lena" in mailoutbox[0].body
    learner.refresh_from_db()
    assert learner.check_password(NEW_PASSWORD)
    response = client.post(
        "/accounts/login/", {"username": "lena", "password": NEW_PASSWORD}, follow=True
    )
    assert response.context["user"] == learner


def test_staff_reset_from_the_admin_and_get_into_the_admin(client, mailoutbox):
    UserFactory(username="eddie", email="eddie@termwise.example", is_staff=True)
    _reset_by_email(client, mailoutbox, "eddie@termwise.example", start="/admin/password_reset/")

    response = client.post(
        "/admin/login/?next=/admin/", {"username": "eddie", "password": NEW_PASSWORD}
    )
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_a_used_link_says_so_and_offers_a_new_one(client, mailoutbox):
    UserFactory(username="lena", email="lena@termwise.example")
    _reset_by_email(client, mailoutbox, "lena@termwise.example")
    again = client.get(LINK.search(mailoutbox[0].body).group(1), follow=True)
    page = again.content.decode()
    assert "This link no longer works" in page
    assert 'href="/accounts/password_reset/"' in page


def test_an_unknown_address_looks_the_same_and_sends_nothing(client, mailoutbox):
    response = client.post(
        "/accounts/password_reset/", {"email": "nobody@termwise.example"}, follow=True
    )
    assert "Check your email" in response.content.decode()
    assert mailoutbox == []
