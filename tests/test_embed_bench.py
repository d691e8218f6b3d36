"""`bench embed`: the shipped embedder against ONNX Runtime exports of the same encoder."""

from __future__ import annotations

import pytest

from retrieval.bench import embed as embed_bench

#: loads a large model or a browser: deselect with -m 'not model' for a quick run
pytestmark = pytest.mark.model


def test_the_float32_export_gives_the_float32_vectors_and_int8_comes_close(tmp_path):
    results = embed_bench.run(64, tmp_path, threads=1, log=lambda message: None)
    float32, onnx_fp32, onnx_int8, shipped = results
    assert float32.cosine_mean == 1.0 and float32.texts == 64
    assert onnx_fp32.cosine_min > 0.9999
    assert 0.95 < onnx_int8.cosine_mean < 0.9999  # close, but not the same vectors
    # the shipped encoder is that int8 graph run one text at a time (no padding in its activations' scale)
    assert 0.95 < shipped.cosine_mean < 0.9999
    assert all(r.per_second > 0 for r in results)
    assert (tmp_path / "minilm-onnx" / "model.onnx").exists()
    table = embed_bench.markdown(results)
    assert table.count("\n") == 6 and "int8" in table


def test_product_texts_are_the_texts_ingestion_embeds_shortest_first():
    texts = embed_bench.product_texts(50)
    assert len(texts) == 50 and [len(t) for t in texts] == sorted(len(t) for t in texts)
    assert all(". " in t for t in texts)
