# syntax=docker/dockerfile:1
#
# The MBN platform image. One image runs every process of the deployment
# (infra/terraform/modules/app): the web service (gunicorn, the CMD below),
# the Celery worker and beat, and the one-off `mbn migrate_all` task.
#
#   docker build -t mbn:$(git rev-parse --short HEAD) .
#
# The image holds the package that `make test` tests: the distribution built
# from this repository's pyproject.toml (non-editable, so only what the wheel
# ships is there), with the `prod` extra for gunicorn.
# Pin the base image by digest in CI (python:3.11-slim-bookworm@sha256:...) so
# that a rebuild is reproducible; rebuild regularly for security updates.

ARG PYTHON_IMAGE=python:3.11-slim-bookworm

# --- builder: the project and its dependencies in a virtual environment ------
FROM ${PYTHON_IMAGE} AS builder

ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    PYTHONDONTWRITEBYTECODE=1

RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH

WORKDIR /src
# The build context is filtered by .dockerignore (no tests, venvs, state).
COPY . /src

# `pip install .` builds a wheel from pyproject.toml and installs it (not
# editable): what the wheel leaves out, the image does not have.
RUN pip install --upgrade pip \
 && pip install ".[prod]" \
 && pip check \
 && pip show mbn

# --- runtime ------------------------------------------------------------------
FROM ${PYTHON_IMAGE} AS runtime

# STATIC_ROOT: where collectstatic puts the files WhiteNoise serves.
# XDG_RUNTIME_DIR: gunicorn's control socket goes there (the writable /tmp
# volume on ECS, whose root filesystem is read-only).
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=mbn_platform.config.settings \
    MBN_ENV=production \
    STATIC_ROOT=/app/static \
    XDG_RUNTIME_DIR=/tmp

# Invoices' PDFs (WeasyPrint) need Pango and its fonts at run time.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core xmlsec1 \
 && rm -rf /var/lib/apt/lists/*

# A system user without a login shell or home; the tasks run as uid 10001
# (also set in the ECS task definitions) with a read-only root filesystem and
# a writable /tmp volume.
RUN groupadd --system --gid 10001 mbn \
 && useradd --system --uid 10001 --gid mbn --no-create-home \
        --home-dir /nonexistent --shell /usr/sbin/nologin mbn

COPY --from=builder /opt/venv /opt/venv

WORKDIR /app

# Static files are collected at build time (served by WhiteNoise), with the
# production storage so that the manifest exists. collectstatic opens no
# database connection; the settings only require the variables to be set,
# and these build-time values never reach a running container.
RUN SECRET_KEY=build-only-collectstatic-not-a-secret-0123456789abcdefghij \
    FIELD_ENCRYPTION_KEYS=YnVpbGQtb25seS1jb2xsZWN0c3RhdGljLW5vdC1hLWs= \
    DATABASE_URL=postgres://build@127.0.0.1:1/build \
    MBN_SKIP_SENTRY=1 \
    mbn collectstatic --noinput

USER 10001:10001

EXPOSE 8000

# Settings (workers, threads, timeouts) come from GUNICORN_CMD_ARGS, set by
# the ECS task definition.
CMD ["gunicorn", "mbn_platform.config.wsgi:application", "--bind", "0.0.0.0:8000"]
