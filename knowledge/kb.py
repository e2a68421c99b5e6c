"""Knowledge-base entries (schema v2): load and validate ``knowledge/data/*.yaml``.

Each file holds ``entries:``, a list of entries (docs/CONTRACTS.md, "KB entry"): ``id, kind
(procedure | faq | refusal), topic, title, answer, aspects{...}, questions[], legal_basis[{doc,
article, note?}], source{title, ref, date}, official_page, verified, tags[], valid_from,
valid_until, successor, supersedes, history``. A ``refusal`` entry describes a question the
assistant does not handle (land, inheritance, tax...) and names the body that does; it needs
no legal basis.

:func:`validate_entries` lists every structural problem (the data tests fail on any);
:func:`load_entries` skips invalid entries with a warning so that one bad entry never takes
the assistant down. Date-dependent checks (age of ``verified``, expiring rules, bodies that no
longer exist) live in :mod:`knowledge.audit`.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from knowledge.dated import longest, without_until
from knowledge.dated import problems as dated_problems
from knowledge.normalize import folded_words
from troly06.yamlfile import read_yaml

log = logging.getLogger(__name__)

ID_RE = re.compile(r"^[a-z0-9][a-z0-9_\-.]*$")
MIN_QUESTIONS = 6
MIN_ANSWER_CHARS = 40
MAX_ANSWER_WORDS = 220  # the schema asks for 40-200 words; this bound catches pasted documents
KINDS = ("procedure", "faq", "refusal")
TOPICS = ("can_cuoc", "dinh_danh", "cu_tru", "ho_tich", "ho_chieu", "xe", "gplx", "lltp",
          "bhxh_bhyt", "an_sinh", "ngan_hang_sim", "phat", "chinh_quyen", "du_lieu_ca_nhan",
          "lua_dao", "de_an_06", "ho_tro", "out_of_domain")
ASPECTS = ("who", "where", "documents", "online_steps", "fee", "processing_time",
           "result_validity")


class KBError(ValueError):
    """The knowledge-base files cannot be read (bad YAML, duplicate ids...)."""


@dataclass(frozen=True)
class LegalBasis:
    """One legal text an entry rests on: the document and the article; ``note``: what is not
    checked yet ("số điều chưa xác minh"), for the audit and the review, never shown;
    ``valid_until``: the last day it applies (a fee waiver's circular), after which the
    answer no longer cites it."""

    doc: str
    article: str
    note: str = ""
    valid_until: str = ""

    def label(self) -> str:
        """"Điều 24 Luật Căn cước số 26/2023/QH15"."""
        return f"{self.article} {self.doc}".strip()


@dataclass(frozen=True)
class Entry:
    """One curated entry: a procedure, an FAQ, or a refusal naming the right body."""

    id: str
    title: str
    answer: str
    questions: tuple[str, ...]
    source_title: str
    source_ref: str
    source_date: str = ""
    kind: str = "faq"
    topic: str = ""
    aspects: dict[str, str] = field(default_factory=dict, compare=False, hash=False)
    legal_basis: tuple[LegalBasis, ...] = ()
    official_page: str = ""
    verified: str = ""
    tags: tuple[str, ...] = ()
    valid_from: str = ""
    valid_until: str = ""
    successor: str = ""
    supersedes: str = ""
    history: bool = False
    file: str = ""


def kb_files(kb_dir: Path) -> list[Path]:
    """The YAML files of the knowledge base, sorted by name."""
    if not kb_dir.is_dir():
        return []
    return sorted(p for p in kb_dir.iterdir()
                  if p.suffix in (".yaml", ".yml") and p.is_file())


def read_raw(kb_dir: Path) -> list[tuple[str, dict[str, Any]]]:
    """(file name, raw entry dict) for every entry; raises :class:`KBError` on bad YAML."""
    out: list[tuple[str, dict[str, Any]]] = []
    for path in kb_files(kb_dir):
        try:
            data = read_yaml(path)
        except (yaml.YAMLError, UnicodeDecodeError) as exc:
            raise KBError(f"{path.name}: invalid YAML: {exc}") from exc
        if data is None:
            continue
        if not isinstance(data, dict) or not isinstance(data.get("entries"), list):
            raise KBError(f"{path.name}: expected a mapping with an 'entries' list")
        for item in data["entries"]:
            out.append((path.name, item))
    return out


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _is_date(value: Any) -> bool:
    if isinstance(value, date):
        return True
    try:
        date.fromisoformat(_text(value))
    except ValueError:
        return False
    return True


def _iso(value: Any) -> str:
    """An ISO date string ('' when empty); YAML may give a ``date`` already."""
    return value.isoformat() if isinstance(value, date) else _text(value)


def _legal_problems(item: dict[str, Any]) -> list[str]:
    basis = item.get("legal_basis")
    if item.get("kind") == "refusal" and not basis:
        return []
    if not isinstance(basis, list) or not basis:
        return ["no legal_basis (a document and an article)"]
    problems = [f"legal_basis #{i + 1} needs doc and article" for i, b in enumerate(basis)
                if not isinstance(b, dict) or not _text(b.get("doc"))
                or not _text(b.get("article"))]
    problems += [f"legal_basis #{i + 1}: valid_until must be a date" for i, b in enumerate(basis)
                 if isinstance(b, dict) and b.get("valid_until") not in (None, "")
                 and not _is_date(b.get("valid_until"))]
    if problems:
        return problems
    ends = [_iso(b.get("valid_until")) for b in basis]
    # the answer would be served after its last legal basis stopped applying
    if all(ends) and (not item.get("valid_until") or _iso(item.get("valid_until")) > max(ends)):
        problems.append(f"every legal basis ends by {max(ends)}, the entry does not")
    return problems


def _aspect_problems(item: dict[str, Any]) -> list[str]:
    aspects = item.get("aspects")
    if aspects is None:
        return ["procedure without aspects"] if item.get("kind") == "procedure" else []
    if not isinstance(aspects, dict) or not aspects:
        return ["aspects must be a non-empty mapping"]
    problems = [f"unknown aspect {k!r}" for k in aspects if k not in ASPECTS]
    problems += [f"aspect {k} is empty" for k, v in aspects.items() if not _text(v)]
    return problems


def _date_problems(item: dict[str, Any]) -> list[str]:
    problems: list[str] = []
    if not _is_date(item.get("verified")):
        problems.append("verified must be a date (YYYY-MM-DD)")
    for key in ("valid_from", "valid_until"):
        if item.get(key) not in (None, "") and not _is_date(item.get(key)):
            problems.append(f"{key} must be a date or null")
    if item.get("valid_until") not in (None, "") and not _text(item.get("successor")) \
            and not item.get("history"):
        problems.append("valid_until without a successor")
    return problems


def entry_problems(item: Any) -> list[str]:
    """Everything structurally wrong with one raw entry (empty list when valid)."""
    if not isinstance(item, dict):
        return ["entry is not a mapping"]
    problems: list[str] = []
    eid = _text(item.get("id"))
    if not eid or not ID_RE.match(eid):
        problems.append(f"bad id {eid!r} (lower-case ASCII, digits, _ - .)")
    if item.get("kind") not in KINDS:
        problems.append(f"kind must be one of {', '.join(KINDS)}")
    if item.get("topic") not in TOPICS:
        problems.append(f"unknown topic {item.get('topic')!r}")
    for key in ("title", "answer"):
        if not _text(item.get(key)):
            problems.append(f"missing {key}")
    answer = _text(item.get("answer"))
    # what is left of the answer on any day must still be an answer
    if answer and len(without_until(answer)) < MIN_ANSWER_CHARS:
        problems.append(f"answer shorter than {MIN_ANSWER_CHARS} characters")
    if len(longest(answer).split()) > MAX_ANSWER_WORDS:
        problems.append(f"answer longer than {MAX_ANSWER_WORDS} words")
    questions = item.get("questions")
    if not isinstance(questions, list) or len([q for q in questions if _text(q)]) < MIN_QUESTIONS:
        problems.append(f"fewer than {MIN_QUESTIONS} questions")
    source = item.get("source")
    if not isinstance(source, dict) or not _text(source.get("title")) \
            or not _text(source.get("ref")):
        problems.append("source needs title and ref")
    if item.get("kind") != "refusal" and not _text(item.get("official_page")):
        problems.append("no official_page")
    tags = item.get("tags", [])
    if tags is not None and not isinstance(tags, list):
        problems.append("tags must be a list")
    problems += _legal_problems(item) + _aspect_problems(item) + _date_problems(item)
    # dated spans belong in the answer and the aspects; a title or a question is read as is
    read_as_is = [_text(item.get("title"))]
    read_as_is += [_text(q) for q in questions] if isinstance(questions, list) else []
    shown = [answer]
    shown += [_text(v) for v in (item.get("aspects") or {}).values()] \
        if isinstance(item.get("aspects"), dict) else []
    problems += [f"text not NFC: {t[:40]!r}" for t in read_as_is + shown
                 if t != unicodedata.normalize("NFC", t)]
    problems += [p for t in shown for p in dated_problems(t)]
    problems += [f"dated span outside the answer and aspects: {t[:40]!r}"
                 for t in read_as_is if "[[" in t]
    return problems


def validate_entries(kb_dir: Path) -> list[str]:
    """All structural problems in the knowledge base, as "file: id: problem" lines
    (including successors and supersedes that name no entry)."""
    problems: list[str] = []
    seen: dict[str, str] = {}
    # a not-sure reply offers entry titles as buttons and tapping one asks that title, so two
    # entries must never share one (compared folded: "Hộ chiếu" = "ho chieu")
    titles: dict[str, str] = {}
    raw = read_raw(kb_dir)
    for name, item in raw:
        eid = _text(item.get("id")) if isinstance(item, dict) else "?"
        for problem in entry_problems(item):
            problems.append(f"{name}: {eid}: {problem}")
        if eid in seen:
            problems.append(f"{name}: {eid}: duplicate id (also in {seen[eid]})")
        seen.setdefault(eid, name)
        title = folded_words(_text(item.get("title"))).strip() if isinstance(item, dict) else ""
        if title and title in titles and titles[title] != eid:
            problems.append(f"{name}: {eid}: same title as {titles[title]}")
        titles.setdefault(title, eid)
    for name, item in raw:
        if not isinstance(item, dict):
            continue
        for key in ("successor", "supersedes"):
            target = _text(item.get(key))
            if target and target not in seen:
                problems.append(f"{name}: {_text(item.get('id'))}: {key} {target!r} "
                                "is not an entry")
    return problems


def _to_entry(name: str, item: dict[str, Any]) -> Entry:
    source = item.get("source") or {}
    aspects = item.get("aspects") or {}
    return Entry(
        id=_text(item["id"]),
        kind=_text(item.get("kind")) or "faq",
        topic=_text(item.get("topic")),
        title=_text(item["title"]),
        answer=_text(item["answer"]),
        aspects={k: _text(v) for k, v in aspects.items() if k in ASPECTS and _text(v)},
        questions=tuple(_text(q) for q in item.get("questions") or [] if _text(q)),
        legal_basis=tuple(LegalBasis(_text(b.get("doc")), _text(b.get("article")),
                                     _text(b.get("note")), _iso(b.get("valid_until")))
                          for b in item.get("legal_basis") or [] if isinstance(b, dict)),
        source_title=_text(source.get("title")),
        source_ref=_text(source.get("ref")),
        source_date=_iso(source.get("date")),
        official_page=_text(item.get("official_page")),
        verified=_iso(item.get("verified")),
        tags=tuple(_text(t) for t in item.get("tags") or []),
        valid_from=_iso(item.get("valid_from")),
        valid_until=_iso(item.get("valid_until")),
        successor=_text(item.get("successor")),
        supersedes=_text(item.get("supersedes")),
        history=bool(item.get("history")),
        file=name,
    )


# Problems that make an entry unusable; the others (a short question list, a long answer,
# an unknown tag...) are data-quality findings that validate_entries reports.
_FATAL = ("bad id", "missing", "answer shorter", "source needs", "no legal_basis",
          "entry is not")


def load_entries(kb_dir: Path) -> list[Entry]:
    """Valid entries of the knowledge base; invalid ones and later duplicates are skipped."""
    entries: list[Entry] = []
    seen: set[str] = set()
    for name, item in read_raw(kb_dir):
        fatal = [p for p in entry_problems(item) if p.startswith(_FATAL)]
        if fatal:
            log.warning("skipping KB entry in %s: %s", name, "; ".join(fatal))
            continue
        entry = _to_entry(name, item)
        if entry.id in seen:
            log.warning("skipping duplicate KB entry id %s in %s", entry.id, name)
            continue
        seen.add(entry.id)
        entries.append(entry)
    return entries
