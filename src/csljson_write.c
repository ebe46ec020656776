/* csljson_write.c: a library -> CSL-JSON.
 *
 * The inverse of csljson_read.c, written by hand rather than through a jansson tree so that
 * the layout is ours: two-space indentation, one item key a line, each name and each date on
 * one line, which keeps files short and diffs readable. Keys come in a fixed order: id, type,
 * then the record's fields in the record's order (the XML store's), so XML -> CSL-JSON -> XML
 * gives the same store. Strings are UTF-8, not \u-escaped; a byte that is not UTF-8 becomes
 * U+FFFD, so the output is always valid JSON. jansson is used only to re-read the JSON text
 * of kept values, which also checks it. */
#include <string.h>

#include <jansson.h>

#include "csljson.h"
#include "markup.h"

typedef struct writer {
    cite_buf *out;
    cite_buf scratch; /* the HTML of the string being written */
} writer;

/* ---- JSON scalars ------------------------------------------------------------------------ */

/* Appends s[0..len) as a JSON string (RFC 8259 §7): quotes, backslashes and control
 * characters escaped; everything else as it is, invalid UTF-8 as U+FFFD. */
static void put_string_n(cite_buf *out, const char *s, size_t len)
{
    cite_buf_putc(out, '"');
    size_t from = 0;
    for (size_t i = 0; i < len;) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
            i++;
            continue;
        }
        size_t n = 1;
        bool invalid = false;
        if (c >= 0x80) {
            uint32_t cp = cite_utf8_decode(s + i, len - i, &n);
            invalid = cp == 0xFFFD && n == 1;
            if (!invalid) {
                i += n;
                continue;
            }
        }
        cite_buf_put(out, s + from, i - from);
        if (invalid)
            cite_buf_put_utf8(out, 0xFFFD);
        else if (c == '"' || c == '\\')
            cite_buf_printf(out, "\\%c", c);
        else if (c == '\n')
            cite_buf_puts(out, "\\n");
        else if (c == '\t')
            cite_buf_puts(out, "\\t");
        else if (c == '\r')
            cite_buf_puts(out, "\\r");
        else
            cite_buf_printf(out, "\\u%04x", c);
        i += n;
        from = i;
    }
    cite_buf_put(out, s + from, len - from);
    cite_buf_putc(out, '"');
}

static void put_string(cite_buf *out, const char *s)
{
    put_string_n(out, s, strlen(s));
}

/* A string of the record (rich text): its markup written as citeproc-js's HTML. */
static void put_rich(writer *w, const char *s)
{
    cite_buf_clear(&w->scratch);
    cite_csljson_markup_to_html(&w->scratch, s);
    if (cite_buf_oom(&w->scratch))
        w->out->oom = true; /* one sticky error for the whole output */
    else
        put_string_n(w->out, w->scratch.ptr, w->scratch.len);
}

/* `"key": ` */
static void put_key(cite_buf *out, const char *key)
{
    put_string(out, key);
    cite_buf_puts(out, ": ");
}

static int dump_cb(const char *buffer, size_t size, void *data)
{
    cite_buf_put(data, buffer, size);
    return cite_buf_oom(data) ? -1 : 0;
}

/* Appends the JSON text json as jansson re-reads and writes it (compact, one line), and
 * returns true; false, appending nothing, when it is not JSON (a hand-edited store). */
static bool put_json(cite_buf *out, const char *json)
{
    json_error_t e;
    cite_json_begin();
    json_t *v = json_loads(json, JSON_DECODE_ANY, &e);
    if (!v) {
        if (cite_json_failed() || json_error_code(&e) == json_error_out_of_memory)
            out->oom = true;
        return false;
    }
    size_t mark = out->len;
    if (json_dump_callback(v, dump_cb, out, JSON_ENCODE_ANY) < 0) {
        cite_buf_truncate(out, mark);
        out->oom = true;
    }
    json_decref(v);
    return true;
}

/* ---- names ------------------------------------------------------------------------------- */

/* `, "key": "value"` for a part that is present; first says no comma is due. */
static void put_part(writer *w, bool *first, const char *key, const char *value)
{
    if (!value)
        return;
    if (!*first)
        cite_buf_puts(w->out, ", ");
    *first = false;
    put_key(w->out, key);
    put_rich(w, value);
}

