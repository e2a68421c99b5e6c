"""Score answers to the real-question eval (``tests/data/real_questions.jsonl``).

Each row was copied from a public page by a collector who never saw the KB, with the key
facts of the page's published answer (current law). A reply is:

* **correct**: answered, and at least one key fact appears in the reply;
* **confidently wrong**: answered, and no key fact appears;
* **not sure**: the honest "I don't know, ask here" reply;
* for an out-of-domain row, **refused** when the reply is a refusal or a not-sure.

A not-sure reply offers up to three entry titles as buttons. An in-scope not-sure row is
also scored **one tap away** when asking one of them (what tapping the button sends) gets an
answer holding a key fact: the citizen reaches the fact with one more tap, not by retyping.

Key facts are matched on folded text (no diacritics, lower case), with number formats
unified ("07" = "7", "500.000" = "500000"). That strict match misses a fact written another
way ("khi đến tuổi 25, 40, 60" for "25 tuổi") and can hit one written in another context, so
a second, **judged** figure uses the verdicts of an independent judge
(``real_questions_judged.jsonl``): for a question and an entry, does the entry's answer state
a key fact of the page's answer, in any words? The judge sees the question, its key facts and
up to four entries' answers in random order, never which one the system picked, its scores,
or the KB otherwise; an answered entry without a verdict keeps the strict result. Used by
``bench/kb_eval.py --real``.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from knowledge.normalize import strip_diacritics

REAL = Path(__file__).resolve().parent.parent / "tests" / "data" / "real_questions.jsonl"
JUDGED = REAL.with_name("real_questions_judged.jsonl")
# Topic groups printed per row of the report.
GROUPS = {
    "can_cuoc": "căn cước", "dinh_danh": "định danh/VNeID", "cu_tru": "cư trú",
    "ho_tich": "hộ tịch", "ho_chieu": "giấy tờ khác", "xe": "giấy tờ khác",
    "gplx": "giấy tờ khác", "lltp": "giấy tờ khác", "bhxh_bhyt": "an sinh/BHXH",
    "an_sinh": "an sinh/BHXH", "ngan_hang_sim": "ngân hàng/SIM", "phat": "phạt/lừa đảo",
    "lua_dao": "phạt/lừa đảo", "chinh_quyen": "chính quyền/dữ liệu",
    "du_lieu_ca_nhan": "chính quyền/dữ liệu", "out_of_domain": "ngoài phạm vi",
}


@dataclass(frozen=True)
class Reply:
    """What the assistant said: ``status`` answered | not_sure | refused, the text, and the
    entry it answered from ("" when none or unknown)."""

    status: str
    text: str
    entry_id: str = ""
    suggestions: tuple[str, ...] = ()  # not sure: the entry titles offered as buttons


SPLITS = ("dev", "heldout", "fresh")


def load(path: Path = REAL, split: str = "heldout") -> list[dict]:
    """Rows of the eval (``split`` dev | heldout | fresh | all; ``fresh``: a batch collected
    after the held-out half was last scored, kept apart from it)."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()]
    return [r for r in rows if split == "all" or r.get("split") == split]


_THOUSANDS = re.compile(r"(?<=\d)[.,](?=\d{3}\b)")
_LEADING_ZERO = re.compile(r"\b0+(?=\d)")


def canon(text: str) -> str:
    """Folded, number-unified text for key-fact matching."""
    text = strip_diacritics(text.lower())
    text = _THOUSANDS.sub("", text)
    text = _LEADING_ZERO.sub("", text)
    return " ".join(re.findall(r"[a-z0-9%/]+", text))


def facts_found(row: dict, text: str) -> int:
    """How many of the row's key facts appear (any surface form) in ``text``."""
    padded = f" {canon(text)} "
    return sum(1 for forms in row.get("key_facts") or []
               if any(f" {canon(f)} " in padded for f in forms if canon(f)))


def judge(row: dict, reply: Reply) -> str:
    """correct | wrong | not_sure for in-scope rows; refused | answered for out-of-domain."""
    if not row.get("in_scope"):
        return "answered" if reply.status == "answered" else "refused"
    if reply.status != "answered":
        return "not_sure"
    return "correct" if facts_found(row, reply.text) else "wrong"


def load_judged(path: Path | None = None) -> dict[tuple[str, str], bool]:
    """The judge's verdicts (``JUDGED`` by default): (question id, entry id) -> the entry
    states a key fact."""
    path = path or JUDGED
    if not path.is_file():
        return {}
    out: dict[tuple[str, str], bool] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            v = json.loads(line)
            out[(str(v["id"]), str(v["entry"]))] = v["verdict"] == "yes"
    return out


def judged_verdict(row: dict, reply: Reply, strict: str,
                   judged: dict[tuple[str, str], bool]) -> str:
    """The verdict with the judge's word on the answered entry, where there is one."""
    key = (str(row.get("id")), reply.entry_id)
    if strict not in ("correct", "wrong") or key not in judged:
        return strict
    return "correct" if judged[key] else "wrong"


def one_tap(row: dict, reply: Reply, ask: Callable[[str], Reply]) -> bool:
    """An in-scope not-sure reply one of whose suggestions, asked as tapping its button
    asks it, is answered with a key fact of the row."""
    if not row.get("in_scope") or reply.status != "not_sure":
        return False
    for title in reply.suggestions:
        picked = ask(title)
        if picked.status == "answered" and facts_found(row, picked.text):
            return True
    return False


