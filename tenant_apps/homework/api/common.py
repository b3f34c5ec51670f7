"""What the notebook's API views share: the person's scope and the output shapes."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from rest_framework import serializers
from rest_framework.request import Request

from mbn_platform.kernel.tenancy import request_access


def scope(request: Request) -> dict[str, Any]:
    access = request_access(request)
    return {"user_id": access.user_id or 0, "roles": access.roles}


class NotebookFileOut(serializers.Serializer[object]):
    id = serializers.IntegerField()
    name = serializers.CharField()
    size = serializers.IntegerField()
    content_type = serializers.CharField()
    url = serializers.SerializerMethodField()

    def get_url(self, attachment: Any) -> str:
        return reverse("homework-file", args=[attachment.pk])


class NotebookLinkOut(serializers.Serializer[object]):
    url = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]


class NotebookAudienceOut(serializers.Serializer[object]):
    school_class_id = serializers.IntegerField(allow_null=True)
    group_id = serializers.IntegerField(allow_null=True)
    audience = serializers.CharField(source="audience_name")


class HomeworkOut(NotebookAudienceOut):
    id = serializers.IntegerField()
    entry_id = serializers.IntegerField()
    subject = serializers.CharField(source="subject.name")
    teacher = serializers.CharField(source="teacher.display_name")
    set_on = serializers.DateField(source="entry.date")
    due_on = serializers.DateField()
    instructions = serializers.CharField(help_text="sanitised HTML")
    estimated_minutes = serializers.IntegerField(allow_null=True)
    online_submission = serializers.BooleanField()
    attachments = NotebookFileOut(many=True, source="attachments.all")
    done = serializers.SerializerMethodField(help_text="for a student's list: ticked done")

    def get_done(self, homework: Any) -> bool | None:
        return getattr(homework, "is_done", None)


class NotebookEntryOut(NotebookAudienceOut):
    id = serializers.IntegerField()
    lesson_id = serializers.IntegerField(allow_null=True)
    date = serializers.DateField()
    subject = serializers.CharField(source="subject.name")
    teacher = serializers.CharField(source="teacher.display_name")
    title = serializers.CharField()
    content = serializers.CharField(help_text="sanitised HTML")
    links = NotebookLinkOut(many=True)
    attachments = NotebookFileOut(many=True, source="attachments.all")
    homework_ids = serializers.SerializerMethodField()

    def get_homework_ids(self, entry: Any) -> list[int]:
        return [h.pk for h in entry.homework.all()]


class HomeworkSubmissionOut(serializers.Serializer[object]):
    id = serializers.IntegerField()
    homework_id = serializers.IntegerField()
    student_id = serializers.IntegerField(source="student.user_id")
    student = serializers.CharField(source="student.display_name")
    text = serializers.CharField()
    submitted_at = serializers.DateTimeField()
    returned_at = serializers.DateTimeField(allow_null=True)
    comment = serializers.CharField()
    attachments = NotebookFileOut(many=True, source="attachments.all")
