"""The policy encoder: all-MiniLM-L6-v2 with a small LoRA adapter trained to rank a shop's
policy sections for a shopper's question (``train.py``; the shops it learnt from are in
``shops/``, none of them an evaluation store).

It implements the same ``Embedder`` interface as the product encoder, so the policy
search takes either. The adapter's weights are merged into a second copy of the model at
load time (about 90 MB), which keeps a turn at one forward pass. The product search and
the policy search's relevance gates keep the base model, whose cosine thresholds were
measured (``retrieval.policies``).
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from retrieval.embeddings import Embedder, SentenceEncoder, default_model_dir, offline

ADAPTER_DIR = Path(__file__).parent / "adapter"
SHOPS_DIR = Path(__file__).parent / "shops"


class PolicyEncoder(SentenceEncoder):
    """all-MiniLM-L6-v2 with the adapter merged: normalised vectors, like the product
    encoder's; ``name`` tells its vectors apart from another encoder's in a cache."""

    def __init__(self, adapter: Path, name: str) -> None:
        from peft import PeftModel
        from transformers.models.auto.modeling_auto import AutoModel  # see retrieval.embeddings

        merged = PeftModel.from_pretrained(AutoModel.from_pretrained(str(default_model_dir())), str(adapter)).merge_and_unload()
        super().__init__(default_model_dir(), model=merged)
        self.name = name


def adapter_fingerprint(adapter: Path = ADAPTER_DIR) -> str:
    """A short hash of the adapter's weights: vectors made by another adapter are not reused."""
    weights = adapter / "adapter_model.safetensors"
    return hashlib.sha256(weights.read_bytes()).hexdigest()[:16]


@cache
def load_policy_encoder(adapter: Path = ADAPTER_DIR) -> Embedder | None:
    """The tuned policy encoder, loaded once per process; None when no adapter is shipped."""
    if not (adapter / "adapter_model.safetensors").exists():
        return None
    offline()
    return PolicyEncoder(adapter, f"policy-lora-{adapter_fingerprint(adapter)}")
