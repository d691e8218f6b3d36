"""The policy encoder and the policy reranker: their training shops, their adapters, and how the
policy search uses them."""

from __future__ import annotations

import json

import numpy as np
import pytest
from typer.testing import CliRunner

from assistant.__main__ import app
from assistant.evals.policies import policy_sets
from retrieval.errors import PolicyError
from retrieval.policies import RERANK_DEPTH, InMemoryPolicies, PolicySearch, answering_sections, load_policy_dir
from retrieval.policy_model import ADAPTER_DIR, SHOPS_DIR, load_policy_encoder
from retrieval.policy_model.rerank import load_policy_reranker, passage
from retrieval.policy_model.train import (
    LabelledShop,
    RerankConfig,
    TrainingConfig,
    label_questions,
    load_questions,
    load_shops,
    search_candidates,
    train,
    train_reranker,
)
from retrieval.store import Store
from retrieval.types import PolicyChunk


def _normal(text: str) -> str:
    return " ".join(text.lower().split())


def test_training_shops_are_labelled_and_never_an_evaluation_shop():
    shops = load_shops(SHOPS_DIR)  # raises on a question whose section does not exist
    assert len(shops) >= 8
    for shop in shops:
        answered = {i for _, positives in shop.questions for i in positives}
        assert len(answered) == len(shop.answers), f"{shop.name}: a section no question is about"
    trained = {_normal(q) for shop in shops for q, _ in shop.questions}
    evaluated = {_normal(q) for item in policy_sets() for q, _ in item.shop.questions}
    assert not trained & evaluated
    names = {item.name for item in policy_sets()}
    assert not names & {shop.name for shop in shops}
    assert {item.role for item in policy_sets()} == {"development", "held out"}


def test_a_question_labelled_with_a_missing_section_is_refused():
    answers = answering_sections(load_policy_dir(SHOPS_DIR / "pawprint-pets" / "policies"))
    with pytest.raises(PolicyError, match="no section 'returns' / 'Nowhere'"):
        label_questions([{"question": "x?", "doc": "returns", "section": "Nowhere"}], answers, "test")


def test_a_malformed_question_line_is_named(tmp_path):
    answers = answering_sections(load_policy_dir(SHOPS_DIR / "pawprint-pets" / "policies"))
    bad = tmp_path / "questions.jsonl"
    bad.write_text('{"question": "x?", "doc": "returns", "section": "How long you have"}\n{"question": \n')
    with pytest.raises(PolicyError, match=r"questions.jsonl:2: not JSON"):
        load_questions(bad, answers)
    with pytest.raises(PolicyError, match='question 1: needs "question", "doc" and "section"'):
        label_questions([{"question": "x?", "doc": "returns"}], answers, "test")


def test_shipped_encoder_vectors_are_normalised_and_cached_apart(tmp_path, embedder):
    tuned = load_policy_encoder(ADAPTER_DIR)
    assert tuned is not None
    text = "You have 30 days from delivery to send an item back."
    vector = np.asarray(tuned.embed_query(text))
    assert abs(np.linalg.norm(vector) - 1) < 1e-4
    assert float(vector @ np.asarray(embedder.embed_query(text))) < 0.999  # the adapter changed the model
    store = Store(tmp_path / "store", embedder)
    base_cached, tuned_cached = store.embed_cached([text]), store.embed_cached([text], tuned)
    assert np.allclose(base_cached[0], embedder.embed_documents([text])[0], atol=1e-5)
    assert np.allclose(tuned_cached[0], vector, atol=1e-5)
    assert np.allclose(store.embed_cached([text], tuned), tuned_cached)  # from the cache, not the base's row


def test_ranker_ranks_but_the_gates_keep_the_store_encoder(embedder):
    answers = answering_sections(load_policy_dir(SHOPS_DIR / "voltcart-electronics" / "policies"))
    source = InMemoryPolicies(answers, embedder)
    plain, tuned = PolicySearch(source), PolicySearch(source, load_policy_encoder(ADAPTER_DIR))
    question = "how long have i got to bring a laptop back"
    assert tuned.closest_sentence(question) == pytest.approx(plain.closest_sentence(question))
    assert tuned.relevant(question) == plain.relevant(question)
    assert tuned.search(question) and not np.allclose(tuned.scores(question), plain.scores(question))


