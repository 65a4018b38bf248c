"""The payment pages: the schedule on the award page, each step on the one change page, the
lead's schedule form, and the programme's list of payments."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from tests import factories
from tests.queries import queries_for
from trusts import payments
from trusts.enums import AwardState, InstalmentState
from trusts.models import FundingAward, Instalment

from .conftest import award_in_state, tables

pytestmark = pytest.mark.django_db


def url(name, award, number=None):
    kwargs = {"pk": award.pk} if number is None else {"pk": award.pk, "number": number}
    return reverse(f"trusts:{name}", kwargs=kwargs)


@pytest.fixture
def met(lead, kent_user, open_round):
    return award_in_state(
        AwardState.CONDITIONS_MET, lead=lead, council=kent_user, funding_round=open_round, supplement=40000
    )


def instalment(award, number=1):
    return Instalment.objects.get(award=award, number=number)


def schedule_table(page):
    return tables(page)["payment-schedule"]


def test_the_lead_sees_the_schedule_and_may_request_what_is_released(met, client_for, lead):
    page = client_for(lead).get(url("award", met)).content.decode()
    rows = schedule_table(page)
    assert rows[0] == ["Instalment", "Amount", "Payable", "Status", "Actions"]
    assert rows[1][:4] == ["1", "£60,000", "When the consultation condition is met", "Scheduled"]
    assert rows[1][4] == "Request instalment 1"
    assert rows[2][:3] == ["2", "£40,000", "When the first monitoring return is accepted"]
    assert "can be requested once the first monitoring return is accepted" in rows[2][3]
    assert rows[2][4] == ""
    assert url("schedule", met) in page


def test_request_then_the_lead_cannot_approve_their_own(met, client_for, lead):
    client = client_for(lead)
    response = client.post(url("request-payment", met, 1), {"expected_state": "scheduled"}, follow=True)
    page = response.content.decode()
    assert "Payment of £60,000 requested. Another official must now approve it." in page
    assert "You requested this payment, so someone else must approve it" in page  # on the schedule
    assert "Approve instalment 1" not in page
    # Going to the approval page anyway: sent back to the award, saying why; nothing changes.
    response = client.get(url("approve-payment", met, 1), follow=True)
    assert "You requested this payment, so someone else must approve it." in response.content.decode()
    response = client.post(url("approve-payment", met, 1), {"expected_state": "requested"})
    assert response.status_code == 302
    assert instalment(met).state == InstalmentState.REQUESTED


def test_an_administrator_approves_and_records_the_payment(met, client_for, lead, admin_user, kent_user):
    payments.request(instalment(met), lead)
    client = client_for(admin_user)
    page = client.get(url("award", met)).content.decode()
    assert schedule_table(page)[1][4] == "Approve instalment 1 Send back instalment 1"
    page = client.get(url("approve-payment", met, 1)).content.decode()
    assert "Requested" in page and lead.full_name in page
    response = client.post(url("approve-payment", met, 1), {"expected_state": "requested"}, follow=True)
    assert "Payment of £60,000 approved" in response.content.decode()
    today = timezone.localdate()
    data = {
        "expected_state": "approved",
        "reference": "DH-PAY-1",
        "paid_on_day": str(today.day),
        "paid_on_month": str(today.month),
        "paid_on_year": str(today.year),
    }
    page = client.post(url("record-paid", met, 1), data, follow=True).content.decode()
    assert "Payment of £60,000 to Kent County Council recorded" in page
    # The council sees what has been paid and what comes next, and not who asked or approved.
    page = client_for(kent_user).get(url("award", met)).content.decode()
    rows = schedule_table(page)
    assert rows[0] == ["Instalment", "Amount", "Payable", "Status"]
    assert rows[1][3].startswith("Paid") and rows[1][3].endswith(
        f"{today.day} {today:%B %Y}, reference DH-PAY-1"
    )
    assert rows[2][3] == "Not yet paid"
    section = page[page.index('id="payments"') : page.index("</table>", page.index('id="payments"'))]
    assert lead.full_name not in section and admin_user.full_name not in section


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"reference": ""}, "Enter the payment reference"),
        ({"reference": "X" * 61}, "Payment reference must be 60 characters or fewer"),
        ({"paid_on_day": "", "paid_on_month": "", "paid_on_year": ""}, "Enter the date the payment was made"),
        ({"paid_on_year": "2999"}, "The date the payment was made must be today or in the past"),
        ({"paid_on_year": "2001"}, "when the payment was approved"),
    ],
)
def test_record_payment_form_errors(changes, message, met, client_for, lead, admin_user):
    payments.request(instalment(met), lead)
    payments.approve(instalment(met), admin_user)
    today = timezone.localdate()
    data = {
        "expected_state": "approved",
        "reference": "DH-PAY-1",
        "paid_on_day": str(today.day),
        "paid_on_month": str(today.month),
        "paid_on_year": str(today.year),
        **changes,
    }
    page = client_for(lead).post(url("record-paid", met, 1), data).content.decode()
    assert message in page and "<title>Error: " in page
    assert instalment(met).state == InstalmentState.APPROVED


def test_send_back_needs_a_reason(met, client_for, lead, admin_user):
    payments.request(instalment(met), lead)
    client = client_for(admin_user)
    page = client.post(url("send-back-payment", met, 1), {"expected_state": "requested"}).content.decode()
    assert "Enter the reason you are sending the payment request back" in page
    client.post(url("send-back-payment", met, 1), {"expected_state": "requested", "reason": "Unsigned notes"})
    assert instalment(met).state == InstalmentState.SCHEDULED


def test_a_payment_cannot_be_requested_before_it_is_released(met, client_for, lead):
    response = client_for(lead).get(url("request-payment", met, 2), follow=True)
    assert "can be requested once the first monitoring return is accepted" in response.content.decode()
    assert response.redirect_chain[-1][0].endswith(f"/awards/{met.pk}#payments")


def test_another_councils_payments_are_not_found(met, client_for, leeds_user, kent_user):
    for name in ["request-payment", "approve-payment", "send-back-payment", "record-paid"]:
        assert client_for(leeds_user).get(url(name, met, 1)).status_code == 404
        assert client_for(kent_user).get(url(name, met, 1)).status_code == 403
    assert client_for(leeds_user).get(url("schedule", met)).status_code == 404
    assert client_for(kent_user).get(url("request-payment", met, 9)).status_code == 404


def test_schedule_form_keeps_what_was_typed_and_says_what_to_fix(met, client_for, lead):
    client = client_for(lead)
    page = client.get(url("schedule", met)).content.decode()
    assert 'value="60,000"' in page and 'value="40,000"' in page
    data = {
        "rows": "3",
        "amount_1": "50,000",
        "trigger_1": "conditions_met",
        "amount_2": "40,000",
        "trigger_2": "first_return",
        "amount_3": "abc",
        "trigger_3": "on_date",
    }
    page = client.post(url("schedule", met), data).content.decode()
    assert "<title>Error: " in page and 'class="govuk-error-summary"' in page
    assert "Enter the amount of instalment 3 in pounds, like 60,000" in page
    assert 'value="50,000"' in page and 'value="abc"' in page
    data["amount_3"] = "5,000"
    page = client.post(url("schedule", met), data).content.decode()
    assert "Enter the date instalment 3 becomes payable" in page
    due = timezone.localdate() + timedelta(days=60)
    data.update(
        {"due_on_3_day": str(due.day), "due_on_3_month": str(due.month), "due_on_3_year": str(due.year)}
    )
    page = client.post(url("schedule", met), data).content.decode()
    assert "The instalments must add up to £100,000, the award&#x27;s total: they add up to £95,000" in page
    data["amount_3"] = "10,000"
    response = client.post(url("schedule", met), data)
    assert response.status_code == 302
    page = client.get(url("schedule", met)).content.decode()  # the saved date, as typed
    assert f'value="{due.day}"' in page and f'value="{due.year}"' in page
    assert [
        (i.amount, i.trigger, i.due_on) for i in FundingAward.objects.get(pk=met.pk).instalments.all()
    ] == [
        (Decimal("50000"), "conditions_met", None),
        (Decimal("40000"), "first_return", None),
        (Decimal("10000"), "on_date", due),
    ]
    # Removing one: ticked, and the rest add up again.
    data = {
        "rows": "3",
        **{k: v for k, v in data.items() if k != "rows"},
        "remove_3": "on",
        "amount_2": "50,000",
    }
    assert client.post(url("schedule", met), data).status_code == 302
    assert list(Instalment.objects.filter(award=met).values_list("amount", flat=True)) == [
        Decimal("50000"),
        Decimal("50000"),
    ]


def test_schedule_cannot_change_once_a_payment_is_requested(met, client_for, lead):
    payments.request(instalment(met), lead)
    response = client_for(lead).get(url("schedule", met), follow=True)
    assert "cannot be changed once a payment has been requested" in response.content.decode()
    assert "Change the payment schedule" not in response.content.decode()


def test_payments_list_filters_by_state_and_costs_the_same_queries_at_one_and_three(
    client_for, lead, kent_user, open_round
):
    client = client_for(lead)
    award = award_in_state(AwardState.CONDITIONS_MET, lead=lead, council=kent_user, funding_round=open_round)
    target = reverse("trusts:payments")
    assert Instalment.objects.count() == 1
    assert queries_for(client, target) == 5
    payments.request(instalment(award), lead)
    for code in ["BIR", "CMD"]:
        award_in_state(
            AwardState.CONDITIONS_MET,
            lead=lead,
            council=factories.user(Role.COUNCIL, code),
            funding_round=open_round,
        )
    assert Instalment.objects.count() == 3
    assert queries_for(client, target) == 5
    page = client.get(target, {"state": "requested"}).content.decode()
    rows = tables(page)["payments"]
    assert len(rows) == 2 and rows[1][0].startswith("Kent County Council")
    assert f"Requested by {lead.full_name}" in rows[1][3]
    nav = client.get(reverse("trusts:awards")).content.decode()
    assert f'href="{target}"' in nav
