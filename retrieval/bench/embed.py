"""Embedding throughput: the part of ingestion that decides its speed.

``shopassist bench embed`` encodes the product texts of a synthetic catalog with the
shipped embedder (all-MiniLM-L6-v2 through transformers (SentenceEncoder), float32) and with ONNX
Runtime exports of the same encoder: float32, and int8 with per-channel weight scales.
For each it prints texts per second and the cosine between its vectors and the shipped
ones (1.0 = the same vectors). A store's vectors must all come from one model, so a
variant is only usable if it gives the shipped vectors back, or if the whole catalog is
embedded again with it.

The exports need the ``onnx`` package (``pip install 'shopassist[bench]'``); they are
written once into the cache directory.
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

#: the encoder's inputs, in the order the exported graph takes them
_INPUTS = ("input_ids", "attention_mask", "token_type_ids")


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
    """The search texts of the first ``n`` products of a synthetic catalog, shortest first
    (the order ingestion embeds them in)."""
    catalog = SyntheticCatalog.generate(n, seed)
    return sorted((Product.model_validate(catalog.row(i)).search_text() for i in range(n)), key=len)


def export_onnx(model_dir: Path, target: Path) -> Path:
    """The encoder with mean pooling and L2 normalisation, as one ONNX graph (float32)."""
    import torch
    from transformers import AutoModel, AutoTokenizer

    if target.exists():
        return target

    class Encoder(torch.nn.Module):
        def __init__(self, bert):
            super().__init__()
            self.bert = bert

        def forward(self, input_ids, attention_mask, token_type_ids):
            hidden = self.bert(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids).last_hidden_state
            weights = attention_mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * weights).sum(1) / weights.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(pooled, dim=-1)

    tokenizer = AutoTokenizer.from_pretrained(str(model_dir))
    bert = AutoModel.from_pretrained(str(model_dir)).eval()
    sample = tokenizer(["a sample product", "another one"], padding=True, return_tensors="pt")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".tmp")
    torch.onnx.export(
        Encoder(bert),
        tuple(sample[k] for k in _INPUTS),
        str(partial),
        input_names=list(_INPUTS),
        output_names=["embedding"],
        dynamic_axes={**{k: {0: "batch", 1: "tokens"} for k in _INPUTS}, "embedding": {0: "batch"}},
        opset_version=17,
        dynamo=False,
    )
    partial.rename(target)
    return target


def quantize_int8(source: Path, target: Path) -> Path:
    """Dynamic int8 quantisation of the exported graph's matrix products, per-channel scales."""
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    if not target.exists():
        quantize_dynamic(
            str(source),
            str(target),
            weight_type=QuantType.QInt8,
            per_channel=True,
            extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT},
        )
    return target


def onnx_encoder(path: Path, model_dir: Path, threads: int) -> Callable[[list[str]], np.ndarray]:
    import onnxruntime as ort
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(str(model_dir))
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])

    def encode(texts: list[str]) -> np.ndarray:
        batch = tokenizer(texts, padding=True, truncation=True, max_length=256, return_tensors="np")
        return session.run(None, {k: batch[k].astype(np.int64) for k in _INPUTS})[0]

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


def run(n: int, cache: Path, threads: int, *, onnx: bool = True, log: Callable[[str], None] = print) -> list[EmbedResult]:
    """Every variant on the same ``n`` texts, in one process, one after the other."""
    import torch

    from retrieval.embeddings import default_model_dir, load_default_embedder

    torch.set_num_threads(max(1, threads))
    texts = product_texts(n)
    log(f"{len(texts)} product texts, median {statistics.median(len(t) for t in texts):.0f} characters; {threads} threads")
    shipped = load_default_embedder(threads)
    result, reference = measure(
        "transformers, float32 (shipped; sentence-transformers before 2026-12-07, the same vectors)", shipped.embed_documents, texts, None
    )
    results = [result]
    if onnx:
        try:
            import onnx as _onnx  # noqa: F401
        except ImportError:
            log("onnx is not installed: ONNX rows skipped (pip install 'shopassist[bench]')")
            return results
        model_dir = default_model_dir()
        fp32 = export_onnx(model_dir, cache / "minilm-onnx" / "model.onnx")
        int8 = quantize_int8(fp32, cache / "minilm-onnx" / "model-int8.onnx")
        for name, path in (("ONNX Runtime, float32", fp32), ("ONNX Runtime, int8 per-channel", int8)):
            results.append(measure(name, onnx_encoder(path, model_dir, threads), texts, reference)[0])
    return results


def markdown(results: Sequence[EmbedResult]) -> str:
    lines = ["| embedder | texts | texts/s | cosine with the shipped vectors, mean | min |", "|---|---:|---:|---:|---:|"]
    lines += [f"| {r.name} | {r.texts:,} | {r.per_second:,.0f} | {r.cosine_mean:.4f} | {r.cosine_min:.4f} |" for r in results]
    return "\n".join(lines) + "\n"
