"""The plain approach to a filtered dense search, kept for comparison: Chroma's ``where``
filter through LangChain (``ProductSearch(dense_backend="chroma")``, ``bench scale``)."""

from __future__ import annotations

from collections.abc import Sequence

from retrieval.store import Store
from retrieval.types import Constraints


def where_clause(constraints: Constraints) -> dict | None:
    """Chroma ``where`` filter for the constraints Chroma can evaluate (all but size)."""
    parts: list[dict] = []
    if constraints.category:
        parts.append({"category": constraints.category.lower()})
    if constraints.brand:
        parts.append({"brand": constraints.brand.lower()})
    if constraints.color:
        parts.append({"color": constraints.color.lower()})
    if constraints.price_min is not None:
        parts.append({"price": {"$gte": float(constraints.price_min)}})
    if constraints.price_max is not None:
        parts.append({"price": {"$lte": float(constraints.price_max)}})
    if constraints.in_stock:
        parts.append({"in_stock": True})
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else {"$and": parts}


def chroma_where_search(store: Store, vector: Sequence[float], constraints: Constraints, k: int) -> list[tuple[str, float]]:
    """The plain approach: Chroma's filtered vector search through LangChain; (id, cosine) pairs."""
    results = store.products.similarity_search_by_vector_with_relevance_scores(list(vector), k=k, filter=where_clause(constraints))
    return [(doc.id, 1.0 - float(distance)) for doc, distance in results if doc.id]
