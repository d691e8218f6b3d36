"""Northwind Outfitters demo store data (catalog, orders, policies, retrieval dev set)."""
