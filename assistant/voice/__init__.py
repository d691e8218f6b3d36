"""Stage 1, voice: a recording -> a ``Transcript`` (the ``Transcriber`` protocol; Whisper on
faster-whisper). Unusable audio raises ``AudioError`` with a message for the shopper."""

from assistant.voice.asr import AudioError, Transcriber, Transcript, WhisperTranscriber

__all__ = ["AudioError", "Transcriber", "Transcript", "WhisperTranscriber"]
