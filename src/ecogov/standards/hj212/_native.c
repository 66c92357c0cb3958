/*
 * The per-packet loops of the HJ 212 codec in C: the CRC16s (ecogov.standards.hj212.crc) and the
 * two scans of the parser's fast path (ecogov.standards.hj212.parser), which accept only what
 * breaks no rule and return None for anything else: the parser's careful path, in Python, then
 * reads the input again and says what is wrong with it.
 *
 * CRC. Appendix A's CRC16_Checkout does, for every byte b of the data segment, from 0xFFFF:
 *
 *     crc_reg = (crc_reg >> 8) ^ b;                  (not Modbus' crc ^= b)
 *     8 times: check = crc_reg & 1; crc_reg >>= 1; if (check) crc_reg ^= 0xA001;
 *
 * After the XOR the register is below 256, so the 8 rounds are a lookup: crc' = T[(crc >> 8) ^ b]
 * with T[x] the 8 rounds applied to x. CRC-16/MODBUS uses the same table as
 * crc' = (crc >> 8) ^ T[(crc ^ b) & 0xFF].
 *
 * is_valid_timestamp: the Table 3/Table 4 time values, checked on every packet (QN, DataTime).
 *
 * clean_frame: the §6.3.1 Table 2 frame checks of a well-formed frame in one pass, with the
 * Appendix A CRC of its data segment. match_layout: a CP area read against the field names,
 * separators and value kinds of its device's last layout (§6.3.3), values captured as the
 * parser's split at '=', ';' and ',' would read them.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <stdint.h>
#include <string.h>

#define CRC_INIT 0xFFFFu
#define CRC_POLY 0xA001u
#define FRAME_OVERHEAD 12 /* "##" + 4 length digits + 4 CRC digits + CR LF */

static uint16_t table[256];

static void build_table(void)
{
    for (unsigned int x = 0; x < 256; x++) {
        unsigned int reg = x;
        for (int round = 0; round < 8; round++) {
            reg = (reg & 1u) ? (reg >> 1) ^ CRC_POLY : reg >> 1;
        }
        table[x] = (uint16_t)reg;
    }
}

/* The CRC of a bytes-like object: Appendix A's, or Modbus' when `modbus` is set. */
static PyObject *crc16_of(PyObject *data, int modbus)
{
    Py_buffer view;
    if (PyObject_GetBuffer(data, &view, PyBUF_SIMPLE) < 0) {
        return NULL;
    }
    const unsigned char *bytes = view.buf;
    unsigned int reg = CRC_INIT;
    if (modbus) {
        for (Py_ssize_t i = 0; i < view.len; i++) {
            reg = (reg >> 8) ^ table[(reg ^ bytes[i]) & 0xFFu];
        }
    } else {
        for (Py_ssize_t i = 0; i < view.len; i++) {
            reg = table[(reg >> 8) ^ bytes[i]];
        }
    }
    PyBuffer_Release(&view);
    return PyLong_FromUnsignedLong(reg);
}

static PyObject *crc16_hj212(PyObject *module, PyObject *data)
{
    (void)module;
    return crc16_of(data, 0);
}

static PyObject *crc16_modbus(PyObject *module, PyObject *data)
{
    (void)module;
    return crc16_of(data, 1);
}

/* The index after the run of ASCII digits starting at text[at] (at most end). */
static Py_ssize_t digits_end(const unsigned char *text, Py_ssize_t at, Py_ssize_t end)
{
    while (at < end && text[at] >= '0' && text[at] <= '9') {
        at++;
    }
    return at;
}

/* The value of n ASCII digits. */
static int digits_value(const unsigned char *text, int n)
{
    int value = 0;
    for (int i = 0; i < n; i++) {
        value = value * 10 + (text[i] - '0');
    }
    return value;
}

/* The value of a hex digit of either case (Table 2 CRC field), or -1. */
static int hex_digit(unsigned char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    return -1;
}

/*
 * clean_frame(raw: bytes, max_segment_length: int) -> (segment, crc_field, declared, computed)
 * or None: a frame "##" + 4 decimal digits equal to the data segment's length (at most
 * max_segment_length) + the segment, all ASCII + 4 hex digits + CR LF. Returns the segment and
 * the CRC field as text, the CRC the field declares and the Appendix A CRC of the segment.
 */
