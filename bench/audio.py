"""Benchmark: processing a recording (recordings/audio.py, recordings/indices.py) against
real time, and the worker's peak memory as recordings get longer.

For each length (minutes) it writes a synthesised soundscape WAV (22.05 kHz, mono, 16-bit:
60 minutes are 159 MB, under the 200 MB upload limit), then processes it in a fresh
child process exactly as the worker does for a soundscape: pass 1 (decode, EBU R128
meter, peaks, spectrogram, scikit-maad indices per one-minute window), pass 2 (Opus/WebM
and AAC/MP4 copies). It prints a Markdown row per length: wall and CPU seconds, the ratio
to real time (audio seconds / wall seconds; the baseline is playing it once), and the
child's peak resident memory. Not part of the test suite.

    .venv/bin/python bench/audio.py                 # 5, 15 and 60 minutes
    .venv/bin/python bench/audio.py --minutes 1 10
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings_test")


def write_soundscape(path: Path, minutes: int) -> None:
    """A WAV written one minute at a time (each a different dawn chorus over a little road
    noise), so the bench itself never holds the whole recording."""
    import av
    import numpy as np

    from recordings import synth

    with av.open(str(path), mode="w", format="wav") as out:
        stream = out.add_stream("pcm_s16le", rate=synth.RATE, layout="mono")
        for minute in range(minutes):
            mix = synth.dawn_chorus(60.0, seed=minute) + 0.3 * synth.road_noise(60.0, seed=minute)
            pcm = (np.clip(mix, -1, 1) * 32767).astype(np.int16)
            for start in range(0, pcm.size, synth.RATE):
                frame = av.AudioFrame.from_ndarray(
                    pcm[None, start : start + synth.RATE], format="s16", layout="mono"
                )
                frame.sample_rate = synth.RATE
                frame.pts = minute * 60 * synth.RATE + start
                for packet in stream.encode(frame):
                    out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)


def child(path: str, seconds: float) -> None:
    """Process one file as the worker does; print the figures as JSON."""
    import django

    django.setup()
    from recordings import audio, indices

    wall, cpu = time.perf_counter(), time.process_time()
    analysis = audio.analyse(
        path, expected_s=seconds, window_s=indices.WINDOW_S, measure=indices.window_indices
    )
    pass1 = time.perf_counter() - wall
    gain = audio.normalising_gain_db(analysis.loudness_lufs, analysis.true_peak_dbtp)
    with tempfile.TemporaryDirectory() as tmp:
        audio.encode_web(path, {"opus": f"{tmp}/a.webm", "aac": f"{tmp}/a.m4a"}, gain_db=gain)
        sizes = {
            name: os.path.getsize(f"{tmp}/a.{ext}")
            for name, ext in (("opus", "webm"), ("aac", "m4a"))
        }
    print(
        json.dumps(
            {
                "wall_s": time.perf_counter() - wall,
                "pass1_s": pass1,
                "cpu_s": time.process_time() - cpu,
                "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                "decoded_s": analysis.duration_s,
                "windows": len(analysis.windows),
                "sizes": sizes,
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--minutes", type=int, nargs="+", default=[5, 15, 60])
    parser.add_argument("--child", nargs=2, metavar=("PATH", "SECONDS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], float(args.child[1]))
        return
    import django

    django.setup()
    print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    print(
        "| audio | WAV | wall | CPU | × real time (wall) | × real time (CPU) | "
        "peak memory | Opus / AAC |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for minutes in args.minutes:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "soundscape.wav"
            write_soundscape(path, minutes)
            size_mb = path.stat().st_size / 1e6
            seconds = minutes * 60.0
            result = subprocess.run(
                [sys.executable, __file__, "--child", str(path), str(seconds)],
                check=True,
                capture_output=True,
                text=True,
            )
            figures = json.loads(result.stdout.strip().splitlines()[-1])
        print(
            f"| {minutes} min | {size_mb:.0f} MB | {figures['wall_s']:.1f} s | "
            f"{figures['cpu_s']:.1f} s | {seconds / figures['wall_s']:.1f}× | "
            f"{seconds / figures['cpu_s']:.1f}× | {figures['peak_rss_mb']:.0f} MB | "
            f"{figures['sizes']['opus'] / 1e6:.1f} / {figures['sizes']['aac'] / 1e6:.1f} MB |",
            flush=True,
        )
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
