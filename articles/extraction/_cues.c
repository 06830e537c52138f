/*
 * The handcrafted cues of the check-worthiness model (`handcrafted_features` in
 * checkworthiness.py) in C, for ASCII sentences.
 *
 * Why C: the cues were a dozen regex calls per sentence, as much time as all the hashed features.
 * For ASCII text every pattern there is a small set of literal words between word boundaries,
 * digits and capitals, and Python's \w, \d and \s reduce to their ASCII classes, so a single scan
 * gives the same answers. A sentence with any other character is left to Python (the function
 * returns its index), and so is one of 256 words or more (its length cue is computed by numpy).
 * tests/articles/extraction/test_cues_speedup.py compares both paths on every text it has.
 *
 * The word lists come from Python (`set_phrases`), in the order their regex tries them, so both
 * paths read one list.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

#define N_CUES 17
#define MAX_PHRASES 128

typedef struct {
    const char *s[MAX_PHRASES];
    Py_ssize_t len[MAX_PHRASES];
    int n;
    /* the phrases that open with each byte, in list order: one letter's few, not the whole list */
    unsigned char by_first[256][MAX_PHRASES];
    int n_first[256];
    PyObject *owner; /* the tuple holding the strings */
} Phrases;

static Phrases hedges, greetings, fact_words;
static double log_words[256];
static int configured = 0;

static inline int is_word(unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}
static inline int is_digit(unsigned char c) { return c >= '0' && c <= '9'; }
static inline int is_upper(unsigned char c) { return c >= 'A' && c <= 'Z'; }
static inline int is_lower(unsigned char c) { return c >= 'a' && c <= 'z'; }
/* str.isspace() and re's \s for ASCII characters */
static inline int is_space(unsigned char c) { return c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1c && c <= 0x1f); }

/* A tuple of at most 128 non-empty ASCII phrases, each opening and closing with a word character
 * (phrase_at reads the boundary around a phrase as \b does only then). Checks, changes nothing. */
static int check_phrases(PyObject *tuple) {
    if (!PyTuple_Check(tuple) || PyTuple_GET_SIZE(tuple) > MAX_PHRASES) {
        PyErr_SetString(PyExc_ValueError, "set_phrases: a tuple of at most 128 ASCII strings");
        return -1;
    }
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(tuple); i++) {
        PyObject *item = PyTuple_GET_ITEM(tuple, i);
        if (!PyUnicode_Check(item) || !PyUnicode_IS_ASCII(item) || PyUnicode_GET_LENGTH(item) == 0) {
            PyErr_SetString(PyExc_ValueError, "set_phrases: a tuple of non-empty ASCII strings");
            return -1;
        }
        const unsigned char *b = PyUnicode_1BYTE_DATA(item);
        if (!is_word(b[0]) || !is_word(b[PyUnicode_GET_LENGTH(item) - 1])) {
            PyErr_SetString(PyExc_ValueError, "set_phrases: each phrase opens and closes with a word character");
            return -1;
        }
    }
    return 0;
}

/* Load a tuple that check_phrases accepted: it cannot fail. */
static void load_phrases(Phrases *p, PyObject *tuple) {
    int n = (int)PyTuple_GET_SIZE(tuple);
    for (int i = 0; i < n; i++) {
        PyObject *item = PyTuple_GET_ITEM(tuple, i);
        p->s[i] = (const char *)PyUnicode_1BYTE_DATA(item);
        p->len[i] = PyUnicode_GET_LENGTH(item);
    }
    Py_XSETREF(p->owner, Py_NewRef(tuple));
    p->n = n;
    memset(p->n_first, 0, sizeof(p->n_first));
    for (int i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p->s[i][0];
        p->by_first[c][p->n_first[c]++] = (unsigned char)i;
    }
}

/* At a word start `at` of lowercase `s`, the length of the first phrase (in list order) that
 * matches there and ends at a word boundary, or 0: the regex `\b(?:a|b|...)\b` tried at `at`. */
static Py_ssize_t phrase_at(const Phrases *p, const char *s, Py_ssize_t n, Py_ssize_t at) {
    unsigned char c = (unsigned char)s[at];
    for (int k = 0; k < p->n_first[c]; k++) {
        int i = p->by_first[c][k];
        Py_ssize_t len = p->len[i];
        if (at + len <= n && memcmp(s + at, p->s[i], (size_t)len) == 0 &&
            (at + len == n || !is_word((unsigned char)s[at + len])))
            return len;
    }
    return 0;
}

/* Non-overlapping matches of `\b(?:phrases)\b` in lowercase `s`, left to right (re.findall). */
static int count_phrases(const Phrases *p, const char *s, Py_ssize_t n, int stop_at) {
    int count = 0;
    Py_ssize_t i = 0;
    while (i < n) {
        if (is_word((unsigned char)s[i]) && (i == 0 || !is_word((unsigned char)s[i - 1]))) {
            Py_ssize_t len = phrase_at(p, s, n, i);
            if (len) {
                if (++count >= stop_at) return count;
                i += len;
                continue;
            }
        }
        i++;
    }
    return count;
}

