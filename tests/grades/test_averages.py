"""The arithmetic of grades on hand-computed cases (rules in tenant_apps/grades/averages.py).
Pure functions: no database."""

from __future__ import annotations

from decimal import Decimal as D  # noqa: N817

import pytest

from tenant_apps.grades.averages import (
    Counted,
    assessment_value,
    on_twenty,
    overall_average,
    rounded,
    spread,
    subject_average,
    subject_average_exact,
)


def g(value: str, coefficient: str = "1", kind: str = "normal", scale: str = "20", mark: str = "") -> Counted:
    return Counted(on_twenty(D(value) if value else None, D(scale), mark), D(coefficient), kind)


def test_grades_are_brought_to_twenty_exactly():
    assert on_twenty(D("7"), D("10")) == D("14")
    assert on_twenty(D("13.5"), D("40")) == D("6.75")
    # 7/15 x 20 = 9.333…: kept exact until the end, rounded once.
    assert rounded(on_twenty(D("7"), D("15"))) == D("9.33")


def test_weighted_mean_by_coefficients():
    # (12 x 1 + 15 x 2 + 8/10→16 x 0.5) / 3.5 = (12 + 30 + 8) / 3.5 = 14.2857… → 14.29
    grades = [g("12"), g("15", "2"), g("8", "0.5", scale="10")]
    assert subject_average(grades) == D("14.29")


def test_special_marks_absent_exempt_not_graded_are_left_out_not_handed_in_is_zero():
    grades = [g("14"), g("", mark="absent"), g("", mark="exempt"), g("", mark="not_graded")]
    assert subject_average(grades) == D("14.00")
    # (14 + 0) / 2 = 7
    assert subject_average([g("14"), g("", mark="not_handed_in")]) == D("7.00")
    assert subject_average([g("", mark="absent")]) is None
    assert assessment_value(None, "not_handed_in") == D(0) and assessment_value(D(5), "absent") is None


def test_optional_grades_count_only_when_they_raise_the_average():
    base = [g("10"), g("12")]  # 11
    assert subject_average([*base, g("9", kind="optional")]) == D("11.00")
    # 16 raises: (10 + 12 + 16) / 3 = 12.666… → 12.67
    assert subject_average([*base, g("16", kind="optional")]) == D("12.67")
    # Best first: 16 → 12.67; 13 > 12.67 → (38 + 13)/4 = 12.75; 12.5 < 12.75 left out.
    grades = [*base, g("13", kind="optional"), g("12.5", kind="optional"), g("16", kind="optional")]
    assert subject_average(grades) == D("12.75")
    # With no counted grade, the best optional grade starts the average.
    assert subject_average([g("8", kind="optional"), g("11", kind="optional")]) == D("11.00")


def test_bonus_adds_only_the_points_above_ten():
    base = [g("10"), g("12", "2")]  # (10 + 24) / 3 = 11.333…
    # + (15 - 10) x 1 / 3 = 1.666… → 13.00 exactly
    assert subject_average([*base, g("15", kind="bonus")]) == D("13.00")
    assert subject_average([*base, g("8", kind="bonus")]) == D("11.33")
    assert subject_average([g("19"), g("20", "4", kind="bonus")]) == D("20.00")  # capped
    assert subject_average([g("18", kind="bonus")]) is None
    assert subject_average_exact([]) is None


def test_rounding_half_up_to_the_establishments_step():
    assert rounded(D("12.345")) == D("12.35")
    assert rounded(D("12.344999")) == D("12.34")
    assert rounded(D("12.25"), "0.1") == D("12.3")
    assert rounded(D("12.25"), "0.5") == D("12.5")
    assert rounded(D("12.24"), "0.5") == D("12.0")
    assert rounded(D("12.5"), "1") == D("13")
    assert rounded(None) is None


def test_overall_average_from_the_rounded_subject_averages_and_their_coefficients():
    # (12.35 x 3 + 9.5 x 2 + 15 x 1) / 6 = (37.05 + 19 + 15) / 6 = 11.841666… → 11.84
    subjects = [(D("12.35"), D(3)), (D("9.5"), D(2)), (D("15"), D(1)), (None, D(4)), (D(20), D(0))]
    assert overall_average(subjects) == D("11.84")
    assert overall_average(subjects, "0.1") == D("11.8")
    assert overall_average([]) is None


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([D("12"), D("8.5"), None, D("15.25")], (D("11.92"), D("8.5"), D("15.25"), 3)),
        ([None], (None, None, None, 0)),
    ],
)
def test_class_average_minimum_maximum(values, expected):
    s = spread(values)
    assert (s.average, s.minimum, s.maximum, s.count) == expected
