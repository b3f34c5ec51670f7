"""A stand-in for a browser's push service (what Firefox's or Chrome's is to a real device): it
takes the platform's POST, checks the VAPID ``Authorization`` header (an ES256 JWT signed with the
platform's key, for this service's origin, not expired) and decrypts the ``aes128gcm`` body with
the device's private key, as the browser would (RFC 8030, 8291, 8292)."""

from __future__ import annotations

import base64
import json
import secrets
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import http_ece
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class Device:
    """A browser's side of a subscription: its key pair and authentication secret."""

    endpoint: str
    key: ec.EllipticCurvePrivateKey = field(default_factory=lambda: ec.generate_private_key(ec.SECP256R1()))
    auth: bytes = field(default_factory=lambda: secrets.token_bytes(16))

    def subscription(self) -> dict[str, Any]:
        public = self.key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return {"endpoint": self.endpoint, "keys": {"p256dh": b64url(public), "auth": b64url(self.auth)}}


class PushService(ThreadingHTTPServer):
    vapid_public_key: str
    devices: dict[str, Device]
    received: list[dict[str, Any]]
    refused: list[str]
    answer: int

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def device(self) -> Device:
        device = Device(endpoint=f"{self.origin}/push/{secrets.token_hex(8)}")
        self.devices[device.endpoint] = device
        return device

    def check_vapid(self, header: str) -> dict[str, Any]:
        scheme, _space, rest = header.partition(" ")
        parts = dict(part.split("=", 1) for part in rest.split(","))
        assert scheme == "vapid" and parts["k"] == self.vapid_public_key, header
        signed, _dot, signature = parts["t"].rpartition(".")
        public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64url(parts["k"]))
        raw = unb64url(signature)
        der = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
        public.verify(der, signed.encode(), ec.ECDSA(hashes.SHA256()))  # raises when forged
        header_part, claims_part = signed.split(".")
        assert json.loads(unb64url(header_part))["alg"] == "ES256"
        claims = json.loads(unb64url(claims_part))
        assert claims["aud"] == self.origin and claims["exp"] > time.time()
        assert str(claims["sub"]).startswith(("mailto:", "https:"))
        return claims


class Handler(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        server: PushService = self.server  # type: ignore[assignment]
        body = self.rfile.read(int(self.headers["Content-Length"]))
        endpoint = server.origin + self.path
        try:
            claims = server.check_vapid(self.headers.get("Authorization", ""))
            assert self.headers["Content-Encoding"] == "aes128gcm"
            device = server.devices[endpoint]
            clear = http_ece.decrypt(
                body, private_key=device.key, auth_secret=device.auth, version="aes128gcm"
            )
        except Exception as exc:
            server.refused.append(f"{type(exc).__name__}: {exc}")
            self.send_response(400)
            self.end_headers()
            return
        if server.answer < 300:
            server.received.append(
                {
                    "endpoint": endpoint,
                    "payload": json.loads(clear),
                    "ttl": self.headers.get("TTL"),
                    "urgency": self.headers.get("Urgency"),
                    "claims": claims,
                }
            )
        self.send_response(server.answer)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        return None


@contextmanager
def push_service(vapid_public_key: str) -> Iterator[PushService]:
    server = PushService(("127.0.0.1", 0), Handler)
    server.vapid_public_key = vapid_public_key
    server.devices, server.received, server.refused, server.answer = {}, [], [], 201
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
