"""Pages: a coordinator uploads or records a recording; one recording's state."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from villages import roles
from villages.logs import LogConflict

from . import services, uploads
from .forms import UploadForm
from .models import Recording


@roles.coordinator_required
def upload(request):
    status = 200
    now = timezone.localtime().replace(second=0, microsecond=0, tzinfo=None)
    form = UploadForm(
        request.POST or None, request.FILES or None, user=request.user, initial={"recorded_at": now}
    )
    refusal = uploads.upload_refusal(request)
    if request.method == "POST":
        if refusal:
            form.is_valid()
            form.add_error("audio", refusal)
            status = 400
        elif form.is_valid():
            try:
                recording, _created = services.upload(
                    author=request.user,
                    data=form.service_data(),
                    audio_file=form.cleaned_data["audio"],
                )
            except ValidationError as exc:
                for field, messages in exc.message_dict.items():
                    field = {"geometry": "longitude", "place": "longitude"}.get(field, field)
                    form.add_error(field if field in form.fields else None, messages)
                status = 400
            except LogConflict as exc:
                form.add_error(None, exc.message)
                status = 409
            else:
                return redirect("recordings:detail", pk=recording.pk)
        else:
            status = 400
    return render(request, "recordings/upload.html", {"form": form}, status=status)


@roles.coordinator_required
def detail(request, pk):
    recording = get_object_or_404(
        roles.logs_visible_to(request.user, Recording.objects.select_related("village")), pk=pk
    )
    return render(request, "recordings/detail.html", {"recording": recording})


@roles.coordinator_required
@require_POST
def process_again(request, pk):
    """Run a failed recording's processing again (services.reprocess: the author or AMO)."""
    recording = get_object_or_404(
        roles.logs_visible_to(request.user, Recording.objects.all()), pk=pk
    )
    try:
        services.reprocess(user=request.user, recording=recording)
    except LogConflict as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Queued: the sound is being prepared again."))
    return redirect("recordings:detail", pk=pk)
