"""A real LTI 1.3 tool for the tests: pylti1p3 (its Django adapter) configured with the
platform's issuer, authorization, token and key-set addresses; its HTTP calls (the platform's
JWKS, the token endpoint, the names and roles service) go to the platform through Django's test
client (a ``requests`` adapter), so no server or network is needed."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.test import Client, RequestFactory
from pylti1p3.contrib.django import DjangoMessageLaunch, DjangoOIDCLogin
from pylti1p3.tool_config import ToolConfDict
from requests.structures import CaseInsensitiveDict

ISSUER = "http://localhost"
TOOL = "https://tool.example.test"


class PlatformAdapter(requests.adapters.BaseAdapter):
    """``requests`` → the platform through Django's test client (the host of the address)."""

    def send(self, request: Any, **kwargs: Any) -> requests.Response:
        parts = urlsplit(request.url)
        client = Client(HTTP_HOST=parts.netloc)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        headers = {
            "HTTP_" + key.upper().replace("-", "_"): value
            for key, value in request.headers.items()
            if key.lower() not in ("content-type", "content-length", "host")
        }
        if request.method == "POST":
            body = request.body.decode() if isinstance(request.body, bytes) else (request.body or "")
            answer = client.post(path, data=body, content_type=request.headers.get("Content-Type"), **headers)
        else:
            answer = client.get(path, **headers)
        response = requests.Response()
        response.status_code = answer.status_code
        response._content = answer.content
        response.headers = CaseInsensitiveDict(dict(answer.headers.items()))
        response.url = request.url
        response.request = request
        return response

    def close(self) -> None:
        pass


def platform_session() -> requests.Session:
    session = requests.Session()
    session.mount("http://", PlatformAdapter())
    return session


def key_pair() -> tuple[str, str]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    public = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    return private, public


@dataclass
class Tool:
    """The tool's side of a launch: its configuration, session and cookies."""

    client_id: str
    deployment_id: str
    private_key: str
    public_key: str
    session: dict[str, Any] = field(default_factory=dict)
    cookies: dict[str, str] = field(default_factory=dict)

    def config(self) -> ToolConfDict:
        conf = ToolConfDict(
            {
                ISSUER: [
                    {
                        "default": True,
                        "client_id": self.client_id,
                        "auth_login_url": f"{ISSUER}/lti/authorize/",
                        "auth_token_url": f"{ISSUER}/lti/token/",
                        "key_set_url": f"{ISSUER}/lti/jwks/",
                        "key_set": None,
                        "deployment_ids": [self.deployment_id],
                    }
                ]
            }
        )
        conf.set_private_key(ISSUER, self.private_key, client_id=self.client_id)
        conf.set_public_key(ISSUER, self.public_key, client_id=self.client_id)
        return conf

    def login(self, initiation_url: str) -> str:
        """The third-party initiated login: returns the authorization request's address."""
        request = RequestFactory().get(initiation_url.replace(TOOL, ""), secure=True)
        request.session = self.session  # type: ignore[assignment]
        request.COOKIES = dict(self.cookies)
        login = DjangoOIDCLogin(request, self.config()).disable_check_cookies()
        response = login.redirect(f"{TOOL}/launch")
        self.cookies.update({name: morsel.value for name, morsel in response.cookies.items()})
        return str(response["Location"])

    def launch(self, form_page: str) -> DjangoMessageLaunch:
        """Receive the auto-posted form: pylti1p3 validates the launch (raises when invalid)."""
        fields = dict(re.findall(r'name="(id_token|state)" value="([^"]*)"', form_page))
        request = RequestFactory().post("/launch", fields, secure=True)
        request.session = self.session  # type: ignore[assignment]
        request.COOKIES = dict(self.cookies)
        launch = DjangoMessageLaunch(request, self.config(), requests_session=platform_session())
        launch.get_launch_data()
        return launch
