from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SchoolCalendarConfig(AppConfig):
    name = "shared_apps.schoolcalendar"
    label = "schoolcalendar"
    verbose_name = _("Region school calendar")
