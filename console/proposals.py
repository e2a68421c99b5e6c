"""Knowledge-base proposals: a KB editor proposes (or revises) an entry, a second person
reviews it, and an approved entry is published into ``<kb_dir>/console_published.yaml``.
The caller then rebuilds the index (:func:`knowledge.build_index` swaps the new index in
atomically, so the old one answers until the new one is ready: no downtime)."""

from __future__ import annotations

import json
import os
import tempfile
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from handoff.db import aware, engine, now
from handoff.models import Proposal
from knowledge.kb import entry_problems, read_raw
from knowledge.normalize import folded_words
from troly06.yamlfile import read_yaml

PUBLISHED_FILE = "console_published.yaml"
FIELDS = ("id", "kind", "topic", "title", "answer", "aspects", "questions", "legal_basis",
          "source", "official_page", "verified", "tags", "valid_from", "valid_until")


class ProposalError(Exception):
    """A proposal refused: ``code`` (``invalid``, ``same_person``, ``not_approved``…)."""

    def __init__(self, code: str, problems: list[str] | None = None, status: int = 409) -> None:
        super().__init__(code)
        self.code = code
        self.problems = problems or []
        self.status = status


@dataclass(frozen=True)
class ProposalView:
    id: int
    entry_id: str
    entry: dict[str, Any]
    status: str
    author: str
    reviewer: str | None
    note: str
    created_at: datetime
    reviewed_at: datetime | None
    published_at: datetime | None

    def to_dict(self) -> dict[str, Any]:
        out = dict(self.__dict__)
        for key in ("created_at", "reviewed_at", "published_at"):
            out[key] = out[key].isoformat() if out[key] else None
        return out


def _view(p: Proposal) -> ProposalView:
    return ProposalView(p.id, p.entry_id, json.loads(p.body), p.status, p.author, p.reviewer,
                        p.note, aware(p.created_at), aware(p.reviewed_at),  # type: ignore[arg-type]
                        aware(p.published_at))


def _nfc(value: Any) -> Any:
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value.strip())
    if isinstance(value, list):
        return [_nfc(v) for v in value]
    if isinstance(value, dict):
        return {k: _nfc(v) for k, v in value.items()}
    return value


def clean_entry(body: dict[str, Any]) -> dict[str, Any]:
    """The entry's known fields, NFC, in schema order."""
    return {k: _nfc(body[k]) for k in FIELDS if k in body and body[k] not in (None, "", [], {})}


def propose(url: str, author: str, body: dict[str, Any], kb_dir: Path) -> ProposalView:
    """Store a proposal for review; ProposalError("invalid", problems) when the entry is
    not a valid schema-v2 entry, ("id_exists") for an id of a curated KB file, or
    ("title_exists") for the title of another entry (a not-sure reply's button asks an
    entry's title, so two entries sharing one would make the KB fail validation)."""
    entry = clean_entry(body)
    entry.setdefault("tags", [])
    problems = entry_problems(entry)
    if problems:
        raise ProposalError("invalid", problems, 422)
    curated = {str(item.get("id")) for name, item in read_raw(kb_dir)
               if name != PUBLISHED_FILE and isinstance(item, dict)}
    if entry["id"] in curated:
        raise ProposalError("id_exists", [f"{entry['id']} is a curated entry"], 409)
    title = folded_words(str(entry["title"])).strip()
    clash = [str(item.get("id")) for _, item in read_raw(kb_dir) if isinstance(item, dict)
             and item.get("id") != entry["id"]
             and folded_words(str(item.get("title", ""))).strip() == title]
    if clash:
        raise ProposalError("title_exists", [f"same title as {clash[0]}"], 409)
    with Session(engine(url), expire_on_commit=False) as s:
        row = Proposal(entry_id=entry["id"], body=json.dumps(entry, ensure_ascii=False),
                       status="pending", author=author, created_at=now(), note="")
        s.add(row)
        s.commit()
        return _view(row)


def list_proposals(url: str, limit: int = 100) -> list[ProposalView]:
    with Session(engine(url)) as s:
        return [_view(p) for p in s.scalars(select(Proposal).order_by(Proposal.id.desc())
                                            .limit(limit))]


def get_proposal(url: str, proposal_id: int) -> ProposalView:
    with Session(engine(url)) as s:
        row = s.get(Proposal, proposal_id)
        if row is None:
            raise ProposalError("not_found", status=404)
        return _view(row)


def review(url: str, proposal_id: int, reviewer: str, approve: bool, note: str = ""
           ) -> ProposalView:
    """Approve or reject a pending proposal; the author cannot review their own."""
    with Session(engine(url), expire_on_commit=False) as s:
        row = s.get(Proposal, proposal_id)
        if row is None:
            raise ProposalError("not_found", status=404)
        if row.status != "pending":
            raise ProposalError("not_pending")
        if row.author == reviewer:
            raise ProposalError("same_person", status=403)
        row.status = "approved" if approve else "rejected"
        row.reviewer, row.note, row.reviewed_at = reviewer, note[:1000], now()
        s.commit()
        return _view(row)


def publish(url: str, proposal_id: int, kb_dir: Path) -> ProposalView:
    """Write an approved proposal into the published file (replacing an entry with its id)."""
    with Session(engine(url), expire_on_commit=False) as s:
        row = s.get(Proposal, proposal_id)
        if row is None:
            raise ProposalError("not_found", status=404)
        if row.status != "approved":
            raise ProposalError("not_approved")
        write_entry(kb_dir / PUBLISHED_FILE, json.loads(row.body))
        row.status, row.published_at = "published", now()
        s.commit()
        return _view(row)


def write_entry(path: Path, entry: dict[str, Any]) -> None:
    """Add or replace ``entry`` in the YAML file at ``path`` (atomic rename)."""
    entries: list[dict[str, Any]] = []
    if path.exists():
        data = read_yaml(path) or {}
        entries = [e for e in data.get("entries", []) if e.get("id") != entry["id"]]
    entries.append(entry)
    text = ("# Entries published from the operator console after a second person's review\n"
            "# (console/proposals.py). Edit through the console, not by hand.\n"
            + yaml.safe_dump({"entries": entries}, allow_unicode=True, sort_keys=False,
                             width=100))
    fd, tmp = tempfile.mkstemp(prefix=".kb-", suffix=".tmp", dir=path.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    os.replace(tmp, path)
