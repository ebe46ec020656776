/* csljson_read.c: CSL-JSON -> a library of records.
 *
 * CSL-JSON is the item format of citeproc-js, Zotero, pandoc and the CSL test suite: an
 * array of objects, one per item, keyed by CSL 1.0.2 variable names (the schema is
 * citation-style-language/schema, csl-data.json). jansson parses the text; this file maps
 * the values onto the record model and reports what it cannot map.
 *
 * jansson gives no positions for values, only for syntax errors. So that a warning about an
 * item can point at it, a small scanner (locate_*) walks the text jansson has already
 * accepted to find where each item, and on demand each key of an item, starts.
 *
 * Nothing is dropped silently: a key that is no CSL variable becomes a kept field, a date key
 * the model has no place for becomes an attribute of the date field (its JSON text), and what
 * cannot be kept at all is reported. */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "bibtex.h"
#include "csljson.h"
#include "lineindex.h"

typedef struct reader {
    const char *src; /* the text after a byte order mark, if any */
    size_t len;
    size_t base; /* bytes of the byte order mark: offsets reported are base + offset in src */
    const char *file;
    cite_diag *diag;
    cite_lineindex lines;
    cite_library *lib;
    cite_buf text; /* scratch for converted strings */
    int status;    /* 0, or CITE_EPARSE once an item was skipped */
} reader;

/* Where the item being read starts in src, and which item it is. */
typedef struct item_pos {
    size_t offset;
    size_t index; /* 1-based position in the array, for messages */
} item_pos;

/* ---- diagnostics ---------------------------------------------------------------------- */

static void report_at(reader *r, cite_severity sev, size_t offset, const char *fmt, ...)
    CITE_PRINTF(4, 5);

static void report_at(reader *r, cite_severity sev, size_t offset, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    cite_lineindex_report(&r->lines, r->diag, sev, r->file, offset, r->base, fmt, ap);
    va_end(ap);
    if (sev == CITE_SEV_ERROR)
        r->status = CITE_EPARSE;
}

/* A syntax error as jansson located it: its line and column (code points, 1-based; 0 when
 * the input is empty) and position (bytes read, so the offending byte is the one before). */
static void report_syntax(reader *r, const json_error_t *e)
{
    size_t offset = e->position > 0 ? (size_t)e->position - 1 : 0;
    if (offset > r->len)
        offset = r->len;
    const char *line;
    size_t line_len;
    cite_lineindex_line(&r->lines, offset, &line, &line_len);
    cite_loc at = { .file = r->file,
                    .offset = r->base + offset,
                    .line = e->line > 0 ? (unsigned)e->line : 0,
                    .col = e->column > 0 ? (unsigned)e->column : 0 };
    cite_diag_report_excerpt(r->diag, CITE_SEV_ERROR, at, line, line_len, "invalid JSON: %s",
                             e->text);
}

/* ---- locating values in text jansson accepted ------------------------------------------ */

static size_t skip_blank(const char *s, size_t len, size_t i)
{
    while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
        i++;
    return i;
}

/* s[i] is '"': the index just past the closing quote. */
static size_t skip_string(const char *s, size_t len, size_t i)
{
    for (i++; i < len && s[i] != '"'; i++)
        if (s[i] == '\\')
            i++;
    return i < len ? i + 1 : len;
}

/* The index just past the value starting at s[i]. Containers are skipped by counting
 * brackets outside strings, which is exact for valid JSON. */
static size_t skip_value(const char *s, size_t len, size_t i)
{
    if (i >= len)
        return len;
    if (s[i] == '"')
        return skip_string(s, len, i);
    if (s[i] != '{' && s[i] != '[') {
        while (i < len && !strchr(",]} \t\r\n", s[i]))
            i++;
        return i;
    }
    size_t depth = 0;
    for (; i < len; i++) {
        if (s[i] == '"') {
            i = skip_string(s, len, i) - 1;
        } else if (s[i] == '{' || s[i] == '[') {
            depth++;
        } else if ((s[i] == '}' || s[i] == ']') && --depth == 0) {
            return i + 1;
        }
    }
    return len;
}

/* The offsets of the first n elements of the array starting at s[at] == '['. */
static void locate_elements(size_t *offsets, size_t n, const char *s, size_t len, size_t at)
{
    size_t i = at + 1, k = 0;
    for (; k < n; k++) {
        i = skip_blank(s, len, i);
        if (i >= len || s[i] == ']')
            break;
        offsets[k] = i;
        i = skip_blank(s, len, skip_value(s, len, i));
        if (i < len && s[i] == ',')
            i++;
    }
    for (; k < n; k++)
        offsets[k] = at; /* not found (cannot happen for valid JSON): point at the array */
}

/* The offset of the key (its opening quote) of the object starting at s[at] == '{', or at
 * itself when the key is not found. Keys written with escapes are compared as written. */
