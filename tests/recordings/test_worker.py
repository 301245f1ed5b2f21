"""The real queue: django-tasks' database backend and its db_worker command."""

import pytest
from django.core.management import call_command

from recordings import synth
from recordings.models import Recording

from .conftest import wav_bytes


@pytest.mark.django_db(transaction=True)
def test_upload_is_queued_and_the_db_worker_processes_it(upload, settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    response = upload(wav_bytes(synth.dawn_chorus(3.0)))
    assert response.status_code == 202, response.content
    assert response.json()["processing"] == "queued"  # nothing done in the request
    job = DBTaskResult.objects.get()
    assert job.task_path == "recordings.tasks.process_recording"
    call_command("db_worker", batch=True, interval=0, startup_delay=False, verbosity=0)
    recording = Recording.objects.get(pk=response.json()["id"])
    assert recording.processing == "ready"
    job.refresh_from_db()
    assert job.status == "SUCCESSFUL"
