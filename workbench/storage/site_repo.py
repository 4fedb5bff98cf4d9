"""Storing imported websites and their sponsors, and reading them back page by page."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field, replace
from datetime import date

from workbench.domain.site import Domain, SiteRecord
from workbench.storage.records import Author, iso, new_id, utc_now


@dataclass
class ChangeReport:
    """What storing a site list changed in a campaign.

    Attributes:
        added: site filing numbers stored for the first time.
        changed: site filing number -> {field: [old, new]} for sites whose filed values changed.
        unchanged: how many sites were already stored with the same values.
        missing: site filing numbers stored before but absent from this list (kept, marked absent).
        kept: field → how many sites kept their stored value of it because the list had no
            column for it (see ``absent`` of :func:`store_site_list`).
    """

    added: list[str] = field(default_factory=list)
    changed: dict[str, dict[str, list]] = field(default_factory=dict)
    unchanged: int = 0
    missing: list[str] = field(default_factory=list)
    kept: dict[str, int] = field(default_factory=dict)


def _sponsor_key(rec: SiteRecord) -> str:
    return rec.subject_filing_no or f"name:{rec.sponsor_name}"


def _sponsor_fields(rec: SiteRecord) -> dict:
    return {"sponsor_name": rec.sponsor_name, "sponsor_nature": rec.sponsor_nature, "uscc": rec.uscc}


_BAD_CODE_FLAGS = frozenset({"uscc_check_digit", "id_check_digit", "uscc_invalid"})


def _sponsor_values(records: list[SiteRecord]) -> dict[str, dict]:
    """The values each sponsor is stored with: those of the first row listing its subject, except
    that a USCC failing its check digit (GB 32100-2015) gives way to the first valid one among
    the sponsor's rows. Later rows that disagree are flagged ``sponsor_mismatch`` by the importer;
    each site is compared with these values, so such rows never report changes on re-import."""
    final: dict[str, dict] = {}
    for r in records:
        key = _sponsor_key(r)
        if key not in final:
            final[key] = {**_sponsor_fields(r), "_bad_code": bool(_BAD_CODE_FLAGS & set(r.flags))}
        elif final[key]["_bad_code"] and r.uscc and not _BAD_CODE_FLAGS & set(r.flags):
            final[key].update(uscc=r.uscc, _bad_code=False)
    for values in final.values():
        del values["_bad_code"]
    return final


def _existing(conn: sqlite3.Connection, campaign_id: str) -> dict[str, tuple[str, dict]]:
    """site filing no -> (site id, comparable dict) for every site of the campaign."""
    rows = conn.execute(
        """SELECT s.*, p.name AS sponsor_name, p.nature AS sponsor_nature, p.uscc AS uscc,
                  (SELECT json_group_array(domain) FROM
                      (SELECT domain FROM site_domain d WHERE d.site_id = s.id ORDER BY position))
                  AS domains
           FROM site s JOIN sponsor p ON p.id = s.sponsor_id WHERE s.campaign_id = ?""",
        (campaign_id,),
    )
    out = {}
    for r in rows:
        comparable = {
            "subject_filing_no": r["subject_filing_no"], "sponsor_name": r["sponsor_name"],
            "sponsor_nature": r["sponsor_nature"], "uscc": r["uscc"], "city": r["city"],
            "site_name": r["name"], "domains": json.loads(r["domains"]), "homepage": r["homepage"],
            "access_provider": r["access_provider"], "ip": r["ip"],
            "contact_name": r["contact_name"], "contact_phone": r["contact_phone"],
            "email": r["email"], "approved_on": r["approved_on"],
            "psb_filing_no": r["psb_filing_no"], "remark": r["remark"],
        }
        out[r["site_filing_no"]] = (r["id"], comparable)
    return out


def _sponsor_ids(conn: sqlite3.Connection, campaign_id: str) -> dict[str, str]:
    rows = conn.execute(
        "SELECT id, name, subject_filing_no FROM sponsor WHERE campaign_id = ?", (campaign_id,)
    )
    return {(r["subject_filing_no"] or f"name:{r['name']}"): r["id"] for r in rows}


def search_text(rec: SiteRecord, sponsor: dict) -> str:
    """The site's lower-cased search column (see db/migrations/0004_site_search_text.sql)."""
    parts = [rec.site_filing_no, rec.site_name, sponsor["sponsor_name"], sponsor["uscc"],
             rec.access_provider, rec.city]
    parts += [part for d in rec.domains for part in (d.name, d.ascii)]
    return "\x1f".join(parts).lower()


def _site_values(rec: SiteRecord, sponsor: dict) -> dict:
    return {
        "search_text": search_text(rec, sponsor),
        "site_filing_no": rec.site_filing_no, "subject_filing_no": rec.subject_filing_no,
        "name": rec.site_name, "homepage": rec.homepage, "access_provider": rec.access_provider,
        "ip": rec.ip, "contact_name": rec.contact_name, "contact_phone": rec.contact_phone,
        "email": rec.email, "approved_on": iso(rec.approved_on), "psb_filing_no": rec.psb_filing_no,
        "city": rec.city, "remark": rec.remark, "flags": json.dumps(list(rec.flags)),
        "source_row": rec.source_row,
        "sort_sponsor": sponsor["sponsor_name"], "flag_count": len(rec.flags),   # sort keys (0011)
    }


