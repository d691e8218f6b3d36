"""faster-whisper (CTranslate2) against openai-whisper (PyTorch) on the same clips and the
same weights: ``shopassist bench asr``.

No package ships openai-whisper ``.pt`` weights, so the CTranslate2 ``model.bin`` that
faster-whisper runs is read here (``read_ct2``), mapped onto an openai-whisper ``Whisper``
state dict (``to_openai``) and loaded with ``strict=True``. The converted checkpoint is
cached (``load_openai_whisper``) in openai-whisper's own format, so
``whisper.load_model(path)`` opens it too.

``compare`` gives both engines the same decoded samples, the same decoding settings as
``WhisperTranscriber`` (English, greedy, no timestamps, no conditioning on previous
text, the same prompt) and the same thread count, and times only recognition: audio
decoding happens once, before either engine runs, and voice-activity filtering is off
because openai-whisper has none. Needs the ``voice-compare`` extra (openai-whisper).
"""

from __future__ import annotations

import statistics
import struct
import time
from dataclasses import dataclass
from pathlib import Path

import jiwer
import numpy as np

from assistant.evals.voice import normalise
from assistant.voice.asr import SAMPLE_RATE, decode
from retrieval.bench.stats import percentile

# -- reading a CTranslate2 model.bin ------------------------------------------------------

#: type ids of ctranslate2/specs/model_spec.py ``_dtype_to_type_id`` (C++ ``DataType``)
_DTYPES = {0: np.float32, 1: np.int8, 2: np.int16, 3: np.int32, 4: np.float16, 5: "bfloat16"}
_BINARY_VERSIONS = (5, 6)  # 5 added aliases after the variables; 6 is the current layout


class _Cursor:
    def __init__(self, data: bytes) -> None:
        self.data, self.offset = data, 0

    def unpack(self, fmt: str):
        values = struct.unpack_from("<" + fmt, self.data, self.offset)
        self.offset += struct.calcsize("<" + fmt)
        return values[0] if len(values) == 1 else values

    def string(self) -> str:
        length = self.unpack("H")  # includes the trailing NUL
        text = self.data[self.offset : self.offset + length - 1].decode("utf-8")
        self.offset += length
        return text

    def take(self, count: int) -> memoryview:
        view = memoryview(self.data)[self.offset : self.offset + count]
        self.offset += count
        return view


def read_ct2(path: str | Path) -> tuple[str, dict[str, np.ndarray]]:
    """(spec name, variables) of a CTranslate2 ``model.bin``, as float32 where the file
    holds float16/bfloat16/quantised weights. Layout (``ModelSpec._serialize``): uint32
    version, string spec name, uint32 revision, uint32 count, then per variable: string
    name, uint8 rank, uint32 dims, uint8 dtype, uint32 byte count, bytes; then uint32
    alias count and (alias, target) string pairs. Strings are uint16 length + UTF-8 + NUL.
    Quantised weights come with ``<name>_scale``: int8 has one scale per output row,
    int16 one for the whole tensor; stored value = weight * scale."""
    cursor = _Cursor(Path(path).read_bytes())
    version = cursor.unpack("I")
    if version not in _BINARY_VERSIONS:
        raise ValueError(f"{path}: CTranslate2 binary version {version} is not supported (expected {_BINARY_VERSIONS})")
    spec = cursor.string()
    cursor.unpack("I")  # spec revision
    raw: dict[str, np.ndarray] = {}
    for _ in range(cursor.unpack("I")):
        name = cursor.string()
        shape = tuple(cursor.unpack("I") for _ in range(cursor.unpack("B")))
        type_id = cursor.unpack("B")
        data = cursor.take(cursor.unpack("I"))
        if type_id not in _DTYPES:
            raise ValueError(f"{path}: variable {name} has unknown type id {type_id}")
        if _DTYPES[type_id] == "bfloat16":  # the high half of a float32
            array = (np.frombuffer(data, dtype="<u2").astype(np.uint32) << 16).view(np.float32)
        else:
            array = np.frombuffer(data, dtype=np.dtype(_DTYPES[type_id]).newbyteorder("<"))
        raw[name] = array.reshape(shape)
    for _ in range(cursor.unpack("I")):
        alias, target = cursor.string(), cursor.string()
        raw[alias] = raw[target]
    if cursor.offset != len(cursor.data):
        raise ValueError(f"{path}: {len(cursor.data) - cursor.offset} bytes left after the last alias")
    return spec, _dequantise(raw)


