/*
 * Where a regex's first match can start (`Prefilter` in prefilter.py), in C.
 *
 * prefilter.py reads a pattern's parse tree and derives the short literal prefixes that every match
 * opens with ("said", "[$£]<digit>", "Jan"). `first_hit` finds the first place in a text where one
 * of them occurs: no match of the pattern can start before it, and none exists when there is no
 * such place. The regex then runs from there, or not at all. A prefix is a sequence of elements;
 * an element is a set of code points, or "any decimal digit" (what \d is in a str pattern).
 *
 * A scanner marked ascii_only holds case-folded letters (from re.IGNORECASE), which match as
 * str.lower() folds them only in ASCII text: for any other text it answers 0 (maybe anywhere).
 * tests/articles/extraction/test_prefilter.py compares it with the Python reference.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define CAPSULE "articles.extraction._prefilter.scanner"
#define MAX_PREFIX_LEN 64

typedef struct {
    Py_ssize_t n_needles;
    int32_t *needle_first; /* index of the needle's first element in el_off/el_n */
    int32_t *needle_len;
    int32_t *el_off; /* offset of the element's code points in chars */
    int32_t *el_n;   /* number of code points; 0 means "a decimal digit" */
    uint64_t *el_ascii; /* per element, two words: the ASCII code points it holds, as bits */
    Py_UCS4 *chars;
    int32_t bucket_start[129]; /* needles whose first element holds ASCII code point c */
    int32_t *bucket_ids;
    /* For ASCII text: may a prefix start with this character (one-character prefixes), or with this
       pair of characters? Most places of a sentence fail these two bit tests. */
    uint8_t single[128];
    uint8_t pair[128 * 128 / 8];
    Py_ssize_t n_other; /* needles whose first element holds a non-ASCII code point or a digit */
    int32_t *other_ids;
    int ascii_only;
    /* Wu-Manber skip for ASCII text when every prefix has at least min_len >= 2 elements: the two
       characters at p + min_len - 2 and p + min_len - 1 say how far no prefix can start (0: try p). */
    int32_t min_len;
    uint8_t *shift; /* 128 * 128 entries, or NULL */
} Scanner;

static void scanner_free(Scanner *s) {
    if (!s) return;
    free(s->needle_first);
    free(s->needle_len);
    free(s->el_off);
    free(s->el_n);
    free(s->el_ascii);
    free(s->chars);
    free(s->bucket_ids);
    free(s->other_ids);
    free(s->shift);
    free(s);
}

static void capsule_destructor(PyObject *capsule) {
    scanner_free((Scanner *)PyCapsule_GetPointer(capsule, CAPSULE));
}

static int element_has(const Scanner *s, int32_t el, Py_UCS4 ch) {
    int32_t n = s->el_n[el];
    if (n == 0) return Py_UNICODE_ISDECIMAL(ch);
    const Py_UCS4 *c = s->chars + s->el_off[el];
    for (int32_t i = 0; i < n; i++)
        if (c[i] == ch) return 1;
    return 0;
}

static int first_holds_ascii(const Scanner *s, int32_t el, Py_UCS4 ascii) {
    if (s->el_n[el] == 0) return ascii >= '0' && ascii <= '9';
    return element_has(s, el, ascii);
}

static int first_holds_other(const Scanner *s, int32_t el) {
    int32_t n = s->el_n[el];
    if (n == 0) return 1; /* digits outside ASCII */
    const Py_UCS4 *c = s->chars + s->el_off[el];
    for (int32_t i = 0; i < n; i++)
        if (c[i] >= 128) return 1;
    return 0;
}

