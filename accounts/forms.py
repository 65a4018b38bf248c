from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size
from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import get_user_model

from core.forms.base import GovForm, counted_textarea, helper
from core.forms.layout import Reveal
from reference.models import LocalAuthority

from .invitations import TAKEN
from .models import Role
from .people import REASON_LIMIT

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
        "inactive": "Your account has been deactivated. Contact the programme team if you need to use "
        "the service again.",
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.helper = gds_helper(
            Field.text("username", field_width=20), Field.text("password", field_width=20)
        )

    def get_invalid_login_error(self):
        """A deactivated account's own password gets the reason it cannot sign in; anyone
        else, whether the address is known or not, gets the usual message."""
        email = (self.cleaned_data.get("username") or "").strip()
        password = self.cleaned_data.get("password")
        closed = User.objects.filter(email__iexact=email, is_active=False).first() if email else None
        if closed is not None and password and closed.check_password(password):
            return forms.ValidationError(self.error_messages["inactive"], code="inactive")
        return super().get_invalid_login_error()


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


class InvitationForm(forms.ModelForm):
    """Whom to invite: they get an email with a link to choose a password
    (accounts/invitations.py makes the account and sends it)."""

    class Meta:
        model = User
        fields = ["full_name", "email", "job_title"]
        labels = {
            "full_name": "Full name",
            "email": "Email address",
            "job_title": "Job title (optional)",
        }
        error_messages = {
            "full_name": {
                "required": "Enter the person's full name",
                "max_length": "The full name must be 150 characters or fewer",
            },
            "email": {
                "required": "Enter the person's email address",
                "invalid": "Enter an email address in the correct format, like name@example.com",
                "unique": TAKEN,
                "max_length": "The email address must be 254 characters or fewer",
            },
            "job_title": {"max_length": "The job title must be 150 characters or fewer"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.pop("maxlength", None)  # explained on the page, not cut off
        self.fields["email"].widget.attrs.update(autocomplete="off", spellcheck="false")
        self.helper = gds_helper(
            Field.text("full_name", field_width=20),
            Field.text("email", field_width=20),
            Field.text("job_title", field_width=20),
            *self.more_fields(),
        )

    def more_fields(self):
        return []

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(TAKEN)
        return email


class InviteUserForm(InvitationForm):
    """An administrator invites anyone, in any role."""

    class Meta(InvitationForm.Meta):
        fields = [*InvitationForm.Meta.fields, "role", "local_authority"]
        labels = {**InvitationForm.Meta.labels, "local_authority": "Local authority (council users only)"}
        error_messages = {
            **InvitationForm.Meta.error_messages,
            "role": {"required": "Select the person's role", "invalid_choice": "Select the person's role"},
            "local_authority": {"invalid_choice": "Choose a local authority from the list"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = Role.choices
        self.fields["role"].widget = forms.RadioSelect(choices=Role.choices)
        authority_choice(self.fields["local_authority"])

    def more_fields(self):
        return [Field.radios("role", legend_size=Size.SMALL), Field.select("local_authority")]

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


class InviteColleagueForm(InvitationForm):
    """A bid lead invites a colleague: always a council user of the bid lead's own authority,
    so the form asks nothing else (a posted role or authority is not read)."""


def authority_choice(field):
    """The 150 authorities as a select that static/js/autocomplete.mjs turns into GOV.UK's
    accessible autocomplete; without JavaScript it stays a plain select."""
    field.queryset = LocalAuthority.objects.order_by("name")
    field.empty_label = "Choose a local authority"
    field.widget.attrs["data-module"] = "app-autocomplete"
    field.error_messages["invalid_choice"] = "Choose a local authority from the list"


class AccessReasonForm(GovForm):
    """Why someone's access is changed, as their History list keeps it (a change reason
    holds at most REASON_LIMIT characters)."""

    def __init__(self, *args, label, hint="", required_message="", **kwargs):
        super().__init__(*args, **kwargs)
        too_long = f"The reason must be {REASON_LIMIT} characters or fewer"
        self.fields["reason"] = forms.CharField(
            label=label,
            help_text=hint,
            required=bool(required_message),
            max_length=REASON_LIMIT,
            widget=counted_textarea(rows=3),
            error_messages={"required": required_message, "max_length": too_long},
        )
        self.fields["reason"].widget.attrs.pop("maxlength", None)
        self.helper = helper(*self.layout(), self.reason_layout())

    def layout(self):
        return []

    def reason_layout(self):
        return Field.textarea("reason", label_size=Size.MEDIUM, max_characters=REASON_LIMIT, rows=3)


class ChangeRoleForm(AccessReasonForm):
    """An administrator changes someone's role. A council user needs an authority and may be
    its bid lead; for officials both are cleared, whatever the page sent."""

    role = forms.ChoiceField(
        label="Role",
        choices=Role.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select a role", "invalid_choice": "Select a role"},
    )
    local_authority = forms.ModelChoiceField(
        label="Local authority",
        queryset=LocalAuthority.objects.none(),
        required=False,
    )
    is_bid_lead = forms.BooleanField(
        label="Bid lead for their council",
        help_text="A bid lead can invite colleagues from their own council and remove them.",
        required=False,
    )

    def __init__(self, *args, person, **kwargs):
        super().__init__(
            *args,
            label="Why are you making this change?",
            hint="This is kept in their history.",
            required_message="Enter why you are making this change",
            initial={
                "role": person.role,
                "local_authority": person.local_authority_id,
                "is_bid_lead": person.is_bid_lead,
            },
            **kwargs,
        )
        self.person = person
        authority_choice(self.fields["local_authority"])

    def layout(self):
        return [
            Reveal(
                "role",
                {Role.COUNCIL: [Field.select("local_authority"), Field.checkbox("is_bid_lead")]},
                legend_size=Size.MEDIUM,
            )
        ]

    def clean(self):
        cleaned = super().clean()
        role = cleaned.get("role")
        if role and role != Role.COUNCIL:
            cleaned["local_authority"], cleaned["is_bid_lead"] = None, False
        elif (
            role == Role.COUNCIL
            and not cleaned.get("local_authority")
            and "local_authority" not in self.errors
        ):
            self.add_error("local_authority", "Choose the local authority this council user works for")
        if role and not self.errors:
            person = self.person
            if (role, cleaned["local_authority"], cleaned["is_bid_lead"]) == (
                person.role,
                person.local_authority,
                person.is_bid_lead,
            ):
                self.add_error("role", "Choose a different role, local authority or bid lead, or cancel")
        return cleaned


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


class ConfirmForm(GovForm):
    """A change with nothing to ask: the button confirms it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = helper()
