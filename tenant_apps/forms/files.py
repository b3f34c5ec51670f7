"""The files of file questions (an insurance certificate, a medical form): the types a question
accepts (PDF and images, told by the file's content), the size limit, storing a file under the
establishment's prefix (a file sent again replaces the previous one), serving it as a download,
and deleting the stored objects when the answers go (retention purge)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import partial
from typing import Any

from django.core.exceptions import SuspiciousFileOperation
from django.db import transaction
from django.http import FileResponse
from django.utils.translation import gettext_lazy as _

from mbn_platform.kernel.errors import NotFound, ValidationFailed
from mbn_platform.kernel.uploads import JPEG, PDF, PNG, FileKind, safe_file_name, upload_kind
from tenant_apps.forms.models import Answer, AnswerFile, Question, QuestionKind
from tenant_apps.forms.values import field_name

#: The types a file question may accept, by the name a form gives them.
FILE_TYPES: dict[str, FileKind] = {"pdf": PDF, "png": PNG, "jpg": JPEG}
MAX_FILE_BYTES = 5 * 2**20
FILE_HELP = _("%(types)s, %(mb)d MB at most.")


def file_types_check(types: Iterable[str]) -> bool:
    return set(types) <= set(FILE_TYPES)


def accepted(question: Question) -> list[FileKind]:
    """The kinds a file question accepts (every kind when the form names none)."""
    return [kind for t, kind in FILE_TYPES.items() if not question.file_types or t in question.file_types]


def help_text(question: Question) -> str:
    types = ", ".join(k.extension.upper() for k in accepted(question))
    return str(FILE_HELP % {"types": types, "mb": MAX_FILE_BYTES // 2**20})


def accept_attribute(question: Question) -> str:
    """The ``accept`` of the file input (a hint to the browser; the server checks the content)."""
    return ",".join(f".{k.extension},{k.content_type}" for k in accepted(question))


def uploads_check(
    questions: Iterable[Question], uploads: Mapping[str, Any]
) -> tuple[dict[int, tuple[Question, Any, FileKind]], dict[str, list[str]]]:
    """The uploads given for the file questions, checked (by question id), and the errors (by
    field ``q<id>``)."""
    checked: dict[int, tuple[Question, Any, FileKind]] = {}
    errors: dict[str, list[str]] = {}
    for question in questions:
        upload = uploads.get(field_name(question)) if question.kind == QuestionKind.FILE else None
        if upload is None or isinstance(upload, str):
            continue
        try:
            kind = upload_kind(
                upload, field=field_name(question), max_bytes=MAX_FILE_BYTES, allowed=accepted(question)
            )
        except ValidationFailed as error:
            errors.update(error.fields or {})
        else:
            checked[question.pk] = (question, upload, kind)
    return checked, errors


def stored_name(upload: Any, kind: FileKind) -> str:
    return safe_file_name(getattr(upload, "name", ""), kind.extension)


def answer_files_store(answer: Answer, checked: Mapping[int, tuple[Question, Any, FileKind]]) -> list[str]:
    """Store the checked uploads as the answer's files; a file sent again for a question replaces
    the previous one (its object deleted once the transaction commits). The names stored."""
    names = []
    storage = AnswerFile._meta.get_field("file").storage
    for question, upload, kind in checked.values():
        previous = AnswerFile.objects.filter(answer=answer, question=question).first()
        stored = previous or AnswerFile(answer=answer, question=question)
        old_key = previous.file.name if previous is not None else ""
        stored.name, stored.size, stored.content_type = (
            stored_name(upload, kind),
            upload.size,
            kind.content_type,
        )
        stored.file.save(stored.name, upload, save=False)
        stored.save()
        if old_key:
            transaction.on_commit(partial(storage.delete, old_key))
        names.append(stored.name)
    return names


def answer_files_delete(answers: Iterable[Answer] | Any) -> int:
    """Delete the stored objects of these answers' files (the rows go with the answers)."""
    removed = 0
    for stored in AnswerFile.objects.filter(answer__in=answers):
        if stored.file:
            stored.file.delete(save=False)
            removed += 1
    return removed


def answer_file_response(answer: Answer, question_id: int) -> FileResponse:
    """An answer's file as a download (never shown inline, never sniffed); no file: 404."""
    stored = AnswerFile.objects.filter(answer=answer, question_id=question_id).first()
    if stored is None or not stored.file:
        raise NotFound()
    try:
        handle = stored.file.open("rb")
    except (OSError, SuspiciousFileOperation) as exc:
        raise NotFound() from exc
    response = FileResponse(
        handle, as_attachment=True, filename=stored.name, content_type=stored.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def answer_file_path(form_id: int, child_user_id: int, question_id: int) -> str:
    """The staff's download page of a file (the exports link it)."""
    return f"/forms/{form_id}/answers/{child_user_id}/files/{question_id}/"
