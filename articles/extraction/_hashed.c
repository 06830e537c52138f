/*
 * The hashed half of the check-worthiness model in C: word 1..n-gram and character n-gram
 * hashing, duplicate counting, 1 + log(tf), per-block L2 norms and the dot product with the
 * weights, for one batch of normalised sentences.
 *
 * Why C: these few arithmetic loops were a third of the engine's time as numpy calls (each
 * one a pass over a few thousand elements plus the Python around it). The reference is the
 * pure-Python path in checkworthiness.py (`featurize` and `CheckworthinessModel.decision`);
 * this file computes the same numbers in the same order, so the scores are bit-identical
 * (tests/articles/extraction/test_hashed_speedup.py compares them on every kind of text):
 *  - hashes are the same uint64 arithmetic (wrapping mod 2**64);
 *  - each block's features of a row are summed in increasing column order, as numpy's
 *    bincount does over keys sorted by np.sort;
 *  - log(count) comes from a table that numpy computed (np.log), never from libm;
 *  - a row's sum is its word features, then its character features, each from 0.0.
 *
 * Built by `make` (see the Makefile's `speedups` target); the Python path is used when the
 * module is absent.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const uint64_t MUL = 0x9E3779B97F4A7C15ULL;
static const uint64_t CHAR_SEED = 0x51ED270B27A1F3D5ULL;
static const uint32_t WORD_SEED = 0x2545F491U;
static const uint64_t WORD2_SEED = 0xC2B2AE3D27D4EB4FULL;

static uint32_t crc_table[256];

static void crc_init(void) {
    for (uint32_t n = 0; n < 256; n++) {
        uint32_t c = n;
        for (int k = 0; k < 8; k++) c = (c & 1) ? 0xEDB88320U ^ (c >> 1) : c >> 1;
        crc_table[n] = c;
    }
}

/* zlib.crc32(data, seed) */
static uint32_t crc32_seeded(const unsigned char *p, Py_ssize_t n, uint32_t seed) {
    uint32_t c = seed ^ 0xFFFFFFFFU;
    for (Py_ssize_t i = 0; i < n; i++) c = crc_table[(c ^ p[i]) & 0xFF] ^ (c >> 8);
    return c ^ 0xFFFFFFFFU;
}

/* splitmix64 finaliser, as `_mix` */
static inline uint64_t mix(uint64_t h) {
    h ^= h >> 30;
    h *= 0xBF58476D1CE4E5B9ULL;
    h ^= h >> 27;
    h *= 0x94D049BB133111EBULL;
    return h ^ (h >> 31);
}

typedef struct {
    uint64_t *data;
    Py_ssize_t len, cap;
} Keys;

static int keys_push(Keys *k, uint64_t v) {
    if (k->len == k->cap) {
        Py_ssize_t cap = k->cap ? k->cap * 2 : 4096;
        uint64_t *d = realloc(k->data, (size_t)cap * sizeof(uint64_t));
        if (!d) return -1;
        k->data = d;
        k->cap = cap;
    }
    k->data[k->len++] = v;
    return 0;
}

/* LSD radix sort of keys below 2**total_bits, 11 bits a pass. */
static int radix_sort(uint64_t *a, Py_ssize_t n, int total_bits) {
    if (n < 2) return 0;
    uint64_t *tmp = malloc((size_t)n * sizeof(uint64_t));
    if (!tmp) return -1;
    uint64_t *src = a, *dst = tmp;
    Py_ssize_t count[2048];
    for (int shift = 0; shift < total_bits; shift += 11) {
        memset(count, 0, sizeof(count));
        for (Py_ssize_t i = 0; i < n; i++) count[(src[i] >> shift) & 2047]++;
        Py_ssize_t sum = 0;
        for (int b = 0; b < 2048; b++) {
            Py_ssize_t c = count[b];
            count[b] = sum;
            sum += c;
        }
        for (Py_ssize_t i = 0; i < n; i++) dst[count[(src[i] >> shift) & 2047]++] = src[i];
        uint64_t *t = src;
        src = dst;
        dst = t;
    }
    if (src != a) memcpy(a, src, (size_t)n * sizeof(uint64_t));
    free(tmp);
    return 0;
}

/* Sorted keys (row << bits | col) of one block, added to out[row] as the Python `_block` and
 * the bincount in `decision` do. */