def store_site_list(
    conn: sqlite3.Connection, campaign_id: str, records: Iterable[SiteRecord], author: Author,
    absent: Collection[str] = (),
) -> ChangeReport:
    """Upsert ``records`` into the campaign and report what changed (call inside a transaction).

    Sponsors (主办单位) are keyed by subject filing number (主体备案号), or by name when a row has
    none; their values follow :func:`_sponsor_values` over the latest list. Reviews and findings already
    recorded for a site are never touched; a site absent from the new list is kept with
    ``present = 0`` and reported as missing.

    ``absent`` names the fields (keys of ``SiteRecord.comparable``) the list has no column for:
    a missing column means "not provided", not "now empty", so a stored site keeps its value of
    such a field wherever the new one is empty (counted in ``kept``; issue 9).
    """
    records = list(records)
    absent = frozenset(absent)
    existing = _existing(conn, campaign_id)
    sponsors = _sponsor_ids(conn, campaign_id)
    final = _sponsor_values(records)
    now = utc_now()
    who = (author.device, author.inspector)
    report = ChangeReport()
    seen: set[str] = set()
    for rec in records:
        seen.add(rec.site_filing_no)
        old = existing.get(rec.site_filing_no)
        sponsor = final[_sponsor_key(rec)]
        if old is not None and absent:
            rec, sponsor = _keep_stored(conn, rec, sponsor, old, absent, report.kept)
        sponsor_id = _upsert_sponsor(conn, campaign_id, rec, sponsor, sponsors, now, who)
        values = _site_values(rec, sponsor)
        if old is None:
            site_id = new_id()
            cols = ["id", "campaign_id", "sponsor_id", *values, "created_at", "updated_at", "device", "inspector"]
            conn.execute(
                f"INSERT INTO site ({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)})",
                [site_id, campaign_id, sponsor_id, *values.values(), now, now, *who],
            )
            _replace_domains(conn, site_id, rec)
            report.added.append(rec.site_filing_no)
            continue
        site_id, before = old
        now_values = {**rec.comparable(), **sponsor}
        diff = {k: [before[k], v] for k, v in now_values.items() if before[k] != v}
        if not diff:
            conn.execute(
                "UPDATE site SET present = 1, flags = ?, flag_count = ?, source_row = ?, search_text = ?"
                " WHERE id = ?",
                (values["flags"], values["flag_count"], rec.source_row, values["search_text"], site_id),
            )
            report.unchanged += 1
            continue
        sets = ", ".join(f"{k} = ?" for k in values)
        conn.execute(
            f"UPDATE site SET {sets}, sponsor_id = ?, present = 1, updated_at = ?, device = ?,"
            " inspector = ? WHERE id = ?",
            [*values.values(), sponsor_id, now, *who, site_id],
        )
        _replace_domains(conn, site_id, rec)
        report.changed[rec.site_filing_no] = diff
    report.missing = sorted(set(existing) - seen)
    conn.executemany(
        "UPDATE site SET present = 0, updated_at = ? WHERE campaign_id = ? AND site_filing_no = ?",
        [(now, campaign_id, no) for no in report.missing],
    )
    return report


_EMPTY = ("", None, [])


def _keep_stored(conn: sqlite3.Connection, rec: SiteRecord, sponsor: dict, old: tuple[str, dict],
                 absent: frozenset[str], kept: dict[str, int]) -> tuple[SiteRecord, dict]:
    """``rec`` and its sponsor values with the stored value of every ``absent`` field whose new
    value is empty; counts each kept non-empty value in ``kept``."""
    site_id, before = old
    now = {**rec.comparable(), **sponsor}
    changes: dict = {}
    sponsor = dict(sponsor)
    for name in absent:
        if name not in before or now.get(name) not in _EMPTY or before[name] in _EMPTY:
            continue
        kept[name] = kept.get(name, 0) + 1
        if name in sponsor:
            sponsor[name] = before[name]
        elif name == "approved_on":
            changes[name] = date.fromisoformat(before[name])
        elif name == "domains":
            changes[name] = tuple(Domain(r[0], r[1]) for r in conn.execute(
                "SELECT domain, ascii FROM site_domain WHERE site_id = ? ORDER BY position", (site_id,)))
        else:
            changes[name] = before[name]
    return (replace(rec, **changes) if changes else rec), sponsor


def _upsert_sponsor(conn, campaign_id, rec: SiteRecord, first: dict, sponsors: dict, now: str, who) -> str:
    """The sponsor's id, inserting it or bringing it to ``first`` (its first row's values)."""
    key = _sponsor_key(rec)
    values = (first["sponsor_name"], first["sponsor_nature"], first["uscc"], rec.subject_filing_no, rec.city)
    sponsor_id = sponsors.get(key)
    if sponsor_id is None:
        sponsor_id = new_id()
        sponsors[key] = sponsor_id
        conn.execute(
            "INSERT INTO sponsor (id, campaign_id, name, nature, uscc, subject_filing_no, city,"
            " created_at, updated_at, device, inspector) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            (sponsor_id, campaign_id, *values, now, now, *who),
        )
    else:
        conn.execute(
            "UPDATE sponsor SET name = ?, nature = ?, uscc = ?, subject_filing_no = ?, city = ?,"
            " updated_at = ?, device = ?, inspector = ? WHERE id = ? AND"
            " (name, nature, uscc, subject_filing_no, city) IS NOT (?, ?, ?, ?, ?)",
            (*values, now, *who, sponsor_id, *values),
        )
    return sponsor_id


def _replace_domains(conn: sqlite3.Connection, site_id: str, rec: SiteRecord) -> None:
    conn.execute("DELETE FROM site_domain WHERE site_id = ?", (site_id,))
    conn.executemany(
        "INSERT OR IGNORE INTO site_domain (id, site_id, domain, ascii, position) VALUES (?,?,?,?,?)",
        [(new_id(), site_id, d.name, d.ascii, i) for i, d in enumerate(rec.domains)],
    )
