"""Answering the satisfaction question after a submission: once per submission.

Not audited as the bid's changes are: an answer records no one, and the event trail would
name whoever gave it.
"""

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import SatisfactionAnswer


class AlreadyAnswered(Exception):
    """This submission of the bid has been answered about already."""


def answer_for(bid):
    """The answer about the bid's latest submission, or None."""
    if bid.submitted_at is None:
        return None
    return SatisfactionAnswer.objects.filter(bid=bid, submitted_at=bid.submitted_at).first()


def record_answer(bid, actor, satisfaction, improvement="", now=None):
    """Record how the council felt about the service and how it could be better.

    Only an officer of the bid's council, once it is submitted (PermissionDenied). A second
    answer about the same submission, even one sent at the same moment, is refused
    (AlreadyAnswered) and the first is kept.
    """
    if not actor.has_perm("insights.answer_satisfaction", bid):
        raise PermissionDenied
    try:
        with transaction.atomic():
            return SatisfactionAnswer.objects.create(
                bid=bid,
                funding_round_id=bid.funding_round_id,
                submitted_at=bid.submitted_at,
                satisfaction=satisfaction,
                improvement=improvement.strip(),
                given_at=now or timezone.now(),
            )
    except IntegrityError as error:
        raise AlreadyAnswered from error
