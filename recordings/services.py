"""Writes for recordings: upload (checked, stored once per client UUID, queued), processing
(the worker's job, safe to run again), review and re-processing.

The shared log machinery (villages.logs) does retries, the audit trail and the review.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import logging
import os
import secrets
import tempfile
import uuid
from contextlib import contextmanager

import av
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from villages import logs, roles
from villages.logs import audit

from . import audio
from .logkinds import RECORDINGS
from .models import Recording

log = logging.getLogger(__name__)

PROGRAMME_START = datetime.date(2020, 1, 1)


def content(recording_or_data) -> dict:
    """What a recording says, for the audit trail and to compare a retry with the stored log
    (the fields are declared once, in recordings.logkinds)."""
    return RECORDINGS.content(recording_or_data)


def sha256_of(upload) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


@contextmanager
def _local_path(upload):
    """A path FFmpeg can open: the temporary file Django wrote, or a copy of a small upload
    held in memory."""
    if hasattr(upload, "temporary_file_path"):
        yield upload.temporary_file_path()
        return
    upload.seek(0)
    with tempfile.NamedTemporaryFile(suffix=".upload") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
        handle.flush()
        yield handle.name
    upload.seek(0)


def validate(*, data: dict) -> None:
    """The rules beyond each field's own: consent, titles, dates, place, links."""
    from greenscore.actions.geometry_input import check_near_village

    errors: dict[str, list] = {}
    village = data["village"]
    if data["kind"] in Recording.CONSENT_KINDS and not data.get("consent"):
        errors.setdefault("consent", []).append(
            _(
                "The performers (or the person interviewed) must agree to publication: tick "
                "consent once they have."
            )
        )
    if not (data.get("title_id") or "").strip() and not (data.get("title_en") or "").strip():
        errors.setdefault("title_id", []).append(_("Give a title in at least one language."))
    recorded_at = data["recorded_at"]
    if recorded_at > timezone.now() + datetime.timedelta(minutes=5):
        errors.setdefault("recorded_at", []).append(_("The recording time is in the future."))
    elif timezone.localdate(recorded_at) < PROGRAMME_START:
        errors.setdefault("recorded_at", []).append(
            _("The date is before the programme began (%(start)s).")
            % {"start": PROGRAMME_START.isoformat()}
        )
    try:
        check_near_village(data["place"], village)
    except ValidationError as exc:
        errors.setdefault("geometry", []).extend(exc.messages)
    for name in ("attraction", "event"):
        linked = data.get(name)
        if linked is not None and linked.village_id != village.pk:
            errors.setdefault(name, []).append(
                _("%(name)s is not in %(village)s.") % {"name": linked, "village": village.name}
            )
    if errors:
        raise ValidationError(errors)


def _unique_slug(data: dict) -> str:
    base = slugify(data.get("title_en") or data.get("title_id") or data["kind"])[:90]
    return f"{base or 'recording'}-{secrets.token_hex(4)}"


def upload(*, author, data: dict, audio_file) -> tuple[Recording, bool]:
    """Check and store an uploaded recording, then queue its processing.

    Returns (recording, created); a retry with the same client UUID and the same content
    (the same file included) returns the stored recording. Refusals are ValidationError
    per field (`audio` for the file), raised before anything is stored.
    """
    logs.check_filing(user=author, village=data["village"])
    full = {**RECORDINGS.defaults, **data}
    if full["event"] is not None and full["attraction"] is None:
        full["attraction"] = full["event"].attraction  # heard on the attraction's page too
    validate(data=full)
    with _local_path(audio_file) as path:
        try:
            probed = audio.probe(path, size=audio_file.size)
        except audio.AudioRefused as exc:
            raise ValidationError({"audio": [exc.message]}, code=exc.code) from None
    full["sha256"] = sha256_of(audio_file)

    def create():
        recording = Recording(
            client_uuid=data["client_uuid"],
            author=author,
            slug=_unique_slug(full),
            duration_s=round(probed.duration_s, 3),
            size_bytes=audio_file.size,
            source_codec=probed.codec,
            sha256=full["sha256"],
            **{name: full[name] for name in RECORDINGS.content_fields if name != "date"},
        )
        recording.original.save("original", audio_file, save=False)
        try:
            recording.save()
            enqueue(recording)
        except BaseException:
            recording.original.delete(save=False)  # nothing half-stored
            raise
        return recording

    return logs.create_once(
        model=Recording,
        client_uuid=data["client_uuid"],
        author=author,
        content=content(full),
        stored_content=content,
        create=create,
    )


def enqueue(recording: Recording) -> None:
    """Queue the processing job. With the database backend the job row is written in the
    caller's transaction: it exists exactly when the recording does."""
    from .tasks import process_recording

    process_recording.enqueue(recording.pk)


def reprocess(*, user, recording: Recording) -> Recording:
    """Run the processing again (after a failure, or with a newer pipeline)."""
    if not (roles.can_review(user) or roles.can_edit(user, recording)):
        raise PermissionDenied(_("Only the author or an AMO reviewer may process it again."))
    if recording.processing in (Recording.Processing.QUEUED, Recording.Processing.PROCESSING):
        raise logs.LogConflict(
            _("This recording is already waiting to be processed."), code="processing"
        )
    with transaction.atomic():
        Recording.objects.filter(pk=recording.pk).update(
            processing=Recording.Processing.QUEUED, processing_error=""
        )
        audit.record(
            actor=user,
            action="update",
            obj=recording,
            changes={"processing": [recording.processing, "queued"]},
        )
        enqueue(recording)
    recording.refresh_from_db()
    return recording


