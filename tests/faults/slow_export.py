"""Loaded only by the Celery workers the fault tests start (`--include tests.faults.slow_export`).

Each award row of a report then takes SLOW_EXPORT_ROW_SECONDS and progress is recorded
after every row, so a test can find an export half-written and kill its worker there. The
service never imports this module: real exports run at full speed.
"""

import os
import time

from trusts.exports import awards_table, cells

ROW_SECONDS = float(os.environ["SLOW_EXPORT_ROW_SECONDS"])

cells.PROGRESS_EVERY = 1
_award_cells = awards_table.award_cells


def slow_award_cells(award):
    time.sleep(ROW_SECONDS)
    return _award_cells(award)


awards_table.award_cells = slow_award_cells
