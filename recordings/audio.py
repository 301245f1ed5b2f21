"""Audio with FFmpeg (through PyAV, whose wheels carry FFmpeg): check, analyse, encode.

Three steps, none of which holds a whole recording in memory:

- `probe()` (in the upload request): reads the container's header and a few packets,
  never decodes it all. It refuses, naming the problem, a file that is not audio, is a
  video, is empty or truncated, declares more sound than it holds, is shorter than
  MIN_DURATION_S or longer than MAX_DURATION_S, or uses a codec outside SUPPORTED_CODECS.
- `analyse()` (in the worker, first pass): decodes the whole file once, measures its
  loudness (FFmpeg's EBU R128 meter, `ebur128`), and from a mono copy at ANALYSIS_RATE
  builds the waveform peaks, the spectrogram image and, for soundscapes, the indices of
  each one-minute window (recordings.indices, scikit-maad).
- `encode_web()` (second pass): the copies a browser plays, Opus in WebM and AAC in MP4,
  with a constant gain that brings the recording to TARGET_LUFS without letting its true
  peak pass PEAK_CEILING_DBTP. Nothing of the original's metadata is copied (location tags
  included): the public copies carry none.
"""

from __future__ import annotations

import io
import itertools
import math
import os
import struct
from array import array
from collections.abc import Callable
from dataclasses import dataclass, field

import av
import numpy as np
from django.utils.translation import gettext as _
from PIL import Image

MIN_DURATION_S = 1.0
MAX_DURATION_S = 60 * 60.0
ANALYSIS_RATE = 22050  # Hz: a mono copy for peaks, spectrogram and indices (up to 11 kHz)
WEB_RATE = 48000
TARGET_LUFS = -16.0  # integrated loudness of the web copies (EBU R128 measurement)
PEAK_CEILING_DBTP = -1.0
PEAK_COUNT = 800  # bars of the waveform drawn by the player
SPECTROGRAM_SIZE = (800, 200)  # pixels: time across, 0..ANALYSIS_RATE/2 up
SPECTROGRAM_NPERSEG = 512
SPECTROGRAM_FLOOR_DB = -90.0
# Decoders accepted: what phones and recorders write. Anything else is refused by name.
SUPPORTED_CODECS = {
    "pcm_s16le",
    "pcm_s16be",
    "pcm_s24le",
    "pcm_s24be",
    "pcm_s32le",
    "pcm_s32be",
    "pcm_f32le",
    "pcm_f32be",
    "pcm_f64le",
    "pcm_u8",
    "flac",
    "alac",
    "mp3",
    "mp3float",
    "aac",
    "aac_fixed",
    "opus",
    "libopus",
    "vorbis",
}
SUPPORTED_LABEL = "WAV, FLAC, MP3, M4A/AAC, Ogg (Opus, Vorbis), WebM/Opus"
# A file whose packets end before this share of its declared length is truncated.
DECLARED_SHARE = 0.9


class AudioRefused(Exception):
    """The file cannot be accepted; `message` says why, in words a person understands."""

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass(frozen=True)
class Probe:
    duration_s: float
    codec: str
    sample_rate: int
    channels: int
    format_name: str


def _minutes(seconds: float) -> str:
    return f"{seconds / 60:.1f}"


def _open(source):
    try:
        return av.open(source, mode="r")
    except (av.FFmpegError, OSError, ValueError) as exc:
        raise AudioRefused(
            _("This file is not audio that can be read (%(error)s). Send %(formats)s.")
            % {"error": _short(exc), "formats": SUPPORTED_LABEL},
            "not_audio",
        ) from None


def _short(exc: Exception) -> str:
    text = str(exc).split(":")[-1].strip() or type(exc).__name__
    return text[:120]


IMAGE_CODECS = {
    "png",
    "mjpeg",
    "jpegls",
    "bmp",
    "gif",
    "webp",
    "tiff",
    "jpeg2000",
    "qoi",
    "pgm",
    "ppm",
    "svg",
}


