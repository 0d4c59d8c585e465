# syntax=docker/dockerfile:1
# Production image: gunicorn serves the site; the same image runs the Celery worker and beat
# (see docker-compose.yml). Build with `docker-compose build` or `docker build -t bdhvs .`.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    UV_PROJECT_ENVIRONMENT=/app/.venv \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    PATH=/app/.venv/bin:$PATH \
    DJANGO_SETTINGS_MODULE=cms.settings.production \
    WEB_CONCURRENCY=3

# gettext compiles the translations; pango + harfbuzz are what WeasyPrint needs for PDFs.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        gettext libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
    && rm -rf /var/lib/apt/lists/*

RUN pip install --no-cache-dir "uv==0.13.9"

WORKDIR /app

# Dependencies first, from the lock file only, so code changes reuse this layer.
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev --no-install-project --no-cache

COPY . .

# Compiled catalogues (the same rule as `make translations`), then static files with hashed
# names. The build-time key only satisfies the production settings check; it is never used.
RUN for po in locale/*/LC_MESSAGES/*.po locale-vendor/*/LC_MESSAGES/*.po; do \
        [ -e "$po" ] || continue; \
        msgfmt --check-format -o "${po%.po}.mo" "$po"; \
    done \
    && SECRET_KEY=build-only-not-a-secret-build-only-not-a-secret \
       python manage.py collectstatic --noinput --verbosity 0

RUN useradd --system --uid 10001 --user-group --home-dir /app --no-create-home app \
    && mkdir -p /app/var/media /app/var/private /app/var/static /app/var/beat \
    && chown -R app:app /app/var
USER app

EXPOSE 8000

# gunicorn.conf.py: one process per core (WEB_CONCURRENCY), 4 threads each, logs to stdout/stderr.
CMD ["gunicorn", "cms.wsgi:application"]
