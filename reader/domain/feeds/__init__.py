"""Feeds: documents parsed into values (``parsing``, with ``rss_simple`` and ``jsonfeed``),
fetched within limits (``fetching``), subscribed and synced (``subscriptions``, ``opml``), and
their items written as Markdown articles (``articles``, ``writes``, ``front_matter``). Only
``parsing`` imports ``feedparser``.

Importing the package imports none of them; callers import the module they need.
"""
