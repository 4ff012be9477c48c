"""Real SMTP servers on loopback for the mail tests: aiosmtpd, and a scripted one that
misbehaves on cue (drops the line mid-message, after the message, or never answers)."""

from __future__ import annotations

import base64
import json
import socket
import ssl
import struct
import threading
from dataclasses import dataclass, field

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

USER = "anna@example.com"
PASSWORD = "correct horse battery staple 7#Q"
ACCESS_TOKEN = "ya29.test-access-token-for-loopback"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PasswordCheck:
    """aiosmtpd authenticator for LOGIN and PLAIN against one user and password."""

    def __call__(self, server: SMTP, session: Session, envelope: Envelope, mechanism: str,
                 auth_data: object) -> AuthResult:
        ok = (
            isinstance(auth_data, LoginPassword)
            and auth_data.login.decode() == USER
            and auth_data.password.decode() == PASSWORD
        )
        return AuthResult(success=ok, handled=False)


@dataclass
class Handler:
    """Keeps what arrived; ``data_replies`` are answered to DATA first, in order."""

    data_replies: list[str] = field(default_factory=list)
    envelopes: list[Envelope] = field(default_factory=list)
    token: str = ACCESS_TOKEN

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        if self.data_replies:
            return self.data_replies.pop(0)
        self.envelopes.append(envelope)
        return "250 2.0.0 Ok: queued"

    async def auth_XOAUTH2(self, server: SMTP, args: list[str]) -> AuthResult:
        """Checks the bearer token the way Microsoft's server does, 334 challenge included."""
        blob = base64.b64decode(args[1]) if len(args) == 2 else b""
        fields = dict(
            part.split("=", 1) for part in blob.decode().split("\x01") if "=" in part
        )
        if fields.get("user") == USER and fields.get("auth") == f"Bearer {self.token}":
            return AuthResult(success=True, auth_data=fields["user"])
        await server.challenge_auth(json.dumps({"status": "401", "schemes": "bearer"}))
        return AuthResult(success=False, handled=False,
                          message="535 5.7.3 Authentication unsuccessful")


class Server:
    """aiosmtpd on 127.0.0.1 with STARTTLS (or implicit TLS) and AUTH both required."""

    def __init__(self, server_tls: ssl.SSLContext, implicit_tls: bool = False,
                 handler: Handler | None = None, exclude_auth: tuple[str, ...] = (),
                 port: int | None = None) -> None:
        self.handler = handler or Handler()
        self.port = port or free_port()
        tls = {"ssl_context": server_tls} if implicit_tls else {
            "tls_context": server_tls, "require_starttls": True,
        }
        self.controller = Controller(
            self.handler, hostname="127.0.0.1", port=self.port,
            auth_required=True, auth_require_tls=not implicit_tls,
            authenticator=PasswordCheck(), auth_exclude_mechanism=exclude_auth, **tls,
        )

    def __enter__(self) -> Server:
        self.controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.controller.stop()


class ScriptedServer:
    """A plain-text SMTP server on loopback that breaks the connection on cue.

    ``mode``: ``drop_mid_data`` closes after the first chunk of the message,
    ``drop_after_data`` closes after the whole message but before answering,
    ``silent`` accepts and never greets.
    """

    def __init__(self, mode: str) -> None:
        self.mode = mode
        self.received = b""
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.thread = threading.Thread(target=self._serve, daemon=True)

    def __enter__(self) -> ScriptedServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.listener.close()
        self.thread.join(timeout=5)

    def _serve(self) -> None:
        try:
            conn, _ = self.listener.accept()
        except OSError:
            return
        with conn:
            if self.mode == "silent":
                conn.recv(1024)
                return
            reader = conn.makefile("rb")
            conn.sendall(b"220 scripted ESMTP\r\n")
            for line in reader:
                verb = line[:4].upper()
                if verb == b"EHLO":
                    conn.sendall(b"250-scripted\r\n250-AUTH PLAIN LOGIN\r\n250 8BITMIME\r\n")
                elif verb == b"AUTH":
                    conn.sendall(b"235 2.7.0 Authentication successful\r\n")
                elif verb == b"DATA":
                    conn.sendall(b"354 End data with <CR><LF>.<CR><LF>\r\n")
                    self._data(reader, conn)
                    return
                elif verb == b"QUIT":
                    conn.sendall(b"221 Bye\r\n")
                    return
                else:
                    conn.sendall(b"250 2.1.0 Ok\r\n")

    def _data(self, reader: object, conn: socket.socket) -> None:
        if self.mode == "drop_mid_data":
            self.received = reader.read1(4096)  # type: ignore[attr-defined]
            # Unread data makes the close a reset, so the sender sees the break mid-send.
            conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            return
        for line in reader:  # type: ignore[attr-defined]
            self.received += line
            if line == b".\r\n":
                return