static size_t locate_key(const char *s, size_t len, size_t at, const char *key)
{
    size_t klen = strlen(key);
    size_t i = at + 1;
    while (i < len) {
        i = skip_blank(s, len, i);
        if (i >= len || s[i] != '"')
            break;
        size_t end = skip_string(s, len, i);
        if (end - i == klen + 2 && memcmp(s + i + 1, key, klen) == 0)
            return i;
        i = skip_blank(s, len, end);
        if (i < len && s[i] == ':')
            i = skip_blank(s, len, i + 1);
        i = skip_blank(s, len, skip_value(s, len, i));
        if (i < len && s[i] == ',')
            i++;
    }
    return at;
}

/* The offset of the value of key in the object at s[at], or at when not found. */
static size_t locate_value(const char *s, size_t len, size_t at, const char *key)
{
    size_t k = locate_key(s, len, at, key);
    if (k == at)
        return at;
    size_t i = skip_blank(s, len, skip_string(s, len, k));
    return i < len && s[i] == ':' ? skip_blank(s, len, i + 1) : at;
}

/* Where a value of an item is, found only when a diagnostic needs it: locating is a scan of
 * the item's text. */
typedef struct where {
    size_t item;     /* offset of the item ('{') */
    const char *key; /* the item's key whose value it is; NULL: the item itself */
} where;

static void report_where(reader *r, const where *at, const char *fmt, ...) CITE_PRINTF(3, 4);

/* A warning at the value of at->key (or at the item). */
static void report_where(reader *r, const where *at, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    size_t offset = at->key ? locate_value(r->src, r->len, at->item, at->key) : at->item;
    report_at(r, CITE_SEV_WARNING, offset, "%s", msg);
}

/* ---- values ----------------------------------------------------------------------------- */

/* The text of a JSON number, as it would be written (5, 2.5, 1e+30). */
static void number_text(cite_buf *out, const json_t *v)
{
    if (json_is_integer(v))
        cite_buf_printf(out, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
    else
        cite_buf_printf(out, "%.15g", json_real_value(v));
}

/* Appends v's compact JSON text ({"a": 1}). */
static int dump_cb(const char *buffer, size_t size, void *data)
{
    cite_buf_put(data, buffer, size);
    return cite_buf_oom(data) ? -1 : 0;
}

static void json_text(cite_buf *out, const json_t *v)
{
    if (json_dump_callback(v, dump_cb, out, JSON_ENCODE_ANY) < 0 && !cite_buf_oom(out))
        out->oom = true; /* jansson fails only for lack of memory here */
}

/* The text of a string or number value into r->text, converted from citeproc-js's rich text
 * when rich. False when v is neither. */
static bool scalar_text(reader *r, const json_t *v, bool rich)
{
    cite_buf_clear(&r->text);
    if (json_is_string(v)) {
        if (rich)
            cite_csljson_html_to_markup(&r->text, json_string_value(v), json_string_length(v));
        else
            cite_buf_put(&r->text, json_string_value(v), json_string_length(v));
    } else if (json_is_number(v)) {
        number_text(&r->text, v);
    } else {
        return false;
    }
    return true;
}

/* A copy of r->text; NULL on OOM. A string holding U+0000 is cut there: C strings end at
 * the first NUL (jansson refuses \u0000 anyway unless told otherwise). */
static char *text_copy(reader *r)
{
    return cite_buf_oom(&r->text) ? NULL : cite_strdup(r->text.ptr);
}

/* CSL-JSON's flags are "string, number or boolean": true, nonzero, "true"/"1"/"yes". */
static bool truthy(const json_t *v)
{
    if (json_is_boolean(v))
        return json_is_true(v);
    if (json_is_number(v))
        return json_number_value(v) != 0;
    if (json_is_string(v)) {
        const char *s = json_string_value(v);
        return strcasecmp(s, "true") == 0 || strcmp(s, "1") == 0 || strcasecmp(s, "yes") == 0;
    }
    return false;
}

/* True when name can be an attribute of the XML store's field element as it stands: an
 * ASCII name in no namespace, not reserved by XML. Date keys that are kept become such
 * attributes; others are reported instead. */
static bool attr_name_ok(const char *name)
{
    if (!((name[0] >= 'A' && name[0] <= 'Z') || (name[0] >= 'a' && name[0] <= 'z') ||
          name[0] == '_') ||
        strncasecmp(name, "xml", 3) == 0)
        return false;
    for (const char *p = name; *p; p++)
        if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
              *p == '_' || *p == '-' || *p == '.'))
            return false;
    return true;
}

/* ---- ordinary variables and kept fields --------------------------------------------------- */

/* A standard or number variable: a string (rich text) or a number. Anything else is kept as
 * its JSON text, with a warning, rather than lost. */
static int
read_text_var(reader *r, cite_record *rec, const char *key, const json_t *v, const where *at)
{
    if (json_is_null(v)) {
        report_where(r, at, "'%s' is null; ignored", key);
        return 0;
    }
    if (!scalar_text(r, v, true)) {
        report_where(r, at, "'%s' is not a string; kept as its JSON text", key);
        cite_buf_clear(&r->text);
        json_text(&r->text, v);
    }
    if (cite_buf_oom(&r->text))
        return CITE_ENOMEM;
    return cite_record_set_text(rec, key, r->text.ptr);
}

