"""The award page and its actions in the browser's terms: what each shows, what each saves,
and every form's errors. Who may reach each URL is the authorisation matrix's."""

import io
import zipfile
from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook
from pypdf import PdfReader

from accounts.models import Role
from demo.content import minimal_pdf
from tests import factories
from tests.queries import queries_for
from trusts import awards, reviews
from trusts.enums import Audience, AwardState
from trusts.models import ConsultationActivity, FundingAward, Trust

from .conftest import award_in_state, consult

pytestmark = pytest.mark.django_db


def url(name, award, **extra):
    return reverse(f"trusts:{name}", kwargs={"pk": award.pk, **extra})


def people(kent_user, leeds_user, assessor, lead, admin_user, award):
    factories.assign(award.bid, assessor, lead)
    return {
        "council of the authority": kent_user,
        "council of another authority": leeds_user,
        "assessor assigned to the bid": assessor,
        "lead": lead,
        "admin": admin_user,
    }


READERS = {
    "council of the authority": 200,
    "council of another authority": 404,
    "assessor assigned to the bid": 404,
    "lead": 200,
    "admin": 200,
}


def test_award_page_shows_amounts_conditions_and_history(client_for, lead, kent_user, open_round):
    award = award_in_state(
        AwardState.ACCEPTED, lead=lead, council=kent_user, funding_round=open_round, supplement=25000
    )
    page = client_for(kent_user).get(url("award", award)).content.decode()
    for text in [
        "Funding award: Kent County Council",
        award.bid.reference,
        "£60,000",
        "£25,000 for a large or complex trust",
        "Covers three primary care trusts.",
        "£85,000",
        "Accepted",
        "consult widely with local communities, partner agencies and all staff involved in the trust",
        "The terms as signed",
        "0 of 3 groups consulted",
        "Record a consultation activity",
        "Pilot trust: Kent Children&#x27;s Trust",
        "Award accepted",
        f"by {lead.full_name}",
    ]:
        assert text in page, text
    lead_page = client_for(lead).get(url("award", award)).content.decode()
    assert "Record a consultation activity" not in lead_page
    assert "You can confirm the consultation condition once consultation has been recorded with" in lead_page
    assert "Withdraw the offer" in lead_page


def test_award_letter_is_a_pdf_attachment_with_the_offer(award, client_for, kent_user, lead):
    response = client_for(kent_user).get(url("award-letter", award))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="award-letter-{award.bid.reference}.pdf"'
    text = " ".join(
        " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages).split()
    )
    offered = timezone.localtime(award.offered_at)
    operational = award.bid.funding_round.operational_on
    for expected in [
        "Kent County Council",
        award.bid.reference,
        "Base award £60,000",
        "Total award £60,000",
        "consult widely with local communities, partner agencies and all staff",
        f"Date of offer: {offered.day} {offered:%B %Y}",
        f"operational by {operational.day} {operational:%B %Y}",
        lead.full_name,
    ]:
        assert expected in text, expected


# Responding to the offer ------------------------------------------------------------


def test_accepting_needs_the_confirmation_then_sets_up_the_trust(award, client_for, kent_user):
    client = client_for(kent_user)
    signed = {"signatory_name": "Graham Badman", "signatory_job_title": "Director of Children's Services"}
    response = client.post(url("accept", award), {"expected_state": "offered", **signed})
    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Accept the award" in page
    assert 'href="#id_confirm"' in page
    assert "Confirm that you have authority to commit Kent County Council" in page
    response = client.post(
        url("accept", award), {"expected_state": "offered", "confirm": "on", **signed}, follow=True
    )
    assert response.redirect_chain[-1][0] == url("award", award)
    assert (
        "You have accepted the award and signed its grant agreement. Kent Children&#x27;s Trust is set up"
        in response.content.decode()
    )
    assert FundingAward.objects.get(pk=award.pk).state == AwardState.ACCEPTED
    assert Trust.objects.filter(award=award).exists()


def test_an_answered_offer_cannot_be_answered_again(award, client_for, kent_user):
    awards.accept(award, kent_user, **factories.SIGNATORY)
    response = client_for(kent_user).get(url("decline", award), follow=True)
    assert response.redirect_chain[-1][0] == url("award", award)
    assert "This award is accepted. There is nothing to do here." in response.content.decode()


