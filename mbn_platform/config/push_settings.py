"""Settings of Web Push, the notification channel of the MBN app (shared_apps/notifications).

``WEB_PUSH_VAPID_PRIVATE_KEY``: the VAPID key (an ECDSA P-256 private key, PEM) that signs every
request to the browsers' push services; production reads it from the environment (Secrets
Manager, infra/terraform/modules/secrets) and sends no push without it. Development, the demo and
the tests make one once and keep it under the state directory. The public key browsers subscribe
with is derived from it. ``WEB_PUSH_CONTACT``: who the push services may write to about our
traffic (a ``mailto:`` address). ``WEB_PUSH_SERVICE_HOSTS``: the push services the platform posts
to (a subscription naming another host is refused: the server never posts to an address a user
chose).
"""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

#: The push services of the browsers people use (Chrome/Edge/Android, Firefox, Windows, Safari/iOS).
PUSH_SERVICE_HOSTS = (
    "fcm.googleapis.com",
    "android.googleapis.com",
    "updates.push.services.mozilla.com",
    ".notify.windows.com",
    ".push.apple.com",
)


def _private_pem(configured: str, *, production: bool, state_dir: Path) -> str:
    pem = configured.replace("\\n", "\n").strip()
    if pem or production:
        return pem + "\n" if pem else ""
    path = state_dir / "web-push-vapid-key.pem"
    if not path.exists():
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import ec

        key = ec.generate_private_key(ec.SECP256R1())
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
        path.chmod(0o600)
    return path.read_text()


def public_key_of(private_pem: str) -> str:
    """The application server key browsers subscribe with: the uncompressed point, base64url."""
    if not private_pem:
        return ""
    from cryptography.hazmat.primitives import serialization

    key = serialization.load_pem_private_key(private_pem.encode(), password=None)
    raw = key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def web_push(env: Any, *, production: bool, state_dir: Path, contact: str) -> dict[str, Any]:
    private_pem = _private_pem(
        env.str("WEB_PUSH_VAPID_PRIVATE_KEY", default=""), production=production, state_dir=state_dir
    )
    return {
        "VAPID_PRIVATE_KEY": private_pem,
        "VAPID_PUBLIC_KEY": public_key_of(private_pem),
        "CONTACT": env.str("WEB_PUSH_CONTACT", default=f"mailto:{contact}"),
        "SERVICE_HOSTS": tuple(env.list("WEB_PUSH_SERVICE_HOSTS", default=list(PUSH_SERVICE_HOSTS))),
        # How long a push service keeps a notification for a device that is off (seconds).
        "TTL": env.int("WEB_PUSH_TTL", default=24 * 60 * 60),
    }
