#!/usr/bin/env python
"""Train the KB reranker (``knowledge/reranker.json``) with cross-validation.

Training data: the generated eval ``tests/data/kb_eval.jsonl`` (each question labels its
expected entry; out-of-scope questions label none) and the **dev half** of the real-question
eval (a candidate is positive when its rendered answer holds a key fact of the page's answer;
the held-out half is never read here). For every question the first stage
(:func:`knowledge.ranking.rank` without the reranker) gives up to ~24 candidates and their
features. The model (:mod:`knowledge.reranker`) is a softmax over the question's
candidates and a "none of these" option, fitted by maximising, per question, the share of
its right candidates (or of "none" when none is right: out-of-scope generated questions,
out-of-domain ones without a refusal among the candidates, KB gaps), with an L2 penalty on
standardised features. It is evaluated with 5-fold cross-validation grouped by question,
then refitted on everything.

The answer threshold is the one that, in the cross-validated predictions on the real dev
questions and with the decision :func:`knowledge.answer.answer` takes (sub-questions
included), answers the most with a key fact while at most ``--max-wrong`` percent are
answered without one and at least ``--min-ood`` percent of the out-of-domain ones are
refused (of equally good ones, the one with the fewest wrong answers). Since the threshold
is chosen on those same predictions, a **nested** cross-validation (model and threshold
chosen without the scored fold) gives the honest figure to expect on unseen questions; both
are printed and stored in the model's ``trained``.

    .venv/bin/python bench/train_reranker.py            # train, print CV figures, write model
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import NamedTuple

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.kb_eval import read_jsonl, with_alternates  # noqa: E402
from bench.real_eval import facts_found, load, load_judged  # noqa: E402
from knowledge.answer import _render, _today, rank_question  # noqa: E402
from knowledge.focus import Focus  # noqa: E402
from knowledge.index import build_index, get_index  # noqa: E402
from knowledge.ranking import Components, asked_aspects, rank  # noqa: E402
from knowledge.reranker import MODEL_FILE, softmax_with_none  # noqa: E402

GENERATED = ROOT / "tests" / "data" / "kb_eval.jsonl"
# Invented citizens' messages in the real questions' styles (long letters, named askers, two
# questions in one, no diacritics, teen-code), each labelled with the entry it was written
# for; written from entry titles by a helper who never saw either eval (training only).
LETTERS = ROOT / "tests" / "data" / "kb_train_letters.jsonl"
FOLDS = 5  # folds of bench/kb_eval.py --real dev --cv (row number of the dev half mod 5)

def fit_listwise(z: np.ndarray, y: np.ndarray, grp: np.ndarray, nq: int, l2: float,
                 weight: np.ndarray | None = None) -> np.ndarray:
    """Weights (last = intercept) of the softmax-with-"none" model: per question, maximise
    log(sum of the right candidates' shares), or of "none"'s when no candidate is right,
    with an L2 penalty on the feature weights (scipy's L-BFGS, at training time only).
    ``weight``: each question's weight in the sum (default 1)."""
    from scipy.optimize import minimize

    zb = np.hstack([z, np.ones((len(z), 1))])
    pos = y == 1
    has_pos = np.zeros(nq, bool)
    np.logical_or.at(has_pos, grp, pos)
    used = np.bincount(grp, minlength=nq) > 0
    qw = np.ones(nq) if weight is None else np.asarray(weight, dtype=float)

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        s = zb @ w
        top = np.zeros(nq)
        np.maximum.at(top, grp, s)
        e = np.exp(s - top[grp])
        den = np.exp(-top)
        np.add.at(den, grp, e)
        num = np.where(has_pos, 0.0, np.exp(-top))
        np.add.at(num, grp, e * pos)
        value = (-(qw[used] * (np.log(num[used]) - np.log(den[used]))).sum()
                 + 0.5 * l2 * w[:-1] @ w[:-1])
        coef = qw[grp] * (np.where(pos, e / np.maximum(num[grp], 1e-300), 0.0) - e / den[grp])
        grad = -(zb * coef[:, None]).sum(axis=0)
        grad[:-1] += l2 * w[:-1]
        return float(value), grad

    return minimize(loss, np.zeros(zb.shape[1]), jac=True, method="L-BFGS-B",
                    options={"maxiter": 3000}).x


class Top(NamedTuple):
    """The most probable candidate of one ranking."""

    p: float
    ok: bool       # its rendered answer holds a key fact (out of domain: it is a refusal)
    refusal: bool
    doc: int


class Outcome(NamedTuple):
    """A question's top candidates: of the whole message and of each sub-question."""

    main: Top
    parts: tuple[Top, ...]
    in_scope: bool


def decide(o: Outcome, t: float) -> str:
    """What :func:`knowledge.answer.answer` does at threshold ``t``: correct | wrong |
    not_sure (in scope), answered | refused (out of domain). Two or more sub-questions
    confidently answered by different entries are answered in turn; else the whole message's
    top-1 when confident (a refusal entry refuses); else the one confident sub-question."""
    sure: list[Top] = []
    for part in o.parts:
        if part.p >= t and not part.refusal and all(part.doc != s.doc for s in sure):
            sure.append(part)
    if len(sure) >= 2:
        given = sure
    elif o.main.p >= t:
        given = [] if o.main.refusal else [o.main]
    else:
        given = sure
    if not o.in_scope:
        return "answered" if given else "refused"
    if not given:
        return "not_sure"
    return "correct" if any(g.ok for g in given) else "wrong"


def rates(rows: list[Outcome], t: float) -> tuple[float, float, float]:
    """Key fact / wrong (percent of in-scope) and OOD refused (percent of out-of-domain) when
    answering at confidence ``t``."""
    verdicts = [(o.in_scope, decide(o, t)) for o in rows]
    n_in = max(1, sum(1 for i, _ in verdicts if i))
    n_ood = max(1, sum(1 for i, _ in verdicts if not i))
    return (100 * sum(1 for i, v in verdicts if v == "correct") / n_in,
            100 * sum(1 for i, v in verdicts if v == "wrong") / n_in,
            100 * sum(1 for i, v in verdicts if v == "refused") / n_ood)


def ood_refused(rows: list[Outcome], t: float) -> float:
    """Percent of the out-of-domain / out-of-scope questions of ``rows`` refused at ``t``."""
    ood = [o for o in rows if not o.in_scope]
    return 100 * sum(decide(o, t) == "refused" for o in ood) / max(1, len(ood))


def choose_threshold(rows: list[Outcome], max_wrong: float, min_ood: float,
                     more_ood: list[Outcome] | None = None) -> float:
    """The confidence that answers the most questions with a key fact while at most
    ``max_wrong`` % are answered without one and at least ``min_ood`` % of the out-of-domain
    questions are refused; of equally good ones, the one with the fewest wrong answers (a
    lower threshold that only adds wrong answers is not taken), then the lowest.
    ``more_ood``: further out-of-scope questions (the generated ones) pooled with the real
    out-of-domain ones for the refusal bound, so that it does not hang on one or two."""
    grid = sorted({round(p, 3) for o in rows for p in (o.main.p, *(s.p for s in o.parts))}
                  | {0.5, 0.99})
    pooled = [o for o in rows + (more_ood or []) if not o.in_scope]
    allowed = [(t, *rates(rows, t)) for t in grid]
    allowed = [a for a in allowed if a[2] <= max_wrong and ood_refused(pooled, a[0]) >= min_ood]
    if not allowed:
        return 0.99
    return min(allowed, key=lambda a: (-round(a[1], 6), round(a[2], 6), a[0]))[0]


def nested_estimate(nq, real, fit, tops, judged, args, more_ood=None):  # noqa: ANN001, ANN201
    """Outer 5 folds over the real dev questions: the model and the threshold are chosen
    without the fold (threshold by an inner CV), then the fold is answered. ``more_ood``:
    the generated out-of-scope questions' cross-validated outcomes, pooled for the bound."""
    idx = np.where(real)[0]
    verdicts: list[tuple[bool, str]] = []
    for k in range(5):
        outer = np.zeros(nq, bool)
        outer[idx[k::5]] = True
        inner_idx = idx[[i for i in range(len(idx)) if i % 5 != k]]
        inner: dict = {}
        for j in range(5):
            held = np.zeros(nq, bool)
            held[inner_idx[j::5]] = True
            inner.update(tops(fit(~outer & ~held), held))
        t = choose_threshold(judged(inner), args.max_wrong, args.min_ood, more_ood)
        verdicts += [(o.in_scope, decide(o, t)) for o in judged(tops(fit(~outer), outer))]
    n_in = max(1, sum(1 for i, _ in verdicts if i))
    n_ood = max(1, sum(1 for i, _ in verdicts if not i))
    return (100 * sum(1 for _, v in verdicts if v == "correct") / n_in,
            100 * sum(1 for _, v in verdicts if v == "wrong") / n_in,
            100 * sum(1 for _, v in verdicts if v == "refused") / n_ood)


def main(argv: list[str] | None = None) -> int:
    """Train, cross-validate, choose the threshold, write the model."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    # 4, not the target's 5: the threshold that only just meets the bound on these questions
    # answers unseen ones a little worse (the nested estimate shows 5-7 % at 5)
    ap.add_argument("--max-wrong", type=float, default=4.0,
                    help="percent of dev questions allowed to be answered without a key fact")
    ap.add_argument("--min-ood", type=float, default=95.0,
                    help="percent of out-of-domain dev questions that must be refused")
    ap.add_argument("--data", default="generated,real,letters",
                    help="training sources, comma-separated: generated (the generated eval, "
                         "with its judged alternates), real (dev half), letters")
    ap.add_argument("--l2", type=float, default=3.0,
                    help="L2 penalty on the feature weights (3: on the 288 dev questions, "
                         "nested CV 0.3 / 1 / 3 / 10 gave key fact 43.2 / 43.2 / 43.7 / 42.8 %%, "
                         "wrong 4.5 / 4.1 / 4.1 / 3.6 %%, generated top-1 90.7 / 90.3 / 90.7 / "
                         "90.3 %%)")
    ap.add_argument("--labels", choices=("strict", "judged"), default="strict",
                    help="real dev candidates: right when the rendered answer holds a key "
                         "fact's wording (strict), or by the blind judge's verdict where it "
                         "gave one (judged; strict elsewhere)")
    ap.add_argument("--real-weight", type=float, default=1.0,
                    help="weight of each real dev question in the loss, beside 1 for a "
                         "generated question or an invented letter")
    ap.add_argument("--dump", type=Path,
                    help="write each real dev question's cross-validated outcome (JSON "
                         "lines: id, in scope, top entry, top probability, right, refusal, "
                         "any right candidate, long letter, sub-questions' top "
                         "probabilities)")
    ap.add_argument("--out", type=Path, default=MODEL_FILE)
    ap.add_argument("--leave-out", type=int, metavar="K",
                    help="train without the real dev questions of fold K (row number mod "
                         f"{FOLDS}): bench/kb_eval.py --real dev --cv scores that fold with it")
    ap.add_argument("--no-nested", action="store_true", help="skip the nested estimate")
    for part in ("lexical", "dense", "focus"):
        ap.add_argument(f"--no-{part}", action="store_true",
                        help=f"train without the {part} component (ablation)")
    args = ap.parse_args(argv)
    first_stage = Components(lexical=not args.no_lexical, dense=not args.no_dense,
                             focus=not args.no_focus, reranker=False)
    build_index(progress=lambda m: print(f"# {m}", file=sys.stderr))
    index = get_index()
    ids = [d["id"] for d in index.docs]
    rows = with_alternates(read_jsonl(GENERATED))
    letters = read_jsonl(LETTERS) if LETTERS.is_file() and "letters" in args.data else []
    dev = load(split="dev")
    if args.leave_out is not None:
        dev = [r for n, r in enumerate(dev) if n % FOLDS != args.leave_out]
    today = _today()
    verdicts = load_judged() if args.labels == "judged" else {}
    feats: list[list[float]] = []
    labels: list[int] = []   # what the model learns from (--labels)
    strict: list[int] = []   # what the figures and the threshold count (the eval's headline)
    groups: list[int] = []
    refusals: list[bool] = []
    cand_docs: list[int] = []  # each candidate's entry (the dump names the top one)
    names: list[str] = []
    # per real question with 2-3 sub-questions: each one's candidates (answer() answers each
    # confidently answered sub-question; the threshold is chosen on that same decision)
    subs: dict[int, list[tuple[list[list[float]], list[int], list[int], list[bool]]]] = {}
    # group g: (source, row); generated rows label their expected entry, real dev rows label
    # every candidate whose rendered answer holds a key fact of the page's answer
    questions = ([("generated", r) for r in rows] if "generated" in args.data else []) \
        + ([("real", r) for r in dev] if "real" in args.data else []) \
        + [("letters", r) for r in letters]

    def label(source: str, row: dict, doc: int, asked: list[str]) -> int:
        if source != "real":  # labelled with its entry (and the judged alternates)
            return int(ids[doc] == row.get("expected_id") or ids[doc] in row.get("also", ()))
        if not row.get("in_scope"):  # out of domain: a refusal naming another body is right
            return int(index.docs[doc].get("kind") == "refusal")
        return int(facts_found(row, _render(index.docs[doc], asked, today)) > 0)

    for g, (source, row) in enumerate(questions):
        # the same preparation answer() uses; the focus also picks the aspects rendered first
        focus, allowed, cands = rank_question(index, row["question"].strip(), first_stage)
        for c in cands:
            names = names or sorted(c.features)
            feats.append([c.features[n] for n in names])
            ok = label(source, row, c.doc, asked_aspects(focus.main))
            strict.append(ok)
            # --labels judged: the judge's verdict on a real in-scope pair wins where given
            verdict = (verdicts.get((str(row["id"]), ids[c.doc]))
                       if source == "real" and row.get("in_scope") else None)
            labels.append(ok if verdict is None else int(verdict))
            refusals.append(index.docs[c.doc].get("kind") == "refusal")
            cand_docs.append(c.doc)
            groups.append(g)
        if source == "real" and first_stage.focus and len(focus.parts) >= 2:
            subs[g] = []
            for part in focus.parts:
                pc = rank(index, part, Focus.whole(part), allowed, first_stage)
                subs[g].append(([[c.features[n] for n in names] for c in pc],
                                [label(source, row, c.doc, asked_aspects(part)) for c in pc],
                                [c.doc for c in pc],
                                [index.docs[c.doc].get("kind") == "refusal" for c in pc]))
    x, y, grp = np.array(feats), np.array(labels), np.array(groups)
    ys = np.array(strict)
    mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-6
    z = (x - mean) / scale
    real = np.array([s_ == "real" for s_, _ in questions])
    inscope = np.array([bool(r.get("in_scope")) if s_ == "real" else bool(r.get("expected_id"))
                        for s_, r in questions])
    nq = len(questions)

    def fit(train: np.ndarray) -> np.ndarray:
        sel = train[grp]
        return fit_listwise(z[sel], y[sel], grp[sel], nq, args.l2,
                            np.where(real, args.real_weight, 1.0))

    ref = np.array(refusals)

    def top_of(w: np.ndarray, zq: np.ndarray, yq: np.ndarray, refq: np.ndarray,
               doc: int = -1) -> Top:
        p = softmax_with_none(list(zq @ w[:-1] + w[-1]))
        t = int(np.argmax(p))
        return Top(float(p[t]), bool(yq[t]), bool(refq[t]), doc if doc >= 0 else t)

    def tops(w: np.ndarray, qs: np.ndarray) -> dict[int, Outcome]:
        """Per question: the top candidate (probability, right, refusal) of the whole message
        and of each sub-question."""
        out = {}
        for g in np.where(qs)[0]:
            sel = np.where(grp == g)[0]
            main_top = (top_of(w, z[sel], ys[sel], ref[sel]) if len(sel)
                        else Top(0.0, False, False, -1))
            parts = []
            for fx, fy, fd, fr in subs.get(int(g), []):
                if fx:
                    t = top_of(w, (np.array(fx) - mean) / scale, np.array(fy), np.array(fr))
                    parts.append(Top(t.p, t.ok, t.refusal, fd[t.doc]))
            out[int(g)] = Outcome(main_top, tuple(parts), bool(inscope[g]))
        return out

    def cross_validated() -> dict[int, tuple[float, int]]:
        """5-fold CV grouped by question: every question scored by a model not trained on it."""
        out: dict[int, Outcome] = {}
        for k in range(5):
            test = np.arange(nq) % 5 == k
            out.update(tops(fit(~test), test))
        return out

    def judged(res: dict[int, Outcome]) -> list[Outcome]:
        return [o for g, o in res.items() if real[g]]

    cv = cross_validated()
    source = [s_ for s_, _ in questions]
    gen_in = [g for g in range(nq) if source[g] == "generated" and inscope[g]]
    top1 = sum(cv[g].main.ok for g in gen_in)
    let_in = [g for g in range(nq) if source[g] == "letters" and inscope[g]]
    print(f"# {nq} training questions ({args.data}), {len(y)} candidates, "
          f"{int(y.sum())} positives, {len(names)} features")
    if gen_in:
        print(f"# 5-fold CV top-1 on the generated in-scope questions: "
              f"{100 * top1 / max(1, len(gen_in)):.1f}% (an entry judged to answer counts)")
    if let_in:
        print(f"# 5-fold CV top-1 on the {len(let_in)} invented in-scope letters: "
              f"{100 * sum(cv[g].main.ok for g in let_in) / len(let_in):.1f}%")
    rows = judged(cv)
    gen_ood = [cv[g] for g in range(nq) if not real[g] and not inscope[g]]
    gen_rows = [cv[g] for g in range(nq) if source[g] == "generated"]
    n_in = sum(1 for o in rows if o.in_scope)
    print(f"# real dev top-1 holds a key fact (CV reranked): "
          f"{100 * sum(o.main.ok for o in rows if o.in_scope) / max(1, n_in):.1f}%")
    print("# cross-validated: threshold -> real dev key fact / wrong / OOD refused; "
          "generated right / wrong / out-of-scope refused; pooled refused")
    for t in (0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8):
        kf, wrong, ood = rates(rows, t)
        g_ok, g_wrong, g_ood = rates(gen_rows, t) if gen_rows else (0.0, 0.0, 0.0)
        pooled = ood_refused(rows + gen_ood, t)
        print(f"#   {t:.2f}  {kf:5.1f}%  {wrong:5.1f}%  {ood:5.1f}%   "
              f"{g_ok:5.1f}%  {g_wrong:5.1f}%  {g_ood:5.1f}%   {pooled:5.1f}%")
    chosen = choose_threshold(rows, args.max_wrong, args.min_ood, gen_ood)
    kf, wrong, ood = rates(rows, chosen)
    print(f"# chosen threshold {chosen:.3f}: key fact {kf:.1f}%, wrong {wrong:.1f}%, "
          f"OOD refused {ood:.1f}% (CV on real dev; the threshold was chosen on these; "
          f"pooled with the generated out-of-scope: {ood_refused(rows + gen_ood, chosen):.1f}%)")
    if args.dump:  # for studying the confidence on the dev half (which questions, how sure)
        long_col = names.index("is_long")
        with args.dump.open("w", encoding="utf-8") as out:
            for g in np.where(real)[0]:
                o, sel = cv[int(g)], grp == g
                top = (ids[cand_docs[int(np.where(sel)[0][o.main.doc])]]
                       if o.main.doc >= 0 else None)
                out.write(json.dumps({"id": questions[g][1]["id"], "in_scope": o.in_scope,
                                      "entry": top,
                                      "p": round(o.main.p, 3), "ok": o.main.ok,
                                      "refusal": o.main.refusal, "any_ok": bool(ys[sel].any()),
                                      "long": bool(x[sel, long_col].any()),
                                      "parts": [round(t.p, 3) for t in o.parts]}) + "\n")
    nested = (nested_estimate(nq, real, fit, tops, judged, args, gen_ood)
              if real.any() and not args.no_nested else None)
    if nested:
        print(f"# nested CV on real dev (threshold chosen without the scored fold, the "
              f"expected held-out figure): key fact {nested[0]:.1f}%, wrong {nested[1]:.1f}%, "
              f"OOD refused {nested[2]:.1f}%")
    w = fit(np.ones(nq, bool))
    args.out.write_text(json.dumps({
        "kind": "listwise",
        "features": names, "mean": mean.round(6).tolist(), "scale": scale.round(6).tolist(),
        "coef": w[:-1].round(6).tolist(), "intercept": round(float(w[-1]), 6),
        "threshold": chosen,
        "trained": {"data": [name for name, used in (
                        (GENERATED.name, "generated" in args.data),
                        ("real_questions.jsonl (dev half)", "real" in args.data),
                        (LETTERS.name, bool(letters))) if used],
                    "questions": nq, "candidates": len(y), "l2": args.l2,
                    "cv_top1_generated": round(100 * top1 / max(1, len(gen_in)), 1),
                    "cv_real_dev": {"key_fact": round(kf, 1), "wrong": round(wrong, 1),
                                    "ood_refused": round(ood, 1)},
                    **({"nested_cv_real_dev": {"key_fact": round(nested[0], 1),
                                               "wrong": round(nested[1], 1),
                                               "ood_refused": round(nested[2], 1)}}
                       if nested else {}),
                    "max_wrong": args.max_wrong, "min_ood": args.min_ood},
    }, indent=1), encoding="utf-8")
    print(f"# wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