def test_declining_asks_why_and_warns_of_the_consequences(award, client_for, kent_user):
    client = client_for(kent_user)
    page = client.get(url("decline", award)).content.decode()
    assert "You cannot undo this" in page and "The place may be offered to another council" in page
    errors = client.post(url("decline", award), {"expected_state": "offered", "reason": ""}).content.decode()
    assert "Enter the reason Kent County Council is declining the award" in errors
    long = client.post(
        url("decline", award), {"expected_state": "offered", "reason": "word " * 301}
    ).content.decode()
    assert "The reason must be 300 words or fewer" in long and "word word" in long
    client.post(url("decline", award), {"expected_state": "offered", "reason": "No capacity this year"})
    declined = FundingAward.objects.get(pk=award.pk)
    assert (declined.state, declined.decline_reason) == ("declined", "No capacity this year")


def test_a_stale_form_is_refused_with_an_explanation(award, client_for, kent_user, lead):
    awards.accept(award, kent_user, **factories.SIGNATORY)  # meanwhile, in another tab
    response = client_for(lead).post(
        url("withdraw", award), {"expected_state": "offered", "reason": "Budget cut"}
    )
    page = response.content.decode()
    assert "has changed since you opened it: it is now accepted. Nothing was changed." in page
    assert FundingAward.objects.get(pk=award.pk).state == AwardState.ACCEPTED


def test_withdrawing_needs_a_reason(award, client_for, lead):
    client = client_for(lead)
    page = client.post(url("withdraw", award), {"expected_state": "offered", "reason": " "}).content.decode()
    assert "Enter the reason you are withdrawing the offer" in page
    response = client.post(url("withdraw", award), {"expected_state": "offered", "reason": "Budget cut"})
    assert response.status_code == 302
    assert FundingAward.objects.get(pk=award.pk).withdrawn_reason == "Budget cut"


# Consultation -----------------------------------------------------------------------


def activity_data(**overrides):
    day = timezone.localdate() - timedelta(days=2)
    data = {
        "held_on_day": str(day.day),
        "held_on_month": str(day.month),
        "held_on_year": str(day.year),
        "audience": "communities",
        "people_reached": "40",
        "summary": "A public meeting in the library.",
    }
    data.update(overrides)
    return data


@pytest.fixture
def accepted(award, kent_user):
    return awards.accept(award, kent_user, **factories.SIGNATORY)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"held_on_day": "", "held_on_month": "", "held_on_year": ""},
            "Enter the date the activity was held",
        ),
        ({"held_on_month": ""}, "The date the activity was held must include a month"),
        (
            {"held_on_day": "", "held_on_year": ""},
            "The date the activity was held must include a day and year",
        ),
        ({"held_on_day": "31", "held_on_month": "2", "held_on_year": "2003"}, "must be a real date"),
        ({"held_on_day": "tenth"}, "The date the activity was held must be a real date"),
        ({"held_on_year": "03"}, "Year must include 4 numbers"),
        ({"held_on_year": str(timezone.localdate().year + 1)}, "must be today or in the past"),
        ({"audience": ""}, "Select who was consulted"),
        ({"audience": "police"}, "Select a valid choice"),
        ({"people_reached": ""}, "Enter the number of people the activity reached"),
        ({"people_reached": "lots"}, "The number of people reached must be a whole number, like 40"),
        ({"people_reached": "2.5"}, "The number of people reached must be a whole number, like 40"),
        ({"people_reached": "0"}, "The number of people reached must be 1 or more"),
        ({"people_reached": "10000001"}, "The number of people reached must be 10,000,000 or fewer"),
        ({"summary": "  "}, "Enter a summary of the activity"),
        ({"summary": "word " * 301}, "The summary must be 300 words or fewer"),
    ],
)
def test_consultation_form_errors(changes, message, accepted, client_for, kent_user):
    response = client_for(kent_user).post(url("record-consultation", accepted), activity_data(**changes))
    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert "<title>Error: Record a consultation activity" in page
    assert 'class="govuk-error-summary"' in page
    assert not ConsultationActivity.objects.exists()


def test_consultation_form_keeps_what_was_typed_and_links_errors_to_fields(accepted, client_for, kent_user):
    page = (
        client_for(kent_user)
        .post(url("record-consultation", accepted), activity_data(held_on_month="", people_reached="lots"))
        .content.decode()
    )
    assert 'href="#id_held_on"' in page and 'href="#id_people_reached"' in page
    assert 'id="id_held_on"' in page  # the day box takes the field's id, so the link lands in it
    assert 'value="lots"' in page and "A public meeting in the library." in page
    month = 'name="held_on_month" class="govuk-input govuk-date-input__input govuk-input--width-2 govuk-input--error"'
    day = (
        'class="govuk-input govuk-date-input__input govuk-input--width-2" inputmode="numeric" id="id_held_on"'
    )
    assert month in page and day in page  # only the box to fix is marked