def _dequantise(raw: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    out: dict[str, np.ndarray] = {}
    done: dict[int, np.ndarray] = {}  # an alias stays the same array as its target
    for name, value in raw.items():
        if name.endswith("_scale") and name[: -len("_scale")] in raw:
            continue
        if id(value) in done:
            out[name] = done[id(value)]
            continue
        source = value
        scale = raw.get(name + "_scale")
        if scale is not None:
            scale = scale.astype(np.float32)
            if scale.ndim == 0 or scale.size == 1:  # int16: one scale
                value = value.astype(np.float32) / scale.reshape(())
            else:  # int8: one scale per output row (conv weights flattened to 2-D)
                value = (value.reshape(value.shape[0], -1).astype(np.float32) / scale[:, None]).reshape(value.shape)
        elif value.dtype in (np.float16, np.float32) and value.ndim > 0:
            value = value.astype(np.float32)
        out[name] = done[id(source)] = value
    return out


# -- CTranslate2 Whisper -> openai-whisper ------------------------------------------------

#: 0-d config values of a WhisperSpec and the only values openai-whisper's architecture has
_EXPECTED_SCALARS = {
    "decoder/activation": 3,
    "decoder/pre_norm": 1,
    "decoder/alibi": 0,
    "decoder/scale_embeddings": 0,
    "decoder/start_from_zero_embedding": 0,
}


def _layers(weights: dict[str, np.ndarray], prefix: str) -> int:
    count = 0
    while f"{prefix}/layer_{count}/ffn/linear_0/weight" in weights:
        count += 1
    return count


def whisper_dims(weights: dict[str, np.ndarray]):
    """openai-whisper ``ModelDimensions`` read off the tensor shapes."""
    from whisper.model import ModelDimensions

    audio_pos = weights["encoder/position_encodings/encodings"]
    text_pos = weights["decoder/position_encodings/encodings"]
    return ModelDimensions(
        n_mels=int(weights["encoder/conv1/weight"].shape[1]),
        n_audio_ctx=int(audio_pos.shape[0]),
        n_audio_state=int(audio_pos.shape[1]),
        n_audio_head=int(weights["encoder/num_heads"]),
        n_audio_layer=_layers(weights, "encoder"),
        n_vocab=int(weights["decoder/embeddings/weight"].shape[0]),
        n_text_ctx=int(text_pos.shape[0]),
        n_text_state=int(text_pos.shape[1]),
        n_text_head=int(weights["decoder/num_heads"]),
        n_text_layer=_layers(weights, "decoder"),
    )


def to_openai(weights: dict[str, np.ndarray]) -> tuple[dict, dict[str, np.ndarray]]:
    """(dims as a dict, state dict) for openai-whisper from the variables of a WhisperSpec.

    CTranslate2 fuses q/k/v of self-attention into one ``linear_0`` (rows q, k, v) with
    ``linear_1`` the output; cross-attention keeps q in ``linear_0``, fuses k/v in
    ``linear_1`` and has the output in ``linear_2``. Whisper's key projection has no
    bias: the converter stores zeros there (a key bias would only shift every attention
    logit of a query by the same amount, which softmax ignores). Raises ``ValueError``
    when a weight of the file is left unused or a config value differs from Whisper's."""
    for name, expected in _EXPECTED_SCALARS.items():
        if name in weights and int(weights[name]) != expected:
            raise ValueError(f"{name} = {int(weights[name])}: openai-whisper has {expected}")
    projection = weights.get("decoder/projection/weight")
    if (
        projection is not None
        and projection is not weights["decoder/embeddings/weight"]
        and not np.array_equal(projection, weights["decoder/embeddings/weight"])
    ):
        raise ValueError("the output projection is not tied to the token embedding; openai-whisper ties them")

    dims = whisper_dims(weights)
    used: set[str] = {"decoder/projection/weight"}
    state: dict[str, np.ndarray] = {}

    def take(name: str) -> np.ndarray:
        used.add(name)
        return weights[name]

    def linear(target: str, source: str) -> None:
        state[f"{target}.weight"] = take(f"{source}/weight")
        state[f"{target}.bias"] = take(f"{source}/bias")

    def norm(target: str, source: str) -> None:
        state[f"{target}.weight"] = take(f"{source}/gamma")
        state[f"{target}.bias"] = take(f"{source}/beta")

    def split(targets: list[str], source: str) -> None:
        weight, bias = np.split(take(f"{source}/weight"), len(targets)), np.split(take(f"{source}/bias"), len(targets))
        for target, w, b in zip(targets, weight, bias):
            state[f"{target}.weight"] = w
            if not target.endswith(".key"):
                state[f"{target}.bias"] = b

    def block(target: str, source: str, cross: bool) -> None:
        attn = f"{source}/self_attention"
        split([f"{target}.attn.query", f"{target}.attn.key", f"{target}.attn.value"], f"{attn}/linear_0")
        linear(f"{target}.attn.out", f"{attn}/linear_1")
        norm(f"{target}.attn_ln", f"{attn}/layer_norm")
        if cross:
            linear(f"{target}.cross_attn.query", f"{source}/attention/linear_0")
            split([f"{target}.cross_attn.key", f"{target}.cross_attn.value"], f"{source}/attention/linear_1")
            linear(f"{target}.cross_attn.out", f"{source}/attention/linear_2")
            norm(f"{target}.cross_attn_ln", f"{source}/attention/layer_norm")
        linear(f"{target}.mlp.0", f"{source}/ffn/linear_0")
        linear(f"{target}.mlp.2", f"{source}/ffn/linear_1")
        norm(f"{target}.mlp_ln", f"{source}/ffn/layer_norm")

    linear("encoder.conv1", "encoder/conv1")
    linear("encoder.conv2", "encoder/conv2")
    state["encoder.positional_embedding"] = take("encoder/position_encodings/encodings")
    for i in range(dims.n_audio_layer):
        block(f"encoder.blocks.{i}", f"encoder/layer_{i}", cross=False)
    norm("encoder.ln_post", "encoder/layer_norm")
    state["decoder.token_embedding.weight"] = take("decoder/embeddings/weight")
    state["decoder.positional_embedding"] = take("decoder/position_encodings/encodings")
    for i in range(dims.n_text_layer):
        block(f"decoder.blocks.{i}", f"decoder/layer_{i}", cross=True)
    norm("decoder.ln", "decoder/layer_norm")

    unused = sorted(n for n, v in weights.items() if v.ndim > 0 and n not in used)
    if unused:
        raise ValueError(f"weights with no place in openai-whisper: {', '.join(unused)}")
    return dims.__dict__.copy(), state


def _fingerprint(model_bin: Path) -> dict:
    stat = model_bin.stat()
    return {"path": str(model_bin.resolve()), "bytes": stat.st_size, "mtime_ns": stat.st_mtime_ns}


def convert(model_dir: str | Path, target: str | Path) -> Path:
    """Write an openai-whisper checkpoint (``{"dims", "model_state_dict"}``, float16 like
    OpenAI's own) converted from a faster-whisper model folder."""
    import torch

    model_bin = Path(model_dir) / "model.bin"
    spec, weights = read_ct2(model_bin)
    if spec != "WhisperSpec":
        raise ValueError(f"{model_bin} holds a {spec}, not a Whisper model")
    dims, state = to_openai(weights)
    checkpoint = {
        "dims": dims,
        "model_state_dict": {k: torch.from_numpy(np.ascontiguousarray(v)).to(torch.float16) for k, v in state.items()},
        "source": _fingerprint(model_bin),
    }
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".tmp")
    torch.save(checkpoint, partial)
    partial.replace(target)
    return target


