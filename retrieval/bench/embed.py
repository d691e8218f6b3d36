"""Embedding throughput: the part of ingestion that decides its speed.

``shopassist bench embed`` encodes the texts ingestion embeds (``Product.dense_text``) of a
synthetic catalog with each form of all-MiniLM-L6-v2, one after the other in one process:
the float32 model run by transformers (``SentenceEncoder``, ``SHOPASSIST_ENCODER=float32``),
its ONNX export in float32 and in int8 (per-channel weight scales) run one batch at a time
on every thread, and the shipped default (``OnnxEncoder``: the int8 graph, one batch a
core side by side, as ``batch_threads`` runs it during ingestion). For each it prints
texts per second and the cosine between its vectors and the float32 model's (1.0 = the
same vectors). A store's vectors all come from one encoder, which the store records.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from retrieval.bench.synthetic import SyntheticCatalog
from retrieval.catalog import Product


@dataclass
class EmbedResult:
    name: str
    texts: int
    seconds: float
    cosine_mean: float
    cosine_min: float

    @property
    def per_second(self) -> float:
        return self.texts / self.seconds


def product_texts(n: int, seed: int = 7) -> list[str]:
    """The texts ingestion embeds (``dense_text``) of the first ``n`` products of a synthetic
    catalog, shortest first (the order ingestion embeds them in)."""
    catalog = SyntheticCatalog.generate(n, seed)
    return sorted((Product.model_validate(catalog.row(i)).dense_text() for i in range(n)), key=len)


def onnx_encoder(path: Path, model_dir: Path, threads: int) -> Callable[[list[str]], np.ndarray]:
    import onnxruntime as ort
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(str(model_dir))
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])

    def encode(texts: list[str]) -> np.ndarray:
        batch = tokenizer(texts, padding=True, truncation=True, max_length=256, return_tensors="np")
        return session.run(None, {k: batch[k].astype(np.int64) for k in ("input_ids", "attention_mask", "token_type_ids")})[0]

    return encode


def measure(
    name: str, encode: Callable[[list[str]], np.ndarray], texts: Sequence[str], reference: np.ndarray | None, batch_size: int = 32
) -> tuple[EmbedResult, np.ndarray]:
    encode(list(texts[:batch_size]))  # warm-up
    start = time.perf_counter()
    vectors = np.concatenate(
        [np.asarray(encode(list(texts[i : i + batch_size])), dtype=np.float32) for i in range(0, len(texts), batch_size)]
    )
    seconds = time.perf_counter() - start
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    cosines = (vectors * reference).sum(1) if reference is not None else np.ones(len(vectors))
    return EmbedResult(name, len(texts), seconds, float(cosines.mean()), float(cosines.min())), vectors


def run(n: int, cache: Path, threads: int, *, log: Callable[[str], None] = print) -> list[EmbedResult]:
    """Every variant on the same ``n`` texts, in one process, one after the other."""
    import torch

    from retrieval.embeddings import OnnxEncoder, SentenceEncoder, batch_threads, default_model_dir, export_onnx, int8_graph, quantize_int8

    torch.set_num_threads(max(1, threads))
    texts = product_texts(n)
    log(f"{len(texts)} product texts, median {statistics.median(len(t) for t in texts):.0f} characters; {threads} threads")
    model_dir = default_model_dir()
    result, reference = measure(
        "transformers, float32 (`SHOPASSIST_ENCODER=float32`)", SentenceEncoder(model_dir).embed_documents, texts, None
    )
    results = [result]
    fp32 = export_onnx(model_dir, cache / "minilm-onnx" / "model.onnx")
    int8 = quantize_int8(fp32, cache / "minilm-onnx" / "model-int8.onnx")
    for name, path in (("ONNX Runtime, float32, one batch at a time", fp32), ("ONNX Runtime, int8 per-channel, one batch at a time", int8)):
        results.append(measure(name, onnx_encoder(path, model_dir, threads), texts, reference)[0])
    shipped = OnnxEncoder(int8_graph(model_dir, cache / "encoders"), model_dir)
    with batch_threads(threads) as count:
        name = f"ONNX Runtime, int8 per-channel, one text at a time, {count} side by side (shipped default, `OnnxEncoder`)"
        results.append(measure(name, shipped.embed_documents, texts, reference, batch_size=256)[0])
    return results


def markdown(results: Sequence[EmbedResult]) -> str:
    lines = ["| embedder | texts | texts/s | cosine with the float32 model's vectors, mean | min |", "|---|---:|---:|---:|---:|"]
    lines += [f"| {r.name} | {r.texts:,} | {r.per_second:,.0f} | {r.cosine_mean:.4f} | {r.cosine_min:.4f} |" for r in results]
    return "\n".join(lines) + "\n"
