/*
 * The English check's word count (`english_share` in language.py) in C.
 *
 * Why C: splitting a whole article into words with a regex was most of the check's time. The C
 * scan reads the text's code points; ASCII letters make words, and every other character outside
 * ASCII that is neither a letter nor a digit (quotes, dashes, currency signs, spaces) separates
 * them, as \W does. A text with any other non-ASCII letter or digit is left to Python (None),
 * since its lower case and its word characters are Unicode's.
 * tests/articles/extraction/test_language.py compares both paths.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_WORDS 256

static uint64_t words[MAX_WORDS]; /* each word packed into 8 bytes, sorted */
static int n_words = 0;

static int cmp_u64(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

static PyObject *set_words(PyObject *self, PyObject *arg) {
    if (PyUnicode_Check(arg)) {
        PyErr_SetString(PyExc_TypeError, "set_words: a sequence of words, not one str");
        return NULL;
    }
    PyObject *seq = PySequence_Fast(arg, "set_words: a sequence of lowercase ASCII words");
    if (!seq) return NULL;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
    if (n > MAX_WORDS) {
        Py_DECREF(seq);
        PyErr_SetString(PyExc_ValueError, "set_words: at most 256 words");
        return NULL;
    }
    uint64_t packed[MAX_WORDS];
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *item = PySequence_Fast_GET_ITEM(seq, i);
        Py_ssize_t len;
        const char *s = PyUnicode_Check(item) && PyUnicode_IS_ASCII(item) ? PyUnicode_AsUTF8AndSize(item, &len) : NULL;
        int letters = s != NULL && len >= 1 && len <= 8;
        for (Py_ssize_t k = 0; letters && k < len; k++) letters = s[k] >= 'a' && s[k] <= 'z';
        if (!letters) {
            Py_DECREF(seq);
            PyErr_SetString(PyExc_ValueError, "set_words: lowercase ASCII words of 1 to 8 letters");
            return NULL;
        }
        uint64_t v = 0;
        for (Py_ssize_t k = 0; k < len; k++) v = (v << 8) | (unsigned char)s[k];
        packed[i] = v;
    }
    Py_DECREF(seq);
    qsort(packed, (size_t)n, sizeof(uint64_t), cmp_u64);
    memcpy(words, packed, (size_t)n * sizeof(uint64_t));
    n_words = (int)n;
    Py_RETURN_NONE;
}

static int known(uint64_t v) {
    int lo = 0, hi = n_words - 1;
    while (lo <= hi) {
        int mid = (lo + hi) / 2;
        if (words[mid] == v) return 1;
        if (words[mid] < v) lo = mid + 1;
        else hi = mid - 1;
    }
    return 0;
}

/* english_words(text, limit) -> (known words, words) over text[:limit], or None */
static PyObject *english_words(PyObject *self, PyObject *args) {
    PyObject *text;
    Py_ssize_t limit;
    if (!PyArg_ParseTuple(args, "Un", &text, &limit)) return NULL;
    if (limit < 0) {
        PyErr_SetString(PyExc_ValueError, "english_words: limit must not be negative");
        return NULL;
    }
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    if (limit < n) n = limit;
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t hits = 0, count = 0, len = 0;
    uint64_t v = 0;
    for (Py_ssize_t i = 0; i <= n; i++) {
        Py_UCS4 ch = i < n ? PyUnicode_READ(kind, data, i) : ' ';
        if (ch >= 'A' && ch <= 'Z') ch += 32;
        if (ch >= 'a' && ch <= 'z') {
            if (len < 9) v = (v << 8) | ch;
            len++;
            continue;
        }
        if (ch >= 128 && Py_UNICODE_ISALNUM(ch)) Py_RETURN_NONE; /* Unicode's rules: Python decides */
        if (len) {
            count++;
            if (len <= 8 && known(v)) hits++;
            len = 0;
            v = 0;
        }
    }
    return Py_BuildValue("nn", hits, count);
}

static PyMethodDef methods[] = {
    {"set_words", set_words, METH_O, "set_words(words): the English function words (lowercase ASCII)."},
    {"english_words", english_words, METH_VARARGS,
     "english_words(text, limit): (English words, words) in text[:limit], or None for Python to count."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_language", NULL, -1, methods};

PyMODINIT_FUNC PyInit__language(void) { return PyModule_Create(&module); }
