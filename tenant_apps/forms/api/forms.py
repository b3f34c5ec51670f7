"""The desk's API (``/api/v1/forms/…``): forms (list, create, publish, close), their completion
per class and their answers' export (staff the form names), each child's answer (fill, save a
draft, submit; read), a request's reply and certificate."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from mbn_platform.kernel.actors import actor_of
from mbn_platform.kernel.api import BaseAPIView, DefaultPagination
from mbn_platform.kernel.errors import NotFound, ValidationFailed
from mbn_platform.kernel.lookups import get_or_404
from mbn_platform.kernel.tenancy import request_access
from tenant_apps.forms import selectors, services
from tenant_apps.forms.exports import answers_csv, answers_xlsx
from tenant_apps.forms.files import FILE_TYPES, answer_file_path, answer_file_response
from tenant_apps.forms.models import Answer, AnswerFile, Audience, Form, FormKind, QuestionKind
from tenant_apps.forms.permissions import FORM_MANAGERS, FORM_READERS, READER_CHOICES, RESPONDENTS
from tenant_apps.school.models import Member, SchoolClass


def scope(request: Request) -> dict[str, Any]:
    access = request_access(request)
    return {"user_id": access.user_id or 0, "roles": access.roles}


def form_or_404(request: Request, form_id: int) -> Form:
    return get_or_404(selectors.forms_visible(**scope(request)), pk=form_id)


def readable_form_or_404(request: Request, form_id: int) -> Form:
    """A form whose answers the person reads as staff (the form names one of their roles)."""
    form = form_or_404(request, form_id)
    if not selectors.may_read_answers(form, scope(request)["roles"]):
        raise NotFound()
    return form


class QuestionOut(serializers.Serializer[object]):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    question = serializers.CharField(source="label")
    mandatory = serializers.BooleanField(source="required")
    choices = serializers.ListField(child=serializers.CharField())
    file_types = serializers.ListField(
        child=serializers.CharField(), help_text="file question: types accepted"
    )


class FormOut(serializers.Serializer[object]):
    id = serializers.IntegerField()
    title = serializers.CharField()
    kind = serializers.CharField()
    description = serializers.CharField()
    audience = serializers.CharField()
    deadline = serializers.DateTimeField()
    status = serializers.CharField()
    retention_days = serializers.IntegerField()
    reader_roles = serializers.ListField(child=serializers.CharField())
    class_ids = serializers.SerializerMethodField()
    questions = QuestionOut(many=True, source="questions.all")

    def get_class_ids(self, form: Form) -> list[int]:
        return [c.pk for c in form.classes.all()]


class QuestionIn(serializers.Serializer[object]):
    kind = serializers.ChoiceField(choices=QuestionKind.values)
    question = serializers.CharField(max_length=300)
    mandatory = serializers.BooleanField(default=True)
    choices = serializers.ListField(child=serializers.CharField(max_length=100), required=False, default=list)
    file_types = serializers.ListField(
        child=serializers.ChoiceField(choices=sorted(FILE_TYPES)),
        required=False,
        default=list,
        help_text="file question: the types accepted (all when empty)",
    )


class FormIn(serializers.Serializer[object]):
    title = serializers.CharField(max_length=150)
    kind = serializers.ChoiceField(choices=FormKind.values)
    description = serializers.CharField(required=False, default="", allow_blank=True)
    audience = serializers.ChoiceField(choices=Audience.values)
    class_ids = serializers.ListField(child=serializers.IntegerField(min_value=1), min_length=1)
    deadline = serializers.DateTimeField()
    reader_roles = serializers.ListField(
        child=serializers.ChoiceField(choices=sorted(READER_CHOICES)), min_length=1
    )
    retention_days = serializers.IntegerField(min_value=1, max_value=3650, default=365)
    reminder_days = serializers.IntegerField(min_value=0, max_value=60, default=3)
    questions = QuestionIn(many=True)


class FormListApi(BaseAPIView):
    """GET: the forms the person sees; POST: create one (managers)."""

    pagination_class = DefaultPagination
    required_roles = FORM_READERS
    write_roles = FORM_MANAGERS

    @extend_schema(responses=FormOut(many=True))
    def get(self, request: Request) -> Response:
        found = selectors.forms_visible(**scope(request)).prefetch_related("questions")
        return self.page_response(request, found, lambda rows: FormOut(rows, many=True).data)

    @extend_schema(request=FormIn, responses={201: FormOut})
    def post(self, request: Request) -> Response:
        data = FormIn(data=request.data)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        ids = set(v.pop("class_ids"))
        classes = list(SchoolClass.objects.filter(pk__in=ids))
        if len(classes) != len(ids):
            raise ValidationFailed(fields={"class_ids": [_("Unknown class.")]})
        v["questions"] = [
            {
                "kind": q["kind"],
                "label": q["question"],
                "required": q["mandatory"],
                "choices": q["choices"],
                "file_types": q["file_types"],
            }
            for q in v["questions"]
        ]
        form = services.form_create(actor=actor_of(request), classes=classes, **v)
        return Response(FormOut(form).data, status=201)


class FormDetailApi(BaseAPIView):
    required_roles = FORM_READERS

    @extend_schema(responses=FormOut)
    def get(self, request: Request, form_id: int) -> Response:
        return Response(FormOut(form_or_404(request, form_id)).data)


class FormPublishApi(BaseAPIView):
    """POST: publish (the people addressed are told)."""

    required_roles = FORM_MANAGERS

    @extend_schema(request=None, responses=FormOut)
    def post(self, request: Request, form_id: int) -> Response:
        form = services.form_publish(actor=actor_of(request), form=form_or_404(request, form_id))
        return Response(FormOut(form).data)


class FormCloseApi(BaseAPIView):
    required_roles = FORM_MANAGERS

    @extend_schema(request=None, responses=FormOut)
    def post(self, request: Request, form_id: int) -> Response:
        form = services.form_close(actor=actor_of(request), form=form_or_404(request, form_id))
        return Response(FormOut(form).data)


class CompletionOut(serializers.Serializer[object]):
    class_id = serializers.IntegerField(source="school_class.pk")
    school_class = serializers.CharField(source="school_class.name")
    expected = serializers.IntegerField()
    submitted = serializers.IntegerField()
    drafts = serializers.IntegerField()
    rate = serializers.IntegerField(help_text="percent submitted")


class FormCompletionApi(BaseAPIView):
    """GET: per class, the students, the answers submitted and the drafts (managers)."""

    required_roles = FORM_MANAGERS

    @extend_schema(responses=CompletionOut(many=True))
    def get(self, request: Request, form_id: int) -> Response:
        return Response(CompletionOut(selectors.completion(form_or_404(request, form_id)), many=True).data)


class FormExportApi(BaseAPIView):
    """GET ``…/export.csv`` or ``…/export.xlsx``: the answers (staff the form names)."""

    required_roles = FORM_READERS

    @extend_schema(
        responses={
            (200, "text/csv"): OpenApiTypes.BINARY,
            (200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"): OpenApiTypes.BINARY,
        }
    )
    def get(self, request: Request, form_id: int, fmt: str) -> HttpResponse:
        form = readable_form_or_404(request, form_id)
        return export_response(request, form, selectors.answers_visible(form=form, **scope(request)), fmt)


def export_response(request: HttpRequest, form: Form, answers: Any, fmt: str) -> HttpResponse:
    """The export; a file question's cell names the file and links the staff's download page."""
    base_url = request.build_absolute_uri("/").rstrip("/")
    if fmt == "xlsx":
        response = HttpResponse(
            answers_xlsx(form, answers, base_url),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        response = HttpResponse(answers_csv(form, answers, base_url), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="form-{form.pk}.{fmt}"'
    return response


class AnswerFileOut(serializers.Serializer[object]):
    question_id = serializers.IntegerField()
    name = serializers.CharField()
    size = serializers.IntegerField()
    content_type = serializers.CharField()
    url = serializers.SerializerMethodField()

    def get_url(self, stored: AnswerFile) -> str:
        answer = stored.answer
        return "/api/v1" + answer_file_path(answer.form_id, answer.child.user_id, stored.question_id)


class AnswerOut(serializers.Serializer[object]):
    id = serializers.IntegerField()
    child_id = serializers.IntegerField(source="child.user_id")
    child = serializers.CharField(source="child.display_name")
    respondent = serializers.CharField(source="respondent.display_name")
    status = serializers.CharField()
    values = serializers.DictField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    reply = serializers.CharField()
    has_certificate = serializers.SerializerMethodField()
    files = AnswerFileOut(many=True, source="files.all")

    def get_has_certificate(self, answer: Answer) -> bool:
        return bool(answer.document)


class AnswerListApi(BaseAPIView):
    """GET: the answers the person sees (staff the form names: all; a family: their own)."""

    pagination_class = DefaultPagination
    required_roles = FORM_READERS

    @extend_schema(responses=AnswerOut(many=True))
    def get(self, request: Request, form_id: int) -> Response:
        found = selectors.answers_visible(form=form_or_404(request, form_id), **scope(request))
        found = found.prefetch_related("files")
        return self.page_response(request, found, lambda rows: AnswerOut(rows, many=True).data)


def child_for(request: Request, form: Form, child_id: int) -> Member:
    """The child a respondent answers for (theirs, of the form's classes), else 404."""
    access = scope(request)
    if form.audience == Audience.STUDENTS:
        child = selectors.me(access["user_id"])
        found = child if child is not None and child.user_id == child_id else None
    else:
        found = next(
            (
                c
                for c in selectors.children_acting(guardian_user_id=access["user_id"])
                if c.user_id == child_id
            ),
            None,
        )
    if found is None or not form.classes.filter(pk=found.school_class_id or 0).exists():
        raise NotFound()
    return found


class AnswerIn(serializers.Serializer[object]):
    values = serializers.DictField(
        required=False,
        default=dict,
        help_text='{"q<question id>": value}; in multipart, one field values.q<id> a question, and a file '
        "question's file as the part q<id>",
    )
    submit = serializers.BooleanField(default=False, help_text="false: save a draft")


class AnswerDetailApi(BaseAPIView):
    """GET: a child's answer (its family, staff the form names); PUT: save it as a draft or submit
    it (the family, before the deadline: 409 ``form_deadline_passed`` after), as JSON or as
    multipart with the files of file questions (a draft keeps its files; one sent again replaces
    it)."""

    required_roles = FORM_READERS
    write_roles = RESPONDENTS
    parser_classes = [JSONParser, MultiPartParser]

    @extend_schema(responses=AnswerOut)
    def get(self, request: Request, form_id: int, child_id: int) -> Response:
        form = form_or_404(request, form_id)
        answer = get_or_404(selectors.answers_visible(form=form, **scope(request)), child__user_id=child_id)
        return Response(AnswerOut(answer).data)

    @extend_schema(
        request={"application/json": AnswerIn, "multipart/form-data": AnswerIn}, responses=AnswerOut
    )
    def put(self, request: Request, form_id: int, child_id: int) -> Response:
        form = form_or_404(request, form_id)
        child = child_for(request, form, child_id)
        data = AnswerIn(data=request.data)
        data.is_valid(raise_exception=True)
        answer = services.answer_save(
            actor=actor_of(request),
            form=form,
            child=child,
            given=data.validated_data["values"],
            submit=data.validated_data["submit"],
            files=request.FILES,
        )
        return Response(AnswerOut(answer).data)


class AnswerReplyApi(BaseAPIView):
    """POST ``{reply, certificate}``: reply to a request, a school certificate issued as a PDF
    (staff the form names)."""

    required_roles = FORM_READERS

    class ReplyIn(serializers.Serializer[object]):
        reply = serializers.CharField(required=False, default="", allow_blank=True, max_length=2000)
        certificate = serializers.BooleanField(default=False)

    @extend_schema(request=ReplyIn, responses=AnswerOut)
    def post(self, request: Request, form_id: int, child_id: int) -> Response:
        form = readable_form_or_404(request, form_id)
        answer = get_or_404(selectors.answers_visible(form=form, **scope(request)), child__user_id=child_id)
        data = self.ReplyIn(data=request.data)
        data.is_valid(raise_exception=True)
        answer = services.answer_reply(actor=actor_of(request), answer=answer, **data.validated_data)
        return Response(AnswerOut(answer).data)


class CertificateApi(BaseAPIView):
    """GET: the certificate issued (the family, staff the form names)."""

    required_roles = FORM_READERS

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    def get(self, request: Request, form_id: int, child_id: int) -> HttpResponse:
        form = form_or_404(request, form_id)
        answer = get_or_404(selectors.answers_visible(form=form, **scope(request)), child__user_id=child_id)
        return certificate_response(answer)


class AnswerFileApi(BaseAPIView):
    """GET: a file sent with an answer, as a download (the family, staff the form names)."""

    required_roles = FORM_READERS

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    def get(self, request: Request, form_id: int, child_id: int, question_id: int) -> FileResponse:
        form = form_or_404(request, form_id)
        answer = get_or_404(selectors.answers_visible(form=form, **scope(request)), child__user_id=child_id)
        return answer_file_response(answer, question_id)


def certificate_response(answer: Answer) -> HttpResponse:
    if not answer.document:
        raise NotFound()
    with answer.document.open("rb") as stored:
        body = stored.read()
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="certificat-{answer.child.user_id}.pdf"'
    return response
