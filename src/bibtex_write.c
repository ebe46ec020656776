/* bibtex_write.c: a library -> BibTeX (ASCII, LaTeX escapes) or biblatex (UTF-8) source.
 *
 * The inverse of bibtex_read.c: each variable is written under the field its reader maps
 * back to the same variable, so import -> export -> import is a fixed point. Kept fields go
 * out under their own names. */
#include <string.h>

#include "bibnames.h"
#include "bibtex.h"
#include "buf.h"
#include "latex.h"

typedef struct writer {
    cite_buf *out;
    bool biblatex;
    unsigned ascii;          /* CITE_LATEX_ASCII for classic BibTeX, else 0 */
    const char *written[64]; /* field names written in the current entry */
    size_t nwritten;
} writer;

/* Starts `  name = ` unless the entry already has a field of that name (then false: BibTeX
 * would ignore the second one anyway). */
static bool field_start(writer *w, const char *name)
{
    for (size_t i = 0; i < w->nwritten; i++)
        if (strcmp(w->written[i], name) == 0)
            return false;
    if (w->nwritten < CITE_ARRAY_LEN(w->written))
        w->written[w->nwritten++] = name;
    cite_buf_printf(w->out, ",\n  %s = ", name);
    return true;
}

static unsigned conv_flags(const writer *w, const char *field)
{
    switch (cite_bibtex_conv(field)) {
    case BIB_VERBATIM:
        return CITE_LATEX_VERBATIM;
    case BIB_TITLE:
        return CITE_LATEX_TITLE | w->ascii;
    default:
        return w->ascii;
    }
}

/* True when s opens as many braces as it closes, never closing one too many (BibTeX's rule,
 * which counts \{ too). */
static bool braces_balance(const char *s)
{
    long depth = 0;
    for (; *s && depth >= 0; s++)
        depth += *s == '{' ? 1 : *s == '}' ? -1 : 0;
    return depth == 0;
}

static void write_text(writer *w, const char *field, const char *text)
{
    if (!field_start(w, field))
        return;
    unsigned flags = conv_flags(w, field);
    if ((flags & CITE_LATEX_VERBATIM) && !braces_balance(text))
        flags = w->ascii; /* a URL from elsewhere with a lone brace: escape it instead */
    cite_buf_putc(w->out, '{');
    cite_latex_from_text(w->out, text, flags);
    cite_buf_putc(w->out, '}');
}

static void write_verbatim(writer *w, const char *field, const char *value)
{
    if (!field_start(w, field))
        return;
    cite_buf_printf(w->out, "{%s}", value);
}

/* True when rec keeps a field of its own (one with no CSL variable) called name. */
static bool keeps_field(const cite_record *rec, const char *name)
{
    for (size_t i = 0; i < rec->nfields; i++) {
        const cite_field *f = &rec->fields[i];
        const char *kept = strncmp(f->name, "bibtex:", 7) == 0 ? f->name + 7 : f->name;
        if (f->kind == CITE_VAR_UNKNOWN && strcmp(kept, name) == 0)
            return true;
    }
    return false;
}

/* One end of a date as BibTeX's year field spells it: 1999, 1999-03, 2020-21 (a season). */
static void put_point(cite_buf *out, const cite_date_part *p, const char *suffix)
{
    cite_date d = { .from = *p };
    memcpy(d.suffix, suffix, strlen(suffix) + 1);
    cite_date_format(out, &d);
}

/* Classic BibTeX: year (+ month macro + day) for a plain date; a range, season or circa
 * date goes in year as "ca. 1999-03--2001", which the reader reads back. */
static void write_issued_bibtex(writer *w, const cite_date *d)
{
    if (d->literal) {
        write_text(w, "year", d->literal);
        return;
    }
    bool plain = !d->to.year && !d->open_end && !d->circa && !d->from.season;
    if (!field_start(w, "year"))
        return;
    cite_buf_putc(w->out, '{');
    if (d->circa)
        cite_buf_puts(w->out, "ca. ");
    if (plain) {
        cite_buf_printf(w->out, "%d%s}", d->from.year, d->suffix);
    } else {
        put_point(w->out, &d->from, d->suffix);
        if (d->to.year) {
            cite_buf_puts(w->out, "--");
            put_point(w->out, &d->to, "");
        } else if (d->open_end) {
            cite_buf_puts(w->out, "/.."); /* EDTF's open end, which the reader reads back */
        }
        cite_buf_putc(w->out, '}');
        return;
    }
    if (d->from.month && field_start(w, "month"))
        cite_buf_puts(w->out, cite_bibtex_month_macro(d->from.month));
    if (d->from.month && d->from.day && field_start(w, "day"))
        cite_buf_printf(w->out, "{%u}", (unsigned)d->from.day);
}

/* biblatex: `date` in ISO 8601/EDTF form; a literal or a year with a suffix (2021a), which
 * EDTF cannot hold, goes in year. */
static void write_date(writer *w, const cite_record *rec, const char *field, const cite_date *d)
{
    if (strcmp(field, "date") == 0) {
        /* A kept `date` (one that was no date) means year/month/day carry issued; a kept
         * `year` means `date` must. */
        bool as_year = keeps_field(rec, "date") ||
                       (!keeps_field(rec, "year") && (!w->biblatex || d->literal || d->suffix[0]));
        if (as_year) {
            write_issued_bibtex(w, d);
            return;
        }
    }
    cite_buf text = CITE_BUF_INIT;
    cite_date_format(&text, d);
    if (d->literal)
        write_text(w, field, text.ptr);
    else
        write_verbatim(w, field, text.ptr);
    cite_buf_dispose(&text);
}