/* compile(prefixes, ascii_only) -> scanner; prefixes: sequence of sequences of (str or None) */
static PyObject *compile(PyObject *self, PyObject *args) {
    PyObject *prefixes;
    int ascii_only;
    if (!PyArg_ParseTuple(args, "Op", &prefixes, &ascii_only)) return NULL;
    PyObject *seq = PySequence_Fast(prefixes, "compile: a sequence of prefixes");
    if (!seq) return NULL;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
    if (n < 1 || n > 4096) {
        Py_DECREF(seq);
        PyErr_SetString(PyExc_ValueError, "compile: between 1 and 4,096 prefixes");
        return NULL;
    }
    Scanner *s = calloc(1, sizeof(Scanner));
    if (!s) {
        Py_DECREF(seq);
        return PyErr_NoMemory();
    }
    s->ascii_only = ascii_only;
    s->n_needles = n;
    s->needle_first = malloc(n * sizeof(int32_t));
    s->needle_len = malloc(n * sizeof(int32_t));
    /* First pass: validate and count the elements and code points. */
    Py_ssize_t n_el = 0, n_chars = 0;
    int ok = s->needle_first && s->needle_len;
    for (Py_ssize_t i = 0; ok && i < n; i++) {
        PyObject *prefix = PySequence_Fast_GET_ITEM(seq, i);
        if (!PyTuple_Check(prefix) || PyTuple_GET_SIZE(prefix) < 1 || PyTuple_GET_SIZE(prefix) > MAX_PREFIX_LEN) {
            PyErr_SetString(PyExc_ValueError, "compile: each prefix is a tuple of 1 to 64 elements");
            ok = 0;
            break;
        }
        for (Py_ssize_t j = 0; j < PyTuple_GET_SIZE(prefix); j++) {
            PyObject *el = PyTuple_GET_ITEM(prefix, j);
            if (el == Py_None) {
            } else if (PyUnicode_Check(el) && PyUnicode_GET_LENGTH(el) >= 1 && PyUnicode_GET_LENGTH(el) <= 4096) {
                n_chars += PyUnicode_GET_LENGTH(el);
            } else {
                PyErr_SetString(PyExc_ValueError, "compile: an element is None (a digit) or a str of 1 to 4096 characters");
                ok = 0;
                break;
            }
            n_el++;
        }
    }
    if (ok && n_chars > 10000000) {
        PyErr_SetString(PyExc_ValueError, "compile: at most 10,000,000 code points in all");
        ok = 0;
    }
    if (ok) {
        s->el_off = malloc((n_el ? n_el : 1) * sizeof(int32_t));
        s->el_n = malloc((n_el ? n_el : 1) * sizeof(int32_t));
        s->el_ascii = calloc((n_el ? n_el : 1) * 2, sizeof(uint64_t));
        s->chars = malloc((n_chars ? n_chars : 1) * sizeof(Py_UCS4));
        s->other_ids = malloc(n * sizeof(int32_t));
        if (!s->el_off || !s->el_n || !s->el_ascii || !s->chars || !s->other_ids) {
            PyErr_NoMemory();
            ok = 0;
        }
    } else if (!PyErr_Occurred()) {
        PyErr_NoMemory();
    }
    /* Second pass: copy. */
    if (ok) {
        int32_t e = 0, c = 0;
        for (Py_ssize_t i = 0; i < n; i++) {
            PyObject *prefix = PySequence_Fast_GET_ITEM(seq, i);
            s->needle_first[i] = e;
            s->needle_len[i] = (int32_t)PyTuple_GET_SIZE(prefix);
            for (Py_ssize_t j = 0; j < PyTuple_GET_SIZE(prefix); j++, e++) {
                PyObject *el = PyTuple_GET_ITEM(prefix, j);
                s->el_off[e] = c;
                if (el == Py_None) {
                    s->el_n[e] = 0;
                    s->el_ascii[2 * e] = 0x03FF000000000000ULL; /* '0'..'9' */
                    continue;
                }
                Py_ssize_t len = PyUnicode_GET_LENGTH(el);
                int kind = PyUnicode_KIND(el);
                const void *data = PyUnicode_DATA(el);
                for (Py_ssize_t k = 0; k < len; k++) {
                    Py_UCS4 ch = PyUnicode_READ(kind, data, k);
                    s->chars[c++] = ch;
                    if (ch < 128) s->el_ascii[2 * e + (ch >> 6)] |= (uint64_t)1 << (ch & 63);
                }
                s->el_n[e] = (int32_t)len;
            }
        }
        /* Buckets by the first code point (ASCII), in prefix order; the rest in other_ids. */
        size_t total = 0;
        for (int ch = 0; ch < 128; ch++)
            for (Py_ssize_t i = 0; i < n; i++) total += first_holds_ascii(s, s->needle_first[i], (Py_UCS4)ch);
        s->bucket_ids = malloc((total ? total : 1) * sizeof(int32_t));
        if (!s->bucket_ids) {
            PyErr_NoMemory();
            ok = 0;
        }
    }
    if (ok) {
        int32_t at = 0;
        for (int ch = 0; ch < 128; ch++) {
            s->bucket_start[ch] = at;
            for (Py_ssize_t i = 0; i < n; i++)
                if (first_holds_ascii(s, s->needle_first[i], (Py_UCS4)ch)) s->bucket_ids[at++] = (int32_t)i;
        }
        s->bucket_start[128] = at;
        for (Py_ssize_t i = 0; i < n; i++) {
            int32_t first = s->needle_first[i];
            for (int c0 = 0; c0 < 128; c0++) {
                if (!first_holds_ascii(s, first, (Py_UCS4)c0)) continue;
                if (s->needle_len[i] == 1) {
                    s->single[c0] = 1;
                    continue;
                }
                for (int c1 = 0; c1 < 128; c1++)
                    if (first_holds_ascii(s, first + 1, (Py_UCS4)c1)) s->pair[(c0 * 128 + c1) >> 3] |= 1 << (c1 & 7);
            }
        }
        for (Py_ssize_t i = 0; i < n; i++)
            if (first_holds_other(s, s->needle_first[i])) s->other_ids[s->n_other++] = (int32_t)i;
        int32_t min_len = MAX_PREFIX_LEN;
        for (Py_ssize_t i = 0; i < n; i++)
            if (s->needle_len[i] < min_len) min_len = s->needle_len[i];
        /* The skip reads the first min_len elements; any shorter window is as safe, and 8 bounds the
           table's build (each element pair of each prefix sets up to 128 x 128 entries). */
        if (min_len > 8) min_len = 8;
        s->min_len = min_len;
        if (min_len >= 2) {
            s->shift = malloc(128 * 128);
            if (!s->shift) {
                PyErr_NoMemory();
                ok = 0;
            } else {
                memset(s->shift, min_len - 1, 128 * 128);
                /* A prefix whose elements j-1 and j (j < min_len) hold a and b: where the pair (a, b)
                   is read, that prefix may start min_len - 1 - j places before. */
                for (Py_ssize_t i = 0; i < n; i++) {
                    const uint64_t *bits = s->el_ascii + 2 * (Py_ssize_t)s->needle_first[i];
                    for (int32_t j = 1; j < min_len; j++) {
                        uint8_t d = (uint8_t)(min_len - 1 - j);
                        for (int a = 0; a < 128; a++) {
                            if (!(bits[2 * (j - 1) + (a >> 6)] >> (a & 63) & 1)) continue;
                            for (int b = 0; b < 128; b++)
                                if ((bits[2 * j + (b >> 6)] >> (b & 63) & 1) && s->shift[a * 128 + b] > d)
                                    s->shift[a * 128 + b] = d;
                        }
                    }
                }
            }
        }
    }
    Py_DECREF(seq);
    if (!ok) {
        scanner_free(s);
        return NULL;
    }
    PyObject *capsule = PyCapsule_New(s, CAPSULE, capsule_destructor);
    if (!capsule) scanner_free(s);
    return capsule;
}

