"""The fine-tuned intent parser: Gemma 3 270M + a LoRA adapter, fast on a plain CPU.

Implements ``IntentParser``. The model writes one line in ``intent.format``; the line is
validated into a ``ParsedIntent`` and anything invalid falls back to the rule parser
(counted in ``stats``). Speed, where a naive ``generate()`` takes seconds:

- the rule parser's parse is a draft the model verifies in the prompt's own pass
  (``generate(prompt, draft)``, ``Drafter``): about 2 passes a parse instead of 8;
- the LoRA weights are merged into ``decoder.LeanDecoder``: int8 weights per channel
  and activations per token, fused projections, a preallocated key/value cache;
- the key/value cache of the fixed prompt head is computed once and kept;
- logits are computed only over the tokens the output can contain: the format's own
  tokens, the catalog's vocabulary, and the tokens of this message and its context,
  a few thousand rows of the 262k-row output matrix (greedy argmax needs no more);
- greedy decoding stops at the end of the line; one model load per process.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import threading
import time
from collections.abc import Iterable
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch

from assistant.intent import IntentParser
from assistant.intent.batching import Batcher
from assistant.intent.decoder import CacheFull, KVCache, LeanDecoder, Quantization
from assistant.intent.format import (
    EXTRA_KEYS,
    INTENT_CODES,
    PROMPT_HEAD,
    PROMPT_LABELS,
    SLOT_KEYS,
    FormatError,
    decode,
    encode,
    format_fingerprint,
    render_prompt,
)
from assistant.intent.grammar import Grammar
from assistant.intent.ground import checked_rules, ground
from assistant.memory import release_freed_memory
from assistant.types import DialogueContext, ParsedIntent, Vocabulary

log = logging.getLogger(__name__)

MAX_NEW_TOKENS = 48
#: lines decoded together at most (each holds a key/value cache: 38 MB at most, its used part in practice)
MAX_BATCH = 8
ADAPTER_DIR = Path(__file__).parent / "adapter"

#: text the output format is made of, besides what the message itself contains
FORMAT_TEXT = [
    *INTENT_CODES.values(),
    *SLOT_KEYS.values(),
    "x",
    "rel",
    "f",
    "cheaper",
    "pricier",
    "price_asc",
    "price_desc",
    "rating_desc",
    "all",
    "it",
    "-1",
    "NW-",
    "@example.com",
    "example.com",
    ".com",
    "0123456789",
    ";",
    "=",
    ",",
    ".",
    "-",
    "price_min,price_max",
    "category",
    "brand",
    "color",
    "size",
    "in_stock",
    "sort",
    "description",
    "stock",
    "cart",
    "price",
    "rating",
]


@dataclass
class ParserStats:
    parses: int = 0
    fallbacks: int = 0
    forward_passes: int = 0
    drafted: int = 0  # draft tokens proposed to the model
    accepted: int = 0  # of those, the ones the model would have written itself
    shared_passes: int = 0  # forward passes a line shared with other lines (concurrent parses)
    invalid_outputs: list[str] = field(default_factory=list)

    @property
    def fallback_rate(self) -> float:
        return self.fallbacks / self.parses if self.parses else 0.0

    @property
    def acceptance_rate(self) -> float:
        return self.accepted / self.drafted if self.drafted else 0.0


def load_tokenizer(model_dir: Path) -> Any:
    """The model's tokenizer: its ``tokenizer.json`` read straight into a fast tokenizer with
    the special tokens of ``tokenizer_config.json``. The same ids and text as
    ``AutoTokenizer`` (whose Gemma class rebuilds the 262k-token vocabulary: 2.8 s of every
    start against 0.9; ``tests/test_intent_llm.py`` compares them); ``AutoTokenizer`` where
    there is no ``tokenizer.json``."""
    # the submodules, not ``from transformers import``: see retrieval.embeddings (thread-safe)
    from transformers.models.auto.tokenization_auto import AutoTokenizer
    from transformers.tokenization_utils_tokenizers import PreTrainedTokenizerFast

    model_dir = Path(model_dir)
    if not (model_dir / "tokenizer.json").exists():
        return AutoTokenizer.from_pretrained(str(model_dir))
    config = json.loads((model_dir / "tokenizer_config.json").read_text(encoding="utf-8"))
    special = {key: value for key, value in config.items() if key.endswith("_token") and isinstance(value, str)}
    return PreTrainedTokenizerFast(tokenizer_file=str(model_dir / "tokenizer.json"), **special)


def load_model(model_dir: Path, adapter_dir: Path | None, threads: int):
    """Tokenizer and model (LoRA merged when an adapter is given), in eval mode."""
    from transformers.models.auto.modeling_auto import AutoModelForCausalLM

    torch.set_num_threads(max(1, threads))
    tokenizer = load_tokenizer(model_dir)
    model = AutoModelForCausalLM.from_pretrained(str(model_dir), dtype=torch.float32)
    if adapter_dir is not None:
        from peft import PeftModel

        model = PeftModel.from_pretrained(model, str(adapter_dir)).merge_and_unload()
    model.eval()
    return tokenizer, model


_decoders: dict[Path, Future] = {}
_decoders_lock = threading.Lock()


def load_decoder(model_dir: Path, adapter_dir: Path, compiled: Path) -> Future:
    """(tokenizer, int8 ``LeanDecoder``) of this base model and adapter, loaded once per process
    in a background thread: from ``compiled`` when an earlier start saved it there (about 2 s),
    else built from the fp32 model with the adapter merged, and saved there. A start calls this
    first, so that loading overlaps the imports and the store's opening; the parser then waits
    on the future."""
    with _decoders_lock:
        future = _decoders.get(compiled)
        if future is None:
            future = _decoders[compiled] = Future()
            threading.Thread(
                target=_build_decoder, args=(future, model_dir, adapter_dir, compiled), name="intent-load", daemon=True
            ).start()
        return future


def _build_decoder(future: Future, model_dir: Path, adapter_dir: Path, compiled: Path) -> None:
    try:
        if compiled.exists():
            result = (load_tokenizer(model_dir), LeanDecoder.load(compiled))
        else:
            tokenizer, model = load_model(model_dir, adapter_dir, torch.get_num_threads())
            decoder = LeanDecoder(model.model, quantize="int8")
            decoder.save(compiled)
            del model
            result = (tokenizer, decoder)
        release_freed_memory()
        future.set_result(result)
    except BaseException as exc:  # the parser's constructor raises it
        with _decoders_lock:
            _decoders.pop(compiled, None)  # a later start may try again
        future.set_exception(exc)


#: bump when ``LeanDecoder.save`` writes something different
DECODER_FILE_VERSION = 1


def compiled_decoder(cache_dir: Path, model_dir: Path, adapter_dir: Path) -> Path:
    """Where the int8 decoder of this base model and adapter is kept between starts: named
    by a hash of the adapter's weights and configuration and the base model's
    configuration, so that a new adapter or base model is never served from an old file."""
    digest = hashlib.sha256(f"decoder v{DECODER_FILE_VERSION}".encode())
    for path in (adapter_dir / "adapter_model.safetensors", adapter_dir / "adapter_config.json", model_dir / "config.json"):
        digest.update(path.read_bytes())
    return Path(cache_dir) / "intent-decoder" / f"{digest.hexdigest()[:20]}.safetensors"


def check_format(adapter_dir: Path) -> bool:
    """Whether the adapter was trained on the prompt format this code writes (the
    ``format_fingerprint`` in its ``training.json``); logs a warning when it was not."""
    meta_path = Path(adapter_dir) / "training.json"
    trained = json.loads(meta_path.read_text(encoding="utf-8")).get("format_fingerprint") if meta_path.exists() else None
    if trained is None or trained == format_fingerprint():
        return True
    log.warning(
        "the intent adapter in %s was trained on prompt format %s, but the code writes format %s: "
        "parses will degrade; retrain with `shopassist train intent` or restore the format",
        adapter_dir,
        trained,
        format_fingerprint(),
    )
    return False


def token_ids(tokenizer, texts: Iterable[str]) -> set[int]:
    """Every token id of the texts as they can appear in the output (with and without a leading space)."""
    ids: set[int] = set()
    for text in texts:
        for variant in {text, text.lower(), f" {text}", f" {text.lower()}"}:
            ids.update(tokenizer(variant, add_special_tokens=False).input_ids)
    return ids


class LLMIntentParser:
    """``parse(text, context)`` like the rule parser; thread-safe: concurrent parses are
    decoded together (``line``)."""

    name = "llm"

    def __init__(
        self,
        model_dir: Path,
        adapter_dir: Path | None,
        vocabulary: Vocabulary,
        fallback: IntentParser,
        *,
        threads: int,
        quantize: Quantization = "int8",
        few_shot: str = "",
        ground_slots: bool = True,
        constrained: bool = False,
        draft: bool = True,
        complete_slots: bool = True,
        reference_model: bool = False,
        compiled: Path | None = None,
    ) -> None:
        self.fallback = fallback
        self.draft = draft
        self.complete_slots = complete_slots
        self.vocabulary = vocabulary
        self.ground_slots = ground_slots
        self.constrained = constrained
        self.stats = ParserStats()
        self.few_shot = few_shot
        self._stats_lock = threading.Lock()
        if adapter_dir is not None:
            check_format(adapter_dir)
        if compiled is not None and adapter_dir is not None and quantize == "int8" and not reference_model:
            # the serving path: the int8 decoder saved by an earlier start (or built and saved now),
            # shared by every parser of the process, perhaps already loading since the start began
            torch.set_num_threads(max(1, threads))
            self.tokenizer, self.decoder = load_decoder(model_dir, adapter_dir, compiled).result()
            model = None
        else:
            self.tokenizer, model = load_model(model_dir, adapter_dir, threads)
            self.decoder = LeanDecoder(model.model, quantize=quantize)  # the transformer stack (no output head)
        self.embed = self.decoder.embed  # the output head: the same table (tied weights)
        # transformers' fp32 model, for the naive baseline of ``bench intent`` only (about 400 MB)
        self.model = model if reference_model else None
        static = [
            *FORMAT_TEXT,
            *vocabulary.categories,
            *vocabulary.brands,
            *vocabulary.colors,
            *vocabulary.sizes,
            *vocabulary.attributes,
            *vocabulary.policy_topics,
        ]
        self.grammar = Grammar(self.tokenizer, vocabulary)
        self.static_ids = token_ids(self.tokenizer, static) | set(self.grammar.ends)
        # the line's first token is one of the intent codes, as training wrote it (" policy");
        # over the whole allowed set a token training never scored ("policy" without the space,
        # a word of the message) can win there and derail the line ("policy: policy;t=returns")
        self.code_ids = sorted(self.grammar.codes)
        self.code_weights = self.embed.rows(torch.tensor(self.code_ids))
        # the fixed head's keys and values stay in the cache; every parse cuts it back to them
        self.cache = self.decoder.new_cache()
        self.decoder.forward(self.tokenizer(few_shot + PROMPT_HEAD).input_ids, self.cache)
        self.head_len = self.cache.length
        # one cache a line decoded at once; the first is ``cache`` itself, the others copies of its head
        self._caches: list[KVCache] = [self.cache]
        self._decoding = threading.Lock()
        self._batcher = Batcher(self._decode_batch, MAX_BATCH)
        if model is not None and not reference_model:
            del model  # the fp32 weights (about 1 GB) are not needed once quantised
            release_freed_memory()

    def allowed_ids(self, prompt: str) -> torch.Tensor:
        # the template's own labels ("msg:", "parse:") are never output: their ":" is a token
        # training never scored, so it must not compete ("policy: policy;t=returns")
        words = [w for w in prompt.replace(";", " ").replace("|", " ").split() if w not in PROMPT_LABELS]
        return torch.tensor(sorted(self.static_ids | token_ids(self.tokenizer, words)), dtype=torch.long)

    def _forward(self, tokens: list[int]) -> torch.Tensor:
        """Hidden states of ``tokens`` appended to the cache (one pass)."""
        self.stats.forward_passes += 1
        return self.decoder.forward(tokens, self.cache)

    def _body(self, prompt: str) -> tuple[list[int], torch.Tensor, torch.Tensor]:
        """The prompt's tokens after the cached head, and the output slice (ids, rows of the head)."""
        body = prompt[len(PROMPT_HEAD) :] if prompt.startswith(PROMPT_HEAD) else prompt
        ids = self.tokenizer(body, add_special_tokens=False).input_ids
        allowed = self.allowed_ids(body)
        return ids, allowed, self.embed.rows(allowed)

    def generate(self, prompt: str, draft: str | None = None) -> str:
        """The model's raw one-line output for a prompt: greedy over the restricted vocabulary
        (constrained to the format's grammar when ``constrained`` is on).

        ``draft`` is a guess at the line (the rule parser's parse, encoded). Its tokens are
        fed with the prompt and verified in the same pass: the model keeps the longest
        prefix it would have written itself (its own argmax at every position), the cache
        is cut back to it, and decoding goes on from the first token where it disagrees,
        with the rest of the draft proposed again (``Drafter``). The line is the greedy
        decode either way; a good draft only saves forward passes."""
        if self.constrained:
            with self._decoding:
                return self._generate_constrained(prompt)
        line = self.generate_many([(prompt, draft)])[0]
        if isinstance(line, Exception):
            raise line
        return line

    @torch.inference_mode()
    def generate_many(self, requests: list[tuple[str, str | None]]) -> list[str | CacheFull]:
        """``generate`` for several prompts decoded together: every pass packs the next tokens
        of each line still being written (``LeanDecoder.forward_many``), each line in its own
        cache, so the weights are read once a pass for all of them. Each line is what
        ``generate`` alone writes. A prompt too long for the cache gets ``CacheFull`` in its
        place; the others are decoded."""
        with self._decoding:
            while len(self._caches) < len(requests):
                self._caches.append(self._head_copy())
            lines: list[_Line] = []
            results: list[str | CacheFull] = [""] * len(requests)
            for i, (prompt, draft) in enumerate(requests):
                cache = self._caches[i]
                cache.crop(self.head_len)
                lines.append(_Line(self, i, prompt, draft, cache))
            active = lines
            while active:
                batch = []
                for line in active:
                    tokens = line.next_input()
                    if not line.cache.fits(len(tokens)):  # this line alone: the others are decoded
                        line.done = True
                        results[line.index] = CacheFull(f"sequence longer than the cache ({line.cache.capacity})")
                        continue
                    batch.append((line, tokens))
                if not batch:
                    break
                self.stats.forward_passes += len(batch)
                if len(batch) > 1:
                    self.stats.shared_passes += len(batch)
                hiddens = self.decoder.forward_many([(tokens, line.cache) for line, tokens in batch])
                for (line, _), hidden in zip(batch, hiddens):
                    line.advance(hidden)
                active = [line for line, _ in batch if not line.done]
            for line in lines:
                if not isinstance(results[line.index], CacheFull):
                    results[line.index] = self.tokenizer.decode(line.out_ids[:MAX_NEW_TOKENS], skip_special_tokens=True).strip()
            return results

    def _head_copy(self) -> KVCache:
        """A cache holding the fixed prompt head's keys and values, copied from the first."""
        cache = self.decoder.new_cache()
        cache.capacity = self.cache.capacity
        for mine, theirs in ((cache.keys, self.cache.keys), (cache.values, self.cache.values)):
            for layer, source in zip(mine, theirs):
                layer[:, : self.head_len] = source[:, : self.head_len]
        cache.length = self.head_len
        return cache

    def _generate_constrained(self, prompt: str) -> str:
        """Greedy decoding under the format's token constraints (``intent.grammar``), one
        token per pass except where the grammar forces the next token."""
        ids, allowed, weights = self._body(prompt)
        constraint = self.grammar.start()
        separators = torch.isin(allowed, torch.tensor(self.grammar.separators()))
        self.cache.crop(self.head_len)
        out_ids: list[int] = []
        step_input = ids
        ends = set(self.grammar.ends)
        while len(out_ids) < MAX_NEW_TOKENS:
            hidden = self._forward(step_input)[-1]
            options = constraint.candidates()
            if options is None:
                scores = weights @ hidden
                if constraint.forbids_at_value_start():
                    scores = scores.masked_fill(separators, float("-inf"))
                token = int(allowed[int(torch.argmax(scores))])
            elif not options:
                break
            else:
                choices = torch.tensor(options)
                token = int(choices[int(torch.argmax(self.embed.rows(choices) @ hidden))])
            feed: list[int] = []
            while token not in ends and len(out_ids) < MAX_NEW_TOKENS:
                out_ids.append(token)
                feed.append(token)
                constraint.advance(token)
                forced = constraint.forced()  # e.g. "=" after a key: no forward pass needed to choose it
                if forced is None:
                    break
                token = forced
            if token in ends or not feed:
                break
            step_input = feed
        return self.tokenizer.decode(out_ids, skip_special_tokens=True).strip()

    def line(self, prompt: str, draft: str | None = None) -> str:
        """``generate``, decoded together with the lines other threads ask for meanwhile
        (``batching.Batcher``): under load, concurrent parses share their passes."""
        if self.constrained:
            return self.generate(prompt, draft)
        return self._batcher.submit((prompt, draft))

    def _decode_batch(self, requests: list[tuple[str, str | None]]) -> list[str | CacheFull]:
        return self.generate_many(requests)

    def parse(self, text: str, context: DialogueContext | None = None) -> ParsedIntent:
        context = context or DialogueContext()
        with self._stats_lock:
            self.stats.parses += 1
        raw = ""
        # the rule parser's answer (about a millisecond) is the draft the model verifies, and the fallback
        rules = self.fallback.parse(text, context) if self.draft or self.complete_slots else None
        try:
            raw = self.line(render_prompt(text, context), encode(rules) if rules and self.draft else None)
            parsed = decode(raw, parser="llm")
            if not self.ground_slots:
                return parsed
            return ground(
                parsed,
                text,
                context,
                self.vocabulary,
                getattr(self.fallback, "canonical_size", None),
                rules if self.complete_slots else None,
            )
        except (FormatError, CacheFull) as exc:  # an unusable line, or a prompt too long for the cache
            with self._stats_lock:
                self.stats.fallbacks += 1
                if len(self.stats.invalid_outputs) < 50:
                    self.stats.invalid_outputs.append(raw)
            log.info("invalid LLM parse %r for %r (%s); using the rule parser", raw, text, exc)
        parsed = rules or self.fallback.parse(text, context)
        if self.ground_slots:
            parsed = checked_rules(parsed, text, context, self.vocabulary, getattr(self.fallback, "canonical_size", None))
        return parsed.model_copy(update={"parser": "rules-fallback"})


