"""Audio decompression bombs: FLAC files of a few MB that hold hours of silence, and how much
memory refusing them costs.

    python -m tools.security.audio_bombs OUT_DIR [CHECKOUT]

writes the files into OUT_DIR and, for each, decodes it in a fresh process with the app's
``assistant.voice.asr.decode`` (the limits of the default settings; CHECKOUT: measure the code
of another checkout, e.g. one before the fix) and prints the file size,
what the app answered, the time it took and the process's peak RSS above its RSS before the
call (``VmHWM`` after resetting it through ``/proc/self/clear_refs``; Linux). docs/security.md publishes the figures.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np

RATE = 44_100
#: samples per FLAC frame: the 1.4 s blocks the encoder allows at 44.1 kHz (fewer, smaller frames)
BLOCK = 61_740


def silence_flac(path: Path, seconds: float, *, declared: bool = True) -> Path:
    """``seconds`` of digital silence, 44.1 kHz mono FLAC (about 135 bytes a minute). With
    ``declared=False`` the header's total-samples field is zeroed, as a streaming encoder
    leaves it: the length is then known only by decoding it."""
    import av

    with av.open(str(path), "w", format="flac") as out:
        stream = out.add_stream("flac", rate=RATE, layout="mono")
        stream.codec_context.options = {"block_time_ms": "1400"}
        zeros = np.zeros((1, BLOCK), dtype=np.int16)
        for index in range(int(seconds * RATE) // BLOCK):
            frame = av.AudioFrame.from_ndarray(zeros, format="s16", layout="mono")
            frame.sample_rate = RATE
            frame.pts = index * BLOCK
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    if not declared:
        data = bytearray(path.read_bytes())
        # STREAMINFO starts at byte 8; its bytes 10-17 hold rate (20 bits), channels (3), bits (5), total samples (36)
        fields = int.from_bytes(data[18:26], "big") & ~((1 << 36) - 1)
        data[18:26] = fields.to_bytes(8, "big")
        path.write_bytes(bytes(data))
    return path


def flac_of_size(path: Path, megabytes: float) -> Path:
    """A silence FLAC just under ``megabytes`` MB (its length scaled from shorter tries: frame
    headers grow with the frame number, so size is not quite linear in length)."""
    seconds = 3600.0
    for _ in range(4):
        silence_flac(path, seconds)
        size = path.stat().st_size
        if 0.99 * megabytes * 1e6 <= size <= megabytes * 1e6:
            break
        seconds *= megabytes * 1e6 * 0.995 / size
    return path


_MEASURE = """
import json, sys, time
import psutil
from assistant.errors import AudioError
from assistant.settings import Settings
from assistant.voice.asr import decode
import av, numpy  # loaded before the baseline, as in the server
settings = Settings()
def high_water():  # peak RSS since the last reset (VmHWM)
    status = open("/proc/self/status").read()
    return int(status.split("VmHWM:")[1].split()[0]) * 1024
with open("/proc/self/clear_refs", "w") as fh:  # reset the peak to the RSS now (Linux)
    fh.write("5")
before = psutil.Process().memory_info().rss
start = time.perf_counter()
try:
    samples = decode(sys.argv[1], settings.asr_max_seconds, settings.asr_max_bytes)
    answer = f"decoded {len(samples) / 16000:.1f} s"
except AudioError as exc:
    answer = str(exc)
seconds = time.perf_counter() - start
peak = high_water()
print(json.dumps({"answer": answer, "seconds": round(seconds, 3), "rss_before_mb": round(before / 1e6, 1),
                  "peak_above_before_mb": round(max(peak - before, 0) / 1e6, 1)}))
"""


def measure(path: Path, checkout: Path | None = None) -> dict:
    """Decode ``path`` in a fresh process (this checkout's code, or ``checkout``'s); its answer, time and peak RSS."""
    root = checkout or Path(__file__).resolve().parents[2]
    env = {"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"}
    command = [sys.executable, "-c", _MEASURE, str(path)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=600, env=env, cwd=root, check=True)
    return {"file": path.name, "mb": round(path.stat().st_size / 1e6, 2), **json.loads(done.stdout)}


def main(out_dir: str, checkout: str | None = None) -> None:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    files = [
        silence_flac(out / "bomb-3h.flac", 3 * 3600),
        silence_flac(out / "bomb-3h-undeclared.flac", 3 * 3600, declared=False),
        flac_of_size(out / "bomb-9.9mb.flac", 9.9),
    ]
    for path in files:
        print(json.dumps(measure(path, Path(checkout) if checkout else None)), flush=True)


if __name__ == "__main__":
    main(*sys.argv[1:3]) if len(sys.argv) > 1 else main("artifacts/audio-bombs")
