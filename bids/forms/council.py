"""The council's other forms: partners, supporting documents, the declaration that submits
the bid, and withdrawing it."""

from crispy_forms_gds.layout import Field, Size
from django import forms

from core.forms.base import GovForm, counted_textarea, helper, long_text, short_text

from .. import documents
from ..eligibility import missing_core_sectors
from ..models import Sector
from ..questions import PARTNER_FIELDS
from .pages import VersionedForm

# 4. Partners ---------------------------------------------------------------------------


class PartnerForm(VersionedForm):
    name = short_text(
        "Name of the partner agency",
        "Enter the name of the partner agency",
        200,
        "The partner agency's name must be 200 characters or fewer",
    )
    sector = forms.ChoiceField(
        label="Which sector is the partner in?",
        choices=Sector.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the partner's sector",
            "invalid_choice": "Select the partner's sector",
        },
    )
    role = long_text(
        "What will the partner do in the trust?",
        required="Describe the partner's role in the trust",
        max_words=150,
        what="The partner's role",
        rows=4,
    )
    contact_name = short_text(
        "Named contact",
        "Enter the name of the partner's contact",
        150,
        "The contact's name must be 150 characters or fewer",
        help_text="The person at the partner agency who is responsible for its part in the trust.",
        widget=forms.TextInput(attrs={"spellcheck": "false"}),
    )
    contact_email = forms.EmailField(
        label="Contact's email address (optional)",
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"spellcheck": "false"}),
        error_messages={
            "invalid": "Enter the contact's email address in the correct format, like name@example.com",
            "max_length": "The contact's email address must be 254 characters or fewer",
        },
    )

    def __init__(self, *args, bid, partner=None, version=0, **kwargs):
        self.bid = bid
        initial = {field: getattr(partner, field) for field in PARTNER_FIELDS} if partner else {}
        initial["version"] = version
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        missing = missing_core_sectors(bid)
        if missing:
            self.fields["sector"].help_text = "Still needed: " + ", ".join(missing) + "."
        self.helper = helper(
            Field("version"),
            Field.text("name", field_width=30),
            Field.radios("sector", legend_size=Size.SMALL),
            Field.textarea("role", max_words=150, rows=4),
            Field.text("contact_name", field_width=20),
            Field.text("contact_email", field_width=20),
        )

    def values(self):
        return {field: self.cleaned_data.get(field) or "" for field in PARTNER_FIELDS}


# 9. Documents --------------------------------------------------------------------------


class DocumentForm(GovForm):
    file = forms.FileField(
        label="Upload a file",
        help_text=f"{documents.ALLOWED_WORDS.removeprefix('a ')}. Up to 10MB each, "
        f"{documents.MAX_FILES} files at most.",
        error_messages={
            "required": "Select a file to upload",
            "empty": "The selected file is empty",
            "invalid": "The selected file could not be uploaded – try again",
            "missing": "Select a file to upload",
        },
        widget=forms.ClearableFileInput,
    )

    def __init__(self, *args, existing_count=0, **kwargs):
        self.existing_count = existing_count
        super().__init__(*args, **kwargs)
        self.helper = helper(Field("file"))

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        self.checked = documents.check_upload(uploaded, self.existing_count)
        return uploaded


# Check your answers, and withdrawing -------------------------------------------------


class DeclarationForm(GovForm):
    declaration_confirmed = forms.BooleanField(
        error_messages={"required": "Confirm the declaration to submit your expression of interest"},
    )

    def __init__(self, *args, bid, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["declaration_confirmed"].label = (
            f"I confirm that the information in this expression of interest is correct and that I am "
            f"authorised to submit it on behalf of {bid.authority.name}"
        )
        self.helper = helper(Field.checkbox("declaration_confirmed"))


WITHDRAW_REASON_LIMIT = 1000


class WithdrawForm(GovForm):
    reason = forms.CharField(
        label="Why are you withdrawing this bid?",
        help_text="The programme team will see this.",
        max_length=WITHDRAW_REASON_LIMIT,
        widget=counted_textarea(),
        error_messages={
            "required": "Enter the reason you are withdrawing the bid",
            "max_length": f"The reason must be {WITHDRAW_REASON_LIMIT:,} characters or fewer",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = helper(
            Field.textarea("reason", max_characters=WITHDRAW_REASON_LIMIT, rows=5, label_size=Size.MEDIUM)
        )