def _audio_stream(container):
    videos = [
        s
        for s in container.streams.video
        if not (s.disposition & av.stream.Disposition.attached_pic)
    ]
    if (
        videos
        and not container.streams.audio
        and all((s.codec_context.name if s.codec_context else "") in IMAGE_CODECS for s in videos)
    ):
        raise AudioRefused(
            _("This file is an image, not audio. Send %(formats)s.") % {"formats": SUPPORTED_LABEL},
            "not_audio",
        )
    if videos:
        raise AudioRefused(
            _("This is a video file. Send the sound only (%(formats)s).")
            % {"formats": SUPPORTED_LABEL},
            "video",
        )
    if not container.streams.audio:
        raise AudioRefused(_("This file holds no sound."), "no_audio")
    return container.streams.audio[0]


def _declared_duration(container, stream) -> float | None:
    if stream.duration is not None and stream.time_base is not None:
        return float(stream.duration * stream.time_base)
    if container.duration is not None:
        return container.duration / av.time_base
    return None


def _packet_end(container, stream, *, start_s: float | None = None) -> float | None:
    """Where the last packet ends, in seconds, read packet by packet (demuxing, no
    decoding); from `start_s` when given (after a seek)."""
    if start_s is not None:
        container.seek(
            int(start_s / stream.time_base), stream=stream, any_frame=False, backward=True
        )
    end = None
    for packet in container.demux(stream):
        if packet.pts is None:
            continue
        here = float((packet.pts + (packet.duration or 0)) * stream.time_base)
        end = here if end is None else max(end, here)
    return end


def probe(source, *, size: int) -> Probe:
    """Check an uploaded file without decoding it all; see the module docstring."""
    if size == 0:
        raise AudioRefused(_("The file is empty."), "empty")
    container = _open(source)
    try:
        stream = _audio_stream(container)
        ctx = stream.codec_context
        codec = ctx.name if ctx is not None else ""
        if codec not in SUPPORTED_CODECS:
            raise AudioRefused(
                _("The sound is encoded as %(codec)s, which is not supported. Send %(formats)s.")
                % {"codec": codec or _("an unknown codec"), "formats": SUPPORTED_LABEL},
                "codec",
            )
        declared = _declared_duration(container, stream)
        try:
            _decode_some(container, stream)
            if declared is None:
                # WebM from a browser's recorder has no duration in its header: read the
                # packets' times instead (no decoding).
                declared = _packet_end(container, stream, start_s=0.0)
                scanned = declared
            else:
                scanned = None
                if declared > MAX_DURATION_S:
                    raise _too_long(declared)
                if declared >= MIN_DURATION_S:
                    scanned = _packet_end(container, stream, start_s=max(0.0, declared - 2.0))
        except av.FFmpegError as exc:
            raise AudioRefused(
                _("The file is damaged: %(error)s.") % {"error": _short(exc)}, "damaged"
            ) from None
        if declared is None or not math.isfinite(declared):
            raise AudioRefused(_("The length of this recording cannot be read."), "damaged")
        if declared > MAX_DURATION_S:
            raise _too_long(declared)
        if scanned is not None and scanned < declared * DECLARED_SHARE:
            raise AudioRefused(
                _(
                    "The file declares %(declared)s minutes of sound but holds only %(held)s: "
                    "it is truncated or damaged."
                )
                % {"declared": _minutes(declared), "held": _minutes(scanned)},
                "truncated",
            )
        if _riff_short(source, size) or _pcm_bytes_short(ctx, declared, size):
            raise AudioRefused(
                _(
                    "The file declares %(declared)s minutes of sound but is too small to hold "
                    "them: it is truncated or damaged."
                )
                % {"declared": _minutes(declared)},
                "truncated",
            )
        if declared < MIN_DURATION_S:
            raise AudioRefused(
                _("The recording lasts %(seconds).1f s; it must last at least %(min)d s.")
                % {"seconds": declared, "min": MIN_DURATION_S},
                "too_short",
            )
        return Probe(
            duration_s=declared,
            codec=codec,
            sample_rate=ctx.sample_rate or 0,
            channels=ctx.channels or 0,
            format_name=container.format.name,
        )
    finally:
        container.close()


