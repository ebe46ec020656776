/* bibtex_read.c: BibTeX and biblatex source -> a library of records.
 *
 * The whole language as users write it: @string macros and # concatenation, the month
 * macros, braced and quoted values with nested braces, @comment, @preamble, entries delimited
 * by braces or parentheses, crossref inheritance. A malformed entry is reported at
 * file:line:col and skipped: the reader resynchronises at the next '@' that starts a line, so
 * one bad entry costs only that entry. Fields cite has no CSL variable for are kept. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bibnames.h"
#include "bibtex.h"
#include "buf.h"
#include "encoding.h"
#include "latex.h"
#include "lineindex.h"

/* One field as read: name (lowercased) and the value after macro expansion and
 * concatenation, LaTeX intact. Both point into reader-owned buffers. */
typedef struct raw_field {
    char *name;
    char *value;
    size_t offset; /* of the field name, for diagnostics */
} raw_field;

typedef struct macro {
    char *name; /* lowercase */
    char *value;
} macro;

typedef struct reader {
    const char *src;
    size_t len, pos;
    const char *file;
    cite_diag *diag;
    cite_lineindex lines;
    cite_library *lib;
    macro *macros; /* open addressing by name; cap a power of two */
    size_t nmacros, capmacros;
    raw_field *fields; /* the entry being read */
    size_t nfields, capfields;
    cite_buf value;   /* scratch for the value being read */
    size_t value_end; /* offset just past the last piece of that value */
    int status;       /* 0, or CITE_EPARSE once an entry was skipped */
} reader;

/* ---- diagnostics ---------------------------------------------------------------------- */

static void report_at(reader *r, cite_severity sev, size_t offset, const char *fmt, ...)
    CITE_PRINTF(4, 5);

static void report_at(reader *r, cite_severity sev, size_t offset, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    cite_lineindex_report(&r->lines, r->diag, sev, r->file, offset, 0, fmt, ap);
    va_end(ap);
    if (sev == CITE_SEV_ERROR)
        r->status = CITE_EPARSE;
}

/* ---- macros --------------------------------------------------------------------------- */

static size_t hash_name(const char *s, size_t len)
{
    uint64_t h = 1469598103934665603u;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        h = (h ^ (c >= 'A' && c <= 'Z' ? c + 32 : c)) * 1099511628211u;
    }
    return (size_t)h;
}

/* The slot for a macro name (compared case-insensitively, as BibTeX does). */
static macro *macro_slot(macro *table, size_t cap, const char *name, size_t len)
{
    size_t mask = cap - 1;
    for (size_t i = hash_name(name, len) & mask;; i = (i + 1) & mask) {
        macro *m = &table[i];
        if (!m->name || (strlen(m->name) == len && strncasecmp(m->name, name, len) == 0))
            return m;
    }
}

static const char *macro_lookup(const reader *r, const char *name, size_t len)
{
    if (!r->capmacros)
        return NULL;
    macro *m = macro_slot(r->macros, r->capmacros, name, len);
    return m->name ? m->value : NULL;
}

static int macro_rehash(reader *r)
{
    size_t cap = r->capmacros ? r->capmacros * 2 : 64;
    macro *table = cite_calloc(cap, sizeof(macro));
    if (!table)
        return CITE_ENOMEM;
    for (size_t i = 0; i < r->capmacros; i++)
        if (r->macros[i].name)
            *macro_slot(table, cap, r->macros[i].name, strlen(r->macros[i].name)) = r->macros[i];
    cite_free(r->macros);
    r->macros = table;
    r->capmacros = cap;
    return 0;
}

/* Defines (or redefines, as BibTeX allows) a macro; copies name and value. */
static int macro_define(reader *r, const char *name, size_t len, const char *value)
{
    if ((r->nmacros + 1) * 2 > r->capmacros && macro_rehash(r) < 0)
        return CITE_ENOMEM;
    macro *m = macro_slot(r->macros, r->capmacros, name, len);
    char *v = cite_strdup(value);
    if (!v)
        return CITE_ENOMEM;
    if (!m->name) {
        if (!(m->name = cite_strndup(name, len))) {
            cite_free(v);
            return CITE_ENOMEM;
        }
        for (char *p = m->name; *p; p++)
            if (*p >= 'A' && *p <= 'Z')
                *p = (char)(*p + 32);
        r->nmacros++;
    }
    cite_free(m->value);
    m->value = v;
    return 0;
}