def review(*, reviewer, recording: Recording, decision: str, reason: str = "") -> Recording:
    """AMO's decision, as on the /review/ pages: villages.logs.review_logs, which asks
    the kind (RecordingKind.review_refusal: verified only once processed)."""
    logs.review_logs(logs=[recording], reviewer=reviewer, decision=decision, reason=reason)
    recording.refresh_from_db()
    return recording


def delete(*, user, recording: Recording) -> None:
    files = [recording.original, *recording.public_files()]
    logs.delete_log(user=user, log=recording, stored_content=content)
    transaction.on_commit(lambda: _delete_files(files))


def _delete_files(files) -> None:
    for field_file in files:
        try:
            field_file.storage.delete(field_file.name)
        except OSError:  # pragma: no cover - a file already gone
            log.warning("could not delete %s", field_file.name)


# --- The worker's job ------------------------------------------------------------------


class ProcessingFailed(Exception):
    pass


@contextmanager
def _original_path(recording: Recording):
    try:
        yield recording.original.path
    except NotImplementedError:  # pragma: no cover - a storage without local files
        with recording.original.open("rb") as source, tempfile.NamedTemporaryFile() as copy:
            for chunk in source.chunks():
                copy.write(chunk)
            copy.flush()
            yield copy.name


def process(recording_id: int) -> str:
    """Decode, analyse, encode and store the public files of one recording.

    Safe to run again: each run writes its files under a new random folder, switches the
    recording to them in one update, and only then deletes the previous run's files. A
    failure marks the recording `failed` with the reason and leaves the files it had.
    """
    from . import indices  # scikit-maad is slow to import: only the worker needs it

    recording = Recording.objects.filter(pk=recording_id).first()
    if recording is None:
        return "gone"
    Recording.objects.filter(pk=recording_id).update(
        processing=Recording.Processing.PROCESSING, attempts=F("attempts") + 1, processing_error=""
    )
    folder = f"recordings/{uuid.uuid4().hex}"
    written: list[str] = []
    try:
        soundscape = recording.kind == Recording.Kind.SOUNDSCAPE
        with _original_path(recording) as path:
            if not os.path.exists(path):
                raise ProcessingFailed(_("The original file is missing."))
            analysis = audio.analyse(
                path,
                expected_s=recording.duration_s,
                window_s=indices.WINDOW_S if soundscape else None,
                measure=indices.window_indices if soundscape else None,
            )
            if analysis.duration_s < recording.duration_s * audio.DECLARED_SHARE:
                raise ProcessingFailed(
                    _(
                        "Only %(got).1f s of the declared %(declared).1f s could be decoded: "
                        "the file is truncated or damaged."
                    )
                    % {"got": analysis.duration_s, "declared": recording.duration_s}
                )
            gain = audio.normalising_gain_db(analysis.loudness_lufs, analysis.true_peak_dbtp)
            with tempfile.TemporaryDirectory() as tmp:
                outputs = {
                    name: os.path.join(tmp, f"audio.{spec[3]}")
                    for name, spec in audio.WEB_FORMATS.items()
                }
                audio.encode_web(path, outputs, gain_db=gain)
                names = {}
                for name, local in outputs.items():
                    with open(local, "rb") as handle:
                        names[name] = default_storage.save(
                            f"{folder}/{os.path.basename(local)}", handle
                        )
                        written.append(names[name])
        peaks = {"version": 1, "duration_s": round(analysis.duration_s, 3), "peaks": analysis.peaks}
        waveform = default_storage.save(
            f"{folder}/peaks.json", ContentFile(json.dumps(peaks, separators=(",", ":")))
        )
        written.append(waveform)
        spectrogram = default_storage.save(
            f"{folder}/spectrogram.png", ContentFile(analysis.spectrogram_png)
        )
        written.append(spectrogram)
        result = indices.result(analysis.windows) if soundscape else None
        ndsi = (result["summary"]["ndsi"] or {}).get("median") if result else None
        old = [f.name for f in recording.public_files()]
        Recording.objects.filter(pk=recording_id).update(
            processing=Recording.Processing.READY,
            processing_error="",
            processed_at=timezone.now(),
            audio_opus=names["opus"],
            audio_aac=names["aac"],
            waveform=waveform,
            spectrogram=spectrogram,
            loudness_lufs=analysis.loudness_lufs,
            gain_db=gain,
            indices=result,
            ndsi=ndsi,
        )
        for name in old:
            default_storage.delete(name)
        return "ready"
    except Exception as exc:  # the reason is kept on the recording, the job is done
        for name in written:
            default_storage.delete(name)
        if isinstance(exc, audio.AudioRefused):
            exc = ProcessingFailed(exc.message)
        elif isinstance(exc, av.FFmpegError):
            exc = ProcessingFailed(_("The file is damaged: %(error)s.") % {"error": exc})
        message = (
            str(exc)
            if isinstance(exc, ProcessingFailed)
            else _("Processing failed: %(error)s") % {"error": f"{type(exc).__name__}: {exc}"[:300]}
        )
        log.warning("recording %s failed: %s", recording_id, message, exc_info=True)
        Recording.objects.filter(pk=recording_id).update(
            processing=Recording.Processing.FAILED, processing_error=message
        )
        return "failed"