static int add_block(Keys *k, int bits, const double *log_table, Py_ssize_t log_len, int sublinear,
                     double weight, const float *w, double *out, Py_ssize_t n_rows) {
    int row_bits = 1;
    while (((Py_ssize_t)1 << row_bits) <= n_rows) row_bits++;
    if (radix_sort(k->data, k->len, bits + row_bits) < 0) return -1;
    double *v = malloc((size_t)(k->len + 1) * sizeof(double));
    if (!v) return -1;
    int status = 0;
    const uint64_t mask = ((uint64_t)1 << bits) - 1;
    Py_ssize_t i = 0;
    while (i < k->len) {
        uint64_t row = k->data[i] >> bits;
        /* the distinct keys of this row, with their values, and the row's sum of squares */
        Py_ssize_t n_distinct = 0, j = i;
        double squares = 0.0;
        while (j < k->len && (k->data[j] >> bits) == row) {
            uint64_t key = k->data[j];
            Py_ssize_t c = 0;
            while (j < k->len && k->data[j] == key) {
                c++;
                j++;
            }
            double value;
            if (sublinear) {
                if (c > log_len) {
                    status = -2;
                    goto out;
                }
                value = 1.0 + log_table[c - 1];
            } else {
                value = (double)c;
            }
            k->data[i + n_distinct] = key; /* compact in place: distinct keys from i */
            v[n_distinct++] = value;
            squares += value * value;
        }
        double norm = sqrt(squares);
        for (Py_ssize_t d = 0; d < n_distinct; d++) {
            double val = v[d] / norm * weight;
            out[row] += val * (double)w[k->data[i + d] & mask];
        }
        i = j;
    }
out:
    free(v);
    return status;
}

typedef struct {
    unsigned char *data;
    Py_ssize_t len, cap;
} Bytes;

static int bytes_push(Bytes *b, const void *src, Py_ssize_t n) {
    if (b->len + n > b->cap) {
        Py_ssize_t cap = b->cap ? b->cap : 4096;
        while (cap < b->len + n) cap *= 2;
        unsigned char *d = realloc(b->data, (size_t)cap);
        if (!d) return -1;
        b->data = d;
        b->cap = cap;
    }
    memcpy(b->data + b->len, src, (size_t)n);
    b->len += n;
    return 0;
}

/* str.isspace() for ASCII */
static inline int ascii_space(unsigned char c) { return c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1c && c <= 0x1f); }

/* `_normalise` of an ASCII text: lower case, every digit a 0, white space runs as one space,
 * stripped (a NUL counts as a space); appended to `out`. */
static int normalise_ascii(const char *s, Py_ssize_t n, Bytes *out) {
    int pending_space = 0, any = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (ascii_space(c) || c == 0) { /* `_normalise` makes a NUL a space */
            pending_space = any;
            continue;
        }
        if (pending_space && bytes_push(out, " ", 1) < 0) return -1;
        pending_space = 0;
        any = 1;
        if (c >= 'A' && c <= 'Z') c += 32;
        else if (c >= '0' && c <= '9') c = '0';
        if (bytes_push(out, &c, 1) < 0) return -1;
    }
    return 0;
}

/* The tokens of a normalised ASCII text, as `_JOINED_ASCII_WORD` finds them:
 * [a-z]+(?:'[a-z]+)* | 0+(?:[.,]0+)* | [%$?!], each hashed into `h`. */
static int tokens_ascii(const unsigned char *t, Py_ssize_t n, Keys *h, Keys *rows, uint64_t row) {
    Py_ssize_t i = 0;
    while (i < n) {
        unsigned char c = t[i];
        Py_ssize_t j = i;
        if (c >= 'a' && c <= 'z') {
            while (j < n && t[j] >= 'a' && t[j] <= 'z') j++;
            while (j + 1 < n && t[j] == '\'' && t[j + 1] >= 'a' && t[j + 1] <= 'z') {
                j++;
                while (j < n && t[j] >= 'a' && t[j] <= 'z') j++;
            }
        } else if (c == '0') {
            while (j < n && t[j] == '0') j++;
            while (j + 1 < n && (t[j] == '.' || t[j] == ',') && t[j + 1] == '0') {
                j++;
                while (j < n && t[j] == '0') j++;
            }
        } else if (c == '%' || c == '$' || c == '?' || c == '!') {
            j = i + 1;
        } else {
            i++;
            continue;
        }
        if (keys_push(h, crc32_seeded(t + i, j - i, WORD_SEED)) < 0 || keys_push(rows, row) < 0) return -1;
        i = j;
    }
    return 0;
}

/* hashed_scores(items, n_rows, out, weights, log_table, bits, word_max_n, char_min_n, char_max_n,
 * char_weight, sublinear). Each item is a row: an ASCII text as it came (normalised and tokenised
 * here), or a (normalised text, its tokens) pair that Python made (any other text). */
