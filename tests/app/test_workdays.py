"""The one business-day function: weekends, national holidays, cuti bersama and regency days off."""

from datetime import date

import pytest

from app.core.workdays import add_working_days, holiday_years_covered, is_working_day, working_days_between


@pytest.mark.parametrize("day, expected", [
    (date(2026, 11, 27), True),   # Friday
    (date(2026, 11, 28), False),  # Saturday
    (date(2026, 3, 20), False),   # cuti bersama Idulfitri 1447 H
    (date(2026, 3, 23), False),   # cuti bersama Idulfitri
    (date(2026, 3, 25), True),    # first working day after Idulfitri
    (date(2026, 8, 17), False),   # Proklamasi
    (date(2026, 12, 24), False),  # cuti bersama Natal
])
def test_is_working_day(day, expected):
    assert is_working_day(day) is expected


def test_three_working_days_across_idulfitri_2026():
    # Submitted on Tuesday 17 March 2026: 18 Mar cuti Nyepi, 19 Nyepi, 20–24 Idulfitri with cuti bersama.
    assert add_working_days(date(2026, 3, 17), 3) == date(2026, 3, 27)
    assert working_days_between(date(2026, 3, 17), date(2026, 3, 27)) == 3


def test_five_working_days_over_a_weekend_and_a_regency_day_off():
    start = date(2026, 12, 14)  # Monday
    assert add_working_days(start, 5) == date(2026, 12, 21)
    assert add_working_days(start, 5, {date(2026, 12, 18)}) == date(2026, 12, 22)  # Hari Jadi Banyuwangi


def test_zero_days_is_the_same_day_and_negative_is_refused():
    assert add_working_days(date(2026, 5, 4), 0) == date(2026, 5, 4)
    with pytest.raises(ValueError):
        add_working_days(date(2026, 5, 4), -1)


def test_years_without_holiday_data_count_weekends_only():
    assert 2026 in holiday_years_covered()
    assert add_working_days(date(2030, 1, 4), 1) == date(2030, 1, 7)  # Friday → Monday
