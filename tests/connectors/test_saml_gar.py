"""The SAML identity provider for the GAR, validated by a real SAML service provider (pysaml2's
client, as the GAR's) against the running server: a signed response with only the GAR's
attributes; guardians have no GAR profile."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from html import unescape
from pathlib import Path
from typing import Any

import pytest
import requests
from django.test import override_settings
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.client import Saml2Client
from saml2.config import SPConfig
from saml2.metadata import create_metadata_string

from mbn_platform.config.oidc_keys import saml_keypair
from shared_apps.connectors.policy import pairwise_subject
from shared_apps.identity.models import User
from shared_apps.identity.roles import Role
from tests.connectors.test_oidc_flow import _browser, _person, _portal, _school

pytestmark = pytest.mark.skipif(shutil.which("xmlsec1") is None, reason="xmlsec1 is not installed")

GAR = "https://gar.example.test"


@pytest.fixture
def made(committed: None) -> Iterator[dict[str, list[Any]]]:
    created: dict[str, list[Any]] = {"users": []}
    yield created
    User.objects.filter(pk__in=[u.pk for u in created["users"]]).delete()


def _sp_config(tmp_path: Path, idp_metadata: Path | None) -> SPConfig:
    key, cert = saml_keypair("", "", production=False, state_dir=tmp_path / "sp")
    config = SPConfig()
    config.load(
        {
            "entityid": f"{GAR}/sp",
            "key_file": key,
            "cert_file": cert,
            "xmlsec_binary": shutil.which("xmlsec1"),
            "allow_unknown_attributes": True,  # the GAR knows its own attribute names
            "metadata": {"local": [str(idp_metadata)]} if idp_metadata else {},
            "service": {
                "sp": {
                    "endpoints": {"assertion_consumer_service": [(f"{GAR}/acs", BINDING_HTTP_POST)]},
                    "want_assertions_signed": True,
                    "want_response_signed": True,
                    "allow_unsolicited": False,
                }
            },
        }
    )
    return config


@pytest.fixture
def gar_sp(tmp_path: Path, app_server: str) -> Iterator[Saml2Client]:
    sp_metadata = tmp_path / "gar-sp.xml"
    sp_metadata.write_bytes(create_metadata_string(None, config=_sp_config(tmp_path, None), valid=24))
    with override_settings(GAR_SP_METADATA_FILE=str(sp_metadata)):
        idp_metadata = tmp_path / "idp.xml"
        idp_metadata.write_text(requests.get(f"{_portal(app_server)}/saml/metadata/", timeout=10).text)
        yield Saml2Client(config=_sp_config(tmp_path, idp_metadata))


def _sign_on(port: str, client: Saml2Client, user: User) -> tuple[str, requests.Response]:
    request_id, info = client.prepare_for_authenticate(
        entityid=f"{_portal(port)}/saml/metadata/", relay_state="/ressource/42", binding=BINDING_HTTP_REDIRECT
    )
    location = dict(info["headers"])["Location"]
    return request_id, _browser(port, user).get(location, allow_redirects=False, timeout=10)


def test_the_gar_receives_a_signed_assertion_with_only_its_attributes(app_server, gar_sp, made):
    school = _school("school_a")
    student = _person(made, school, Role.STUDENT)

    request_id, page = _sign_on(app_server, gar_sp, student)

    assert page.status_code == 200, page.text[:300]
    assert f'action="{GAR}/acs"' in page.text
    assert GAR in page.headers["Content-Security-Policy"]
    saml_response = unescape(re.search(r'name="SAMLResponse" value="([^"]+)"', page.text).group(1))
    answer = gar_sp.parse_authn_request_response(
        saml_response, BINDING_HTTP_POST, outstanding={request_id: "/ressource/42"}
    )
    ido = pairwise_subject(user_id=student.pk, client_id="gar")
    assert answer.ava == {"IDO": [ido], "UAI": [school.uai], "PRO": ["National_elv"]}
    assert answer.name_id.text == ido
    assert answer.assertion.signature is not None


def test_a_guardian_has_no_gar_profile(app_server, gar_sp, made):
    guardian = _person(made, _school("school_a"), Role.GUARDIAN)

    _request_id, page = _sign_on(app_server, gar_sp, guardian)

    assert page.status_code == 403


def test_without_the_gars_metadata_there_is_no_saml_sign_in(app_server, made):
    student = _person(made, _school("school_a"), Role.STUDENT)
    answer = _browser(app_server, student).get(
        f"{_portal(app_server)}/saml/sso/redirect/?SAMLRequest=x", allow_redirects=False, timeout=10
    )
    assert answer.status_code == 404
