"""HTTP load generator for bench_load, run as its own process (standard library only).

    python loadgen.py open   --url URL --cookie C --rate 20 --seconds 30
    python loadgen.py closed --url URL --cookie C --clients 8 --seconds 10

`open` sends on a fixed schedule whatever the server does and times each request
from when it was due, so a slow server shows as queueing delay instead of fewer
requests (no coordinated omission). `closed` keeps N clients busy back to back and
reports completed requests per second. Prints one JSON object.
"""

from __future__ import annotations

import argparse
import http.client
import json
import queue
import statistics
import threading
import time
from urllib.parse import urlsplit


class Client:
    """One keep-alive connection; reconnects when the server closes it."""

    def __init__(self, url: str, cookie: str) -> None:
        parts = urlsplit(url)
        self.host, self.port = parts.hostname, parts.port or 80
        self.path = parts.path + (f"?{parts.query}" if parts.query else "")
        # The proxy header stands for the TLS terminator in front of gunicorn in production.
        self.headers = {"Cookie": cookie, "X-Forwarded-Proto": "https", "Host": "127.0.0.1"}
        self.conn: http.client.HTTPConnection | None = None

    def get(self) -> int:
        for attempt in range(2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
            try:
                self.conn.request("GET", self.path, headers=self.headers)
                response = self.conn.getresponse()
                response.read()
                if response.getheader("Connection", "").lower() == "close":
                    self.conn.close()
                    self.conn = None
                return response.status
            except (ConnectionError, http.client.HTTPException, TimeoutError):
                self.conn.close()
                self.conn = None
                if attempt:
                    return 0
        return 0


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def open_loop(url: str, cookie: str, rate: float, seconds: float, threads: int = 64) -> dict:
    due: queue.Queue[float | None] = queue.Queue()
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()

    def work() -> None:
        nonlocal errors
        client = Client(url, cookie)
        while (scheduled := due.get()) is not None:
            status = client.get()
            elapsed = time.perf_counter() - scheduled
            with lock:
                latencies.append(elapsed)
                errors += status != 200

    pool = [threading.Thread(target=work, daemon=True) for _ in range(threads)]
    for t in pool:
        t.start()
    start = time.perf_counter() + 0.1
    n = int(rate * seconds)
    for i in range(n):
        at = start + i / rate
        delay = at - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        due.put(at)
    for _ in pool:
        due.put(None)
    for t in pool:
        t.join(timeout=60)
    ms = [x * 1000 for x in latencies]
    return {
        "sent": n,
        "done": len(ms),
        "errors": errors,
        "p50_ms": percentile(ms, 50),
        "p95_ms": percentile(ms, 95),
        "max_ms": max(ms) if ms else float("nan"),
        "mean_ms": statistics.fmean(ms) if ms else float("nan"),
    }


def closed_loop(url: str, cookie: str, clients: int, seconds: float) -> dict:
    done = errors = 0
    lock = threading.Lock()
    stop_at = time.perf_counter() + seconds

    def work() -> None:
        nonlocal done, errors
        client = Client(url, cookie)
        client.get()  # warm the connection before counting
        while time.perf_counter() < stop_at:
            status = client.get()
            with lock:
                done += 1
                errors += status != 200

    started = time.perf_counter()
    pool = [threading.Thread(target=work, daemon=True) for _ in range(clients)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    elapsed = time.perf_counter() - started
    return {"done": done, "errors": errors, "rps": done / elapsed}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["open", "closed"])
    parser.add_argument("--url", required=True)
    parser.add_argument("--cookie", default="")
    parser.add_argument("--rate", type=float, default=20)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=30)
    args = parser.parse_args()
    if args.mode == "open":
        result = open_loop(args.url, args.cookie, args.rate, args.seconds)
    else:
        result = closed_loop(args.url, args.cookie, args.clients, args.seconds)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