static int needle_at(const Scanner *s, int32_t id, int kind, const void *data, Py_ssize_t p, Py_ssize_t n) {
    int32_t len = s->needle_len[id], first = s->needle_first[id];
    if (len > n - p) return 0;
    for (int32_t j = 0; j < len; j++)
        if (!element_has(s, first + j, PyUnicode_READ(kind, data, p + j))) return 0;
    return 1;
}

/* needle_at for an ASCII text, from its second element: the needle sits in the bucket of t[p]. */
static inline int needle_at_ascii(const Scanner *s, int32_t id, const unsigned char *t, Py_ssize_t p, Py_ssize_t n) {
    int32_t len = s->needle_len[id];
    if (len > n - p) return 0;
    const uint64_t *bits = s->el_ascii + 2 * (Py_ssize_t)s->needle_first[id];
    for (int32_t j = 1; j < len; j++) {
        unsigned c = t[p + j];
        if (!(bits[2 * j + (c >> 6)] >> (c & 63) & 1)) return 0;
    }
    return 1;
}

/* Whether a prefix occurs at index p of text. */
static int hit_at(const Scanner *s, PyObject *text, Py_ssize_t p) {
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    if (p >= n) return 0;
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_UCS4 ch = PyUnicode_READ(kind, data, p);
    if (ch < 128) {
        for (int32_t k = s->bucket_start[ch]; k < s->bucket_start[ch + 1]; k++)
            if (needle_at(s, s->bucket_ids[k], kind, data, p, n)) return 1;
        return 0;
    }
    for (Py_ssize_t k = 0; k < s->n_other; k++)
        if (needle_at(s, s->other_ids[k], kind, data, p, n)) return 1;
    return 0;
}

