/* ris_write.c: a library -> RIS (ris.h), the format reference managers import from EndNote,
 * Zotero, Mendeley and publishers' sites.
 *
 * One record a block: TY first, then ID (the citation key), names (AU authors, A2 editors,
 * A3 series editors, A4 translators), dates (PY the year, DA year/month/day, Y2 accessed), the
 * text tags of ris.c in their order, SP/EP the first and last page, SN each of ISBN and ISSN,
 * KW one a keyword, the fields kept from a RIS import under their own tags, and ER with a
 * blank line after it. RIS is plain text: markup is dropped (math and unconverted LaTeX kept
 * as written) and line breaks inside a value become spaces, since a line that is no tag would
 * read back as a continuation. What RIS cannot hold is left out: the end of a date range, a
 * year suffix, provenance, names of other roles. */
#include <string.h>

#include "buf.h"
#include "markup.h"
#include "record.h"
#include "ris.h"

/* "XX  - " and value as plain text on one line: markup dropped, line breaks and tabs as
 * spaces (a line that is no tag would read back as a continuation). */
static void put_line(cite_buf *out, const char *tag, const char *value)
{
    cite_buf_printf(out, "%s  - ", tag);
    size_t start = out->len;
    cite_markup_strip(out, value);
    for (size_t i = start; i < out->len; i++)
        if (out->ptr[i] == '\n' || out->ptr[i] == '\r' || out->ptr[i] == '\t')
            out->ptr[i] = ' ';
    cite_buf_putc(out, '\n');
}

/* "Family, Given, Suffix" with the particle before the family ("van der Berg, Jan"), as RIS
 * wants; an organisation as it is named. */
static void put_name(cite_buf *out, const char *tag, const cite_name *n)
{
    cite_buf name = CITE_BUF_INIT;
    if (n->literal || !n->family) {
        cite_buf_puts(&name, n->literal ? n->literal : n->given ? n->given : "");
    } else {
        if (n->non_dropping_particle)
            cite_buf_printf(&name, "%s ", n->non_dropping_particle);
        cite_buf_puts(&name, n->family);
        if (n->given || n->dropping_particle || n->suffix)
            cite_buf_puts(&name, ", ");
        if (n->given)
            cite_buf_puts(&name, n->given);
        if (n->dropping_particle)
            cite_buf_printf(&name, "%s%s", n->given ? " " : "", n->dropping_particle);
        if (n->suffix)
            cite_buf_printf(&name, ", %s", n->suffix);
    }
    if (cite_buf_oom(&name))
        out->oom = true;
    else if (name.len)
        put_line(out, tag, name.ptr);
    cite_buf_dispose(&name);
}

static void put_names(cite_buf *out, const cite_record *rec, const char *var, const char *tag)
{
    const cite_field *f = cite_record_field(rec, var);
    for (size_t i = 0; f && f->kind == CITE_VAR_NAMES && i < f->nnames; i++)
        if (!f->names[i].others)
            put_name(out, tag, &f->names[i]);
}

/* PY the year, and DA "YYYY/MM/DD" (or "YYYY/MM/") when the month is known; a literal date
 * ("n.d.", "in press") as PY. */
static void put_issued(cite_buf *out, const cite_date *d)
{
    if (d->literal) {
        put_line(out, "PY", d->literal);
        return;
    }
    if (d->from.year == 0)
        return;
    char buf[32];
    snprintf(buf, sizeof buf, "%d", d->from.year);
    put_line(out, "PY", buf);
    if (d->from.month) {
        if (d->from.day)
            snprintf(buf, sizeof buf, "%d/%02u/%02u", d->from.year, (unsigned)d->from.month,
                     (unsigned)d->from.day);
        else
            snprintf(buf, sizeof buf, "%d/%02u/", d->from.year, (unsigned)d->from.month);
        put_line(out, "DA", buf);
    }
}

/* Y2, the accessed date, as "YYYY/MM/DD". */
static void put_accessed(cite_buf *out, const cite_date *d)
{
    char buf[32];
    if (d->literal) {
        put_line(out, "Y2", d->literal);
    } else if (d->from.year) {
        snprintf(buf, sizeof buf, "%d/%02u/%02u", d->from.year, (unsigned)d->from.month,
                 (unsigned)d->from.day);
        put_line(out, "Y2", buf);
    }
}

