"""How long something took, in plain English, for the performance page."""

from django import template

from insights.durations import in_words

register = template.Library()
register.filter("in_words", in_words)
