"""AWS's six-field cron expressions, as Glue's SCHEDULED triggers take them: parsing and next times.

The syntax is AWS's, not Unix cron's: ``cron(Minutes Hours Day-of-month Month Day-of-week Year)``,
days of the week 1-7 from SUN, one of the two day fields ``?``, and the wildcards ``L``, ``W`` and
``#`` (https://docs.aws.amazon.com/glue/latest/dg/monitor-data-warehouse-schedule.html,
https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-scheduled-rule-pattern.html).
Times are UTC. Neither croniter nor cronsim takes this form (a sixth field is seconds to them).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

_MONTHS = {name.upper(): number for number, name in enumerate(calendar.month_abbr) if name}
_DAYS = {
    name: number for number, name in enumerate(("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"), 1)
}
_FIELDS = ("Minutes", "Hours", "Day-of-month", "Month", "Day-of-week", "Year")
_BOUNDS = ((0, 59), (0, 23), (1, 31), (1, 12), (1, 7), (1970, 2199))
_EXPRESSION = re.compile(r"cron\((.*)\)", re.DOTALL)
_ITEM = re.compile(r"(\*|[0-9A-Z]+)(?:-([0-9A-Z]+))?(?:/([0-9]+))?")


class CronError(ValueError):
    """An expression AWS would refuse; the message says which field and why."""


@dataclass(frozen=True)
class Cron:
    """A parsed expression. ``next_after`` gives the times it names."""

    expression: str
    minutes: tuple[int, ...]
    hours: tuple[int, ...]
    months: frozenset[int]
    years: tuple[int, ...]
    #: Day-of-month: plain days, ``L`` (last day), ``nW`` and ``LW`` (nearest weekday); None for ?.
    days: frozenset[int] | None
    last_day: bool
    weekday_near: tuple[int, ...]
    last_weekday: bool
    #: Day-of-week (1 = SUN): plain days, ``nL`` (last n-day of the month), ``n#k``; None for ?.
    weekdays: frozenset[int] | None
    last_of: tuple[int, ...]
    nth: tuple[tuple[int, int], ...]

    def next_after(self, moment: datetime) -> datetime | None:
        """The first time strictly after ``moment`` the expression names (None: never again)."""
        start = moment.replace(second=0, microsecond=0) + timedelta(minutes=1)
        for year in self.years:
            if year < start.year:
                continue
            for month in sorted(self.months):
                if (year, month) < (start.year, start.month):
                    continue
                for day in range(1, calendar.monthrange(year, month)[1] + 1):
                    if not self._day_matches(year, month, day):
                        continue
                    for hour in self.hours:
                        for minute in self.minutes:
                            when = start.replace(
                                year=year, month=month, day=day, hour=hour, minute=minute
                            )
                            if when >= start:
                                return when
        return None

    def _day_matches(self, year: int, month: int, day: int) -> bool:
        last = calendar.monthrange(year, month)[1]
        if self.days is not None:
            return (
                day in self.days
                or (self.last_day and day == last)
                or (self.last_weekday and day == _nearest_weekday(year, month, last))
                or any(day == _nearest_weekday(year, month, n) for n in self.weekday_near)
            )
        assert self.weekdays is not None
        weekday = calendar.weekday(year, month, day) + 2  # Monday is 0 to Python, 2 to AWS
        weekday = 1 if weekday == 8 else weekday
        return (
            weekday in self.weekdays
            or (weekday in self.last_of and day + 7 > last)
            or (weekday, (day - 1) // 7 + 1) in self.nth
        )


def _nearest_weekday(year: int, month: int, day: int) -> int:
    """The weekday (Monday-Friday) nearest ``day`` within its month, as ``nW`` names it."""
    last = calendar.monthrange(year, month)[1]
    day = min(day, last)
    weekday = calendar.weekday(year, month, day)
    if weekday == 5:  # Saturday: the Friday before, or the Monday after on the 1st
        return day - 1 if day > 1 else day + 2
    if weekday == 6:  # Sunday: the Monday after, or the Friday before on the last day
        return day + 1 if day < last else day - 2
    return day


def parse(expression: str) -> Cron:
    """Parse ``cron(...)``; CronError naming what is wrong."""
    match = _EXPRESSION.fullmatch(expression.strip())
    if match is None:
        if expression.strip().startswith("rate("):
            raise CronError(
                f"Schedule {expression!r}: Glue schedules take cron expressions, not rate "
                "expressions; e.g. cron(0 * * * ? *) for every hour."
            )
        raise CronError(
            f"Schedule {expression!r} is not a cron expression: expected "
            "cron(Minutes Hours Day-of-month Month Day-of-week Year), e.g. cron(15 12 * * ? *)."
        )
    fields = match.group(1).split()
    if len(fields) != 6:
        raise CronError(
            f"Schedule {expression!r} has {len(fields)} fields; AWS cron expressions have six "
            "(Minutes Hours Day-of-month Month Day-of-week Year), e.g. cron(15 12 * * ? *)."
        )
    minute, hour, dom, month, dow, year = fields
    if (dom == "?") == (dow == "?"):
        raise CronError(
            f"Schedule {expression!r}: exactly one of Day-of-month and Day-of-week must be '?' "
            "(e.g. cron(0 12 * * ? *) or cron(0 12 ? * MON-FRI *))."
        )
    day_parts = _days_of_month(expression, dom)
    week_parts = _days_of_week(expression, dow)
    return Cron(
        expression,
        tuple(sorted(_values(expression, 0, minute))),
        tuple(sorted(_values(expression, 1, hour))),
        frozenset(_values(expression, 3, month, _MONTHS)),
        tuple(sorted(_values(expression, 5, year))),
        *day_parts,
        *week_parts,
    )


def _days_of_month(
    expression: str, field: str
) -> tuple[frozenset[int] | None, bool, tuple[int, ...], bool]:
    if field == "?":
        return None, False, (), False
    days: set[int] = set()
    last_day = last_weekday = False
    near: list[int] = []
    for item in field.split(","):
        if item == "L":
            last_day = True
        elif item == "LW":
            last_weekday = True
        elif item.endswith("W") and item[:-1].isdigit():
            near.append(_number(expression, 2, item[:-1], {}))
        else:
            days |= _values(expression, 2, item)
    return frozenset(days), last_day, tuple(near), last_weekday


def _days_of_week(
    expression: str, field: str
) -> tuple[frozenset[int] | None, tuple[int, ...], tuple[tuple[int, int], ...]]:
    if field == "?":
        return None, (), ()
    days: set[int] = set()
    last_of: list[int] = []
    nth: list[tuple[int, int]] = []
    for item in field.split(","):
        if item == "L":
            days.add(7)  # alone, L is the last day of the week: Saturday
        elif item.endswith("L"):
            last_of.append(_number(expression, 4, item[:-1], _DAYS))
        elif "#" in item:
            day, _, count = item.partition("#")
            if not count.isdigit() or not 1 <= int(count) <= 5:
                raise _error(expression, 4, item, "the number after # must be 1 to 5")
            nth.append((_number(expression, 4, day, _DAYS), int(count)))
        else:
            days |= _values(expression, 4, item, _DAYS)
    return frozenset(days), tuple(last_of), tuple(nth)


def _values(
    expression: str, index: int, field: str, names: dict[str, int] | None = None
) -> set[int]:
    """The numbers a field (``*``, lists, ranges, steps) names."""
    low, high = _BOUNDS[index]
    values: set[int] = set()
    for item in field.split(","):
        match = _ITEM.fullmatch(item.upper())
        if match is None:
            raise _error(expression, index, item, "expected *, a value, a range a-b or a step /n")
        first, last, step = match.groups()
        if first == "*":
            if last is not None:
                raise _error(expression, index, item, "* cannot start a range")
            start, end = low, high
        else:
            start = _number(expression, index, first, names or {})
            end = start if last is None else _number(expression, index, last, names or {})
            if step is not None and last is None:
                end = high
        if start > end:
            raise _error(expression, index, item, "a range must go from low to high")
        increment = 1 if step is None else int(step)
        if increment < 1:
            raise _error(expression, index, item, "a step must be at least 1")
        values.update(range(start, end + 1, increment))
    return values


def _number(expression: str, index: int, text: str, names: dict[str, int]) -> int:
    low, high = _BOUNDS[index]
    value = names.get(text.upper()) if not text.isdigit() else int(text)
    if value is None or not low <= value <= high:
        raise _error(expression, index, text, f"values run from {low} to {high}")
    return value


def _error(expression: str, index: int, item: str, why: str) -> CronError:
    return CronError(f"Schedule {expression!r}: {_FIELDS[index]} {item!r} is not valid: {why}.")
