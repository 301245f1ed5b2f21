"""Soundscape indices on synthetic signals with known answers, and against scikit-maad
called directly on the same file (no database)."""

import numpy as np
import pytest
from maad import features, sound
from scipy.io import wavfile

from recordings import audio, indices, synth

RATE = synth.RATE


def measure(samples):
    return indices.window_indices(samples.astype(np.float64), RATE)


def test_chirps_in_the_biophony_band_give_a_positive_ndsi_and_low_noise_a_negative_one():
    chirps = measure(synth.dawn_chorus(60.0, wind=0.0))
    noise = measure(synth.road_noise(60.0))
    assert chirps["ndsi"] > 0.5
    assert noise["ndsi"] < -0.5
    assert chirps["ndsi"] > noise["ndsi"]


def test_aci_is_higher_for_chirps_than_for_stationary_noise():
    chirps = measure(synth.dawn_chorus(60.0, wind=0.0))
    steady = measure(synth.stationary_noise(60.0))
    assert chirps["aci"] > steady["aci"]


def test_indices_stay_in_their_ranges():
    values = measure(synth.dawn_chorus(30.0))
    assert -1 <= values["ndsi"] <= 1
    assert 0 <= values["h"] <= 1
    assert values["adi"] >= 0


def _maad_direct(samples, fs):
    """The five indices with scikit-maad's functions and the documented parameters."""
    psd, _t, fn, _e = sound.spectrogram(
        samples, fs, window="hann", nperseg=1024, noverlap=0, mode="psd"
    )
    amp, _t, fa, _e = sound.spectrogram(
        samples, fs, window="hann", nperseg=1024, noverlap=0, mode="amplitude"
    )
    ndsi = features.soundscape_index(psd, fn, flim_bioPh=(2000, 8000), flim_antroPh=(1000, 2000))[0]
    aci = features.acoustic_complexity_index(amp)[2]
    adi = features.acoustic_diversity_index(
        amp, fa, fmin=0, fmax=10000, bin_step=1000, dB_threshold=-50, index="shannon"
    )
    bi = features.bioacoustics_index(amp, fa, flim=(2000, 8000))
    h = (
        features.temporal_entropy(samples, compatibility="seewave")
        * features.frequency_entropy(psd.mean(axis=1), compatibility="seewave")[0]
    )
    return {"ndsi": ndsi, "aci": aci, "adi": adi, "bi": bi, "h": h}


def test_pipeline_matches_scikit_maad_called_directly_on_the_same_file(tmp_path):
    path = tmp_path / "mix.wav"
    mix = synth.dawn_chorus(150.0) + 0.5 * synth.road_noise(150.0)
    synth.write_wav(path, np.clip(mix, -1, 1))
    analysis = audio.analyse(
        path, expected_s=150.0, window_s=indices.WINDOW_S, measure=indices.window_indices
    )
    fs, pcm = wavfile.read(path)
    samples = pcm.astype(np.float64) / 32768.0
    # 150 s: two whole minutes and a 30 s remainder (half a window counts).
    assert [w["start_s"] for w in analysis.windows] == [0.0, 60.0, 120.0]
    for window in analysis.windows:
        start = int(window["start_s"] * fs)
        part = samples[start : start + int(window["length_s"] * fs)]
        expected = _maad_direct(part, fs)
        for name, value in expected.items():
            assert window[name] == pytest.approx(value, rel=1e-4, abs=1e-6), name
    summary = indices.summarise(analysis.windows)
    assert summary["ndsi"]["median"] == pytest.approx(
        sorted(w["ndsi"] for w in analysis.windows)[1], abs=1e-6
    )
    assert summary["ndsi"]["n"] == 3


def test_parameters_name_the_bands_of_kasten_2012():
    params = indices.result([])["parameters"]
    assert params["ndsi"]["anthrophony_hz"] == [1000, 2000]
    assert params["ndsi"]["biophony_hz"] == [2000, 8000]
    assert params["window_s"] == 60.0


def test_synth_writes_a_file_object_without_a_stray_file(tmp_path, monkeypatch):
    import io

    work = tmp_path / "cwd"
    work.mkdir()
    monkeypatch.chdir(work)
    buffer = io.BytesIO()
    synth.write_wav(buffer, synth.flute_melody(1.0))
    assert buffer.getvalue()[:4] == b"RIFF" and buffer.getvalue()[8:12] == b"WAVE"
    assert list(work.iterdir()) == []
