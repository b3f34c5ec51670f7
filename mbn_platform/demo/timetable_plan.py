"""A school's weekly timetable, planned (no database): every class gets its courses' hours spread
over the week, an A/B slot (physics in week A, life sciences in week B) and its second language in
groups mixing it with a partner class, with no teacher (so no room: rooms follow teachers) in two
places at once. Deterministic: the same school always gets the same week."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from mbn_platform.demo.data import AB_BLOCK, LANGUAGE_GROUPS, LANGUAGE_HOURS, DemoSchool

T = datetime.time
SLOTS = (
    (T(8, 0), T(9, 0)),
    (T(9, 0), T(10, 0)),
    (T(10, 15), T(11, 15)),
    (T(11, 15), T(12, 15)),
    (T(13, 30), T(14, 30)),
    (T(14, 30), T(15, 30)),
    (T(15, 45), T(16, 45)),
)
WEDNESDAY = 2
#: Wednesday afternoon is free, as in French secondary schools.
SLOTS_OF_DAY = {day: 4 if day == WEDNESDAY else len(SLOTS) for day in range(5)}


@dataclass(frozen=True)
class PlannedLesson:
    weekday: int
    slot: int
    week: str  # "every", "A" or "B"
    subject: str  # a code of the school's courses (or of AB_BLOCK, LANGUAGE_GROUPS)
    subject_name: str
    teacher: int  # index in data.TEACHERS
    room: str  # "" (the teacher's room), "lab" or "gym"
    class_name: str = ""
    group: str = ""  # a group name (then no class)

    @property
    def start(self) -> datetime.time:
        return SLOTS[self.slot][0]

    @property
    def end(self) -> datetime.time:
        return SLOTS[self.slot][1]


@dataclass(frozen=True)
class _Block:
    classes: tuple[str, ...]
    teachers: tuple[int, ...]
    subject: str
    lessons: tuple[PlannedLesson, ...]  # with weekday/slot to fill in


def language_group_names(school: DemoSchool) -> list[tuple[tuple[str, ...], list[tuple[str, str, int, str]]]]:
    """Each pair of classes (the last one alone when odd) and its language groups: (code, subject
    name, teacher, group name)."""
    names = [name for name, _level in school.classes]
    pairs = [tuple(names[i : i + 2]) for i in range(0, len(names), 2)]
    return [
        (
            pair,
            [(code, name, teacher, f"{name} {' / '.join(pair)}") for code, name, teacher in LANGUAGE_GROUPS],
        )
        for pair in pairs
    ]


def _blocks(school: DemoSchool) -> list[_Block]:
    blocks: list[_Block] = []
    for pair, groups in language_group_names(school):
        for _hour in range(LANGUAGE_HOURS):
            blocks.append(
                _Block(
                    classes=pair,
                    teachers=tuple(teacher for _c, _n, teacher, _g in groups),
                    subject="LV2",
                    lessons=tuple(
                        PlannedLesson(0, 0, "every", code, name, teacher, "", group=group_name)
                        for code, name, teacher, group_name in groups
                    ),
                )
            )
    for class_name, _level in school.classes:
        blocks.append(
            _Block(
                classes=(class_name,),
                teachers=tuple(teacher for _c, _n, teacher, _r in AB_BLOCK),
                subject="AB",
                lessons=tuple(
                    PlannedLesson(0, 0, week, code, name, teacher, room, class_name=class_name)
                    for week, (code, name, teacher, room) in zip(("A", "B"), AB_BLOCK, strict=True)
                ),
            )
        )
        for course in sorted(school.courses, key=lambda c: -c.hours):
            for _hour in range(course.hours):
                blocks.append(
                    _Block(
                        classes=(class_name,),
                        teachers=(course.teacher,),
                        subject=course.code,
                        lessons=(
                            PlannedLesson(
                                0,
                                0,
                                "every",
                                course.code,
                                course.name,
                                course.teacher,
                                course.room,
                                class_name,
                            ),
                        ),
                    )
                )
    return blocks


def weekly_plan(school: DemoSchool) -> list[PlannedLesson]:
    """Every recurring lesson of the school's week. A block goes to the first free slot, days
    tried from one that turns with each class and hour (so a class has a subject on different
    days, and a teacher teaches on every day of the week); a class has each subject at most once
    a day while another day can take it."""
    busy_class: set[tuple[str, int, int]] = set()
    busy_teacher: set[tuple[int, int, int]] = set()
    subject_days: set[tuple[str, str, int]] = set()
    planned: list[PlannedLesson] = []
    for turn, block in enumerate(_blocks(school)):
        place = _place(block, turn, busy_class, busy_teacher, subject_days)
        if place is None:
            raise ValueError(f"no slot left for {block.subject} of {block.classes} at {school.subdomain}")
        day, slot = place
        for name in block.classes:
            busy_class.add((name, day, slot))
            subject_days.add((name, block.subject, day))
        for teacher in block.teachers:
            busy_teacher.add((teacher, day, slot))
        planned.extend(
            PlannedLesson(
                day, slot, p.week, p.subject, p.subject_name, p.teacher, p.room, p.class_name, p.group
            )
            for p in block.lessons
        )
    return planned


def _place(
    block: _Block,
    turn: int,
    busy_class: set[tuple[str, int, int]],
    busy_teacher: set[tuple[int, int, int]],
    subject_days: set[tuple[str, str, int]],
) -> tuple[int, int] | None:
    days = [(turn * 3 + i) % 5 for i in range(5)]
    for spread in (True, False):
        for day in days:
            if spread and any((name, block.subject, day) in subject_days for name in block.classes):
                continue
            for slot in range(SLOTS_OF_DAY[day]):
                if any((name, day, slot) in busy_class for name in block.classes):
                    continue
                if any((teacher, day, slot) in busy_teacher for teacher in block.teachers):
                    continue
                return day, slot
    return None
