"""Articles: values (``article``), formats (``formats``, ``htmlconv``, ``simple_html``), the
library scan (``library``, ``files``) and its cache (``index``), the one markdown-it
configuration and the plain-text projection (``markdown``), pages of blocks (``pages``) and
the cleaning of untrusted text (``cleaning``). (The sidebar's grouping is the session's:
``reader.session.grouping``.)

Importing the package imports none of them: each caller imports the module it needs, so start-up
pays only for what the first screen uses.
"""
