"""Kent's pilot and the people around it: the officer who prepares returns (kent_user), Kent's
director who certifies them, and the programme lead."""

import pytest

from accounts.models import Role
from tests import factories

from .builders import pilot


@pytest.fixture
def kent_director(db):
    return factories.user(
        Role.COUNCIL,
        "KEN",
        email="kent.director@example.com",
        full_name="Dana Director",
        job_title="Director of Children's Services",
    )


@pytest.fixture
def pilot_award(lead, kent_user, kent_director, open_round):
    """Kent's accepted award; its trust became operational 60 days ago, so return 1 has begun."""
    return pilot(kent_user, lead, open_round)
