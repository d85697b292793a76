"""A network cable between a terminal and the database server that a test can pull out,
or that loses the server's answer to a COMMIT (the commit happened; the terminal never
hears so)."""

from __future__ import annotations

import contextlib
import re
import socket
import threading

_ENDS_WITH_COMMIT = re.compile(rb"(?<![A-Za-z_])COMMIT\x00?\Z", re.IGNORECASE)
_WRITES = re.compile(rb"\b(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)
# PostgreSQL: an operation's last writes and its COMMIT sent as one pipeline (extended
# protocol: the COMMIT is the Parse message of an unnamed statement).
_PIPELINED_COMMIT = re.compile(rb"P\x00\x00\x00\x0e\x00COMMIT\x00")


class _Link:
    """One forwarded connection: when ``drop_reply`` is set, what the server sends is
    thrown away and the connection is hung up."""

    def __init__(self) -> None:
        self.drop_reply = threading.Event()
        self.wrote = False  # the client sent a write since its last COMMIT


class TcpProxy:
    """Forwards a local port to the database server. ``cut()`` drops every connection and
    hangs up on new ones at once (the listening port is kept, so no other socket can take
    it meanwhile); ``restore()`` forwards again. ``lose_next_commit_answer()`` lets the
    next COMMIT through to the server and hangs up on the client instead of passing on
    the server's answer; ``commits_lost`` counts how often that happened. ``freeze()``
    keeps every connection open but forwards nothing more, either way (a PC that froze,
    or a switch that stopped passing its traffic), until ``thaw()`` sends on what it
    held."""

    def __init__(self, target_port: int, target_host: str = "127.0.0.1") -> None:
        self.target = (target_host, target_port)
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._cut = False
        self._lose_commit_answers = 0
        self.commits_lost = 0
        self._flowing = threading.Event()
        self._flowing.set()
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(16)
        self.port = self._listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return  # closed
            if self._cut:
                client.close()
                continue
            try:
                upstream = socket.create_connection(self.target)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._sockets += [client, upstream]
            link = _Link()
            threading.Thread(target=self._pump, args=(client, upstream, link, True),
                             daemon=True).start()
            threading.Thread(target=self._pump, args=(upstream, client, link, False),
                             daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket, link: _Link,
              from_client: bool) -> None:
        try:
            while data := source.recv(65536):
                self._flowing.wait()
                if from_client and self._claim_commit(data, link):
                    link.drop_reply.set()  # before the server can answer
                elif not from_client and link.drop_reply.is_set():
                    break  # the answer is lost: hang up on the client
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, sink):
                with contextlib.suppress(OSError):
                    end.shutdown(socket.SHUT_RDWR)

    def _claim_commit(self, data: bytes, link: _Link) -> bool:
        """Whether ``data`` is the COMMIT of a transaction that wrote, and an answer to
        lose. Both PostgreSQL's simple query and MySQL's COM_QUERY carry the statement
        as text at the end of the message (NUL-terminated on PostgreSQL); a COMMIT
        pipelined after an operation's writes is the Parse message of an unnamed statement. A COMMIT of
        nothing written (the one SQLAlchemy sends on MySQL after setting the isolation
        level of a new connection) is not an operation's."""
        if _WRITES.search(data) or _PIPELINED_COMMIT.search(data):
            link.wrote = True  # a pipelined COMMIT always ends an operation's writes
        if not (_ENDS_WITH_COMMIT.search(data) or _PIPELINED_COMMIT.search(data)):
            return False
        wrote, link.wrote = link.wrote, False
        if not wrote or not self._lose_commit_answers:
            return False
        with self._lock:
            if not self._lose_commit_answers:
                return False
            self._lose_commit_answers -= 1
            self.commits_lost += 1
            return True

    def lose_next_commit_answer(self, count: int = 1) -> None:
        """Let the next ``count`` COMMITs reach the server and lose their answers."""
        with self._lock:
            self._lose_commit_answers = count

    def cut(self) -> None:
        self._cut = True
        with self._lock:
            for sock in self._sockets:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()
            self._sockets.clear()

    def restore(self) -> None:
        self._cut = False

    def freeze(self) -> None:
        self._flowing.clear()

    def thaw(self) -> None:
        self._flowing.set()

    @property
    def frozen(self) -> bool:
        return not self._flowing.is_set()

    def close(self) -> None:
        self.thaw()
        self.cut()
        # shutdown() wakes the thread blocked in accept(); close() alone would not on Linux.
        with contextlib.suppress(OSError):
            self._listener.shutdown(socket.SHUT_RDWR)
        self._listener.close()