static inline int starts(const char *s, Py_ssize_t n, Py_ssize_t at, const char *lit) {
    Py_ssize_t len = (Py_ssize_t)strlen(lit);
    return at + len <= n && memcmp(s + at, lit, (size_t)len) == 0;
}

/* One ASCII sentence; 0 when it must go to Python (256 words or more). */
static int sentence_cues(const char *raw, Py_ssize_t raw_n, char *low, float *row) {
    Py_ssize_t a = 0, b = raw_n;
    while (a < b && is_space((unsigned char)raw[a])) a++;
    while (b > a && is_space((unsigned char)raw[b - 1])) b--;
    const char *t = raw + a;
    Py_ssize_t n = b - a;
    for (Py_ssize_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)t[i];
        low[i] = (char)(is_upper(c) ? c + 32 : c);
    }
    int n_words = 0;
    for (Py_ssize_t i = 0; i < n; i++)
        if (!is_space((unsigned char)t[i]) && (i == 0 || is_space((unsigned char)t[i - 1]))) n_words++;
    if (n_words >= 256) return 0;

    int has_digit = 0, runs = 0, percent_sign = 0, has_percent = 0, has_money = 0, has_year = 0;
    int capitalised = 0, acronym = 0, exclamation = 0, first_person = 0, second_person = 0, has_you = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)t[i];
        if (is_digit(c)) {
            has_digit = 1;
            if (i == 0 || !is_digit((unsigned char)t[i - 1])) runs++;
        }
        if (c == '%') percent_sign = 1;
        if (c == '!') exclamation = 1;
    }
    has_percent = percent_sign; /* a bare "%" counts with or without a digit */
    if (has_digit) {
        for (Py_ssize_t i = 0; i < n && !(has_percent && has_money && has_year); i++) {
            if (!is_digit((unsigned char)low[i])) continue;
            Py_ssize_t j = i + 1;
            while (j < n && is_space((unsigned char)low[j])) j++;
            /* \d\s*(%|percent|per cent) and \d\s*(dollars|pounds|euros), on the lowercase text */
            if (!has_percent && (starts(low, n, j, "%") || starts(low, n, j, "percent") || starts(low, n, j, "per cent")))
                has_percent = 1;
            if (!has_money && (starts(low, n, j, "dollars") || starts(low, n, j, "pounds") || starts(low, n, j, "euros")))
                has_money = 1;
            /* (?:1(?<!\w1)[89]|2(?<!\w2)0)\d\d\b on the text */
            if (!has_year && (i == 0 || !is_word((unsigned char)t[i - 1])) && i + 4 <= n &&
                ((t[i] == '1' && (t[i + 1] == '8' || t[i + 1] == '9')) || (t[i] == '2' && t[i + 1] == '0')) &&
                is_digit((unsigned char)t[i + 2]) && is_digit((unsigned char)t[i + 3]) &&
                (i + 4 == n || !is_word((unsigned char)t[i + 4])))
                has_year = 1;
        }
        /* [$£€]\s*\d: only $ is ASCII */
        for (Py_ssize_t i = 0; i < n && !has_money; i++) {
            if (low[i] != '$') continue;
            Py_ssize_t j = i + 1;
            while (j < n && is_space((unsigned char)low[j])) j++;
            if (j < n && is_digit((unsigned char)low[j])) has_money = 1;
        }
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)t[i];
        if (!is_upper(c)) continue;
        /* [A-Z](?<=[\w,;:] [A-Z])[a-z]+ : a capitalised word after a space that follows a word
         * character or , ; : (findall: the next match starts after this one's lowercase run) */
        if (i >= 2 && t[i - 1] == ' ' && (is_word((unsigned char)t[i - 2]) || t[i - 2] == ',' || t[i - 2] == ';' || t[i - 2] == ':') &&
            i + 1 < n && is_lower((unsigned char)t[i + 1])) {
            capitalised++;
            Py_ssize_t j = i + 1;
            while (j < n && is_lower((unsigned char)t[j])) j++;
            i = j - 1;
            continue;
        }
        /* [A-Z](?<=\b[A-Z])[A-Z]+\b : two or more capitals making a whole word */
        if (!acronym && (i == 0 || !is_word((unsigned char)t[i - 1]))) {
            Py_ssize_t j = i;
            while (j < n && is_upper((unsigned char)t[j])) j++;
            if (j - i >= 2 && (j == n || !is_word((unsigned char)t[j]))) acronym = 1;
        }
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        if (i > 0 && is_word((unsigned char)low[i - 1])) continue;
        char c = low[i];
        /* (?:i(?<!\wi)|m(?<!\wm)[ey])\b */
        if (c == 'i' && (i + 1 == n || !is_word((unsigned char)low[i + 1]))) first_person++;
        else if (c == 'm' && i + 1 < n && (low[i + 1] == 'e' || low[i + 1] == 'y') &&
                 (i + 2 == n || !is_word((unsigned char)low[i + 2])))
            first_person++;
        /* y(?<!\wy)our?\b */
        else if (c == 'y' && starts(low, n, i, "you")) {
            if (starts(low, n, i, "your") && (i + 4 == n || !is_word((unsigned char)low[i + 4]))) second_person++;
            else if (i + 3 == n || !is_word((unsigned char)low[i + 3])) second_person++;
        }
    }
    for (Py_ssize_t i = 0; i + 3 <= n && !has_you; i++)
        if (low[i] == 'y' && low[i + 1] == 'o' && low[i + 2] == 'u') has_you = 1;
    int hedge_count = count_phrases(&hedges, low, n, 3);
    int greeting = count_phrases(&greetings, low, n, 1) > 0;
    int fact_count = count_phrases(&fact_words, low, n, 4);

    int k = runs < 5 ? runs : 5;
    double n_numbers = has_digit ? (double)k / 5 : 0.0;
    row[0] = n_numbers > 0;
    row[1] = (float)n_numbers;
    row[2] = has_percent;
    row[3] = has_money;
    row[4] = has_year;
    row[5] = (float)((double)(capitalised < 5 ? capitalised : 5) / 5);
    row[6] = acronym;
    row[7] = n > 0 && t[n - 1] == '?';
    row[8] = exclamation;
    row[9] = (float)((double)hedge_count / 3);
    row[10] = (float)((double)(first_person < 4 ? first_person : 4) / 4);
    row[11] = has_you ? (float)((double)(second_person < 4 ? second_person : 4) / 4) : 0.0f;
    row[12] = greeting;
    row[13] = (float)((double)fact_count / 4);
    row[14] = (float)log_words[n_words];
    row[15] = n_words < 6;
    row[16] = (n > 0 && t[n - 1] == '-') || (n >= 3 && memcmp(t + n - 3, "...", 3) == 0);
    return 1;
}

