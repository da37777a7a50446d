"""A loopback TCP proxy in front of the district server, for fault tests: it can cut a
connection after some bytes from the client, or hold the server's replies back."""

from __future__ import annotations

import random
import select
import socket
import threading
import time


class Proxy:
    def __init__(self, target_port: int, *, cut_after: tuple[int, int] | None = None,
                 cut_chance: float = 0.0, delay: float = 0.0, delay_chance: float = 0.0,
                 seed: int = 0):
        self.target = ("127.0.0.1", target_port)
        self.cut_after, self.cut_chance = cut_after, cut_chance
        self.delay, self.delay_chance = delay, delay_chance
        self.rng = random.Random(seed)
        self.cuts = self.delays = self.connections = 0
        self._server = socket.create_server(("127.0.0.1", 0))
        self.port = self._server.getsockname()[1]
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._accept, daemon=True)]
        self._threads[0].start()

    def _accept(self) -> None:
        self._server.settimeout(0.2)
        while not self._stop.is_set():
            try:
                client, _ = self._server.accept()
            except OSError:
                continue
            self.connections += 1
            cut = None
            if self.cut_after and self.rng.random() < self.cut_chance:
                cut = self.rng.randint(*self.cut_after)
            delay = self.delay
            t = threading.Thread(target=self._pipe, args=(client, cut, delay), daemon=True)
            t.start()
            self._threads.append(t)

    def _pipe(self, client: socket.socket, cut: int | None, delay: float) -> None:
        try:
            server = socket.create_connection(self.target)
        except OSError:
            client.close()
            return
        sent = 0
        startup = True  # the first bytes are the connection handshake: never delayed
        try:
            while not self._stop.is_set():
                ready, _, _ = select.select([client, server], [], [], 0.2)
                for sock in ready:
                    data = sock.recv(65536)
                    if not data:
                        return
                    if sock is client:
                        sent += len(data)
                        if cut is not None and sent >= cut:
                            self.cuts += 1
                            return  # the connection dies mid-message
                        server.sendall(data)
                    else:
                        if delay and not startup and self.rng.random() < self.delay_chance:
                            self.delays += 1
                            time.sleep(delay)  # past the client's timeout: it gives up
                        if b"Z" in data[-6:]:
                            startup = False  # ReadyForQuery: handshake done
                        client.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (client, server):
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                sock.close()

    def close(self) -> None:
        self._stop.set()
        self._server.close()
        for t in self._threads:
            t.join(timeout=2)
