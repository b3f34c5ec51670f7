"""What the documents' API views share: the output shapes and the id lookups."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from rest_framework import serializers

from tenant_apps.documents.models import Folder, Library
from tenant_apps.documents.serving import previewable


class UsageOut(serializers.Serializer[object]):
    used = serializers.IntegerField(help_text="bytes")
    quota = serializers.IntegerField(help_text="bytes")
    left = serializers.IntegerField(help_text="bytes")


class LibraryOut(serializers.Serializer[object]):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=Library.Kind.choices)
    space_id = serializers.IntegerField(allow_null=True)
    owner_id = serializers.IntegerField(source="owner.user_id", allow_null=True, default=None)
    right = serializers.ChoiceField(choices=["owner", "contributor", "reader"])
    usage = UsageOut(help_text="personal documents: the person's quota; a space: the establishment's")
    url = serializers.SerializerMethodField()

    def get_url(self, library: Any) -> str:
        return reverse("documents:library", args=[library.pk])


class FolderOut(serializers.Serializer[object]):
    id = serializers.IntegerField()
    library_id = serializers.IntegerField()
    parent_id = serializers.IntegerField(allow_null=True)
    name = serializers.CharField()
    created_at = serializers.DateTimeField()


class FolderIn(serializers.Serializer[object]):
    name = serializers.CharField(max_length=200)
    parent_id = serializers.IntegerField(min_value=1, required=False, allow_null=True, default=None)


class FolderPatchIn(serializers.Serializer[object]):
    name = serializers.CharField(max_length=200, required=False)
    parent_id = serializers.IntegerField(min_value=1, required=False, allow_null=True)


class VersionOut(serializers.Serializer[object]):
    number = serializers.IntegerField()
    size = serializers.IntegerField()
    content_type = serializers.CharField()
    restored_from = serializers.IntegerField(allow_null=True)
    uploaded_by = serializers.CharField(source="uploaded_by.display_name", allow_null=True, default=None)
    created_at = serializers.DateTimeField()
    download_url = serializers.SerializerMethodField()

    def get_download_url(self, version: Any) -> str:
        return reverse("documents:download", args=[version.document_id]) + f"?version={version.number}"


class FileOut(serializers.Serializer[object]):
    id = serializers.IntegerField()
    library_id = serializers.IntegerField()
    folder_id = serializers.IntegerField(allow_null=True)
    name = serializers.CharField()
    size = serializers.IntegerField()
    content_type = serializers.CharField()
    version = serializers.IntegerField(source="current.number", allow_null=True, default=None)
    updated_at = serializers.DateTimeField()
    download_url = serializers.SerializerMethodField()
    preview_url = serializers.SerializerMethodField(help_text="images and PDFs only")

    def get_download_url(self, document: Any) -> str:
        return reverse("documents:download", args=[document.pk])

    def get_preview_url(self, document: Any) -> str | None:
        if not previewable(document.content_type):
            return None
        return reverse("documents:preview", args=[document.pk])


class FileIn(serializers.Serializer[object]):
    file = serializers.FileField()
    folder_id = serializers.IntegerField(min_value=1, required=False, allow_null=True, default=None)


class VersionIn(serializers.Serializer[object]):
    file = serializers.FileField()


class FilePatchIn(serializers.Serializer[object]):
    name = serializers.CharField(max_length=200, required=False)
    folder_id = serializers.IntegerField(min_value=1, required=False, allow_null=True)


def folder_named(library: Library, folder_id: int | None, field: str) -> Folder | None:
    """The folder an input names (another library's, or none such: 400 on ``field``)."""
    from mbn_platform.kernel.lookups import get_named

    if folder_id is None:
        return None
    return get_named(Folder.objects.filter(library=library), folder_id, field=field)
