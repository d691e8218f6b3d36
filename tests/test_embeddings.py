"""The product encoders. The float32 one (``retrieval.embeddings.SentenceEncoder``) gives
sentence-transformers' own vectors for all-MiniLM-L6-v2: the reference vectors were
computed with sentence-transformers (``tests/data/minilm_reference.json``), including a text
past the 256-token limit, padding in a batch, and surrounding spaces. The int8 one (the
default, ``OnnxEncoder``) comes close to them, and a text's vector is the same however it
is batched or threaded."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from retrieval.embeddings import (
    Int8Documents,
    OnnxEncoder,
    SentenceEncoder,
    batch_threads,
    default_model_dir,
    encoder_name,
    load_default_embedder,
    load_embedder,
)

REFERENCE = json.loads((Path(__file__).parent / "data" / "minilm_reference.json").read_text(encoding="utf-8"))


def test_the_vectors_are_sentence_transformers_own(settings):
    encoder = load_embedder("float32", 1, settings.encoder_dir())
    vectors = np.array(encoder.embed_documents(REFERENCE["texts"]))
    assert np.abs(vectors - np.array(REFERENCE["vectors"])).max() < 1e-5
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_batches_and_order_do_not_change_a_vector(settings):
    texts = REFERENCE["texts"]
    one_at_a_time = SentenceEncoder(default_model_dir(), batch_size=1)
    together = np.array(load_embedder("float32", 1, settings.encoder_dir()).embed_documents(texts))
    alone = np.array([one_at_a_time.embed_query(t) for t in texts])
    assert np.abs(together - alone).max() < 1e-5
    assert load_embedder("float32", 1, settings.encoder_dir()).embed_documents([]) == []


def test_the_default_int8_encoder_embeds_documents_in_int8_close_to_float32_and_questions_in_float32(settings):
    encoder = load_default_embedder(1, settings.encoder_dir())
    assert isinstance(encoder, Int8Documents) and encoder_name(encoder) == "all-MiniLM-L6-v2/int8-documents"
    vectors = np.array(encoder.embed_documents(REFERENCE["texts"]))
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    cosines = (vectors * np.array(REFERENCE["vectors"])).sum(axis=1)
    assert cosines.min() > 0.975 and cosines.mean() > 0.985  # close, not the same: a store keeps one encoder
    assert encoder.embed_documents([]) == []
    question = np.array(encoder.embed_query(REFERENCE["texts"][0]))
    assert np.abs(question - np.array(REFERENCE["vectors"][0])).max() < 1e-5  # the float32 model's own


def test_an_int8_vector_depends_on_its_text_alone(settings):
    encoder = load_default_embedder(1, settings.encoder_dir()).documents()
    texts = REFERENCE["texts"] * 3  # the long text and the short ones, in one call
    alone = np.array([encoder.embed_query(t) for t in REFERENCE["texts"]])
    together = np.array(encoder.embed_documents(texts))
    with batch_threads(2):  # side by side on two threads, as ingestion runs it
        threaded = np.array(encoder.embed_documents(list(reversed(texts))))[::-1]
    assert np.abs(together - np.tile(alone, (3, 1))).max() < 1e-6
    assert np.abs(threaded - together).max() < 1e-6


def test_the_int8_graph_is_built_once_and_only_when_documents_are_embedded(tmp_path):
    first = load_embedder("int8", 1, tmp_path)
    first.embed_query("rain jacket")
    assert not list(tmp_path.rglob("*.onnx"))  # questions need no graph
    vector = first.embed_documents(["rain jacket"])[0]
    graph = next(tmp_path.rglob("*.onnx"))
    built = graph.stat().st_mtime_ns
    assert [p.name for p in tmp_path.rglob("*")] == [graph.parent.name, graph.name]  # no float32 export or partial file left
    again = OnnxEncoder(graph, default_model_dir())
    assert load_embedder("int8", 1, tmp_path) is first and graph.stat().st_mtime_ns == built
    assert np.abs(np.array(again.embed_query("rain jacket")) - np.array(vector)).max() < 1e-6
