"""The store of the user's own data, TinyDB through its own extension points.

``store.Store`` is the face: annotations, reading state, settings and subscriptions. Beneath it,
``storage.JournalStorage`` (a TinyDB ``Storage``: snapshot + checksummed journal), ``snapshot``
(the snapshot's layout), ``recovery`` (opening safely: damage, backups, migrations) and
``annotation_index`` (annotations grouped by article). Only this package imports ``tinydb``.
"""
