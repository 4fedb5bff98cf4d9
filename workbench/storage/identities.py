"""One thing held under two ids on two laptops: found by its natural key when a package merges,
and given one id everywhere (part of storage/changes.py's merge; docs/decisions.md, docs/sync.md).

When two laptops import the same changed list, each gives a new site (and its new sponsor,
domains) an id of its own; when both review the same new site, each review has its own id.
The merge meets them as two rows with one natural key (:data:`NATURAL_KEYS`): the site's
campaign and 备案号 (the schema's UNIQUE), the sponsor's campaign and subject (主体备案号, else
its name: the key a list import matches sponsors by, storage/site_repo.py), one review per site,
one field per review, one domain per site. The rule, the same on every laptop whichever package
arrives first:

- the smaller id is kept, the other is given up (the laptops converge in any order);
- every row pointing at the given-up id (found from the schema's foreign keys: reviews,
  findings, inspections, domains, notices, 文号, sites of a sponsor) is moved to the kept id,
  children that then meet under one natural key are made one the same way, and the import undo
  log, open conflicts and the history the merge consults follow;
- the values of the two rows are merged like any row met on both sides (storage/changes.py:
  changed on one side only → that side; otherwise the history, else an open ``sync_conflict``
  for a person), so neither laptop's work is lost;
- the merge appends one audit entry ``unify`` per given-up id (entity, given-up id → ``{"id":
  kept}``). The entries travel with the log, so the other laptop, and later packages still naming
  the given-up id, are brought to the kept id too. The log itself is never rewritten (its hash
  chain stays verifiable); entries written under a given-up id stay as they were written.

Everything runs inside the merge's transaction: a killed merge changes nothing.
"""

from __future__ import annotations

import json

import apsw

from workbench.storage import import_undo_repo
from workbench.storage.sync_tables import SYNCED_TABLES

#: Per table, the SQL expressions of its natural key (in parent-first order).
NATURAL_KEYS = {
    "sponsor": ("campaign_id", "CASE WHEN subject_filing_no <> '' THEN subject_filing_no ELSE 'name:' || name END"),
    "site": ("campaign_id", "site_filing_no"),
    "review": ("site_id",),
    "review_field": ("review_id", "field"),
    "site_domain": ("site_id", "domain"),
}
#: Columns kept by triggers or derived from other rows: set again after the merge, never a conflict.
DERIVED = {"site": frozenset({"search_text", "first_domain", "sort_sponsor", "sort_conclusion"})}
#: The audit action recording that an id was given up for another.
UNIFY = "unify"
#: The tables whose rows the import undo log keeps (storage/import_undo_repo.py).
_LOGGED = ("site", "sponsor")


