"""The satisfaction question after a submission: its errors, one answer per submission, and
only from an officer of the bid's council. Every role's answer at each URL is also in the
authorisation matrix (tests/authorisation_expectations.py, "insights:answer")."""

import re

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from accounts.models import Role
from bids import workflow
from insights.enums import IMPROVEMENT_LIMIT, Satisfaction
from insights.models import SatisfactionAnswer
from insights.satisfaction import AlreadyAnswered, record_answer
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(kent_user):
    return factories.submitted_bid(factories.open_round(), "KEN", kent_user)


def answer_url(bid):
    return reverse("insights:answer", args=[bid.reference])


def error_summary(page):
    found = re.search(r'govuk-error-summary__list">(.*?)</ul>', page, re.S)
    return re.findall(r'<a href="#([^"]+)">([^<]+)</a>', found.group(1)) if found else []


def test_the_confirmation_page_links_to_the_question(client_for, kent_user, submitted):
    page = client_for(kent_user).get(reverse("bids:submitted", args=[submitted.reference])).content.decode()
    assert (
        f'href="{answer_url(submitted)}">What did you think of this service?</a> (takes 30 seconds)' in page
    )


def test_the_question_offers_the_five_answers_and_a_counted_comment(client_for, kent_user, submitted):
    page = client_for(kent_user).get(answer_url(submitted)).content.decode()
    assert "Overall, how did you feel about using this service?" in page
    labels = re.findall(
        r'<label class="govuk-label govuk-radios__label" for="id_satisfaction_\d">\s*(.*?)\s*</label>', page
    )
    assert labels == [
        "Very satisfied",
        "Satisfied",
        "Neither satisfied nor dissatisfied",
        "Dissatisfied",
        "Very dissatisfied",
    ]
    assert "How could we improve this service?" in page
    assert f'data-maxlength="{IMPROVEMENT_LIMIT}"' in page and "govuk-character-count" in page
    assert "maxlength=" not in page.replace("data-maxlength", "")


def test_no_answer_chosen_is_an_error_and_the_comment_is_kept(client_for, kent_user, submitted):
    response = client_for(kent_user).post(answer_url(submitted), {"improvement": "Fewer pages, please."})
    page = response.content.decode()
    assert response.status_code == 200
    assert error_summary(page) == [("id_satisfaction_1", "Select how you felt about using this service")]
    assert "Fewer pages, please.</textarea>" in page
    assert not SatisfactionAnswer.objects.exists()


def test_a_comment_over_the_limit_is_an_error_and_kept(client_for, kent_user, submitted):
    long = "x" * (IMPROVEMENT_LIMIT + 1)
    response = client_for(kent_user).post(
        answer_url(submitted), {"satisfaction": Satisfaction.SATISFIED, "improvement": long}
    )
    page = response.content.decode()
    assert error_summary(page) == [("id_improvement", "Your suggestion must be 1,200 characters or fewer")]
    assert f"{long}</textarea>" in page
    assert re.search(r'value="satisfied"\s+checked', page)
    assert not SatisfactionAnswer.objects.exists()


