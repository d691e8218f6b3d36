"""Conversational shopping assistant.

The pipeline, one module per stage:
    intent_rules (text -> ParsedIntent) -> dialogue (state, references)
    -> retrieval.search (constraints -> hits) -> answer (hits -> Reply) -> ui / cli
``pipeline.py`` is the only place that knows the order.
"""