static void put_flag(writer *w, bool *first, const char *key, bool set, bool value)
{
    if (!set)
        return;
    if (!*first)
        cite_buf_puts(w->out, ", ");
    *first = false;
    put_key(w->out, key);
    cite_buf_puts(w->out, value ? "true" : "false");
}

/* One name on one line, parts in CSL 1.0.2 Name-part order, then the flags. BibTeX's "and
 * others" has no CSL-JSON form: it is written as the literal name "others", which the reader
 * turns back into the flag. */
static void put_name(writer *w, const cite_name *n)
{
    bool first = true;
    cite_buf_putc(w->out, '{');
    if (n->others && !n->family && !n->given && !n->literal) {
        put_part(w, &first, "literal", "others");
    } else {
        put_part(w, &first, "family", n->family);
        put_part(w, &first, "given", n->given);
        put_part(w, &first, "non-dropping-particle", n->non_dropping_particle);
        put_part(w, &first, "dropping-particle", n->dropping_particle);
        put_part(w, &first, "suffix", n->suffix);
        put_part(w, &first, "literal", n->literal);
    }
    put_flag(w, &first, "comma-suffix", n->comma_suffix, true);
    put_flag(w, &first, "static-ordering", n->static_ordering, true);
    put_flag(w, &first, "isInstitution", n->institution, true);
    put_flag(w, &first, "parse-names", n->parse_names != 0, n->parse_names > 0);
    cite_buf_putc(w->out, '}');
}

static void put_names(writer *w, const cite_field *f)
{
    cite_buf_puts(w->out, "[");
    for (size_t i = 0; i < f->nnames; i++) {
        cite_buf_puts(w->out, i ? ",\n      " : "\n      ");
        put_name(w, &f->names[i]);
    }
    cite_buf_puts(w->out, f->nnames ? "\n    ]" : "]");
}

/* ---- dates ------------------------------------------------------------------------------- */

/* [year, month, day] of one end of a date. A season goes in the month's place as 21-24
 * (citeproc-js reads it there) when put_date cannot give it as "season". */
static void put_part_numbers(cite_buf *out, const cite_date_part *p, bool season_inline)
{
    cite_buf_printf(out, "[%d", p->year);
    if (p->month) {
        cite_buf_printf(out, ", %u", (unsigned)p->month);
        if (p->day)
            cite_buf_printf(out, ", %u", (unsigned)p->day);
    } else if (p->season && season_inline) {
        cite_buf_printf(out, ", %u", 20u + p->season);
    }
    cite_buf_putc(out, ']');
}

/* The model's part of a date object: date-parts, season, circa, or literal. A year suffix
 * (2021a), which CSL-JSON dates cannot hold, goes in "raw" as the store writes the date:
 * processors read raw only when date-parts is absent, and the reader takes the suffix back
 * from it. */
static void put_date_model(writer *w, const cite_date *d, bool *first)
{
    cite_buf *out = w->out;
    if (d->literal) {
        put_key(out, "literal");
        put_string(out, d->literal);
        *first = false;
        return;
    }
    /* "season" is the standard form for one date; a range has it in the month's place */
    bool season_key = d->from.season && !d->to.year && !d->open_end;
    cite_buf_puts(out, "\"date-parts\": [");
    put_part_numbers(out, &d->from, !season_key);
    if (d->to.year) {
        cite_buf_puts(out, ", ");
        put_part_numbers(out, &d->to, true);
    } else if (d->open_end) {
        cite_buf_puts(out, ", [0]"); /* citeproc-js's open end */
    }
    cite_buf_putc(out, ']');
    if (season_key)
        cite_buf_printf(out, ", \"season\": %u", (unsigned)d->from.season);
    if (d->circa)
        cite_buf_puts(out, ", \"circa\": true");
    if (d->suffix[0]) {
        cite_buf raw = CITE_BUF_INIT;
        cite_date_format(&raw, d);
        cite_buf_puts(out, ", ");
        put_key(out, "raw");
        put_string_n(out, raw.ptr, raw.len);
        if (cite_buf_oom(&raw))
            out->oom = true;
        cite_buf_dispose(&raw);
    }
    *first = false;
}