/* BibTeX's predefined month macros (plain.bst and friends). */
static int define_months(reader *r)
{
    static const char *const names[][2] = {
        { "jan", "January" },   { "feb", "February" }, { "mar", "March" },    { "apr", "April" },
        { "may", "May" },       { "jun", "June" },     { "jul", "July" },     { "aug", "August" },
        { "sep", "September" }, { "oct", "October" },  { "nov", "November" }, { "dec", "December" },
    };
    for (size_t i = 0; i < CITE_ARRAY_LEN(names); i++)
        if (macro_define(r, names[i][0], 3, names[i][1]) < 0)
            return CITE_ENOMEM;
    return 0;
}

/* ---- lexing --------------------------------------------------------------------------- */

static bool at_end(const reader *r)
{
    return r->pos >= r->len;
}

static char peek(const reader *r)
{
    return at_end(r) ? '\0' : r->src[r->pos];
}

/* Skips whitespace and, as biber does, %-comments to the end of the line. */
static void skip_space(reader *r)
{
    while (!at_end(r)) {
        char c = r->src[r->pos];
        if (c == '%') {
            const char *nl = memchr(r->src + r->pos, '\n', r->len - r->pos);
            r->pos = nl ? (size_t)(nl - r->src) : r->len;
        } else if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
            r->pos++;
        } else {
            break;
        }
    }
}

static bool is_ident_char(char c)
{
    return (unsigned char)c > ' ' && !strchr("{}(),=#\"%@\x7f", c);
}

/* Reads an identifier (entry type, field or macro name) as a slice. */
static cite_slice read_ident(reader *r)
{
    size_t start = r->pos;
    while (!at_end(r) && is_ident_char(r->src[r->pos]))
        r->pos++;
    return (cite_slice){ r->src + start, r->pos - start };
}

/* True when only blanks stand between the start of the line and pos. */
static bool at_line_start(const reader *r, size_t pos)
{
    for (size_t i = pos; i > 0 && r->src[i - 1] != '\n'; i--)
        if (r->src[i - 1] != ' ' && r->src[i - 1] != '\t')
            return false;
    return true;
}

/* True when pos starts a line (only blanks before it) and holds '@' + letters + '{' or '(':
 * the start of the next entry. Used to stop a runaway value and to resynchronise. */
static bool entry_starts_at(const reader *r, size_t pos)
{
    if (pos >= r->len || r->src[pos] != '@' || !at_line_start(r, pos))
        return false;
    size_t i = pos + 1;
    while (i < r->len && ((r->src[i] | 32) >= 'a' && (r->src[i] | 32) <= 'z'))
        i++;
    while (i < r->len && (r->src[i] == ' ' || r->src[i] == '\t'))
        i++;
    return i > pos + 1 && i < r->len && (r->src[i] == '{' || r->src[i] == '(');
}

/* Moves to the first entry start after the '@' at `entry` (the entry that failed), at or
 * after the current position: an error found at the next entry's '@' must not skip it. */
static void resync(reader *r, size_t entry)
{
    if (r->pos <= entry)
        r->pos = entry + 1;
    if (entry_starts_at(r, r->pos))
        return;
    while (r->pos + 1 < r->len) {
        const char *at = memchr(r->src + r->pos + 1, '@', r->len - r->pos - 1);
        if (!at) {
            r->pos = r->len;
            return;
        }
        r->pos = (size_t)(at - r->src);
        if (entry_starts_at(r, r->pos))
            return;
    }
    r->pos = r->len;
}

/* Reads a brace- or quote-delimited piece starting at the opening character into out,
 * without the outer delimiters. Inside quotes, a '"' within braces does not end the piece;
 * a backslash escapes nothing (BibTeX's rules, so files BibTeX reads read the same here).
 * A line that starts a new entry before the piece closes means a missing delimiter. */
static int read_delimited(reader *r, cite_buf *out)
{
    size_t open = r->pos;
    char close = r->src[r->pos] == '{' ? '}' : '"';
    int depth = 0;
    size_t start = ++r->pos;
    for (; !at_end(r); r->pos++) {
        char c = r->src[r->pos];
        if (c == '{') { /* as in BibTeX, \{ counts too: values balance their braces */
            depth++;
        } else if (c == '}' && depth > 0) {
            depth--;
        } else if (c == close && depth == 0) {
            cite_buf_put(out, r->src + start, r->pos - start);
            r->pos++;
            return 0;
        } else if (c == '}') {
            report_at(r, CITE_SEV_ERROR, r->pos, "unbalanced '}' in quoted value");
            return CITE_EPARSE;
        } else if (c == '\n' &&
                   entry_starts_at(r, r->pos + 1 +
                                          (r->pos + 1 < r->len && r->src[r->pos + 1] == '\r'))) {
            break;
        }
    }
    report_at(r, CITE_SEV_ERROR, open, "value is never closed: missing '%c'", close);
    return CITE_EPARSE;
}

