"""The pages a person meets when something is wrong or forgotten: the 500 and 503 pages and
every step of the password reset, at desktop and phone size."""

import re
from unittest import mock

import pytest
from django.core import mail
from django.db import OperationalError
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, PHONE
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_error_and_password_reset_pages_fit_pass_axe_and_are_captured(
    live_server, browser, look_at, size
):
    UserFactory(username="lena", email="lena@termwise.example", first_name="Lena")
    context = browser.new_context(viewport=DESKTOP if size == "desktop" else PHONE)
    page = context.new_page()

    def check(name):
        look_at(page, f"{name}-{size}")

    for error, name, heading in [
        (RuntimeError("boom"), "500", "Something went wrong on our side"),
        (OperationalError("connection refused"), "503", "Back in a moment"),
    ]:
        with mock.patch("glossary.models.TermQuerySet.published", side_effect=error):
            response = page.goto(f"{live_server.url}/terms/")
        assert response.status == int(name)
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        expect(page.locator(".request-id code")).to_have_text(response.headers["x-request-id"])
        check(name)

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("link", name="Forgotten your password?").click()
    # The click starts a navigation: measuring before the new page is there can find no
    # document at all (a flaky failure in CI).
    expect(page.get_by_role("heading", level=1)).to_have_text("Reset your password")
    check("password-reset-form")
    page.get_by_label("Email").fill("lena@termwise.example")
    page.get_by_role("button", name="Send me the link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    check("password-reset-done")

    link = re.search(r"https?://\S+/reset/\S+/", mail.outbox[-1].body).group(0)
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose a new password")
    check("password-reset-confirm")
    page.get_by_label("New password", exact=True).fill("a-brand-new-passphrase-7")
    page.get_by_label("New password confirmation").fill("a-brand-new-passphrase-7")
    page.get_by_role("button", name="Save my new password").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your new password is saved")
    check("password-reset-complete")
    context.close()
