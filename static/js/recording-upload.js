// The upload page: record with the phone's microphone (MediaRecorder) into the form's file
// field, and fill the place from the phone's position. The form itself is an ordinary
// multipart form (it works without JavaScript, choosing a file). On a recording's page
// while it is processed: reload every few seconds until it is ready or failed.

const recorder = document.getElementById("recorder");
const fileInput = document.querySelector('#upload-form input[type="file"]');

if (recorder && fileInput && navigator.mediaDevices?.getUserMedia && window.MediaRecorder
    && typeof DataTransfer === "function") {
  recorder.hidden = false;
  const button = document.getElementById("record-button");
  const status = document.getElementById("record-status");
  const preview = document.getElementById("record-preview");
  let media = null;
  let chunks = [];
  let started = 0;
  let timer = null;

  button.addEventListener("click", async () => {
    if (media && media.state === "recording") {
      media.stop();
      return;
    }
    let stream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    } catch {
      status.textContent = recorder.dataset.denied;
      return;
    }
    const type = ["audio/webm;codecs=opus", "audio/ogg;codecs=opus", "audio/mp4"].find((t) => MediaRecorder.isTypeSupported(t)) || "";
    media = new MediaRecorder(stream, type ? { mimeType: type } : {});
    chunks = [];
    media.addEventListener("dataavailable", (e) => { if (e.data.size) chunks.push(e.data); });
    media.addEventListener("stop", () => {
      clearInterval(timer);
      for (const track of stream.getTracks()) track.stop();
      const mime = media.mimeType || type || "audio/webm";
      const ext = mime.includes("ogg") ? "ogg" : mime.includes("mp4") ? "m4a" : "webm";
      const file = new File([new Blob(chunks, { type: mime })], `recording.${ext}`, { type: mime });
      const transfer = new DataTransfer();
      transfer.items.add(file);
      fileInput.files = transfer.files;
      preview.src = URL.createObjectURL(file);
      preview.hidden = false;
      status.textContent = recorder.dataset.ready;
      button.textContent = recorder.dataset.start;
    });
    media.start(1000);
    started = Date.now();
    button.textContent = recorder.dataset.stop;
    timer = setInterval(() => {
      const s = Math.floor((Date.now() - started) / 1000);
      status.textContent = `${recorder.dataset.recording} ${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
    }, 500);
  });
}

const positionButton = document.getElementById("use-my-position");
if (positionButton) {
  const status = document.getElementById("position-status");
  positionButton.addEventListener("click", () => {
    if (!navigator.geolocation) {
      status.textContent = positionButton.dataset.failed;
      return;
    }
    status.textContent = positionButton.dataset.locating;
    navigator.geolocation.getCurrentPosition(
      (position) => {
        document.getElementById("id_longitude").value = position.coords.longitude.toFixed(6);
        document.getElementById("id_latitude").value = position.coords.latitude.toFixed(6);
        status.textContent = `± ${Math.round(position.coords.accuracy)} m`;
      },
      () => { status.textContent = positionButton.dataset.failed; },
      { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 },
    );
  });
}

const state = document.getElementById("recording-state");
if (state && ["queued", "processing"].includes(state.dataset.processing)) {
  setTimeout(() => window.location.reload(), 4000);
}