/* value = piece ('#' piece)*, piece = {...} | "..." | number | macro name. Appends the
 * concatenation, macros expanded, to r->value. */
static int read_value(reader *r)
{
    cite_buf_clear(&r->value);
    for (;;) {
        skip_space(r);
        char c = peek(r);
        if (c == '{' || c == '"') {
            if (read_delimited(r, &r->value) < 0)
                return CITE_EPARSE;
        } else if (c && is_ident_char(c)) {
            size_t at = r->pos;
            cite_slice name = read_ident(r);
            bool number = true;
            for (size_t i = 0; i < name.len; i++)
                number = number && name.ptr[i] >= '0' && name.ptr[i] <= '9';
            const char *expansion = number ? NULL : macro_lookup(r, name.ptr, name.len);
            if (number || !expansion) {
                if (!number)
                    report_at(r, CITE_SEV_WARNING, at, "undefined macro '%.*s' kept as text",
                              (int)name.len, name.ptr);
                cite_buf_put(&r->value, name.ptr, name.len);
            } else {
                cite_buf_puts(&r->value, expansion);
            }
        } else {
            report_at(r, CITE_SEV_ERROR, r->pos,
                      "expected a value (braces, quotes, number or "
                      "macro name)");
            return CITE_EPARSE;
        }
        r->value_end = r->pos;
        skip_space(r);
        if (peek(r) != '#')
            break;
        r->pos++;
    }
    return cite_buf_oom(&r->value) ? CITE_ENOMEM : 0;
}

/* ---- entries -------------------------------------------------------------------------- */

static void fields_clear(reader *r)
{
    for (size_t i = 0; i < r->nfields; i++) {
        cite_free(r->fields[i].name);
        cite_free(r->fields[i].value);
    }
    r->nfields = 0;
}

static int field_push(reader *r, cite_slice name, size_t offset)
{
    if (cite_grow_array((void **)&r->fields, &r->capfields, r->nfields + 1, sizeof(raw_field)))
        return CITE_ENOMEM;
    raw_field *f = &r->fields[r->nfields];
    f->name = cite_strndup(name.ptr, name.len);
    f->value = cite_strndup(r->value.ptr, r->value.len);
    f->offset = offset;
    if (!f->name || !f->value) {
        cite_free(f->name);
        cite_free(f->value);
        return CITE_ENOMEM;
    }
    for (char *p = f->name; *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p + 32);
    r->nfields++;
    return 0;
}

static const raw_field *raw_lookup(const reader *r, const char *name)
{
    for (size_t i = 0; i < r->nfields; i++)
        if (strcmp(r->fields[i].name, name) == 0)
            return &r->fields[i];
    return NULL;
}

/* Reads `name = value` pairs up to the closing delimiter into r->fields. */
static int read_fields(reader *r, char close)
{
    for (;;) {
        skip_space(r);
        if (peek(r) == close) {
            r->pos++;
            return 0;
        }
        size_t at = r->pos;
        cite_slice name = read_ident(r);
        if (name.len == 0) {
            if (at_end(r) || entry_starts_at(r, r->pos))
                report_at(r, CITE_SEV_ERROR, at, "entry is never closed: missing '%c'", close);
            else
                report_at(r, CITE_SEV_ERROR, at, "expected a field name, found '%c'", peek(r));
            return CITE_EPARSE;
        }
        skip_space(r);
        if (peek(r) != '=') {
            report_at(r, CITE_SEV_ERROR, r->pos, "expected '=' after field name '%.*s'",
                      (int)name.len, name.ptr);
            return CITE_EPARSE;
        }
        r->pos++;
        int err = read_value(r);
        if (err < 0)
            return err;
        if ((err = field_push(r, name, at)) < 0)
            return err;
        skip_space(r);
        if (peek(r) == ',') {
            r->pos++;
        } else if (entry_starts_at(r, r->pos)) {
            report_at(r, CITE_SEV_ERROR, r->value_end, "entry is not closed: missing '%c'", close);
            return CITE_EPARSE;
        } else if (peek(r) != close) {
            report_at(r, CITE_SEV_ERROR, r->pos,
                      "expected ',' or '%c' after the value of field '%.*s'", close, (int)name.len,
                      name.ptr);
            return CITE_EPARSE;
        }
    }
}

