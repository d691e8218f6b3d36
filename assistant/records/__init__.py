"""The side stores of a store directory: orders, returns and hand-off tickets (``shop.db``),
and the conversations served with their ratings (``conversations.db``)."""
