"""Mail fixtures shared by the mail and window tests: a test certificate authority
(trustme) for loopback servers, and an in-memory keyring.

    memory_keyring  (function) the keyring for this test, forgotten at its end
    test_ca         (session)  a certificate authority the tests trust
    server_tls      (session)  a server TLS context for 127.0.0.1 signed by it
    ca_file         (function) that authority's certificate as a PEM file
"""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
import trustme
from keyring.backend import KeyringBackend


class MemoryKeyring(KeyringBackend):
    """A keyring that forgets everything when the test ends (unit tests only)."""

    # Priority 0 keeps keyring's own discovery (the chain) from ever picking it up.
    priority = 0  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[service, username] = password

    def delete_password(self, service: str, username: str) -> None:
        if (service, username) not in self.entries:
            raise keyring.errors.PasswordDeleteError(username)
        del self.entries[service, username]


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture(scope="session")
def test_ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture(scope="session")
def server_tls(test_ca: trustme.CA) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    test_ca.issue_cert("127.0.0.1", "localhost").configure_cert(context)
    return context


@pytest.fixture
def ca_file(test_ca: trustme.CA, tmp_path: Path) -> Path:
    path = tmp_path / "office-ca.pem"
    test_ca.cert_pem.write_to_path(str(path))
    return path
