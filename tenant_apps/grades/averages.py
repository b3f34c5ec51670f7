"""The arithmetic of grades, exact to the decimal (no floats anywhere).

Rules (docs/grades.md states them for families and staff; tests/grades/test_averages.py checks
them on hand-computed cases):

1. A grade is brought to /20: ``value x 20 / scale``, kept exact (28 significant digits).
2. Special marks: "not handed in" counts as 0; "absent", "exempt" and "not graded" leave the
   assessment out of the student's average.
3. Subject average of a period: the counted grades' mean weighted by the assessments'
   coefficients, ``Σ(g x c) / Σc``.
4. Optional grades are counted (with their coefficient) only when they raise the average: taken
   from the best down, each is added while it is above the average so far (this gives the highest
   average any choice of optional grades could give). With no counted grade, the best optional
   grade starts the average.
5. Bonus grades add only their points above 10/20: ``Σ(max(0, g - 10) x c) / Σc`` of the counted
   grades is added to the average, capped at 20. A bonus alone makes no average.
6. Rounding happens once, at the end, half up (12.345 → 12.35), to the establishment's step
   (hundredth by default; tenth, half point or point).
7. The overall average is the subjects' rounded averages (those shown on the report card, so a
   family can check it by hand) weighted by the subjects' coefficients; subjects without an
   average, or with coefficient 0, are left out; then rounded the same way.
8. Class average, minimum and maximum of an assessment: over the grades that count (rule 2), on
   the assessment's scale; of a subject: over the students' rounded subject averages.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Context, Decimal, localcontext

TWENTY = Decimal(20)
TEN = Decimal(10)
ZERO = Decimal(0)
EXACT = Context(prec=28)


@dataclass(frozen=True)
class Counted:
    """One grade as the averages see it: its value on /20 (None when left out), its
    coefficient and its assessment's kind (``normal``, ``optional``, ``bonus``)."""

    on_twenty: Decimal | None
    coefficient: Decimal
    kind: str = "normal"


def on_twenty(value: Decimal | None, scale: Decimal, mark: str = "") -> Decimal | None:
    """A grade brought to /20 (rules 1 and 2)."""
    if mark == "not_handed_in":
        return ZERO
    if mark or value is None:
        return None
    with localcontext(EXACT):
        return value * TWENTY / scale


def rounded(value: Decimal | None, step: Decimal | str = "0.01") -> Decimal | None:
    """Half up to the step (rule 6): ``rounded(Decimal("12.345"))`` is 12.35, to the half point
    12.25 is 12.5."""
    if value is None:
        return None
    step = Decimal(step)
    with localcontext(EXACT):
        units = (value / step).quantize(Decimal(1), rounding=ROUND_HALF_UP)
        return (units * step).quantize(step)


def _mean(pairs: Iterable[tuple[Decimal, Decimal]]) -> tuple[Decimal | None, Decimal]:
    total = weight = ZERO
    with localcontext(EXACT):
        for value, coefficient in pairs:
            total += value * coefficient
            weight += coefficient
        return (total / weight if weight else None), weight


def subject_average_exact(grades: Sequence[Counted]) -> Decimal | None:
    """Rules 3 to 5, unrounded."""
    counted = [(g.on_twenty, g.coefficient) for g in grades if g.kind == "normal" and g.on_twenty is not None]
    average, weight = _mean(counted)
    optional = sorted(
        (g for g in grades if g.kind == "optional" and g.on_twenty is not None),
        key=lambda g: g.on_twenty or ZERO,
        reverse=True,
    )
    with localcontext(EXACT):
        for grade in optional:
            value = grade.on_twenty or ZERO
            if average is None or value > average:
                counted.append((value, grade.coefficient))
                average, weight = _mean(counted)
        if average is None:
            return None
        bonus = sum(
            (max(ZERO, (g.on_twenty or ZERO) - TEN) * g.coefficient for g in grades if g.kind == "bonus"),
            start=ZERO,
        )
        if bonus:
            average = min(TWENTY, average + bonus / weight)
        return average


def subject_average(grades: Sequence[Counted], step: Decimal | str = "0.01") -> Decimal | None:
    return rounded(subject_average_exact(grades), step)


def overall_average(
    subjects: Iterable[tuple[Decimal | None, Decimal]], step: Decimal | str = "0.01"
) -> Decimal | None:
    """Rule 7: ``subjects`` are (rounded subject average, subject coefficient)."""
    average, _weight = _mean((a, c) for a, c in subjects if a is not None and c > 0)
    return rounded(average, step)


@dataclass(frozen=True)
class Spread:
    average: Decimal | None
    minimum: Decimal | None
    maximum: Decimal | None
    count: int


def spread(values: Iterable[Decimal | None], step: Decimal | str = "0.01") -> Spread:
    """Rule 8: mean (rounded), minimum and maximum of the values that count."""
    found = [v for v in values if v is not None]
    if not found:
        return Spread(None, None, None, 0)
    with localcontext(EXACT):
        mean = sum(found, start=ZERO) / len(found)
    return Spread(rounded(mean, step), min(found), max(found), len(found))


def assessment_value(value: Decimal | None, mark: str) -> Decimal | None:
    """A grade on its own scale as it counts for the class statistics (rule 2)."""
    if mark == "not_handed_in":
        return ZERO
    return None if mark else value
