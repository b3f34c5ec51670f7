"""The notebook's entries in the API (``/api/v1/homework/entries/…``): list (by class, subject,
dates), save the entry of a lesson, copy it to another lesson, attach a file. What a person may
not see: 404."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from mbn_platform.kernel.actors import actor_of
from mbn_platform.kernel.api import BaseAPIView, DateInRange, DefaultPagination
from mbn_platform.kernel.lookups import get_named, get_or_404
from mbn_platform.kernel.parsing import query_date, query_int
from tenant_apps.homework import selectors, services
from tenant_apps.homework.api.common import NotebookEntryOut, NotebookFileOut, scope
from tenant_apps.homework.permissions import HOMEWORK_READERS, NOTEBOOK_WRITERS
from tenant_apps.timetable.models import Lesson


class NotebookLinkIn(serializers.Serializer[object]):
    url = serializers.CharField(max_length=500)
    label = serializers.CharField(  # type: ignore[assignment]
        max_length=120, required=False, default="", allow_blank=True
    )


class NotebookEntryIn(serializers.Serializer[object]):
    lesson_id = serializers.IntegerField(min_value=1)
    date = DateInRange()
    title = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)
    content = serializers.CharField(max_length=100_000, required=False, default="", allow_blank=True)
    links = NotebookLinkIn(many=True, required=False, default=list)


class NotebookCopyIn(serializers.Serializer[object]):
    lesson_id = serializers.IntegerField(min_value=1)
    date = DateInRange()


class NotebookFileIn(serializers.Serializer[object]):
    file = serializers.FileField()


class EntryListApi(BaseAPIView):
    """GET: the entries the person sees (``class_id``, ``subject_id``, ``from``, ``to``), newest
    first; POST: a teacher saves the entry of one of their lessons on a day (made when missing)."""

    pagination_class = DefaultPagination
    required_roles = HOMEWORK_READERS
    write_roles = NOTEBOOK_WRITERS

    @extend_schema(
        parameters=[
            OpenApiParameter("class_id", int),
            OpenApiParameter("subject_id", int),
            OpenApiParameter("from", str, description="YYYY-MM-DD"),
            OpenApiParameter("to", str, description="YYYY-MM-DD"),
        ],
        responses=NotebookEntryOut(many=True),
    )
    def get(self, request: Request) -> Response:
        found = selectors.entries_visible(**scope(request)).order_by("-date", "pk")
        class_id = query_int(request.GET, "class_id")
        subject_id = query_int(request.GET, "subject_id")
        start, end = query_date(request.GET, "from"), query_date(request.GET, "to")
        if class_id is not None:
            found = found.filter(school_class_id=class_id)
        if subject_id is not None:
            found = found.filter(subject_id=subject_id)
        if start is not None:
            found = found.filter(date__gte=start)
        if end is not None:
            found = found.filter(date__lte=end)
        return self.page_response(request, found, lambda rows: NotebookEntryOut(rows, many=True).data)

    @extend_schema(request=NotebookEntryIn, responses={200: NotebookEntryOut})
    def post(self, request: Request) -> Response:
        data = NotebookEntryIn(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        entry = services.lesson_entry_save(
            actor=actor_of(request),
            lesson=get_named(Lesson, v["lesson_id"], field="lesson_id"),
            date=v["date"],
            title=v["title"],
            content=v["content"],
            links=[dict(link) for link in v["links"]],
        )
        return Response(NotebookEntryOut(entry).data)


class EntryDetailApi(BaseAPIView):
    required_roles = HOMEWORK_READERS

    @extend_schema(responses=NotebookEntryOut)
    def get(self, request: Request, entry_id: int) -> Response:
        return Response(
            NotebookEntryOut(get_or_404(selectors.entries_visible(**scope(request)), pk=entry_id)).data
        )


class EntryCopyApi(BaseAPIView):
    """POST: copy an entry of one's own (content, links, files, homework still due) to another
    lesson one teaches, on one of its days."""

    required_roles = NOTEBOOK_WRITERS

    @extend_schema(request=NotebookCopyIn, responses={201: NotebookEntryOut})
    def post(self, request: Request, entry_id: int) -> Response:
        entry = get_or_404(selectors.entries_visible(**scope(request)), pk=entry_id)
        data = NotebookCopyIn(data=request.data)
        data.is_valid(raise_exception=True)
        copy = services.lesson_entry_copy(
            actor=actor_of(request),
            entry=entry,
            lesson=get_named(Lesson, data.validated_data["lesson_id"], field="lesson_id"),
            date=data.validated_data["date"],
        )
        return Response(NotebookEntryOut(copy).data, status=201)


class EntryFileApi(BaseAPIView):
    """POST (multipart, ``file``): attach a document to one's entry (10 MB at most; PDF, images,
    sound, office documents)."""

    required_roles = NOTEBOOK_WRITERS
    parser_classes = [MultiPartParser]

    @extend_schema(request={"multipart/form-data": NotebookFileIn}, responses={201: NotebookFileOut})
    def post(self, request: Request, entry_id: int) -> Response:
        entry = get_or_404(selectors.entries_visible(**scope(request)), pk=entry_id)
        data = NotebookFileIn(data=request.data)
        data.is_valid(raise_exception=True)
        attachment = services.lesson_entry_attach(
            actor=actor_of(request), entry=entry, upload=data.validated_data["file"]
        )
        return Response(NotebookFileOut(attachment).data, status=201)