def load_openai_whisper(model_dir: str | Path, cache_path: str | Path):
    """openai-whisper ``Whisper`` (float32, CPU, eval mode) with the weights of a
    faster-whisper model folder; converted once into ``cache_path`` and rebuilt when the
    source ``model.bin`` changes. Every parameter must match (``strict=True``)."""
    import torch
    from whisper.model import ModelDimensions, Whisper

    cache_path = Path(cache_path)
    source = _fingerprint(Path(model_dir) / "model.bin")
    checkpoint = torch.load(cache_path, map_location="cpu", weights_only=True) if cache_path.is_file() else None
    if checkpoint is None or checkpoint.get("source") != source:
        convert(model_dir, cache_path)
        checkpoint = torch.load(cache_path, map_location="cpu", weights_only=True)
    model = Whisper(ModelDimensions(**checkpoint["dims"]))
    model.load_state_dict(checkpoint["model_state_dict"], strict=True)
    return model.float().eval()


# -- running both engines -----------------------------------------------------------------


@dataclass(frozen=True)
class EngineRun:
    engine: str
    texts: tuple[str, ...]
    latencies_ms: tuple[float, ...]


@dataclass(frozen=True)
class Comparison:
    clips: tuple[Path, ...]
    durations_s: tuple[float, ...]
    threads: int
    compute_type: str  # faster-whisper's; openai-whisper runs float32
    runs: tuple[EngineRun, ...]  # faster-whisper first