/* True when put_date_model writes the key name for d. */
static bool model_key(const cite_date *d, const char *name)
{
    if (d->literal)
        return strcmp(name, "literal") == 0;
    return strcmp(name, "date-parts") == 0 ||
           (strcmp(name, "season") == 0 && d->from.season && !d->to.year && !d->open_end) ||
           (strcmp(name, "circa") == 0 && d->circa) || (strcmp(name, "raw") == 0 && d->suffix[0]);
}

/* A date on one line: the model's keys, then the keys the reader kept as attributes (their
 * JSON text; a value that is not JSON, from a hand-edited store, as a string). */
static void put_date(writer *w, const cite_field *f)
{
    bool first = true;
    cite_buf_putc(w->out, '{');
    put_date_model(w, &f->date, &first);
    for (size_t i = 0; i < f->nattrs; i++) {
        const cite_attr *a = &f->attrs[i];
        bool taken = model_key(&f->date, a->name);
        for (size_t j = 0; j < i && !taken; j++)
            taken = strcmp(f->attrs[j].name, a->name) == 0;
        if (taken)
            continue;
        cite_buf_puts(w->out, first ? "" : ", ");
        first = false;
        put_key(w->out, a->name);
        if (!put_json(w->out, a->value))
            put_string(w->out, a->value);
    }
    cite_buf_putc(w->out, '}');
}

/* ---- items ------------------------------------------------------------------------------- */

/* The attribute value of a field, or NULL. */
static const char *attr_value(const cite_field *f, const char *name)
{
    for (size_t i = 0; i < f->nattrs; i++)
        if (strcmp(f->attrs[i].name, name) == 0)
            return f->attrs[i].value;
    return NULL;
}

/* The type written: the record's, or, for a record the reader made a "document" because its
 * type was no CSL type, the original kept in a field "type". */
static const cite_field *kept_type(const cite_record *rec)
{
    const cite_field *f = cite_record_field(rec, "type");
    return f && f->kind == CITE_VAR_UNKNOWN && strcmp(rec->type, "document") == 0 ? f : NULL;
}

static void put_kept(writer *w, const cite_field *f)
{
    const char *json = attr_value(f, CITE_CSLJSON_JSON_ATTR);
    if (!(json && strcmp(json, "true") == 0 && f->text && put_json(w->out, f->text)))
        put_rich(w, f->text ? f->text : "");
}

static void put_field(writer *w, const cite_field *f)
{
    cite_buf_puts(w->out, ",\n    ");
    put_key(w->out, f->name);
    switch (f->kind) {
    case CITE_VAR_NAMES:
        put_names(w, f);
        break;
    case CITE_VAR_DATE:
        put_date(w, f);
        break;
    case CITE_VAR_UNKNOWN:
        put_kept(w, f);
        break;
    case CITE_VAR_TEXT:
        put_rich(w, f->text ? f->text : "");
        break;
    }
}

static void put_item(writer *w, const cite_record *rec)
{
    const cite_field *type = kept_type(rec);
    cite_buf_puts(w->out, "  {\n    \"id\": ");
    put_string(w->out, rec->id);
    cite_buf_puts(w->out, ",\n    \"type\": ");
    if (type)
        put_kept(w, type);
    else
        put_string(w->out, rec->type);
    for (size_t i = 0; i < rec->nfields; i++) {
        const cite_field *f = &rec->fields[i];
        /* "id" and "type" are written above: a field of either name would repeat the key. */
        if (strcmp(f->name, "id") != 0 && strcmp(f->name, "type") != 0)
            put_field(w, f);
    }
    cite_buf_puts(w->out, "\n  }");
}

int cite_csljson_write(char **out, const cite_library *lib)
{
    cite_buf buf = CITE_BUF_INIT;
    writer w = { .out = &buf, .scratch = CITE_BUF_INIT };
    *out = NULL;
    cite_buf_putc(&buf, '[');
    for (size_t i = 0; i < lib->count && !cite_buf_oom(&buf); i++) {
        cite_buf_puts(&buf, i ? ",\n" : "\n");
        put_item(&w, lib->records[i]);
    }
    cite_buf_puts(&buf, lib->count ? "\n]\n" : "]\n");
    cite_buf_dispose(&w.scratch);
    *out = cite_buf_detach(&buf);
    return *out ? 0 : CITE_ENOMEM;
}