/* A key that is no CSL variable: kept as a field of that name. A string is kept as text (rich
 * text, as any string of an item); any other value as its JSON text, marked so. */
static int
read_unknown(reader *r, cite_record *rec, const char *key, const json_t *v, const where *at)
{
    if (!key[0]) {
        report_where(r, at, "a key with an empty name cannot be kept; ignored");
        return 0;
    }
    bool is_json = !json_is_string(v);
    cite_buf_clear(&r->text);
    if (is_json)
        json_text(&r->text, v);
    else
        cite_csljson_html_to_markup(&r->text, json_string_value(v), json_string_length(v));
    if (cite_buf_oom(&r->text))
        return CITE_ENOMEM;
    int err = cite_record_set_text(rec, key, r->text.ptr);
    if (err == 0 && is_json) {
        cite_field *f = cite_record_field_mut(rec, key);
        err = cite_attrs_add(&f->attrs, &f->nattrs, CITE_CSLJSON_JSON_ATTR, "true");
    }
    return err;
}

/* ---- names ---------------------------------------------------------------------------------- */

/* Where the name part called key goes in n; NULL when key is no name part. */
static char **name_part(cite_name *n, const char *key)
{
    static const struct {
        const char *key;
        size_t offset;
    } parts[] = {
        { "family", offsetof(cite_name, family) },
        { "given", offsetof(cite_name, given) },
        { "non-dropping-particle", offsetof(cite_name, non_dropping_particle) },
        { "dropping-particle", offsetof(cite_name, dropping_particle) },
        { "suffix", offsetof(cite_name, suffix) },
        { "literal", offsetof(cite_name, literal) },
    };
    for (size_t i = 0; i < CITE_ARRAY_LEN(parts); i++)
        if (strcmp(key, parts[i].key) == 0)
            return (char **)((char *)n + parts[i].offset);
    return NULL;
}

/* Sets the flag called key; false when key is no flag. */
static bool name_flag(cite_name *n, const char *key, const json_t *v)
{
    if (strcmp(key, "comma-suffix") == 0)
        n->comma_suffix = truthy(v);
    else if (strcmp(key, "static-ordering") == 0)
        n->static_ordering = truthy(v);
    else if (strcmp(key, "isInstitution") == 0)
        n->institution = truthy(v);
    else if (strcmp(key, "parse-names") == 0)
        n->parse_names = truthy(v) ? 1 : -1;
    else
        return false;
    return true;
}

static bool name_empty(const cite_name *n)
{
    return !n->family && !n->given && !n->non_dropping_particle && !n->dropping_particle &&
           !n->suffix && !n->literal && !n->others;
}

/* One name object. A name that is only {"literal": "others"} is BibTeX's "and others", as the
 * writer spells it. Keys that are neither parts nor flags cannot be kept: reported. */
static int
read_name_object(reader *r, cite_name *n, const char *var, const json_t *obj, const where *at)
{
    const char *key;
    json_t *v;
    json_object_foreach ((json_t *)obj, key, v) {
        char **slot = name_part(n, key);
        if (slot && scalar_text(r, v, true)) {
            cite_free(*slot);
            if (!(*slot = text_copy(r)))
                return CITE_ENOMEM;
        } else if (slot && !json_is_null(v)) {
            report_where(r, at, "'%s' of a name in '%s' is not a string; ignored", key, var);
        } else if (!slot && !name_flag(n, key, v)) {
            report_where(r, at, "name key '%s' in '%s' is not kept", key, var);
        }
    }
    if (n->literal && strcmp(n->literal, "others") == 0 && json_object_size(obj) == 1) {
        cite_free(n->literal);
        n->literal = NULL;
        n->others = true;
    }
    return 0;
}

/* One element of a name list into *n: an object, or a string taken as a literal name. An
 * empty or unusable name leaves *n empty (the caller drops it). */
static int read_name(reader *r, cite_name *n, const char *var, const json_t *v, const where *at)
{
    memset(n, 0, sizeof(*n));
    if (json_is_object(v)) {
        int err = read_name_object(r, n, var, v, at);
        if (err == 0 && name_empty(n))
            report_where(r, at, "a name in '%s' has no part; ignored", var);
        return err;
    }
    if (json_is_string(v) && scalar_text(r, v, true)) {
        report_where(r, at, "a name in '%s' is a string; read as a literal name", var);
        n->literal = text_copy(r);
        return n->literal ? 0 : CITE_ENOMEM;
    }
    report_where(r, at, "a name in '%s' is not an object; ignored", var);
    return 0;
}

/* A name variable: an array of names (a lone name object or string is taken as a list of
 * one). Names are collected first and handed to the record at once. */
