/* ris_read.c: RIS (ris.h) -> a library.
 *
 * Line by line: "XX  - value" is a tag (any number of spaces before the hyphen is taken, as
 * exports vary); a line that is no tag continues the value of the tag before it
 * (long abstracts wrap); blank lines are nothing. TY opens a record, ER closes it. A tag outside
 * a record, or text there, is an error at its line (the run of such lines reported once) and
 * skipped; a record that the file ends, or a new TY interrupts, before its ER is kept with a
 * warning. Names are "Family, Given, Suffix" with particles in front of the family ("van der
 * Berg, Jan"); a name without a comma is an organisation (a single word a family name). Tags
 * cite has no variable for are kept (CITE_RIS_FIELD_PREFIX), so an export gives them back. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "bibtex.h"
#include "buf.h"
#include "encoding.h"
#include "record.h"
#include "ris.h"

typedef struct reader {
    const char *file;
    cite_diag *diag;
    cite_library *lib;
    int status; /* 0, or CITE_EPARSE once something was skipped */
    cite_record *rec;
    unsigned rec_line;
    char tag[3];    /* the tag whose value is being read, "" for none */
    cite_buf value; /* its value so far (continuation lines joined by spaces) */
    char *first_page, *last_page;
    bool stray; /* the lines before this one were outside a record and reported */
} reader;

/* Reports at the start of line (text[0..len) its text for the excerpt, or NULL). */
static void report(
    reader *r, cite_severity sev, unsigned line, const char *text, size_t len, const char *fmt, ...)
    CITE_PRINTF(6, 7);

static void report(
    reader *r, cite_severity sev, unsigned line, const char *text, size_t len, const char *fmt, ...)
{
    char message[192];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    cite_loc at = { .file = r->file, .line = line, .col = 1 };
    cite_diag_report_excerpt(r->diag, sev, at, text, len, "%s", message);
}

/* ---- Values --------------------------------------------------------------------------------- */

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Reads up to max digits at *p; the number, or -1 when there is none. */
static int number_at(const char **p, int max)
{
    int v = 0, k = 0;
    while (k < max && is_digit(**p)) {
        v = v * 10 + (**p - '0');
        (*p)++;
        k++;
    }
    return k ? v : -1;
}

/* "2019", "2019///", "2019/03/04/", "2019/03//Spring", "2019-03-04": year, month, day. Anything
 * that does not start with a four-digit year ("n.d.", "in press") becomes a literal. */
static int parse_date(cite_date *d, const char *s)
{
    *d = (cite_date){ 0 };
    const char *p = s;
    int year = number_at(&p, 4);
    if (year < 0 || p - s != 4 || is_digit(*p))
        return (d->literal = cite_strdup(s)) ? 0 : CITE_ENOMEM;
    d->from.year = year;
    if (*p == '/' || *p == '-') {
        p++;
        int month = number_at(&p, 2);
        if (month >= 1 && month <= 12) {
            d->from.month = (unsigned char)month;
            if (*p == '/' || *p == '-') {
                p++;
                int day = number_at(&p, 2);
                if (day >= 1 && day <= 31)
                    d->from.day = (unsigned char)day;
            }
        }
    }
    return 0;
}

/* Words at the start of a family name written in lower case ("van der", "de la") are its
 * particle, as BibTeX reads "von" parts; the family keeps at least one word. */
static size_t particle_end(const char *family)
{
    size_t end = 0;
    for (const char *p = family; *p >= 'a' && *p <= 'z';) {
        const char *space = strchr(p, ' ');
        if (!space)
            break;
        end = (size_t)(space - family);
        p = space + 1;
    }
    return end;
}

/* A copy of s[0..n) without its outer spaces; NULL when that is empty, or (with *oom set)
 * when memory runs out. */
static char *trimmed(const char *s, size_t n, bool *oom)
{
    while (n && *s == ' ')
        s++, n--;
    while (n && s[n - 1] == ' ')
        n--;
    char *copy = n ? cite_strndup(s, n) : NULL;
    *oom |= n && !copy;
    return copy;
}

/* "Family, Given, Suffix" with a lower-case particle in front of the family. A value with no
 * comma, or nothing before its comma, is kept whole: one word as the family, more as an
 * organisation. */
