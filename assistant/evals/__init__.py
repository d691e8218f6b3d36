"""Measuring code: the `shopassist eval|bench|train` commands and what they run. Nothing
in the serving path imports this package (a test checks)."""