/* ---- fields to record ----------------------------------------------------------------- */

/* Stores the converted value under name (a CSL variable or a kept field's name). */
static int set_converted(cite_record *rec, const raw_field *f, const char *name, unsigned flags)
{
    cite_buf text = CITE_BUF_INIT;
    cite_latex_to_text(&text, f->value, strlen(f->value), flags);
    if (cite_buf_oom(&text)) {
        cite_buf_dispose(&text);
        return CITE_ENOMEM;
    }
    const char *value = text.ptr;
    /* DOIs are stored bare: "https://doi.org/10.1/x" and "doi:10.1/x" are the same DOI. */
    if (strcmp(name, "DOI") == 0) {
        static const char *const prefixes[] = { "https://doi.org/", "http://doi.org/",
                                                "https://dx.doi.org/", "http://dx.doi.org/",
                                                "doi:" };
        for (size_t i = 0; i < CITE_ARRAY_LEN(prefixes); i++)
            if (strncasecmp(value, prefixes[i], strlen(prefixes[i])) == 0)
                value += strlen(prefixes[i]);
    }
    int err = cite_record_set_text(rec, name, value);
    cite_buf_dispose(&text);
    return err;
}

/* The year of a BibTeX `year` field: "2020", "2021a", "1999--2001", "ca. 1850", "2020~";
 * with month and day (numbers or names) when they parse. Anything else is a literal. */
static int read_year(cite_date *date,
                     const char *year,
                     const char *month,
                     const char *day,
                     bool *month_used,
                     bool *day_used)
{
    cite_buf edtf = CITE_BUF_INIT;
    const char *p = year;
    while (*p == ' ')
        p++;
    bool circa = false;
    static const char *const circa_words[] = { "circa ", "ca. ", "c. ", "ca.", "c." };
    for (size_t i = 0; i < CITE_ARRAY_LEN(circa_words) && !circa; i++)
        if (strncasecmp(p, circa_words[i], strlen(circa_words[i])) == 0) {
            p += strlen(circa_words[i]);
            circa = true;
        }
    while (*p == ' ')
        p++;
    for (; *p; p++) {
        if (p[0] == '-' && p[1] == '-') {
            cite_buf_putc(&edtf, '/');
            p += p[2] == '-' ? 2 : 1;
        } else if (strncmp(p, "\xE2\x80\x93", 3) == 0) { /* an en dash, as --- was read */
            cite_buf_putc(&edtf, '/');
            p += 2;
        } else if (*p == '~' && p[1] == '\0') {
            circa = true;
        } else {
            cite_buf_putc(&edtf, *p);
        }
    }
    while (edtf.len && edtf.ptr[edtf.len - 1] == ' ')
        cite_buf_truncate(&edtf, edtf.len - 1);
    int m = month ? cite_bibtex_month(month, strlen(month)) : 0;
    int d = day && m ? atoi(day) : 0;
    bool simple = edtf.len >= 4 && !strchr(edtf.ptr, '/') && !strchr(edtf.ptr, '-');
    if (simple && m) {
        cite_buf_printf(&edtf, "-%02d", m);
        if (d >= 1 && d <= 31)
            cite_buf_printf(&edtf, "-%02d", d);
    }
    if (cite_buf_oom(&edtf)) {
        cite_buf_dispose(&edtf);
        return CITE_ENOMEM;
    }
    int err = cite_date_parse(date, edtf.ptr, edtf.len);
    if (err == 0 && date->literal) {
        /* Not a date after all: keep the field exactly as written. */
        cite_date_dispose(date);
        *month_used = *day_used = false;
        cite_buf_dispose(&edtf);
        date->literal = cite_strdup(year);
        return date->literal ? 0 : CITE_ENOMEM;
    }
    date->circa = date->circa || circa;
    *month_used = simple && m;
    *day_used = *month_used && d >= 1 && d <= 31;
    cite_buf_dispose(&edtf);
    return err;
}

/* year, month and day make one `issued` date, stored where the year stands. A month or day
 * that does not parse stays a field of its own. The year field is r->fields[year]. */