def docx_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


def odt_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office/>")
    return buffer.getvalue()


def xlsx_bytes():
    buffer = io.BytesIO()
    Workbook().save(buffer)
    return buffer.getvalue()


def upload(name, content):
    return SimpleUploadedFile(name, content)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("notes.pdf", b"just some text, not a PDF", "Its name ends in .pdf but it is not a PDF file"),
        ("notes.exe", b"MZ\x90\x00", "The selected file must be a PDF, DOCX, XLSX or ODT"),
        ("notes.docx", minimal_pdf("x"), "The selected file is a PDF but its name ends in .docx"),
        ("notes.pdf", b"", "The selected file is empty"),
    ],
)
def test_evidence_is_checked_by_its_content(name, content, message, accepted, client_for, kent_user):
    data = activity_data(evidence=upload(name, content))
    page = client_for(kent_user).post(url("record-consultation", accepted), data).content.decode()
    assert message in page
    assert not ConsultationActivity.objects.exists()


def test_evidence_larger_than_10mb_is_refused(accepted, client_for, kent_user):
    big = minimal_pdf("big") + b"0" * (10 * 1024 * 1024)
    page = (
        client_for(kent_user)
        .post(url("record-consultation", accepted), activity_data(evidence=upload("big.pdf", big)))
        .content.decode()
    )
    assert "The selected file must be smaller than 10MB" in page


