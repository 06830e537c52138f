"""A local HTTP server for import tests: the fixture site plus misbehaving routes.

Runs `http.server` in a thread on 127.0.0.1 with a free port and records every
request it sees, so a test can assert that a refused URL reached nothing.

Routes besides the files under site/:
  /redirect?to=URL[&status=302]   redirect to URL (absolute or relative)
  /no-location                    a 302 without a Location header
  /chain/N                        N redirects, then a short page
  /status/CODE[?retry_after=V]    an empty response with that status
  /slow?delay=S                   wait S seconds before answering
  /trickle?delay=S&count=N        headers at once, then one byte every S seconds
  /big?size=N[&length=0]          N bytes, with Content-Length unless length=0
  /gzip /deflate /raw-deflate     article.html compressed that way
  /gzip-cut                       gzip data cut short, on a connection that just closes
  /gzip-bomb?size=N               N zero bytes, gzipped (a few KB on the wire)
  /encoding?name=br               a body claiming an unsupported Content-Encoding
  /short                          a Content-Length longer than the body sent
  /reset                          the connection reset without an answer
  /echo                           the request's path and headers as JSON
"""

from __future__ import annotations

import gzip
import json
import socket
import ssl
import struct
import threading
import time
import zlib
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

SITE = Path(__file__).resolve().parent / "site"
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".xml": "application/rss+xml",
}


@dataclass
class SeenRequest:
    method: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format, *args):  # noqa: A002 - keeps test output quiet
        pass

    def do_GET(self) -> None:
        self.server.seen.append(
            SeenRequest("GET", self.path, {k.lower(): v for k, v in self.headers.items()})
        )
        parts = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        path = parts.path
        if path == "/redirect":
            self._send(int(query.get("status", 302)), b"", headers={"Location": query["to"]})
        elif path == "/no-location":
            self._send(302, b"")
        elif path.startswith("/chain/"):
            n = int(path.rsplit("/", 1)[1])
            if n > 0:
                self._send(302, b"", headers={"Location": f"/chain/{n - 1}"})
            else:
                self._send(200, b"end of chain", "text/plain")
        elif path.startswith("/status/"):
            headers = {"Retry-After": query["retry_after"]} if "retry_after" in query else {}
            self._send(int(path.rsplit("/", 1)[1]), b"", headers=headers)
        elif path == "/slow":
            time.sleep(float(query["delay"]))
            self._send(200, b"slow but here", "text/plain")
        elif path == "/trickle":
            count = int(query["count"])
            self._start(200, "text/plain", {"Content-Length": str(count)})
            for _ in range(count):
                self.wfile.write(b"x")
                self.wfile.flush()
                time.sleep(float(query["delay"]))
        elif path == "/big":
            size = int(query["size"])
            headers = {"Content-Length": str(size)} if query.get("length", "1") != "0" else {}
            self._start(200, "text/plain", headers)
            for start in range(0, size, 65536):
                self.wfile.write(b"a" * min(65536, size - start))
        elif path == "/gzip":
            self._send(200, gzip.compress(self._page()), headers={"Content-Encoding": "gzip"})
        elif path == "/deflate":
            self._send(200, zlib.compress(self._page()), headers={"Content-Encoding": "deflate"})
        elif path == "/raw-deflate":
            raw = zlib.compressobj(wbits=-zlib.MAX_WBITS)
            body = raw.compress(self._page()) + raw.flush()
            self._send(200, body, headers={"Content-Encoding": "deflate"})
        elif path == "/gzip-bomb":
            body = gzip.compress(b"\0" * int(query["size"]))
            self._send(200, body, "text/plain", headers={"Content-Encoding": "gzip"})
        elif path == "/gzip-cut":
            body = gzip.compress(self._page())[:-20]  # no Content-Length: the close ends it early
            self._start(200, "text/html", {"Content-Encoding": "gzip"})
            self.wfile.write(body)
        elif path == "/encoding":
            self._send(200, b"not really compressed", headers={"Content-Encoding": query["name"]})
        elif path == "/short":
            self._start(200, "text/plain", {"Content-Length": "1000"})
            self.wfile.write(b"only this much")
            self.close_connection = True
        elif path == "/reset":
            # SO_LINGER 0 turns close() into a TCP reset.
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
        elif path == "/echo":
            seen = self.server.seen[-1]
            self._send(
                200, json.dumps({"path": seen.path, "headers": seen.headers}).encode(), "application/json"
            )
        else:
            file = (SITE / path.lstrip("/")).resolve()
            if path == "/" or SITE not in file.parents or not file.is_file():
                self._send(404, b"not found", "text/plain")
                return
            self._send(200, file.read_bytes(), CONTENT_TYPES.get(file.suffix, "application/octet-stream"))

    def _page(self) -> bytes:
        return (SITE / "article.html").read_bytes()

    def _start(self, status: int, content_type: str | None, headers: dict[str, str]) -> None:
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()

    def _send(
        self, status: int, body: bytes, content_type: str | None = "text/html; charset=utf-8", headers=None
    ) -> None:
        self._start(status, content_type, {"Content-Length": str(len(body)), **(headers or {})})
        self.wfile.write(body)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    seen: list[SeenRequest]

    def handle_error(self, request, client_address):
        pass  # a client that gave up (timeouts, size caps) is expected here


class LocalSite:
    """The running server: `url(path)`, `allow` for fetch(), and `seen` requests.

    With `tls` (a server-side SSLContext) it speaks https and records the SNI
    names clients sent in `sni`.
    """

    def __init__(self, tls: ssl.SSLContext | None = None) -> None:
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.seen = []
        self.port = self._server.server_address[1]
        self.scheme = "https" if tls else "http"
        self.sni: list[str | None] = []
        if tls is not None:
            tls.sni_callback = lambda _sock, name, _ctx: self.sni.append(name)
            # The handshake runs in accept(); a client that rejects the
            # certificate makes accept() fail, which serve_forever ignores.
            self._server.socket = tls.wrap_socket(self._server.socket, server_side=True)
        # A short poll interval keeps shutdown() (and so each test's teardown) quick.
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)

    @property
    def seen(self) -> list[SeenRequest]:
        return self._server.seen

    @property
    def host_port(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def allow(self) -> list[str]:
        return [self.host_port]

    def url(self, path: str = "/", host: str = "127.0.0.1") -> str:
        return f"{self.scheme}://{host}:{self.port}{path}"

    def start(self) -> LocalSite:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
