"""Working days for review deadlines (pure: no Django).

Official deadlines count 工作日: weekends and public holidays are off, and the
make-up Saturdays/Sundays (调休) are on. ``chinese_calendar`` knows the State
Council's schedule for the years it ships data for; for a year it does not know
yet we fall back to Monday–Friday rather than refuse to count.
"""

from __future__ import annotations

from datetime import date, timedelta

import chinese_calendar


def is_working_day(day: date) -> bool:
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:  # schedule not yet published for that year
        return day.weekday() < 5


def add_working_days(start: date, n: int) -> date:
    """The ``n``-th working day after ``start`` (``start`` itself does not count)."""
    day = start
    while n > 0:
        day += timedelta(days=1)
        if is_working_day(day):
            n -= 1
    return day


def working_days_late(deadline: date, today: date) -> int:
    """Working days after ``deadline`` up to and including ``today``; 0 if not late."""
    late, day = 0, deadline
    while day < today:
        day += timedelta(days=1)
        if is_working_day(day):
            late += 1
    return late