@pytest.mark.parametrize(
    ("name", "make", "content_type"),
    [
        ("Meeting notes.pdf", lambda: minimal_pdf("Notes"), "application/pdf"),
        (
            "Briefing.docx",
            docx_bytes,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("Survey.xlsx", xlsx_bytes, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("Workshop.odt", odt_bytes, "application/vnd.oasis.opendocument.text"),
    ],
)
def test_evidence_is_stored_privately_and_downloaded_only_through_the_award(
    name, make, content_type, accepted, client_for, kent_user, leeds_user, lead, admin_user, assessor
):
    content = make()
    response = client_for(kent_user).post(
        url("record-consultation", accepted), activity_data(evidence=upload(name, content))
    )
    assert response.status_code == 302
    activity = ConsultationActivity.objects.get()
    assert activity.evidence_name == name.replace(" ", "_")
    assert activity.evidence_content_type == content_type
    assert activity.evidence.name.startswith("consultation/") and name not in activity.evidence.name
    assert default_storage.exists(activity.evidence.name)
    address = url("evidence", accepted, activity_pk=activity.pk)
    for person in (kent_user, lead, admin_user):
        download = client_for(person).get(address)
        assert download.status_code == 200
        assert b"".join(download.streaming_content) == content
        assert download["Content-Disposition"].startswith("attachment;")
        assert download["Content-Type"] == content_type
    factories.assign(accepted.bid, assessor, lead)
    for person in (leeds_user, assessor):
        assert client_for(person).get(address).status_code == 404


def test_recorded_activity_shows_on_the_award_with_progress(accepted, client_for, kent_user):
    response = client_for(kent_user).post(url("record-consultation", accepted), activity_data(), follow=True)
    page = response.content.decode()
    assert "Consultation with local communities recorded" in page
    assert "1 of 3 groups consulted" in page
    assert "1 activity, 40 people reached" in page


def test_council_cannot_record_consultation_before_accepting(award, client_for, kent_user):
    response = client_for(kent_user).get(url("record-consultation", award), follow=True)
    assert "Accept the award before you record consultation." in response.content.decode()


# The lead's steps -------------------------------------------------------------------


def test_condition_met_page_names_the_groups_still_missing_and_refuses(accepted, client_for, kent_user, lead):
    consult(accepted, kent_user, [Audience.COMMUNITIES])
    client = client_for(lead)
    page = client.get(url("conditions-met", accepted)).content.decode()
    assert "no consultation has been recorded with partner agencies and staff involved in the trust" in page
    assert "Confirm the condition is met</button>" not in page
    response = client.post(url("conditions-met", accepted), {"expected_state": "accepted"})
    page = response.content.decode()
    assert response.status_code == 200 and "<title>Error: " in page
    assert (
        "You cannot mark the consultation condition met yet: no consultation has been recorded with "
        "partner agencies and staff involved in the trust"
    ) in page
    assert FundingAward.objects.get(pk=accepted.pk).state == AwardState.ACCEPTED
    consult(accepted, kent_user, [Audience.AGENCIES, Audience.STAFF])
    response = client.post(url("conditions-met", accepted), {"expected_state": "accepted", "note": "Checked"})
    assert response.status_code == 302
    assert FundingAward.objects.get(pk=accepted.pk).state == AwardState.CONDITIONS_MET


# Who is refused the trust page is the authorisation matrix's (its "trusts:trust" row); these
# are the people it shows the trust to.
@pytest.mark.parametrize("who", [who for who, status in READERS.items() if status == 200])
def test_trust_page_follows_the_award(
    who, client_for, kent_user, leeds_user, assessor, lead, admin_user, open_round
):
    award = award_in_state(AwardState.ACCEPTED, lead=lead, council=kent_user, funding_round=open_round)
    person = people(kent_user, leeds_user, assessor, lead, admin_user, award)[who]
    address = reverse("trusts:trust", kwargs={"pk": award.trust.pk})
    response = client_for(person).get(address)
    assert response.status_code == READERS[who]
    if response.status_code == 200:
        page = response.content.decode()
        assert "Kent Children&#x27;s Trust" in page and "Joint partnership board" in page
        assert "Education partner" in page


def test_council_does_not_see_another_councils_award_in_any_way(client_for, lead, leeds_user, open_round):
    award = award_in_state(
        AwardState.ACCEPTED, lead=lead, council=factories.user(Role.COUNCIL, "KEN"), funding_round=open_round
    )
    client = client_for(leeds_user)
    for name in [
        "award",
        "award-letter",
        "accept",
        "decline",
        "record-consultation",
        "conditions-met",
        "withdraw",
    ]:
        assert client.get(url(name, award)).status_code == 404, name
        assert client.post(url(name, award), {}).status_code == 404, name


def test_award_page_query_count_is_flat(accepted, kent_user, lead):
    browsers = {}
    for person in (kent_user, lead):
        browsers[person.pk] = Client()
        browsers[person.pk].force_login(person, backend="django.contrib.auth.backends.ModelBackend")

    def count(person):
        return queries_for(browsers[person.pk], url("award", accepted))

    expected = {kent_user.pk: 10, lead.pk: 9}
    consult(accepted, kent_user, [Audience.COMMUNITIES])
    reviews.record_review(accepted, lead, outcome="continue", reasons="On track.")
    assert {person.pk: count(person) for person in (kent_user, lead)} == expected
    consult(accepted, kent_user, [Audience.AGENCIES, Audience.STAFF, Audience.STAFF, Audience.COMMUNITIES])
    for _ in range(2):
        reviews.record_review(accepted, lead, outcome="continue", reasons="Still on track.")
    assert {person.pk: count(person) for person in (kent_user, lead)} == expected


def test_award_emails_read_as_plain_text(award, kent_user, lead, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        awards.decline(award, kent_user, "We can't staff it & we're sorry.")
    (declined,) = [message for message in mail.outbox if "declined" in message.subject]
    assert "We can't staff it & we're sorry." in declined.body
    assert "&#x27;" not in declined.body and "&amp;" not in declined.body
    assert declined.to == sorted([lead.email, kent_user.email])


def test_signed_out_visitors_are_sent_to_sign_in_from_every_award_url(client, lead, kent_user, open_round):
    award = award_in_state(AwardState.ACCEPTED, lead=lead, council=kent_user, funding_round=open_round)
    consult(award, kent_user, [Audience.STAFF])
    activity = ConsultationActivity.objects.get()
    addresses = [
        url(name, award)
        for name in [
            "award",
            "award-letter",
            "accept",
            "decline",
            "record-consultation",
            "conditions-met",
            "schedule",
            "withdraw",
        ]
    ]
    addresses += [
        url(name, award, number=1)
        for name in ["request-payment", "approve-payment", "send-back-payment", "record-paid"]
    ]
    addresses += [
        url("evidence", award, activity_pk=activity.pk),
        reverse("trusts:trust", kwargs={"pk": award.trust.pk}),
    ]
    for address in addresses:
        response = client.get(address)
        assert response.status_code == 302 and response.url.startswith("/sign-in"), address
