"""What the API views of news and notices share: the acting member and the output shapes."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from rest_framework import serializers
from rest_framework.request import Request

from mbn_platform.kernel.errors import NotFound
from mbn_platform.kernel.tenancy import request_access
from tenant_apps.news.selectors.news import me
from tenant_apps.school.models import Member


def member_of(request: Request) -> Member:
    member = me(request_access(request).user_id)
    if member is None:
        raise NotFound()
    return member


class NewsTargetOut(serializers.Serializer[object]):
    kind = serializers.CharField()
    class_id = serializers.IntegerField(source="school_class_id", allow_null=True)
    group_id = serializers.IntegerField(allow_null=True)


class NewsOut(serializers.Serializer[object]):
    id = serializers.IntegerField()
    title = serializers.CharField()
    body = serializers.CharField(help_text="sanitised HTML")
    visibility = serializers.CharField()
    state = serializers.CharField()
    publish_at = serializers.DateTimeField(allow_null=True)
    expire_at = serializers.DateTimeField(allow_null=True)
    published_at = serializers.DateTimeField(allow_null=True)
    author = serializers.CharField(source="author.display_name")
    image_url = serializers.SerializerMethodField()
    image_alt = serializers.CharField()
    targets = NewsTargetOut(many=True, source="targets.all")

    def get_image_url(self, item: Any) -> str | None:
        return reverse("news-image", args=[item.pk]) if item.image else None


class NoticeOut(serializers.Serializer[object]):
    id = serializers.IntegerField()
    title = serializers.CharField()
    body = serializers.CharField(help_text="sanitised HTML")
    class_id = serializers.IntegerField(source="school_class_id", allow_null=True)
    author = serializers.CharField(source="author.display_name")
    created_at = serializers.DateTimeField()


class NoticeFollowedOut(NoticeOut):
    guardians = serializers.IntegerField(help_text="guardians concerned")
    acknowledged = serializers.IntegerField(help_text="of whom have acknowledged")


class NoticeReceivedOut(serializers.Serializer[object]):
    """A notice as a guardian sees it, for one of their children."""

    notice = NoticeOut()
    student_id = serializers.IntegerField(source="student.user_id")
    student = serializers.CharField(source="student.display_name")
    acknowledged_at = serializers.DateTimeField(allow_null=True)


class TallyGuardianOut(serializers.Serializer[object]):
    guardian_id = serializers.IntegerField(source="guardian.user_id")
    guardian = serializers.CharField(source="guardian.display_name")
    acknowledged_at = serializers.DateTimeField(allow_null=True)
    reminded_at = serializers.DateTimeField(allow_null=True)


class TallyStudentOut(serializers.Serializer[object]):
    student_id = serializers.IntegerField(source="student.user_id")
    student = serializers.CharField(source="student.display_name")
    acknowledged = serializers.BooleanField(help_text="every guardian has acknowledged")
    guardians = TallyGuardianOut(many=True, source="rows")


class TallyClassOut(serializers.Serializer[object]):
    name = serializers.CharField()
    guardians = serializers.IntegerField()
    acknowledged = serializers.IntegerField()
    students = TallyStudentOut(many=True)
