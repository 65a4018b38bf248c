"""Officials sign in with a second factor: an authenticator app (TOTP) with one-time
recovery codes. Councils may turn one on. The Django admin is behind it too, an
administrator can reset someone's (audited), and officials are signed out when idle."""

import io
import re
import time

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.middleware import LAST_SEEN
from accounts.models import AccountEvent, Role
from tests import factories
from tests.second_factor import code_for, give_second_factor

pytestmark = pytest.mark.django_db


def signed_in_with_password(user, address="192.0.2.10"):
    client = Client(REMOTE_ADDR=address)
    response = client.post("/sign-in", {"username": user.email, "password": factories.PASSWORD})
    assert response.status_code == 302
    return client


@pytest.mark.parametrize("role", [Role.ASSESSOR, Role.LEAD, Role.ADMIN])
def test_an_official_sets_up_an_app_at_first_sign_in_and_can_do_nothing_else_first(role):
    official = factories.user(role)
    client = signed_in_with_password(official)
    for page in ["/", "/programme/ranking", "/awards", "/users", "/conflicts", "/django-admin/"]:
        response = client.get(page)
        assert response.status_code == 302 and response.url.startswith("/two-factor/setup"), page
    setup = client.get("/two-factor/setup").content.decode()
    assert "<svg" in setup and "Set up your authenticator app" in setup
    key = re.search(r'id="key">([A-Z2-7 ]+)<', setup).group(1)
    device = TOTPDevice.objects.get(user=official, confirmed=False)
    assert key.replace(" ", "") in device.config_url
    wrong = client.post("/two-factor/setup", {"code": "000000" if code_for(device) != "000000" else "111111"})
    assert "The code is not right" in wrong.content.decode()
    with time_machine.travel(time.time() + 2):  # after a wrong code, django-otp makes you wait
        done = client.post("/two-factor/setup", {"code": code_for(device)})
        codes_page = client.get(done.url).content.decode()
        assert len(re.findall(r"<li><code>(\w+)</code></li>", codes_page)) == 10
        assert client.get("/").status_code == 200
    assert AccountEvent.objects.filter(user=official, kind=AccountEvent.Kind.SECOND_FACTOR_SET_UP).exists()


def test_at_every_later_sign_in_an_official_gives_a_code_from_the_app():
    lead = factories.user(Role.LEAD)
    give_second_factor(signed_in_with_password(lead), lead)
    client = signed_in_with_password(lead)
    response = client.get("/programme/ranking")
    assert response.url.startswith("/two-factor/code")
    assert "wrong" not in client.post("/two-factor/code", {"code": "12"}).content.decode()
    refused = client.post("/two-factor/code", {"code": "999999x"}).content.decode()
    assert "The code is not right" in refused
    device = TOTPDevice.objects.get(user=lead, confirmed=True)
    with time_machine.travel(time.time() + 31):  # a fresh code, past the one just refused
        accepted = client.post("/two-factor/code?next=/programme/ranking", {"code": code_for(device)})
        assert accepted.url == "/programme/ranking"
        assert client.get("/").status_code == 200


def test_a_recovery_code_works_once_in_place_of_the_app():
    assessor = factories.user(Role.ASSESSOR)
    first = signed_in_with_password(assessor)
    first.get("/two-factor/setup")
    device = TOTPDevice.objects.get(user=assessor, confirmed=False)
    codes_page = first.get(first.post("/two-factor/setup", {"code": code_for(device)}).url).content.decode()
    recovery = re.findall(r"<li><code>(\w+)</code></li>", codes_page)[0]
    client = signed_in_with_password(assessor)
    assert client.post("/two-factor/code", {"code": recovery}).status_code == 302
    assert client.get("/").status_code == 200
    again = signed_in_with_password(assessor)
    assert "The code is not right" in again.post("/two-factor/code", {"code": recovery}).content.decode()
    assert StaticDevice.objects.get(user=assessor).token_set.count() == 9
    assert AccountEvent.objects.filter(user=assessor, kind=AccountEvent.Kind.RECOVERY_CODE_USED).count() == 1


def test_a_council_user_signs_in_without_a_code_and_may_turn_one_on_and_off():
    council = factories.user(Role.COUNCIL, "KEN")
    client = signed_in_with_password(council)
    assert client.get("/").status_code == 200
    page = client.get("/account").content.decode()
    assert "Turn on a second factor" in page
    give_second_factor(client, council)
    # From now on a code is needed, and nothing can be turned off with the password alone.
    later = signed_in_with_password(council)
    assert later.get("/").url.startswith("/two-factor/code")
    assert later.post("/account/turn-off-second-factor").url.startswith("/two-factor/code")
    assert TOTPDevice.objects.filter(user=council, confirmed=True).exists()
    response = client.post("/account/turn-off-second-factor")
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=council).exists()
    assert client.get("/").status_code == 200  # the session that turned it off carries on
    assert signed_in_with_password(council).get("/").status_code == 200


def test_an_official_cannot_turn_the_second_factor_off(client_for, lead):
    TOTPDevice.objects.create(user=lead, name="Authenticator app", confirmed=True)
    assert client_for(lead).post("/account/turn-off-second-factor").status_code == 403
    assert TOTPDevice.objects.filter(user=lead).exists()


