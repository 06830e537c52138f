import os

from celery import Celery
from celery.signals import worker_ready, worker_shutdown

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "verify.settings")

app = Celery("verify")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

_heartbeat = {}


@worker_ready.connect
def _start_heartbeat(sender, **kwargs) -> None:
    # In the worker's main process, after the pool has forked: the sweeper and
    # `manage.py worker_health` read these rows to tell a live worker from a dead one.
    from articles.services.faults import start_heartbeat

    _heartbeat["stop"] = start_heartbeat(hostname=sender.hostname)


@worker_shutdown.connect
def _stop_heartbeat(**kwargs) -> None:
    if "stop" in _heartbeat:
        _heartbeat["stop"].set()
