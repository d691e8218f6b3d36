"""The fine-tuned intent parser: Gemma 3 270M + a LoRA adapter, fast on a plain CPU.

Implements ``IntentParser``. The model writes one line in ``intent_format``; the line is
validated into a ``ParsedIntent`` and anything invalid falls back to the rule parser
(counted in ``stats``). Speed, where a naive ``generate()`` takes seconds:

- the LoRA weights are merged, then the decoder's Linear layers get dynamic int8
  quantization (``torch.ao.quantization.quantize_dynamic``);
- the key/value cache of the fixed prompt head is computed once and reused;
- logits are computed only over the tokens the output can contain: the format's own
  tokens, the catalog's vocabulary, and the tokens of this message and its context,
  a few thousand rows of the 262k-row output matrix (greedy argmax needs no more);
- greedy decoding stops at the end of the line; one model load per process.
"""

from __future__ import annotations

import copy
import logging
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import torch

from assistant.intent import IntentParser
from assistant.intent_grammar import Grammar
from assistant.intent_ground import ground
from assistant.intent_format import INTENT_CODES, PROMPT_HEAD, SLOT_KEYS, FormatError, decode, render_prompt
from assistant.types import DialogueContext, ParsedIntent, Vocabulary

log = logging.getLogger(__name__)

MAX_NEW_TOKENS = 48
ADAPTER_DIR = Path(__file__).parent / "models" / "intent-lora"

#: text the output format is made of, besides what the message itself contains
FORMAT_TEXT = [
    *INTENT_CODES.values(), *SLOT_KEYS.values(), "x", "rel", "f", "cheaper", "pricier", "price_asc", "price_desc",
    "rating_desc", "all", "it", "-1", "NW-", "@example.com", "example.com", ".com", "0123456789", ";", "=", ",", ".", "-",
    "price_min,price_max", "category", "brand", "color", "size", "in_stock", "sort", "description", "stock", "price", "rating",
]


@dataclass
class ParserStats:
    parses: int = 0
    fallbacks: int = 0
    forward_passes: int = 0
    invalid_outputs: list[str] = field(default_factory=list)

    @property
    def fallback_rate(self) -> float:
        return self.fallbacks / self.parses if self.parses else 0.0


def load_model(model_dir: Path, adapter_dir: Path | None, threads: int):
    """Tokenizer and model (LoRA merged when an adapter is given), in eval mode."""
    from transformers import AutoModelForCausalLM, AutoTokenizer

    torch.set_num_threads(max(1, threads))
    tokenizer = AutoTokenizer.from_pretrained(str(model_dir))
    model = AutoModelForCausalLM.from_pretrained(str(model_dir), dtype=torch.float32)
    if adapter_dir is not None:
        from peft import PeftModel

        model = PeftModel.from_pretrained(model, str(adapter_dir)).merge_and_unload()
    model.eval()
    return tokenizer, model


def token_ids(tokenizer, texts: Iterable[str]) -> set[int]:
    """Every token id of the texts as they can appear in the output (with and without a leading space)."""
    ids: set[int] = set()
    for text in texts:
        for variant in {text, text.lower(), f" {text}", f" {text.lower()}"}:
            ids.update(tokenizer(variant, add_special_tokens=False).input_ids)
    return ids


