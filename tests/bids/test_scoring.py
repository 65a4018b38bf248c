"""Scoring: the weighted total, drafts, submitting (and locking), the lead reopening."""

import html
import re
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import Role
from bids import scoring, workflow
from bids.models import Assessment, Criterion, CriterionScore, EventKind
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def bid(open_round, assessor, other_assessor):
    return factories.under_assessment_bid(open_round, "KEN", [assessor, other_assessor])


def score_url(bid):
    return reverse("bids:score", kwargs={"reference": bid.reference})


def form_data(bid, values, recommendation="shortlist", action="submit", **extra):
    data = {"expected_state": "under_assessment", "action": action, "recommendation": recommendation}
    for criterion, value in zip(scoring.criteria_for(bid), values, strict=True):
        data[f"score_{criterion.pk}"] = "" if value is None else str(value)
        data[f"comment_{criterion.pk}"] = f"Evidence for {criterion.name}"
    data.update(extra)
    return data


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([4, 4, 4, 4, 4], "100.00"),
        ([0, 0, 0, 0, 0], "0.00"),
        ([4, 0, 0, 0, 0], "30.00"),  # joint working weighs 30%
        ([3, 2, 2, 1, 4], "61.25"),  # 22.5 + 10 + 10 + 3.75 + 15
    ],
)
def test_weighted_total_is_a_percentage_of_the_maximum_using_the_rounds_weights(open_round, values, expected):
    criteria = scoring.criteria_for(factories.draft_bid(open_round))
    assert scoring.weighted_total(zip(criteria, values, strict=True)) == Decimal(expected)


def test_weighted_total_stays_a_percentage_if_weights_do_not_add_up_to_100(open_round):
    criteria = scoring.criteria_for(factories.draft_bid(open_round))
    criteria[0].weight = Decimal("60")  # weights now add up to 130
    assert scoring.weighted_total(zip(criteria, [4, 4, 4, 4, 4], strict=True)) == Decimal("100.00")


def test_an_assessor_saves_a_draft_with_gaps_then_submits(client_for, bid, assessor):
    client = client_for(assessor)
    response = client.post(score_url(bid), form_data(bid, [3, None, None, 2, None], action="draft"))
    assert response.status_code == 302
    assessment = Assessment.objects.get(bid=bid, assessor=assessor)
    assert assessment.state == Assessment.State.DRAFT and assessment.weighted_total is None
    page = client.get(score_url(bid)).content.decode()
    assert "Evidence for Governance and accountability" in page  # what was typed comes back
    response = client.post(score_url(bid), form_data(bid, [3, 2, 2, 1, 4]))
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.state == Assessment.State.SUBMITTED
    assert assessment.weighted_total == Decimal("61.25")
    assert CriterionScore.objects.filter(assessment=assessment).count() == 5
    event = bid.events.get(kind=EventKind.SCORE_SUBMITTED)
    assert event.actor == assessor and not event.shown_to_council


def test_submitting_needs_every_score_and_a_recommendation(client_for, bid, assessor):
    response = client_for(assessor).post(
        score_url(bid), form_data(bid, [3, None, 2, 2, None], recommendation="")
    )
    page = response.content.decode()
    assert response.status_code == 200 and "<title>Error: " in page
    assert "Select a score for ‘Scope and coverage of children&#x27;s services’" in page
    assert "Select a score for ‘Deliverability by the end of the year’" in page
    assert "Select whether you recommend shortlisting this bid" in page
    assert re.search(r'value="2"\s+checked', page)  # what was chosen is kept
    assert not Assessment.objects.filter(bid=bid, assessor=assessor).exists()


def test_comments_have_a_word_limit(client_for, bid, assessor):
    criterion = scoring.criteria_for(bid)[0]
    data = form_data(bid, [3, 3, 3, 3, 3], **{f"comment_{criterion.pk}": "word " * 301})
    page = client_for(assessor).post(score_url(bid), data).content.decode()
    assert f"Your comment on ‘{criterion.name}’ must be 300 words or fewer" in page


