"""The product encoder (``retrieval.embeddings.SentenceEncoder``) gives sentence-transformers'
own vectors for all-MiniLM-L6-v2, which every store's vectors were made with: the reference
vectors were computed with sentence-transformers (``tests/data/minilm_reference.json``),
including a text past the 256-token limit, padding in a batch, and surrounding spaces."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from retrieval.embeddings import SentenceEncoder, default_model_dir, load_default_embedder

REFERENCE = json.loads((Path(__file__).parent / "data" / "minilm_reference.json").read_text(encoding="utf-8"))


def test_the_vectors_are_sentence_transformers_own():
    encoder = load_default_embedder(1)
    vectors = np.array(encoder.embed_documents(REFERENCE["texts"]))
    assert np.abs(vectors - np.array(REFERENCE["vectors"])).max() < 1e-5
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_batches_and_order_do_not_change_a_vector():
    texts = REFERENCE["texts"]
    one_at_a_time = SentenceEncoder(default_model_dir(), batch_size=1)
    together = np.array(load_default_embedder(1).embed_documents(texts))
    alone = np.array([one_at_a_time.embed_query(t) for t in texts])
    assert np.abs(together - alone).max() < 1e-5
    assert load_default_embedder(1).embed_documents([]) == []
