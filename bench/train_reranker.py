#!/usr/bin/env python
"""Train the KB reranker (``knowledge/reranker.json``) with cross-validation.

Training data: the generated eval ``tests/data/kb_eval.jsonl`` (each question labels its
expected entry; out-of-scope questions label none) and the **dev half** of the real-question
eval (a candidate is positive when its rendered answer holds a key fact of the page's answer;
the held-out half is never read here). For every question the first stage
(:func:`knowledge.ranking.rank` without the reranker) gives up to ~24 candidates and their
features; a candidate is positive when it is the expected entry. An L2 logistic regression
on standardised features is evaluated with 5-fold cross-validation grouped by question
(top-1 and answered-correctly at the chosen threshold), then refitted on everything.

The answer threshold is the lowest at which, in the cross-validated predictions on the real
dev questions, at most ``--max-wrong`` percent are answered without a key fact and at least
``--min-ood`` percent of the out-of-domain ones are refused.

    .venv/bin/python bench/train_reranker.py            # train, print CV figures, write model
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.real_eval import facts_found, load  # noqa: E402
from knowledge.answer import _render, _today, rank_question  # noqa: E402
from knowledge.index import build_index, get_index  # noqa: E402
from knowledge.ranking import Components, asked_aspects  # noqa: E402
from knowledge.reranker import MODEL_FILE, question_features  # noqa: E402

GENERATED = ROOT / "tests" / "data" / "kb_eval.jsonl"
def main(argv: list[str] | None = None) -> int:
    """Train, cross-validate, choose the threshold, write the model."""
    from sklearn.linear_model import LogisticRegression

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--max-wrong", type=float, default=5.0,
                    help="percent of dev questions allowed to be answered without a key fact")
    ap.add_argument("--min-ood", type=float, default=95.0,
                    help="percent of out-of-domain dev questions that must be refused")
    ap.add_argument("--data", default="generated,real",
                    help="training sources: generated, real (dev half) or both")
    ap.add_argument("--c", type=float, default=1.0, help="inverse L2 strength")
    ap.add_argument("--out", type=Path, default=MODEL_FILE)
    for part in ("lexical", "dense", "focus"):
        ap.add_argument(f"--no-{part}", action="store_true",
                        help=f"train without the {part} component (ablation)")
    args = ap.parse_args(argv)
    first_stage = Components(lexical=not args.no_lexical, dense=not args.no_dense,
                             focus=not args.no_focus, reranker=False)
    build_index(progress=lambda m: print(f"# {m}", file=sys.stderr))
    index = get_index()
    ids = [d["id"] for d in index.docs]
    rows = [json.loads(x) for x in GENERATED.read_text(encoding="utf-8").splitlines() if x]
    dev = load(split="dev")
    today = _today()
    feats: list[list[float]] = []
    labels: list[int] = []
    groups: list[int] = []
    names: list[str] = []
    # group g: (source, row); generated rows label their expected entry, real dev rows label
    # every candidate whose rendered answer holds a key fact of the page's answer
    questions = ([("generated", r) for r in rows] if "generated" in args.data else []) \
        + ([("real", r) for r in dev] if "real" in args.data else [])
    for g, (source, row) in enumerate(questions):
        # the same preparation answer() uses; the focus also picks the aspects rendered first
        focus, _, cands = rank_question(index, row["question"].strip(), first_stage)
        for c in cands:
            names = names or sorted(c.features)
            feats.append([c.features[n] for n in names])
            if source == "generated":
                labels.append(int(ids[c.doc] == row.get("expected_id")))
            else:
                text = _render(index.docs[c.doc], asked_aspects(focus.main), today)
                if row.get("in_scope"):
                    labels.append(int(facts_found(row, text) > 0))
                else:  # out of domain: a refusal naming another body is the right reply
                    labels.append(int(index.docs[c.doc].get("kind") == "refusal"))
            groups.append(g)
    x, y, grp = np.array(feats), np.array(labels), np.array(groups)
    mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-6
    z = (x - mean) / scale

    # 5-fold cross-validation grouped by question
    folds = np.arange(len(questions)) % 5
    probs_cv = np.zeros(len(y))
    for k in range(5):
        test = folds[grp] == k
        model = LogisticRegression(C=args.c, max_iter=3000).fit(z[~test], y[~test])
        probs_cv[test] = model.predict_proba(z[test])[:, 1]

    def best_of(g: int, probs: np.ndarray) -> tuple[float, int]:
        sel = np.where(grp == g)[0]
        if not len(sel):
            return 0.0, 0
        top = sel[np.argmax(probs[sel])]
        return float(probs[top]), int(y[top])

    gen_in = [g for g, (s_, r) in enumerate(questions) if s_ == "generated"
              and r.get("expected_id")]
    top1 = sum(best_of(g, probs_cv)[1] for g in gen_in)
    print(f"# {len(questions)} training questions ({args.data}), {len(y)} candidates, "
          f"{int(y.sum())} positives, {len(names)} features")
    if gen_in:
        print(f"# 5-fold CV top-1 on the generated in-scope questions: "
              f"{100 * top1 / max(1, len(gen_in)):.1f}%")
    real_in = [g for g, (s_, r) in enumerate(questions) if s_ == "real" and r.get("in_scope")]
    real_ood = [g for g, (s_, r) in enumerate(questions) if s_ == "real"
                and not r.get("in_scope")]
    scored = [best_of(g, probs_cv) for g in real_in]
    print(f"# real dev top-1 holds a key fact (CV reranked): "
          f"{100 * sum(ok for _, ok in scored) / max(1, len(scored)):.1f}%")
    ood_scores = [best_of(g, probs_cv)[0] for g in real_ood]

    # question-level calibration: is the reranked top-1 right? (CV over the CV outputs)
    def qfeat(g: int, probs: np.ndarray) -> list[float]:
        sel = np.where(grp == g)[0]
        if not len(sel):
            return [0.0] * (3 + len(names))
        top = sel[np.argmax(probs[sel])]
        return question_features(list(probs[sel]), list(z[top]))
    # every training question; the rates below are read on the real dev ones
    real_all = real_in + real_ood
    gen_all = [g for g, (s_, _) in enumerate(questions) if s_ == "generated"]
    order = real_all + gen_all
    qx = np.array([qfeat(g, probs_cv) for g in order])
    qy = np.array([best_of(g, probs_cv)[1] for g in order])
    qcv = np.zeros(len(qy))
    qfold = np.arange(len(qy)) % 5
    for k in range(5):
        cal = LogisticRegression(C=0.3, max_iter=3000).fit(qx[qfold != k], qy[qfold != k])
        qcv[qfold == k] = cal.predict_proba(qx[qfold == k])[:, 1]
    n_in = len(real_in)
    scored = [(float(qcv[i]), bool(qy[i])) for i in range(n_in)]
    ood_scores = [float(qcv[i]) for i in range(n_in, len(real_all))]
    if gen_all:
        gen_in_at = [i for i, g in enumerate(order) if g in set(gen_in)]
        print(f"# generated in-scope top-1 (CV): "
              f"{100 * sum(qy[i] for i in gen_in_at) / max(1, len(gen_in_at)):.1f}%")

    def rates(t: float) -> tuple[float, float, float]:
        kf = 100 * sum(1 for p, ok in scored if p >= t and ok) / max(1, len(scored))
        wrong = 100 * sum(1 for p, ok in scored if p >= t and not ok) / max(1, len(scored))
        # an out-of-domain question is refused unless a non-refusal is confidently given
        ood = 100 * sum(1 for i, p in enumerate(ood_scores)
                        if p < t or qy[n_in + i]) / max(1, len(ood_scores))
        return kf, wrong, ood

    print("# real dev, cross-validated: threshold -> key fact / wrong / OOD refused")
    for t in (0.2, 0.3, 0.4, 0.5, 0.6, 0.7):
        kf, wrong, ood = rates(t)
        print(f"#   {t:.2f}  {kf:5.1f}%  {wrong:5.1f}%  {ood:5.1f}%")
    grid = sorted({round(p, 3) for p, _ in scored} | {0.5, 0.99})
    chosen = next((t for t in grid if rates(t)[1] <= args.max_wrong
                   and rates(t)[2] >= args.min_ood), 0.99)
    kf, wrong, ood = rates(chosen)
    print(f"# chosen threshold {chosen:.3f}: key fact {kf:.1f}%, wrong {wrong:.1f}%, "
          f"OOD refused {ood:.1f}% (CV on real dev)")
    model = LogisticRegression(C=args.c, max_iter=3000).fit(z, y)
    coef, intercept = model.coef_[0], float(model.intercept_[0])
    # the shipped calibrator learns from the cross-validated reranker outputs (as it will
    # see unseen questions), on every real dev question
    cal = LogisticRegression(C=0.3, max_iter=3000).fit(qx, qy)
    args.out.write_text(json.dumps({
        "features": names, "mean": mean.round(6).tolist(), "scale": scale.round(6).tolist(),
        "coef": coef.round(6).tolist(), "intercept": round(intercept, 6),
        "threshold": chosen,
        "calibrator": {"coef": cal.coef_[0].round(6).tolist(),
                       "intercept": round(float(cal.intercept_[0]), 6)},
        "trained": {"data": [GENERATED.name, "real_questions.jsonl (dev half)"],
                    "questions": len(questions), "candidates": len(y), "C": args.c,
                    "cv_top1_generated": round(100 * top1 / max(1, len(gen_in)), 1),
                    "cv_real_dev": {"key_fact": round(kf, 1), "wrong": round(wrong, 1),
                                    "ood_refused": round(ood, 1)},
                    "max_wrong": args.max_wrong},
    }, indent=1), encoding="utf-8")
    print(f"# wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
