"""A small IMAP4rev1 server on loopback (implicit TLS) with just what filing a copy needs:
LOGIN, AUTHENTICATE XOAUTH2, LIST with the \\Sent attribute, SELECT, SEARCH HEADER, APPEND."""

from __future__ import annotations

import base64
import re
import socket
import ssl
import threading

from .servers import ACCESS_TOKEN, PASSWORD, USER

SENT = "Sent Items"
_LITERAL = re.compile(rb"\{(\d+)\}\r\n$")
_SEARCH_ID = re.compile(rb'HEADER Message-ID "([^"]+)"', re.IGNORECASE)


class ImapServer:
    def __init__(self, server_tls: ssl.SSLContext) -> None:
        self.tls = server_tls
        self.folders: dict[str, list[bytes]] = {"INBOX": [], SENT: []}
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(0.1)  # so that the accept loop notices the stop
        self.stopping = threading.Event()
        self.port = self.listener.getsockname()[1]
        self.thread = threading.Thread(target=self._serve, daemon=True)

    def __enter__(self) -> ImapServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopping.set()
        self.thread.join(timeout=5)
        self.listener.close()

    def _serve(self) -> None:
        while not self.stopping.is_set():
            try:
                raw_conn, _ = self.listener.accept()
            except TimeoutError:
                continue
            raw_conn.settimeout(5)
            try:
                with self.tls.wrap_socket(raw_conn, server_side=True) as conn:
                    self._session(conn)
            except (OSError, ssl.SSLError):
                continue

    def _session(self, conn: ssl.SSLSocket) -> None:
        reader = conn.makefile("rb")
        conn.sendall(b"* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN AUTH=XOAUTH2] ready\r\n")
        selected = ""
        for line in reader:
            tag, _, rest = line.rstrip(b"\r\n").partition(b" ")
            verb, _, args = rest.partition(b" ")
            verb = verb.upper()

            def ok(text: bytes = b"done", tag: bytes = tag) -> None:
                conn.sendall(tag + b" OK " + text + b"\r\n")

            if verb == b"CAPABILITY":
                conn.sendall(b"* CAPABILITY IMAP4rev1 AUTH=PLAIN AUTH=XOAUTH2\r\n")
                ok()
            elif verb == b"LOGIN":
                if args == f'{USER} "{PASSWORD}"'.encode() or args == f"{USER} {PASSWORD}".encode():
                    ok(b"LOGIN completed")
                else:
                    conn.sendall(tag + b" NO [AUTHENTICATIONFAILED] Invalid credentials\r\n")
            elif verb == b"AUTHENTICATE":
                conn.sendall(b"+ \r\n")
                answer = base64.b64decode(reader.readline().strip())
                if answer == f"user={USER}\x01auth=Bearer {ACCESS_TOKEN}\x01\x01".encode():
                    ok(b"AUTHENTICATE completed")
                else:
                    conn.sendall(tag + b" NO [AUTHENTICATIONFAILED] Invalid credentials\r\n")
            elif verb == b"LIST":
                conn.sendall(b'* LIST (\\HasNoChildren) "/" INBOX\r\n')
                conn.sendall(f'* LIST (\\HasNoChildren \\Sent) "/" "{SENT}"\r\n'.encode())
                ok()
            elif verb == b"SELECT":
                selected = args.decode().strip('"')
                if selected not in self.folders:
                    conn.sendall(tag + b" NO [NONEXISTENT] No such folder\r\n")
                    continue
                conn.sendall(f"* {len(self.folders[selected])} EXISTS\r\n".encode())
                ok(b"[READ-WRITE] SELECT completed")
            elif verb == b"SEARCH":
                wanted = _SEARCH_ID.search(args)
                hits = [
                    str(n + 1).encode()
                    for n, msg in enumerate(self.folders.get(selected, []))
                    if wanted and b"Message-ID: " + wanted.group(1) + b"\r\n" in msg
                ]
                conn.sendall(b"* SEARCH" + b"".join(b" " + h for h in hits) + b"\r\n")
                ok()
            elif verb == b"APPEND":
                size = int(_LITERAL.search(line).group(1))
                folder = args.split(b" (")[0].decode().strip('"')
                conn.sendall(b"+ Ready for literal data\r\n")
                message = reader.read(size)
                reader.readline()
                self.folders[folder].append(message)
                ok(b"APPEND completed")
            elif verb == b"LOGOUT":
                conn.sendall(b"* BYE logging out\r\n")
                ok()
                return
            else:
                conn.sendall(tag + b" BAD unknown command\r\n")