static int
read_names(reader *r, cite_record *rec, const char *var, const json_t *v, const where *at)
{
    size_t count = json_is_array(v) ? json_array_size(v) : 1;
    if (!json_is_array(v) && !json_is_object(v) && !json_is_string(v)) {
        report_where(r, at, "'%s' is not a list of names; ignored", var);
        return 0;
    }
    cite_name *names = cite_calloc(count ? count : 1, sizeof(cite_name));
    if (!names)
        return CITE_ENOMEM;
    size_t n = 0;
    int err = 0;
    for (size_t i = 0; i < count && err == 0; i++) {
        const json_t *e = json_is_array(v) ? json_array_get(v, i) : v;
        err = read_name(r, &names[n], var, e, at);
        if (err == 0 && !name_empty(&names[n]))
            n++;
        else
            cite_name_dispose(&names[n]);
    }
    if (err < 0 || n == 0) {
        for (size_t i = 0; i < n; i++)
            cite_name_dispose(&names[i]);
        cite_free(names);
        return err;
    }
    return cite_record_take_names(rec, var, names, n);
}

/* ---- dates ---------------------------------------------------------------------------------- */

/* The integer a date-parts element or season spells: a JSON integer, or a string of digits
 * (with a sign, blanks around). False otherwise. */
static bool int_value(const json_t *v, long *out)
{
    if (json_is_integer(v)) {
        json_int_t n = json_integer_value(v);
        if (n < -100000 || n > 100000)
            return false;
        *out = (long)n;
        return true;
    }
    if (!json_is_string(v))
        return false;
    const char *s = json_string_value(v);
    char *end;
    while (*s == ' ')
        s++;
    if (!((*s >= '0' && *s <= '9') || *s == '-'))
        return false;
    long n = strtol(s, &end, 10);
    while (*end == ' ')
        end++;
    if (*end || end == s || n < -100000 || n > 100000)
        return false;
    *out = n;
    return true;
}

/* The season a "season" value or date-parts month spells: 1-4, 13-16 or 21-24 (citeproc-js
 * reads all three), or an English season name. 0 when none. */
static int season_of(const json_t *v)
{
    static const char *const names[] = { "spring", "summer", "autumn", "winter" };
    long n;
    if (int_value(v, &n)) {
        if (n >= 1 && n <= 4)
            return (int)n;
        if (n >= 13 && n <= 16)
            return (int)n - 12;
        if (n >= 21 && n <= 24)
            return (int)n - 20;
        return 0;
    }
    if (!json_is_string(v))
        return 0;
    for (int i = 0; i < 4; i++)
        if (strcasecmp(json_string_value(v), names[i]) == 0)
            return i + 1;
    return strcasecmp(json_string_value(v), "fall") == 0 ? 3 : 0;
}

/* A month or day of date-parts: an integer, or absent (0) when null or "", as citeproc-js
 * reads them. False when it is something else. */
static bool part_number(const json_t *v, long *out)
{
    *out = 0;
    if (!v || json_is_null(v) || (json_is_string(v) && json_string_length(v) == 0))
        return true;
    return int_value(v, out);
}

/* One [year, month, day] of date-parts into *p: 1 to 3 integers. The year must fit the
 * store's four digits and not be 0 (the model's "absent"); a month of 13-24 is a
 * season. A month or day that is none of these is dropped and *repaired set, as citeproc-js
 * drops it. False when there is no usable year. */
static bool read_part(cite_date_part *p, const json_t *a, bool *repaired)
{
    memset(p, 0, sizeof(*p));
    size_t n = json_is_array(a) ? json_array_size(a) : 0;
    long y, m, d;
    if (n < 1 || !int_value(json_array_get(a, 0), &y) || y == 0 || y < -9999 || y > 9999)
        return false;
    if (n > 3 || !part_number(json_array_get(a, 1), &m) || !part_number(json_array_get(a, 2), &d)) {
        *repaired = true;
        m = d = 0;
    }
    p->year = (int)y;
    if (m >= 1 && m <= 12)
        p->month = (unsigned char)m;
    else if (m >= 13 && m <= 24) /* seasons: 13-16, 17-20 and 21-24 each run spring to
                                  * winter, as citeproc-js reads a date-parts month */
        p->season = (unsigned char)((m - 13) % 4 + 1);
    else if (m != 0)
        *repaired = true;
    if (d != 0 && (d < 1 || d > 31 || !p->month))
        *repaired = true;
    else
        p->day = (unsigned char)d;
    return true;
}

/* True when the part a holds no date: [], [0], [""], the end of an open range. */
static bool part_empty(const json_t *a)
{
    long y;
    return json_is_array(a) &&
           (json_array_size(a) == 0 || (part_number(json_array_get(a, 0), &y) && y == 0));
}

/* date-parts: one or two parts; a second that is empty ([[1987], [0]]) makes a range with
 * no end. An empty list (or [[]]) holds no date: *any is false. */
static bool read_date_parts(cite_date *d, const json_t *dp, bool *any, bool *repaired)
{
    *any = false;
    if (!json_is_array(dp))
        return false;
    size_t n = json_array_size(dp);
    if (n == 0 || (n == 1 && part_empty(json_array_get(dp, 0))))
        return true;
    if (n > 2 || !read_part(&d->from, json_array_get(dp, 0), repaired))
        return false;
    if (n == 2 && part_empty(json_array_get(dp, 1)))
        d->open_end = true;
    else if (n == 2 && !read_part(&d->to, json_array_get(dp, 1), repaired))
        return false;
    *any = true;
    return true;
}

