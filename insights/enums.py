"""The answers to the satisfaction question, as the GOV.UK Design System words them. A leaf
module: it imports nothing of ours."""

from django.db import models


class Satisfaction(models.TextChoices):
    """Stable slugs, most satisfied first: renaming a label is fine, a slug is stored."""

    VERY_SATISFIED = "very_satisfied", "Very satisfied"
    SATISFIED = "satisfied", "Satisfied"
    NEITHER = "neither", "Neither satisfied nor dissatisfied"
    DISSATISFIED = "dissatisfied", "Dissatisfied"
    VERY_DISSATISFIED = "very_dissatisfied", "Very dissatisfied"


# What counts as satisfied in the headline figure (the GOV.UK user satisfaction measure).
SATISFIED = (Satisfaction.VERY_SATISFIED, Satisfaction.SATISFIED)

# How long the comment may be: the page counts the characters as they are typed.
IMPROVEMENT_LIMIT = 1200