#: decoding settings of ``WhisperTranscriber.transcribe``, shared by both engines
_SHARED = {
    "condition_on_previous_text": False,
    "temperature": (0.0, 0.2, 0.4, 0.6, 0.8, 1.0),
    "compression_ratio_threshold": 2.4,
    "no_speech_threshold": 0.6,
}


def compare(
    clips: list[Path],
    model_dir: str | Path,
    cache_path: str | Path,
    *,
    threads: int,
    compute_type: str = "int8",
    prompt: str | None = None,
    warmup: bool = True,
) -> Comparison:
    """Transcribe every clip with faster-whisper and openai-whisper, alternating engines
    clip by clip so background load hits both alike; returns texts and per-clip latency."""
    import torch
    import whisper
    from faster_whisper import WhisperModel

    fast = WhisperModel(str(model_dir), device="cpu", compute_type=compute_type, cpu_threads=threads)
    language = None if fast.model.is_multilingual else "en"
    previous_threads = torch.get_num_threads()
    torch.set_num_threads(threads)
    try:
        slow = load_openai_whisper(model_dir, cache_path)

        def run_fast(samples: np.ndarray) -> str:
            segments, _ = fast.transcribe(
                samples,
                language=language,
                beam_size=1,
                without_timestamps=True,
                vad_filter=False,
                initial_prompt=prompt,
                log_prob_threshold=-1.0,
                **_SHARED,
            )
            return " ".join(s.text.strip() for s in segments).strip()

        def run_slow(samples: np.ndarray) -> str:
            with torch.inference_mode():
                result = whisper.transcribe(
                    slow,
                    samples,
                    language=language,
                    beam_size=None,
                    best_of=5,
                    without_timestamps=True,
                    initial_prompt=prompt,
                    fp16=False,
                    verbose=None,
                    logprob_threshold=-1.0,
                    **_SHARED,
                )
            return result["text"].strip()

        audio = [decode(clip, max_seconds=30.0, max_bytes=50_000_000) for clip in clips]
        if warmup and audio:
            run_fast(audio[0]), run_slow(audio[0])
        engines = (("faster-whisper", run_fast), ("openai-whisper", run_slow))
        texts: dict[str, list[str]] = {name: [] for name, _ in engines}
        times: dict[str, list[float]] = {name: [] for name, _ in engines}
        for i, samples in enumerate(audio):
            for name, run in engines if i % 2 == 0 else engines[::-1]:
                start = time.perf_counter()
                texts[name].append(run(samples))
                times[name].append((time.perf_counter() - start) * 1000)
    finally:
        torch.set_num_threads(previous_threads)
    return Comparison(
        clips=tuple(clips),
        durations_s=tuple(len(a) / SAMPLE_RATE for a in audio),
        threads=threads,
        compute_type=compute_type,
        runs=tuple(EngineRun(name, tuple(texts[name]), tuple(times[name])) for name, _ in engines),
    )


