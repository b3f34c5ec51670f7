"""The OpenID Connect provider's signing keys (RS256), from the environment.

``OIDC_RSA_PRIVATE_KEY`` is the key that signs ID tokens; ``OIDC_RSA_PRIVATE_KEYS_INACTIVE`` holds
the previous ones (PEM blocks one after another), still published in the JWKS so that tokens they
signed keep validating during a rotation. Production without a key issues no ID token (OpenID
Connect off; plain OAuth 2 API tokens still work) until one is configured; development, the demo
and the tests make one once and keep it under the state directory.
"""

from __future__ import annotations

import re
from pathlib import Path

_PEM_BLOCK = re.compile(r"-----BEGIN [A-Z ]+-----.+?-----END [A-Z ]+-----", re.DOTALL)


def pem_blocks(text: str) -> list[str]:
    """The PEM blocks of a text (an environment variable may hold several)."""
    return [block + "\n" for block in _PEM_BLOCK.findall(text.replace("\\n", "\n"))]


def signing_key(
    configured: str, *, production: bool, state_dir: Path, file_name: str = "oidc-signing-key.pem"
) -> str:
    keys = pem_blocks(configured)
    if keys:
        return keys[0]
    if production:
        return ""  # OpenID Connect (ID tokens) stays off until a key is configured
    path = state_dir / file_name
    if not path.exists():
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import rsa

        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(pem)
        path.chmod(0o600)
    return path.read_text()


def saml_keypair(key_file: str, cert_file: str, *, production: bool, state_dir: Path) -> tuple[str, str]:
    """The SAML identity provider's key and certificate files (PEM): configured, or (outside
    production) a self-signed pair made once under the state directory; none in production until
    configured (the GAR's sign-in then answers 404)."""
    if key_file and cert_file:
        return key_file, cert_file
    if production:
        return "", ""  # no SAML sign-in until the key and certificate are configured
    key_path, cert_path = state_dir / "saml-idp-key.pem", state_dir / "saml-idp-cert.pem"
    if not key_path.exists() or not cert_path.exists():
        import datetime

        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import rsa
        from cryptography.x509.oid import NameOID

        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "MBN SAML IdP (development)")])
        now = datetime.datetime.now(datetime.UTC)
        cert = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=3650))
            .sign(key, hashes.SHA256())
        )
        state_dir.mkdir(parents=True, exist_ok=True)
        key_path.write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        )
        key_path.chmod(0o600)
        cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return str(key_path), str(cert_path)
