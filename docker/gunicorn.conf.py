"""gunicorn settings for the web container: `gunicorn -c docker/gunicorn.conf.py verify.wsgi`.

Every value reads the environment, so compose and a bare host share this file.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
# Sync workers: each request holds one; views are short and I/O waits on
# PostgreSQL, so about two per core (WEB_WORKERS) before adding machines.
workers = int(os.environ.get("WEB_WORKERS", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so a slow leak (WeasyPrint, lxml) cannot grow for ever.
max_requests = 2000
max_requests_jitter = 200
# The heartbeat file lives in memory: a container's disk may stall and get workers killed.
_SHM = "/dev/shm"  # noqa: S108 (gunicorn's own advice; it holds only the workers' heartbeat files)
worker_tmp_dir = _SHM if os.path.isdir(_SHM) else None
# Django logs each request as JSON with its id (verify.logs); gunicorn's own
# access log would repeat it in another format.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
# Addresses whose X-Forwarded-* headers gunicorn trusts (the TLS proxy).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
