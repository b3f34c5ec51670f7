"""What the platform tells people about (the notification types) and how (the channels).

Adding a type: a member of ``NotificationType`` and its ``TYPE_RULES`` entry (label, whether a
person may turn its e-mails off, whether it is kept in the centre). Never rename a member: stored
events and people's preferences name it.
"""

from __future__ import annotations

__all__ = [
    "DEFAULT_URGENT_TYPES",
    "OPTIONAL_TYPES",
    "TYPE_RULES",
    "Channel",
    "EmailMode",
    "NotificationType",
    "TypeRule",
]

from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationType(models.TextChoices):
    ABSENCE = "absence", _("Absences")
    LESSON_CHANGE = "lesson_change", _("Timetable changes")
    GRADE = "grade", _("Grades")
    HOMEWORK = "homework", _("Homework")
    MESSAGE = "message", _("Messages")
    REPORT_CARD = "report_card", _("Report cards")
    APPOINTMENT = "appointment", _("Appointments")
    FORM = "form", _("Forms and surveys")
    NEWS = "news", _("News and notices")
    DISCIPLINE = "discipline", _("School life and discipline")
    SPACES = "spaces", _("Collaborative spaces")
    SUPPORT = "support", _("Support requests")
    ADMINISTRATION = "administration", _("Administration of the establishment")
    #: Account security: activation codes, password reset, second-factor reset. Always e-mailed,
    #: at once, whatever the preferences and the quiet hours; never kept (they carry secrets).
    ACCOUNT = "account", _("Your account")


class Channel(models.TextChoices):
    WEB = "web", _("In the application")
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("Text message (SMS)")
    PUSH = "push", _("Push notification (the MBN app)")


class EmailMode(models.TextChoices):
    """When a person's e-mails leave: one per event, or one a day grouping them (the digest)."""

    IMMEDIATE = "immediate", _("One e-mail per notification")
    DIGEST = "digest", _("One e-mail a day (digest)")


@dataclass(frozen=True)
class TypeRule:
    label: Any
    #: A person may choose its channels (else: e-mail always, e.g. account security).
    optional: bool = True
    #: Kept in the notification centre (``False``: delivered, never stored).
    stored: bool = True
    #: May wait for the daily digest (``False``: an answer the person is waiting for, e-mailed
    #: at once even to those who take the digest).
    digest: bool = True


TYPE_RULES: dict[str, TypeRule] = {
    t.value: TypeRule(label=t.label) for t in NotificationType if t != NotificationType.ACCOUNT
}
TYPE_RULES[NotificationType.ACCOUNT.value] = TypeRule(
    label=NotificationType.ACCOUNT.label, optional=False, stored=False, digest=False
)
for _immediate in (NotificationType.SUPPORT, NotificationType.ADMINISTRATION):
    TYPE_RULES[_immediate.value] = TypeRule(label=_immediate.label, digest=False)

#: The types a person may set preferences for (account security is not one of them).
OPTIONAL_TYPES: tuple[str, ...] = tuple(t for t, rule in TYPE_RULES.items() if rule.optional)

#: The types a school marks urgent unless it decides otherwise (same-day unjustified absences).
DEFAULT_URGENT_TYPES: tuple[str, ...] = (NotificationType.ABSENCE.value,)
