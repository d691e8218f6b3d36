"""Voice input with the real Whisper tiny.en model on checked-in clips (spoken by the
Piper voice, encoded as browsers and phones record them) and the unusable-audio cases."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.channels.replay import replay
from assistant.dialogue import Session
from assistant.pipeline import run_turn, run_voice_turn
from assistant.settings import Settings
from assistant.voice.asr import AudioError, WhisperTranscriber

#: loads a large model or a browser: deselect with -m 'not model' for a quick run
pytestmark = pytest.mark.model

AUDIO = Path(__file__).parent / "data" / "audio"
SONY_CLIPS = [
    "sony_headphones.wav",
    "sony_headphones.mp3",
    "sony_headphones.ogg",
    "sony_headphones.webm",
    "sony_headphones.m4a",
    "sony_headphones_stereo_44k.flac",
]


@pytest.fixture(scope="module")
def transcriber(demo_services) -> WhisperTranscriber:
    return demo_services.asr()


@pytest.mark.parametrize("name", SONY_CLIPS)
def test_every_browser_format_is_understood(transcriber, name):
    heard = transcriber.transcribe(AUDIO / name)
    words = heard.text.lower()
    assert "sony" in words and "headphones" in words, heard.text
    assert "100" in words or "hundred" in words, heard.text
    assert 2.0 < heard.duration_s < 5.0
    assert heard.confident


def test_vocabulary_bias_gets_the_brand_right(transcriber):
    assert "Sony" in transcriber.prompt
    biased = transcriber.transcribe(AUDIO / "sony_headphones.wav")
    assert "sony" in biased.text.lower()


@pytest.mark.parametrize(
    "name,message",
    [
        ("silence.wav", "couldn't hear anything"),
        ("empty.webm", "recording is empty"),
        ("corrupt.mp3", "couldn't read that file as audio"),
        ("not_audio.ogg", "couldn't read that file as audio"),
        ("missing.wav", "didn't receive a recording"),
    ],
)
def test_unusable_audio_gets_a_clear_message(transcriber, name, message):
    with pytest.raises(AudioError, match=message):
        transcriber.transcribe(AUDIO / name)


def test_length_and_size_limits():
    strict = WhisperTranscriber.from_settings(Settings(asr_threads=1, asr_max_seconds=1.5))
    with pytest.raises(AudioError, match="up to 2 seconds|up to 1 seconds|I can take up to"):
        strict.transcribe(AUDIO / "sony_headphones.wav")
    tiny = WhisperTranscriber.from_settings(Settings(asr_threads=1, asr_max_bytes=10_000))
    with pytest.raises(AudioError, match="too large"):
        tiny.transcribe(AUDIO / "sony_headphones.wav")


def test_voice_turn_answers_with_catalog_products(demo_services):
    result = run_voice_turn(AUDIO / "sony_headphones.wav", Session(), demo_services)
    assert result.reply.intent == "search_products"
    assert "sony" in result.transcript.lower()
    assert result.reply.products
    for product in result.reply.products:
        assert product.brand == "Sony" and product.price <= 100
    assert set(result.timings_ms) >= {"asr", "intent", "retrieval", "total"}


def test_bad_audio_in_a_voice_turn_keeps_the_session(demo_services):
    session = Session()
    result = run_voice_turn(AUDIO / "corrupt.mp3", session, demo_services)
    assert "couldn't read that file" in result.reply.text and not result.reply.products
    follow = run_turn("what is your return policy?", session, demo_services)
    assert follow.reply.intent == "policy_question"


def test_unsure_transcript_is_confirmed_before_acting(demo_services, transcriber):
    saved = transcriber.min_avg_logprob
    transcriber.min_avg_logprob = 0.0  # every transcript counts as unsure
    try:
        session = Session()
        asked = run_voice_turn(AUDIO / "return_policy.wav", session, demo_services)
        assert "Did I get that right" in asked.reply.text and not asked.reply.sources
        assert session.pending_transcript
        done = run_turn("yes", session, demo_services)
        assert done.reply.intent == "policy_question" and done.reply.sources
        again = run_voice_turn(AUDIO / "return_policy.wav", session, demo_services)
        rejected = run_turn("no", session, demo_services)
        assert "misheard" in rejected.reply.text and again.reply.text != rejected.reply.text
    finally:
        transcriber.min_avg_logprob = saved


def test_replay_audio_turns(demo_services, tmp_path):
    conversations = tmp_path / "voice.jsonl"
    (tmp_path / "clip.webm").write_bytes((AUDIO / "sony_headphones.webm").read_bytes())
    conversations.write_text(
        json.dumps({"id": "v1", "turns": [{"audio": "clip.webm"}, {"text": "the cheapest one"}, {"audio": str(AUDIO / "silence.wav")}]})
        + "\n"
    )
    lines = list(replay(conversations, demo_services))
    assert [line["turn"] for line in lines] == [1, 2, 3]
    assert "sony" in lines[0]["transcript"].lower() and lines[0]["intent"] == "search_products"
    assert lines[0]["timings_ms"]["asr"] > 0
    assert all(p["brand"] == "Sony" for p in lines[0]["products"])
    assert "couldn't hear anything" in lines[2]["text"] and lines[2]["products"] == []


def test_the_whisper_transcriber_implements_the_one_interface(transcriber):
    from assistant.voice import Transcriber

    assert isinstance(transcriber, Transcriber)


def test_a_recording_sent_to_the_api_is_transcribed_and_answered_in_its_conversation(demo_services):
    import dataclasses

    from fastapi.testclient import TestClient

    from assistant.channels.web import create_app

    settings = demo_services.settings.model_copy(update={"rate_limit_client": "", "asr_max_bytes": 200_000})
    with TestClient(create_app(dataclasses.replace(demo_services, settings=settings))) as client:
        clip = (AUDIO / "sony_headphones.webm").read_bytes()
        first = client.post("/api/chat/audio", files={"audio": ("message.webm", clip, "audio/webm")})
        assert first.status_code == 200, first.text
        body = first.json()
        assert "sony" in body["transcript"].lower() and body["intent"] == "search_products" and body["products"]
        follow = client.post("/api/chat", json={"message": "the cheapest one", "conversation_id": body["conversation_id"]})
        assert follow.json()["turn"] == 2  # the spoken turn belongs to the conversation
        broken = client.post(
            "/api/chat/audio",
            files={"audio": ("x.mp3", (AUDIO / "corrupt.mp3").read_bytes(), "audio/mpeg")},
            data={"conversation_id": body["conversation_id"]},
        )
        assert broken.status_code == 200 and "couldn't read that file" in broken.json()["text"] and broken.json()["turn"] == 3
        huge = client.post("/api/chat/audio", files={"audio": ("big.wav", b"\0" * 250_000, "audio/wav")})
        assert huge.status_code == 413
        unknown = client.post("/api/chat/audio", files={"audio": ("m.webm", clip, "audio/webm")}, data={"conversation_id": "nope"})
        assert unknown.status_code == 404
