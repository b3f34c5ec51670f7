"""`mbn demo`: migrate, seed the demo establishments, then serve them with a Celery worker.

Ctrl-C (or SIGTERM) stops the web server and the worker cleanly. Running it again reuses the data.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from mbn_platform.demo import DEMO_PASSWORD, DEMO_SCHOOLS, PERSONAS, demo_seed
from shared_apps.notifications.mailcatcher import MailCatcher
from tenants.provisioning.region import region_seed


class Command(BaseCommand):
    help = "Run the demo platform: three establishments, their people, a web server and a Celery worker."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--bind", default="127.0.0.1")
        parser.add_argument("--no-serve", action="store_true", help="Migrate and seed only.")
        parser.add_argument(
            "--establishments",
            type=int,
            default=3,
            metavar="N",
            help="Make the region N establishments: the 3 demo schools plus generated ones (e.g. 841).",
        )
        parser.add_argument("--jobs", type=int, default=2, help="Processes onboarding the generated ones.")
        parser.add_argument(
            "--code",
            metavar="LOGIN",
            help="Print the current authenticator code of a demo persona (staff, region) and exit.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["code"]:
            found = next((p for p in PERSONAS if p.login == options["code"] and p.second_factor), None)
            if found is None:
                raise CommandError(f"{options['code']} is not a demo persona with a second factor.")
            self.stdout.write(found.totp_code())
            return
        catcher = self._mail_catcher(options["port"])
        try:
            self._run(options)
        finally:
            catcher.stop()

    def _mail_catcher(self, port: int) -> MailCatcher:
        """A local SMTP server catching every e-mail of the demo (the seed's and the worker's),
        shown to region operators at /notifications/caught-mail/; this process and its children
        send there."""
        folder = Path(settings.CELERY_STATE_DIR) / "mail"
        catcher = MailCatcher(folder).start()
        mail_env = {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": catcher.host,
            "EMAIL_PORT": str(catcher.port),
            "EMAIL_USE_TLS": "false",
            "MAIL_CATCHER_DIR": str(folder),
            "MBN_URL_PORT": str(port),
        }
        os.environ.update(mail_env)  # the worker and the web server inherit them
        settings.EMAIL_BACKEND = mail_env["EMAIL_BACKEND"]
        settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = catcher.host, catcher.port, False
        settings.MAIL_CATCHER_DIR, settings.MBN_URL_PORT = str(folder), str(port)
        return catcher

    def _run(self, options: dict[str, Any]) -> None:
        self.stdout.write("Migrating…")
        call_command("migrate_all", verbosity=0)
        self.stdout.write("Seeding the demo establishments…")
        run = demo_seed()
        self.stdout.write(
            f"Demo seeded in {run.seconds:.1f} s ({run.year.name}; "
            + ", ".join(f"{count} {name}" for name, count in sorted(run.counts.items()))
            + " new)."
        )
        extra = options["establishments"] - len(DEMO_SCHOOLS)
        if extra > 0:
            self.stdout.write(f"Onboarding {extra} generated establishments…")
            created = region_seed(count=extra, processes=options["jobs"])
            self.stdout.write(f"{created} new, {extra - created} already there.")
        port = options["port"]
        self._print_welcome(port)
        if options["no_serve"]:
            return
        self._serve(bind=options["bind"], port=port)

    def _print_welcome(self, port: int) -> None:
        self.stdout.write(welcome_text(port=port))
        self.stdout.flush()

    def _serve(self, *, bind: str, port: int) -> None:
        mbn = str(Path(sys.executable).with_name("mbn"))
        celery = str(Path(sys.executable).with_name("celery"))
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        children = [
            subprocess.Popen(  # noqa: S603  (our own executables, fixed arguments)
                [celery, "-A", "mbn_platform.config", "worker", "--loglevel=WARNING", "--concurrency=2"],
                env=env,
            ),
            subprocess.Popen(  # noqa: S603
                [mbn, "runserver", f"{bind}:{port}", "--noreload", "--skip-checks"], env=env
            ),
        ]
        stopping = False

        def stop(signum: int, frame: FrameType | None) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        try:
            while not stopping and all(child.poll() is None for child in children):
                time.sleep(0.2)
        finally:
            for child in children:
                if child.poll() is None:
                    child.send_signal(signal.SIGTERM)
            deadline = time.monotonic() + 15
            for child in children:
                try:
                    child.wait(timeout=max(deadline - time.monotonic(), 0.1))
                except subprocess.TimeoutExpired:
                    child.kill()
                    child.wait()
            self.stdout.write("MBN demo stopped.")


def welcome_text(*, port: int) -> str:
    """The URLs (each one answers) and every persona, with what to try as each."""
    base = settings.MBN_BASE_DOMAIN
    portal = f"http://{base}:{port}/"
    hosts = {s.subdomain: f"http://{s.subdomain}.{base}:{port}/" for s in DEMO_SCHOOLS}
    lines = ["", "MBN demo is ready.", f"  {'Region portal:':<32} {portal}"]
    lines += [f"  {s.name + ':':<32} {hosts[s.subdomain]}" for s in DEMO_SCHOOLS]
    lines += [
        f"  (http://127.0.0.1:{port}/ leads to the portal. One sign-in serves every school: the",
        f"  session cookie is set for .{base}.)",
        "",
        f"Sign in as (password for all: {DEMO_PASSWORD}):",
    ]
    for persona in PERSONAS:
        start = hosts[persona.school] if persona.school else portal
        lines.append(f"  {persona.login:<26} {persona.who}")
        lines.append(f"  {'':<26} start at {start}accounts/login/")
        lines.append(f"  {'':<26} try: {persona.try_this}")
        if persona.second_factor:
            lines.append(
                f"  {'':<26} second factor: authenticator secret {persona.totp_secret}"
                f" (or `mbn demo --code {persona.login}`)"
            )
    lines += [
        "",
        "Staff and region accounts need a code from an authenticator app (TOTP) at each sign-in:",
        "the personas above have a known secret; any other staff account sets one up at its first",
        "sign-in. API docs: /api/docs/ on any host.  Press Ctrl-C to stop.",
        "",
    ]
    return "\n".join(lines)
