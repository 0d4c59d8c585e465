"""Celery application; tasks run in-process when no broker is configured."""

import gc
import logging
import os

import redis
from celery import Celery, Task
from celery.signals import worker_process_init
from kombu.exceptions import OperationalError

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")

logger = logging.getLogger(__name__)
REDIS_DOWN = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)


class _MaskedRepr(str):
    """A text argument that shows itself masked in Celery's logs of tasks run in process (no broker)."""

    masked = ""

    def __repr__(self):
        return repr(self.masked)


class ProjectTask(Task):
    """The base of every task here. Queuing never fails the request that queues it: with the broker down the task
    is logged and dropped (beat's sweeps re-queue what matters, e.g. missing certificate PDFs), or run in this
    process when it says `run_here_if_broker_down = True` (an SMS code the person is waiting for).

    A task whose text arguments carry secrets sets `mask_arguments` to a function that masks a text: the broker's
    message headers, worker logs and monitoring (argsrepr) then show them masked, retries included.
    """

    run_here_if_broker_down = False
    mask_arguments = None

    def _masked(self, args):
        mask = type(self).mask_arguments
        return tuple(_masked_repr(a, mask) if isinstance(a, str) else a for a in args)

    def apply(self, args=None, kwargs=None, **options):
        # In process (no broker) Celery logs repr(args) itself, after a serialisation round trip: mask them here.
        if self.mask_arguments is not None and args:
            args = self._masked(args)
        return super().apply(args, kwargs, **options)

    def apply_async(self, args=None, kwargs=None, **options):
        if self.mask_arguments is not None and args:
            options["argsrepr"] = repr(self._masked(args))
        try:
            return super().apply_async(args, kwargs, **options)
        except (OperationalError, RuntimeError, *REDIS_DOWN) as exc:
            # The Redis result store gives up with a RuntimeError caused by the connection error.
            if isinstance(exc, RuntimeError) and not isinstance(exc.__cause__, REDIS_DOWN):
                raise
            if not self.run_here_if_broker_down:
                logger.error("celery: could not queue %s, broker unreachable (%s); dropped", self.name, exc)
                return None
            logger.error("celery: could not queue %s, broker unreachable (%s); running it here", self.name, exc)
            try:
                self.run(*(args or ()), **(kwargs or {}))
            except Exception:
                logger.exception("celery: %s failed when run here", self.name)
            return None


def _masked_repr(text: str, mask) -> _MaskedRepr:
    value = _MaskedRepr(text)
    value.masked = mask(str(text))
    return value


app = Celery("cms", task_cls=ProjectTask)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_process_init.connect
def freeze_start_up_objects(**kwargs):
    """In each worker process: the objects made at start-up (Django, Wagtail, templates, URLs) live as long
    as the process, so they leave the garbage collector's scans. Full collections then stay cheap and run
    often enough that a long run of certificate PDFs keeps its memory flat (bench/certificates.py
    --with-django: +1.7 MiB over 2,000 PDFs instead of +12 MiB, and 10% faster)."""
    gc.freeze()
