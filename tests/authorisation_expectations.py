"""What every URL answers to each kind of person, by GET and by POST.

tests/test_authorisation_matrix.py walks every URL pattern Django's resolver knows and
looks each name up here; a name with no row fails the test, so a new view arrives with its
row. Each row says which scene of the test's world gives the URL its objects (every object
belongs to Kent County Council, "own"; "other" is a Leeds officer) and, per actor in
ACTORS order, what GET and an empty POST must answer.

Answers are exact: a status code, or SIGN_IN (302 to the sign-in page), or REDIRECT (302
anywhere else: back to the bid page with a message, on to the next page), or ADMIN_LOGIN
(302 to the Django admin's sign-in). A council on another authority's objects and an
assessor who is unassigned, or assigned but conflicted, must get 404: a 403 would tell them
the object exists.
"""

from dataclasses import dataclass, field

ACTORS = (
    "anonymous",  # not signed in
    "other",  # a council officer of Leeds, on Kent's objects
    "own",  # a council officer of Kent, on Kent's own objects
    "unassigned",  # an assessor not assigned to the bid
    "conflicted",  # an assessor assigned to the bid who declared a conflict with Kent
    "assigned",  # an assessor assigned to the bid, and on its interview panel
    "lead",  # the programme lead
    "admin",  # an administrator
)

SIGN_IN = "302 sign-in"
ADMIN_LOGIN = "302 admin sign-in"
REDIRECT = "302"


@dataclass(frozen=True)
class Row:
    """scene: which part of the world the URL's objects come from (see World.scenes).
    get, post: one answer per actor, in ACTORS order.
    kwargs: URL keyword -> the scene's key for it, where the scene key is not the keyword.
    data: the POST's body; empty unless a minimal body reaches a path worth asking about."""

    scene: str
    get: tuple
    post: tuple
    kwargs: dict = field(default_factory=dict)
    data: dict = field(default_factory=dict)

    def __post_init__(self):
        for method in (self.get, self.post):
            if len(method) != len(ACTORS):
                raise ValueError(f"{len(method)} answers for {len(ACTORS)} actors: {method}")


def same(answers):
    return answers, answers


def all_(answer):
    return (answer,) * len(ACTORS)


# Shapes that many rows share, in ACTORS order:
#   (anonymous, other, own, unassigned, conflicted, assigned, lead, admin)
EVERYONE = all_(200)
NOT_ALLOWED = all_(405)
SIGNED_IN = (SIGN_IN, 200, 200, 200, 200, 200, 200, 200)
ADMIN_ONLY = (SIGN_IN, 403, 403, 403, 403, 403, 403, 200)
# The council's pages for its bid; officials who can see the bid have their own pages (403).
COUNCIL_PAGE = (SIGN_IN, 404, 200, 404, 404, 403, 403, 403)
COUNCIL_REDIRECT = (SIGN_IN, 404, REDIRECT, 404, 404, 403, 403, 403)
# Everyone who may see the bid: its council, its assessors without a conflict, the programme team.
BID_READERS = (SIGN_IN, 404, 200, 404, 404, 200, 200, 200)
# The programme lead's actions on a bid.
LEAD_ACTION = (SIGN_IN, 404, 403, 404, 404, 403, 200, 403)
LEAD_REDIRECT = (SIGN_IN, 404, 403, 404, 404, 403, REDIRECT, 403)
# The interview panel's pages (the assigned assessor and the lead are on the panel).
PANEL_PAGE = (SIGN_IN, 404, 403, 404, 404, 200, 200, 403)
PANEL_WAITS = (SIGN_IN, 404, 403, 404, 404, REDIRECT, REDIRECT, 403)
# Programme pages that name no bid: 403 for whoever lacks the permission.
LEAD_PAGE = (SIGN_IN, 403, 403, 403, 403, 403, 200, 403)
PROGRAMME_PAGE = (SIGN_IN, 403, 403, 403, 403, 403, 200, 200)
# Award and report pages: assessors never see awards, and the reports' existence is hidden (404).
AWARD_READERS = (SIGN_IN, 404, 200, 404, 404, 404, 200, 200)
COUNCIL_AWARD_ACTION = (SIGN_IN, 404, 200, 404, 404, 404, 403, 403)
LEAD_AWARD_ACTION = (SIGN_IN, 404, 403, 404, 404, 404, 200, 403)
PROGRAMME_REPORT = (SIGN_IN, 404, 404, 404, 404, 404, 200, 200)
# A payment's steps: the lead requests; another official, here the administrator, approves or
# sends back what the lead requested (the lead who asked is sent back to the award, told
# someone else must); either records the payment. The council sees its schedule, not these.
LEAD_AWARD_REDIRECT = (SIGN_IN, 404, 403, 404, 404, 404, REDIRECT, 403)
SECOND_OFFICIAL = (SIGN_IN, 404, 403, 404, 404, 404, REDIRECT, 200)
SECOND_OFFICIAL_REDIRECT = (SIGN_IN, 404, 403, 404, 404, 404, REDIRECT, REDIRECT)
PAYMENT_OFFICIALS = (SIGN_IN, 404, 403, 404, 404, 404, 200, 200)


