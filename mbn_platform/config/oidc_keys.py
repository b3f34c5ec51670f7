"""The OpenID Connect provider's signing keys (RS256), from the environment.

``OIDC_RSA_PRIVATE_KEY`` is the key that signs ID tokens; ``OIDC_RSA_PRIVATE_KEYS_INACTIVE`` holds
the previous ones (PEM blocks one after another), still published in the JWKS so that tokens they
signed keep validating during a rotation. Production refuses to start without a key; development,
the demo and the tests make one once and keep it under the state directory.
"""

from __future__ import annotations

import re
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

_PEM_BLOCK = re.compile(r"-----BEGIN [A-Z ]+-----.+?-----END [A-Z ]+-----", re.DOTALL)


def pem_blocks(text: str) -> list[str]:
    """The PEM blocks of a text (an environment variable may hold several)."""
    return [block + "\n" for block in _PEM_BLOCK.findall(text.replace("\\n", "\n"))]


def signing_key(configured: str, *, production: bool, state_dir: Path) -> str:
    keys = pem_blocks(configured)
    if keys:
        return keys[0]
    if production:
        raise ImproperlyConfigured("Production needs OIDC_RSA_PRIVATE_KEY (an RSA private key, PEM).")
    path = state_dir / "oidc-signing-key.pem"
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
