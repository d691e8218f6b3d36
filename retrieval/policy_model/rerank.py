"""The policy reranker: a cross-encoder that reads a shopper's question and one policy section
together and scores how well the section answers it.

The policy search's scores compare a question with each section apart (BM25 and the
encoders' vectors); the sections they confuse are neighbours of one document ("Return
window" and "How to send something back", "In short" and the price table), and the right
one is nearly always among the first three (recall@3 96-100% on every labelled shop, against
87-90% for the first). Reading the pair at once tells them apart. The reranker is
all-MiniLM-L6-v2 with a LoRA adapter and a linear head on the pair's mean-pooled tokens,
trained on the policy encoder's shops (``train.py``, ``train_reranker``), never on an
evaluation store; the policy search asks it about its first ``RERANK_DEPTH`` sections only.

None is shipped: the first one (2026-12-07, 400 steps) moved the development stores from
88.8% to 91.8% but the held-out shops from 89.4% to 88.9% (docs/stores.md, "The policy
reranker, measured"). ``shopassist train policy-reranker`` and ``eval policies --reranker
DIR`` are there to try the next one.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

import numpy as np

from retrieval.embeddings import default_model_dir, offline
from retrieval.types import PolicyChunk

RERANK_DIR = Path(__file__).parent / "reranker"
HEAD_FILE = "head.safetensors"
#: tokens of a (question, section) pair: the question and the section's title, heading and
#: text as far as they fit
PAIR_TOKENS = 256


def passage(chunk: PolicyChunk) -> str:
    """The text of a section the reranker reads: "Returns / Return window: text"."""
    return f"{chunk.title} / {chunk.section}: {chunk.text}" if chunk.section else f"{chunk.title}: {chunk.text}"


def pair_scores(model, head, tokenizer, question_list: list[str], passages: list[str]):
    """The head's score of each (question, passage) pair, as a tensor (grad kept when training)."""
    features = tokenizer(question_list, passages, padding=True, truncation="only_second", max_length=PAIR_TOKENS, return_tensors="pt")
    tokens = model(**features).last_hidden_state
    mask = features["attention_mask"].unsqueeze(-1).to(tokens.dtype)
    pooled = (tokens * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1e-9)
    return head(pooled).squeeze(-1)


class PolicyReranker:
    """Scores sections for a question; ``name`` identifies its weights."""

    def __init__(self, folder: Path) -> None:
        import torch
        from peft import PeftModel
        from safetensors.torch import load_file
        from transformers.models.auto.modeling_auto import AutoModel
        from transformers.models.auto.tokenization_auto import AutoTokenizer

        base = str(default_model_dir())
        self.tokenizer = AutoTokenizer.from_pretrained(base)
        self.model = PeftModel.from_pretrained(AutoModel.from_pretrained(base), str(folder)).merge_and_unload().eval()
        weights = load_file(str(folder / HEAD_FILE))
        self.head = torch.nn.Linear(weights["weight"].shape[1], 1)
        self.head.load_state_dict(weights)
        self.head.eval()
        self.name = f"policy-rerank-{fingerprint(folder)}"

    def score(self, question: str, chunks: list[PolicyChunk]) -> np.ndarray:
        """One score per chunk (higher answers better); comparable within one question only."""
        import torch

        if not chunks:
            return np.zeros(0, dtype=np.float32)
        with torch.inference_mode():
            scores = pair_scores(self.model, self.head, self.tokenizer, [question] * len(chunks), [passage(c) for c in chunks])
        return scores.float().numpy()


def fingerprint(folder: Path = RERANK_DIR) -> str:
    digest = hashlib.sha256((folder / "adapter_model.safetensors").read_bytes() + (folder / HEAD_FILE).read_bytes())
    return digest.hexdigest()[:16]


@cache
def load_policy_reranker(folder: Path = RERANK_DIR) -> PolicyReranker | None:
    """The reranker, loaded once per process; None when none is shipped."""
    if not ((folder / "adapter_model.safetensors").exists() and (folder / HEAD_FILE).exists()):
        return None
    offline()
    return PolicyReranker(folder)
