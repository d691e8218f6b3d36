"""Catalog retrieval: canonical schema and cleaning (catalog), ingestion (ingest),
storage in Chroma + SQLite (store), keyword and dense search fused with hard
constraints (search), and store policies (policies)."""
