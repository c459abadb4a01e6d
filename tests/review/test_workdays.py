"""Working days follow the State Council's schedule (chinese_calendar)."""

from __future__ import annotations

from datetime import date

from haotong.review.workdays import add_working_days, is_working_day, working_days_late


def test_spring_festival_holidays_are_not_working_days_and_make_up_days_are():
    assert not is_working_day(date(2023, 1, 23))  # 春节 Monday
    assert is_working_day(date(2023, 1, 28))  # 调休 Saturday


def test_five_working_days_across_spring_festival():
    # 1/16 Mon → 17, 18, 19, 20, then the holiday, then Saturday 1/28 (调休).
    assert add_working_days(date(2023, 1, 16), 5) == date(2023, 1, 28)


def test_lateness_counts_working_days_after_the_deadline():
    # Deadline Mon 2023-02-27; as of Fri 2023-03-03 → Tue..Fri = 4 working days.
    assert working_days_late(date(2023, 2, 27), date(2023, 3, 3)) == 4
    assert working_days_late(date(2023, 3, 3), date(2023, 3, 5)) == 0  # a weekend
    assert working_days_late(date(2023, 3, 3), date(2023, 3, 1)) == 0  # not yet due


def test_a_year_without_a_published_schedule_falls_back_to_weekdays():
    assert is_working_day(date(2099, 1, 5))  # a Monday
    assert not is_working_day(date(2099, 1, 4))  # a Sunday
