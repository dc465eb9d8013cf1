"""Server accounts (Miniflux, and any Google Reader API server): two-way sync into offline articles.

``model`` holds the values both servers are read into and :class:`~.model.AccountError`;
``credentials`` keeps secrets in the system keyring (``system_keyring``) or a 0600 file;
``client`` is the capped HTTP client; ``server`` is what a sync asks of a server, which ``miniflux`` (its ``/v1`` API) and ``greader`` (the Google
Reader API) answer; ``connect`` signs in and adds an account; ``merge`` decides, per entry, whose
read and starred flags win; ``mirror`` writes entries as Markdown files under
``<articles>/<account>/<feed>/``; ``sync`` runs one sync from start to end. The store's side is
:mod:`reader.domain.store.account_tables`. Importing the package imports none of them.
"""
