"""Regenerate the checked-in test clips (developer tool; needs the voice-dev extra).

    .venv/bin/python tests/data/audio/make_clips.py

Speaks two questions with the Piper voice and writes them in the formats browsers and
phones produce (wav, mp3, ogg/opus, webm/opus, m4a/aac, flac; mono and stereo, several
sample rates), plus unusable files: silence, an empty file, a corrupt file, text.
"""

from pathlib import Path

import av
import numpy as np

from assistant.evals.voice_set import PiperSpeaker, _read_wav

HERE = Path(__file__).parent


def encode(samples: np.ndarray, rate: int, path: Path, codec: str, out_rate: int, channels: int, fmt: str | None = None) -> None:
    layout = "stereo" if channels == 2 else "mono"
    with av.open(str(path), "w", format=fmt) as container:
        stream = container.add_stream(codec, rate=out_rate, layout=layout)
        frame_samples = np.tile(samples, (channels, 1)).astype(np.float32) if channels == 2 else samples[None, :].astype(np.float32)
        frame = av.AudioFrame.from_ndarray(frame_samples, format="fltp", layout=layout)
        frame.sample_rate = rate
        resampler = av.AudioResampler(format=stream.format.name, layout=layout, rate=out_rate)
        for resampled in resampler.resample(frame):
            for packet in stream.encode(resampled):
                container.mux(packet)
        for resampled in resampler.resample(None):
            for packet in stream.encode(resampled):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)


def main() -> None:
    speaker = PiperSpeaker()
    speaker.speak("Do you have Sony headphones under a hundred dollars?", HERE / "sony_headphones.wav")
    speaker.speak("What is your return policy?", HERE / "return_policy.wav")
    samples, rate = _read_wav(HERE / "sony_headphones.wav")
    encode(samples, rate, HERE / "sony_headphones.mp3", "libmp3lame", 44100, 2)
    encode(samples, rate, HERE / "sony_headphones.ogg", "libopus", 48000, 1, "ogg")
    encode(samples, rate, HERE / "sony_headphones.webm", "libopus", 48000, 1, "webm")
    encode(samples, rate, HERE / "sony_headphones.m4a", "aac", 22050, 1, "mp4")
    encode(samples, rate, HERE / "sony_headphones_stereo_44k.flac", "flac", 44100, 2)
    encode(np.zeros(rate * 2, dtype=np.float32), rate, HERE / "silence.wav", "pcm_s16le", 16000, 1)
    (HERE / "empty.webm").write_bytes(b"")
    (HERE / "corrupt.mp3").write_bytes(b"ID3\x03\x00\x00\x00" + bytes(range(256)) * 8)
    (HERE / "not_audio.ogg").write_text("this is a shopping list, not a recording\n")


if __name__ == "__main__":
    main()
