"""One PaidUp window per user and set of books: a second launch wakes the first instead.

The first launch takes a QLockFile and listens on a QLocalServer; both are named after the
user and the books, so other books (or another user) get a window of their own. A later
launch finds the lock taken, connects, asks the running window to come to the front and
exits. A lock left by a crashed PaidUp is recognised by QLockFile (its process is gone) and
taken over, and the crashed server's socket is removed before listening again.
"""

from __future__ import annotations

import getpass
import hashlib
import logging
import sys

from PySide6.QtCore import QDir, QLockFile, QObject, QThread, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket
from PySide6.QtWidgets import QWidget

log = logging.getLogger(__name__)

ACTIVATE = b"activate\n"
CONNECT_TRIES = 20  # the first launch may be between taking its lock and listening
CONNECT_WAIT_MS = 250


def instance_key(books: str, user: str | None = None) -> str:
    """Server and lock name for this user and these books (short: socket paths are)."""
    digest = hashlib.sha256(f"{user or getpass.getuser()}\0{books}".encode()).hexdigest()
    return f"paidup-{digest[:24]}"


class SingleInstance(QObject):
    """Call ``claim()`` once: True for the first launch, which then gets ``activated``."""

    activated = Signal()

    def __init__(self, key: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.key = key
        self._lock = QLockFile(QDir(QDir.tempPath()).filePath(f"{key}.lock"))
        self._lock.setStaleLockTime(0)  # stale only when its process is gone, never by age
        self._server: QLocalServer | None = None

    def claim(self) -> bool:
        """Become the running instance, or wake the running one and return False."""
        if self._lock.tryLock(0):
            self._listen()
            return True
        if not self._wake_running():
            log.warning("PaidUp is already running on these books but did not answer")
        return False

    def _listen(self) -> None:
        QLocalServer.removeServer(self.key)  # a socket a crashed PaidUp left behind
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        server.newConnection.connect(self._on_connection)
        if not server.listen(self.key):
            log.warning("a second launch cannot reach this window: %s", server.errorString())
        self._server = server

    def _on_connection(self) -> None:
        assert self._server is not None
        while (peer := self._server.nextPendingConnection()) is not None:
            # Bound methods, not lambdas: a lambda holding self, owned by a socket that
            # self's server owns, would free self while Qt is deleting that socket.
            peer.readyRead.connect(self._on_ready_read)
            peer.disconnected.connect(peer.deleteLater)
            if peer.bytesAvailable():
                self._read(peer)

    def _on_ready_read(self) -> None:
        peer = self.sender()
        if isinstance(peer, QLocalSocket):
            self._read(peer)

    def _read(self, peer: QLocalSocket) -> None:
        if bytes(peer.readAll().data()).startswith(ACTIVATE.strip()):
            self.activated.emit()

    def _wake_running(self) -> bool:
        if sys.platform == "win32":
            # Windows lets the app the user just started give the foreground away.
            import ctypes

            ctypes.windll.user32.AllowSetForegroundWindow(-1)  # ASFW_ANY
        socket = QLocalSocket()
        for _ in range(CONNECT_TRIES):
            socket.connectToServer(self.key)
            if socket.waitForConnected(CONNECT_WAIT_MS):
                socket.write(ACTIVATE)
                delivered = socket.waitForBytesWritten(CONNECT_WAIT_MS * 4) \
                    or socket.bytesToWrite() == 0
                socket.disconnectFromServer()
                if socket.state() != QLocalSocket.LocalSocketState.UnconnectedState:
                    socket.waitForDisconnected(CONNECT_WAIT_MS * 4)
                return delivered
            QThread.msleep(CONNECT_WAIT_MS)
        return False

    def release(self) -> None:
        if self._server is not None:
            self._server.close()
        self._lock.unlock()


def bring_to_front(window: QWidget) -> None:
    """Show the window restored, raised and focused, as far as the window system allows."""
    if window.isMinimized():
        window.showNormal()
    window.show()
    window.raise_()
    window.activateWindow()