static int parse_name(cite_name *n, const char *s)
{
    *n = (cite_name){ 0 };
    bool oom = false;
    const char *comma = strchr(s, ',');
    char *family = comma ? trimmed(s, (size_t)(comma - s), &oom) : NULL;
    if (!family) {
        char **whole = strchr(s, ' ') ? &n->literal : &n->family;
        *whole = oom ? NULL : trimmed(s, strlen(s), &oom);
        return oom ? CITE_ENOMEM : 0;
    }
    size_t pe = particle_end(family);
    n->family = pe ? trimmed(family + pe, strlen(family + pe), &oom) : family;
    if (pe) {
        n->non_dropping_particle = trimmed(family, pe, &oom);
        cite_free(family);
    }
    const char *given = comma + 1, *suffix = strchr(given, ',');
    n->given = trimmed(given, suffix ? (size_t)(suffix - given) : strlen(given), &oom);
    if (suffix)
        n->suffix = trimmed(suffix + 1, strlen(suffix + 1), &oom);
    if (oom)
        cite_name_dispose(n);
    return oom ? CITE_ENOMEM : 0;
}

/* A copy of s with each run of spaces and tabs as one space. NULL on OOM. */
static char *collapsed(const char *s)
{
    char *out = cite_strdup(s);
    size_t k = 0;
    for (size_t i = 0; out && s[i]; i++) {
        bool blank = s[i] == ' ' || s[i] == '\t';
        if (!blank || (k && out[k - 1] != ' '))
            out[k++] = blank ? ' ' : s[i];
    }
    if (out)
        out[k] = '\0';
    return out;
}

/* An ISSN is four digits, a hyphen and four more (the last may be X); anything else is an
 * ISBN. */
static bool is_issn(const char *s)
{
    size_t n = strlen(s);
    if (n != 9 || s[4] != '-')
        return false;
    for (size_t i = 0; i < 9; i++)
        if (i != 4 && !is_digit(s[i]) && !(i == 8 && (s[i] == 'X' || s[i] == 'x')))
            return false;
    return true;
}

/* Appends value to the text field name, joined by sep when it has one already. */
static int append_text(cite_record *rec, const char *name, const char *value, const char *sep)
{
    const char *old = cite_record_get_text(rec, name);
    if (!old)
        return cite_record_set_text(rec, name, value);
    cite_buf b = CITE_BUF_INIT;
    cite_buf_printf(&b, "%s%s%s", old, sep, value);
    int err = cite_buf_oom(&b) ? CITE_ENOMEM : cite_record_set_text(rec, name, b.ptr);
    cite_buf_dispose(&b);
    return err;
}

/* A tag cite has no variable for (or a second value of one that holds one): kept. */
static int keep(cite_record *rec, const char *tag, const char *value)
{
    char name[16];
    snprintf(name, sizeof name, "%s%s", CITE_RIS_FIELD_PREFIX, tag);
    return append_text(rec, name, value, "\n");
}

/* ---- Tags ---------------------------------------------------------------------------------- */

/* Tags read as another's variable. */
static const cite_ris_tag ALIASES[] = {
    { "T1", "title" },
    { "CT", "title" },
    { "JO", "container-title" },
    { "JF", "container-title" },
    { "JA", "container-title-short" },
    { "N2", "abstract" },
    { "PP", "publisher-place" },
    { "CP", "issue" },
};

static const char *text_variable(const char *tag)
{
    size_t n;
    const cite_ris_tag *tags = cite_ris_text_tags(&n);
    for (size_t i = 0; i < n; i++)
        if (!strcmp(tags[i].tag, tag))
            return tags[i].variable;
    for (size_t i = 0; i < CITE_ARRAY_LEN(ALIASES); i++)
        if (!strcmp(ALIASES[i].tag, tag))
            return ALIASES[i].variable;
    return NULL;
}

static const char *name_variable(const char *tag)
{
    static const cite_ris_tag NAMES[] = {
        { "AU", "author" },
        { "A1", "author" },
        { "A2", "editor" },
        { "ED", "editor" },
        { "A3", "collection-editor" },
        { "A4", "translator" },
        { "TA", "translator" },
    };
    for (size_t i = 0; i < CITE_ARRAY_LEN(NAMES); i++)
        if (!strcmp(NAMES[i].tag, tag))
            return NAMES[i].variable;
    return NULL;
}

static int set_date(cite_record *rec, const char *var, const char *value, bool finer)
{
    cite_date d;
    int err = parse_date(&d, value);
    const cite_field *old = cite_record_field(rec, var);
    /* DA refines PY (same year, a month), never replaces a different year */
    bool use =
        err == 0 &&
        (!old || (finer && !d.literal && d.from.month && old->date.from.year == d.from.year));
    if (use)
        err = cite_record_set_date(rec, var, &d);
    cite_date_dispose(&d);
    return err;
}

static int set_page(char **slot, const char *value)
{
    if (*slot)
        return 0;
    *slot = cite_strdup(value);
    return *slot ? 0 : CITE_ENOMEM;
}

