"""The Django project (settings, URLs, WSGI/ASGI).

shapely's C extension is loaded here, before Django opens any database connection. SQLite
loads mod_spatialite with RTLD_GLOBAL, which puts the system's GEOS (Debian's 3.11) in the
process's global symbol scope; a shapely extension loaded after that binds its GEOS calls to
those symbols instead of the newer GEOS in its own wheel, and crashes (a segfault in
`coverage_simplify`, "WKT output dimension must be 2 or 3"). Loaded first, its symbols are
bound to its own GEOS, whatever is loaded later.
"""

import shapely  # noqa: F401
