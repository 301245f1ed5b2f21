"""Synthesised recordings (NumPy) for the demo, the tests and the bench.

Nothing here is a field recording: the demo labels each one "synthesised".

- `dawn_chorus`: bird-like chirps (frequency sweeps between 2.5 and 7 kHz) over wind
  (low-passed noise under 500 Hz): sound in the biophony band, a high NDSI.
- `road_noise`: an afternoon by a road: engine hum and tyre noise concentrated in
  0.1-2 kHz with passing vehicles: sound in the anthrophony band, a low NDSI.
- `flute_melody`: a short pentatonic melody on a bamboo-flute-like tone (fundamental and
  a few breathy harmonics).
- `write_wav`: 16-bit PCM WAV through PyAV, mono or stereo.
"""

from __future__ import annotations

import av
import numpy as np

RATE = 22050


def _lowpass_noise(rng, n: int, cutoff_hz: float, rate: int) -> np.ndarray:
    spectrum = np.fft.rfft(rng.standard_normal(n))
    freqs = np.fft.rfftfreq(n, 1 / rate)
    spectrum[freqs > cutoff_hz] = 0
    noise = np.fft.irfft(spectrum, n)
    return noise / (np.abs(noise).max() or 1)


def _bandpass_noise(rng, n: int, low: float, high: float, rate: int) -> np.ndarray:
    spectrum = np.fft.rfft(rng.standard_normal(n))
    freqs = np.fft.rfftfreq(n, 1 / rate)
    spectrum[(freqs < low) | (freqs > high)] = 0
    noise = np.fft.irfft(spectrum, n)
    return noise / (np.abs(noise).max() or 1)


def chirp(rate: int, seconds: float, f0: float, f1: float) -> np.ndarray:
    t = np.arange(int(rate * seconds)) / rate
    freq = f0 + (f1 - f0) * t / seconds
    phase = 2 * np.pi * np.cumsum(freq) / rate
    envelope = np.sin(np.pi * t / seconds) ** 2
    return envelope * np.sin(phase)


def dawn_chorus(
    seconds: float = 60.0, rate: int = RATE, seed: int = 1, wind: float = 0.05
) -> np.ndarray:
    rng = np.random.default_rng(seed)
    n = int(seconds * rate)
    out = wind * _lowpass_noise(rng, n, 500, rate)
    # Several birds, each repeating its own call with some irregularity.
    for _bird in range(6):
        f0, f1 = rng.uniform(2500, 7000, size=2)
        length = rng.uniform(0.08, 0.3)
        call = 0.25 * chirp(rate, length, f0, f1)
        at = rng.uniform(0, 1.5)
        while at < seconds - length:
            start = int(at * rate)
            out[start : start + call.size] += call * rng.uniform(0.4, 1.0)
            at += rng.uniform(0.3, 2.5)
    return np.clip(out, -1, 1).astype(np.float32)


def road_noise(seconds: float = 60.0, rate: int = RATE, seed: int = 2) -> np.ndarray:
    rng = np.random.default_rng(seed)
    n = int(seconds * rate)
    t = np.arange(n) / rate
    hum = 0.15 * _bandpass_noise(rng, n, 100, 2000, rate)
    traffic = 0.5 + 0.5 * np.sin(2 * np.pi * t / 7.0) ** 2  # vehicles passing
    engine = 0.08 * np.sin(2 * np.pi * 120 * t) + 0.05 * np.sin(2 * np.pi * 1400 * t)
    return np.clip(traffic * hum + engine, -1, 1).astype(np.float32)


def stationary_noise(seconds: float = 60.0, rate: int = RATE, seed: int = 3) -> np.ndarray:
    """Steady low-frequency noise (under 1.5 kHz): no biophony, little change in time."""
    rng = np.random.default_rng(seed)
    return (0.2 * _lowpass_noise(rng, int(seconds * rate), 1500, rate)).astype(np.float32)


PENTATONIC = (293.66, 329.63, 369.99, 440.0, 493.88, 587.33)  # D major pentatonic


def flute_melody(seconds: float = 20.0, rate: int = RATE, seed: int = 4) -> np.ndarray:
    rng = np.random.default_rng(seed)
    n = int(seconds * rate)
    out = np.zeros(n)
    at = 0.0
    while at < seconds - 0.3:
        length = float(rng.choice([0.25, 0.5, 0.5, 1.0]))
        length = min(length, seconds - at)
        f = float(rng.choice(PENTATONIC))
        t = np.arange(int(length * rate)) / rate
        vibrato = 1 + 0.004 * np.sin(2 * np.pi * 5 * t)
        phase = 2 * np.pi * f * np.cumsum(vibrato) / rate
        tone = np.sin(phase) + 0.3 * np.sin(2 * phase) + 0.1 * np.sin(3 * phase)
        attack = np.minimum(1, t / 0.04) * np.minimum(1, (length - t) / 0.06)
        breath = 0.04 * _bandpass_noise(rng, t.size, 1000, 6000, rate) if t.size > 8 else 0
        start = int(at * rate)
        out[start : start + t.size] += 0.3 * attack * (tone + breath)
        at += length
    return np.clip(out, -1, 1).astype(np.float32)


def write_wav(
    path,
    samples: np.ndarray,
    rate: int = RATE,
    *,
    metadata: dict | None = None,
    container_format: str = "wav",
    codec: str = "pcm_s16le",
) -> None:
    """Write samples (mono: 1-D; stereo: 2 x n) as 16-bit PCM (or another codec) to a path
    or a binary file object."""
    data = np.atleast_2d(np.asarray(samples, dtype=np.float32))
    layout = "stereo" if data.shape[0] == 2 else "mono"
    # A file object is written to as such (str() of one would name a stray file).
    target = path if hasattr(path, "write") else str(path)
    with av.open(target, mode="w", format=container_format) as out:
        if metadata:
            out.metadata.update(metadata)
        stream = out.add_stream(codec, rate=rate, layout=layout)
        pcm = np.clip(data * 32767, -32768, 32767).astype(np.int16)
        step = rate  # one second per frame
        for start in range(0, pcm.shape[1], step):
            chunk = np.ascontiguousarray(pcm[:, start : start + step])
            frame = av.AudioFrame.from_ndarray(
                chunk.reshape(1, -1) if layout == "stereo" else chunk, format="s16", layout=layout
            )
            frame.sample_rate = rate
            frame.pts = start
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
