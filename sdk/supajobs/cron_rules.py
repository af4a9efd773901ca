"""Client-side cron checks: the rules and SJ107 messages of jobs._cron_parse, then croniter.

Supported: 5 fields, numbers, names (JAN-DEC, SUN-SAT), `*`, `?` (day fields), ranges, steps,
lists, `L` alone in day-of-month, and the @hourly/@daily/... macros.
"""

from __future__ import annotations

import re

from croniter import croniter

from supajobs.errors import ValidationError

MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
DAYS = ("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT")
FIELDS: tuple[tuple[str, int, int, tuple[str, ...] | None, int], ...] = (
    ("minute", 0, 59, None, 0), ("hour", 0, 23, None, 0), ("day-of-month", 1, 31, None, 0),
    ("month", 1, 12, MONTHS, 1), ("day-of-week", 0, 7, DAYS, 0))
MACROS = {"@hourly": "0 * * * *", "@daily": "0 0 * * *", "@midnight": "0 0 * * *",
          "@weekly": "0 0 * * 0", "@monthly": "0 0 1 * *", "@yearly": "0 0 1 1 *",
          "@annually": "0 0 1 1 *"}
_ELEMENT = re.compile(r"^(\*|[A-Za-z0-9]+)(?:-([A-Za-z0-9]+))?(?:/([0-9]+))?$")
_FIELD_COUNT = "expected 5 fields (minute hour day-of-month month day-of-week), got {}"
_SECONDS = re.compile(r"[0-9]+\s+seconds?", re.IGNORECASE)
_SECONDS_PROBLEM = ("second-level schedules are pg_cron's own syntax, used only by "
                    "supajobs' sweeper; a schedule fires at most once a minute: write 5 fields "
                    '(minute hour day-of-month month day-of-week), e.g. "* * * * *"')


class _CronError(Exception):
    pass


def _value(field: str, token: str, lo: int, hi: int, names: tuple[str, ...] | None,
           base: int) -> int:
    if re.fullmatch(r"[0-9]{1,6}", token):
        value = int(token)
        if not lo <= value <= hi:
            raise _CronError(f"{field} {value} is out of range {lo}-{hi}")
        return value
    if names and token.upper() in names:
        return names.index(token.upper()) + base
    if token.upper() == "L":
        raise _CronError(f"{field}: L must stand alone as a day-of-month list element")
    choices = f" or a name ({names[0]}...{names[-1]})" if names else ""
    raise _CronError(f'{field} value "{token}" is not a number{choices}')


def _field(src: str, field: str, lo: int, hi: int, names: tuple[str, ...] | None,
           base: int) -> None:
    top = 6 if field == "day-of-week" else hi
    for elem in src.split(","):
        if elem == "":
            raise _CronError(f'{field} "{src}" has an empty list element')
        if elem == "*" or (elem == "?" and field.startswith("day-of")):
            continue
        if elem.upper() == "L":
            if field != "day-of-month":
                raise _CronError(f"L is only allowed in day-of-month, not in {field}")
            continue
        match = _ELEMENT.match(elem)
        if match is None:
            raise _CronError(f'{field} element "{elem}" is not a value, a range (a-b), '
                       "a step (*/n, a/n, a-b/n) or L")
        start, end, step = match.groups()
        if step is not None and (len(step) > 4 or int(step) < 1):
            raise _CronError(f'{field} step "{step}" must be from 1 to 9999')
        if start == "*":
            if end is not None:
                raise _CronError(f'{field} element "{elem}": * cannot start a range')
            continue
        a = _value(field, start, lo, hi, names, base)
        b = (_value(field, end, lo, hi, names, base) if end is not None
             else max(a, top) if step is not None else a)
        if b < a:
            raise _CronError(f'{field} range "{elem}" runs backwards ({a} > {b})')
        if b == a and end is not None:  # croniter reads 5-5 as the whole cycle; cron as 5
            raise _CronError(f'{field} range "{elem}" starts and ends at {a}: '
                             "write the single value")


def cron_problem(expression: str | None) -> str | None:
    """The SJ107 message for a bad expression, or None when it is valid."""
    src = (expression or "").strip(" ")
    if src == "":
        return "cron_expression is required (5 fields: minute hour day-of-month month day-of-week)"
    src = MACROS.get(src.lower(), src)
    if len(src) > 1000:
        return "cron_expression is longer than 1000 characters"
    fields = re.split(r"\s+", src)
    try:
        if _SECONDS.fullmatch(src):  # pg_cron >= 1.5's form; fires are per minute here
            raise _CronError(_SECONDS_PROBLEM)
        if len(fields) != 5:
            raise _CronError(_FIELD_COUNT.format(len(fields)))
        for src_field, (field, lo, hi, names, base) in zip(fields, FIELDS, strict=True):
            _field(src_field, field, lo, hi, names, base)
    except _CronError as bad:
        return f'cron_expression "{expression}": {bad}'
    if not croniter.is_valid(" ".join(fields).replace("?", "*")):
        return f'cron_expression "{expression}": croniter cannot evaluate it'
    return None


def check_cron(expression: str | None) -> str:
    """Raise ValidationError (field cron_expression, SJ107) or return the normalised text."""
    problem = cron_problem(expression)
    if problem is not None:
        raise ValidationError(problem, field="cron_expression", code="SJ107")
    return re.sub(r"\s+", " ", (expression or "").strip(" "))