static void write_field(writer *w, const cite_record *rec, const char *bibtype, const cite_field *f)
{
    if (f->kind == CITE_VAR_UNKNOWN) {
        const char *name = strncmp(f->name, "bibtex:", 7) == 0 ? f->name + 7 : f->name;
        write_text(w, name, f->text ? f->text : "");
        return;
    }
    const char *field = strcmp(f->name, "issued") == 0
                            ? "date"
                            : cite_bibtex_field_out(bibtype, f->name, w->biblatex);
    /* A variable BibTeX has no name for goes out under its own name; so does one whose
     * BibTeX name a kept field already uses (an entry with both `journal` and `booktitle`):
     * the reader maps a field named after a variable to that variable. */
    if (!field || (strcmp(f->name, "issued") != 0 && keeps_field(rec, field)))
        field = f->name;
    switch (f->kind) {
    case CITE_VAR_NAMES:
        if (f->nnames && field_start(w, field)) {
            cite_buf_putc(w->out, '{');
            cite_bibtex_names_write(w->out, f->names, f->nnames, w->ascii);
            cite_buf_putc(w->out, '}');
        }
        break;
    case CITE_VAR_DATE:
        write_date(w, rec, field, &f->date);
        break;
    default:
        write_text(w, field, f->text ? f->text : "");
        break;
    }
}

/* A key BibTeX can read back: no blanks, and none of , { } ( ) = " # % ' ~ \ */
static bool key_usable(const char *id)
{
    if (!id[0])
        return false;
    for (const char *p = id; *p; p++)
        if ((unsigned char)*p <= ' ' || strchr(",{}()=\"#%'~\\", *p))
            return false;
    return true;
}

static void write_entry(writer *w, const cite_record *rec, const char *key)
{
    const char *bibtype = rec->bibtype ? rec->bibtype : cite_bibtex_default_type(rec->type);
    cite_buf_printf(w->out, "@%s{%s", bibtype, key);
    w->nwritten = 0;
    for (size_t i = 0; i < rec->nfields; i++)
        write_field(w, rec, bibtype, &rec->fields[i]);
    cite_buf_puts(w->out, "\n}\n\n");
}

static void write_extras(writer *w, const cite_library *lib, cite_extra_kind kind)
{
    for (size_t i = 0; i < lib->nextras; i++) {
        if (lib->extras[i].kind != kind)
            continue;
        cite_buf_printf(w->out, "@%s{", kind == CITE_EXTRA_PREAMBLE ? "preamble" : "comment");
        if (kind == CITE_EXTRA_PREAMBLE)
            cite_buf_printf(w->out, "{%s}}\n\n", lib->extras[i].text);
        else
            cite_buf_printf(w->out, "%s}\n\n", lib->extras[i].text);
    }
}

/* Keys for records whose id BibTeX cannot carry: unique against every usable id and each
 * other. keys[i] is NULL where rec i keeps its own id. */
static int make_keys(char ***out, const cite_library *lib)
{
    *out = NULL;
    bool needed = false;
    for (size_t i = 0; i < lib->count && !needed; i++)
        needed = !key_usable(lib->records[i]->id);
    if (!needed)
        return 0;
    int err = CITE_ENOMEM;
    cite_library *taken = cite_library_new();
    char **keys = cite_calloc(lib->count ? lib->count : 1, sizeof(char *));
    if (!taken || !keys)
        goto done;
    for (size_t i = 0; i < lib->count; i++) {
        const cite_record *rec = lib->records[i];
        if (key_usable(rec->id)) {
            cite_record *stub = cite_record_new(rec->id, NULL);
            if (!stub || cite_library_add(taken, stub) == CITE_ENOMEM)
                goto done;
        }
    }
    for (size_t i = 0; i < lib->count; i++) {
        const cite_record *rec = lib->records[i];
        if (key_usable(rec->id))
            continue;
        cite_record *stub;
        if (!(keys[i] = cite_make_key(taken, rec)) || !(stub = cite_record_new(keys[i], NULL)) ||
            cite_library_add(taken, stub) < 0)
            goto done;
    }
    *out = keys;
    keys = NULL;
    err = 0;
done:
    for (size_t i = 0; keys && i < lib->count; i++)
        cite_free(keys[i]);
    cite_free(keys);
    cite_library_free(taken);
    return err;
}

int cite_bibtex_write(char **out, const cite_library *lib, cite_bibtex_dialect dialect)
{
    cite_buf buf = CITE_BUF_INIT;
    writer w = { .out = &buf,
                 .biblatex = dialect == CITE_BIBLATEX,
                 .ascii = dialect == CITE_BIBTEX ? CITE_LATEX_ASCII : 0 };
    char **keys;
    *out = NULL;
    int err = make_keys(&keys, lib);
    if (err < 0)
        return err;
    write_extras(&w, lib, CITE_EXTRA_PREAMBLE);
    for (size_t i = 0; i < lib->count; i++)
        write_entry(&w, lib->records[i], keys && keys[i] ? keys[i] : lib->records[i]->id);
    write_extras(&w, lib, CITE_EXTRA_COMMENT);
    for (size_t i = 0; keys && i < lib->count; i++)
        cite_free(keys[i]);
    cite_free(keys);
    *out = cite_buf_detach(&buf);
    return *out ? 0 : CITE_ENOMEM;
}