def test_training_writes_an_adapter_that_loads(tmp_path):
    answers = answering_sections(load_policy_dir(SHOPS_DIR / "pawprint-pets" / "policies"))
    lines = (SHOPS_DIR / "pawprint-pets" / "questions.jsonl").read_text(encoding="utf-8").splitlines()[:8]
    shop = LabelledShop("tiny", answers, label_questions([json.loads(line) for line in lines], answers, "tiny"))
    record = train([shop], tmp_path / "adapter", TrainingConfig(steps=2, batch=4, sections=6, threads=1), log=lambda m: None)
    assert record["shops"] == {"tiny": 8} and (tmp_path / "adapter" / "adapter_model.safetensors").is_file()
    assert len((tmp_path / "adapter" / "loss.jsonl").read_text().splitlines()) == 2
    encoder = load_policy_encoder(tmp_path / "adapter")
    assert encoder is not None and len(encoder.embed_query("opened cat food?")) == 384


def test_eval_policies_refuses_a_folder_without_an_adapter(tmp_path):
    result = CliRunner().invoke(app, ["eval", "policies", "--adapter", str(tmp_path)])
    assert result.exit_code != 0 and "no adapter_model.safetensors" in result.output


class _ByWord:
    """A reranker with the real interface (``retrieval.policies.SectionReranker``) that prefers
    sections whose heading holds a given word."""

    name = "by-word"

    def __init__(self, word: str) -> None:
        self.word = word
        self.read: list[list[str]] = []

    def score(self, question: str, chunks: list[PolicyChunk]) -> np.ndarray:
        self.read.append([c.section for c in chunks])
        return np.asarray([100.0 * (self.word in c.section.lower()) for c in chunks], dtype=np.float32)


def test_the_reranker_reorders_only_the_search_s_first_sections(embedder):
    answers = answering_sections(load_policy_dir(SHOPS_DIR / "voltcart-electronics" / "policies"))
    source = InMemoryPolicies(answers, embedder)
    question = "how long have i got to bring a laptop back"
    plain = [h.chunk.section for h in PolicySearch(source).search(question, k=len(answers))]
    third = plain[RERANK_DEPTH - 1].lower().split()[0]
    reader = _ByWord(third)
    reranked = [h.chunk.section for h in PolicySearch(source, reranker=reader).search(question, k=len(answers))]
    assert reader.read == [plain[:RERANK_DEPTH]]  # one call, the first sections only
    assert reranked[0] == plain[RERANK_DEPTH - 1] and sorted(reranked[:RERANK_DEPTH]) == sorted(plain[:RERANK_DEPTH])
    assert reranked[RERANK_DEPTH:] == plain[RERANK_DEPTH:]


def test_reranker_training_candidates_hold_the_answer_and_the_reranker_loads(tmp_path, embedder):
    answers = answering_sections(load_policy_dir(SHOPS_DIR / "pawprint-pets" / "policies"))
    lines = (SHOPS_DIR / "pawprint-pets" / "questions.jsonl").read_text(encoding="utf-8").splitlines()[:8]
    shop = LabelledShop("tiny", answers, label_questions([json.loads(line) for line in lines], answers, "tiny"))
    candidates = search_candidates(shop, 3, embedder)
    assert all(len(c) == 3 and positives & set(c) for c, (_, positives) in zip(candidates, shop.questions))
    record = train_reranker([shop], tmp_path / "reranker", RerankConfig(steps=2, batch=2, depth=3, threads=1), embedder, log=lambda m: None)
    assert record["shops"] == {"tiny": 8}
    reader = load_policy_reranker(tmp_path / "reranker")
    assert reader is not None and reader.name.startswith("policy-rerank-")
    scores = reader.score("can i return opened cat food?", answers[:3])
    assert scores.shape == (3,) and np.isfinite(scores).all()
    assert load_policy_reranker(tmp_path / "nothing") is None
    assert passage(answers[0]).startswith(f"{answers[0].title} / {answers[0].section}: ")