/* The first index >= pos where a prefix occurs, or -1. An ascii_only scanner reads a non-ASCII text
   as "a match may start anywhere": every index is a place to try. */
static Py_ssize_t scan_from(const Scanner *s, PyObject *text, Py_ssize_t pos) {
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    if (pos >= n) return -1;
    if (s->ascii_only && !PyUnicode_IS_ASCII(text)) return pos;
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    if (kind == PyUnicode_1BYTE_KIND && PyUnicode_IS_ASCII(text)) {
        const unsigned char *t = data;
        if (s->shift) {
            const Py_ssize_t m = s->min_len;
            for (Py_ssize_t p = pos; p + m <= n;) {
                uint8_t skip = s->shift[t[p + m - 2] * 128 + t[p + m - 1]];
                if (skip) {
                    p += skip;
                    continue;
                }
                unsigned c0 = t[p];
                int32_t b = s->bucket_start[c0], e = s->bucket_start[c0 + 1];
                for (int32_t k = b; k < e; k++)
                    if (needle_at_ascii(s, s->bucket_ids[k], t, p, n)) return p;
                p++;
            }
            return -1;
        }
        for (Py_ssize_t p = pos; p < n; p++) {
            unsigned c0 = t[p];
            if (!s->single[c0]) {
                if (p + 1 >= n) break;
                unsigned c1 = t[p + 1];
                if (!(s->pair[(c0 * 128 + c1) >> 3] & (1 << (c1 & 7)))) continue;
            }
            int32_t b = s->bucket_start[c0], e = s->bucket_start[c0 + 1];
            for (int32_t k = b; k < e; k++)
                if (needle_at_ascii(s, s->bucket_ids[k], t, p, n)) return p;
        }
        return -1;
    }
    for (Py_ssize_t p = pos; p < n; p++)
        if (hit_at(s, text, p)) return p;
    return -1;
}

/* first_hit(scanner, text) -> the first index where a prefix occurs, or -1 */
static PyObject *first_hit(PyObject *self, PyObject *args) {
    PyObject *capsule, *text;
    if (!PyArg_ParseTuple(args, "OU", &capsule, &text)) return NULL;
    Scanner *s = PyCapsule_GetPointer(capsule, CAPSULE);
    if (!s) return NULL;
    if (s->ascii_only && !PyUnicode_IS_ASCII(text)) return PyLong_FromLong(0);
    return PyLong_FromSsize_t(scan_from(s, text, 0));
}

static PyObject *str_end, *str_match, *str_search, *str_finditer;

/*
 * matches(scanner, pattern, first_only, text) -> what pattern.finditer(text) yields, as a list (or,
 * with first_only, what pattern.search(text) returns: a match or None), for a pattern that never
 * matches the empty string. pattern.match(text, pos) is called at the places where a prefix occurs,
 * in order: every match starts at one of them, so the first place where match() succeeds is where
 * search() finds its match, and after a match the next one is searched for from its end, as finditer
 * does. sre itself would try every character between those places. An ascii_only scanner does not
 * read a non-ASCII text: pattern.search or pattern.finditer runs on it as it is.
 */