def test_scores_out_of_range_are_refused(client_for, bid, assessor):
    criterion = scoring.criteria_for(bid)[0]
    data = form_data(bid, [3, 3, 3, 3, 3], **{f"score_{criterion.pk}": "5"})
    page = client_for(assessor).post(score_url(bid), data).content.decode()
    assert "Select a valid choice" in page
    assert not Assessment.objects.filter(bid=bid).exists()


def test_submitted_scores_are_locked(client_for, bid, assessor):
    factories.submit_scores(bid, assessor, [4, 4, 4, 4, 4])
    with pytest.raises(workflow.WorkflowError, match="already submitted"):
        factories.submit_scores(bid, assessor, [0, 0, 0, 0, 0])
    client = client_for(assessor)
    page = client.get(score_url(bid)).content.decode()
    assert "Submit scores" not in page and "You submitted these scores" in page
    client.post(score_url(bid), form_data(bid, [0, 0, 0, 0, 0]))
    assert Assessment.objects.get(bid=bid, assessor=assessor).weighted_total == 100


def test_scores_can_only_be_changed_while_the_bid_is_under_assessment(client_for, bid, assessor, lead):
    workflow.change_state(bid, "shortlist", lead, reason="Strong.")
    with pytest.raises(workflow.WorkflowError, match="only be changed while a bid is under assessment"):
        factories.submit_scores(bid, assessor, [4, 4, 4, 4, 4])
    page = client_for(assessor).get(score_url(bid)).content.decode()
    assert "Scores can be entered only while the bid is under assessment" in page


def test_the_lead_reopens_submitted_scores_with_a_reason(
    django_capture_on_commit_callbacks, client_for, bid, assessor, lead
):
    assessment = factories.submit_scores(bid, assessor, [4, 4, 4, 4, 4])
    url = reverse("bids:reopen-scores", kwargs={"reference": bid.reference, "assessment_pk": assessment.pk})
    client = client_for(lead)
    page = client.post(url, {"expected_state": "under_assessment", "reason": ""}).content.decode()
    assert "Enter the reason for reopening these scores" in page
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url, {"expected_state": "under_assessment", "reason": "Scores do not match comments."}
        )
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.state == Assessment.State.DRAFT and assessment.weighted_total is None
    event = bid.events.get(kind=EventKind.SCORE_REOPENED)
    assert (event.actor, event.reason, event.shown_to_council) == (
        lead,
        "Scores do not match comments.",
        False,
    )
    [message] = mail.outbox
    assert message.to == [assessor.email] and "Scores do not match comments." in message.body
    # The assessor can now change them.
    factories.submit_scores(bid, assessor, [2, 2, 2, 2, 2])
    assert Assessment.objects.get(pk=assessment.pk).weighted_total == 50


def test_only_submitted_scores_can_be_reopened(bid, assessor, lead):
    draft = factories.submit_scores(bid, assessor, [1, 1, 1, 1, 1], submit=False)
    with pytest.raises(workflow.WorkflowError, match="are not submitted"):
        scoring.reopen(draft, lead, "Why")


def test_an_unassigned_assessor_cannot_score(open_round, bid):
    stranger = factories.user(Role.ASSESSOR)
    with pytest.raises(workflow.WorkflowError, match="not assessing this bid"):
        factories.submit_scores(bid, stranger, [1, 1, 1, 1, 1])


# What each score means, beside its radio button ---------------------------------------------


def radio_hints(page, criterion):
    """The hint beside each of the criterion's radio buttons, 0 to 4."""
    hints = []
    for position in range(1, 6):
        found = re.search(
            rf'<span id="id_score_{criterion.pk}_{position}_hint" class="govuk-hint govuk-radios__hint">\s*(.*?)\s*</span>',
            page,
            re.S,
        )
        hints.append(found and html.unescape(found.group(1)))
    return hints


