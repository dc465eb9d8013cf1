"""Annotation files for other tools, one module per format: ``w3c`` (W3C Web Annotation JSON-LD),
``hypothesis`` (the JSON Hypothesis's client imports), ``readwise`` (Readwise's CSV), ``obsidian``
(a Markdown file per article in a vault); ``jsonfile`` is the JSON both ways they share.
``reader.domain.annotations.exchange`` is the face: our own JSON and ``parse_import``.
"""