def across_voices(clips: list, count: int) -> list:
    """The first ``count`` clips taking voices in turn (query 1 in each voice, then query 2
    ...), so a short run still hears every voice; ``clips`` are ``voice_eval.Clip``."""
    by_voice: dict[str, list] = {}
    for clip in clips:
        by_voice.setdefault(clip.voice, []).append(clip)
    queues = list(by_voice.values())
    picked = [q[i] for i in range(max(map(len, queues), default=0)) for q in queues if i < len(q)]
    return picked[:count]


def cache_name(model: str, model_dir: Path) -> str:
    """``openai-whisper-tiny.en.pt`` for the default model, ``...-base.pt`` for base,
    the folder name for any other faster-whisper folder."""
    if model in ("tiny.en", "tiny-en", "default", ""):
        return "openai-whisper-tiny.en.pt"
    return f"openai-whisper-{model if model == 'base' else Path(model_dir).name}.pt"


# -- figures ------------------------------------------------------------------------------


@dataclass(frozen=True)
class EngineRow:
    engine: str
    clips: int
    p50_ms: float
    p95_ms: float
    mean_ms: float
    wer: float


def word_error_rate(references: list[str], hypotheses: list[str], parser=None) -> float:
    """WER after ``voice_eval.normalise`` (numbers as digits, no punctuation)."""
    if parser is None:
        from assistant.intent.rules import RuleIntentParser

        parser = RuleIntentParser()
    refs = [normalise(r, parser) or "<empty>" for r in references]
    hyps = [normalise(h, parser) or "<empty>" for h in hypotheses]
    return jiwer.wer(refs, hyps)


def summarise(comparison: Comparison, references: list[str], parser=None) -> tuple[list[EngineRow], float]:
    """A row per engine and the WER of openai-whisper's transcripts against faster-whisper's."""
    rows = [
        EngineRow(
            run.engine,
            len(run.texts),
            percentile(list(run.latencies_ms), 50),
            percentile(list(run.latencies_ms), 95),
            statistics.fmean(run.latencies_ms),
            word_error_rate(references, list(run.texts), parser),
        )
        for run in comparison.runs
    ]
    between = word_error_rate(list(comparison.runs[0].texts), list(comparison.runs[1].texts), parser)
    return rows, between


def markdown(comparison: Comparison, rows: list[EngineRow], between: float) -> str:
    lines = ["| engine | clips | p50 ms | p95 ms | mean ms | WER |", "|---|---:|---:|---:|---:|---:|"]
    precision = {"faster-whisper": comparison.compute_type, "openai-whisper": "float32"}
    lines += [
        f"| {r.engine} ({precision[r.engine]}) | {r.clips} | {r.p50_ms:.0f} | {r.p95_ms:.0f} | {r.mean_ms:.0f} | {r.wer:.1%} |"
        for r in rows
    ]
    fast, slow = rows[0], rows[1]
    lines += [
        "",
        f"faster-whisper is {slow.p50_ms / fast.p50_ms:.1f} times faster than openai-whisper (p50)",
        f"audio duration p50 {percentile(list(comparison.durations_s), 50):.1f} s; {comparison.threads} thread(s) each; "
        f"WER between the two engines' transcripts {between:.1%}",
    ]
    return "\n".join(lines)
