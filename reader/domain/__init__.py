"""The headless core of reader: articles, the library, passages, annotations and the store.

Nothing under this package imports Textual or Rich; a test enforces it.
"""
