"""The merge of several machines' copies of the store: one record per id, nothing dropped.

Each machine writes only its own files. Every record it writes carries a version, ``_v``:
``{"t": <int, ns>, "m": <machine id>, "b": <the newest version this machine had seen of the
record, [t, m], or null>}``. A deletion is a tombstone, ``{"_deleted": true, "_v": ...}``.

The merged record for an id is computed from the newest version each machine has of it:

* the version with the greatest ``(t, m)`` wins (``t`` is at least one more than the ``b`` it
  replaced, so a change made after seeing another always wins over it);
* a version is *concurrent* with the winner when the winner had not seen it (its ``(t, m)`` is
  greater than the winner's ``b``): the machines changed the record while apart;
* a concurrent edit beats a deletion (nothing typed is lost); a concurrent annotation whose note
  differs from the winner's is kept in the winner's ``conflicts`` list; later edits carry the
  list along (it is part of the record), a write without it clears it.

The result depends only on the set of versions, so reading files in any order, twice, or a
copy older than one already read, gives the same records. Tables in ``LOCAL_TABLES`` are not
merged: each machine keeps its own.
"""

from __future__ import annotations

from typing import Any, Iterable

from reader.domain.store.journal_scan import Op, Record

VERSION = "_v"
DELETED = "_deleted"
CONFLICTS = "conflicts"
LOCAL_TABLES = frozenset({"_meta", "_damage"})
"""Tables that describe one machine's files (schema, damage found): never merged."""

Stamp = tuple[int, str]
Versions = dict[str, Record]
"""The newest version of one record from each machine, by machine id."""


def stamp(record: Record | None) -> Stamp:
    """The ``(t, m)`` of a stored version; ``(0, "")`` for a record written before versions."""
    version = record.get(VERSION) if record is not None else None
    if not isinstance(version, dict):
        return (0, "")
    t, m = version.get("t"), version.get("m")
    return (t if isinstance(t, int) else 0, m if isinstance(m, str) else "")


def base(record: Record) -> Stamp:
    """The version the writer of ``record`` had seen when it wrote it (``(-1, "")``: none)."""
    version = record.get(VERSION)
    seen = version.get("b") if isinstance(version, dict) else None
    if isinstance(seen, list) and len(seen) == 2 and isinstance(seen[0], int) and isinstance(seen[1], str):
        return (seen[0], seen[1])
    return (-1, "")


def is_tombstone(record: Record) -> bool:
    """True for a deletion."""
    return record.get(DELETED) is True


def keep_newer(versions: Versions, record: Record) -> bool:
    """Add ``record`` to ``versions`` if it is newer than what its machine had; True if it was."""
    machine = stamp(record)[1]
    old = versions.get(machine)
    if old is not None and stamp(old) >= stamp(record):
        return False
    versions[machine] = record
    return True


def winner(versions: Versions) -> Record | None:
    """The version that the merged view shows (a tombstone means deleted), or ``None``."""
    if not versions:
        return None
    best = max(versions.values(), key=stamp)
    if is_tombstone(best):
        seen = base(best)
        edits = [v for v in versions.values() if not is_tombstone(v) and stamp(v) > seen]
        if edits:
            return max(edits, key=stamp)
    return best


def newest_seen(versions: Versions) -> Stamp | None:
    """The greatest version among ``versions`` (what a new write replaces)."""
    return max((stamp(v) for v in versions.values()), default=None)


def view(table: str, versions: Versions) -> Record | None:
    """The merged record of one id, as the store's readers see it (no ``_v``), or ``None``."""
    best = winner(versions)
    if best is None or is_tombstone(best):
        return None
    record = {k: v for k, v in best.items() if k != VERSION}
    if table == "annotations":
        kept = _conflicts(best, versions)
        if kept:
            record[CONFLICTS] = kept
        else:
            record.pop(CONFLICTS, None)
    return record


def _conflicts(best: Record, versions: Versions) -> list[dict[str, Any]]:
    """The carried conflicts of ``best`` and the concurrent versions whose note differs."""
    found: dict[tuple[Any, ...], dict[str, Any]] = {}
    for item in best.get(CONFLICTS) or []:
        if isinstance(item, dict):
            found[(item.get("t"), item.get("machine"))] = item
    seen, note = base(best), best.get("note", "")
    for other in versions.values():
        if other is best or stamp(other) <= seen:
            continue
        t, machine = stamp(other)
        if is_tombstone(other):
            found[(t, machine)] = {"machine": machine, "t": t, "deleted": True}
        elif other.get("note", "") != note:
            found[(t, machine)] = {"machine": machine, "t": t, "note": other.get("note", ""),
                                   "updated": other.get("updated", "")}
    return [found[key] for key in sorted(found, key=lambda k: (k[0] or 0, k[1] or ""))]


def versioned_ops(ops: Iterable[Op], seen: dict[tuple[str, str], Stamp | None], machine: str, now: int) -> list[Op]:
    """The ops to write in ``machine``'s own files for ``ops`` made on the merged view.

    ``seen`` gives the newest version of each ``(table, key)`` (from ``newest_seen``); each new
    version is stamped later than it, deletions become tombstones.
    """
    out: list[Op] = []
    clock = now
    for table, key, record in ops:
        if table in LOCAL_TABLES:
            out.append((table, key, record))
            continue
        last = seen.get((table, key))
        clock = max(clock, last[0] + 1 if last else 0)
        version = {"t": clock, "m": machine, "b": list(last) if last else None}
        if record is None:
            out.append((table, key, {DELETED: True, VERSION: version}))
        else:
            body = {k: v for k, v in record.items() if k != VERSION}
            out.append((table, key, {**body, VERSION: version}))
        clock += 1
    return out
