"""Soundscape indices with scikit-maad (the reference implementation), per one-minute window.

Every parameter is set here explicitly and stored with each result (PARAMETERS), because
scikit-maad's defaults differ from the bands of Kasten et al. (2012) and seewave:
anthrophony 1-2 kHz, biophony 2-8 kHz (scikit-maad's defaults are 0-1 and 1-10 kHz).

- NDSI (Kasten 2012): (biophony - anthrophony) / (biophony + anthrophony), from the power
  spectrogram; -1 all anthrophony, +1 all biophony.
- ACI (Pieretti 2011): summed over frequency bins of the amplitude spectrogram.
- ADI (Villanueva-Rivera 2011): Shannon index of the share of cells above -50 dBFS in
  1 kHz bands up to 10 kHz.
- BI (Boelman 2007): area of the mean spectrum (dB) above its minimum in 2-8 kHz.
- H (Sueur 2008): temporal entropy times spectral entropy, both as in seewave.

docs/methodology.md explains them, the protocol and the confounders (rain, wind, insects).
"""

from __future__ import annotations

import math
import statistics

import maad
import numpy as np
from maad import features, sound

WINDOW_S = 60.0
NPERSEG = 1024
ANTHROPHONY_HZ = (1000, 2000)
BIOPHONY_HZ = (2000, 8000)
ADI_FMAX_HZ = 10000
ADI_BIN_STEP_HZ = 1000
ADI_DB_THRESHOLD = -50
NAMES = ("ndsi", "aci", "adi", "bi", "h")

PARAMETERS = {
    "library": f"scikit-maad {maad.__version__}",
    "window_s": WINDOW_S,
    "spectrogram": {"window": "hann", "nperseg": NPERSEG, "noverlap": 0},
    "ndsi": {
        "anthrophony_hz": list(ANTHROPHONY_HZ),
        "biophony_hz": list(BIOPHONY_HZ),
        "spectrogram": "psd",
        "R_compatible": "soundecology",
    },
    "aci": {"spectrogram": "amplitude", "value": "sum over frequency bins"},
    "adi": {
        "fmax_hz": ADI_FMAX_HZ,
        "bin_step_hz": ADI_BIN_STEP_HZ,
        "db_threshold": ADI_DB_THRESHOLD,
        "index": "shannon",
        "spectrogram": "amplitude",
    },
    "bi": {
        "flim_hz": list(BIOPHONY_HZ),
        "spectrogram": "amplitude",
        "R_compatible": "soundecology",
    },
    "h": {"temporal": "seewave", "spectral": "seewave", "value": "Ht x Hf"},
}


def _clean(value) -> float | None:
    value = float(value)
    return round(value, 6) if math.isfinite(value) else None


def window_indices(samples: np.ndarray, fs: int) -> dict[str, float | None]:
    """The five indices of one window of mono samples (floats in -1..1) at `fs` Hz."""
    s = np.asarray(samples, dtype=np.float64)
    psd, _tn, fn, _ext = sound.spectrogram(
        s, fs, window="hann", nperseg=NPERSEG, noverlap=0, mode="psd"
    )
    amp, _tn, fn_amp, _ext = sound.spectrogram(
        s, fs, window="hann", nperseg=NPERSEG, noverlap=0, mode="amplitude"
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        ndsi, _ratio, _anthro, _bio = features.soundscape_index(
            psd,
            fn,
            flim_bioPh=BIOPHONY_HZ,
            flim_antroPh=ANTHROPHONY_HZ,
            R_compatible="soundecology",
        )
        _aci_xx, _aci_bins, aci = features.acoustic_complexity_index(amp)
        adi = features.acoustic_diversity_index(
            amp,
            fn_amp,
            fmin=0,
            fmax=ADI_FMAX_HZ,
            bin_step=ADI_BIN_STEP_HZ,
            dB_threshold=ADI_DB_THRESHOLD,
            index="shannon",
        )
        bi = features.bioacoustics_index(amp, fn_amp, flim=BIOPHONY_HZ, R_compatible="soundecology")
        ht = features.temporal_entropy(s, compatibility="seewave")
        hf, _ = features.frequency_entropy(np.mean(psd, axis=1), compatibility="seewave")
    return {
        "ndsi": _clean(ndsi),
        "aci": _clean(aci),
        "adi": _clean(adi),
        "bi": _clean(bi),
        "h": _clean(ht * hf),
    }


def summarise(windows: list[dict]) -> dict:
    """Median and spread (quartiles, min, max) of each index over the windows."""
    summary = {}
    for name in NAMES:
        values = sorted(w[name] for w in windows if w.get(name) is not None)
        if not values:
            summary[name] = None
            continue
        q1, _median, q3 = (
            statistics.quantiles(values, n=4, method="inclusive")
            if len(values) > 1
            else (values[0],) * 3
        )
        summary[name] = {
            "median": round(statistics.median(values), 6),
            "q1": round(q1, 6),
            "q3": round(q3, 6),
            "min": values[0],
            "max": values[-1],
            "n": len(values),
        }
    return summary


def result(windows: list[dict]) -> dict:
    """What is stored with a soundscape recording: parameters, each window, the summary."""
    return {"parameters": PARAMETERS, "windows": windows, "summary": summarise(windows)}
