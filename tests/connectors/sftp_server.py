"""A real SFTP server for the tests (paramiko's server side, in a thread), serving a folder to
one user who signs in with a key — the GAR's drop point in miniature."""

from __future__ import annotations

import os
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import paramiko
from paramiko.sftp import SFTP_NO_SUCH_FILE, SFTP_OK


class _Server(paramiko.ServerInterface):
    def __init__(self, user: str, key: paramiko.PKey) -> None:
        self.user, self.key = user, key

    def check_auth_publickey(self, username: str, key: paramiko.PKey) -> int:
        ok = username == self.user and key.asbytes() == self.key.asbytes()
        return paramiko.AUTH_SUCCESSFUL if ok else paramiko.AUTH_FAILED

    def get_allowed_auths(self, username: str) -> str:
        return "publickey"

    def check_channel_request(self, kind: str, chanid: int) -> int:
        return (
            paramiko.OPEN_SUCCEEDED if kind == "session" else paramiko.OPEN_FAILED_ADMINISTRATIVELY_PROHIBITED
        )


class _Handle(paramiko.SFTPHandle):
    pass


def _sftp_interface(root: Path) -> type[paramiko.SFTPServerInterface]:
    class Folder(paramiko.SFTPServerInterface):
        def _path(self, path: str) -> Path:
            return root / path.lstrip("./").lstrip("/")

        def open(self, path: str, flags: int, attr: Any) -> Any:
            handle = _Handle(flags)
            mode = "wb" if flags & (os.O_WRONLY | os.O_RDWR) else "rb"
            handle.writefile = handle.readfile = open(self._path(path), mode)  # noqa: SIM115
            return handle

        def stat(self, path: str) -> Any:
            target = self._path(path)
            if not target.exists():
                return SFTP_NO_SUCH_FILE
            return paramiko.SFTPAttributes.from_stat(target.stat())

        lstat = stat

        def rename(self, oldpath: str, newpath: str) -> int:
            os.replace(self._path(oldpath), self._path(newpath))
            return SFTP_OK

        posix_rename = rename

        def list_folder(self, path: str) -> Any:
            return [
                paramiko.SFTPAttributes.from_stat(p.stat(), filename=p.name)
                for p in self._path(path).iterdir()
            ]

    return Folder


@contextmanager
def sftp_server(root: Path, user: str, client_key: paramiko.PKey) -> Iterator[tuple[int, str]]:
    """Serve ``root`` on a free local port; yields the port and the server's host key line."""
    host_key = paramiko.Ed25519Key.from_private_key_file(ed25519_key_file(root.parent / "host_ed25519"))
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(5)
    listener.settimeout(0.2)
    port = listener.getsockname()[1]
    stop = threading.Event()
    transports: list[paramiko.Transport] = []

    def serve() -> None:
        while not stop.is_set():
            try:
                connection, _address = listener.accept()
            except OSError:
                continue
            transport = paramiko.Transport(connection)
            transport.add_server_key(host_key)
            transport.set_subsystem_handler("sftp", paramiko.SFTPServer, _sftp_interface(root))
            transport.start_server(server=_Server(user, client_key))
            transports.append(transport)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield port, f"{host_key.get_name()} {host_key.get_base64()}"
    finally:
        stop.set()
        thread.join(timeout=5)
        for transport in transports:
            transport.close()
        listener.close()


def ed25519_key_file(path: Path) -> str:
    """An Ed25519 private key in OpenSSH's format (as ssh-keygen makes), made once."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ed25519

    if not path.exists():
        key = ed25519.Ed25519PrivateKey.generate()
        path.write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.OpenSSH, serialization.NoEncryption()
            )
        )
    return str(path)
