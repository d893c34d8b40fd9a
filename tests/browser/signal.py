"""A small TCP proxy in front of the test server that a test can cut.

Playwright's offline switch does not reach a service worker's own fetches;
a proxy that stops answering does, exactly as a phone losing signal would:
every connection, open or new, fails.
"""

import contextlib
import socket
import threading


class Signal:
    """`with Signal(port) as signal:` … `signal.cut()` … `signal.restore()`."""

    def __init__(self, target_port: int, host: str = "127.0.0.1"):
        self.target = (host, target_port)
        self.listener = socket.create_server((host, 0))
        self.port = self.listener.getsockname()[1]
        self.url = f"http://{host}:{self.port}"
        self.connected = threading.Event()
        self.connected.set()
        self.open: set[socket.socket] = set()
        self.lock = threading.Lock()
        self.running = True
        self.answers_lost = threading.Event()
        self.thread = threading.Thread(target=self._accept, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.running = False
        self.listener.close()
        self._close_all()

    def cut(self) -> None:
        """No signal: open connections drop, new ones are closed at once."""
        self.connected.clear()
        self._close_all()

    def restore(self) -> None:
        self.connected.set()
        self.answers_lost.clear()

    def lose_answers(self) -> None:
        """Requests reach the server; its answers never reach the phone."""
        self.answers_lost.set()

    def _close_all(self) -> None:
        with self.lock:
            for sock in list(self.open):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()
            self.open.clear()

    def _accept(self) -> None:
        while self.running:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if not self.connected.is_set():
                client.close()
                continue
            try:
                upstream = socket.create_connection(self.target)
            except OSError:
                client.close()
                continue
            with self.lock:
                self.open.update({client, upstream})
            for source, sink, answers in (
                (client, upstream, False),
                (upstream, client, True),
            ):
                threading.Thread(
                    target=self._pipe, args=(source, sink, answers), daemon=True
                ).start()

    def _pipe(self, source: socket.socket, sink: socket.socket, answers: bool) -> None:
        try:
            while data := source.recv(65536):
                if not self.connected.is_set():
                    break
                if answers and self.answers_lost.is_set():
                    break  # the server answered; the phone hears nothing
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
            with self.lock:
                self.open.discard(source)
                self.open.discard(sink)
