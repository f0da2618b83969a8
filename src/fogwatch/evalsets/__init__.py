"""Converters from public annotated corpora to the guide's gold format, for scoring only.

Each reads the corpus where it lies (``../shared/eval-data``); nothing is copied into the repository.
"""
