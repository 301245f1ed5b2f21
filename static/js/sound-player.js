// A small player for recordings. The <audio> element plays (it streams: the server answers
// Range requests); a canvas draws the waveform from the peaks the worker computed, and the
// part already played. Click or tap the waveform to jump, or use the arrow keys on it.
// Pages render <figure class="sound" data-peaks=...><audio controls>...</audio></figure>,
// which plays without JavaScript; enhance() swaps the native controls for this player.

const peaksCache = new Map();

function loadPeaks(url) {
  if (!url) return Promise.resolve(null);
  if (!peaksCache.has(url)) {
    peaksCache.set(url, fetch(url).then((r) => (r.ok ? r.json() : null)).catch(() => null));
  }
  return peaksCache.get(url);
}

function clock(seconds) {
  if (!Number.isFinite(seconds)) return "0:00";
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, "0");
  return h ? `${h}:${String(m).padStart(2, "0")}:${rest}` : `${m}:${rest}`;
}

// One recording plays at a time.
document.addEventListener("play", (e) => {
  for (const other of document.querySelectorAll("figure.sound audio")) {
    if (other !== e.target && !other.paused) other.pause();
  }
}, true);

export function enhance(figure) {
  const audio = figure.querySelector("audio");
  if (!audio || figure.dataset.enhanced) return;
  figure.dataset.enhanced = "1";
  const labels = {
    play: figure.dataset.labelPlay || "Play",
    pause: figure.dataset.labelPause || "Pause",
    seek: figure.dataset.labelSeek || "Position",
  };
  const fallbackDuration = Number(figure.dataset.duration) || 0;
  const duration = () => (Number.isFinite(audio.duration) && audio.duration > 0 ? audio.duration : fallbackDuration);

  const controls = document.createElement("div");
  controls.className = "sound-controls";
  const button = document.createElement("button");
  button.type = "button";
  button.className = "sound-play";
  const canvas = document.createElement("canvas");
  canvas.className = "sound-wave";
  canvas.tabIndex = 0;
  canvas.setAttribute("role", "slider");
  canvas.setAttribute("aria-label", labels.seek);
  canvas.setAttribute("aria-valuemin", "0");
  const time = document.createElement("span");
  time.className = "sound-time";
  controls.append(button, canvas, time);
  audio.controls = false;
  audio.before(controls);

  let peaks = null;

  function draw() {
    const width = canvas.clientWidth || 200;
    const height = canvas.clientHeight || 40;
    const ratio = window.devicePixelRatio || 1;
    if (canvas.width !== Math.round(width * ratio)) canvas.width = Math.round(width * ratio);
    if (canvas.height !== Math.round(height * ratio)) canvas.height = Math.round(height * ratio);
    const ctx = canvas.getContext("2d");
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, width, height);
    const style = getComputedStyle(canvas);
    const played = style.getPropertyValue("--sound-played").trim() || "#2f6b3a";
    const rest = style.getPropertyValue("--sound-rest").trim() || "#b9c7bb";
    const total = duration();
    const progress = total ? Math.min(1, audio.currentTime / total) : 0;
    const bars = Math.max(1, Math.floor(width / 3));
    const values = peaks && peaks.length ? peaks : null;
    for (let i = 0; i < bars; i += 1) {
      let v = 0.15;
      if (values) {
        const from = Math.floor((i / bars) * values.length);
        const to = Math.max(from + 1, Math.floor(((i + 1) / bars) * values.length));
        v = Math.max(...values.slice(from, to), 0.02);
      }
      const h = Math.max(1, v * (height - 4));
      ctx.fillStyle = i / bars < progress ? played : rest;
      ctx.fillRect(i * 3, (height - h) / 2, 2, h);
    }
    canvas.setAttribute("aria-valuemax", String(Math.round(total)));
    canvas.setAttribute("aria-valuenow", String(Math.round(audio.currentTime)));
    canvas.setAttribute("aria-valuetext", `${clock(audio.currentTime)} / ${clock(total)}`);
    time.textContent = `${clock(audio.currentTime)} / ${clock(total)}`;
  }

  function showState() {
    const playing = !audio.paused;
    button.textContent = playing ? "❚❚" : "▶";
    button.setAttribute("aria-label", playing ? labels.pause : labels.play);
    figure.classList.toggle("playing", playing);
  }

  function seekTo(seconds) {
    const total = duration();
    if (!total) return;
    audio.currentTime = Math.min(Math.max(0, seconds), total - 0.05);
    draw();
  }

  button.addEventListener("click", () => {
    if (audio.paused) {
      audio.play().catch(() => {});
    } else {
      audio.pause();
    }
  });
  canvas.addEventListener("click", (e) => {
    const box = canvas.getBoundingClientRect();
    seekTo(((e.clientX - box.left) / box.width) * duration());
  });
  canvas.addEventListener("keydown", (e) => {
    if (e.key === "ArrowRight") seekTo(audio.currentTime + 5);
    else if (e.key === "ArrowLeft") seekTo(audio.currentTime - 5);
    else if (e.key === " " || e.key === "Enter") button.click();
    else return;
    e.preventDefault();
  });
  for (const name of ["play", "pause", "ended"]) audio.addEventListener(name, showState);
  for (const name of ["timeupdate", "loadedmetadata", "durationchange", "seeked"]) audio.addEventListener(name, draw);
  if ("ResizeObserver" in window) new ResizeObserver(draw).observe(canvas);
  showState();
  draw();
  loadPeaks(figure.dataset.peaks).then((data) => {
    peaks = data?.peaks || null;
    draw();
  });
}

function source(url, type) {
  const element = document.createElement("source");
  element.src = url;
  element.type = type;
  return element;
}

/** A player for one recording from the API's properties (the map's popups use it). */
export function playerElement(props, labels = {}) {
  const figure = document.createElement("figure");
  figure.className = `sound sound-${props.kind}`;
  figure.dataset.peaks = props.waveform_url || "";
  figure.dataset.duration = String(props.duration_s || 0);
  figure.dataset.slug = props.slug;
  if (labels.play) figure.dataset.labelPlay = labels.play;
  if (labels.pause) figure.dataset.labelPause = labels.pause;
  if (labels.seek) figure.dataset.labelSeek = labels.seek;
  const audio = document.createElement("audio");
  audio.controls = true;
  audio.preload = "none";
  if (props.audio_url) audio.append(source(props.audio_url, 'audio/webm; codecs="opus"'));
  if (props.audio_fallback_url) audio.append(source(props.audio_fallback_url, "audio/mp4"));
  figure.append(audio);
  const caption = document.createElement("figcaption");
  const bits = [props.licence_label, props.credit].filter(Boolean);
  if (props.synthesised && labels.synthesised) bits.unshift(labels.synthesised);
  caption.textContent = bits.join(" · ");
  figure.append(caption);
  if (props.indices && labels.ndsi) {
    const p = document.createElement("p");
    p.className = "sound-indices";
    p.textContent = `${labels.ndsi}: ${Number(props.indices.ndsi).toFixed(2)}`;
    figure.append(p);
  }
  enhance(figure);
  return figure;
}

export function enhanceAll(root = document) {
  for (const figure of root.querySelectorAll("figure.sound")) enhance(figure);
}
