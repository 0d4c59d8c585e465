"""gunicorn settings for production (read from the working directory: `gunicorn cms.wsgi:application`).

Sized for small machines: one process per core, each with a few threads so that a request waiting on
PostgreSQL does not hold a core idle. Every value can be changed by the environment.
"""

import gc
import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count()))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "30"))  # phones on 3G reuse their connection
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "20000"))  # recycle workers now and then
max_requests_jitter = max_requests // 10
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")

# Load Django once in the master, then fork: workers share its memory and start at once.
preload_app = True


def pre_fork(server, worker):
    # Objects loaded at start-up live as long as the process: keep them out of the garbage collector's
    # scans, so that forked workers neither copy those pages nor spend time walking them on every collection.
    gc.freeze()


def post_fork(server, worker):
    # Fewer, larger young-generation collections: a request allocates many short-lived objects.
    gc.set_threshold(20_000, 20, 20)