/* Applies one tag's value to the record. */
static int apply(reader *r, const char *tag, const char *value)
{
    cite_record *rec = r->rec;
    const char *var;
    if (!*value)
        return 0;
    if (!strcmp(tag, "ID"))
        return cite_record_set_id(rec, value);
    if ((var = name_variable(tag))) {
        cite_name n = { 0 };
        char *name = collapsed(value); /* "van  der Berg": a name's parts are one space apart */
        int err = name ? parse_name(&n, name) : CITE_ENOMEM;
        cite_free(name);
        if (err == 0)
            err = cite_record_add_name(rec, var, &n);
        cite_name_dispose(&n);
        return err;
    }
    if (!strcmp(tag, "PY") || !strcmp(tag, "Y1") || !strcmp(tag, "DA"))
        return set_date(rec, "issued", value, !strcmp(tag, "DA"));
    if (!strcmp(tag, "Y2"))
        return set_date(rec, "accessed", value, false);
    if (!strcmp(tag, "SP"))
        return set_page(&r->first_page, value);
    if (!strcmp(tag, "EP"))
        return set_page(&r->last_page, value);
    if (!strcmp(tag, "SN"))
        return is_issn(value) ? append_text(rec, "ISSN", value, ", ")
                              : append_text(rec, "ISBN", value, ", ");
    if (!strcmp(tag, "KW"))
        return append_text(rec, "keyword", value, ", ");
    if (!strcmp(tag, "BT")) /* a book's title, or the title of the book a part is in */
        var = !strcmp(rec->type, "book") && !cite_record_get_text(rec, "title") ? "title"
                                                                                : "container-title";
    else
        var = text_variable(tag);
    if (!var || cite_record_get_text(rec, var))
        return keep(rec, tag, value);
    return cite_record_set_text(rec, var, value);
}

/* Applies the value of the tag being read, if any. */
static int flush_tag(reader *r)
{
    if (!r->tag[0] || !r->rec)
        return 0;
    while (r->value.len && r->value.ptr[r->value.len - 1] == ' ')
        cite_buf_truncate(&r->value, r->value.len - 1);
    int err = cite_buf_oom(&r->value) ? CITE_ENOMEM : apply(r, r->tag, r->value.ptr);
    r->tag[0] = '\0';
    cite_buf_clear(&r->value);
    return err;
}

/* ---- Records ------------------------------------------------------------------------------- */

static int set_pages(reader *r)
{
    if (!r->first_page)
        return 0;
    cite_buf b = CITE_BUF_INIT;
    cite_buf_puts(&b, r->first_page);
    if (r->last_page && !strchr(r->first_page, '-'))
        cite_buf_printf(&b, "\u2013%s", r->last_page); /* as BibTeX's "--" reads */
    int err = cite_buf_oom(&b) ? CITE_ENOMEM : cite_record_set_text(r->rec, "page", b.ptr);
    cite_buf_dispose(&b);
    return err;
}

/* A key for a record without an ID tag (family name and year, as for BibTeX), or a letter
 * after a taken one, with a warning. */
static int ensure_id(reader *r)
{
    char *key;
    int err = cite_key_needed(r->lib, r->rec, &key);
    if (err < 0 || !key)
        return err;
    if (r->rec->id[0]) {
        cite_loc at = { .file = r->file, .line = r->rec_line, .col = 1 };
        cite_diag_report(r->diag, CITE_SEV_WARNING, at,
                         "duplicate ID '%s'; this record is kept as '%s'", r->rec->id, key);
    }
    err = cite_record_set_id(r->rec, key);
    cite_free(key);
    return err;
}

static int end_record(reader *r)
{
    int err = flush_tag(r);
    if (err == 0)
        err = set_pages(r);
    if (err == 0)
        err = ensure_id(r);
    if (err == 0) {
        err = cite_library_add(r->lib, r->rec);
        if (err != CITE_EEXISTS) /* taken, or freed on OOM; ensure_id made the id free */
            r->rec = NULL;
    }
    cite_record_free(r->rec);
    r->rec = NULL;
    cite_free(r->first_page);
    cite_free(r->last_page);
    r->first_page = r->last_page = NULL;
    return err;
}

static int begin_record(reader *r, const char *type, unsigned line, const char *text, size_t len)
{
    const char *csl = cite_ris_csl_type(type);
    if (!csl)
        report(r, CITE_SEV_WARNING, line, text, len, "unknown RIS type '%s'; read as 'document'",
               type);
    if (!(r->rec = cite_record_new("", csl ? csl : "document")))
        return CITE_ENOMEM;
    r->rec_line = line;
    r->rec->source_line = line;
    if (r->file && !(r->rec->source_file = cite_strdup(r->file)))
        return CITE_ENOMEM;
    return 0;
}

/* ---- Lines --------------------------------------------------------------------------------- */

static bool is_tag_char(char c, bool first)
{
    return (c >= 'A' && c <= 'Z') || (!first && is_digit(c));
}

