"""Funding rounds, the bids councils make to them, and everything officials record while
assessing them. State changes happen only through bids/workflow.py."""

from .assessment import *  # noqa: F403
from .bid import *  # noqa: F403
from .rounds import *  # noqa: F403
