"""Read and parse an uploaded report in a child process with CPU, memory and wall limits.

Uploads come from outside: a zip bomb, a PDF whose pages share one huge content stream or a
megabyte without a newline must not stall the API or eat its memory. The parent runs
``python -m stats.sandbox`` with the bytes on stdin; the child lowers its own limits
(address space, CPU seconds) before it touches them, reads and parses, and writes JSON on
stdout. The parent kills it at the wall limit. At most ``workers`` children run at once.

Nothing here touches the database: the parent stores the result (:func:`stats.ingest_parsed`).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from datetime import date
from pathlib import Path

from stats.errors import ReportRejected, rejected
from stats.parsed import ParsedReport
from stats.readers import Document

ROOT = Path(__file__).resolve().parent.parent
_SLOTS: dict[int, threading.BoundedSemaphore] = {}
_SLOTS_LOCK = threading.Lock()


def _slots(workers: int) -> threading.BoundedSemaphore:
    with _SLOTS_LOCK:
        return _SLOTS.setdefault(workers, threading.BoundedSemaphore(max(1, workers)))


def parse_isolated(raw: bytes, source_name: str, *, today: date | None = None,
                   timeout_s: float = 10.0, memory_mb: int = 512, workers: int = 2,
                   max_bytes: int | None = None) -> tuple[Document, ParsedReport]:
    """(document, parsed report) of ``raw``, computed in a limited child process.

    Raises :class:`ReportRejected`: the parser's own refusals, ``too_slow`` past the wall
    or CPU limit, ``too_complex`` past the memory limit, ``busy`` when no worker frees up.
    """
    slots = _slots(workers)
    if not slots.acquire(timeout=timeout_s):
        raise rejected("busy", "Hệ thống đang xử lý nhiều báo cáo, bạn vui lòng gửi lại sau ít "
                       "phút.", "All report workers are busy; retry later.")
    try:
        args = [sys.executable, "-m", "stats.sandbox", source_name[:255],
                today.isoformat() if today else "", str(memory_mb),
                str(max(1, int(timeout_s))), str(max_bytes or len(raw) + 1)]
        env = {**os.environ, "PYTHONPATH": str(ROOT), "OMP_NUM_THREADS": "1"}
        try:
            proc = subprocess.run(args, input=raw, capture_output=True, timeout=timeout_s,
                                  cwd=ROOT, env=env, check=False)
        except subprocess.TimeoutExpired as exc:
            raise rejected("too_slow", "Tệp báo cáo xử lý quá lâu (nghi là tệp độc hại hoặc "
                           "hỏng), hệ thống đã dừng đọc.",
                           f"Parsing took longer than {timeout_s:.0f} s.") from exc
    finally:
        slots.release()
    try:
        out = json.loads(proc.stdout.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        out = None
    if not isinstance(out, dict):
        # killed by the CPU limit (SIGXCPU/SIGKILL) or the memory limit
        raise rejected("too_complex", "Tệp báo cáo quá phức tạp để đọc (vượt giới hạn tài "
                       "nguyên).", f"The parser process died (exit {proc.returncode}).")
    if not out.get("ok"):
        refusal = ReportRejected(str(out.get("vi")), str(out.get("en")),
                                 code=str(out.get("code") or "rejected"))
        if isinstance(out.get("candidates"), list):  # ambiguous_locality: ask which one
            refusal.candidates = out["candidates"]
        raise refusal
    doc = Document(out["text"], source_name, out["fmt"], raw)
    return doc, ParsedReport.from_dict(out["parsed"])


PARSER_NICENESS = 10


def _limit(memory_mb: int, cpu_s: int) -> None:
    import resource

    mem = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (mem, mem))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_s, cpu_s + 1))
    # An uploaded file is untrusted work: it yields the CPU to the people being served.
    os.nice(PARSER_NICENESS)


def _main(argv: list[str]) -> int:
    name, today_s, memory_mb, cpu_s, max_bytes = argv
    raw = sys.stdin.buffer.read(int(max_bytes))
    _limit(int(memory_mb), int(cpu_s))
    from stats.parser import parse_report
    from stats.readers import read_bytes

    try:
        doc = read_bytes(raw, name, max_bytes=int(max_bytes))
        parsed = parse_report(doc.text, name, wrapped=doc.wrapped,
                              today=date.fromisoformat(today_s) if today_s else None)
        out = {"ok": True, "text": doc.text, "fmt": doc.fmt, "parsed": parsed.to_dict()}
    except ReportRejected as exc:
        out = {"ok": False, "code": exc.code, "vi": exc.message_vi, "en": exc.message_en,
               "candidates": exc.candidates}
    except MemoryError:
        out = {"ok": False, "code": "too_complex",
               "vi": "Tệp báo cáo quá phức tạp để đọc (vượt giới hạn bộ nhớ).",
               "en": "The parser ran out of its memory limit."}
    sys.stdout.write(json.dumps(out, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(_main(sys.argv[1:]))
