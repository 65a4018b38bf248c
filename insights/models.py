"""What councils thought of the service: one answer to the satisfaction question for each
submission of a bid.

An answer keeps no personal data: not who gave it, only the bid and round it is about (so
a submission is answered once and the answers add up by round). The programme team sees
answers by round, never with the council's name.
"""

from django.db import models
from django.utils import timezone

from .enums import IMPROVEMENT_LIMIT, Satisfaction


class SatisfactionAnswer(models.Model):
    bid = models.ForeignKey("bids.Bid", on_delete=models.CASCADE, related_name="satisfaction_answers")
    funding_round = models.ForeignKey(
        "bids.FundingRound", on_delete=models.PROTECT, related_name="satisfaction_answers"
    )
    # The submission answered about: the bid's submitted_at when the answer was given. A bid
    # returned to its council and submitted again may be answered about again.
    submitted_at = models.DateTimeField()
    satisfaction = models.CharField(max_length=20, choices=Satisfaction.choices)
    improvement = models.TextField(
        "how we could improve the service", max_length=IMPROVEMENT_LIMIT, blank=True
    )
    given_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-given_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["bid", "submitted_at"], name="one_answer_per_submission"),
        ]
        indexes = [models.Index(fields=["funding_round", "given_at"], name="answer_round_given_idx")]

    def __str__(self):
        return f"{self.get_satisfaction_display()} about bid {self.bid_id}"
