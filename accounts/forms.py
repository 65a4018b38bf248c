from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size
from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import get_user_model

from core.forms.base import GovForm
from reference.models import LocalAuthority

from .mail import queue_email
from .models import Role
from .passwords import set_password_link

User = get_user_model()


def gds_helper(*fields, submit="Continue"):
    helper = FormHelper()
    helper.form_tag = False
    if fields:
        helper.layout = Layout(*fields)
    helper.submit_text = submit
    return helper


class SignInForm(auth_forms.AuthenticationForm):
    username = forms.EmailField(
        label="Email address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
        },
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Enter your password"},
    )
    error_messages = {
        "invalid_login": "Enter the email address and password for your account. "
        "Both are case sensitive for the password.",
        "inactive": "This account has been closed. Contact the programme team.",
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.helper = gds_helper(
            Field.text("username", field_width=20), Field.text("password", field_width=20)
        )


class PasswordResetForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(Field.text("email", field_width=20))


class SetPasswordForm(auth_forms.SetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = "New password"
        self.fields[
            "new_password1"
        ].help_text = "At least 8 characters. Not a common password, and not only numbers."
        self.fields["new_password1"].error_messages["required"] = "Enter a new password"
        self.fields["new_password2"].label = "Confirm new password"
        self.fields["new_password2"].error_messages["required"] = "Confirm your new password"
        self.error_messages["password_mismatch"] = "The passwords you entered do not match"  # noqa: S105
        self.helper = gds_helper(
            Field.text("new_password1", field_width=20), Field.text("new_password2", field_width=20)
        )


class InviteUserForm(forms.ModelForm):
    """An admin invites someone: they get an email with a link to choose a password."""

    class Meta:
        model = User
        fields = ["full_name", "email", "job_title", "role", "local_authority"]
        labels = {
            "full_name": "Full name",
            "email": "Email address",
            "job_title": "Job title (optional)",
            "local_authority": "Local authority (council users only)",
        }
        error_messages = {
            "full_name": {"required": "Enter the person's full name"},
            "email": {
                "required": "Enter the person's email address",
                "invalid": "Enter an email address in the correct format, like name@example.com",
                "unique": "An account with this email address already exists",
            },
            "role": {"required": "Select the person's role"},
        }

    def __init__(self, *args, invited_by, **kwargs):
        super().__init__(*args, **kwargs)
        self.invited_by = invited_by
        self.fields["role"].choices = Role.choices
        self.fields["role"].widget = forms.RadioSelect(choices=Role.choices)
        self.fields["local_authority"].queryset = LocalAuthority.objects.order_by("name")
        self.fields["local_authority"].empty_label = "Choose a local authority"
        self.helper = gds_helper(
            Field.text("full_name", field_width=20),
            Field.text("email", field_width=20),
            Field.text("job_title", field_width=20),
            Field.radios("role", legend_size=Size.SMALL),
            Field.select("local_authority"),
        )

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError("An account with this email address already exists")
        return email

    def clean(self):
        cleaned = super().clean()
        role, authority = cleaned.get("role"), cleaned.get("local_authority")
        if role == Role.COUNCIL and not authority:
            self.add_error("local_authority", "Choose the local authority this council user works for")
        elif role and role != Role.COUNCIL and authority:
            self.add_error(
                "local_authority", "Only council users belong to a local authority: leave this empty"
            )
        return cleaned

    def save(self, commit=True):
        user = super().save(commit=False)
        user.set_unusable_password()
        user.invited_by = self.invited_by
        user.is_staff = user.role == Role.ADMIN
        if commit:
            user.save()
            queue_email(
                [user.email],
                "invitation",
                {"user": user, "invited_by": self.invited_by, "link": set_password_link(user)},
            )
        return user


class SecondFactorCodeForm(GovForm):
    """A code from the authenticator app (or, when signing in, a recovery code)."""

    code = forms.CharField(
        label="Code from your authenticator app",
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
        ),
        error_messages={
            "required": "Enter the code from your authenticator app",
            "max_length": "Enter the 6-digit code from your authenticator app",
        },
    )

    def __init__(self, *args, hint="", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].help_text = hint
        self.helper = gds_helper(Field.text("code", field_width=10))