static int
year_date(cite_date *date, reader *r, const raw_field *f, bool *month_used, bool *day_used)
{
    cite_buf year = CITE_BUF_INIT, month = CITE_BUF_INIT, day = CITE_BUF_INIT;
    const raw_field *fm = raw_lookup(r, "month"), *fd = raw_lookup(r, "day");
    cite_latex_to_text(&year, f->value, strlen(f->value), 0);
    if (fm)
        cite_latex_to_text(&month, fm->value, strlen(fm->value), 0);
    if (fd)
        cite_latex_to_text(&day, fd->value, strlen(fd->value), 0);
    int err = CITE_ENOMEM;
    if (!cite_buf_oom(&year) && !cite_buf_oom(&month) && !cite_buf_oom(&day)) {
        /* Keep ~ literal for EDTF's circa: read the year's raw text when it ends with one. */
        const char *y = f->value[0] && f->value[strlen(f->value) - 1] == '~' ? f->value : year.ptr;
        err = read_year(date, y, fm ? month.ptr : NULL, fd ? day.ptr : NULL, month_used, day_used);
    }
    cite_buf_dispose(&year);
    cite_buf_dispose(&month);
    cite_buf_dispose(&day);
    return err;
}

static int set_date(cite_record *rec, const raw_field *f, const char *var)
{
    cite_date date;
    const char *v = f->value;
    size_t len = strlen(v);
    while (len && v[len - 1] == ' ')
        len--;
    while (len && *v == ' ') {
        v++;
        len--;
    }
    int err = cite_date_parse(&date, v, len);
    if (err == 0)
        err = cite_record_set_date(rec, var, &date);
    cite_date_dispose(&date);
    return err;
}

static int set_names(cite_record *rec, const raw_field *f, const char *var)
{
    cite_name *names;
    size_t n;
    int err = cite_bibtex_names_parse(&names, &n, f->value, strlen(f->value));
    if (err < 0 || n == 0) {
        cite_free(names); /* an empty name list holds nothing to keep */
        return err;
    }
    return cite_record_take_names(rec, var, names, n);
}

/* True when the entry has a field called name before field i: BibTeX keeps the first. */
static bool repeated(const reader *r, size_t i)
{
    for (size_t j = 0; j < i; j++)
        if (strcmp(r->fields[j].name, r->fields[i].name) == 0)
            return true;
    return false;
}

/* Converts field i. A CSL variable already set by an earlier field (journal and
 * journaltitle) keeps the later one under its own BibTeX name; a kept field whose name is
 * also a CSL variable's (biblatex's `issue` of an article) is stored as "bibtex:NAME", which
 * the writer turns back into NAME. */
static int convert_field(reader *r, cite_record *rec, const char *bibtype, size_t i)
{
    const raw_field *f = &r->fields[i];
    if (repeated(r, i)) {
        report_at(r, CITE_SEV_WARNING, f->offset, "duplicate field '%s' ignored", f->name);
        return 0;
    }
    bib_field_map map = cite_bibtex_field_in(bibtype, f->name);
    const char *var = map.csl && !cite_record_field(rec, map.csl) ? map.csl : NULL;
    cite_var_kind kind = cite_var_kind_of(f->name);
    if (!map.csl && kind != CITE_VAR_UNKNOWN && !cite_record_field(rec, f->name)) {
        /* A field named after a CSL variable (status, archive, director) is that variable. */
        var = f->name;
        map.conv = kind == CITE_VAR_NAMES  ? BIB_NAMES
                   : kind == CITE_VAR_DATE ? BIB_DATE
                                           : cite_bibtex_conv(f->name);
    }
    char kept[80];
    const char *name = var ? var : f->name;
    if (!var && kind != CITE_VAR_UNKNOWN) {
        snprintf(kept, sizeof(kept), "bibtex:%s", f->name);
        name = kept;
    }
    if (cite_record_field(rec, name))
        return 0; /* the same variable from two spellings of one field (journal, journaltitle) */
    bib_conv conv = map.conv;
    if (!var && (conv == BIB_NAMES || conv == BIB_DATE))
        conv = BIB_TEXT; /* kept fields are text */
    switch (conv) {
    case BIB_NAMES:
        return set_names(rec, f, var);
    case BIB_DATE:
        return set_date(rec, f, var);
    case BIB_VERBATIM:
        return set_converted(rec, f, name, CITE_LATEX_VERBATIM);
    case BIB_TITLE:
        return set_converted(rec, f, name, CITE_LATEX_TITLE);
    case BIB_TEXT:
        break;
    }
    return set_converted(rec, f, name, 0);
}

