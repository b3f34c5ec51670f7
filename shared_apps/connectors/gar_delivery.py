"""Delivering the GAR's nightly files to its drop point (``GAR_EXPORT``, per environment): by
SFTP (paramiko; the server's host key must match the configured one, a private key signs in),
or into a local folder (the demo). Each file is written under a temporary name and renamed once
complete, so the GAR never picks up half a file."""

from __future__ import annotations

import base64
import io
import os
import zipfile
from pathlib import Path
from typing import Any

from django.conf import settings


class DeliveryFailed(Exception):
    """The drop point could not be reached or refused the files (the export is retried)."""


def package(files: list[tuple[str, bytes]], *, archive: str) -> list[tuple[str, bytes]]:
    """The files as delivered: one zip archive of them when ``GAR_EXPORT["ZIP"]``."""
    if not settings.GAR_EXPORT["ZIP"]:
        return files
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
        for name, data in files:
            bundle.writestr(name, data)
    return [(archive, buffer.getvalue())]


def deliver(files: list[tuple[str, bytes]]) -> None:
    config: dict[str, Any] = settings.GAR_EXPORT
    method = config["DELIVERY"]
    try:
        if method == "sftp":
            _sftp(files, config)
        elif method == "local":
            _local(files, Path(config["LOCAL_DIR"]))
        else:
            raise DeliveryFailed("GAR_EXPORT_DELIVERY is not configured")
    except DeliveryFailed:
        raise
    except Exception as error:  # network, authentication, permissions: all retried the same way
        raise DeliveryFailed(f"{type(error).__name__}: {error}") from error


def _local(files: list[tuple[str, bytes]], folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in files:
        partial = folder / f".{name}.part"
        partial.write_bytes(data)
        os.replace(partial, folder / name)


def _sftp(files: list[tuple[str, bytes]], config: dict[str, Any]) -> None:
    import paramiko

    if not config["SFTP_HOST"] or not config["SFTP_HOST_KEY"]:
        raise DeliveryFailed("GAR_SFTP_HOST and GAR_SFTP_HOST_KEY are required")
    key_type, _sep, key_data = config["SFTP_HOST_KEY"].strip().partition(" ")
    expected = paramiko.PKey.from_type_string(key_type, base64.b64decode(key_data.split()[0]))
    client = paramiko.SSHClient()
    host = config["SFTP_HOST"]
    port = int(config["SFTP_PORT"])
    known = host if port == 22 else f"[{host}]:{port}"
    client.get_host_keys().add(known, expected.get_name(), expected)
    client.set_missing_host_key_policy(paramiko.RejectPolicy())
    try:
        client.connect(
            host,
            port=port,
            username=config["SFTP_USER"],
            key_filename=config["SFTP_KEY_FILE"] or None,
            allow_agent=False,
            look_for_keys=False,
            timeout=30,
        )
        sftp = client.open_sftp()
        folder = config["SFTP_PATH"].rstrip("/") or "."
        for name, data in files:
            partial, final = f"{folder}/.{name}.part", f"{folder}/{name}"
            with sftp.open(partial, "wb") as remote:
                remote.write(data)
            sftp.posix_rename(partial, final)
        sftp.close()
    finally:
        client.close()
