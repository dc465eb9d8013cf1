"""Server accounts (Miniflux, and any Google Reader API server): two-way sync into offline articles.

``model`` holds the values both servers are read into and :class:`~.model.AccountError`;
``credentials`` keeps secrets in a 0600 file; ``client`` is the capped HTTP client; ``miniflux``
and ``greader`` speak the two APIs; ``merge`` decides, per entry, whose read and starred flags win;
``mirror`` writes entries as Markdown files under ``<articles>/<account>/<feed>/``; ``sync`` runs
one sync from start to end. Importing the package imports none of them.
"""