class LLMIntentParser:
    """``parse(text, context)`` like the rule parser; thread-safe (one parse at a time)."""

    name = "llm"

    def __init__(
        self,
        model_dir: Path,
        adapter_dir: Path | None,
        vocabulary: Vocabulary,
        fallback: IntentParser,
        *,
        threads: int = 1,
        quantize: str | None = "per_channel",
        few_shot: str = "",
        ground_slots: bool = True,
        constrained: bool = False,
    ) -> None:
        self.fallback = fallback
        self.vocabulary = vocabulary
        self.ground_slots = ground_slots
        self.constrained = constrained
        self.stats = ParserStats()
        self.few_shot = few_shot
        self._lock = threading.Lock()
        self.tokenizer, model = load_model(model_dir, adapter_dir, threads)
        self.embed = model.get_input_embeddings().weight.detach()
        self.decoder = model.model  # the transformer stack (no output head)
        if quantize:
            # per-channel scales keep a 270M model's accuracy; per-tensor ("tensor") is cruder
            qconfig = torch.ao.quantization.per_channel_dynamic_qconfig if quantize == "per_channel" else torch.ao.quantization.default_dynamic_qconfig
            self.decoder = torch.ao.quantization.quantize_dynamic(self.decoder, {torch.nn.Linear: qconfig}, dtype=torch.qint8)
        self.model = model
        static = [*FORMAT_TEXT, *vocabulary.categories, *vocabulary.brands, *vocabulary.colors, *vocabulary.sizes,
                  *vocabulary.attributes, *vocabulary.policy_topics]
        self.grammar = Grammar(self.tokenizer, vocabulary)
        self.static_ids = token_ids(self.tokenizer, static) | set(self.grammar.ends)
        head = self.tokenizer(few_shot + PROMPT_HEAD, return_tensors="pt").input_ids
        with torch.inference_mode():
            out = self.decoder(input_ids=head, use_cache=True)
        self.head_len = head.shape[1]
        self.head_cache = out.past_key_values

    def allowed_ids(self, prompt: str) -> torch.Tensor:
        words = prompt.replace(";", " ").replace("|", " ").split()
        return torch.tensor(sorted(self.static_ids | token_ids(self.tokenizer, words)), dtype=torch.long)

    @torch.inference_mode()
    def generate(self, prompt: str) -> str:
        """The model's raw one-line output for a prompt (greedy, restricted vocabulary;
        constrained to the format's grammar unless ``constrained`` is off)."""
        body = prompt[len(PROMPT_HEAD):] if prompt.startswith(PROMPT_HEAD) else prompt
        ids = self.tokenizer(body, add_special_tokens=False, return_tensors="pt").input_ids
        allowed = self.allowed_ids(body)
        weights = self.embed.index_select(0, allowed)
        constraint = self.grammar.start() if self.constrained else None
        separators = torch.isin(allowed, torch.tensor(self.grammar.separators())) if constraint else None
        cache = copy.deepcopy(self.head_cache)
        position = self.head_len
        out_ids: list[int] = []
        step_input = ids
        ends = set(self.grammar.ends)
        while len(out_ids) < MAX_NEW_TOKENS:
            length = step_input.shape[1]
            positions = torch.arange(position, position + length).unsqueeze(0)
            out = self.decoder(input_ids=step_input, past_key_values=cache, use_cache=True, position_ids=positions,
                               cache_position=positions[0])
            cache = out.past_key_values
            position += length
            self.stats.forward_passes += 1
            hidden = out.last_hidden_state[0, -1]
            options = constraint.candidates() if constraint else None
            if options is None:
                scores = weights @ hidden
                if constraint and constraint.forbids_at_value_start():
                    scores = scores.masked_fill(separators, float("-inf"))
                token = int(allowed[int(torch.argmax(scores))])
            elif not options:
                break
            else:
                choices = torch.tensor(options)
                token = int(choices[int(torch.argmax(self.embed.index_select(0, choices) @ hidden))])
            feed: list[int] = []
            while token not in ends and len(out_ids) < MAX_NEW_TOKENS:
                out_ids.append(token)
                feed.append(token)
                if constraint is None:
                    break
                constraint.advance(token)
                forced = constraint.forced()  # e.g. "=" after a key: no forward pass needed to choose it
                if forced is None:
                    break
                token = forced
            if token in ends or not feed:
                break
            step_input = torch.tensor([feed])
        return self.tokenizer.decode(out_ids, skip_special_tokens=True).strip()

    def parse(self, text: str, context: DialogueContext | None = None) -> ParsedIntent:
        context = context or DialogueContext()
        with self._lock:
            self.stats.parses += 1
            raw = ""
            try:
                raw = self.generate(render_prompt(text, context))
                parsed = decode(raw, parser="llm")
                if not self.ground_slots:
                    return parsed
                return ground(parsed, text, context, self.vocabulary, getattr(self.fallback, "canonical_size", None))
            except FormatError as exc:
                self.stats.fallbacks += 1
                if len(self.stats.invalid_outputs) < 50:
                    self.stats.invalid_outputs.append(raw)
                log.info("invalid LLM parse %r for %r (%s); using the rule parser", raw, text, exc)
        parsed = self.fallback.parse(text, context)
        return parsed.model_copy(update={"parser": "rules-fallback"})


def naive_generate(model, tokenizer, prompt: str) -> str:
    """The baseline: plain ``model.generate()`` over the full vocabulary, fp32, no cache reuse."""
    ids = tokenizer(prompt, return_tensors="pt").input_ids
    newline = tokenizer("\n", add_special_tokens=False).input_ids[-1]
    with torch.inference_mode():
        out = model.generate(ids, max_new_tokens=MAX_NEW_TOKENS, do_sample=False, eos_token_id=[newline, tokenizer.eos_token_id])
    return tokenizer.decode(out[0, ids.shape[1]:], skip_special_tokens=True).strip()


def timed(fn, *args) -> tuple[object, float]:
    start = time.perf_counter()
    result = fn(*args)
    return result, (time.perf_counter() - start) * 1000
