"""The headless core of reader, one sub-package per subsystem.

- ``articles``: what an article is, the file formats, the library scan, the index, the Markdown
  projection that passages are anchored in, and the cleaning of untrusted text;
- ``annotations``: passages and their selectors, anchoring in changed text, exchange formats;
- ``store``: TinyDB with a durable snapshot + journal storage, recovery and backups;
- ``feeds``: feed parsing, fetching, subscriptions, and feed items written as articles.

``durable.py`` holds the two system-call steps every durable write is made of. Nothing under this
package imports Textual or Rich; ``tests/test_layers.py`` enforces it.
"""
