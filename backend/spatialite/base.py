"""GeoDjango's SpatiaLite backend for concurrent requests.

Two changes to GeoDjango's backend:
- Loading mod_spatialite into a connection sets SQLite's busy timeout to 5 seconds, silently
  replacing the `timeout` option Django passed to `sqlite3.connect` (and any `init_command`,
  which runs before the extension is loaded). A writer queued behind a long request would give
  up with "database is locked" after 5 s instead of the configured wait; the timeout is set
  again after the extension is loaded.
- Transactions begin IMMEDIATE (the settings' `transaction_mode`: a writer takes the lock when
  it begins, so writers queue instead of failing) except while a read-only request is served
  (`backend.spatialite.middleware.ReadOnlyRequests`: GET, HEAD, OPTIONS): those begin DEFERRED
  and, in WAL mode, read the last committed state without waiting for a writer, so map and
  page reads are not queued behind coordinators' writes.
(shapely is loaded before any connection: backend/__init__.py says why.)
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.contrib.gis.db.backends.spatialite.base import DatabaseWrapper as SpatiaLiteWrapper

DEFAULT_TIMEOUT_S = 5  # Python's sqlite3 default

_read_only = ContextVar("sog_sqlite_read_only", default=False)


@contextmanager
def read_only_transactions():
    """Within this block, transactions on SpatiaLite begin DEFERRED (reads do not queue)."""
    token = _read_only.set(True)
    try:
        yield
    finally:
        _read_only.reset(token)


class DatabaseWrapper(SpatiaLiteWrapper):
    def get_new_connection(self, conn_params):
        conn = super().get_new_connection(conn_params)
        timeout_ms = int(float(conn_params.get("timeout", DEFAULT_TIMEOUT_S)) * 1000)
        conn.execute(f"PRAGMA busy_timeout = {timeout_ms}")
        return conn

    def _start_transaction_under_autocommit(self):
        if _read_only.get():
            self.cursor().execute("BEGIN DEFERRED")
        else:
            super()._start_transaction_under_autocommit()