class Identities:
    """The identity step of one merge. ``merger`` is storage.changes._Merger (its connection,
    columns, keys and cell-by-cell merge)."""

    def __init__(self, merger, changeset: bytes):
        self.merger, self.conn = merger, merger.conn
        self.children: dict[str, list[tuple[str, str]]] = {t: [] for t in NATURAL_KEYS}
        for table in SYNCED_TABLES:
            for fk in self.conn.execute(f"PRAGMA foreign_key_list({table})"):
                if fk[2] in self.children and fk[4] == "id":
                    self.children[fk[2]].append((table, fk[3]))
        self.known = self._logged_aliases()        # applied here before
        self.received: dict[tuple[str, str], str] = {}
        self.incoming: set[tuple[str, str]] = set()  # rows this package inserts
        self.referenced: set[tuple[str, str]] = set()  # (parent table, id) the package's rows point at
        self.removed: set[tuple[str, str]] = set()     # rows the package's tombstones remove
        fk_columns = {t: {c: p for p, kids in self.children.items() for (ct, c) in kids if ct == t}
                      for t in SYNCED_TABLES}
        cols = merger.columns
        for change in apsw.Changeset.iter(changeset):
            row = change.new if change.op == "INSERT" else change.old
            if change.op == "INSERT":
                self.incoming.add((change.name, str(row[0])))
            if change.name == "sync_tombstone" and change.op == "INSERT":
                self.removed.add((str(row[0]), str(row[1])))
            if change.name == "audit_log" and change.op == "INSERT":
                entry = dict(zip(cols["audit_log"], change.new, strict=True))
                if entry["action"] == UNIFY and (entry["entity"], entry["entity_id"]) not in self.known:
                    self.received[(entry["entity"], entry["entity_id"])] = json.loads(entry["after"])["id"]
            if change.op != "DELETE":
                for i, col in enumerate(cols[change.name]):
                    parent = fk_columns[change.name].get(col)
                    value = change.new[i] if change.new is not None else None
                    if parent and isinstance(value, str):
                        self.referenced.add((parent, value))
        self.new: dict[tuple[str, str], str] = {}
        self.stash: list[tuple[str, str, dict]] = []   # (table, kept id, values to merge into it)
        self.redirected: list[tuple[str, str, tuple, tuple]] = []
        self.matched: list[list] = []                  # import log hashes that matched (see import_undo_repo)
        self.noted: set[tuple[str, str]] = set()
        self.renamed: dict[tuple[str, str], str] = {}
        self.replaced: dict[str, str] = {}
        self.sites: set[str] = set()                   # sites whose derived columns to set again
        self.campaigns: set[str] = set()
        self._reverse: tuple[int, dict] | None = None

    def _logged_aliases(self) -> dict[tuple[str, str], str]:
        out = {}
        for entity, gone, after in self.conn.execute(
                "SELECT entity, entity_id, after FROM audit_log WHERE action = ?", (UNIFY,)):
            out[(entity, gone)] = json.loads(after)["id"]
        return out

    # -- ids ------------------------------------------------------------------------------------
    def resolve(self, table: str, key):
        """The id that ``key`` of ``table`` stands for now (itself unless given up)."""
        seen = set()
        while isinstance(key, str) and key not in seen:
            seen.add(key)
            nxt = self.new.get((table, key)) or self.received.get((table, key)) or self.known.get((table, key))
            if nxt is None:
                return key
            key = nxt
        return key

    def given_up(self, table: str, key: str) -> bool:
        return self.resolve(table, key) != key

    def aliases_of(self, table: str, key: str) -> list[str]:
        """Ids given up for ``key`` (their history is the kept row's history too)."""
        size = len(self.known) + len(self.received) + len(self.new)
        if self._reverse is None or self._reverse[0] != size:
            reverse: dict[tuple[str, str], list[str]] = {}
            for (t, gone) in {**self.known, **self.received, **self.new}:
                reverse.setdefault((t, self.resolve(t, gone)), []).append(gone)
            self._reverse = (size, reverse)
        return self._reverse[1].get((table, key), [])

    def map_values(self, table: str, values: dict) -> dict:
        """``values`` with every id of a given-up parent row replaced by the kept id."""
        out = dict(values)
        for parent, kids in self.children.items():
            for child, col in kids:
                if child == table and isinstance(out.get(col), str):
                    out[col] = self.resolve(parent, out[col])
        return out

    # -- during the apply -----------------------------------------------------------------------
    def keep_change(self, change) -> bool:
        """False for a change of a row given up for another id: a removal is what made it one
        (nothing to do), an update goes to the kept row after the apply (:meth:`settle`)."""
        if change.name not in NATURAL_KEYS or change.op == "INSERT":
            return True
        key = str(change.old[0])
        if not self.given_up(change.name, key):
            return True
        if change.op == "UPDATE":
            self.redirected.append((change.name, key, tuple(change.old), tuple(change.new)))
        else:
            self.merger.result.count(change.name, "unchanged")
        return False

    # -- after the apply ------------------------------------------------------------------------
    def settle(self, pending: list[tuple]) -> list[tuple]:
        """Make one row of every thing held under two ids; returns the pending items left for
        the merger (uniqueness clashes that are not the same thing are left to refuse)."""
        for (table, gone), kept in sorted(self.received.items(), key=lambda i: list(NATURAL_KEYS).index(i[0][0])
                                          if i[0][0] in NATURAL_KEYS else 99):
            if table in NATURAL_KEYS:
                self.unify(table, gone, kept)
        self._same_sponsors()
        left = []
        for item in pending:
            if item[0] == "constraint" and item[1] in NATURAL_KEYS and self._same_thing(item[1], item[2], item[3]):
                continue
            left.append(item)
        for (table, key) in sorted(self.incoming):
            if table in NATURAL_KEYS and self.given_up(table, key):
                self.unify(table, key, self.resolve(table, key))
        for parent, key in sorted(self.referenced):
            if self.given_up(parent, key):
                self.unify(parent, key, self.resolve(parent, key))
        self._derive()      # before the import log is made to follow (first_domain is logged)
        import_undo_repo.follow_identities(self.conn, self.matched, self.renamed, self.replaced)
        return left

    def finish(self) -> None:
        """After the merger's own items: merge the values of rows made one, redirect updates of
        given-up rows, set the derived columns again."""
        cols = self.merger.columns
        for table, kept, values in self.stash:
            self._merge_values(table, kept, values)
        for table, gone, old, new in self.redirected:
            kept = self.resolve(table, gone)
            old_d = self.map_values(table, dict(zip(cols[table], old, strict=True)))
            new_d = {c: v for c, v in zip(cols[table], new, strict=True) if v is not apsw.no_change}
            new_d = self.map_values(table, new_d)
            if self.merger._current(table, kept) is None:
                self.merger.result.count(table, "unchanged")
                continue
            self.merger._merge_row(table, kept, {c: v for c, v in new_d.items() if c != "id"},
                                   {c: v for c, v in old_d.items() if c != "id"})
        self._derive()

    def _derive(self) -> None:
        """Set again the derived columns of the sites whose reviews, domains or sponsor moved."""
        for site_id in sorted(self.sites):
            self.conn.execute(
                "UPDATE site SET sort_conclusion = coalesce((SELECT conclusion FROM review WHERE site_id = site.id), ''),"
                " first_domain = coalesce((SELECT domain FROM site_domain WHERE site_id = site.id AND position = 0"
                " ORDER BY id LIMIT 1), ''), sort_sponsor = coalesce((SELECT name FROM sponsor"
                " WHERE id = site.sponsor_id), sort_sponsor) WHERE id = ?", (site_id,))
            row = self.conn.execute("SELECT campaign_id FROM site WHERE id = ?", (site_id,)).fetchone()
            if row:
                self.campaigns.add(row[0])

    def record(self, audit) -> None:
        """One audit entry per id given up in this merge (call with the audit triggers on)."""
        for (table, gone), kept in sorted(self.new.items()):
            audit.record(self.conn, UNIFY, table, gone, None, {"id": kept})

    # -- finding one thing under two ids ----------------------------------------------------------
    def _with_natural(self, table: str, natural: tuple, other_than: str) -> list[str]:
        where = " AND ".join(f"{e} = ?" for e in NATURAL_KEYS[table])
        return [r[0] for r in self.conn.execute(f"SELECT id FROM {table} WHERE {where} AND id <> ? ORDER BY id",
                                                (*natural, other_than))]

    def _same_sponsors(self) -> None:
        """Sponsors this package brought whose natural key a sponsor here has (the table has no
        UNIQUE rule, so nothing refused them): one scan of their campaigns' sponsors."""
        brought = {key for table, key in self.incoming if table == "sponsor"}
        if not brought:
            return
        campaign, subject = NATURAL_KEYS["sponsor"]
        groups = self.conn.execute(
            f"SELECT json_group_array(id) FROM (SELECT id, {campaign} AS c, {subject} AS k FROM sponsor)"
            " GROUP BY c, k HAVING count(*) > 1").fetchall()
        for (ids,) in groups:
            ids = sorted(json.loads(ids))
            if brought.intersection(ids):
                for gone in ids[1:]:
                    self.unify("sponsor", gone, ids[0])

    def _same_thing(self, table: str, key: str, row: tuple) -> bool:
        """A package's row refused by a UNIQUE rule: True when a row here has its natural key
        (then the two are made one), False when the clash is something else."""
        cols = self.merger.columns[table]
        if len(row) != len(cols):
            return False
        values = self.map_values(table, dict(zip(cols, row, strict=True)))
        where = " AND ".join(f"{e} = ?" for e in NATURAL_KEYS[table])
        params = [self._natural_value(table, e, values) for e in NATURAL_KEYS[table]]
        here = self.conn.execute(f"SELECT id FROM {table} WHERE {where}", params).fetchone()
        if here is None:
            return False
        here = here[0]
        if here == key or (table, here) in self.removed:
            # made one already (an id given up here took this id), or the row here is one the
            # package removes (a review saved again replaces its fields): the package's row stands
            if here != key:
                self._delete(table, here)
            values["id"] = key
            self.stash.append((table, key, values))
            return True
        kept, gone = min(here, key), max(here, key)
        values["id"] = kept
        self.unify(table, gone, kept, values)
        return True

    @staticmethod
    def _natural_value(table: str, expr: str, values: dict):
        if table == "sponsor" and expr.startswith("CASE"):
            return values["subject_filing_no"] or f"name:{values['name']}"
        return values[expr]

    # -- making two rows one -----------------------------------------------------------------------
    def _note(self, table: str, ids) -> None:
        """Take the import log's matching hashes of rows about to change identity (once per row)."""
        ids = [i for i in ids if (table, i) not in self.noted]
        self.noted.update((table, i) for i in ids)
        if table in _LOGGED and ids:
            self.matched += import_undo_repo.matching_logs(self.conn, table, ids)

    def _exists(self, table: str, key: str) -> bool:
        return self.conn.execute(f"SELECT 1 FROM {table} WHERE id = ?", (key,)).fetchone() is not None

    def _values(self, table: str, key: str) -> dict:
        return self.merger._current(table, key)

    def _rename(self, table: str, old: str, new: str) -> None:
        self.conn.execute(f"UPDATE {table} SET id = ? WHERE id = ?", (new, old))
        for m in self.matched:
            if m[1] == table and m[2] == old:
                m[2] = new
        if table in _LOGGED:
            self.renamed[(table, old)] = new
        self.noted.add((table, new))

    def unify(self, table: str, gone: str, kept: str, incoming: dict | None = None) -> None:
        """Make row ``gone`` of ``table`` one with row ``kept`` (see the module's rule); ``incoming``:
        the values of a package's row that was not inserted (merged into the kept row)."""
        if gone == kept:
            return
        self._note_related(table, [gone, kept])
        has_gone, has_kept = self._exists(table, gone), self._exists(table, kept)
        if has_gone and has_kept:
            gone_in, kept_in = (table, gone) in self.incoming, (table, kept) in self.incoming
            if kept_in and not gone_in:      # keep this laptop's values in place, merge the package's
                self.stash.append((table, kept, self._values(table, kept)))
                self._delete(table, kept)
                self._rename(table, gone, kept)
            else:
                self.stash.append((table, kept, self._values(table, gone)))
                self._delete(table, gone)
        elif has_gone:
            self._rename(table, gone, kept)
        if incoming is not None:
            self.stash.append((table, kept, incoming))
        self.replaced[gone] = kept
        if (table, gone) not in self.known and (table, gone) not in self.received:
            self.new[(table, gone)] = kept
        self.conn.execute("UPDATE sync_conflict SET entity_id = ? WHERE entity = ? AND entity_id = ?",
                          (kept, table, gone))
        if table == "site":
            self.sites.add(kept)
        self._move_references(table, gone, kept)

    def _delete(self, table: str, key: str) -> None:
        if table == "site":
            row = self.conn.execute("SELECT campaign_id FROM site WHERE id = ?", (key,)).fetchone()
            if row:
                self.campaigns.add(row[0])
        if table == "sponsor":
            row = self.conn.execute("SELECT campaign_id FROM sponsor WHERE id = ?", (key,)).fetchone()
            if row:
                self.campaigns.add(row[0])
        self.conn.execute(f"DELETE FROM {table} WHERE id = ?", (key,))

    def _note_related(self, table: str, ids: list[str]) -> None:
        if table == "site":
            self._note("site", ids)
        elif table == "sponsor":
            self._note("sponsor", ids)
            marks = ",".join("?" * len(ids))
            self._note("site", [r[0] for r in self.conn.execute(
                f"SELECT id FROM site WHERE sponsor_id IN ({marks})", ids)])
        elif table == "site_domain":
            marks = ",".join("?" * len(ids))
            self._note("site", [r[0] for r in self.conn.execute(
                f"SELECT site_id FROM site_domain WHERE id IN ({marks})", ids)])

    def _move_references(self, table: str, gone: str, kept: str) -> None:
        for child, col in self.children[table]:
            natural = NATURAL_KEYS.get(child)
            if natural and col in natural:
                for (cid,) in list(self.conn.execute(f"SELECT id FROM {child} WHERE {col} = ?", (gone,))):
                    if child == "site_domain":
                        self._note("site", [gone, kept])
                    key = [kept if e == col else None for e in natural]
                    row = self.conn.execute(f"SELECT {', '.join(natural)} FROM {child} WHERE id = ?", (cid,)).fetchone()
                    key = [k if k is not None else row[i] for i, k in enumerate(key)]
                    twins = self._with_natural(child, tuple(key), cid)
                    for twin in [t for t in twins if (child, t) in self.removed]:
                        self._delete(child, twin)      # the package removes it: not the same thing
                    twins = [t for t in twins if (child, t) not in self.removed]
                    target = cid
                    if twins:
                        target = min(cid, twins[0])
                        self.unify(child, max(cid, twins[0]), target)
                    self.conn.execute(f"UPDATE {child} SET {col} = ? WHERE id = ?", (kept, target))
            else:
                if child == "site" and col == "sponsor_id":
                    self.sites.update(r[0] for r in self.conn.execute(
                        "SELECT id FROM site WHERE sponsor_id = ?", (gone,)))
                self.conn.execute(f"UPDATE {child} SET {col} = ? WHERE {col} = ?", (kept, gone))
            if child == "review":
                self.sites.add(kept)

    def _merge_values(self, table: str, kept: str, values: dict) -> None:
        """Merge ``values`` (a row given up, or a package's row not inserted) into the kept row."""
        values = self.map_values(table, {**values, "id": kept})
        cur = self.merger._current(table, kept)
        cols = self.merger.columns[table]
        if cur is None:
            names = [c for c in cols if c in values]
            self.conn.execute(f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})",
                              [values[c] for c in names])
            self.merger.result.count(table, "added")
            return
        derived = DERIVED.get(table, frozenset())
        incoming = {c: v for c, v in values.items() if c not in derived and c != "id"}
        self.merger._merge_row(table, kept, incoming, None)
