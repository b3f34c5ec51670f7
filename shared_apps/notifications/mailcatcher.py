"""A real local SMTP server that catches mail (aiosmtpd), for the demo and the tests.

Each message accepted is written as an ``.eml`` file in a folder (``MAIL_CATCHER_DIR``); the
operators' page (``/notifications/caught-mail/`` on the portal) reads them back. Addresses in
``refused`` are answered ``550`` (a bounce), to show what a bad address does.
"""

from __future__ import annotations

import email
import email.policy
import itertools
import logging
import socket
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_counter = itertools.count()
logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd's line per SMTP command


class CatchingHandler:
    def __init__(self, folder: Path, refused: Iterable[str] = ()) -> None:
        self.folder = folder
        self.refused = {address.lower() for address in refused}
        folder.mkdir(parents=True, exist_ok=True)

    async def handle_RCPT(  # noqa: N802 - aiosmtpd's hook name
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: Any
    ) -> str:
        if address.lower() in self.refused:
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        name = f"{time.time_ns()}-{next(_counter):06d}.eml"
        content = envelope.original_content or envelope.content
        (self.folder / f".{name}").write_bytes(content if isinstance(content, bytes) else content.encode())
        (self.folder / f".{name}").rename(self.folder / name)  # readers never see half a file
        return "250 Message accepted"


class MailCatcher:
    """``with MailCatcher(folder) as catcher:`` serves on ``catcher.port`` until the block ends."""

    def __init__(self, folder: Path, *, host: str = "127.0.0.1", port: int = 0, refused: Iterable[str] = ()):
        from aiosmtpd.controller import Controller

        self.folder = Path(folder)
        self.host = host
        self.port = port or _free_port(host)
        self.handler = CatchingHandler(self.folder, refused)
        self.controller = Controller(self.handler, hostname=host, port=self.port)

    def start(self) -> MailCatcher:
        self.controller.start()
        return self

    def stop(self) -> None:
        self.controller.stop()

    def __enter__(self) -> MailCatcher:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def messages(self) -> list[CaughtMail]:
        return caught_mail(self.folder, limit=None)


def _free_port(host: str) -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


@dataclass(frozen=True)
class CaughtMail:
    name: str
    to: str
    subject: str
    date: str
    text: str
    html: str
    headers: dict[str, str]


def caught_mail(folder: Path, *, limit: int | None = 100, to: str = "") -> list[CaughtMail]:
    """The caught messages, newest first (at most ``limit``), optionally to one address."""
    if not folder.is_dir():
        return []
    found: list[CaughtMail] = []
    for path in sorted(folder.glob("*.eml"), reverse=True):
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        recipient = str(message.get("To", ""))
        if to and to.lower() not in recipient.lower():
            continue
        text = message.get_body(preferencelist=("plain",))
        html = message.get_body(preferencelist=("html",))
        found.append(
            CaughtMail(
                name=path.stem,
                to=recipient,
                subject=str(message.get("Subject", "")),
                date=str(message.get("Date", "")),
                text=text.get_content() if text is not None else "",
                html=html.get_content() if html is not None else "",
                headers={key: str(value) for key, value in message.items()},
            )
        )
        if limit is not None and len(found) >= limit:
            break
    return found
