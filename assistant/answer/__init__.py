"""Stage 5, answer: retrieved facts -> a ``Reply``.

``products`` (search results, product questions, comparisons, policy answers),
``customer_service`` (order status, returns, hand-off tickets) and ``html`` (how a reply's
cards, table and sources are drawn in the chat). Wording comes from ``prompts/``.
"""