/* Parses text (a "raw" or "edtf" value, or a date given as a string) as the store's date
 * text: EDTF-like YYYY-MM-DD, seasons, ranges with '/', a '~' for circa; anything else is a
 * literal. */
static int parse_text_date(cite_date *d, const char *text)
{
    size_t len = strlen(text);
    while (len && text[len - 1] == ' ')
        len--;
    while (len && *text == ' ') {
        text++;
        len--;
    }
    return cite_date_parse(d, text, len);
}

/* The keys of a date object and whether the date used them. */
typedef struct date_keys {
    const json_t *parts, *season, *circa, *literal, *raw, *edtf;
    bool used_parts, used_season, used_circa, used_literal, used_raw, used_edtf;
    bool repaired; /* date-parts had a month or day that was dropped */
} date_keys;

/* raw next to usable date-parts: when it reads as the same date with a year suffix (the
 * writer's "raw": "2021a" for a suffixed year), the suffix is the model's. */
static int adopt_suffix(cite_date *d, const char *raw, bool *used)
{
    cite_date parsed;
    int err = parse_text_date(&parsed, raw);
    if (err < 0)
        return err;
    cite_date bare = parsed;
    bare.suffix[0] = '\0';
    bare.circa = d->circa; /* circa is applied after: "2021a~" is a suffixed circa date */
    if (!parsed.literal && parsed.suffix[0] && cite_date_equal(&bare, d)) {
        memcpy(d->suffix, parsed.suffix, sizeof(d->suffix));
        *used = true;
    }
    cite_date_dispose(&parsed);
    return 0;
}

/* Builds *d from the keys of a date object, marking the keys it used. literal wins over
 * everything; then date-parts (with season, circa); then raw, then edtf. */
static int build_date(cite_date *d, date_keys *k)
{
    memset(d, 0, sizeof(*d));
    if (k->literal && json_is_string(k->literal)) {
        k->used_literal = true;
        d->literal = cite_strdup(json_string_value(k->literal));
        return d->literal ? 0 : CITE_ENOMEM;
    }
    bool any = false;
    if (k->parts && read_date_parts(d, k->parts, &any, &k->repaired)) {
        k->used_parts = true;
        if (!any)
            memset(d, 0, sizeof(*d));
    } else {
        memset(d, 0, sizeof(*d));
    }
    if (any && k->season) {
        int s = season_of(k->season);
        if (s && !d->from.month && !d->from.season && !d->to.year && !d->open_end) {
            d->from.season = (unsigned char)s;
            k->used_season = true;
        }
    }
    if (any && k->raw && json_is_string(k->raw)) {
        int err = adopt_suffix(d, json_string_value(k->raw), &k->used_raw);
        if (err < 0)
            return err;
    }
    const json_t *text = !any && k->raw && json_is_string(k->raw)     ? k->raw
                         : !any && k->edtf && json_is_string(k->edtf) ? k->edtf
                                                                      : NULL;
    if (text) {
        *(text == k->raw ? &k->used_raw : &k->used_edtf) = true;
        int err = parse_text_date(d, json_string_value(text));
        if (err < 0)
            return err;
        any = true;
    }
    if (any && k->circa && !d->literal) {
        d->circa = d->circa || truthy(k->circa);
        k->used_circa = true;
    }
    return 0;
}

/* True when the key of a date object was used (its value is in the model). */
static bool key_used(const date_keys *k, const char *key)
{
    return (strcmp(key, "date-parts") == 0 && k->used_parts) ||
           (strcmp(key, "season") == 0 && k->used_season) ||
           (strcmp(key, "circa") == 0 && k->used_circa) ||
           (strcmp(key, "literal") == 0 && k->used_literal) ||
           (strcmp(key, "raw") == 0 && k->used_raw) || (strcmp(key, "edtf") == 0 && k->used_edtf);
}

/* Every key of the date object the model did not take is kept as an attribute of the field,
 * holding its JSON text; the writer puts it back. A key no attribute can be named after is
 * reported. */
static int keep_date_keys(reader *r,
                          cite_field *f,
                          const json_t *obj,
                          const date_keys *k,
                          const char *var,
                          const where *at)
{
    const char *key;
    json_t *v;
    json_object_foreach ((json_t *)obj, key, v) {
        if (key_used(k, key))
            continue;
        if (!attr_name_ok(key)) {
            report_where(r, at, "key '%s' of date '%s' is not kept", key, var);
            continue;
        }
        cite_buf_clear(&r->text);
        json_text(&r->text, v);
        if (cite_buf_oom(&r->text) || cite_attrs_add(&f->attrs, &f->nattrs, key, r->text.ptr) < 0)
            return CITE_ENOMEM;
    }
    return 0;
}

/* True when the date object holds nothing at all: {} or {"date-parts": []}. */
static bool date_object_empty(const json_t *obj)
{
    const char *key;
    json_t *v;
    json_object_foreach ((json_t *)obj, key, v) {
        if (strcmp(key, "date-parts") != 0 || !json_is_array(v) || json_array_size(v) != 0)
            return false;
    }
    return true;
}