def _too_long(declared: float) -> AudioRefused:
    return AudioRefused(
        _("The recording lasts %(minutes)s minutes; at most %(max)d minutes are accepted.")
        % {"minutes": _minutes(declared), "max": MAX_DURATION_S // 60},
        "too_long",
    )


def _pcm_bytes_short(ctx, declared: float, size: int) -> bool:
    """Uncompressed sound has a known size: a header promising more than the file holds."""
    if not ctx.name.startswith("pcm_"):
        return False
    bytes_per_sample = max(1, av.AudioFormat(ctx.format.name).bytes) if ctx.format else 2
    needed = declared * (ctx.sample_rate or 0) * (ctx.channels or 1) * bytes_per_sample
    return size < needed * DECLARED_SHARE


def _riff_short(source, size: int) -> bool:
    """A WAV whose data chunk declares more bytes than the file holds (cut off, or a header
    that promises hours of samples in a small file). FFmpeg quietly reads what is there,
    so the header is read here: RIFF chunks up to "data"."""
    if not isinstance(source, (str, os.PathLike)):
        return False
    with open(source, "rb") as handle:
        head = handle.read(12)
        if len(head) < 12 or head[:4] not in (b"RIFF", b"RIFX") or head[8:12] != b"WAVE":
            return False
        order = "<" if head[:4] == b"RIFF" else ">"
        position = 12
        while position + 8 <= size:
            handle.seek(position)
            chunk = handle.read(8)
            if len(chunk) < 8:
                return False
            (length,) = struct.unpack(f"{order}I", chunk[4:])
            if chunk[:4] == b"data":
                if length in (0, 0xFFFFFFFF):  # written while streaming: length unknown
                    return False
                held = size - (position + 8)
                return held < length * DECLARED_SHARE
            position += 8 + length + (length & 1)
    return False


def _decode_some(container, stream, seconds: float = 0.5) -> None:
    """Decode the first packets: a file whose payload is not what its header says fails."""
    got = 0.0
    for frame in container.decode(stream):
        got += frame.samples / (frame.sample_rate or 1)
        if got >= seconds:
            break
    if got == 0.0:
        raise av.InvalidDataError(0, "no sound could be decoded")


# --- Pass 1: analyse -------------------------------------------------------------------


@dataclass
class Analysis:
    duration_s: float
    loudness_lufs: float | None
    true_peak_dbtp: float | None
    peaks: list[float]
    spectrogram_png: bytes
    windows: list[dict] = field(default_factory=list)


class _Peaks:
    """Largest absolute sample per block of BLOCK samples, reduced to PEAK_COUNT at the end."""

    BLOCK = ANALYSIS_RATE // 50  # 20 ms

    def __init__(self):
        self.values = array("f")
        self.pending = np.zeros(0, dtype=np.float32)

    def add(self, samples: np.ndarray) -> None:
        data = np.concatenate([self.pending, samples]) if self.pending.size else samples
        whole = data.size // self.BLOCK * self.BLOCK
        if whole:
            blocks = np.abs(data[:whole]).reshape(-1, self.BLOCK).max(axis=1)
            self.values.extend(blocks.astype(np.float32))
        self.pending = data[whole:].copy()

    def result(self) -> list[float]:
        values = np.frombuffer(self.values, dtype=np.float32)
        if self.pending.size:
            values = np.append(values, np.abs(self.pending).max())
        if values.size == 0:
            return []
        groups = np.array_split(values, min(PEAK_COUNT, values.size))
        top = max(float(values.max()), 1e-9)
        return [round(float(g.max()) / top, 3) for g in groups]


class _Spectrogram:
    """Mean power per column of `frames_per_column` STFT frames (no overlap, Hann): a fixed
    number of columns whatever the length, so memory does not grow with the recording."""

    def __init__(self, expected_s: float):
        frames = max(1.0, expected_s) * ANALYSIS_RATE / SPECTROGRAM_NPERSEG
        self.per_column = max(1, math.ceil(frames / (2 * SPECTROGRAM_SIZE[0])))
        self.window = np.hanning(SPECTROGRAM_NPERSEG).astype(np.float32)
        self.columns: list[np.ndarray] = []
        self.acc = np.zeros(SPECTROGRAM_NPERSEG // 2 + 1, dtype=np.float64)
        self.count = 0
        self.pending = np.zeros(0, dtype=np.float32)

    def add(self, samples: np.ndarray) -> None:
        data = np.concatenate([self.pending, samples]) if self.pending.size else samples
        n = data.size // SPECTROGRAM_NPERSEG
        if n:
            frames = data[: n * SPECTROGRAM_NPERSEG].reshape(n, SPECTROGRAM_NPERSEG)
            power = np.abs(np.fft.rfft(frames * self.window, axis=1)) ** 2
            for row in power:
                self.acc += row
                self.count += 1
                if self.count == self.per_column:
                    self._close()
        self.pending = data[n * SPECTROGRAM_NPERSEG :].copy()

    def _close(self):
        if self.count:
            self.columns.append((self.acc / self.count).astype(np.float32))
        self.acc[:] = 0
        self.count = 0

    def png(self) -> bytes:
        self._close()
        if not self.columns:
            self.columns.append(np.zeros_like(self.acc, dtype=np.float32))
        power = np.stack(self.columns, axis=1)  # frequency x time
        db = 10 * np.log10(power + 1e-20)
        db -= db.max()
        level = np.clip((db - SPECTROGRAM_FLOOR_DB) / -SPECTROGRAM_FLOOR_DB, 0, 1)
        rgb = _colour(level[::-1])  # low frequencies at the bottom
        image = Image.fromarray(rgb, "RGB").resize(SPECTROGRAM_SIZE, Image.Resampling.BILINEAR)
        out = io.BytesIO()
        image.save(out, "PNG", optimize=True)
        return out.getvalue()


# Dark blue through green to yellow: quiet to loud.
_ANCHORS = np.array(
    [[13, 8, 60], [40, 80, 140], [35, 140, 120], [120, 200, 80], [250, 230, 50]], dtype=np.float32
)


def _colour(level: np.ndarray) -> np.ndarray:
    x = level * (len(_ANCHORS) - 1)
    low = np.floor(x).astype(int).clip(0, len(_ANCHORS) - 2)
    t = (x - low)[..., None]
    return (_ANCHORS[low] * (1 - t) + _ANCHORS[low + 1] * t).astype(np.uint8)


class _Windows:
    """Cuts the analysis signal into windows of `seconds` and hands each to `measure`."""

    def __init__(self, seconds: float, measure: Callable[[np.ndarray, int], dict]):
        self.size = int(seconds * ANALYSIS_RATE)
        self.measure = measure
        self.buffer = np.zeros(self.size, dtype=np.float32)
        self.filled = 0
        self.start = 0
        self.results: list[dict] = []

    def add(self, samples: np.ndarray) -> None:
        while samples.size:
            take = min(samples.size, self.size - self.filled)
            self.buffer[self.filled : self.filled + take] = samples[:take]
            self.filled += take
            samples = samples[take:]
            if self.filled == self.size:
                self._emit(self.buffer)

    def _emit(self, data: np.ndarray) -> None:
        result = {
            "start_s": round(self.start / ANALYSIS_RATE, 3),
            "length_s": round(data.size / ANALYSIS_RATE, 3),
        }
        result.update(self.measure(data, ANALYSIS_RATE))
        self.results.append(result)
        self.start += data.size
        self.filled = 0

    def finish(self) -> list[dict]:
        # A remainder of at least half a window counts; a recording shorter than one
        # window is measured whole.
        if self.filled and (self.filled >= self.size // 2 or not self.results):
            self._emit(self.buffer[: self.filled].copy())
        return self.results


def _drain(graph) -> list:
    frames = []
    while True:
        try:
            frames.append(graph.pull())
        except (av.BlockingIOError, av.EOFError):
            return frames


def analyse(
    path: str | os.PathLike,
    *,
    expected_s: float,
    window_s: float | None = None,
    measure: Callable[[np.ndarray, int], dict] | None = None,
) -> Analysis:
    """Decode the whole file once; see the module docstring. With `measure`, each window of
    `window_s` seconds of the mono analysis signal is measured (soundscape indices)."""
    peaks = _Peaks()
    spectrogram = _Spectrogram(expected_s)
    windows = _Windows(window_s, measure) if measure else None
    metadata: dict = {}
    decoded = 0
    with av.open(str(path)) as container:
        stream = _audio_stream(container)
        stream.thread_type = "AUTO"
        graph = av.filter.Graph()
        source = graph.add_abuffer(template=stream)
        meter = graph.add("ebur128", "metadata=1:peak=true")
        sink = graph.add("abuffersink")
        source.link_to(meter)
        meter.link_to(sink)
        graph.configure()
        resampler = av.AudioResampler(format="flt", layout="mono", rate=ANALYSIS_RATE)

        def feed(frames):
            nonlocal decoded
            for mono in frames:
                samples = mono.to_ndarray().reshape(-1)
                decoded += samples.size
                peaks.add(samples)
                spectrogram.add(samples)
                if windows is not None:
                    windows.add(samples)

        for frame in container.decode(stream):
            feed(resampler.resample(frame))
            graph.push(frame)
            for measured in _drain(graph):
                metadata = measured.metadata or metadata
        feed(resampler.resample(None))
        graph.push(None)
        for measured in _drain(graph):
            metadata = measured.metadata or metadata
    if decoded == 0:
        raise AudioRefused(_("No sound could be decoded from this file."), "damaged")
    loudness = _float(metadata.get("lavfi.r128.I"))
    peak = _float(metadata.get("lavfi.r128.true_peak"))
    return Analysis(
        duration_s=decoded / ANALYSIS_RATE,
        loudness_lufs=loudness,
        true_peak_dbtp=20 * math.log10(peak) if peak else None,
        peaks=peaks.result(),
        spectrogram_png=spectrogram.png(),
        windows=windows.finish() if windows is not None else [],
    )


def _float(text) -> float | None:
    try:
        value = float(text)
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) and value > -70 else None


def normalising_gain_db(loudness_lufs: float | None, true_peak_dbtp: float | None) -> float:
    """The constant gain that brings the loudness to TARGET_LUFS, lowered so that the true
    peak stays at or under PEAK_CEILING_DBTP. Silence (no measurable loudness) gets 0."""
    if loudness_lufs is None:
        return 0.0
    gain = TARGET_LUFS - loudness_lufs
    if true_peak_dbtp is not None:
        gain = min(gain, PEAK_CEILING_DBTP - true_peak_dbtp)
    return round(gain, 2)


# --- Pass 2: the web copies ----------------------------------------------------------------

WEB_FORMATS = {
    # name: (container format, codec, bit rate per channel, file extension, MIME type)
    "opus": ("webm", "libopus", 48_000, "webm", 'audio/webm; codecs="opus"'),
    "aac": ("mp4", "aac", 64_000, "m4a", 'audio/mp4; codecs="mp4a.40.2"'),
}


def encode_web(path: str | os.PathLike, outputs: dict[str, str], *, gain_db: float) -> None:
    """Write the web copies named in `outputs` ({"opus": path, "aac": path}), with the gain
    applied, at WEB_RATE, mono or stereo as the original (more channels are mixed to
    stereo). No metadata of the original is carried over."""
    with av.open(str(path)) as container:
        stream = _audio_stream(container)
        stream.thread_type = "AUTO"
        layout = "stereo" if (stream.codec_context.channels or 1) >= 2 else "mono"
        channels = 2 if layout == "stereo" else 1
        graph = av.filter.Graph()
        source = graph.add_abuffer(template=stream)
        chain = [
            source,
            graph.add("volume", f"volume={gain_db:.2f}dB"),
            graph.add("aresample", f"{WEB_RATE}"),
            graph.add("aformat", f"sample_fmts=fltp:channel_layouts={layout}"),
            graph.add("abuffersink"),
        ]
        for a, b in itertools.pairwise(chain):
            a.link_to(b)
        graph.configure()
        sinks = []
        try:
            for name, target in outputs.items():
                fmt, codec, rate, _ext, _mime = WEB_FORMATS[name]
                options = {"movflags": "+faststart"} if fmt == "mp4" else {}
                out = av.open(target, mode="w", format=fmt, options=options)
                encoder = out.add_stream(codec, rate=WEB_RATE, layout=layout)
                encoder.bit_rate = rate * channels
                sinks.append((out, encoder))

            def write(frames):
                for frame in frames:
                    frame.pts = None
                    for out, encoder in sinks:
                        for packet in encoder.encode(frame):
                            out.mux(packet)

            for frame in container.decode(stream):
                graph.push(frame)
                write(_drain(graph))
            graph.push(None)
            write(_drain(graph))
            for out, encoder in sinks:
                for packet in encoder.encode(None):
                    out.mux(packet)
        finally:
            for out, _encoder in sinks:
                out.close()