static PyObject *set_phrases(PyObject *self, PyObject *args) {
    PyObject *h, *g, *f;
    Py_buffer logs;
    if (!PyArg_ParseTuple(args, "OOOy*", &h, &g, &f, &logs)) return NULL;
    if (logs.len != 256 * (Py_ssize_t)sizeof(double)) {
        PyBuffer_Release(&logs);
        PyErr_SetString(PyExc_ValueError, "set_phrases: 256 float64 word-count logs");
        return NULL;
    }
    /* Everything is checked before anything changes: a refused call leaves the tables as they were. */
    if (check_phrases(h) < 0 || check_phrases(g) < 0 || check_phrases(f) < 0) {
        PyBuffer_Release(&logs);
        return NULL;
    }
    memcpy(log_words, logs.buf, sizeof(log_words));
    PyBuffer_Release(&logs);
    load_phrases(&hedges, h);
    load_phrases(&greetings, g);
    load_phrases(&fact_words, f);
    configured = 1;
    Py_RETURN_NONE;
}

static PyObject *cues(PyObject *self, PyObject *args) {
    PyObject *texts;
    Py_buffer out;
    if (!PyArg_ParseTuple(args, "O!w*", &PyList_Type, &texts, &out)) return NULL;
    PyObject *left = NULL;
    char *low = NULL;
    Py_ssize_t n = PyList_GET_SIZE(texts);
    if (!configured) {
        PyErr_SetString(PyExc_RuntimeError, "cues: call set_phrases first");
        goto done;
    }
    if (out.len != n * N_CUES * (Py_ssize_t)sizeof(float)) {
        PyErr_SetString(PyExc_ValueError, "cues: out must hold len(texts) x 17 float32");
        goto done;
    }
    left = PyList_New(0);
    if (!left) goto done;
    Py_ssize_t cap = 0;
    for (Py_ssize_t r = 0; r < n; r++) {
        PyObject *item = PyList_GET_ITEM(texts, r);
        float *row = (float *)out.buf + r * N_CUES;
        int done_here = 0;
        if (PyUnicode_Check(item) && PyUnicode_IS_ASCII(item)) {
            Py_ssize_t size;
            const char *s = PyUnicode_AsUTF8AndSize(item, &size);
            if (!s) goto fail;
            if (size + 1 > cap) {
                char *grown = realloc(low, (size_t)size + 1);
                if (!grown) {
                    PyErr_NoMemory();
                    goto fail;
                }
                low = grown;
                cap = size + 1;
            }
            done_here = sentence_cues(s, size, low, row);
        }
        if (!done_here) {
            PyObject *index = PyLong_FromSsize_t(r);
            if (!index || PyList_Append(left, index) < 0) {
                Py_XDECREF(index);
                goto fail;
            }
            Py_DECREF(index);
        }
    }
    goto done;
fail:
    Py_CLEAR(left);
done:
    free(low);
    PyBuffer_Release(&out);
    return left;
}

static PyMethodDef methods[] = {
    {"set_phrases", set_phrases, METH_VARARGS,
     "set_phrases(hedges, greetings, fact_words, log_words): the word lists (tuples, in regex order) "
     "and log1p(n) / 4 for n in 0..255."},
    {"cues", cues, METH_VARARGS,
     "cues(texts, out): fill out (len(texts) x 17 float32) for ASCII texts; the indices left to Python."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_cues", NULL, -1, methods};

PyMODINIT_FUNC PyInit__cues(void) { return PyModule_Create(&module); }