static int
read_date_object(reader *r, cite_record *rec, const char *var, const json_t *obj, const where *at)
{
    if (date_object_empty(obj))
        return 0;
    date_keys k = { .parts = json_object_get(obj, "date-parts"),
                    .season = json_object_get(obj, "season"),
                    .circa = json_object_get(obj, "circa"),
                    .literal = json_object_get(obj, "literal"),
                    .raw = json_object_get(obj, "raw"),
                    .edtf = json_object_get(obj, "edtf") };
    cite_date d;
    int err = build_date(&d, &k);
    if (err == 0 && k.repaired)
        report_where(r, at, "'%s' has a month or day that is no date; dropped", var);
    if (err == 0 && !d.literal && d.from.year == 0) {
        /* Nothing usable: an empty literal keeps the variable, its keys go to attributes. */
        report_where(r, at, "'%s' holds no date cite can read; kept as it is", var);
        if (!(d.literal = cite_strdup("")))
            err = CITE_ENOMEM;
    }
    if (err == 0)
        err = cite_record_set_date(rec, var, &d);
    cite_date_dispose(&d);
    if (err == 0)
        err = keep_date_keys(r, cite_record_field_mut(rec, var), obj, &k, var, at);
    return err;
}

/* A date variable: an object (the usual form), an EDTF-like string, or, read as date-parts,
 * a bare year or bare date-parts. */
static int read_date(reader *r, cite_record *rec, const char *var, const json_t *v, const where *at)
{
    if (json_is_object(v))
        return read_date_object(r, rec, var, v, at);
    if (json_is_integer(v) || json_is_array(v)) {
        json_t *obj = json_is_array(v) ? json_pack("{s:O}", "date-parts", (json_t *)v)
                                       : json_pack("{s:[[O]]}", "date-parts", (json_t *)v);
        int err = obj ? read_date_object(r, rec, var, obj, at) : CITE_ENOMEM;
        json_decref(obj);
        return err;
    }
    if (!json_is_string(v)) {
        report_where(r, at, "'%s' is not a date; ignored", var);
        return 0;
    }
    cite_date d;
    int err = parse_text_date(&d, json_string_value(v));
    if (err == 0)
        err = cite_record_set_date(rec, var, &d);
    cite_date_dispose(&d);
    return err;
}

/* ---- items ---------------------------------------------------------------------------------- */

/* The record's id from "id": a string or a number. Empty when there is none to use; the
 * caller makes one. */
static int read_id(reader *r, cite_record *rec, const json_t *item)
{
    const json_t *id = json_object_get(item, "id");
    if (!id || !scalar_text(r, id, false) || r->text.len == 0)
        return 0;
    if (cite_buf_oom(&r->text))
        return CITE_ENOMEM;
    return cite_record_set_id(rec, r->text.ptr);
}

/* The CSL type. None, or one that is not a CSL 1.0.2 type, reads as "document" with a
 * warning; an unknown one is also kept as a field "type" so that an export gives it back. */
static int read_type(reader *r, cite_record *rec, const json_t *item, const item_pos *pos)
{
    const json_t *type = json_object_get(item, "type");
    if (!type) {
        report_at(r, CITE_SEV_WARNING, pos->offset, "item %zu has no type; read as 'document'",
                  pos->index);
        return 0;
    }
    where at = { .item = pos->offset, .key = "type" };
    if (json_is_string(type) && cite_csl_type_valid(json_string_value(type)))
        return cite_record_set_type(rec, json_string_value(type));
    if (json_is_string(type))
        report_where(r, &at, "'%s' is not a CSL type; read as 'document'", json_string_value(type));
    else
        report_where(r, &at, "type is not a string; read as 'document'");
    return read_unknown(r, rec, "type", type, &at);
}

/* One key of an item, by the kind of CSL variable it names. */
static int read_key(reader *r, cite_record *rec, const char *key, const json_t *v, size_t item)
{
    if (strcmp(key, "id") == 0 || strcmp(key, "type") == 0)
        return 0;
    where at = { .item = item, .key = key };
    switch (cite_var_kind_of(key)) {
    case CITE_VAR_TEXT:
        return read_text_var(r, rec, key, v, &at);
    case CITE_VAR_NAMES:
        return read_names(r, rec, key, v, &at);
    case CITE_VAR_DATE:
        return read_date(r, rec, key, v, &at);
    case CITE_VAR_UNKNOWN:
        break;
    }
    return read_unknown(r, rec, key, v, &at);
}

/* The "key: value" line at s[0..n) of a note: *key and *val receive the key (a lowercase
 * CSL variable name with '-' or '_', or an uppercase one such as DOI) and the trimmed value.
 * False when the line is none. */
static bool note_field_line(const char *s, size_t n, cite_buf *key, cite_buf *val)
{
    size_t k = 0;
    bool upper = n > 0 && s[0] >= 'A' && s[0] <= 'Z';
    while (k < n && (upper ? (s[k] >= 'A' && s[k] <= 'Z')
                           : ((s[k] >= 'a' && s[k] <= 'z') || s[k] == '-' || s[k] == '_')))
        k++;
    if (k == 0 || k >= n || s[k] != ':')
        return false;
    size_t b = k + 1, e = n;
    while (b < e && isspace((unsigned char)s[b]))
        b++;
    while (e > b && isspace((unsigned char)s[e - 1]))
        e--;
    if (b == e || memchr(s + b, '}', e - b))
        return false;
    cite_buf_clear(key);
    cite_buf_put(key, s, k);
    cite_buf_clear(val);
    cite_buf_put(val, s + b, e - b);
    return true;
}