/* A C-contiguous, aligned array of `fmt` items ('d' float64, 'f' float32), or -1 with ValueError. */
static int get_array(PyObject *obj, Py_buffer *view, int writable, char fmt, Py_ssize_t itemsize, const char *what) {
    int flags = PyBUF_C_CONTIGUOUS | PyBUF_FORMAT | (writable ? PyBUF_WRITABLE : 0);
    if (PyObject_GetBuffer(obj, view, flags) < 0) return -1;
    const char *f = view->format ? view->format : "B";
    if (*f == '@' || *f == '=' || *f == '<') f++; /* native or little-endian: this is built per machine */
    if (f[0] != fmt || f[1] != '\0' || view->itemsize != itemsize || (uintptr_t)view->buf % (uintptr_t)itemsize) {
        PyBuffer_Release(view);
        PyErr_Format(PyExc_ValueError, "hashed_scores: %s must be an aligned contiguous %s array", what,
                     fmt == 'd' ? "float64" : "float32");
        return -1;
    }
    return 0;
}

static PyObject *hashed_scores(PyObject *self, PyObject *args) {
    PyObject *items, *out_obj, *weights_obj, *logs_obj;
    Py_buffer weights = {0}, logs = {0}, out = {0};
    Py_ssize_t n_rows;
    int bits, word_max_n, char_min_n, char_max_n, sublinear;
    double char_weight;
    if (!PyArg_ParseTuple(args, "O!nOOOiiiidp", &PyList_Type, &items, &n_rows, &out_obj, &weights_obj, &logs_obj,
                          &bits, &word_max_n, &char_min_n, &char_max_n, &char_weight, &sublinear))
        return NULL;
    PyObject *result = NULL;
    Keys keys = {0}, hk = {0}, rk = {0};
    Bytes buf = {0};
    uint64_t *g = NULL;
    if (get_array(out_obj, &out, 1, 'd', sizeof(double), "out") < 0 ||
        get_array(weights_obj, &weights, 0, 'f', sizeof(float), "weights") < 0 ||
        get_array(logs_obj, &logs, 0, 'd', sizeof(double), "the log table") < 0)
        goto done;
    const float *w = (const float *)weights.buf;
    const double *log_table = (const double *)logs.buf;
    Py_ssize_t log_len = logs.len / (Py_ssize_t)sizeof(double);
    double *o = (double *)out.buf;

    /* n_rows and bits first: the sizes below are computed from them */
    if (n_rows < 1 || n_rows > (1 << 20) || bits < 1 || bits > 30 ||
        weights.len != ((Py_ssize_t)1 << bits) * (Py_ssize_t)sizeof(float) ||
        out.len != n_rows * (Py_ssize_t)sizeof(double) || PyList_GET_SIZE(items) != n_rows || word_max_n < 1 ||
        char_min_n < 1 || char_max_n > 64) {
        PyErr_SetString(PyExc_ValueError, "hashed_scores: arguments do not fit the model");
        goto done;
    }
    const uint64_t mask = ((uint64_t)1 << bits) - 1;
    const uint64_t start_hash = crc32_seeded((const unsigned char *)"<s>", 3, WORD_SEED);
    const uint64_t end_hash = crc32_seeded((const unsigned char *)"</s>", 4, WORD_SEED);

    /* Each row's text into the character buffer (" text " and a NUL, as `_char_buffer`), and its
     * tokens' hashes between <s> and </s> (as `_token_hashes`). */
    for (Py_ssize_t r = 0; r < n_rows; r++) {
        PyObject *item = PyList_GET_ITEM(items, r);
        if (bytes_push(&buf, " ", 1) < 0 || keys_push(&hk, start_hash) < 0 || keys_push(&rk, (uint64_t)r) < 0)
            goto nomem;
        Py_ssize_t from = buf.len;
        if (PyUnicode_Check(item) && PyUnicode_IS_ASCII(item)) {
            Py_ssize_t size;
            const char *s = PyUnicode_AsUTF8AndSize(item, &size);
            if (!s) goto done;
            if (normalise_ascii(s, size, &buf) < 0) goto nomem;
            if (tokens_ascii(buf.data + from, buf.len - from, &hk, &rk, (uint64_t)r) < 0) goto nomem;
        } else if (PyTuple_Check(item) && PyTuple_GET_SIZE(item) == 2 && PyUnicode_Check(PyTuple_GET_ITEM(item, 0)) &&
                   PyList_Check(PyTuple_GET_ITEM(item, 1))) {
            Py_ssize_t size;
            const char *s = PyUnicode_AsUTF8AndSize(PyTuple_GET_ITEM(item, 0), &size);
            if (!s || bytes_push(&buf, s, size) < 0) goto done_or_nomem;
            PyObject *tokens = PyTuple_GET_ITEM(item, 1);
            for (Py_ssize_t i = 0; i < PyList_GET_SIZE(tokens); i++) {
                const char *t = PyUnicode_AsUTF8AndSize(PyList_GET_ITEM(tokens, i), &size);
                if (!t) goto done;
                if (keys_push(&hk, crc32_seeded((const unsigned char *)t, size, WORD_SEED)) < 0 ||
                    keys_push(&rk, (uint64_t)r) < 0)
                    goto nomem;
            }
        } else {
            PyErr_SetString(PyExc_TypeError, "hashed_scores: each row is an ASCII str or a (str, list) pair");
            goto done;
        }
        if (bytes_push(&buf, " ", 1) < 0 || bytes_push(&buf, "", 1) < 0 || keys_push(&hk, end_hash) < 0 ||
            keys_push(&rk, (uint64_t)r) < 0)
            goto nomem;
    }
    Py_ssize_t n_tokens = hk.len;
    const uint64_t *h = hk.data;
    const uint64_t *row_of = rk.data;
    g = malloc((size_t)(n_tokens + 1) * sizeof(uint64_t));
    if (!g) goto nomem;
    /* unigrams: every token but the first and last of its row (the bare markers) */
    for (Py_ssize_t i = 0; i < n_tokens; i++) {
        int first = i == 0 || row_of[i - 1] != row_of[i];
        int last = i == n_tokens - 1 || row_of[i + 1] != row_of[i];
        if (first || last) continue;
        if (keys_push(&keys, ((uint64_t)row_of[i] << bits) | (mix(h[i]) & mask)) < 0) goto nomem;
    }
    memcpy(g, h, (size_t)n_tokens * sizeof(uint64_t));
    for (int n = 2; n <= word_max_n; n++) {
        Py_ssize_t m = n_tokens - n + 1;
        if (m <= 0) break;
        for (Py_ssize_t i = 0; i < m; i++) {
            g[i] = g[i] * MUL + h[i + n - 1] + WORD2_SEED * (uint64_t)n;
            if (row_of[i] == row_of[i + n - 1] &&
                keys_push(&keys, ((uint64_t)row_of[i] << bits) | (mix(g[i]) & mask)) < 0)
                goto nomem;
        }
    }
    int status = add_block(&keys, bits, log_table, log_len, sublinear, 1.0, w, o, n_rows);
    if (status == -1) goto nomem;
    if (status == -2) goto short_table;

    /* --- character n-grams over the NUL-separated UTF-8 buffer --- */
    keys.len = 0;
    uint64_t consts[65];
    for (int n = 1; n <= char_max_n; n++) {
        uint64_t p = 1;
        for (int e = 0; e < n; e++) p *= MUL;
        consts[n] = (uint64_t)n * CHAR_SEED * p;
    }
    const unsigned char *b = buf.data;
    Py_ssize_t len = buf.len;
    uint64_t crow = 0;
    for (Py_ssize_t i = 0; i < len; i++) {
        if (b[i] == 0) {
            crow++;
            continue;
        }
        uint64_t rolled = 0;
        for (int n = 1; n <= char_max_n && i + n <= len; n++) {
            unsigned char c = b[i + n - 1];
            if (c == 0) break; /* an n-gram never spans two sentences */
            rolled = n == 1 ? (uint64_t)c : rolled * MUL + c;
            if (n >= char_min_n && keys_push(&keys, (crow << bits) | (mix(rolled + consts[n]) & mask)) < 0)
                goto nomem;
        }
    }
    if ((Py_ssize_t)crow > n_rows) {
        PyErr_SetString(PyExc_ValueError, "hashed_scores: the character buffer does not fit the rows");
        goto done;
    }
    status = add_block(&keys, bits, log_table, log_len, sublinear, char_weight, w, o, n_rows);
    if (status == -1) goto nomem;
    if (status == -2) goto short_table;
    result = Py_NewRef(Py_None);
    goto done;

short_table:
    PyErr_SetString(PyExc_ValueError, "hashed_scores: the log table is too short for this batch");
    goto done;
nomem:
    PyErr_NoMemory();
done_or_nomem:
    if (!PyErr_Occurred()) PyErr_NoMemory();
done:
    free(keys.data);
    free(hk.data);
    free(rk.data);
    free(buf.data);
    free(g);
    PyBuffer_Release(&weights);
    PyBuffer_Release(&logs);
    PyBuffer_Release(&out);
    return result;
}

static PyMethodDef methods[] = {
    {"hashed_scores", hashed_scores, METH_VARARGS,
     "hashed_scores(items, n_rows, out, weights, log_table, bits, word_max_n, char_min_n, char_max_n, "
     "char_weight, sublinear): add each row's hashed linear score to out (float64). A row is an ASCII "
     "text as it came, or a (normalised text, its tokens) pair."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_hashed", NULL, -1, methods};

PyMODINIT_FUNC PyInit__hashed(void) {
    crc_init();
    return PyModule_Create(&module);
}
