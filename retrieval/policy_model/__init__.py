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

from retrieval.embeddings import Embedder, default_model_dir, offline

ADAPTER_DIR = Path(__file__).parent / "adapter"
SHOPS_DIR = Path(__file__).parent / "shops"


class PolicyEncoder:
    """A sentence encoder whose vectors are normalised; ``name`` tells its vectors apart
    from another encoder's in a cache."""

    def __init__(self, model, name: str) -> None:
        self.model = model
        self.name = name

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        return self.model.encode(list(texts), batch_size=32, normalize_embeddings=True, convert_to_numpy=True).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.embed_documents([text])[0]


def adapter_fingerprint(adapter: Path = ADAPTER_DIR) -> str:
    """A short hash of the adapter's weights: vectors made by another adapter are not reused."""
    weights = adapter / "adapter_model.safetensors"
    return hashlib.sha256(weights.read_bytes()).hexdigest()[:16]


def sentence_model(adapter: Path):
    """all-MiniLM-L6-v2 as a ``SentenceTransformer``, with ``adapter`` merged in."""
    offline()
    from peft import PeftModel
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(default_model_dir()), device="cpu")
    transformer = model[0]
    transformer.auto_model = PeftModel.from_pretrained(transformer.auto_model, str(adapter)).merge_and_unload()
    model.eval()
    return model


@cache
def load_policy_encoder(adapter: Path = ADAPTER_DIR) -> Embedder | None:
    """The tuned policy encoder, loaded once per process; None when no adapter is shipped."""
    if not (adapter / "adapter_model.safetensors").exists():
        return None
    return PolicyEncoder(sentence_model(adapter), f"policy-lora-{adapter_fingerprint(adapter)}")