/* True when a biblatex date field holds a date cite can read (not "15/05/84"). */
static bool date_parses(const raw_field *f)
{
    cite_date d;
    size_t len = strlen(f->value);
    if (cite_date_parse(&d, f->value, len) < 0)
        return true; /* out of memory: the caller's own parse reports it */
    bool ok = !d.literal;
    cite_date_dispose(&d);
    return ok;
}

/* The issued date comes from `date` when it is a date, else from year, month and day; the
 * fields not used for it are kept as they are. */
static int convert_fields(reader *r, cite_record *rec, const char *bibtype)
{
    const raw_field *date = raw_lookup(r, "date"), *year = raw_lookup(r, "year");
    if (date && year && date_parses(date))
        year = NULL;
    bool month_used = false, day_used = false;
    cite_date issued = { 0 };
    int err = year ? year_date(&issued, r, year, &month_used, &day_used) : 0;
    for (size_t i = 0; i < r->nfields && err == 0; i++) {
        const raw_field *f = &r->fields[i];
        if (f == year)
            err = cite_record_set_date(rec, "issued", &issued);
        else if (year && f == date)
            err = set_converted(rec, f, "date", 0);
        else if (!(strcmp(f->name, "month") == 0 && month_used) &&
                 !(strcmp(f->name, "day") == 0 && day_used) &&
                 !(year && strcmp(f->name, "year") == 0))
            err = convert_field(r, rec, bibtype, i);
    }
    cite_date_dispose(&issued);
    return err;
}

/* Gives rec a key of its own when it has none or a taken one; warns at the entry. */
static int ensure_key(reader *r, cite_record *rec, size_t at)
{
    char *key;
    int err = cite_key_needed(r->lib, rec, &key);
    if (err < 0 || !key)
        return err;
    if (rec->id[0] == '\0')
        report_at(r, CITE_SEV_WARNING, at, "entry has no key; using '%s'", key);
    else
        report_at(r, CITE_SEV_WARNING, at, "duplicate key '%s'; this entry is kept as '%s'",
                  rec->id, key);
    err = cite_record_set_id(rec, key);
    cite_free(key);
    return err;
}

static int add_entry(reader *r, const char *bibtype, cite_slice key, size_t at)
{
    const char *csl = cite_bibtex_csl_type(bibtype);
    char *id = cite_strndup(key.ptr, key.len);
    cite_record *rec = id ? cite_record_new(id, csl) : NULL;
    int err = CITE_ENOMEM;
    cite_free(id);
    if (!rec)
        goto fail;
    if (strcmp(cite_bibtex_default_type(csl), bibtype) != 0 &&
        !(rec->bibtype = cite_strdup(bibtype)))
        goto fail;
    rec->source_line = cite_lineindex_loc(&r->lines, NULL, at).line;
    if (r->file && !(rec->source_file = cite_strdup(r->file)))
        goto fail;
    if ((err = convert_fields(r, rec, bibtype)) < 0 || (err = ensure_key(r, rec, at)) < 0)
        goto fail;
    return cite_library_add(r->lib, rec);
fail:
    cite_record_free(rec);
    return err;
}

static int read_string(reader *r, char close)
{
    skip_space(r);
    size_t at = r->pos;
    cite_slice name = read_ident(r);
    skip_space(r);
    if (name.len == 0 || peek(r) != '=') {
        report_at(r, CITE_SEV_ERROR, name.len ? r->pos : at, "expected 'name = value' in @string");
        return CITE_EPARSE;
    }
    r->pos++;
    int err = read_value(r);
    if (err < 0)
        return err;
    skip_space(r);
    if (peek(r) != close) {
        report_at(r, CITE_SEV_ERROR, r->pos, "expected '%c' to close @string", close);
        return CITE_EPARSE;
    }
    r->pos++;
    return macro_define(r, name.ptr, name.len, r->value.ptr);
}

/* @preamble{...} and @comment{...} are kept on the library so an export gives them back. */
static int read_preamble(reader *r, char close)
{
    int err = read_value(r);
    if (err < 0)
        return err;
    skip_space(r);
    if (peek(r) != close) {
        report_at(r, CITE_SEV_ERROR, r->pos, "expected '%c' to close @preamble", close);
        return CITE_EPARSE;
    }
    r->pos++;
    return cite_library_add_extra(r->lib, CITE_EXTRA_PREAMBLE, r->value.ptr);
}

