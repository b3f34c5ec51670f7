"""Where files go, read by mbn_platform/config/settings.py: S3 (one bucket, a key prefix per
establishment) when S3_BUCKET is set, else the local filesystem with the same layout."""

from __future__ import annotations

from typing import Any


def s3_settings(env: Any, *, bucket: str) -> dict[str, Any]:
    return {
        "bucket_name": bucket,
        "region_name": env.str("S3_REGION", default="eu-west-3"),
        "endpoint_url": env.str("S3_ENDPOINT_URL", default="") or None,
        "access_key": env.str("S3_ACCESS_KEY_ID", default="") or None,
        "secret_key": env.str("S3_SECRET_ACCESS_KEY", default="") or None,
        "default_acl": None,
        "file_overwrite": False,
        "querystring_auth": True,
    }


def storages(*, s3_settings: dict[str, Any], production: bool) -> dict[str, Any]:
    return {
        "default": (
            {"BACKEND": "mbn_platform.kernel.storage.EstablishmentS3Storage", "OPTIONS": s3_settings}
            if s3_settings["bucket_name"]
            else {"BACKEND": "mbn_platform.kernel.storage.EstablishmentFileSystemStorage"}
        ),
        "staticfiles": {
            "BACKEND": (
                "whitenoise.storage.CompressedManifestStaticFilesStorage"
                if production
                else "django.contrib.staticfiles.storage.StaticFilesStorage"
            )
        },
    }