def test_an_answer_keeps_no_one_and_thanks_them(client_for, kent_user, submitted):
    client = client_for(kent_user)
    response = client.post(
        answer_url(submitted), {"satisfaction": Satisfaction.SATISFIED, "improvement": "  Save as you go.  "}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("insights:answered", args=[submitted.reference])
    answer = SatisfactionAnswer.objects.get()
    assert (answer.bid, answer.funding_round, answer.submitted_at) == (
        submitted,
        submitted.funding_round,
        submitted.submitted_at,
    )
    assert (answer.satisfaction, answer.improvement) == (Satisfaction.SATISFIED, "Save as you go.")
    # Nothing about who answered: no person, no email, no name.
    people = [field.name for field in SatisfactionAnswer._meta.get_fields() if field.is_relation]
    assert people == ["bid", "funding_round"]
    page = client.get(response["Location"]).content.decode()
    assert '<h1 class="govuk-panel__title">Thank you for your feedback</h1>' in page


def test_a_second_answer_is_kindly_refused_and_the_first_kept(client_for, kent_user, submitted):
    colleague = factories.user(Role.COUNCIL, "KEN")
    client_for(kent_user).post(answer_url(submitted), {"satisfaction": Satisfaction.VERY_SATISFIED})
    client = client_for(colleague)
    for response in (
        client.get(answer_url(submitted)),
        client.post(answer_url(submitted), {"satisfaction": Satisfaction.VERY_DISSATISFIED}),
    ):
        page = response.content.decode()
        assert response.status_code == 200
        assert "You have already given feedback" in page
        assert "we have kept that answer. Thank you" in page
    assert list(SatisfactionAnswer.objects.values_list("satisfaction", flat=True)) == [
        Satisfaction.VERY_SATISFIED
    ]


def test_two_answers_at_the_same_moment_keep_one(kent_user, submitted):
    record_answer(submitted, kent_user, Satisfaction.SATISFIED)
    with pytest.raises(AlreadyAnswered):
        record_answer(submitted, kent_user, Satisfaction.DISSATISFIED)
    assert SatisfactionAnswer.objects.count() == 1


def test_a_bid_returned_and_submitted_again_may_be_answered_again(client_for, kent_user, submitted, lead):
    record_answer(submitted, kent_user, Satisfaction.DISSATISFIED, "The partner pages were confusing.")
    workflow.change_state(submitted, "return_to_council", lead, reason="Name your health partner.")
    client = client_for(kent_user)
    # While it is a draft again there is nothing to answer about.
    response = client.get(answer_url(submitted))
    assert response.status_code == 302 and response["Location"] == reverse(
        "bids:bid", args=[submitted.reference]
    )
    resubmitted = workflow.change_state(submitted, "submit", kent_user)
    client.post(answer_url(resubmitted), {"satisfaction": Satisfaction.SATISFIED})
    assert SatisfactionAnswer.objects.filter(bid=submitted).count() == 2


def test_a_draft_cannot_be_answered_about(client_for, kent_user):
    draft = factories.draft_bid(factories.open_round(), "KEN", kent_user, complete=True)
    response = client_for(kent_user).post(answer_url(draft), {"satisfaction": Satisfaction.SATISFIED})
    assert response.status_code == 302 and response["Location"] == reverse("bids:bid", args=[draft.reference])
    with pytest.raises(PermissionDenied):
        record_answer(draft, kent_user, Satisfaction.SATISFIED)
    assert not SatisfactionAnswer.objects.exists()


def test_only_an_officer_of_the_bids_council_may_answer(leeds_user, lead, admin_user, assessor, submitted):
    for person in (leeds_user, lead, admin_user, assessor):
        with pytest.raises(PermissionDenied):
            record_answer(submitted, person, Satisfaction.SATISFIED)
    assert not SatisfactionAnswer.objects.exists()


def test_another_council_gets_404_and_officials_403(client_for, leeds_user, lead, admin_user, submitted):
    factories.assign(submitted, assessor := factories.user(Role.ASSESSOR, region="london"), lead)
    assert (
        client_for(leeds_user).post(answer_url(submitted), {"satisfaction": "satisfied"}).status_code == 404
    )
    for official in (assessor, lead, admin_user):
        assert (
            client_for(official).post(answer_url(submitted), {"satisfaction": "satisfied"}).status_code == 403
        )
    assert not SatisfactionAnswer.objects.exists()


def test_signed_out_visitors_sign_in_first(client, submitted):
    response = client.get(answer_url(submitted))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:sign-in"))


def test_the_thank_you_page_before_answering_goes_to_the_question(client_for, kent_user, submitted):
    response = client_for(kent_user).get(reverse("insights:answered", args=[submitted.reference]))
    assert response.status_code == 302 and response["Location"] == answer_url(submitted)
