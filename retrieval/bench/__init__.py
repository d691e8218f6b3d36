"""Measuring the retrieval library: relevance on labelled queries (``evaluation``),
filtered search at catalog scale (``scale``, over ``synthetic`` catalogs) and embedding
throughput (``embed``). The search path never imports this package."""