/* SP and EP from "47-65" or "47–65"; a single page or a list ("3, 7-9") whole in SP. */
static void put_pages(cite_buf *out, const char *page)
{
    size_t first_end, last_start;
    if (!cite_page_range(page, &first_end, &last_start)) {
        put_line(out, "SP", page);
        return;
    }
    char *first = cite_strndup(page, first_end);
    if (!first) {
        out->oom = true;
        return;
    }
    put_line(out, "SP", first);
    put_line(out, "EP", page + last_start);
    cite_free(first);
}

/* KW once a keyword: CSL's "keyword" holds them joined by commas (or semicolons). */
static void put_keywords(cite_buf *out, const char *keywords)
{
    const char *sep = strchr(keywords, ';') ? ";" : ",";
    for (const char *p = keywords; *p;) {
        size_t n = strcspn(p, sep);
        size_t a = 0, b = n;
        while (a < b && p[a] == ' ')
            a++;
        while (b > a && p[b - 1] == ' ')
            b--;
        char *word = b > a ? cite_strndup(p + a, b - a) : NULL;
        if (b > a && !word)
            out->oom = true;
        if (word)
            put_line(out, "KW", word);
        cite_free(word);
        p += n + (p[n] != '\0');
    }
}

/* The values of a field kept from a RIS import, one line each. */
static void put_kept(cite_buf *out, const cite_field *f)
{
    const char *tag = f->name + strlen(CITE_RIS_FIELD_PREFIX);
    for (const char *p = f->text; *p;) {
        size_t n = strcspn(p, "\n");
        char *value = cite_strndup(p, n);
        if (!value) {
            out->oom = true;
            return;
        }
        put_line(out, tag, value);
        cite_free(value);
        p += n + (p[n] != '\0');
    }
}

static bool is_kept_tag(const cite_field *f)
{
    size_t k = strlen(CITE_RIS_FIELD_PREFIX);
    return f->kind == CITE_VAR_UNKNOWN && f->text && !strncmp(f->name, CITE_RIS_FIELD_PREFIX, k) &&
           strlen(f->name) == k + 2;
}

static void put_record(cite_buf *out, const cite_record *rec)
{
    put_line(out, "TY", cite_ris_type_for(rec->type));
    put_line(out, "ID", rec->id);
    put_names(out, rec, "author", "AU");
    put_names(out, rec, "editor", "A2");
    put_names(out, rec, "collection-editor", "A3");
    put_names(out, rec, "translator", "A4");
    const cite_field *issued = cite_record_field(rec, "issued");
    if (issued && issued->kind == CITE_VAR_DATE)
        put_issued(out, &issued->date);
    size_t ntags;
    const cite_ris_tag *tags = cite_ris_text_tags(&ntags);
    for (size_t i = 0; i < ntags; i++) {
        const char *v = cite_record_get_text(rec, tags[i].variable);
        if (v && *v)
            put_line(out, tags[i].tag, v);
    }
    const char *page = cite_record_get_text(rec, "page");
    if (page && *page)
        put_pages(out, page);
    static const char *const serials[] = { "ISBN", "ISSN" };
    for (size_t i = 0; i < CITE_ARRAY_LEN(serials); i++) {
        const char *v = cite_record_get_text(rec, serials[i]);
        if (v && *v)
            put_line(out, "SN", v);
    }
    const char *keywords = cite_record_get_text(rec, "keyword");
    if (keywords)
        put_keywords(out, keywords);
    const cite_field *accessed = cite_record_field(rec, "accessed");
    if (accessed && accessed->kind == CITE_VAR_DATE)
        put_accessed(out, &accessed->date);
    for (size_t i = 0; i < rec->nfields; i++)
        if (is_kept_tag(&rec->fields[i]))
            put_kept(out, &rec->fields[i]);
    cite_buf_puts(out, "ER  - \n\n");
}

int cite_ris_write(char **out, const cite_library *lib)
{
    cite_buf b = CITE_BUF_INIT;
    *out = NULL;
    for (size_t i = 0; i < lib->count; i++)
        put_record(&b, lib->records[i]);
    if (cite_buf_oom(&b)) {
        cite_buf_dispose(&b);
        return CITE_ENOMEM;
    }
    *out = b.len ? cite_buf_detach(&b) : cite_strdup("");
    return *out ? 0 : CITE_ENOMEM;
}
