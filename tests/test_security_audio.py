"""Security suite, audio bombs: a FLAC of a few MB holding hours of silence is refused by
its declared length before any decoding, or by the streaming decode as soon as it passes
the limit, in a fresh process whose peak memory is measured (``tools/security/audio_bombs.py``)."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.errors import AudioError
from assistant.voice.asr import decode
from tools.security.audio_bombs import measure, silence_flac

#: what refusing a bomb may add to the process's peak RSS (the old decode added GBs)
FLAT_MB = 40


@pytest.fixture(scope="module")
def bombs(tmp_path_factory):
    out = tmp_path_factory.mktemp("bombs")
    return {
        "declared": silence_flac(out / "bomb-3h.flac", 3 * 3600),
        "undeclared": silence_flac(out / "bomb-3h-undeclared.flac", 3 * 3600, declared=False),
    }


def test_a_3_hour_bomb_is_refused_by_its_header_with_flat_memory(bombs):
    path = bombs["declared"]
    assert path.stat().st_size < 2_100_000
    with pytest.raises(AudioError, match="That recording is 10800 seconds long; I can take up to 30 seconds"):
        decode(path, 30, 10_000_000)
    measured = measure(path)
    assert "10800 seconds long" in measured["answer"]
    assert measured["peak_above_before_mb"] < FLAT_MB and measured["seconds"] < 1, measured


def test_a_bomb_that_hides_its_length_is_cut_off_while_decoding(bombs):
    path = bombs["undeclared"]
    with pytest.raises(AudioError, match="That recording is longer than 30 seconds"):
        decode(path, 30, 10_000_000)
    measured = measure(path)
    assert "longer than 30 seconds" in measured["answer"]
    assert measured["peak_above_before_mb"] < FLAT_MB and measured["seconds"] < 2, measured


def test_a_recording_within_the_limits_still_decodes(tmp_path):
    import av

    path = tmp_path / "tone.flac"
    rate = 48_000
    tone = (np.sin(2 * np.pi * 440 * np.arange(rate * 5) / rate) * 8000).astype(np.int16).reshape(1, -1)
    with av.open(str(path), "w", format="flac") as out:
        stream = out.add_stream("flac", rate=rate, layout="mono")
        frame = av.AudioFrame.from_ndarray(tone, format="s16", layout="mono")
        frame.sample_rate = rate
        for packet in [*stream.encode(frame), *stream.encode(None)]:
            out.mux(packet)
    samples = decode(path, 30, 10_000_000)
    assert abs(len(samples) / 16_000 - 5.0) < 0.05 and samples.dtype == np.float32
    with pytest.raises(AudioError, match="That recording is 5 seconds long; I can take up to 2 seconds"):
        decode(path, 2, 10_000_000)
