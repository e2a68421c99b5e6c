"""Write the 2025–2026 commune report samples and their ``.expected.json`` files.

    .venv/bin/python tests/data/reports/make_2026_samples.py

Each sample is written here by hand, as wards and communes send them since 1/7/2025 (two
levels of local government, Luật Căn cước 2023 terms): plain text, Word documents whose
figures sit in tables (python-docx) and text-layer PDFs with a table (fpdf2, DejaVu font
from matplotlib). The expected figures, unknown figures and unread lines below are the
ones typed into the samples, never the parser's output. Output is byte-stable (fixed
document dates, zip timestamps and PDF creation date).
"""

from __future__ import annotations

import json
from pathlib import Path

from sample_writers import write_docx, write_pdf
from samples_2026_cities import SAMPLES as CITIES
from samples_2026_edge_cases import SAMPLES as EDGE_CASES

HERE = Path(__file__).resolve().parent
SAMPLES = CITIES + EDGE_CASES


def main() -> None:
    for sample in SAMPLES:
        path = HERE / sample.name
        if path.suffix == ".txt":
            path.write_text(sample.text, encoding="utf-8")
        elif path.suffix == ".docx":
            write_docx(path, sample.blocks)
        else:
            write_pdf(path, sample.blocks)
        expected = dict(sample.expected)
        if "error" not in expected:
            expected["unread_count"] = len(sample.unread)
            expected["unread"] = sample.unread
            expected["extra_figures"] = sample.extras
        stem = path.name.rsplit(".", 1)[0]
        (HERE / f"{stem}.expected.json").write_text(
            json.dumps(expected, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print("wrote", path.name)


if __name__ == "__main__":
    main()
