"""GeoDjango's SpatiaLite backend, keeping the busy timeout the settings ask for.

Loading mod_spatialite into a connection sets SQLite's busy timeout to 5 seconds, silently
replacing the `timeout` option Django passed to `sqlite3.connect` (and any `init_command`,
which runs before the extension is loaded). A writer queued behind a long request would give
up with "database is locked" after 5 s instead of the configured wait.
"""

from django.contrib.gis.db.backends.spatialite.base import DatabaseWrapper as SpatiaLiteWrapper

DEFAULT_TIMEOUT_S = 5  # Python's sqlite3 default


class DatabaseWrapper(SpatiaLiteWrapper):
    def get_new_connection(self, conn_params):
        conn = super().get_new_connection(conn_params)
        timeout_ms = int(float(conn_params.get("timeout", DEFAULT_TIMEOUT_S)) * 1000)
        conn.execute(f"PRAGMA busy_timeout = {timeout_ms}")
        return conn
