"""The change engine of work packages: SQLite's session extension through APSW.

Runs only in a process of its own (services/packages.py starts it): APSW and the stdlib sqlite3
module must never have the same file open in one process (docs/sync.md, pitfall 6).

- :func:`diff` — the changeset that turns a base copy into the current state, for the synced
  tables (storage/sync_tables.py), optionally of one campaign.
- :func:`merge` — applies a partner's changeset to the database in one transaction. A field
  changed only on one side takes that side's value; a field changed on both sides is decided
  by the history in the audit log when it shows one value replaced the other (a stale copy),
  and otherwise kept for a person as a ``sync_conflict`` — never by the later writer.
- :func:`force_apply` — brings a base copy forward (what a partner is known to have).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from pathlib import Path

import apsw

from workbench.domain.merge_result import MergeResult
from workbench.faults import crash_point
from workbench.storage import audit, campaign_count_repo, identities, number_rules
from workbench.storage.sync_tables import BOOKKEEPING, CAMPAIGN_KEYS, GLOBAL_TABLES, SYNCED_TABLES

BUSY_TIMEOUT_MS = 10_000

class MergeRefused(Exception):
    """The package cannot be merged as a whole (nothing was changed); str() is Chinese."""


def connect(path: Path, *, read_only: bool = False, device: str = "", inspector: str = "") -> apsw.Connection:
    """An APSW connection with a busy timeout (APSW's default is 0) and the audit functions."""
    flags = apsw.SQLITE_OPEN_READONLY if read_only else apsw.SQLITE_OPEN_READWRITE | apsw.SQLITE_OPEN_CREATE
    flags |= apsw.SQLITE_OPEN_URI
    conn = apsw.Connection(str(path), flags=flags)
    conn.set_busy_timeout(BUSY_TIMEOUT_MS)
    audit.register(conn, device, inspector)
    return conn


def copy_file(source: apsw.Connection, target: Path) -> None:
    """A consistent copy of the open database ``source`` at ``target`` (online backup API)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".part")
    tmp.unlink(missing_ok=True)
    dest = apsw.Connection(str(tmp))
    try:
        with dest.backup("main", source, "main") as b:
            b.step()
        dest.execute("PRAGMA journal_mode=DELETE")
    finally:
        dest.close()
    os.replace(tmp, target)


def empty_base(source: apsw.Connection, target: Path) -> None:
    """A database at ``target`` with the synced tables of ``source`` and no rows (the base of a
    partner nothing was exchanged with yet: the first package holds everything)."""
    target.unlink(missing_ok=True)
    conn = apsw.Connection(str(target))
    try:
        with conn:
            marks = ",".join("?" * len(SYNCED_TABLES))
            for (sql,) in source.execute(
                    f"SELECT sql FROM sqlite_master WHERE type = 'table' AND name IN ({marks})", SYNCED_TABLES):
                conn.execute(sql)
            conn.execute(f"PRAGMA user_version={schema_version(source)}")
    finally:
        conn.close()


def schema_version(conn: apsw.Connection) -> int:
    """PRAGMA user_version of the connection's main database."""
    return conn.execute("PRAGMA user_version").fetchone()[0]


def diff(current: Path, base: Path, campaign_id: str | None) -> bytes:
    """The changeset from ``base`` to ``current`` over the synced tables (every row of another
    campaign left out when ``campaign_id`` is given). Neither file is changed."""
    conn = connect(current, read_only=True)
    try:
        conn.execute("ATTACH DATABASE ? AS base", (Path(base).resolve().as_uri() + "?mode=ro",))
        session = apsw.Session(conn, "main")
        for table in SYNCED_TABLES:
            session.attach(table)
            session.diff("base", table)
        changeset = session.changeset()
        session.close()
        if campaign_id is None or _single_campaign(conn, campaign_id):
            return changeset
        keep = {t: _campaign_keys(conn, t, campaign_id) for t in CAMPAIGN_KEYS}
        builder = apsw.ChangesetBuilder()
        for change in apsw.Changeset.iter(changeset):
            if change.name in GLOBAL_TABLES or _key(change, _row(change)) in keep[change.name]:
                builder.add_change(change)
        return builder.output()
    finally:
        conn.close()


def _single_campaign(conn, campaign_id: str) -> bool:
    ids = {r[0] for r in conn.execute("SELECT id FROM main.campaign UNION SELECT id FROM base.campaign")}
    return ids <= {campaign_id}


def _campaign_keys(conn, table: str, campaign_id: str) -> set[str]:
    keys: set[str] = set()
    for schema in ("main", "base"):
        keys.update(r[0] for r in conn.execute(CAMPAIGN_KEYS[table].format(s=schema), {"c": campaign_id}))
    return keys


def _row(change) -> tuple:
    """The values carrying the primary key of a change (new for inserts, old otherwise)."""
    return change.new if change.op == "INSERT" else change.old


def _key(change, row) -> str:
    return "/".join(str(row[i]) for i in sorted(change.pk_columns))


def counts(changeset: bytes) -> dict[str, dict[str, int]]:
    """{table: {"INSERT": n, "UPDATE": n, "DELETE": n}} of a changeset."""
    out: dict[str, Counter] = {}
    for change in apsw.Changeset.iter(changeset):
        out.setdefault(change.name, Counter())[change.op] += 1
    return {t: dict(c) for t, c in out.items()}


def force_apply(base: Path, changeset: bytes) -> None:
    """Apply ``changeset`` to a base copy, its values winning every conflict (a base records what
    a partner has; it never takes part in deciding anything)."""
    conn = connect(base)
    try:
        audit.set_enabled(conn, False)
        conn.execute("PRAGMA foreign_keys=OFF")

        def conflict(reason, change):
            if change.name == "audit_log":      # log rows never change: the one there is the same
                return apsw.SQLITE_CHANGESET_OMIT
            if reason in (apsw.SQLITE_CHANGESET_DATA, apsw.SQLITE_CHANGESET_CONFLICT):
                return apsw.SQLITE_CHANGESET_REPLACE
            return apsw.SQLITE_CHANGESET_OMIT

        with conn:
            apsw.Changeset.apply(changeset, conn, conflict=conflict)
            if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'campaign_count'").fetchone():
                # a copied snapshot keeps the count triggers of 0017, and a REPLACE of a row met on
                # both sides does not keep them right: count again (the base is no user's file,
                # but `workbench check` and the tests hold every database to its counts)
                for (campaign_id,) in list(conn.execute("SELECT id FROM campaign")):
                    campaign_count_repo.recount(conn, campaign_id)
    finally:
        conn.close()


#: Columns of a site that a site-list import sets from where the newest list has the site
#: (storage/site_repo.py: ``present``, its row and the list's warnings), decided by
#: :meth:`_Merger._newest_list_side` rather than left to a person.
SITE_LIST_COLUMNS = frozenset({"present", "source_row", "flags", "flag_count"})


class _Merger:
    """One merge: the conflict handler collects what SQLite could not apply; :meth:`settle`
    then decides it cell by cell inside the same transaction."""

    def __init__(self, conn: apsw.Connection, changeset: bytes, sender: dict):
        self.conn, self.changeset, self.sender = conn, changeset, sender
        self.columns = {t: [r[1] for r in conn.execute(f"PRAGMA table_info({t})")] for t in SYNCED_TABLES}
        self.pks = {t: [r[1] for r in sorted(conn.execute(f"PRAGMA table_info({t})"), key=lambda r: r[5]) if r[5]]
                    for t in SYNCED_TABLES}
        self.pending: list[tuple] = []
        self.handled: Counter = Counter()
        self.filtered: Counter = Counter()
        self.result = MergeResult()
        self.tombstoned = self._tombstones_kept()
        self.runs_here = {r[0] for r in conn.execute("SELECT id FROM import_run")}   # before the apply
        self.runs_sent = {c.new[0] for c in apsw.Changeset.iter(changeset)
                          if c.name == "import_run" and c.op == "INSERT"}
        self._history: dict[tuple[str, str], list] = {}
        self.identities = identities.Identities(self, changeset)

    # -- collecting ----------------------------------------------------------------------------
    def _tombstones_kept(self) -> set[tuple[str, str]]:
        """Local tombstones that this package does not lift."""
        local = {(e, i) for e, i in self.conn.execute("SELECT entity, entity_id FROM sync_tombstone")}
        for change in apsw.Changeset.iter(self.changeset):
            if change.name == "sync_tombstone" and change.op == "DELETE":
                local.discard((change.old[0], change.old[1]))
        return local

    def keep_change(self, change) -> bool:
        """filter_change: an incoming row that was removed here is not inserted again; a change
        of a row given up for another id goes to that id (storage/identities.py)."""
        if not self.identities.keep_change(change):
            self.filtered[(change.name, change.op)] += 1
            return False
        if change.op == "INSERT" and change.name not in GLOBAL_TABLES:
            key = _key(change, change.new)
            if (change.name, key) in self.tombstoned:
                self.pending.append(("insert_removed", change.name, key, tuple(change.new)))
                self.filtered[(change.name, change.op)] += 1
                return False
        return True

    def on_conflict(self, reason: int, change) -> int:
        """The session's conflict handler: copy out what is needed and leave the change out."""
        table, op = change.name, change.op
        self.handled[(table, op)] += 1
        if reason == apsw.SQLITE_CHANGESET_CONSTRAINT:
            row = change.new if op == "INSERT" else change.old
            self.pending.append(("constraint", table, _key(change, row), tuple(row) if row else ()))
            return apsw.SQLITE_CHANGESET_OMIT
        if reason == apsw.SQLITE_CHANGESET_FOREIGN_KEY:
            return apsw.SQLITE_CHANGESET_OMIT
        old = tuple(change.old) if change.old is not None else None
        new = tuple(change.new) if change.new is not None else None
        cur = tuple(change.conflict) if change.conflict is not None else None
        key = _key(change, new if op == "INSERT" else old)
        if reason == apsw.SQLITE_CHANGESET_NOTFOUND:
            if op == "UPDATE":
                self.pending.append(("update_missing", table, key, old, new))
            else:
                self.result.count(table, "unchanged")   # removed here already
        elif op == "INSERT":        # CONFLICT: the row exists here
            self.pending.append(("insert_existing", table, key, new, cur))
        elif op == "UPDATE":        # DATA: some changed column does not hold the old value here
            self.pending.append(("update", table, key, old, new, cur))
        else:                       # DATA on DELETE: the row was changed here
            self.pending.append(("delete", table, key, old, cur))
        return apsw.SQLITE_CHANGESET_OMIT

    # -- deciding -------------------------------------------------------------------------------
    def settle(self) -> None:
        """Decide every collected change (called after the apply, in the same transaction): first
        make one row of each thing held under two ids (storage/identities.py)."""
        for item in self.identities.settle(self.pending):
            getattr(self, "_" + item[0])(*item[1:])
        self.identities.finish()

    def _where(self, table: str, key: str) -> tuple[str, list]:
        pks = self.pks[table]
        parts = key.split("/") if len(pks) > 1 else [key]
        return " AND ".join(f"{c} = ?" for c in pks), parts

    def _current(self, table: str, key: str) -> dict | None:
        where, params = self._where(table, key)
        cols = self.columns[table]
        row = self.conn.execute(f"SELECT {', '.join(cols)} FROM {table} WHERE {where}", params).fetchone()
        return dict(zip(cols, row, strict=True)) if row else None

    def _set(self, table: str, key: str, values: dict) -> None:
        if not values:
            return
        where, params = self._where(table, key)
        sets = ", ".join(f"{c} = ?" for c in values)
        self.conn.execute(f"UPDATE {table} SET {sets} WHERE {where}", [*values.values(), *params])

    def history(self, table: str, key: str) -> list[tuple[dict, dict]]:
        """(before, after) of every logged change of the row, from every laptop's log."""
        if (table, key) not in self._history:
            ids = [key, *self.identities.aliases_of(table, key)]
            rows = self.conn.execute(
                "SELECT before, after, device, inspector, at, replica FROM audit_log WHERE entity = ?"
                f" AND entity_id IN ({', '.join('?' * len(ids))}) AND before IS NOT NULL AND after IS NOT NULL"
                " ORDER BY at", (table, *ids)).fetchall()
            self._history[(table, key)] = [(json.loads(b), json.loads(a), who) for b, a, *who in rows]
        return [(b, a) for b, a, _who in self._history[(table, key)]]

    def who_wrote(self, table: str, key: str, column: str, value, row: dict, replica: str) -> dict:
        """Who last set the cell to ``value`` and when, from the log (else the row's stamp)."""
        self.history(table, key)
        for _before, after, (device, inspector, at, rep) in reversed(self._history[(table, key)]):
            if column in after and _same(after[column], value):
                return {"value": value, "device": device, "inspector": inspector, "at": at, "replica": rep}
        return _candidate(value, row, replica)

    def replaced(self, table: str, key: str, column: str) -> set:
        """Values of a cell that some logged change replaced by another value."""
        out = set()
        for before, after in self.history(table, key):
            if column in before and column in after and before[column] != after[column]:
                out.add(_norm(before[column]))
        return out

    def _cell(self, table, key, column, here, there, there_row: dict, here_row: dict) -> str:
        """Decide one cell changed on both sides: 'here', 'there' or 'conflict'."""
        if here == there:
            return "here"
        gone = self.replaced(table, key, column)
        here_old, there_old = _norm(here) in gone, _norm(there) in gone
        if here_old and not there_old:
            return "there"
        if there_old and not here_old:
            return "here"
        self._conflict(table, key, column, "field", [
            self.who_wrote(table, key, column, here, here_row, self.local_replica()),
            self.who_wrote(table, key, column, there, there_row, self.sender.get("replica", "")),
        ])
        return "conflict"

    def local_replica(self) -> str:
        return self.conn.execute("SELECT id FROM sync_replica").fetchone()[0]

    def _merge_row(self, table: str, key: str, incoming: dict, base: dict | None) -> None:
        """Merge the incoming values of some columns into the row here, column by column (ids of
        rows given up for another id read as the kept id: storage/identities.py)."""
        cur = self._current(table, key)
        if cur is None:
            return
        incoming = self.identities.map_values(table, incoming)
        base = None if base is None else self.identities.map_values(table, base)
        if table == "sync_tombstone" or (table == "sync_conflict" and not (
                incoming.get("status") == "decided" and cur["status"] == "open")):
            self.result.count(table, "unchanged")   # the same removal / conflict seen on both sides
            return
        if table == "sync_conflict":                # decided elsewhere: take the decision
            self._set(table, key, {c: v for c, v in incoming.items() if c != "id"})
            return
        take, conflicted, changed = {}, False, False
        there_row = {**cur, **incoming}
        for col, there in incoming.items():
            if col in BOOKKEEPING or col in self.pks[table]:
                continue
            here = cur[col]
            if here == there:
                continue
            if col == "created_at":         # one row made on two laptops (storage/identities.py): the first
                if there is not None and str(there) < str(here or ""):
                    take[col] = there
                continue
            if base is not None and col in base and _same(base[col], here):
                take[col] = there           # changed there only
                continue
            verdict = (self._newest_list_side(cur["campaign_id"], base is None)
                       if table == "site" and col in SITE_LIST_COLUMNS else None)
            if verdict == "here":
                continue
            verdict = verdict or self._cell(table, key, col, here, there, there_row, cur)
            if verdict == "there":
                take[col] = there
            conflicted |= verdict == "conflict"
        if take:
            changed = True
            if "updated_at" in incoming and str(incoming["updated_at"]) > str(cur.get("updated_at") or ""):
                for col in BOOKKEEPING:
                    if col in incoming:
                        take[col] = incoming[col]
            self._set(table, key, take)
        if changed:
            self.result.count(table, "updated")
        elif not conflicted:
            self.result.count(table, "unchanged")

    def _newest_list_side(self, campaign_id: str, full: bool) -> str | None:
        """Which side's values of a site's list columns (:data:`SITE_LIST_COLUMNS`) stand: those
        of the side holding the campaign's newest site-list import (``import_run.created_at``).
        "there" when that import came with this package; "here" when it was here and the sender,
        whose full package (``full``) lists every import it holds, lacks it; else None (decided
        like any cell). These columns say where the last list had the site; they change without
        an audit entry, so the history rule cannot tell which value is older."""
        row = self.conn.execute("SELECT id FROM import_run WHERE campaign_id = ? ORDER BY created_at DESC, id DESC"
                                " LIMIT 1", (campaign_id,)).fetchone()
        if row is None:
            return None
        if row[0] not in self.runs_here:
            return "there"
        if full and row[0] not in self.runs_sent:
            return "here"
        return None

    def _update(self, table, key, old, new, cur) -> None:
        cols = self.columns[table]
        incoming = _plain(cols, new)
        base = _plain(cols, old)
        if table == "doc_number":
            self._same_number_use(self._current(table, key), incoming)
        self._merge_row(table, key, incoming, base)

    def _insert_existing(self, table, key, new, cur) -> None:
        cols = self.columns[table]
        if tuple(new) == tuple(cur):
            self.result.count(table, "unchanged")
            return
        if table == "doc_number":
            self._same_number_use(dict(zip(cols, cur, strict=True)), dict(zip(cols, new, strict=True)))
        self._merge_row(table, key, dict(zip(cols, new, strict=True)), None)

    def _same_number_use(self, here: dict | None, incoming: dict) -> None:
        """One number's ledger row met on both sides: fine when it is one use of the number seen at
        two moments (reserved, then issued or void); refused when it names two documents, a
        document and a void, or two laptops (docs/sync.md)."""
        if here is None:
            return
        there = {**here, **incoming}
        statuses = {here["status"], there["status"]}
        two_laptops = here.get("replica") and there.get("replica") and here["replica"] != there["replica"]
        if (here["sponsor_id"] == there["sponsor_id"] and here["campaign_id"] == there["campaign_id"]
                and statuses != {"issued", "void"} and not two_laptops
                and not (statuses == {"issued"} and here["notice_id"] != there["notice_id"])):
            return
        self._refuse_number(here, there)

    def _refuse_number(self, here: dict, there: dict) -> None:
        raise MergeRefused(
            f"同一文号 {here['doc_number']} 在两台电脑上用于不同的文书：本机{self._number_use(here)}；"
            f"工作包中{self._number_use(there)}。一个文号只能用于一份文书，作废的文号不再使用；工作包未合并。"
            "请负责人核对这两份文书，作废其中一份后重新编号")

    def _number_use(self, row: dict) -> str:
        """How one side used a number, in words: status, organisation, document day, who, when."""
        org = self.conn.execute("SELECT name FROM sponsor WHERE id = ?", (row["sponsor_id"],)).fetchone()
        org = org[0] if org else row["sponsor_id"]
        who = row.get("inspector") or row.get("device") or "?"
        when = str(row.get("updated_at") or "")[:10]
        if row["status"] == "issued":
            day = self.conn.execute("SELECT issued_on FROM notice WHERE id = ?", (row["notice_id"],)).fetchone()
            return f"签发给“{org}”（{day[0] if day else when}，{who}）"
        if row["status"] == "void":
            return f"已作废（原为“{org}”预留；原因：{row.get('reason') or '未写明'}；{who}，{when}）"
        return f"已预留给“{org}”（{who}，{when}）"

    def _delete(self, table, key, old, cur) -> None:
        """Removed there, but the row here differs from what was removed."""
        cols = self.columns[table]
        stale = True
        for i, col in enumerate(cols):
            if col in BOOKKEEPING or _same(old[i], cur[i]):
                continue
            gone = self.replaced(table, key, col)
            if not (_norm(cur[i]) in gone and _norm(old[i]) not in gone):
                stale = False
        if stale:
            where, params = self._where(table, key)
            self.conn.execute(f"DELETE FROM {table} WHERE {where}", params)
            self.result.count(table, "updated")
            return
        self._conflict(table, key, "", "removed_there", [
            _candidate("changed", dict(zip(cols, cur, strict=True)), self.local_replica()),
            _candidate("removed", self.sender, self.sender.get("replica", "")),
        ])

    def _update_missing(self, table, key, old, new) -> None:
        """Changed there, not here: removed here (a tombstone) or never arrived."""
        if self._removed_row_matches(table, key, {c: new[i] for i, c in enumerate(self.columns[table])
                                                    if new[i] is not apsw.no_change}):
            self.result.count(table, "unchanged")
            return
        self._conflict(table, key, "", "removed_here", [
            _candidate("removed", {}, self.local_replica()),
            {**_candidate("changed", self.sender, self.sender.get("replica", "")),
             "values": _plain(self.columns[table], new)},
        ])

    def _insert_removed(self, table, key, new) -> None:
        values = dict(zip(self.columns[table], new, strict=True))
        if self._removed_row_matches(table, key, values):
            self.result.count(table, "unchanged")
            return
        self._conflict(table, key, "", "removed_here", [
            _candidate("removed", {}, self.local_replica()),
            {**_candidate("changed", values, self.sender.get("replica", "")), "values": values},
        ])

    def _removed_row_matches(self, table, key, values: dict) -> bool:
        """True when the incoming values are no newer than the row as it was removed here."""
        row = self.conn.execute(
            "SELECT before FROM audit_log WHERE entity = ? AND entity_id = ? AND action = 'remove'"
            " ORDER BY at DESC LIMIT 1", (table, key)).fetchone()
        if row is None:
            return table not in audit.AUDITED_TABLES
        removed = json.loads(row[0])
        return all(_same(removed.get(c), v) for c, v in values.items() if c not in BOOKKEEPING)

    def _constraint(self, table, key, row) -> None:
        if table == "notice":
            values = dict(zip(self.columns[table], row, strict=True))
            here = self.conn.execute(
                "SELECT n.doc_number, s.name, n.issued_on FROM notice n JOIN sponsor s ON s.id = n.sponsor_id"
                " WHERE n.doc_number = ? OR (n.prefix = ? AND n.year = ? AND n.seq = ?)",
                (values["doc_number"], values["prefix"], values["year"], values["seq"])).fetchone()
            there = self.conn.execute("SELECT name FROM sponsor WHERE id = ?", (values["sponsor_id"],)).fetchone()
            if here:
                raise MergeRefused(
                    f"文号 {values['doc_number']} 会被用在两份文书上：本机已签发给“{here[1]}”（{here[2]}），"
                    f"工作包中签发给“{there[0] if there else values['sponsor_id']}”（{values['issued_on']}）；"
                    "工作包未合并。请由负责人核对两份文书，作废其中一份后重新编号")
        if table == "doc_number":
            values = dict(zip(self.columns[table], row, strict=True))
            cols = self.columns[table]
            here = self.conn.execute(
                f"SELECT {', '.join(cols)} FROM doc_number WHERE doc_number = ? OR (prefix = ? AND year = ? AND seq = ?)"
                " OR notice_id = ?", (values["doc_number"], values["prefix"], values["year"], values["seq"],
                                      values["notice_id"])).fetchone()
            if here:
                self._refuse_number(dict(zip(cols, here, strict=True)), values)
        raise MergeRefused(f"工作包中表 {table} 的记录 {key} 与本机数据的唯一性约束冲突；工作包未合并")

    def _conflict(self, table, key, column, kind, candidates) -> None:
        candidates = sorted(candidates, key=lambda c: json.dumps(c["value"], ensure_ascii=False, sort_keys=True,
                                                                 default=str))
        values = sorted(json.dumps(c["value"], ensure_ascii=False, sort_keys=True, default=str) for c in candidates)
        cid = hashlib.sha256(json.dumps([table, key, column, kind, values], ensure_ascii=False).encode()).hexdigest()[:32]
        exists = self.conn.execute("SELECT status FROM sync_conflict WHERE id = ?", (cid,)).fetchone()
        if exists is None:
            open_same = self.conn.execute(
                "SELECT id, candidates FROM sync_conflict WHERE entity = ? AND entity_id = ? AND column_name = ?"
                " AND status = 'open'", (table, key, column)).fetchone()
            if open_same is not None:       # a third value for a cell already in conflict
                known = json.loads(open_same[1])
                seen = {json.dumps(c["value"], sort_keys=True, default=str) for c in known}
                known += [c for c in candidates if json.dumps(c["value"], sort_keys=True, default=str) not in seen]
                self.conn.execute("UPDATE sync_conflict SET candidates = ? WHERE id = ?",
                                  (json.dumps(known, ensure_ascii=False, default=str), open_same[0]))
            else:
                now = _now(self.conn)
                self.conn.execute(
                    "INSERT INTO sync_conflict (id, entity, entity_id, column_name, kind, candidates, status,"
                    " created_at, updated_at, device, inspector) VALUES (?, ?, ?, ?, ?, ?, 'open', ?, ?, ?, ?)",
                    (cid, table, key, column, kind, json.dumps(candidates, ensure_ascii=False, default=str),
                     now, now, "", ""))
            self.result.count(table, "conflicts")
        else:
            self.result.count(table, "unchanged")

    # -- after the rows ---------------------------------------------------------------------------
    def apply_tombstones(self, received: list[tuple[str, str]]) -> None:
        """Remove rows for tombstones this package brought, unless that is a conflict."""
        open_rows = {(e, i) for e, i in self.conn.execute(
            "SELECT entity, entity_id FROM sync_conflict WHERE status = 'open' AND column_name = ''")}
        for table, key in received:
            if table not in self.pks or (table, key) in open_rows:
                continue
            where, params = self._where(table, key)
            if self.conn.execute(f"SELECT 1 FROM {table} WHERE {where}", params).fetchone():
                self.conn.execute(f"DELETE FROM {table} WHERE {where}", params)
                self.result.count(table, "updated")

    def apply_decisions(self) -> None:
        """Rows a person decided to remove (on any laptop) go here too."""
        for table, key in self.conn.execute(
                "SELECT entity, entity_id FROM sync_conflict WHERE status = 'decided' AND column_name = ''"
                " AND decided_value = '\"removed\"'").fetchall():
            if table in self.pks:
                where, params = self._where(table, key)
                if self.conn.execute(f"SELECT 1 FROM {table} WHERE {where}", params).fetchone():
                    self.conn.execute(f"DELETE FROM {table} WHERE {where}", params)
                    self.result.count(table, "updated")

    def orphans(self) -> list[str]:
        """Rows whose parent is missing after the merge (foreign_key_check), as Chinese lines."""
        out = []
        for table, rowid, parent, _fk in self.conn.execute("PRAGMA foreign_key_check"):
            out.append(f"表 {table} 的第 {rowid} 行引用的 {parent} 记录不存在")
        return out


def _norm(value):
    """A cell value in the form the audit log's JSON gives it back."""
    return json.loads(json.dumps(value, default=str))


def _same(a, b) -> bool:
    return _norm(a) == _norm(b)


def _plain(cols, values) -> dict:
    return {c: v for c, v in zip(cols, values, strict=True) if v is not apsw.no_change}


def _candidate(value, row: dict, replica: str) -> dict:
    return {"value": value, "device": row.get("device", ""), "inspector": row.get("inspector", ""),
            "at": row.get("updated_at") or row.get("created_at") or "", "replica": replica}


def _now(conn) -> str:
    return conn.execute("SELECT strftime('%Y-%m-%dT%H:%M:%fZ', 'now')").fetchone()[0]


def merge(db: Path, changeset: bytes, sender: dict, *, device: str, inspector: str,
          details: dict, partner: tuple[str, str, str, str] | None = None) -> MergeResult:
    """Apply a partner's ``changeset`` to ``db`` in one transaction (all or nothing).

    Args:
        sender: {"replica", "device", "inspector", "created_at"} from the package manifest.
        device, inspector: who merges (for the audit entry).
        details: written into the 'merge' audit entry (package id, file name…).
        partner: (replica, device, inspector, package id) recorded in ``sync_partner`` in the same
            transaction (the package id is sent back as the acknowledgement).

    Raises:
        MergeRefused: one 文号 would be on two documents (or on a document and a void), a block
            of numbers overlaps another or covers numbers used outside it (storage/number_rules.py),
            another uniqueness rule breaks, or the merge leaves rows whose parent is missing;
            nothing is changed.
    """
    conn = connect(db, device=device, inspector=inspector)
    try:
        conn.execute("PRAGMA foreign_keys=OFF")    # cascades must not remove rows only this side has
        audit.set_enabled(conn, False)             # the package brings its own log entries
        merger = _Merger(conn, changeset, sender)
        totals = Counter()
        received_tombstones = []
        evidence = []
        for change in apsw.Changeset.iter(changeset):
            totals[(change.name, change.op)] += 1
            if change.name == "sync_tombstone" and change.op == "INSERT":
                received_tombstones.append((change.new[0], change.new[1]))
            if change.name == "evidence" and change.op == "INSERT":
                evidence.append((change.new[4], change.new[7]))
        with conn:
            apsw.Changeset.apply(changeset, conn, filter_change=merger.keep_change, conflict=merger.on_conflict)
            for (table, op), n in totals.items():
                applied = n - merger.handled[(table, op)] - merger.filtered[(table, op)]
                merger.result.count(table, "added" if op == "INSERT" else "updated", applied)
            merger.settle()
            merger.apply_tombstones(received_tombstones)
            merger.apply_decisions()
            crash_point("merge-applied")
            problems = merger.orphans()
            if problems:
                raise MergeRefused("合并后有记录缺少其上级记录，工作包未合并：" + "；".join(problems[:5]))
            problems = number_rules.problems(conn)
            if problems:
                raise MergeRefused("工作包中的文号或文号段与本机记录矛盾，工作包未合并：" + "；".join(problems)
                                   + "。请负责人核对文号段的分配（协作与备份 → 文号段）")
            for campaign_id in merger.identities.campaigns:
                campaign_count_repo.recount(conn, campaign_id)
            audit.set_enabled(conn, True)
            merger.identities.record(audit)
            audit.record(conn, "merge", "package", details.get("package", ""), None,
                         {**details, **merger.result.as_dict()})
            if partner is not None:
                conn.execute(
                    "INSERT INTO sync_partner (replica, device, inspector, last_received, last_received_at)"
                    " VALUES (?, ?, ?, ?, ?) ON CONFLICT (replica) DO UPDATE SET device = excluded.device,"
                    " inspector = excluded.inspector, last_received = excluded.last_received,"
                    " last_received_at = excluded.last_received_at", (*partner, _now(conn)))
        merger.result.evidence = evidence
        return merger.result
    finally:
        conn.close()