class _Line:
    """One line being decoded by ``generate_many``: what to feed next (the last token, or
    the prompt at first, and the drafter's proposal), and what the pass's hidden states
    make of it (the longest agreeing prefix of the proposal kept, the cache cut back, the
    model's next token)."""

    def __init__(self, parser: LLMIntentParser, index: int, prompt: str, draft: str | None, cache: KVCache) -> None:
        self.parser, self.index, self.cache = parser, index, cache
        self.feed, self.allowed, self.weights = parser._body(prompt)
        self.drafter = Drafter(parser.tokenizer, parser.grammar, draft, prompt) if draft else None
        self.proposal = self.drafter.first() if self.drafter else []
        self.out_ids: list[int] = []
        self.done = False

    def next_input(self) -> list[int]:
        self.proposal = self.proposal[: MAX_NEW_TOKENS - len(self.out_ids) - 1]
        return self.feed + self.proposal

    def advance(self, hidden: torch.Tensor) -> None:
        parser, k = self.parser, len(self.proposal)
        ends = parser.grammar.ends
        # row -(k+1) is the last fed token: it predicts proposal[0], and so on
        preds = self.allowed[torch.argmax(hidden[-(k + 1) :] @ self.weights.T, dim=-1)].tolist()
        if not self.out_ids:
            preds[0] = parser.code_ids[int(torch.argmax(parser.code_weights @ hidden[-(k + 1)]))]
        n = 0
        while n < k and preds[n] == self.proposal[n] and self.proposal[n] not in ends:
            n += 1
        self.cache.crop(self.cache.length - (k - n))
        parser.stats.drafted += k
        parser.stats.accepted += n
        self.out_ids += self.proposal[:n]
        token = preds[n]
        if token in ends:
            self.done = True
            return
        self.out_ids.append(token)
        self.feed = [token]
        self.proposal = self.drafter.propose(self.out_ids) if self.drafter else []
        self.done = len(self.out_ids) >= MAX_NEW_TOKENS