def test_every_score_says_what_it_means_beside_its_radio_button(client_for, bid, assessor):
    own, blank, partial = scoring.criteria_for(bid)[:3]
    Criterion.objects.filter(pk=blank.pk).update(**dict.fromkeys(Criterion.LEVELS, ""))
    Criterion.objects.filter(pk=partial.pk).update(level_2="", level_4="")
    page = client_for(assessor).get(score_url(bid)).content.decode()
    # The round's own words where it gives them ...
    assert radio_hints(page, own) == [text for _, text in own.descriptors]
    # ... the general meaning where it gives none ...
    assert radio_hints(page, blank) == ["Not addressed", "Weak", "Adequate", "Good", "Excellent"]
    # ... and level by level where it gives some.
    assert radio_hints(page, partial) == [
        partial.level_0,
        partial.level_1,
        "Adequate",
        partial.level_3,
        "Excellent",
    ]
    # The criterion's guidance stays the question's hint, without the scale squeezed in.
    assert re.search(rf'id="id_score_{blank.pk}_hint"[^>]*>\s*{re.escape(blank.guidance)}\s*<', page)
    assert "Score from 0 to 4" not in page
    assert "govuk-radios--inline" not in page


# Every score needs a comment to be submitted -------------------------------------------------


def test_submitting_needs_a_comment_on_every_score_and_keeps_what_was_typed(client_for, bid, assessor):
    first, second, third = scoring.criteria_for(bid)[:3]
    data = form_data(bid, [3, 2, 2, 1, 4], **{f"comment_{second.pk}": "", f"comment_{third.pk}": "   "})
    response = client_for(assessor).post(score_url(bid), data)
    page = response.content.decode()
    assert response.status_code == 200 and "<title>Error: " in page
    summary = page[page.index("govuk-error-summary") : page.index("</ul>", page.index("govuk-error-summary"))]
    for criterion in (second, third):
        message = html.escape(f"Enter a comment on ‘{criterion.name}’ to explain your score")
        assert f'<a href="#id_comment_{criterion.pk}">{message}</a>' in summary
        assert f'id="id_comment_{criterion.pk}_1_error"' in page  # and beside the box itself
    assert html.escape(f"Enter a comment on ‘{first.name}’") not in page
    # What was typed and chosen comes back.
    assert f"Evidence for {first.name}" in html.unescape(page)
    assert re.search(r'value="4"\s+checked', page)
    assert not Assessment.objects.filter(bid=bid, assessor=assessor).exists()


def test_a_draft_may_leave_comments_out(client_for, bid, assessor):
    criterion = scoring.criteria_for(bid)[0]
    data = form_data(bid, [3, None, 2, None, None], action="draft", **{f"comment_{criterion.pk}": ""})
    assert client_for(assessor).post(score_url(bid), data).status_code == 302
    draft = Assessment.objects.get(bid=bid, assessor=assessor)
    assert draft.state == Assessment.State.DRAFT
    assert draft.scores.get(criterion=criterion).comment == ""


def test_the_comment_is_no_longer_labelled_optional(client_for, bid, assessor):
    page = client_for(assessor).get(score_url(bid)).content.decode()
    assert "(optional)" not in page
    assert "Every score needs a comment before you submit" in page


def test_scoring_refuses_to_submit_a_score_without_its_comment(bid, assessor):
    criteria = scoring.criteria_for(bid)
    scores = {criterion.pk: (3, "Clear evidence.") for criterion in criteria}
    scores[criteria[1].pk] = (3, " ")
    scores[criteria[4].pk] = (2, "")
    with pytest.raises(scoring.ScoringError) as refused:
        scoring.save(bid, assessor, scores=scores, recommendation="shortlist", summary="", submit=True)
    assert refused.value.problems == [
        f"Enter a comment on ‘{criteria[1].name}’ to explain your score",
        f"Enter a comment on ‘{criteria[4].name}’ to explain your score",
    ]
    assert not Assessment.objects.filter(
        bid=bid, assessor=assessor, state=Assessment.State.SUBMITTED
    ).exists()
    # A draft keeps the gaps.
    draft = scoring.save(bid, assessor, scores=scores, recommendation="", summary="", submit=False)
    assert draft.state == Assessment.State.DRAFT