/* A name of a note field: "Family || Given", or a literal name. */
static json_t *note_field_name(const char *v)
{
    const char *bar = strstr(v, "||");
    if (!bar)
        return json_pack("{s:s}", "literal", v);
    size_t fl = (size_t)(bar - v);
    while (fl > 0 && isspace((unsigned char)v[fl - 1]))
        fl--;
    const char *g = bar + 2;
    while (isspace((unsigned char)*g))
        g++;
    return json_pack("{s:s%,s:s}", "family", v, fl, "given", g);
}

/* Variables written in the note as "key: value" lines (Zotero's Extra field), applied to rec
 * as citeproc-js applies them when it renders: from the top of the note (a first line of
 * other text is passed over) to the first line that is none, a CSL variable rec lacks takes
 * the value ("Hall || W.C." for a name; several lines add names), a date variable and the
 * type are overridden; the lines used leave the note. *changed tells whether any was. */
int cite_csljson_note_fields(cite_record *rec, bool *changed)
{
    *changed = false;
    const char *note = cite_record_get_text(rec, "note");
    if (!note || !strchr(note, ':'))
        return 0;
    char *copy = cite_strdup(note); /* the note is rewritten below */
    json_t *names = json_object();
    reader r = { .src = "" };
    cite_buf key = CITE_BUF_INIT, val = CITE_BUF_INIT, kept = CITE_BUF_INIT;
    bool done = false;
    int err = copy && names ? 0 : CITE_ENOMEM;
    const char *s = copy;
    for (size_t i = 0; err == 0; i++) {
        size_t n = strcspn(s, "\n");
        bool used = false;
        if (!done && note_field_line(s, n, &key, &val) && !cite_buf_oom(&key) &&
            !cite_buf_oom(&val)) {
            cite_var_kind kind = cite_var_kind_of(key.ptr);
            if (strcmp(key.ptr, "type") == 0) {
                used = cite_csl_type_valid(val.ptr);
                if (used)
                    err = cite_record_set_type(rec, val.ptr);
            } else if (kind == CITE_VAR_DATE) {
                cite_date d;
                err = parse_text_date(&d, val.ptr);
                if (err == 0)
                    err = cite_record_set_date(rec, key.ptr, &d);
                cite_date_dispose(&d);
                used = true;
            } else if (kind == CITE_VAR_NAMES &&
                       (json_object_get(names, key.ptr) || !cite_record_field(rec, key.ptr))) {
                /* a name variable rec lacks; each line one more name */
                json_t *list = json_object_get(names, key.ptr);
                if (!list)
                    json_object_set_new(names, key.ptr, list = json_array());
                if (!list || json_array_append_new(list, note_field_name(val.ptr)) < 0)
                    err = CITE_ENOMEM;
                used = true;
            } else if (kind == CITE_VAR_TEXT && !cite_record_field(rec, key.ptr)) {
                err = cite_record_set_text(rec, key.ptr, val.ptr);
                used = true;
            }
        } else if (!done && i > 0) {
            /* a blank line goes on; other text ends the fields */
            for (size_t j = 0; j < n && !done; j++)
                done = !isspace((unsigned char)s[j]);
        }
        if (used) {
            *changed = true;
        } else {
            cite_buf_put(&kept, s, n);
            cite_buf_putc(&kept, '\n');
        }
        if (!s[n])
            break;
        s += n + 1;
    }
    const char *var;
    json_t *list;
    where at = { 0 };
    json_object_foreach (names, var, list) {
        if (err == 0)
            err = read_names(&r, rec, var, list, &at);
    }
    if (err == 0 && *changed) {
        /* the note keeps its other lines, trimmed */
        size_t b = 0, e = kept.len;
        while (b < e && isspace((unsigned char)kept.ptr[b]))
            b++;
        while (e > b && isspace((unsigned char)kept.ptr[e - 1]))
            e--;
        if (cite_buf_oom(&kept)) {
            err = CITE_ENOMEM;
        } else if (b == e) {
            cite_record_remove(rec, "note");
        } else {
            kept.ptr[e] = '\0';
            err = cite_record_set_text(rec, "note", kept.ptr + b);
        }
    }
    if (err == 0 && (cite_buf_oom(&key) || cite_buf_oom(&val) || cite_buf_oom(&r.text)))
        err = CITE_ENOMEM;
    json_decref(names);
    cite_free(copy);
    cite_buf_dispose(&key);
    cite_buf_dispose(&val);
    cite_buf_dispose(&kept);
    cite_buf_dispose(&r.text);
    return err;
}

/* Gives rec an id of its own when it has none or a taken one, as the BibTeX reader does:
 * first author and year for a missing one, a letter after a taken one. */