/* "XX  - value": the tag in tag, the value's start in *value. Also "XX - ", "XX  -" (ER's
 * usual form) and "XX-". */
static bool tag_line(const char *s, size_t n, char tag[3], size_t *value)
{
    if (n < 3 || !is_tag_char(s[0], true) || !is_tag_char(s[1], false))
        return false;
    size_t i = 2;
    while (i < n && s[i] == ' ')
        i++;
    if (i >= n || s[i] != '-' || (i + 1 < n && s[i + 1] != ' '))
        return false;
    tag[0] = s[0];
    tag[1] = s[1];
    tag[2] = '\0';
    *value = i + 1 < n ? i + 2 : n;
    return true;
}

static int read_line(reader *r, const char *s, size_t n, unsigned line)
{
    char tag[3];
    size_t v;
    bool blank = true; /* s is not NUL-terminated: the last line of the input may end it */
    for (size_t i = 0; i < n && blank; i++)
        blank = s[i] == ' ' || s[i] == '\t';
    if (!tag_line(s, n, tag, &v)) {
        if (blank)
            return 0;
        if (r->rec && r->tag[0]) { /* a wrapped value */
            cite_buf_putc(&r->value, ' ');
            cite_buf_put(&r->value, s, n);
        } else if (!r->stray) {
            report(r, CITE_SEV_ERROR, line, s, n, "expected 'TY  - ' to start a record");
            r->status = CITE_EPARSE;
            r->stray = true;
        }
        return 0;
    }
    r->stray = false;
    int err = flush_tag(r);
    if (err == 0 && !strcmp(tag, "TY")) {
        if (r->rec) {
            report(r, CITE_SEV_WARNING, r->rec_line, NULL, 0,
                   "record without 'ER  - '; it ends where the next begins");
            err = end_record(r);
        }
        bool oom = false;
        char *type = err == 0 ? trimmed(s + v, n - v, &oom) : NULL;
        err = oom ? CITE_ENOMEM : err;
        if (err == 0)
            err = begin_record(r, type ? type : "", line, s, n);
        cite_free(type);
    } else if (err == 0 && !strcmp(tag, "ER")) {
        if (r->rec)
            err = end_record(r);
    } else if (err == 0 && !r->rec) {
        report(r, CITE_SEV_ERROR, line, s, n, "tag '%s' outside a record (expected 'TY  - ')", tag);
        r->status = CITE_EPARSE;
    } else if (err == 0) {
        memcpy(r->tag, tag, sizeof tag);
        cite_buf_put(&r->value, s + v, n - v);
    }
    return err;
}

static int read_all(reader *r, const char *src, size_t len)
{
    if (len >= 3 && !memcmp(src, "\xEF\xBB\xBF", 3))
        src += 3, len -= 3;
    unsigned line = 0;
    int err = 0;
    for (size_t at = 0; err == 0 && at < len;) {
        const char *nl = memchr(src + at, '\n', len - at);
        size_t end = nl ? (size_t)(nl - src) : len, n = end - at;
        while (n && (src[at + n - 1] == '\r' || src[at + n - 1] == ' '))
            n--;
        err = read_line(r, src + at, n, ++line);
        at = end + 1;
    }
    if (err == 0 && r->rec) {
        report(r, CITE_SEV_WARNING, r->rec_line, NULL, 0,
               "record without 'ER  - ' at the end of the file");
        err = end_record(r);
    }
    return err;
}

int cite_ris_read(
    cite_library **out, const char *src, size_t len, const char *file, cite_diag *diag)
{
    reader r = { .file = file, .diag = diag, .value = CITE_BUF_INIT };
    *out = NULL;
    /* EndNote's older exports are Windows-1252, some Windows tools' UTF-16 */
    char *converted = NULL;
    cite_encoding enc = cite_encoding_detect(src, len);
    if (enc != CITE_ENC_UTF8) {
        if (cite_to_utf8(&converted, &len, src, len, enc) < 0)
            return CITE_ENOMEM;
        src = converted;
        cite_diag_report(diag, CITE_SEV_WARNING, (cite_loc){ .file = file },
                         "not UTF-8: read as %s", cite_encoding_name(enc));
    }
    int err = CITE_EPARSE;
    if (memchr(src, '\0', len))
        cite_diag_report(diag, CITE_SEV_ERROR, (cite_loc){ .file = file },
                         "not a RIS file: it holds NUL bytes");
    else
        err = (r.lib = cite_library_new()) ? read_all(&r, src, len) : CITE_ENOMEM;
    cite_free(converted);
    cite_record_free(r.rec);
    cite_free(r.first_page);
    cite_free(r.last_page);
    cite_buf_dispose(&r.value);
    if (err < 0) {
        cite_library_free(r.lib);
        return err;
    }
    *out = r.lib;
    return r.status;
}
