"""faster-whisper's CTranslate2 weights read back and run in openai-whisper
(``shopassist bench asr``). The reader tests use ctranslate2's own writer; the rest need
the voice-compare extra (openai-whisper) and skip without it."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from assistant.evals.asr_compare import across_voices, compare, load_openai_whisper, read_ct2, to_openai
from assistant.evals.voice import Clip
from assistant.voice.asr import decode, tiny_en_dir

#: loads a large model or a browser: deselect with -m 'not model' for a quick run
pytestmark = pytest.mark.model

AUDIO = Path(__file__).parent / "data" / "audio"


def _save_small_model(directory: Path, quantization: str) -> dict[str, np.ndarray]:
    """A two-layer model written by ctranslate2 itself; returns the float32 originals."""
    from ctranslate2.specs import common_spec, model_spec

    class SmallSpec(model_spec.ModelSpec):
        def __init__(self) -> None:
            super().__init__()
            self.dense = common_spec.LinearSpec()
            self.conv = common_spec.Conv1DSpec()

        @property
        def name(self) -> str:
            return "SmallSpec"

    rng = np.random.default_rng(0)
    original = {"dense/weight": (8, 6), "dense/bias": (8,), "conv/weight": (4, 3, 3), "conv/bias": (4,)}
    original = {k: rng.normal(size=shape).astype(np.float32) for k, shape in original.items()}
    spec = SmallSpec()
    for name, value in original.items():  # copies: quantising works in place
        layer, attribute = name.split("/")
        setattr(getattr(spec, layer), attribute, value.copy())
    spec.validate()
    spec.optimize(quantization=quantization)
    spec.save(str(directory))
    return original


@pytest.mark.parametrize(
    "quantization,tolerance",
    [("float32", 0), ("float16", 1e-3), ("bfloat16", 1e-2), ("int16", 1e-3), ("int8", 1 / 254), ("int8_float16", 1 / 254)],
)
def test_reader_dequantises_every_storage_type(tmp_path, quantization, tolerance):
    original = _save_small_model(tmp_path, quantization)
    spec, weights = read_ct2(tmp_path / "model.bin")
    assert spec == "SmallSpec"
    assert sorted(weights) == sorted(original)  # the *_scale variables are folded in
    for name, value in original.items():
        assert weights[name].dtype == np.float32 and weights[name].shape == value.shape
        error = np.abs(weights[name] - value).max() / np.abs(value).max()
        assert error <= tolerance + 1e-6, (name, error)


def test_reader_reads_the_shipped_tiny_en():
    spec, weights = read_ct2(tiny_en_dir() / "model.bin")
    assert spec == "WhisperSpec"
    assert weights["decoder/projection/weight"] is weights["decoder/embeddings/weight"]  # an alias
    assert weights["decoder/embeddings/weight"].shape == (51864, 384)
    assert int(weights["encoder/num_heads"]) == 6


def test_a_weight_openai_whisper_has_no_place_for_is_an_error():
    pytest.importorskip("whisper")
    _, weights = read_ct2(tiny_en_dir() / "model.bin")
    with pytest.raises(ValueError, match="no place in openai-whisper: decoder/extra/weight"):
        to_openai({**weights, "decoder/extra/weight": np.zeros((2, 2), np.float32)})


def test_clips_take_the_voices_in_turn():
    clips = [Clip(f"v{i}", voice, "text", "intent", Path("x.wav")) for voice in ("piper", "espeak") for i in range(3)]
    assert [(c.voice, c.id) for c in across_voices(clips, 3)] == [("piper", "v0"), ("espeak", "v0"), ("piper", "v1")]


@pytest.fixture(scope="module")
def converted(tmp_path_factory) -> Path:
    pytest.importorskip("whisper")
    path = tmp_path_factory.mktemp("openai-whisper") / "openai-whisper-tiny.en.pt"
    load_openai_whisper(tiny_en_dir(), path)  # loads with strict=True
    return path


def test_conversion_loads_strict_and_computes_what_ctranslate2_computes(converted):
    import ctranslate2
    import torch
    import whisper
    from faster_whisper import WhisperModel

    model = load_openai_whisper(tiny_en_dir(), converted)  # from the cache this time
    assert converted.is_file() and not model.is_multilingual
    samples = decode(AUDIO / "sony_headphones.wav", 30.0, 10_000_000)
    mel = whisper.log_mel_spectrogram(torch.from_numpy(samples), model.dims.n_mels, padding=whisper.audio.N_SAMPLES)
    mel = mel[:, : whisper.audio.N_FRAMES][None]
    with torch.inference_mode():
        ours = model.encoder(mel)[0].numpy()
    reference = WhisperModel(str(tiny_en_dir()), device="cpu", compute_type="float32", cpu_threads=1).model
    theirs = np.array(reference.encode(ctranslate2.StorageView.from_array(np.ascontiguousarray(mel.numpy()))))[0]
    assert np.abs(ours - theirs).max() < 1e-3 * np.abs(theirs).max()


def test_both_engines_hear_the_same_words(converted):
    result = compare([AUDIO / "sony_headphones.wav"], tiny_en_dir(), converted, threads=1, warmup=False)
    assert [run.engine for run in result.runs] == ["faster-whisper", "openai-whisper"]
    for run in result.runs:
        words = run.texts[0].lower()
        assert "sony" in words and "headphones" in words, run
        assert "100" in words or "hundred" in words, run
        assert run.latencies_ms[0] > 0
    assert 2.0 < result.durations_s[0] < 5.0
