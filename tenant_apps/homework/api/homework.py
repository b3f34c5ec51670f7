"""Homework in the API (``/api/v1/homework/…``): a student's list by due date (their own, or a
guardian's child's), the lists staff see, set and withdraw, tick done, files, hand in and return.
What a person may not see: 404."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from mbn_platform.kernel.actors import actor_of
from mbn_platform.kernel.api import BaseAPIView, DateInRange, DefaultPagination
from mbn_platform.kernel.errors import NotFound
from mbn_platform.kernel.lookups import get_named, get_or_404
from mbn_platform.kernel.parsing import query_date, query_int
from shared_apps.identity.roles import STAFF_ROLES
from tenant_apps.homework import selectors, services
from tenant_apps.homework.api.common import HomeworkOut, HomeworkSubmissionOut, NotebookFileOut, scope
from tenant_apps.homework.api.entries import NotebookFileIn
from tenant_apps.homework.models import Homework, Submission
from tenant_apps.homework.permissions import HOMEWORK_READERS, NOTEBOOK_OVERSEERS, NOTEBOOK_WRITERS, STUDENTS
from tenant_apps.timetable.models import Lesson


class HomeworkIn(serializers.Serializer[object]):
    lesson_id = serializers.IntegerField(min_value=1, help_text="the lesson it is set in")
    date = DateInRange(help_text="the day of that lesson")
    due_on = DateInRange(required=False, allow_null=True, default=None)
    for_next_lesson = serializers.BooleanField(required=False, default=False)
    instructions = serializers.CharField(max_length=50_000)
    estimated_minutes = serializers.IntegerField(required=False, allow_null=True, default=None)
    online_submission = serializers.BooleanField(required=False, default=False)


class HomeworkDoneIn(serializers.Serializer[object]):
    done = serializers.BooleanField()


class HomeworkSubmissionIn(serializers.Serializer[object]):
    text = serializers.CharField(max_length=20_000, required=False, default="", allow_blank=True)
    files = serializers.ListField(child=serializers.FileField(), required=False, default=list, max_length=10)


class HomeworkReturnIn(serializers.Serializer[object]):
    comment = serializers.CharField(max_length=20_000)


def homework_seen(request: Request, homework_id: int) -> Homework:
    return get_or_404(selectors.homework_visible(**scope(request)), pk=homework_id)


class HomeworkListApi(BaseAPIView):
    """GET: a student's homework by due date with ``done`` (``student_id``: a guardian's child; by
    default one's own or one's first child), or for staff the homework they see (``class_id``);
    ``from``/``to`` bound the due dates. POST: a teacher sets homework in one of their lessons."""

    pagination_class = DefaultPagination
    required_roles = HOMEWORK_READERS
    write_roles = NOTEBOOK_WRITERS

    @extend_schema(
        parameters=[
            OpenApiParameter("student_id", int, description="a user id"),
            OpenApiParameter("class_id", int),
            OpenApiParameter("from", str, description="YYYY-MM-DD"),
            OpenApiParameter("to", str, description="YYYY-MM-DD"),
        ],
        responses=HomeworkOut(many=True),
    )
    def get(self, request: Request) -> Response:
        who = scope(request)
        start, end = query_date(request.GET, "from"), query_date(request.GET, "to")
        student_id = query_int(request.GET, "student_id")
        found: Any
        if student_id is not None or not who["roles"] & STAFF_ROLES:
            student = selectors.student_for_viewer(**who, student_user_id=student_id)
            if student is None:
                if student_id is not None:
                    raise NotFound()
                found = Homework.objects.none()
            else:
                found = selectors.homework_of_student(student=student, start=start, end=end).prefetch_related(
                    "attachments"
                )
        else:
            found = selectors.homework_visible(**who).order_by("-due_on", "pk")
            class_id = query_int(request.GET, "class_id")
            if class_id is not None:
                found = found.filter(school_class_id=class_id)
            if start is not None:
                found = found.filter(due_on__gte=start)
            if end is not None:
                found = found.filter(due_on__lte=end)
        return self.page_response(request, found, lambda rows: HomeworkOut(rows, many=True).data)

    @extend_schema(request=HomeworkIn, responses={201: HomeworkOut})
    def post(self, request: Request) -> Response:
        data = HomeworkIn(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        homework = services.homework_set(
            actor=actor_of(request),
            lesson=get_named(Lesson, v["lesson_id"], field="lesson_id"),
            date=v["date"],
            due_on=v["due_on"],
            for_next_lesson=v["for_next_lesson"],
            instructions=v["instructions"],
            estimated_minutes=v["estimated_minutes"],
            online_submission=v["online_submission"],
        )
        return Response(HomeworkOut(homework).data, status=201)


class HomeworkDetailApi(BaseAPIView):
    """GET: one homework the person sees; DELETE: the teacher who set it withdraws it."""

    required_roles = HOMEWORK_READERS
    write_roles = NOTEBOOK_WRITERS

    @extend_schema(responses=HomeworkOut)
    def get(self, request: Request, homework_id: int) -> Response:
        return Response(HomeworkOut(homework_seen(request, homework_id)).data)

    @extend_schema(responses={204: None})
    def delete(self, request: Request, homework_id: int) -> Response:
        services.homework_delete(actor=actor_of(request), homework=homework_seen(request, homework_id))
        return Response(status=204)


class HomeworkDoneApi(BaseAPIView):
    """PUT: a student ticks a homework done (``done: true``) or not done."""

    required_roles = STUDENTS

    @extend_schema(request=HomeworkDoneIn, responses=HomeworkDoneIn)
    def put(self, request: Request, homework_id: int) -> Response:
        homework = homework_seen(request, homework_id)
        data = HomeworkDoneIn(data=request.data)
        data.is_valid(raise_exception=True)
        done = services.homework_done_set(
            actor=actor_of(request), homework=homework, done=data.validated_data["done"]
        )
        return Response({"done": done})


class HomeworkFileApi(BaseAPIView):
    """POST (multipart, ``file``): the teacher who set a homework attaches a document to it."""

    required_roles = NOTEBOOK_WRITERS
    parser_classes = [MultiPartParser]

    @extend_schema(request={"multipart/form-data": NotebookFileIn}, responses={201: NotebookFileOut})
    def post(self, request: Request, homework_id: int) -> Response:
        homework = homework_seen(request, homework_id)
        data = NotebookFileIn(data=request.data)
        data.is_valid(raise_exception=True)
        attachment = services.homework_attach(
            actor=actor_of(request), homework=homework, upload=data.validated_data["file"]
        )
        return Response(NotebookFileOut(attachment).data, status=201)


class SubmissionListApi(BaseAPIView):
    """GET: what was handed in for a homework (its teacher, the overseers)."""

    pagination_class = DefaultPagination
    required_roles = NOTEBOOK_WRITERS | NOTEBOOK_OVERSEERS

    @extend_schema(responses=HomeworkSubmissionOut(many=True))
    def get(self, request: Request, homework_id: int) -> Response:
        who = scope(request)
        homework = homework_seen(request, homework_id)
        me = selectors.me(who["user_id"])
        if not who["roles"] & NOTEBOOK_OVERSEERS and (me is None or homework.teacher_id != me.pk):
            raise NotFound()
        return self.page_response(
            request,
            selectors.submissions_of(homework),
            lambda rows: HomeworkSubmissionOut(rows, many=True).data,
        )


class MySubmissionApi(BaseAPIView):
    """GET: what the student handed in for a homework (404 when nothing yet); POST (multipart:
    ``text``, ``files``): hand it in (again, until it is returned)."""

    required_roles = STUDENTS
    parser_classes = [MultiPartParser, JSONParser]

    @extend_schema(responses=HomeworkSubmissionOut)
    def get(self, request: Request, homework_id: int) -> Response:
        homework = homework_seen(request, homework_id)
        student = selectors.me(scope(request)["user_id"])
        submission = selectors.submission_of(homework=homework, student=student) if student else None
        if submission is None:
            raise NotFound()
        return Response(HomeworkSubmissionOut(submission).data)

    @extend_schema(
        request={"multipart/form-data": HomeworkSubmissionIn}, responses={201: HomeworkSubmissionOut}
    )
    def post(self, request: Request, homework_id: int) -> Response:
        homework = homework_seen(request, homework_id)
        data = HomeworkSubmissionIn(data=request.data)
        data.is_valid(raise_exception=True)
        submission = services.submission_submit(
            actor=actor_of(request),
            homework=homework,
            text=data.validated_data["text"],
            uploads=list(data.validated_data["files"]),
        )
        return Response(HomeworkSubmissionOut(submission).data, status=201)


class SubmissionReturnApi(BaseAPIView):
    """POST: the teacher who set the homework returns a submission with a comment."""

    required_roles = NOTEBOOK_WRITERS

    @extend_schema(request=HomeworkReturnIn, responses=HomeworkSubmissionOut)
    def post(self, request: Request, submission_id: int) -> Response:
        visible = selectors.homework_visible(**scope(request)).values("pk")
        submission = get_or_404(
            Submission.objects.select_related("homework", "student").filter(homework__in=visible),
            pk=submission_id,
        )
        data = HomeworkReturnIn(data=request.data)
        data.is_valid(raise_exception=True)
        returned = services.submission_return(
            actor=actor_of(request), submission=submission, comment=data.validated_data["comment"]
        )
        return Response(HomeworkSubmissionOut(returned).data)