# An administrator's change to a person that does not apply to them now: back to their page.
ADMIN_REDIRECT = (SIGN_IN, 403, 403, 403, 403, 403, 403, REDIRECT)
# A council's bid lead (both council officers lead their council's bid) and their colleagues.
BID_LEAD_PAGE = (SIGN_IN, 200, 200, 403, 403, 403, 403, 403)
COLLEAGUE_PAGE = (SIGN_IN, 404, 200, 403, 403, 403, 403, 403)
COLLEAGUE_REDIRECT = (SIGN_IN, 404, REDIRECT, 403, 403, 403, 403, 403)


def all_404_but_sign_in():
    return (SIGN_IN,) + (404,) * (len(ACTORS) - 1)


def row(scene, get, post=None, data=None, **kwargs):
    return Row(scene, get, get if post is None else post, kwargs, data or {})


# URL name -> its Row, or a list of Rows to ask it about objects at different stages.
ROWS = {
    # Service pages and signing in --------------------------------------------------------
    "home": row("none", SIGNED_IN),
    "healthz": row("none", EVERYONE, NOT_ALLOWED),
    "accessibility": row("none", EVERYONE),
    "privacy": row("none", EVERYONE),
    "accounts:sign-in": row("none", (200, *(REDIRECT,) * 7)),
    "accounts:sign-out": row("none", NOT_ALLOWED, all_(SIGN_IN)),
    "accounts:password-reset": row("none", EVERYONE),
    "accounts:password-reset-sent": row("none", EVERYONE),
    # A valid invitation link stores its token in the session and moves to the form.
    "accounts:set-password": row("none", all_(REDIRECT)),
    "accounts:password-set": row("none", EVERYONE),
    "accounts:users": row("none", ADMIN_ONLY),
    "accounts:invite-user": row("none", ADMIN_ONLY),
    # The second factor: everyone here has finished signing in (tests/conftest.py), so the
    # pages for giving one move them on; only councils may turn theirs off.
    "accounts:two-factor-setup": row("none", SIGNED_IN),
    "accounts:two-factor-code": row("none", (SIGN_IN, *(REDIRECT,) * 7)),
    "accounts:recovery-codes": row("none", (SIGN_IN, *(REDIRECT,) * 7)),
    "accounts:account": row("none", SIGNED_IN),
    "accounts:new-recovery-codes": row("none", NOT_ALLOWED, (SIGN_IN, *(REDIRECT,) * 7)),
    "accounts:turn-off-second-factor": row(
        "none", NOT_ALLOWED, (SIGN_IN, REDIRECT, REDIRECT, 403, 403, 403, 403, 403)
    ),
    "accounts:keep-alive": row("none", NOT_ALLOWED, (SIGN_IN, *(204,) * 7)),
    "accounts:reset-second-factor": row("person", ADMIN_ONLY),
    # People: an empty POST comes back with what is missing (a role change's reason, ...).
    "accounts:person": row("person", ADMIN_ONLY),
    "accounts:change-role": row("person", ADMIN_ONLY),
    "accounts:deactivate": [row("person", ADMIN_ONLY), row("deactivated", ADMIN_REDIRECT)],
    "accounts:reactivate": [row("deactivated", ADMIN_ONLY), row("person", ADMIN_REDIRECT)],
    # Only to someone who has not yet chosen a password; confirming needs nothing more.
    "accounts:resend-invitation": [
        row("invited", ADMIN_ONLY, ADMIN_REDIRECT),
        row("person", ADMIN_REDIRECT),
    ],
    "accounts:colleagues": row("none", BID_LEAD_PAGE),
    "accounts:invite-colleague": row("none", BID_LEAD_PAGE),
    # A colleague of Kent's: Leeds's bid lead is told nothing (404). Removing needs no reason.
    "accounts:remove-colleague": [
        row("colleague", COLLEAGUE_PAGE, COLLEAGUE_REDIRECT),
        row("deactivated", COLLEAGUE_REDIRECT),
    ],
    # The bid page, one URL for every role ------------------------------------------------
    "bids:bid": [
        row("draft", BID_READERS),
        row("under_assessment", BID_READERS),
        row("offered", BID_READERS),
    ],
    # The council's pages -----------------------------------------------------------------
    "bids:start": row("none", NOT_ALLOWED, (SIGN_IN, REDIRECT, REDIRECT, 403, 403, 403, 403, 403)),
    # A bid that can no longer be changed sends its council back to the bid page.
    "bids:check": [row("draft", COUNCIL_PAGE), row("submitted", COUNCIL_REDIRECT)],
    "bids:submitted": row("submitted", COUNCIL_PAGE),
    "bids:withdraw": [row("submitted", COUNCIL_PAGE), row("offered", COUNCIL_REDIRECT)],
    "bids:copy": row("withdrawn", NOT_ALLOWED, COUNCIL_REDIRECT),
    "bids:partners": row("draft", COUNCIL_PAGE),
    "bids:partner-add": row("draft", COUNCIL_PAGE),
    "bids:partner-change": row("draft", COUNCIL_PAGE, pk="partner"),
    "bids:partner-remove": row("draft", COUNCIL_PAGE, COUNCIL_REDIRECT, pk="partner"),
    "bids:documents": row("draft", COUNCIL_PAGE),
    "bids:document": row("under_assessment", BID_READERS, pk="document"),
    "bids:document-remove": row("draft", COUNCIL_PAGE, COUNCIL_REDIRECT, pk="document"),
    "bids:section-complete": row("draft", COUNCIL_PAGE),
    "bids:section": row("draft", COUNCIL_REDIRECT),
    "bids:section-page": row("draft", COUNCIL_PAGE),
    "bids:extensions": row("none", LEAD_PAGE),
    # Any council may read an open round's page before starting a bid.
    "bids:round": row("none", (SIGN_IN, 200, 200, 403, 403, 403, 403, 403), NOT_ALLOWED),
    # Setting up rounds: administrators only. An empty POST comes back with its errors; the
    # round of every scene is already published, so publishing it again goes back to it.
    "bids:start-round": row("none", ADMIN_ONLY),
    "bids:new-round": row("none", ADMIN_ONLY),
    "bids:set-up": row("none", ADMIN_ONLY, NOT_ALLOWED),
    "bids:round-section": row("round", ADMIN_ONLY, section="round_section"),
    "bids:weights": row("none", ADMIN_ONLY),
    "bids:add-criterion": row("none", ADMIN_ONLY),
    "bids:criterion": row("round", ADMIN_ONLY),
    "bids:remove-criterion": row("round", ADMIN_ONLY),
    "bids:publish-round": row("none", NOT_ALLOWED, (SIGN_IN, 403, 403, 403, 403, 403, 403, REDIRECT)),
    "bids:preview-round": row("none", ADMIN_ONLY, NOT_ALLOWED),
    "bids:personal-data": row("none", ADMIN_ONLY, NOT_ALLOWED),
    # Assessors' pages --------------------------------------------------------------------
    "bids:conflicts": row("none", (SIGN_IN, 403, 403, 200, 200, 200, 200, 403)),
    # An empty POST saves the assigned assessor's draft scores and comes back to the page.
    "bids:score": row(
        "under_assessment",
        (SIGN_IN, 404, 403, 404, 404, 200, 403, 403),
        (SIGN_IN, 404, 403, 404, 404, REDIRECT, 403, 403),
    ),
    # The programme team's pages ----------------------------------------------------------
    "bids:current-ranking": row("none", (SIGN_IN, 403, 403, 403, 403, 403, REDIRECT, REDIRECT)),
    "bids:assessors": row("none", PROGRAMME_PAGE),
    # Administrators may read the ranking but not shortlist from it.
    "bids:ranking": row("none", PROGRAMME_PAGE, (SIGN_IN, 403, 403, 403, 403, 403, 200, 403)),
    "bids:assignments": row("none", PROGRAMME_PAGE),
    "bids:auto-assign": row("none", NOT_ALLOWED, (SIGN_IN, 403, 403, 403, 403, 403, REDIRECT, 403)),
    "bids:moderation": row("none", PROGRAMME_PAGE),
    "bids:calibration": row("none", PROGRAMME_PAGE),
    "bids:eligibility": row("submitted", LEAD_ACTION),
    "bids:bid-assessors": row("under_assessment", LEAD_ACTION),
    # Removing an assessor is confirmed: the page says what happens to their scores.
    "bids:unassign": row("under_assessment", LEAD_ACTION, LEAD_REDIRECT),
    # Excluding needs an assessor and a reason, so an empty POST comes back with its errors.
    "bids:exclude-assessor": row("under_assessment", LEAD_ACTION),
    "bids:include-assessor": row("excluded", LEAD_ACTION, assessor_pk="excluded_assessor"),
    # Administrators may read the score sheet; a POST sends them back, changing nothing.
    "bids:moderate": row(
        "under_assessment",
        (SIGN_IN, 404, 403, 404, 404, 403, 200, 200),
        (SIGN_IN, 404, 403, 404, 404, 403, 200, REDIRECT),
    ),
    "bids:reopen-scores": row("scored", LEAD_ACTION),
    "bids:shortlist": row("under_assessment", LEAD_ACTION),
    "bids:schedule-interview": row("shortlisted", LEAD_ACTION),
    "bids:reschedule-interview": row("interview_booked", LEAD_ACTION),
    "bids:cancel-interview": row("interview_booked", LEAD_ACTION),
    # The lead, and an assessor on the panel without a conflict.
    # Recording the interview, and each panel member's own score: the panel's (the assigned
    # assessor and the lead sit on it), once the interview has started; before, back to the
    # bid saying when it starts (an empty POST comes back with what is missing).
    "bids:record-interview": [
        row("interview_booked", PANEL_WAITS, PANEL_PAGE),
        row("interview_started", PANEL_PAGE),
    ],
    "bids:interview-member-score": [
        row("interview_booked", PANEL_WAITS, PANEL_PAGE),
        row("interview_started", PANEL_PAGE),
    ],
    "bids:interview-ics": row("interview_booked", BID_READERS),
    "trusts:approve": [
        row("interviewed", LEAD_ACTION),
        # An amount too large to hold in pence is an error on the form, not a crash.
        row("interviewed", LEAD_ACTION, data={"base_amount": "1e400", "supplement_amount": "1e400"}),
    ],
    "bids:reject": row("interviewed", LEAD_ACTION),
    # Decisions recorded as pending: the lead's alone. Without one pending, back to the list.
    "bids:pending-decisions": row("none", LEAD_PAGE, NOT_ALLOWED),
    # Changing one needs its reasons and feedback, so an empty POST comes back with errors.
    "bids:change-pending-decision": [row("pending", LEAD_ACTION), row("under_assessment", LEAD_REDIRECT)],
    # Taking one back needs no reason.
    "bids:take-back-decision": [
        row("pending", LEAD_ACTION, LEAD_REDIRECT),
        row("under_assessment", LEAD_REDIRECT),
    ],
    # Releasing: an empty POST releases what is pending; with nothing pending, back to the list.
    "trusts:release-decisions": [
        row("pending", LEAD_PAGE, (SIGN_IN, 403, 403, 403, 403, 403, REDIRECT, 403)),
        row("none", (SIGN_IN, 403, 403, 403, 403, 403, REDIRECT, 403)),
    ],
    # Due diligence: only the programme sees it; the lead records, the administrator reads.
    "trusts:due-diligence": Row(
        "interviewed", PROGRAMME_REPORT, (SIGN_IN, 404, 404, 404, 404, 404, 200, 403)
    ),
    # Awards and trusts -------------------------------------------------------------------
    "trusts:awards": row("none", PROGRAMME_REPORT),
    "trusts:award": row("offered", AWARD_READERS),
    "trusts:award-letter": row("offered", AWARD_READERS),
    # The signed agreement: both sides download it; before it is signed there is none (404).
    "trusts:agreement": [row("accepted", AWARD_READERS), row("offered", all_404_but_sign_in())],
    "trusts:accept": [
        row("offered", COUNCIL_AWARD_ACTION),
        # Too late: the council is sent back to the award; the lead still may not act for it.
        row("accepted", (SIGN_IN, 404, REDIRECT, 404, 404, 404, 403, 403)),
    ],
    "trusts:decline": row("offered", COUNCIL_AWARD_ACTION),
    "trusts:withdraw": row("offered", LEAD_AWARD_ACTION),
    # The annual review: the lead's, on a pilot the council has accepted.
    "trusts:review": row("accepted", LEAD_AWARD_ACTION),
    "trusts:record-consultation": row("accepted", COUNCIL_AWARD_ACTION),
    "trusts:evidence": row("accepted", AWARD_READERS),
    "trusts:conditions-met": row("accepted", LEAD_AWARD_ACTION),
    # Payments. An empty POST is a complete request or approval (the note is optional).
    "trusts:schedule": [
        row("accepted", LEAD_AWARD_ACTION),
        # Fixed once a payment is requested: back to the award.
        row("payment_requested", LEAD_AWARD_REDIRECT),
    ],
    "trusts:request-payment": [
        row("payment_released", LEAD_AWARD_ACTION, LEAD_AWARD_REDIRECT),
        # Not yet released (the condition is not met): back to the award, saying why.
        row("accepted", LEAD_AWARD_REDIRECT),
    ],
    "trusts:approve-payment": row("payment_requested", SECOND_OFFICIAL, SECOND_OFFICIAL_REDIRECT),
    # Sending back needs a reason, so an empty POST comes back with its error.
    "trusts:send-back-payment": row("payment_requested", SECOND_OFFICIAL),
    "trusts:record-paid": row("payment_approved", PAYMENT_OFFICIALS),
    "trusts:payments": row("none", PROGRAMME_REPORT),
    "trusts:trust": row("accepted", AWARD_READERS, pk="trust"),
    "trusts:budget": row("none", PROGRAMME_REPORT),
    # Reports -----------------------------------------------------------------------------
    "trusts:reports": row("none", PROGRAMME_REPORT),
    "trusts:export-status": row("export", PROGRAMME_REPORT),
    "trusts:export-download": row("export", PROGRAMME_REPORT),
    # Monitoring returns ----------------------------------------------------------------------
    "monitoring:returns": row("none", PROGRAMME_REPORT),
    "monitoring:award-returns": [row("pilot", AWARD_READERS), row("offered", AWARD_READERS)],
    # The council fills in its return: an empty POST comes back with what is missing. Once it
    # waits for certification the form sends the council to the return instead.
    "monitoring:return-form": [
        row("pilot", COUNCIL_AWARD_ACTION),
        row("return_draft", COUNCIL_AWARD_ACTION, pk="award"),
        row("return_awaiting", (SIGN_IN, 404, REDIRECT, 404, 404, 404, 403, 403), pk="award"),
    ],
    "monitoring:return": row("return_draft", AWARD_READERS),
    # Check your answers; an empty POST (the state it was drawn at is optional) sends it.
    "monitoring:send": [
        row("return_draft", COUNCIL_AWARD_ACTION, (SIGN_IN, 404, REDIRECT, 404, 404, 404, 403, 403)),
        row("return_awaiting", (SIGN_IN, 404, REDIRECT, 404, 404, 404, 403, 403)),
    ],
    # Another Kent officer prepared it, so Kent's officer here may certify it or send it back.
    "monitoring:certify": [
        row("return_awaiting", COUNCIL_AWARD_ACTION),
        row("return_submitted", (SIGN_IN, 404, REDIRECT, 404, 404, 404, 403, 403)),
    ],
    "monitoring:send-back": row("return_awaiting", COUNCIL_AWARD_ACTION),
    # The lead decides; accepting needs no more than the button, asking for changes a reason.
    "monitoring:accept": [
        row("return_submitted", LEAD_AWARD_ACTION, (SIGN_IN, 404, 403, 404, 404, 404, REDIRECT, 403)),
        row("return_draft", (SIGN_IN, 404, 403, 404, 404, 404, REDIRECT, 403)),
    ],
    "monitoring:request-changes": row("return_submitted", LEAD_AWARD_ACTION),
    # Service performance -----------------------------------------------------------------
    # The satisfaction question after a submission: the bid's council answers it (an empty
    # POST comes back with its error); before it is answered, its thank-you page goes to it.
    "insights:answer": row("submitted", COUNCIL_PAGE),
    "insights:answered": row("submitted", COUNCIL_REDIRECT, NOT_ALLOWED),
    # The programme team's figures, as the pipeline's pages: 403 for everyone else.
    "insights:rounds": row("none", PROGRAMME_PAGE, NOT_ALLOWED),
    "insights:performance": row("none", PROGRAMME_PAGE, NOT_ALLOWED),
    "insights:performance-csv": row("none", PROGRAMME_PAGE, NOT_ALLOWED),
    "insights:satisfaction-csv": row("none", PROGRAMME_PAGE, NOT_ALLOWED),
}

# The Django admin, as one group: it is for superusers only, so every actor above, the
# programme's administrators too, is sent to its sign-in on every page below; this is what
# a superuser gets, (GET, POST), on each. Every model registered with the admin must be
# listed, so a new one is decided on.
ADMIN_GROUP = "admin:*"
ADMIN_SITE = {
    "admin:index": (200, 200),
    "admin:accounts_user_changelist": (200, 200),
    "admin:accounts_outboundemail_changelist": (200, 200),
    "admin:bids_fundinground_changelist": (200, 200),
    "admin:reference_localauthority_changelist": (200, 200),
    "admin:reference_servicescope_changelist": (200, 200),
    "admin:trusts_fundingaward_changelist": (200, 200),
    "admin:trusts_reportexport_changelist": (200, 200),
    "admin:monitoring_monitoringreturn_changelist": (200, 200),
    "admin:auth_group_changelist": (200, 200),
    "admin:axes_accessattempt_changelist": (200, 200),
    "admin:axes_accesslog_changelist": (200, 200),
    "admin:axes_accessfailurelog_changelist": (200, 200),
}
