"""AWS's six-field cron expressions, as SCHEDULED triggers take them
(https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-scheduled-rule-pattern.html):
the documented examples, invalid expressions, and a property check against a brute-force scan."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pytest_gluejobs._core.cron import CronError, parse

START = datetime(2026, 12, 1, 0, 0)  # a Tuesday


@pytest.mark.parametrize(
    ("expression", "first", "second"),
    [
        # The documented examples: 10:15 every day; 18:00 Monday to Friday; 08:00 on the 1st;
        # every 10 minutes on weekdays; 6:00 on the last Friday of each month in 2026 and 2027.
        ("cron(15 10 * * ? *)", datetime(2026, 12, 1, 10, 15), datetime(2026, 12, 2, 10, 15)),
        ("cron(0 18 ? * MON-FRI *)", datetime(2026, 12, 1, 18), datetime(2026, 12, 2, 18)),
        ("cron(0 8 1 * ? *)", datetime(2026, 12, 1, 8), datetime(2027, 1, 1, 8)),
        ("cron(0/10 * ? * MON-FRI *)", datetime(2026, 12, 1, 0, 10), datetime(2026, 12, 1, 0, 20)),
        ("cron(0 6 ? * 6L 2026-2027)", datetime(2026, 12, 25, 6), datetime(2027, 1, 29, 6)),
        ("cron(0 0 L * ? *)", datetime(2026, 12, 31), datetime(2027, 1, 31)),
        ("cron(0 0 ? * 3#2 *)", datetime(2026, 12, 8), datetime(2027, 1, 12)),
        # The weekday nearest the 5th: December 5th 2026 is a Saturday, so Friday the 4th.
        ("cron(0 0 5W * ? *)", datetime(2026, 12, 4), datetime(2027, 1, 5)),
        (
            "cron(30 9 ? JAN,JUL SUN 2027)",
            datetime(2027, 1, 3, 9, 30),
            datetime(2027, 1, 10, 9, 30),
        ),
    ],
)
def test_documented_expressions_fire_when_aws_says(
    expression: str, first: datetime, second: datetime
) -> None:
    cron = parse(expression)
    assert cron.next_after(START) == first
    assert cron.next_after(first) == second


def test_an_expression_that_names_no_future_time_never_fires() -> None:
    assert parse("cron(0 0 30 FEB ? *)").next_after(START) is None
    assert parse("cron(0 0 * * ? 2020)").next_after(START) is None


@pytest.mark.parametrize(
    "expression",
    [
        "0 12 * * ? *",  # no cron(...)
        "cron(0 12 * * *)",  # five fields (Unix cron)
        "cron(0 12 * * * *)",  # both day fields given
        "cron(0 12 ? * ? *)",  # neither
        "cron(60 * * * ? *)",
        "cron(0 24 * * ? *)",
        "cron(0 0 32 * ? *)",
        "cron(0 0 ? * 8 *)",
        "cron(0 0 ? * MON#6 *)",
        "cron(0 0 * FOO ? *)",
        "cron(5-1 * * * ? *)",
        "cron(0/0 * * * ? *)",
        "cron(0 0 * * ? 1969)",
        "rate(5 minutes)",
    ],
)
def test_invalid_expressions_are_refused(expression: str) -> None:
    with pytest.raises(CronError):
        parse(expression)


def _matches(moment: datetime, minutes: set[int], hours: set[int], weekdays: set[int]) -> bool:
    aws_weekday = (moment.weekday() + 1) % 7 + 1  # AWS: 1 is Sunday
    return moment.minute in minutes and moment.hour in hours and aws_weekday in weekdays


@settings(max_examples=60, deadline=None)
@given(
    minutes=st.sets(st.integers(0, 59), min_size=1, max_size=4),
    hours=st.sets(st.integers(0, 23), min_size=1, max_size=3),
    weekdays=st.sets(st.integers(1, 7), min_size=1, max_size=3),
    after=st.datetimes(datetime(2026, 1, 1), datetime(2027, 12, 1)),
)
def test_the_next_time_is_the_first_matching_minute_after(
    minutes: set[int], hours: set[int], weekdays: set[int], after: datetime
) -> None:
    def field(values: set[int]) -> str:
        return ",".join(map(str, sorted(values)))

    cron = parse(f"cron({field(minutes)} {field(hours)} ? * {field(weekdays)} *)")
    found = cron.next_after(after)
    assert found is not None and found > after
    assert _matches(found, minutes, hours, weekdays)
    moment = after.replace(second=0, microsecond=0) + timedelta(minutes=1)
    while moment < found:  # nothing earlier matches (at most a week of minutes)
        assert not _matches(moment, minutes, hours, weekdays), moment
        moment += timedelta(minutes=1)
    following = cron.next_after(found)
    assert following is not None and following > found  # monotonic