static int ensure_id(reader *r, cite_record *rec, const json_t *item, const item_pos *pos)
{
    char *key;
    int err = cite_key_needed(r->lib, rec, &key);
    if (err < 0 || !key)
        return err;
    size_t at = locate_key(r->src, r->len, pos->offset, "id");
    bool empty = rec->id[0] == '\0';
    if (empty && json_object_get(item, "id"))
        report_at(r, CITE_SEV_WARNING, at, "item %zu has no usable id; using '%s'", pos->index,
                  key);
    else if (empty)
        report_at(r, CITE_SEV_WARNING, at, "item %zu has no id; using '%s'", pos->index, key);
    else
        report_at(r, CITE_SEV_WARNING, at, "duplicate id '%s'; this item is kept as '%s'", rec->id,
                  key);
    err = cite_record_set_id(rec, key);
    cite_free(key);
    return err;
}

static int read_item(reader *r, const json_t *item, const item_pos *pos)
{
    if (!json_is_object(item)) {
        report_at(r, CITE_SEV_ERROR, pos->offset, "item %zu is not an object; skipped", pos->index);
        return 0;
    }
    cite_record *rec = cite_record_new("", NULL);
    int err = rec ? 0 : CITE_ENOMEM;
    if (err == 0 && r->file && !(rec->source_file = cite_strdup(r->file)))
        err = CITE_ENOMEM;
    if (err == 0) {
        rec->source_line = cite_lineindex_loc(&r->lines, NULL, pos->offset).line;
        err = read_id(r, rec, item);
    }
    if (err == 0)
        err = read_type(r, rec, item, pos);
    const char *key;
    json_t *v;
    json_object_foreach ((json_t *)item, key, v) {
        if (err == 0)
            err = read_key(r, rec, key, v, pos->offset);
    }
    if (err == 0)
        err = ensure_id(r, rec, item, pos);
    if (err < 0) {
        cite_record_free(rec);
        return err;
    }
    err = cite_library_add(r->lib, rec);
    if (err == CITE_EEXISTS) { /* cannot happen: ensure_id made the id free */
        cite_record_free(rec);
        err = CITE_ERROR;
    }
    return err;
}

/* The array of items: the document itself, the "items" array of a wrapper object, or a single
 * item. *at receives the offset of the array ('['), or of the single item. */
static const json_t *item_list(reader *r, const json_t *root, size_t *at, bool *single)
{
    size_t start = skip_blank(r->src, r->len, 0);
    *single = false;
    *at = start;
    if (json_is_array(root))
        return root;
    const json_t *items = json_object_get(root, "items");
    if (json_is_array(items) && !json_object_get(root, "id")) {
        *at = locate_value(r->src, r->len, start, "items");
        return items;
    }
    *single = true;
    return root;
}

static int read_items(reader *r, const json_t *root)
{
    size_t at;
    bool single;
    const json_t *items = item_list(r, root, &at, &single);
    if (single) {
        item_pos pos = { .offset = at, .index = 1 };
        return read_item(r, items, &pos);
    }
    size_t n = json_array_size(items);
    size_t *offsets = cite_calloc(n ? n : 1, sizeof(size_t));
    if (!offsets)
        return CITE_ENOMEM;
    locate_elements(offsets, n, r->src, r->len, at);
    int err = 0;
    for (size_t i = 0; i < n && err == 0; i++) {
        item_pos pos = { .offset = offsets[i], .index = i + 1 };
        err = read_item(r, json_array_get(items, i), &pos);
    }
    cite_free(offsets);
    return err;
}

/* Parses the whole text with jansson. Its allocation failures are ours to report as
 * CITE_ENOMEM (cite_json_failed: jansson may call them syntax errors); anything else is a
 * syntax error. */
static int parse(json_t **root, reader *r)
{
    json_error_t e;
    cite_json_begin();
    *root = json_loadb(r->src, r->len, 0, &e);
    if (*root)
        return 0;
    if (cite_json_failed() || json_error_code(&e) == json_error_out_of_memory)
        return CITE_ENOMEM;
    report_syntax(r, &e);
    return CITE_EPARSE;
}

int cite_csljson_read(
    cite_library **out, const char *src, size_t len, const char *file, cite_diag *diag)
{
    reader r = { .src = src, .len = len, .file = file, .diag = diag, .text = CITE_BUF_INIT };
    json_t *root = NULL;
    *out = NULL;
    if (len >= 3 && memcmp(src, "\xEF\xBB\xBF", 3) == 0) {
        r.src += 3;
        r.len -= 3;
        r.base = 3;
    }
    int err = cite_lineindex_init(&r.lines, r.src, r.len);
    if (err == 0)
        err = parse(&root, &r);
    if (err == 0 && !(r.lib = cite_library_new()))
        err = CITE_ENOMEM;
    if (err == 0)
        err = read_items(&r, root);
    json_decref(root);
    cite_lineindex_dispose(&r.lines);
    cite_buf_dispose(&r.text);
    if (err < 0) {
        cite_library_free(r.lib);
        return err;
    }
    *out = r.lib;
    return r.status;
}
