"""Signing in the long way in tests: the code an authenticator app would show."""

from django_otp.plugins.otp_totp.models import TOTPDevice

from demo.management.commands.demo_code import code_for

__all__ = ["app_of", "code_for", "give_second_factor"]


def app_of(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def give_second_factor(client, user):
    """After the password: set up the app if the person has none, else enter its code."""
    device = app_of(user)
    if device is None:
        client.get("/two-factor/setup")
        device = TOTPDevice.objects.get(user=user, confirmed=False)
        response = client.post("/two-factor/setup", {"code": code_for(device)})
        assert response.status_code == 302, response.content.decode()[-2000:]
        client.get(response.url)  # the recovery codes, shown once
        return client
    response = client.post("/two-factor/code", {"code": code_for(device)})
    assert response.status_code == 302, response.content.decode()[-2000:]
    return client
