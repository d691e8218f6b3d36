"""Store policy documents: Markdown files chunked by section, searched in their own
Chroma collection (dense) fused with BM25, each hit naming its source."""

from __future__ import annotations

import re
from pathlib import Path

import bm25s
from langchain_text_splitters import MarkdownHeaderTextSplitter, RecursiveCharacterTextSplitter

from retrieval.errors import PolicyError
from retrieval.search import RRF_K, tokenize
from retrieval.store import Store
from retrieval.types import PolicyChunk, PolicyHit

MAX_CHUNK_CHARS = 900


def chunk_policy(doc: str, markdown: str) -> list[PolicyChunk]:
    """Split one policy document into section chunks (long sections split further)."""
    title_match = re.search(r"^#\s+(.+)$", markdown, flags=re.MULTILINE)
    title = title_match.group(1).strip() if title_match else doc.replace("_", " ").title()
    splitter = MarkdownHeaderTextSplitter([("#", "title"), ("##", "section"), ("###", "subsection")])
    sizer = RecursiveCharacterTextSplitter(chunk_size=MAX_CHUNK_CHARS, chunk_overlap=100)
    chunks: list[PolicyChunk] = []
    for part in splitter.split_text(markdown):
        section = " / ".join(v for k, v in part.metadata.items() if k in ("section", "subsection")) or title
        for piece in sizer.split_text(part.page_content):
            text = " ".join(piece.split())
            if text:
                chunks.append(PolicyChunk(id=f"{doc}-{len(chunks):03d}", doc=doc, title=title, section=section, text=text))
    return chunks


def load_policy_dir(folder: Path) -> list[PolicyChunk]:
    folder = Path(folder)
    files = sorted(folder.glob("*.md")) + sorted(folder.glob("*.txt"))
    if not files:
        raise PolicyError(f"{folder}: no .md or .txt policy documents found")
    chunks: list[PolicyChunk] = []
    for path in files:
        try:
            chunks.extend(chunk_policy(path.stem, path.read_text(encoding="utf-8")))
        except UnicodeDecodeError as exc:
            raise PolicyError(f"{path.name}: not UTF-8 text; re-save it as UTF-8") from exc
    return chunks


def ingest_policies(store: Store, folder: Path) -> int:
    chunks = load_policy_dir(folder)
    store.replace_policies(chunks)
    return len(chunks)


#: words that ask about a policy in general rather than about one detail of it
_GENERIC = frozenset(
    tokenize(
        "what whats is are your the a an policy policies tell me about explain how does do work it its on info "
        "information details rules terms please can could you i want know like give need help question questions"
    )
)
OVERVIEW_SECTION = "In short"


class PolicySearch:
    def __init__(self, store: Store) -> None:
        self.store = store
        self.chunks = store.load_policy_chunks()
        self.by_id = {c.id: c for c in self.chunks}
        self.topics = tuple(sorted({c.doc for c in self.chunks}))
        self.bm25: bm25s.BM25 | None = None
        if self.chunks:
            self.bm25 = bm25s.BM25()
            self.bm25.index([tokenize(f"{c.title} {c.section} {c.text}") for c in self.chunks], show_progress=False)

    def search(self, question: str, topic: str | None = None, k: int = 3) -> list[PolicyHit]:
        if not self.chunks or not question.strip():
            return []
        allowed = [c for c in self.chunks if topic is None or c.doc == topic] or self.chunks
        allowed_ids = {c.id for c in allowed}
        fused: dict[str, float] = {}
        tokens = tokenize(question)
        if tokens and self.bm25 is not None:
            scores = self.bm25.get_scores(tokens)
            ranked = sorted(
                (i for i, c in enumerate(self.chunks) if c.id in allowed_ids and scores[i] > 0),
                key=lambda i: -scores[i],
            )
            for rank, i in enumerate(ranked, start=1):
                fused[self.chunks[i].id] = 1.0 / (RRF_K + rank)
        where = {"doc": topic} if topic in self.topics else None
        dense = self.store.policies.similarity_search_with_relevance_scores(question, k=min(20, len(allowed)), filter=where)
        for rank, (document, _score) in enumerate(dense, start=1):
            if document.id in allowed_ids:
                fused[document.id] = fused.get(document.id, 0.0) + 1.0 / (RRF_K + rank)
        best = sorted(fused, key=lambda cid: -fused[cid])[:k]
        hits = [PolicyHit(chunk=self.by_id[cid], score=fused[cid]) for cid in best]
        if hits:
            doc = topic if topic in self.topics else hits[0].chunk.doc
            overview = self.overview(doc)
            if overview is not None and self._is_general(tokens, overview):
                # "what is your return policy?" gets the document's summary, not one detail
                hits = [PolicyHit(chunk=overview, score=fused.get(overview.id, 0.0) + 1.0)] + [h for h in hits if h.chunk.id != overview.id]
        return hits[:k]

    def overview(self, doc: str) -> PolicyChunk | None:
        """The document's "In short" section, else its first section."""
        chunks = [c for c in self.chunks if c.doc == doc]
        return next((c for c in chunks if c.section.lower() == OVERVIEW_SECTION.lower()), chunks[0] if chunks else None)

    @staticmethod
    def _is_general(tokens: list[str], overview: PolicyChunk) -> bool:
        topic_words = set(tokenize(f"{overview.doc} {overview.title}"))
        return not (set(tokens) - _GENERIC - topic_words)