static PyObject *clean_frame(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    (void)module;
    if (nargs != 2 || !PyBytes_Check(args[0])) {
        PyErr_SetString(PyExc_TypeError, "clean_frame(raw: bytes, max_segment_length: int)");
        return NULL;
    }
    Py_ssize_t limit = PyLong_AsSsize_t(args[1]);
    if (limit == -1 && PyErr_Occurred()) {
        return NULL;
    }
    const unsigned char *raw = (const unsigned char *)PyBytes_AS_STRING(args[0]);
    Py_ssize_t size = PyBytes_GET_SIZE(args[0]);
    Py_ssize_t segment_size = size - FRAME_OVERHEAD;
    if (segment_size < 0 || segment_size > limit || raw[0] != '#' || raw[1] != '#'
        || raw[size - 2] != '\r' || raw[size - 1] != '\n') {
        Py_RETURN_NONE;
    }
    if (digits_end(raw, 2, 6) != 6 || digits_value(raw + 2, 4) != segment_size) {
        Py_RETURN_NONE;
    }
    const unsigned char *crc_field = raw + size - 6;
    long declared = 0;
    for (int i = 0; i < 4; i++) {
        int digit = hex_digit(crc_field[i]);
        if (digit < 0) {
            Py_RETURN_NONE;
        }
        declared = declared * 16 + digit;
    }
    const unsigned char *segment = raw + 6;
    unsigned int reg = CRC_INIT;
    unsigned char high = 0;
    for (Py_ssize_t i = 0; i < segment_size; i++) {
        high |= segment[i];
        reg = table[(reg >> 8) ^ segment[i]];
    }
    if (high & 0x80u) {
        Py_RETURN_NONE; /* not ASCII: the careful path decodes it */
    }
    return Py_BuildValue(
        "(N N l I)",
        PyUnicode_DecodeASCII((const char *)segment, segment_size, NULL),
        PyUnicode_DecodeASCII((const char *)crc_field, 4, NULL),
        declared,
        reg);
}

/* Whether text[start:end] is a §6.3.3.2.2 number: [+-]?[0-9]+(\.[0-9]+)? */
static int is_number(const unsigned char *text, Py_ssize_t start, Py_ssize_t end)
{
    Py_ssize_t at = start;
    if (at < end && (text[at] == '+' || text[at] == '-')) {
        at++;
    }
    Py_ssize_t integer_end = digits_end(text, at, end);
    if (integer_end == at) {
        return 0;
    }
    at = integer_end;
    if (at < end && text[at] == '.') {
        Py_ssize_t fraction_end = digits_end(text, at + 1, end);
        if (fraction_end == at + 1) {
            return 0;
        }
        at = fraction_end;
    }
    return at == end;
}

/* Value kinds of match_layout's `kinds`, one byte per field. */
#define KIND_NUMBER 'n' /* a plain number */
#define KIND_FLAG 'f'   /* one of the data flags */
#define KIND_ANY 'a'    /* anything the split leaves: checked by the caller */

/*
 * match_layout(cp: str, names: tuple[str, ...], separators: str, kinds: bytes,
 *              flags: frozenset[str]) -> tuple[str, ...] | None
 *
 * The values of an ASCII CP area that is exactly names[0]=v0 separators[0] names[1]=v1 ...,
 * where each value runs to the next '=', ';' or ',' and is a number (kind 'n'), a member of
 * `flags` ('f') or anything ('a'); None when the area has another shape or a value fails.
 */
static PyObject *match_layout(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    (void)module;
    if (nargs != 5 || !PyUnicode_Check(args[0]) || !PyTuple_Check(args[1])
        || !PyUnicode_Check(args[2]) || !PyBytes_Check(args[3]) || !PyAnySet_Check(args[4])) {
        PyErr_SetString(PyExc_TypeError,
                        "match_layout(cp: str, names: tuple, separators: str, kinds: bytes, "
                        "flags: frozenset)");
        return NULL;
    }
    PyObject *cp = args[0], *names = args[1], *separators = args[2], *flags = args[4];
    Py_ssize_t count = PyTuple_GET_SIZE(names);
    if (PyBytes_GET_SIZE(args[3]) != count || PyUnicode_GET_LENGTH(separators) != count - 1
        || !PyUnicode_IS_ASCII(separators)) {
        PyErr_SetString(PyExc_ValueError, "match_layout: one kind per name, one separator between");
        return NULL;
    }
    if (!PyUnicode_IS_ASCII(cp)) {
        Py_RETURN_NONE;
    }
    const unsigned char *text = PyUnicode_1BYTE_DATA(cp);
    const unsigned char *between = PyUnicode_1BYTE_DATA(separators);
    const char *kinds = PyBytes_AS_STRING(args[3]);
    Py_ssize_t size = PyUnicode_GET_LENGTH(cp);
    PyObject *values = PyTuple_New(count);
    if (values == NULL) {
        return NULL;
    }
    Py_ssize_t at = 0;
    for (Py_ssize_t index = 0; index < count; index++) {
        if (index > 0) {
            if (at >= size || text[at] != between[index - 1]) {
                goto mismatch;
            }
            at++;
        }
        PyObject *name = PyTuple_GET_ITEM(names, index);
        if (!PyUnicode_Check(name) || !PyUnicode_IS_ASCII(name)) {
            goto mismatch;
        }
        Py_ssize_t name_size = PyUnicode_GET_LENGTH(name);
        if (size - at < name_size + 1 || memcmp(text + at, PyUnicode_1BYTE_DATA(name), name_size)
            || text[at + name_size] != '=') {
            goto mismatch;
        }
        at += name_size + 1;
        Py_ssize_t start = at;
        while (at < size && text[at] != '=' && text[at] != ';' && text[at] != ',') {
            at++;
        }
        if (kinds[index] == KIND_NUMBER && !is_number(text, start, at)) {
            goto mismatch;
        }
        PyObject *value = PyUnicode_Substring(cp, start, at);
        if (value == NULL) {
            Py_DECREF(values);
            return NULL;
        }
        PyTuple_SET_ITEM(values, index, value);
        if (kinds[index] == KIND_FLAG) {
            int member = PySet_Contains(flags, value);
            if (member < 0) {
                Py_DECREF(values);
                return NULL;
            }
            if (!member) {
                goto mismatch;
            }
        }
    }
    if (at != size) {
        goto mismatch;
    }
    return values;
mismatch:
    Py_DECREF(values);
    Py_RETURN_NONE;
}