static int read_comment(reader *r)
{
    /* BibTeX ignores everything after @comment; biber skips a brace group. Keep the group. */
    if (peek(r) != '{' && peek(r) != '(') {
        return 0;
    }
    cite_buf_clear(&r->value);
    if (peek(r) == '(') {
        const char *end = memchr(r->src + r->pos, ')', r->len - r->pos);
        size_t stop = end ? (size_t)(end - r->src) : r->len;
        cite_buf_put(&r->value, r->src + r->pos + 1, stop - r->pos - 1);
        r->pos = end ? stop + 1 : r->len;
    } else if (read_delimited(r, &r->value) < 0) {
        return CITE_EPARSE;
    }
    return cite_library_add_extra(r->lib, CITE_EXTRA_COMMENT, r->value.ptr);
}

/* Reads the entry whose '@' is at r->pos. */
static int read_entry(reader *r)
{
    size_t at = r->pos++;
    skip_space(r);
    cite_slice type = read_ident(r);
    char bibtype[32];
    if (type.len == 0 || type.len >= sizeof(bibtype)) {
        report_at(r, CITE_SEV_ERROR, at, "expected an entry type after '@'");
        return CITE_EPARSE;
    }
    for (size_t i = 0; i < type.len; i++)
        bibtype[i] =
            (char)(type.ptr[i] >= 'A' && type.ptr[i] <= 'Z' ? type.ptr[i] + 32 : type.ptr[i]);
    bibtype[type.len] = '\0';
    skip_space(r);
    if (strcmp(bibtype, "comment") == 0)
        return read_comment(r);
    char open = peek(r);
    if (open != '{' && open != '(') {
        report_at(r, CITE_SEV_ERROR, r->pos, "expected '{' or '(' after '@%s'", bibtype);
        return CITE_EPARSE;
    }
    char close = open == '{' ? '}' : ')';
    r->pos++;
    if (strcmp(bibtype, "string") == 0)
        return read_string(r, close);
    if (strcmp(bibtype, "preamble") == 0)
        return read_preamble(r, close);
    skip_space(r);
    size_t key_start = r->pos;
    while (!at_end(r) && r->src[r->pos] != ',' && r->src[r->pos] != close &&
           !strchr(" \t\r\n", r->src[r->pos]))
        r->pos++;
    cite_slice key = { r->src + key_start, r->pos - key_start };
    skip_space(r);
    if (peek(r) == '=') { /* no key: what we read was the first field's name */
        r->pos = key_start;
        key.len = 0;
    } else if (peek(r) == ',') {
        r->pos++;
    } else if (peek(r) != close) {
        report_at(r, CITE_SEV_ERROR, r->pos, "expected ',' after the key of '@%s'", bibtype);
        return CITE_EPARSE;
    }
    fields_clear(r);
    int err = read_fields(r, close);
    if (err < 0)
        return err;
    return add_entry(r, bibtype, key, at);
}

/* ---- crossref ------------------------------------------------------------------------- */

static bool inherits(const char *name)
{
    static const char *const never[] = { "crossref",     "ids",     "xref",      "entryset",
                                         "entrysubtype", "execute", "label",     "options",
                                         "presort",      "related", "shorthand", "sortkey",
                                         "xdata" };
    for (size_t i = 0; i < CITE_ARRAY_LEN(never); i++)
        if (strcmp(name, never[i]) == 0)
            return false;
    return true;
}

/* biblatex's default inheritance (biblatex manual, Appendix B): a part of a book takes the
 * book's title as its container title and the book's author as container author. */
static const char *
inherited_name(const cite_record *child, const cite_record *parent, const char *name)
{
    bool part = strcmp(child->type, "chapter") == 0 ||
                strcmp(child->type, "paper-conference") == 0 ||
                strcmp(child->type, "entry-encyclopedia") == 0;
    bool whole = strcmp(parent->type, "book") == 0 || strcmp(parent->type, "periodical") == 0;
    if (part && whole && strcmp(name, "title") == 0)
        return "container-title";
    if (part && whole && strcmp(name, "author") == 0)
        return "container-author";
    return name;
}

static int copy_field(cite_record *child, const cite_field *f, const char *name)
{
    switch (f->kind) {
    case CITE_VAR_NAMES:
        for (size_t i = 0; i < f->nnames; i++) {
            int err = cite_record_add_name(child, name, &f->names[i]);
            if (err < 0)
                return err;
        }
        return 0;
    case CITE_VAR_DATE:
        return cite_record_set_date(child, name, &f->date);
    default:
        return cite_record_set_text(child, name, f->text);
    }
}

