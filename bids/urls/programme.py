from django.urls import path

from ..views import calibration, changes, interviews, pending, programme, ranking, retention, setup

# Setting up rounds (administrators).
set_up_patterns = [
    path("rounds/new", setup.start, name="start-round"),
    path("rounds/new/details", setup.new_round, name="new-round"),
    path("rounds/<slug:round_slug>/set-up", setup.set_up, name="set-up"),
    path("rounds/<slug:round_slug>/set-up/<slug:section>", setup.change_section, name="round-section"),
    path("rounds/<slug:round_slug>/criteria/weights", setup.weights, name="weights"),
    path("rounds/<slug:round_slug>/criteria/add", setup.add_criterion, name="add-criterion"),
    path("rounds/<slug:round_slug>/criteria/<int:pk>", setup.change_criterion, name="criterion"),
    path(
        "rounds/<slug:round_slug>/criteria/<int:pk>/remove", setup.remove_criterion, name="remove-criterion"
    ),
    path("rounds/<slug:round_slug>/publish", setup.publish, name="publish-round"),
    path("rounds/<slug:round_slug>/preview", setup.preview, name="preview-round"),
    path("personal-data", retention.personal_data, name="personal-data"),
]

urlpatterns = [
    path("programme/ranking", ranking.current_ranking, name="current-ranking"),
    path("programme/assessors", programme.assessors, name="assessors"),
    path("programme/rounds/<slug:round_slug>/ranking", ranking.ranking, name="ranking"),
    path("programme/rounds/<slug:round_slug>/assignments", programme.assignments, name="assignments"),
    path("programme/rounds/<slug:round_slug>/assignments/auto", programme.auto_assign, name="auto-assign"),
    path("programme/rounds/<slug:round_slug>/moderation", programme.moderation_overview, name="moderation"),
    path("programme/rounds/<slug:round_slug>/calibration", calibration.calibration_page, name="calibration"),
    path("bids/<str:reference>/eligibility", programme.eligibility, name="eligibility"),
    path("bids/<str:reference>/assessors", programme.bid_assessors, name="bid-assessors"),
    path(
        "bids/<str:reference>/assessors/<int:assessor_pk>/remove",
        changes.RemoveAssessor.as_view(),
        name="unassign",
    ),
    path(
        "bids/<str:reference>/assessors/exclude", changes.ExcludeAssessor.as_view(), name="exclude-assessor"
    ),
    path(
        "bids/<str:reference>/assessors/<int:assessor_pk>/include",
        changes.IncludeAssessor.as_view(),
        name="include-assessor",
    ),
    path("bids/<str:reference>/moderation", programme.moderate, name="moderate"),
    path(
        "bids/<str:reference>/scores/<int:assessment_pk>/reopen",
        changes.ReopenScores.as_view(),
        name="reopen-scores",
    ),
    path("bids/<str:reference>/shortlisting", changes.Shortlist.as_view(), name="shortlist"),
    path("bids/<str:reference>/interview/schedule", interviews.schedule_interview, name="schedule-interview"),
    path(
        "bids/<str:reference>/interview/rearrange",
        interviews.reschedule_interview,
        name="reschedule-interview",
    ),
    path("bids/<str:reference>/interview/cancel", changes.CancelInterview.as_view(), name="cancel-interview"),
    path("bids/<str:reference>/interview/record", changes.RecordInterview.as_view(), name="record-interview"),
    path(
        "bids/<str:reference>/interview/your-score",
        interviews.MemberScore.as_view(),
        name="interview-member-score",
    ),
    path("bids/<str:reference>/interview.ics", interviews.interview_ics, name="interview-ics"),
    path("bids/<str:reference>/decision/reject", changes.Reject.as_view(), name="reject"),
    path(
        "programme/rounds/<slug:round_slug>/pending-decisions",
        pending.pending_decisions,
        name="pending-decisions",
    ),
    path(
        "bids/<str:reference>/pending-decision",
        changes.ChangePendingDecision.as_view(),
        name="change-pending-decision",
    ),
    path(
        "bids/<str:reference>/pending-decision/take-back",
        changes.TakeBackDecision.as_view(),
        name="take-back-decision",
    ),
]