def _continuation(source: list[int], tail: list[int]) -> list[int]:
    """What follows the first occurrence of ``tail`` in ``source`` (empty when it does not occur)."""
    n = len(tail)
    for i in range(len(source) - n):
        if source[i : i + n] == tail:
            return source[i + n :]
    return []


class Drafter:
    """Proposes the next tokens of the line being decoded, for the model to verify, from a
    draft of the line (the rule parser's parse in the output format) and from the prompt.

    - at the start: the whole draft;
    - after the model writes ``;`` (a new field): the draft's fields that come later in
      the format's fixed field order;
    - after a key: ``=``, then the draft's value for that key and its later fields;
    - otherwise: what follows the last one to three tokens written where they occur in
      the draft, else the words after the value written so far in the prompt (a query
      copied from the message), else ``;`` and the draft's later fields (a one-word value
      such as a category the draft did not have).

    A pass over a few tokens costs little more than over one, but a long wrong guess does
    cost, so guesses that are not aligned on a field are cut to ``RUN`` tokens."""

    RUN = 6
    FIELD_ORDER = {key: i for i, key in enumerate([*SLOT_KEYS.values(), *EXTRA_KEYS])}

    def __init__(self, tokenizer, grammar: Grammar, draft: str, prompt: str) -> None:
        self.tokenizer = tokenizer
        self.semicolon = grammar.semicolon
        self.equals = grammar.equals
        self.keys = grammar.keys
        self.structural = {grammar.semicolon, grammar.equals, grammar.comma, *grammar.ends}
        self.tokens = tokenizer(" " + draft + "\n", add_special_tokens=False).input_ids
        self.fields = [(field.partition("=")[0], field) for field in draft.split(";")[1:]]
        self.prompt = prompt

    def first(self) -> list[int]:
        return list(self.tokens)

    def _later_fields(self, written: list[int], *, current: bool) -> list[str]:
        """The draft's fields after the last key written; the field being written counts
        when ``current`` (a finished value), not when only its key is written."""
        keys = [field.partition("=")[0].strip() for field in self.tokenizer.decode(written).split(";")[1:]]
        last = max((self.FIELD_ORDER.get(key, -1) for key in (keys if current else keys[:-1])), default=-1)
        return [field for key, field in self.fields if self.FIELD_ORDER.get(key, -1) > last]

    def _line(self, fields: list[str]) -> list[int]:
        return self.tokenizer(";".join(fields) + "\n", add_special_tokens=False).input_ids if fields else []

    def propose(self, written: list[int]) -> list[int]:
        last = written[-1]
        if last == self.semicolon:
            return self._line(self._later_fields(written, current=True))
        if last in self.keys and len(written) > 1 and written[-2] == self.semicolon:
            key, rest = self.keys[last], self._later_fields(written, current=False)
            if not rest or rest[0].partition("=")[0] != key:
                return [self.equals]
            return self._line([rest[0][len(key) :], *rest[1:]])
        for n in (3, 2, 1):
            tail = written[-n:]
            if len(tail) < n or all(t in self.structural for t in tail):
                continue
            found = _continuation(self.tokens, tail)
            if found:
                return found[: self.RUN]
        # a value the draft does not have: the message's next words, else its end and the draft's later fields
        return self._from_prompt(written) or [self.semicolon, *self._line(self._later_fields(written, current=True))]

    def _from_prompt(self, written: list[int]) -> list[int]:
        """The prompt's next words after the value written so far (matched as text: the
        first word of a value has no leading space in the line, but has one in the message)."""
        value = re.split(r"[;=,]", self.tokenizer.decode(written))[-1]
        if len(value.strip()) < 2:
            return []
        where = self.prompt.lower().rfind(value.lower())
        if where < 0:
            return []
        rest = self.prompt[where + len(value) :].split("\n", 1)[0]
        return self.tokenizer(rest, add_special_tokens=False).input_ids[: self.RUN] if rest else []


def naive_generate(model, tokenizer, prompt: str) -> str:
    """The baseline: plain ``model.generate()`` over the full vocabulary, fp32, no cache reuse."""
    ids = tokenizer(prompt, return_tensors="pt").input_ids
    newline = tokenizer("\n", add_special_tokens=False).input_ids[-1]
    with torch.inference_mode():
        out = model.generate(ids, max_new_tokens=MAX_NEW_TOKENS, do_sample=False, eos_token_id=[newline, tokenizer.eos_token_id])
    return tokenizer.decode(out[0, ids.shape[1] :], skip_special_tokens=True).strip()


def timed(fn, *args) -> tuple[object, float]:
    start = time.perf_counter()
    result = fn(*args)
    return result, (time.perf_counter() - start) * 1000