static int inherit(cite_record *child, const cite_record *parent)
{
    for (size_t i = 0; i < parent->nfields; i++) {
        const cite_field *f = &parent->fields[i];
        const char *name = inherited_name(child, parent, f->name);
        if (!inherits(f->name) || cite_record_field(child, name))
            continue;
        int err = copy_field(child, f, name);
        if (err < 0)
            return err;
    }
    return 0;
}

static cite_record *find_parent(cite_library *lib, const char *key)
{
    cite_record *parent = cite_library_find(lib, key);
    for (size_t i = 0; !parent && i < lib->count; i++) /* BibTeX keys ignore case */
        if (strcasecmp(lib->records[i]->id, key) == 0)
            parent = lib->records[i];
    return parent;
}

static int resolve_crossrefs(reader *r)
{
    for (size_t i = 0; i < r->lib->count; i++) {
        cite_record *child = r->lib->records[i];
        const char *key = cite_record_get_text(child, "crossref");
        if (!key)
            continue;
        cite_record *parent = find_parent(r->lib, key);
        if (!parent || parent == child) {
            cite_diag_report(r->diag, CITE_SEV_WARNING,
                             (cite_loc){ .file = r->file, .line = child->source_line },
                             "entry '%s' has crossref '%s', which is not in the file", child->id,
                             key);
            continue;
        }
        int err = inherit(child, parent);
        if (err < 0)
            return err;
    }
    return 0;
}

/* ---- driver --------------------------------------------------------------------------- */

static int read_all(reader *r)
{
    int err = define_months(r);
    while (err == 0 && !at_end(r)) {
        const char *at = memchr(r->src + r->pos, '@', r->len - r->pos);
        if (!at)
            break;
        r->pos = (size_t)(at - r->src);
        if (!entry_starts_at(r, r->pos) && !at_line_start(r, r->pos)) {
            r->pos++; /* an '@' inside text between entries (an e-mail address) is comment */
            continue;
        }
        size_t entry = r->pos;
        err = read_entry(r);
        if (err == CITE_EPARSE || err == CITE_EEXISTS) {
            resync(r, entry);
            err = 0;
        }
    }
    if (err == 0)
        err = resolve_crossrefs(r);
    return err;
}

static void reader_dispose(reader *r)
{
    fields_clear(r);
    cite_free(r->fields);
    for (size_t i = 0; i < r->capmacros; i++) {
        cite_free(r->macros[i].name);
        cite_free(r->macros[i].value);
    }
    cite_free(r->macros);
    cite_buf_dispose(&r->value);
    cite_lineindex_dispose(&r->lines);
}

int cite_bibtex_read(
    cite_library **out, const char *src, size_t len, const char *file, cite_diag *diag)
{
    if (len >= 3 && !memcmp(src, "\xEF\xBB\xBF", 3)) { /* a byte order mark is no text */
        src += 3;
        len -= 3;
    }
    reader r = { .src = src, .len = len, .file = file, .diag = diag };
    char *converted = NULL;
    int err = CITE_ENOMEM;
    *out = NULL;
    /* Old .bib files are often Latin-1 or Windows-1252, a few UTF-16: read them as that
     * rather than reject them */
    cite_encoding enc = cite_encoding_detect(src, len);
    if (enc != CITE_ENC_UTF8) {
        if (cite_to_utf8(&converted, &r.len, src, len, enc) < 0)
            goto done;
        r.src = converted;
        cite_diag_report(diag, CITE_SEV_WARNING, (cite_loc){ .file = file },
                         "not UTF-8: read as %s", cite_encoding_name(enc));
    }
    if (!(r.lib = cite_library_new()) || cite_lineindex_init(&r.lines, r.src, r.len) < 0)
        goto done;
    err = read_all(&r);
done:
    reader_dispose(&r);
    cite_free(converted);
    if (err < 0) {
        cite_library_free(r.lib);
        return err;
    }
    *out = r.lib;
    return r.status;
}

int cite_bibtex_read_file(cite_library **out, const char *path, cite_diag *diag)
{
    char *src;
    size_t len;
    *out = NULL;
    int err = cite_read_file(&src, &len, path);
    if (err < 0) {
        if (err == CITE_EIO)
            cite_diag_report(diag, CITE_SEV_ERROR, (cite_loc){ .file = path }, "cannot read: %s",
                             strerror(errno));
        return err;
    }
    err = cite_bibtex_read(out, src, len, path, diag);
    cite_free(src);
    return err;
}