/* Days in each month of a Gregorian year (index 1-12; February of a leap year has 29). */
static int days_in(int year, int month)
{
    static const int days[13] = {0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    return month == 2 && leap ? 29 : days[month];
}

/*
 * is_valid_timestamp(text, /, *, millis=False) -> bool: whether text is YYYYMMDDhhmmss (Table 4
 * N14; millis False), YYYYMMDDhhmmsszzz (Table 3 QN; True) or either (None), all ASCII digits,
 * naming a real Gregorian date from year 1 and a time of day 00:00:00-23:59:59.
 */
static PyObject *is_valid_timestamp(PyObject *module, PyObject *args, PyObject *kwargs)
{
    (void)module;
    static char *keywords[] = {"", "millis", NULL};
    PyObject *text;
    PyObject *millis = Py_False;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "U|$O:is_valid_timestamp", keywords, &text,
                                     &millis)) {
        return NULL;
    }
    Py_ssize_t size = PyUnicode_GET_LENGTH(text);
    int sized;
    if (millis == Py_None) {
        sized = size == 14 || size == 17;
    } else {
        int wanted = PyObject_IsTrue(millis);
        if (wanted < 0) {
            return NULL;
        }
        sized = size == (wanted ? 17 : 14);
    }
    if (!sized || !PyUnicode_IS_ASCII(text)) {
        Py_RETURN_FALSE;
    }
    const unsigned char *digits = PyUnicode_1BYTE_DATA(text);
    if (digits_end(digits, 0, size) != size) {
        Py_RETURN_FALSE;
    }
    int year = digits_value(digits, 4), month = digits_value(digits + 4, 2);
    int day = digits_value(digits + 6, 2);
    int valid = year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= days_in(year, month)
                && digits_value(digits + 8, 2) < 24 && digits[10] < '6' && digits[12] < '6';
    return PyBool_FromLong(valid);
}

static PyMethodDef methods[] = {
    {"crc16_hj212", crc16_hj212, METH_O,
     "crc16_hj212(data, /)\n--\n\nCRC16 of HJ 212-2017 Appendix A over a bytes-like object."},
    {"crc16_modbus", crc16_modbus, METH_O,
     "crc16_modbus(data, /)\n--\n\nCRC-16/MODBUS over a bytes-like object."},
    {"clean_frame", (PyCFunction)(void (*)(void))clean_frame, METH_FASTCALL,
     "clean_frame(raw, max_segment_length, /)\n--\n\n"
     "(segment, crc_field, declared CRC, Appendix A CRC) of a well-formed ASCII frame, or None."},
    {"is_valid_timestamp", (PyCFunction)(void (*)(void))is_valid_timestamp,
     METH_VARARGS | METH_KEYWORDS,
     "is_valid_timestamp(text, /, *, millis=False)\n--\n\n"
     "Whether text is YYYYMMDDhhmmss (Table 4 N14; millis False), YYYYMMDDhhmmsszzz (Table 3 "
     "QN; True) or either (None): ASCII digits naming a real date and time of day."},
    {"match_layout", (PyCFunction)(void (*)(void))match_layout, METH_FASTCALL,
     "match_layout(cp, names, separators, kinds, flags, /)\n--\n\n"
     "The values of a CP area of exactly this layout with valid numbers and flags, or None."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT,
    "_native",
    "The HJ 212 codec's per-packet loops: CRC16s, time values and the parser's fast-path scans.",
    -1,
    methods,
    NULL,
    NULL,
    NULL,
    NULL,
};

PyMODINIT_FUNC PyInit__native(void)
{
    build_table();
    return PyModule_Create(&module);
}
