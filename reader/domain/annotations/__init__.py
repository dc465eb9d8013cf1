"""Annotations: the values the store keeps (``model``), passages and their selectors
(``passages``), finding a passage again in changed text (``anchoring``), and the exchange formats
with safe export paths (``exchange``, ``export_paths``).

Importing the package imports none of them; callers import the module they need.
"""
