"""Background jobs (Django's tasks API: the django-tasks backport, database backend).

`manage.py db_worker` runs them; tests run them in the request (ImmediateBackend) or
through the real worker (tests/recordings/test_worker.py).
"""

from __future__ import annotations

from django_tasks import task


@task()
def process_recording(recording_id: int) -> str:
    """Process one recording (recordings.services.process); returns its new state."""
    from .services import process

    return process(recording_id)