static PyObject *matches(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 4) {
        PyErr_SetString(PyExc_TypeError, "matches(scanner, pattern, first_only, text)");
        return NULL;
    }
    Scanner *s = PyCapsule_GetPointer(args[0], CAPSULE);
    if (!s) return NULL;
    PyObject *pattern = args[1], *text = args[3];
    if (!PyUnicode_Check(text)) {
        PyErr_SetString(PyExc_TypeError, "matches: text must be a str");
        return NULL;
    }
    int first_only = PyObject_IsTrue(args[2]);
    if (first_only < 0) return NULL;
    if (s->ascii_only && !PyUnicode_IS_ASCII(text)) {
        PyObject *call_args[2] = {pattern, text};
        if (first_only) return PyObject_VectorcallMethod(str_search, call_args, 2 | PY_VECTORCALL_ARGUMENTS_OFFSET, NULL);
        PyObject *it = PyObject_VectorcallMethod(str_finditer, call_args, 2 | PY_VECTORCALL_ARGUMENTS_OFFSET, NULL);
        if (!it) return NULL;
        PyObject *list = PySequence_List(it);
        Py_DECREF(it);
        return list;
    }
    PyObject *found = NULL;
    if (!first_only && !(found = PyList_New(0))) return NULL;
    Py_ssize_t pos = 0;
    for (;;) {
        Py_ssize_t p = scan_from(s, text, pos);
        if (p < 0) break;
        PyObject *index = PyLong_FromSsize_t(p);
        if (!index) goto fail;
        PyObject *call_args[3] = {pattern, text, index};
        PyObject *m = PyObject_VectorcallMethod(str_match, call_args, 3 | PY_VECTORCALL_ARGUMENTS_OFFSET, NULL);
        Py_DECREF(index);
        if (!m) goto fail;
        if (m == Py_None) {
            Py_DECREF(m);
            pos = p + 1;
            continue;
        }
        if (first_only) return m;
        PyObject *end_obj = PyObject_CallMethodNoArgs(m, str_end);
        Py_ssize_t end = end_obj ? PyLong_AsSsize_t(end_obj) : -1;
        Py_XDECREF(end_obj);
        if (end < 0 && PyErr_Occurred()) {
            Py_DECREF(m);
            goto fail;
        }
        if (end <= p) {
            Py_DECREF(m);
            PyErr_SetString(PyExc_ValueError, "matches: the pattern matched the empty string");
            goto fail;
        }
        int appended = PyList_Append(found, m);
        Py_DECREF(m);
        if (appended < 0) goto fail;
        pos = end;
    }
    if (first_only) Py_RETURN_NONE;
    return found;
fail:
    Py_XDECREF(found);
    return NULL;
}

/* match_start(scanner, pattern, text) -> pattern.match(text), called only when a prefix occurs at
   index 0 (or, for an ascii_only scanner, when the text is not ASCII); otherwise None. */
static PyObject *match_start(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 3) {
        PyErr_SetString(PyExc_TypeError, "match_start(scanner, pattern, text)");
        return NULL;
    }
    Scanner *s = PyCapsule_GetPointer(args[0], CAPSULE);
    if (!s) return NULL;
    PyObject *text = args[2];
    if (!PyUnicode_Check(text)) {
        PyErr_SetString(PyExc_TypeError, "match_start: text must be a str");
        return NULL;
    }
    if ((s->ascii_only && !PyUnicode_IS_ASCII(text)) || hit_at(s, text, 0)) {
        PyObject *call_args[2] = {args[1], text};
        return PyObject_VectorcallMethod(str_match, call_args, 2 | PY_VECTORCALL_ARGUMENTS_OFFSET, NULL);
    }
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"compile", compile, METH_VARARGS,
     "compile(prefixes, ascii_only): a scanner for prefixes, each a tuple of elements (a str of the "
     "code points allowed there, or None for a decimal digit)."},
    {"first_hit", first_hit, METH_VARARGS,
     "first_hit(scanner, text): the first index of text where a prefix occurs, or -1 (0 for a "
     "non-ASCII text when the scanner is ascii_only)."},
    {"match_start", (PyCFunction)(void (*)(void))match_start, METH_FASTCALL,
     "match_start(scanner, pattern, text): pattern.match(text) where a prefix occurs at index 0, "
     "else None."},
    {"matches", (PyCFunction)(void (*)(void))matches, METH_FASTCALL,
     "matches(scanner, pattern, first_only, text): pattern.finditer's matches as a list (first_only: "
     "pattern.search's match or None), pattern.match called only where a prefix occurs; for patterns "
     "that never match ''."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_prefilter", NULL, -1, methods};

PyMODINIT_FUNC PyInit__prefilter(void) {
    str_end = PyUnicode_InternFromString("end");
    str_match = PyUnicode_InternFromString("match");
    str_search = PyUnicode_InternFromString("search");
    str_finditer = PyUnicode_InternFromString("finditer");
    if (!str_end || !str_match || !str_search || !str_finditer) return NULL;
    return PyModule_Create(&module);
}