def evaluate(rows: list[dict], ask: Callable[[str], Reply],
             judged: dict[tuple[str, str], bool] | None = None) -> list[dict]:
    """Ask every row; return rows with ``verdict`` (strict), ``judged_verdict``,
    ``one_tap``, ``status``, ``reply`` and ``entry_id`` added."""
    judged = load_judged() if judged is None else judged
    out = []
    for row in rows:
        reply = ask(row["question"])
        strict = judge(row, reply)
        out.append({**row, "verdict": strict,
                    "judged_verdict": judged_verdict(row, reply, strict, judged),
                    "one_tap": one_tap(row, reply, ask),
                    "status": reply.status, "reply": reply.text, "entry_id": reply.entry_id})
    return out


def summary(results: list[dict]) -> dict[str, float]:
    """Rates (percent) over in-scope and out-of-domain rows."""
    ins = [r for r in results if r.get("in_scope")]
    ood = [r for r in results if not r.get("in_scope")]

    def pct(n: int, d: int) -> float:
        return round(100.0 * n / d, 1) if d else 0.0

    return {
        "n_in_scope": len(ins), "n_ood": len(ood),
        "key_fact": pct(sum(r["verdict"] == "correct" for r in ins), len(ins)),
        "wrong": pct(sum(r["verdict"] == "wrong" for r in ins), len(ins)),
        "not_sure": pct(sum(r["verdict"] == "not_sure" for r in ins), len(ins)),
        "one_tap": pct(sum(bool(r.get("one_tap")) for r in ins), len(ins)),
        "all_facts": pct(sum(r["verdict"] == "correct"
                             and facts_found(r, r["reply"]) == len(r["key_facts"])
                             for r in ins), len(ins)),
        "ood_refused": pct(sum(r["verdict"] == "refused" for r in ood), len(ood)),
        "judged_key_fact": pct(sum(r["judged_verdict"] == "correct" for r in ins), len(ins)),
        "judged_wrong": pct(sum(r["judged_verdict"] == "wrong" for r in ins), len(ins)),
    }


def _by(results: list[dict], key: Callable[[dict], str]) -> dict[str, dict[str, float]]:
    groups: dict[str, list[dict]] = defaultdict(list)
    for r in results:
        groups[key(r)].append(r)
    return {g: summary(rs) for g, rs in sorted(groups.items())}


def by_group(results: list[dict]) -> dict[str, dict[str, float]]:
    """:func:`summary` per topic group."""
    return _by(results, lambda r: GROUPS.get(r.get("topic", ""), r.get("topic", "?")))


def by_batch(results: list[dict]) -> dict[str, dict[str, float]]:
    """:func:`summary` per collection batch (the id's prefix: ``rqa``… ``rqh``), so a batch
    collected after the system was built is scored apart from the older ones."""
    return _by(results, lambda r: str(r.get("id", "?")).split("-")[0])


def fmt(name: str, s: dict[str, float]) -> str:
    """One line of the report."""
    if not s["n_in_scope"]:
        return f"{name:<22} {'':>75} OOD refused {s['ood_refused']:5.1f}% (n={s['n_ood']})"
    return (f"{name:<22} n={s['n_in_scope']:<3} key fact {s['key_fact']:5.1f}%  "
            f"wrong {s['wrong']:5.1f}%  not sure {s['not_sure']:5.1f}%  "
            f"one tap {s.get('one_tap', 0.0):5.1f}%  all facts {s['all_facts']:5.1f}%  "
            f"| judged: key fact {s['judged_key_fact']:5.1f}%"
            f"  wrong {s['judged_wrong']:5.1f}%"
            + (f"  OOD refused {s['ood_refused']:5.1f}% (n={s['n_ood']})" if s["n_ood"] else ""))


PARTS = REAL.parent / "real_questions_parts"


def assemble(out: Path = REAL) -> int:
    """Rebuild the eval from ``real_questions_parts/*.jsonl``: rows already in the eval keep
    their split; a new row collected for one side (or as a ``fresh`` batch) keeps its
    ``split``; other new rows alternate dev / held-out within their topic (the smaller
    first)."""
    old = {r["id"]: r for r in load(out, "all")} if out.is_file() else {}
    rows: list[dict] = []
    seen: set[str] = set()
    for path in sorted(PARTS.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            row = json.loads(line)
            key = canon(row["question"])
            if key in seen:
                continue
            seen.add(key)
            rows.append(row)
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for r in rows:
        if r["id"] in old:
            r["split"] = old[r["id"]].get("split")
            if old[r["id"]].get("seen_in_dev"):  # a held-out row looked at, moved to dev
                r["seen_in_dev"] = old[r["id"]]["seen_in_dev"]
            counts[(r["topic"], r["split"])] += 1
    for r in sorted((r for r in rows if r["id"] not in old), key=lambda r: r["id"]):
        if r.get("split") in SPLITS:  # a batch collected for one side
            counts[(r["topic"], r["split"])] += 1
            continue
        dev, held = counts[(r["topic"], "dev")], counts[(r["topic"], "heldout")]
        r["split"] = "dev" if dev < held else "heldout"
        counts[(r["topic"], r["split"])] += 1
    out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows),
                   encoding="utf-8")
    print(f"{len(rows)} questions ({sum(r['split'] == 'dev' for r in rows)} dev, "
          f"{sum(r['split'] == 'heldout' for r in rows)} held-out) -> {out}")
    return 0