def test_an_administrator_resets_a_second_factor_and_it_is_recorded(
    client_for, admin_user, django_capture_on_commit_callbacks
):
    assessor = factories.user(Role.ASSESSOR)
    theirs = give_second_factor(signed_in_with_password(assessor), assessor)
    assert theirs.get("/").status_code == 200
    admin = client_for(admin_user)
    users_page = admin.get("/users").content.decode()
    address = reverse("accounts:reset-second-factor", args=[assessor.pk])
    assert address in users_page
    assert "Enter the reason" in admin.post(address, {}).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(address, {"reason": "Phone lost on the train."})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=assessor).exists()
    event = AccountEvent.objects.get(user=assessor, kind=AccountEvent.Kind.SECOND_FACTOR_RESET)
    assert event.actor == admin_user and event.reason == "Phone lost on the train."
    (email,) = [message for message in mail.outbox if assessor.email in message.to]
    assert "Phone lost on the train." in email.body
    # Their sessions end, and they set up an app again at their next sign-in.
    assert theirs.get("/").url.startswith("/sign-in")
    assert signed_in_with_password(assessor).get("/").url.startswith("/two-factor/setup")


def test_only_administrators_reset_second_factors(client_for, lead):
    assessor = factories.user(Role.ASSESSOR)
    TOTPDevice.objects.create(user=assessor, name="Authenticator app", confirmed=True)
    address = reverse("accounts:reset-second-factor", args=[assessor.pk])
    assert client_for(lead).post(address, {"reason": "x"}).status_code == 403
    assert TOTPDevice.objects.filter(user=assessor).exists()


def test_the_django_admin_is_for_superusers_behind_the_second_factor_too():
    superuser = factories.user(Role.ADMIN, is_superuser=True, is_staff=True)
    give_second_factor(signed_in_with_password(superuser), superuser)
    client = signed_in_with_password(superuser)
    assert client.get("/django-admin/").url.startswith("/two-factor/code")
    client.post("/two-factor/code", {"code": code_for(TOTPDevice.objects.get(user=superuser))})
    assert client.get("/django-admin/").status_code == 200
    # The programme's administrators do their work on the service's own pages.
    administrator = Client()
    administrator.force_login(factories.user(Role.ADMIN))
    assert administrator.get("/django-admin/").url.startswith("/django-admin/login/")


def test_demo_code_prints_the_code_and_is_refused_in_production(settings):
    lead = factories.user(Role.LEAD, email="lead.demo@doh.example")
    device = TOTPDevice.objects.create(user=lead, name="Authenticator app", confirmed=True)

    def demo_code(email):
        printed = io.StringIO()
        call_command("demo_code", email, stdout=printed)
        return printed.getvalue().strip()

    # The code signs in; asked again straight after, it prints the next one, which also does.
    code = demo_code("Lead.Demo@doh.example")
    assert re.fullmatch(r"\d{6}", code) and device.verify_token(code)
    again = demo_code(lead.email)
    assert again != code and device.verify_token(again)
    with pytest.raises(CommandError, match="sign in without a code"):
        demo_code(factories.user(Role.COUNCIL).email)
    with pytest.raises(CommandError, match="no account"):
        demo_code("nobody@doh.example")
    settings.DEBUG = False
    settings.TESTING = False
    with pytest.raises(CommandError, match="development only"):
        call_command("demo_code", lead.email, stdout=io.StringIO())


def test_an_idle_official_is_signed_out_and_told_why(client_for, lead, settings):
    client = client_for(lead)
    assert client.get("/").status_code == 200
    with time_machine.travel(time.time() + settings.OFFICIAL_IDLE_MINUTES * 60 + 5):
        response = client.get("/awards")
        assert response.status_code == 302 and response.url.startswith("/sign-in")
        page = client.get(response.url).content.decode()
        assert f"had not done anything for {settings.OFFICIAL_IDLE_MINUTES} minutes" in page


def test_staying_signed_in_resets_the_clock_but_a_page_polling_by_itself_does_not(client_for, lead, settings):
    client = client_for(lead)
    client.get("/")
    idle = settings.OFFICIAL_IDLE_MINUTES * 60
    with time_machine.travel(time.time() + idle - 60):
        client.get("/reports", HTTP_X_BACKGROUND_REQUEST="1")
        assert client.post("/session/keep-alive").status_code == 204  # the clock starts again
    with time_machine.travel(time.time() + idle + 60):
        assert client.get("/awards").status_code == 200
    with time_machine.travel(time.time() + 2 * idle + 120):
        assert client.get("/awards").url.startswith("/sign-in")


def test_a_council_user_is_not_timed_out_like_an_official(client_for, kent_user, settings):
    client = client_for(kent_user)
    client.get("/")
    with time_machine.travel(time.time() + settings.OFFICIAL_IDLE_MINUTES * 60 + 60):
        assert client.get("/").status_code == 200
        assert LAST_SEEN not in client.session


def test_officials_pages_carry_the_timeout_warning(client_for, lead, kent_user):
    assert 'data-module="app-timeout-warning"' in client_for(lead).get("/").content.decode()
    assert 'data-module="app-timeout-warning"' not in client_for(kent_user).get("/").content.decode()


def test_guessing_codes_is_slowed_down_and_the_page_says_how_long_to_wait():
    lead = factories.user(Role.LEAD)
    give_second_factor(signed_in_with_password(lead), lead)
    client = signed_in_with_password(lead)
    device = TOTPDevice.objects.get(user=lead)
    pages = [client.post("/two-factor/code", {"code": "123456"}).content.decode() for _ in range(4)]
    assert "Wait" in pages[-1] and "seconds" in pages[-1]
    assert (
        "The code is not right"
        in client.post("/two-factor/code", {"code": code_for(device)}).content.decode()
    )
