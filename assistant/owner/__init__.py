"""The shop owner's side: the hand-off inbox (``inbox``) and the owner page at /admin (``page``)."""
