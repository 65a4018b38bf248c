"""The returns pages: the council's list of due dates, the return form and its messages, check
your answers, certifying, the lead's list and decision, and what each page costs in queries.
Who gets which answer from each URL is the authorisation matrix's (tests/authorisation_expectations.py)."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from monitoring import returns
from monitoring.enums import ReturnState
from monitoring.models import MonitoringReturn
from monitoring.queries import RETURNS_PER_PAGE
from tests import factories
from tests.queries import queries_for
from tests.trusts.conftest import tables

from .builders import ANSWERS, operational, pilot, return_in_state

pytestmark = pytest.mark.django_db


def form_url(award, period=1):
    return reverse("monitoring:return-form", kwargs={"pk": award.pk, "period": period})


def url(name, monitoring_return):
    return reverse(f"monitoring:{name}", kwargs={"pk": monitoring_return.pk})


def text(response):
    return response.content.decode()


def filled(**overrides):
    """The form as a council officer fills it in, every answer given, two milestones."""
    data = {
        "spending_to_date": "£12,500",
        "planned_spending_to_date": "15000",
        "children_reached": "340",
        "families_reached": "210",
        "partners_involvement": ANSWERS["partners_involvement"],
        "risks_and_issues": ANSWERS["risks_and_issues"],
        "narrative": ANSWERS["narrative"],
        "milestone_1_name": "Joint commissioning board meets monthly",
        "milestone_1_status": "green",
        "milestone_2_name": "Pooled budget agreed",
        "milestone_2_status": "amber",
        "milestone_2_comment": "The health partner's finance sign-off is a month late.",
        "save_and_continue": "",
    }
    data.update(overrides)
    return {name: value for name, value in data.items() if value is not None}


# The council's list of due dates -----------------------------------------------------------


def test_the_council_sees_each_due_date_with_how_it_stands(client_for, pilot_award, kent_user, kent_director):
    award = operational(pilot_award, 200)  # returns 1 and 2 are overdue, 3 has begun
    return_in_state(ReturnState.DRAFT, award, preparer=kent_user, period=2)
    page = text(client_for(kent_user).get(reverse("monitoring:award-returns", kwargs={"pk": award.pk})))
    rows = tables(page)["returns"]
    assert rows[0] == ["Return", "Due", "Status", "Action"]
    assert len(rows) == 1 + 12  # a return every 3 months over the 36-month pilot
    assert rows[1][2] == "Overdue" and rows[1][3] == "Start return 1"
    assert rows[2][2] == "Draft Overdue" and rows[2][3] == "Continue return 2"
    assert rows[3][2] == "Not started" and rows[3][3] == "Start return 3"
    assert rows[4][2] == "Not started" and rows[4][3].startswith("From ")
    assert form_url(award, 1) in page and form_url(award, 4) not in page


def test_the_lead_sees_the_list_without_start_links(client_for, pilot_award, kent_user, lead):
    submitted = return_in_state(
        ReturnState.SUBMITTED, pilot_award, preparer=kent_user, certifier=factories.user(Role.COUNCIL, "KEN")
    )
    page = text(client_for(lead).get(reverse("monitoring:award-returns", kwargs={"pk": pilot_award.pk})))
    rows = tables(page)["returns"]
    assert rows[1][2] == "Submitted" and rows[1][3] == "View return 1"
    assert url("return", submitted) in page and "Start" not in page


def test_an_award_not_yet_accepted_has_no_returns_yet(client_for, lead, kent_user, open_round):
    offered = factories.approved_bid_with_award(open_round, "KEN", kent_user, lead)
    page = text(client_for(kent_user).get(reverse("monitoring:award-returns", kwargs={"pk": offered.pk})))
    assert "Monitoring returns begin once the council has accepted its award" in page
    response = client_for(kent_user).get(form_url(offered))
    assert response.status_code == 302 and response["Location"] == f"/awards/{offered.pk}"


def test_another_councils_returns_are_not_found(client_for, pilot_award, kent_user, leeds_user):
    monitoring_return = return_in_state(ReturnState.DRAFT, pilot_award, preparer=kent_user)
    leeds = client_for(leeds_user)
    for address in (
        reverse("monitoring:award-returns", kwargs={"pk": pilot_award.pk}),
        form_url(pilot_award),
        url("return", monitoring_return),
        url("send", monitoring_return),
        url("certify", monitoring_return),
    ):
        assert leeds.get(address).status_code == 404, address
        assert leeds.post(address, filled()).status_code == 404, address
    assert MonitoringReturn.objects.get().children_reached == ANSWERS["children_reached"]


def test_a_period_not_yet_begun_sends_the_council_back_to_the_list(client_for, pilot_award, kent_user):
    response = client_for(kent_user).get(form_url(pilot_award, 2), follow=True)
    assert response.redirect_chain[-1][0] == reverse(
        "monitoring:award-returns", kwargs={"pk": pilot_award.pk}
    )
    assert "You can start return 2 from" in text(response)
    assert client_for(kent_user).get(form_url(pilot_award, 13)).status_code == 404


# The form ------------------------------------------------------------------------------


def test_an_empty_return_says_what_is_missing(client_for, pilot_award, kent_user):
    response = client_for(kent_user).post(form_url(pilot_award), {"save_and_continue": ""})
    page = text(response)
    assert response.status_code == 200 and "<title>Error: " in page
    for message in (
        "Add at least one milestone",
        "Enter the spending to date",
        "Enter the planned spending to date",
        "Enter the number of children reached",
        "Enter the number of families reached",
        "Enter how partners have been involved",
        "Enter the risks and issues",
        "Enter the progress in the period",
    ):
        assert f">{message}</a>" in page, message  # in the error summary, linked to its field
    assert not MonitoringReturn.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"spending_to_date": "lots"}, "Enter the spending to date in pounds, like 60,000"),
        ({"spending_to_date": "-5"}, "The spending to date cannot be negative"),
        (
            {"spending_to_date": "12.345"},
            "Enter the spending to date in pounds and pence, with no more than 2 decimal places",
        ),
        ({"planned_spending_to_date": "£60,000.01"}, "The planned spending to date must be £60,000 or less"),
        ({"children_reached": "3.5"}, "The number of children reached must be a whole number, like 40"),
        ({"families_reached": "²"}, "The number of families reached must be a whole number, like 40"),
        ({"children_reached": "9" * 5000}, "The number of children reached must be 10,000,000 or fewer"),
        ({"narrative": "word " * 501}, "The progress in the period must be 500 words or fewer"),
        (
            {"partners_involvement": "word " * 301},
            "How partners have been involved must be 300 words or fewer",
        ),
        (
            {"milestone_1_name": "", "milestone_1_status": "", "milestone_1_comment": "Late"},
            "Enter the name of milestone 1",
        ),
        ({"milestone_1_status": ""}, "Select the status of milestone 1"),
        ({"milestone_1_status": "purple"}, "Select the status of milestone 1"),
        ({"milestone_2_comment": ""}, "Say why milestone 2 is amber and what you are doing about it"),
        ({"milestone_1_name": "x" * 201}, "The name of milestone 1 must be 200 characters or fewer"),
        ({"milestone_1_comment": "word " * 101}, "The comment on milestone 1 must be 100 words or fewer"),
    ],
)
def test_each_answer_is_checked_and_what_was_typed_stays(
    client_for, pilot_award, kent_user, overrides, message
):
    data = filled(**overrides)
    response = client_for(kent_user).post(form_url(pilot_award), data)
    page = text(response)
    assert response.status_code == 200
    assert message in page
    typed = [
        value
        for name, value in overrides.items()
        if value and len(value) < 40 and not name.endswith("_status")
    ]
    for value in typed:
        assert value in page, value
    assert not MonitoringReturn.objects.exists()


def test_blank_and_removed_milestone_rows_are_ignored(client_for, pilot_award, kent_user):
    client = client_for(kent_user)
    client.post(form_url(pilot_award), filled())
    saved = MonitoringReturn.objects.get()
    assert saved.milestones.count() == 2
    page = text(client.get(form_url(pilot_award)))
    assert 'name="milestone_5_name"' in page and 'name="milestone_6_name"' not in page  # 2 saved, 3 blank
    # Removing the first: its name and comment deleted (its status cannot be unticked without JavaScript).
    client.post(
        form_url(pilot_award),
        filled(milestone_1_name="", expected_state="draft", save_draft="", save_and_continue=None),
    )
    assert list(saved.milestones.values_list("name", flat=True)) == ["Pooled budget agreed"]


def test_a_draft_may_be_saved_half_done(client_for, pilot_award, kent_user):
    client = client_for(kent_user)
    response = client.post(form_url(pilot_award), {"children_reached": "12", "save_draft": ""}, follow=True)
    assert response.redirect_chain[-1][0] == reverse(
        "monitoring:award-returns", kwargs={"pk": pilot_award.pk}
    )
    assert "Return 1 saved as a draft" in text(response)
    saved = MonitoringReturn.objects.get()
    assert (saved.state, saved.children_reached, saved.narrative) == (ReturnState.DRAFT, 12, "")
    # What is typed in a draft must still be right.
    bad = client.post(
        form_url(pilot_award), {"children_reached": "twelve", "save_draft": "", "expected_state": "draft"}
    )
    assert "The number of children reached must be a whole number, like 40" in text(bad)
    assert MonitoringReturn.objects.get().children_reached == 12


def test_the_form_shows_what_was_saved(client_for, pilot_award, kent_user):
    return_in_state(ReturnState.DRAFT, pilot_award, preparer=kent_user)
    page = text(client_for(kent_user).get(form_url(pilot_award)))
    assert 'value="12,500"' in page and 'value="340"' in page
    assert 'value="Pooled budget agreed"' in page
    assert 'name="expected_state" value="draft"' in page


def test_a_tampered_state_is_refused_not_a_crash(client_for, pilot_award, kent_user):
    response = client_for(kent_user).post(form_url(pilot_award), filled(expected_state="submitted"))
    assert response.status_code == 200 and "There is a problem" in text(response)
    assert not MonitoringReturn.objects.exists()


def test_a_return_someone_started_meanwhile_keeps_what_you_typed(
    client_for, pilot_award, kent_user, kent_director
):
    return_in_state(ReturnState.DRAFT, pilot_award, preparer=kent_director)
    response = client_for(kent_user).post(form_url(pilot_award), filled(children_reached="999"))
    page = text(response)
    assert "started this return while you were filling it in" in page
    assert 'value="999"' in page and 'name="expected_state" value="draft"' in page
    assert MonitoringReturn.objects.get().children_reached == ANSWERS["children_reached"]


# Check your answers and send --------------------------------------------------------------


def test_save_and_continue_goes_to_check_your_answers_then_sends(
    client_for, pilot_award, kent_user, kent_director, django_capture_on_commit_callbacks
):
    client = client_for(kent_user)
    response = client.post(form_url(pilot_award), filled())
    saved = MonitoringReturn.objects.get()
    assert response["Location"] == url("send", saved)
    page = text(client.get(url("send", saved)))
    assert "Check your answers before sending the return for certification" in page
    assert "£12,500" in page and "Pooled budget agreed" in page
    assert f"{form_url(pilot_award)}#id_narrative" in page  # a change link
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(url("send", saved), {"expected_state": "draft"}, follow=True)
    assert "Return 1 has been sent for certification" in text(sent)
    assert MonitoringReturn.objects.get().state == ReturnState.AWAITING_CERTIFICATION
    assert [message.to for message in mail.outbox] == [[kent_director.email]]


def test_check_your_answers_lists_what_is_missing_and_offers_no_button(client_for, pilot_award, kent_user):
    client = client_for(kent_user)
    client.post(form_url(pilot_award), {"children_reached": "12", "save_draft": ""})
    page = text(client.get(url("send", MonitoringReturn.objects.get())))
    assert "You cannot send the return for certification yet" in page
    assert "Add at least one milestone" in page and "Send for certification</button>" not in page


def test_a_send_page_out_of_date_is_refused(client_for, pilot_award, kent_user, kent_director, lead):
    """Kent's officer opened check your answers while it was a draft; meanwhile it was sent,
    certified, and came back for changes. Sending from the old page is refused, not done."""
    returned = return_in_state(
        ReturnState.CHANGES_REQUESTED, pilot_award, preparer=kent_director, certifier=kent_user, lead=lead
    )
    response = client_for(kent_user).post(url("send", returned), {"expected_state": "draft"})
    assert "has changed since you opened it: it is now changes requested" in text(response)
    assert MonitoringReturn.objects.get().state == ReturnState.CHANGES_REQUESTED


# Certifying ------------------------------------------------------------------------------


def test_the_certifier_confirms_the_declaration(
    client_for, pilot_award, kent_user, kent_director, lead, django_capture_on_commit_callbacks
):
    waiting = return_in_state(ReturnState.AWAITING_CERTIFICATION, pilot_award, preparer=kent_user)
    client = client_for(kent_director)
    page = text(client.get(url("return", waiting)))
    assert url("certify", waiting) in page
    refused = client.post(url("certify", waiting), {"expected_state": "awaiting_certification"})
    assert "Confirm that this return is accurate and that you have authority to commit the council" in text(
        refused
    )
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(
            url("certify", waiting),
            {"expected_state": "awaiting_certification", "confirm": "on"},
            follow=True,
        )
    assert "Return 1 is certified and submitted to the Department of Health" in text(done)
    assert MonitoringReturn.objects.get().certified_by == kent_director
    assert lead.email in mail.outbox[0].to


def test_the_preparer_is_told_someone_else_must_certify(client_for, pilot_award, kent_user):
    waiting = return_in_state(ReturnState.AWAITING_CERTIFICATION, pilot_award, preparer=kent_user)
    client = client_for(kent_user)
    assert url("certify", waiting) not in text(client.get(url("return", waiting)))
    for response in (
        client.get(url("certify", waiting), follow=True),
        client.post(
            url("certify", waiting),
            {"expected_state": "awaiting_certification", "confirm": "on"},
            follow=True,
        ),
    ):
        assert response.redirect_chain[-1][0] == url("return", waiting)
        assert "You prepared this return, so you cannot certify it." in text(response)
    assert MonitoringReturn.objects.get().state == ReturnState.AWAITING_CERTIFICATION


# The lead --------------------------------------------------------------------------------


def test_the_lead_asks_for_changes_and_the_council_reads_why(
    client_for, pilot_award, kent_user, kent_director, lead
):
    submitted = return_in_state(
        ReturnState.SUBMITTED, pilot_award, preparer=kent_user, certifier=kent_director
    )
    client = client_for(lead)
    assert url("request-changes", submitted) in text(client.get(url("return", submitted)))
    empty = client.post(url("request-changes", submitted), {"expected_state": "submitted"})
    assert "Enter what needs to change" in text(empty)
    client.post(
        url("request-changes", submitted),
        {"expected_state": "submitted", "reason": "Break the spending down by partner."},
    )
    council_view = text(client_for(kent_user).get(url("return", submitted)))
    assert "Changes asked for by" in council_view and "Break the spending down by partner." in council_view
    form = text(client_for(kent_user).get(form_url(pilot_award)))
    assert "The programme team asked for changes" in form and "Break the spending down by partner." in form


def test_the_lead_accepts_and_the_council_sees_it(client_for, pilot_award, kent_user, kent_director, lead):
    submitted = return_in_state(
        ReturnState.SUBMITTED, pilot_award, preparer=kent_user, certifier=kent_director
    )
    done = client_for(lead).post(url("accept", submitted), {"expected_state": "submitted"}, follow=True)
    assert (
        "Return 1 from Kent County Council accepted. It is the award&#x27;s first accepted return."
        in text(done)
    )
    council_view = text(client_for(kent_user).get(url("return", submitted)))
    assert "Accepted by" in council_view and "of the Department of Health on" in council_view


def test_the_council_cannot_accept_and_an_administrator_only_reads(
    client_for, pilot_award, kent_user, kent_director, admin_user
):
    submitted = return_in_state(
        ReturnState.SUBMITTED, pilot_award, preparer=kent_user, certifier=kent_director
    )
    for person in (kent_director, admin_user):
        assert client_for(person).get(url("accept", submitted)).status_code == 403
        assert (
            client_for(person).post(url("accept", submitted), {"expected_state": "submitted"}).status_code
            == 403
        )
    assert "Accept the return" not in text(client_for(admin_user).get(url("return", submitted)))
    assert MonitoringReturn.objects.get().state == ReturnState.SUBMITTED


# The programme's list --------------------------------------------------------------------


def many_pilots(count, lead):
    """Returns from `count` councils, each submitted, in one round."""
    funding_round = factories.open_round()
    made = []
    for code in ["BST", "BIR", "CMD", "DUR", "LDS"][:count]:
        council = factories.user(Role.COUNCIL, code)
        certifier = factories.user(Role.COUNCIL, code)
        award = pilot(council, lead, funding_round)
        made.append(return_in_state(ReturnState.SUBMITTED, award, preparer=council, certifier=certifier))
    return funding_round, made


def test_the_programme_list_costs_the_same_queries_for_one_return_or_three(client_for, lead):
    client = client_for(lead)
    many_pilots(1, lead)
    one = queries_for(client, reverse("monitoring:returns"))
    many_pilots(2, lead)
    assert MonitoringReturn.objects.count() == 3
    assert queries_for(client, reverse("monitoring:returns")) == one


def test_the_councils_list_costs_the_same_queries_for_one_return_or_three(
    client_for, pilot_award, kent_user, kent_director
):
    award = operational(pilot_award, 200)
    client = client_for(kent_user)
    address = reverse("monitoring:award-returns", kwargs={"pk": award.pk})
    return_in_state(ReturnState.DRAFT, award, preparer=kent_user, period=1)
    one = queries_for(client, address)
    return_in_state(ReturnState.DRAFT, award, preparer=kent_user, period=2)
    return_in_state(ReturnState.DRAFT, award, preparer=kent_user, period=3)
    assert queries_for(client, address) == one


def test_the_programme_list_filters_by_round_and_status(client_for, lead):
    funding_round, (bristol, birmingham) = many_pilots(2, lead)
    other_round, (elsewhere,) = many_pilots(1, lead)
    from_round = tables(
        text(client_for(lead).get(reverse("monitoring:returns"), {"funding_round": funding_round.slug}))
    )["returns"]
    assert sorted(row[0].split(",")[0] for row in from_round[1:]) == [
        "Birmingham City Council",
        "Bristol City Council",
    ]
    returns.accept(bristol, lead)
    accepted = tables(text(client_for(lead).get(reverse("monitoring:returns"), {"state": "accepted"})))[
        "returns"
    ]
    assert [row[0].split(",")[0] for row in accepted[1:]] == ["Bristol City Council"]
    nothing = text(client_for(lead).get(reverse("monitoring:returns"), {"state": "lost"}))
    assert "No returns match your filters" in nothing and "There is a problem" in nothing


def test_the_programme_list_is_paginated(client_for, lead, monkeypatch):
    monkeypatch.setattr("monitoring.views.programme.RETURNS_PER_PAGE", 2)
    many_pilots(3, lead)
    first = text(client_for(lead).get(reverse("monitoring:returns")))
    assert len(tables(first)["returns"]) == 1 + 2 and "3 returns" in first and "?page=2" in first
    assert (
        len(tables(text(client_for(lead).get(reverse("monitoring:returns"), {"page": "2"})))["returns"]) == 2
    )
    assert RETURNS_PER_PAGE == 50


def test_the_programme_team_has_monitoring_returns_in_the_navigation(client_for, lead, admin_user, kent_user):
    for person in (lead, admin_user):
        assert 'href="/returns"' in text(client_for(person).get(reverse("trusts:awards")))
    assert 'href="/returns"' not in text(client_for(kent_user).get("/"))


def test_overdue_shows_on_the_programme_list(client_for, lead, kent_user, kent_director, open_round):
    award = pilot(kent_user, lead, open_round, days_ago=100)  # return 1 due about 8 days ago
    return_in_state(ReturnState.AWAITING_CERTIFICATION, award, preparer=kent_user)
    rows = tables(text(client_for(lead).get(reverse("monitoring:returns"))))["returns"]
    assert rows[1][3] == "Awaiting certification Overdue"
    assert timezone.localdate() > award.trust.operational_on + timedelta(days=92)
