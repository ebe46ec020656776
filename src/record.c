/* record.c: records (the CSL data model) and libraries of records indexed by id. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "record.h"

/* CSL 1.0.2, Appendix IV (Variables), plus the item types of Appendix III. Sorted, so
 * lookups are binary searches. */
typedef struct var_entry {
    const char *name;
    cite_var_kind kind;
} var_entry;

static const var_entry csl_vars[] = {
    { "DOI", CITE_VAR_TEXT },
    { "ISBN", CITE_VAR_TEXT },
    { "ISSN", CITE_VAR_TEXT },
    { "PMCID", CITE_VAR_TEXT },
    { "PMID", CITE_VAR_TEXT },
    { "URL", CITE_VAR_TEXT },
    { "abstract", CITE_VAR_TEXT },
    { "accessed", CITE_VAR_DATE },
    { "annote", CITE_VAR_TEXT },
    { "archive", CITE_VAR_TEXT },
    { "archive-place", CITE_VAR_TEXT },
    { "archive_collection", CITE_VAR_TEXT },
    { "archive_location", CITE_VAR_TEXT },
    { "author", CITE_VAR_NAMES },
    { "authority", CITE_VAR_TEXT },
    { "available-date", CITE_VAR_DATE },
    { "call-number", CITE_VAR_TEXT },
    { "chair", CITE_VAR_NAMES },
    { "chapter-number", CITE_VAR_TEXT },
    { "citation-key", CITE_VAR_TEXT },
    { "citation-label", CITE_VAR_TEXT },
    { "citation-number", CITE_VAR_TEXT },
    { "collection-editor", CITE_VAR_NAMES },
    { "collection-number", CITE_VAR_TEXT },
    { "collection-title", CITE_VAR_TEXT },
    { "compiler", CITE_VAR_NAMES },
    { "composer", CITE_VAR_NAMES },
    { "container-author", CITE_VAR_NAMES },
    { "container-title", CITE_VAR_TEXT },
    { "container-title-short", CITE_VAR_TEXT },
    { "contributor", CITE_VAR_NAMES },
    { "curator", CITE_VAR_NAMES },
    { "dimensions", CITE_VAR_TEXT },
    { "director", CITE_VAR_NAMES },
    { "division", CITE_VAR_TEXT },
    { "edition", CITE_VAR_TEXT },
    { "editor", CITE_VAR_NAMES },
    { "editor-translator", CITE_VAR_NAMES },
    { "editorial-director", CITE_VAR_NAMES },
    { "event", CITE_VAR_TEXT },
    { "event-date", CITE_VAR_DATE },
    { "event-place", CITE_VAR_TEXT },
    { "event-title", CITE_VAR_TEXT },
    { "executive-producer", CITE_VAR_NAMES },
    { "first-reference-note-number", CITE_VAR_TEXT },
    { "genre", CITE_VAR_TEXT },
    { "guest", CITE_VAR_NAMES },
    { "host", CITE_VAR_NAMES },
    { "illustrator", CITE_VAR_NAMES },
    { "interviewer", CITE_VAR_NAMES },
    { "issue", CITE_VAR_TEXT },
    { "issued", CITE_VAR_DATE },
    { "jurisdiction", CITE_VAR_TEXT },
    { "keyword", CITE_VAR_TEXT },
    { "language", CITE_VAR_TEXT },
    { "license", CITE_VAR_TEXT },
    { "locator", CITE_VAR_TEXT },
    { "medium", CITE_VAR_TEXT },
    { "narrator", CITE_VAR_NAMES },
    { "note", CITE_VAR_TEXT },
    { "number", CITE_VAR_TEXT },
    { "number-of-pages", CITE_VAR_TEXT },
    { "number-of-volumes", CITE_VAR_TEXT },
    { "organizer", CITE_VAR_NAMES },
    { "original-author", CITE_VAR_NAMES },
    { "original-date", CITE_VAR_DATE },
    { "original-publisher", CITE_VAR_TEXT },
    { "original-publisher-place", CITE_VAR_TEXT },
    { "original-title", CITE_VAR_TEXT },
    { "page", CITE_VAR_TEXT },
    { "page-first", CITE_VAR_TEXT },
    { "part-number", CITE_VAR_TEXT },
    { "part-title", CITE_VAR_TEXT },
    { "performer", CITE_VAR_NAMES },
    { "printing-number", CITE_VAR_TEXT },
    { "producer", CITE_VAR_NAMES },
    { "publisher", CITE_VAR_TEXT },
    { "publisher-place", CITE_VAR_TEXT },
    { "recipient", CITE_VAR_NAMES },
    { "references", CITE_VAR_TEXT },
    { "reviewed-author", CITE_VAR_NAMES },
    { "reviewed-genre", CITE_VAR_TEXT },
    { "reviewed-title", CITE_VAR_TEXT },
    { "scale", CITE_VAR_TEXT },
    { "script-writer", CITE_VAR_NAMES },
    { "section", CITE_VAR_TEXT },
    { "series-creator", CITE_VAR_NAMES },
    { "source", CITE_VAR_TEXT },
    { "status", CITE_VAR_TEXT },
    { "submitted", CITE_VAR_DATE },
    { "supplement-number", CITE_VAR_TEXT },
    { "title", CITE_VAR_TEXT },
    { "title-short", CITE_VAR_TEXT },
    { "translator", CITE_VAR_NAMES },
    { "version", CITE_VAR_TEXT },
    { "volume", CITE_VAR_TEXT },
    { "volume-title", CITE_VAR_TEXT },
    { "year-suffix", CITE_VAR_TEXT },
};

static int var_cmp(const void *key, const void *elem)
{
    return strcmp(key, ((const var_entry *)elem)->name);
}

cite_var_kind cite_var_kind_of(const char *name)
{
    const var_entry *e =
        bsearch(name, csl_vars, CITE_ARRAY_LEN(csl_vars), sizeof(csl_vars[0]), var_cmp);
    return e ? e->kind : CITE_VAR_UNKNOWN;
}

static const char *const csl_types[] = {
    "article",
    "article-journal",
    "article-magazine",
    "article-newspaper",
    "bill",
    "book",
    "broadcast",
    "chapter",
    "classic",
    "collection",
    "dataset",
    "document",
    "entry",
    "entry-dictionary",
    "entry-encyclopedia",
    "event",
    "figure",
    "graphic",
    "hearing",
    "interview",
    "legal_case",
    "legislation",
    "manuscript",
    "map",
    "motion_picture",
    "musical_score",
    "pamphlet",
    "paper-conference",
    "patent",
    "performance",
    "periodical",
    "personal_communication",
    "post",
    "post-weblog",
    "regulation",
    "report",
    "review",
    "review-book",
    "software",
    "song",
    "speech",
    "standard",
    "thesis",
    "treaty",
    "webpage",
};

static int str_cmp(const void *key, const void *elem)
{
    return strcmp(key, *(const char *const *)elem);
}

bool cite_csl_type_valid(const char *type)
{
    return type && bsearch(type, csl_types, CITE_ARRAY_LEN(csl_types), sizeof(csl_types[0]),
                           str_cmp) != NULL;
}

/* ---- names ---------------------------------------------------------------------------- */

void cite_name_dispose(cite_name *n)
{
    if (!n)
        return;
    cite_free(n->family);
    cite_free(n->given);
    cite_free(n->non_dropping_particle);
    cite_free(n->dropping_particle);
    cite_free(n->suffix);
    cite_free(n->literal);
    memset(n, 0, sizeof(*n));
}

/* Copies an optional string: false only when the copy failed. */
static bool copy_opt(char **dst, const char *src)
{
    *dst = src ? cite_strdup(src) : NULL;
    return !src || *dst;
}

int cite_name_copy(cite_name *dst, const cite_name *src)
{
    memset(dst, 0, sizeof(*dst));
    dst->others = src->others;
    dst->comma_suffix = src->comma_suffix;
    dst->static_ordering = src->static_ordering;
    dst->institution = src->institution;
    dst->parse_names = src->parse_names;
    if (copy_opt(&dst->family, src->family) && copy_opt(&dst->given, src->given) &&
        copy_opt(&dst->non_dropping_particle, src->non_dropping_particle) &&
        copy_opt(&dst->dropping_particle, src->dropping_particle) &&
        copy_opt(&dst->suffix, src->suffix) && copy_opt(&dst->literal, src->literal))
        return 0;
    cite_name_dispose(dst);
    return CITE_ENOMEM;
}

static bool str_eq(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

bool cite_name_equal(const cite_name *a, const cite_name *b)
{
    return a->others == b->others && a->comma_suffix == b->comma_suffix &&
           a->static_ordering == b->static_ordering && a->institution == b->institution &&
           a->parse_names == b->parse_names && str_eq(a->family, b->family) &&
           str_eq(a->given, b->given) &&
           str_eq(a->non_dropping_particle, b->non_dropping_particle) &&
           str_eq(a->dropping_particle, b->dropping_particle) && str_eq(a->suffix, b->suffix) &&
           str_eq(a->literal, b->literal);
}

/* ---- dates ---------------------------------------------------------------------------- */

void cite_date_dispose(cite_date *d)
{
    if (!d)
        return;
    cite_free(d->literal);
    memset(d, 0, sizeof(*d));
}

int cite_date_copy(cite_date *dst, const cite_date *src)
{
    *dst = *src;
    dst->literal = NULL;
    if (!copy_opt(&dst->literal, src->literal))
        return CITE_ENOMEM;
    return 0;
}

static bool part_equal(const cite_date_part *a, const cite_date_part *b)
{
    return a->year == b->year && a->month == b->month && a->day == b->day && a->season == b->season;
}

bool cite_date_equal(const cite_date *a, const cite_date *b)
{
    return part_equal(&a->from, &b->from) && part_equal(&a->to, &b->to) &&
           a->open_end == b->open_end && a->circa == b->circa &&
           strcmp(a->suffix, b->suffix) == 0 && str_eq(a->literal, b->literal);
}

/* Reads up to max digits (exactly `exact` when nonzero) at *p; -1 when there are none. */
static long read_digits(const char **p, const char *end, int exact, int max)
{
    long v = 0;
    int n = 0;
    while (*p < end && n < max && **p >= '0' && **p <= '9') {
        v = v * 10 + (**p - '0');
        (*p)++;
        n++;
    }
    return n == 0 || (exact && n != exact) ? -1 : v;
}

/* One point: [-]YYYY[suffix][-MM[-DD]] or YYYY-SS (SS 21..24, EDTF seasons). */
static bool parse_point(cite_date_part *out, char *suffix, const char **p, const char *end)
{
    bool bce = *p < end && **p == '-';
    if (bce)
        (*p)++;
    long year = read_digits(p, end, 4, 4);
    if (year < 0 || (year == 0 && !bce))
        return false;
    out->year = bce ? -(int)year : (int)year;
    if (suffix) {
        size_t n = 0;
        while (*p < end && **p >= 'a' && **p <= 'z' && n < 7)
            suffix[n++] = *(*p)++;
        suffix[n] = '\0';
    }
    if (*p + 1 < end && **p == '-' && (*p)[1] >= '0' && (*p)[1] <= '9') {
        (*p)++;
        long month = read_digits(p, end, 2, 2);
        if (month >= 21 && month <= 24) {
            out->season = (unsigned char)(month - 20);
            return true;
        }
        if (month < 1 || month > 12)
            return false;
        out->month = (unsigned char)month;
        if (*p + 1 < end && **p == '-' && (*p)[1] >= '0' && (*p)[1] <= '9') {
            (*p)++;
            long day = read_digits(p, end, 2, 2);
            if (day < 1 || day > 31)
                return false;
            out->day = (unsigned char)day;
        }
    }
    return true;
}

int cite_date_parse(cite_date *out, const char *text, size_t len)
{
    memset(out, 0, sizeof(*out));
    const char *p = text, *end = text + len;
    if (parse_point(&out->from, out->suffix, &p, end)) {
        if (p < end && *p == '/') {
            p++;
            if (end - p >= 2 && p[0] == '.' && p[1] == '.') { /* EDTF's open end */
                p += 2;
                out->open_end = true;
            } else if (!parse_point(&out->to, NULL, &p, end)) {
                goto literal;
            }
        }
        if (p < end && *p == '~') {
            out->circa = true;
            p++;
        }
        if (p == end)
            return 0;
    }
literal:
    memset(out, 0, sizeof(*out));
    out->literal = cite_strndup(text, len);
    return out->literal ? 0 : CITE_ENOMEM;
}

static void format_point(cite_buf *out, const cite_date_part *d, const char *suffix)
{
    cite_buf_printf(out, "%s%04d%s", d->year < 0 ? "-" : "", abs(d->year), suffix);
    if (d->season)
        cite_buf_printf(out, "-%02u", 20u + d->season);
    else if (d->month)
        cite_buf_printf(out, "-%02u", (unsigned)d->month);
    if (!d->season && d->month && d->day)
        cite_buf_printf(out, "-%02u", (unsigned)d->day);
}

void cite_date_format(cite_buf *out, const cite_date *d)
{
    if (d->literal) {
        cite_buf_puts(out, d->literal);
        return;
    }
    format_point(out, &d->from, d->suffix);
    if (d->to.year) {
        cite_buf_putc(out, '/');
        format_point(out, &d->to, "");
    } else if (d->open_end) {
        cite_buf_puts(out, "/..");
    }
    if (d->circa)
        cite_buf_putc(out, '~');
}

/* ---- fields --------------------------------------------------------------------------- */

static void attrs_free(cite_attr *attrs, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        cite_free(attrs[i].name);
        cite_free(attrs[i].value);
    }
    cite_free(attrs);
}

int cite_attrs_add(cite_attr **attrs, size_t *n, const char *name, const char *value)
{
    cite_attr *grown = cite_realloc(*attrs, (*n + 1) * sizeof(**attrs));
    if (!grown)
        return CITE_ENOMEM;
    *attrs = grown;
    cite_attr *a = &grown[*n];
    a->name = cite_strdup(name);
    a->value = cite_strdup(value);
    if (!a->name || !a->value) {
        cite_free(a->name);
        cite_free(a->value);
        return CITE_ENOMEM;
    }
    (*n)++;
    return 0;
}

static void field_dispose(cite_field *f)
{
    cite_free(f->name);
    cite_free(f->text);
    for (size_t i = 0; i < f->nnames; i++)
        cite_name_dispose(&f->names[i]);
    cite_free(f->names);
    cite_date_dispose(&f->date);
    attrs_free(f->attrs, f->nattrs);
    memset(f, 0, sizeof(*f));
}

static int field_copy(cite_field *dst, const cite_field *src)
{
    memset(dst, 0, sizeof(*dst));
    dst->kind = src->kind;
    if (!copy_opt(&dst->name, src->name) || !copy_opt(&dst->text, src->text))
        goto oom;
    if (src->nnames) {
        dst->names = cite_calloc(src->nnames, sizeof(cite_name));
        if (!dst->names)
            goto oom;
        for (; dst->nnames < src->nnames; dst->nnames++)
            if (cite_name_copy(&dst->names[dst->nnames], &src->names[dst->nnames]) < 0)
                goto oom;
    }
    if (cite_date_copy(&dst->date, &src->date) < 0)
        goto oom;
    for (size_t i = 0; i < src->nattrs; i++)
        if (cite_attrs_add(&dst->attrs, &dst->nattrs, src->attrs[i].name, src->attrs[i].value))
            goto oom;
    return 0;
oom:
    field_dispose(dst);
    return CITE_ENOMEM;
}

/* ---- records -------------------------------------------------------------------------- */

cite_record *cite_record_new(const char *id, const char *type)
{
    cite_record *rec = cite_calloc(1, sizeof(*rec));
    if (!rec)
        return NULL;
    rec->id = cite_strdup(id ? id : "");
    rec->type = cite_strdup(type ? type : "document");
    if (!rec->id || !rec->type) {
        cite_record_free(rec);
        return NULL;
    }
    return rec;
}

void cite_record_free(cite_record *rec)
{
    if (!rec)
        return;
    cite_free(rec->id);
    cite_free(rec->type);
    cite_free(rec->bibtype);
    for (size_t i = 0; i < rec->nfields; i++)
        field_dispose(&rec->fields[i]);
    cite_free(rec->fields);
    attrs_free(rec->attrs, rec->nattrs);
    for (size_t i = 0; i < rec->nforeign; i++)
        cite_free(rec->foreign[i]);
    cite_free(rec->foreign);
    cite_free(rec->source);
    cite_free(rec->source_file);
    cite_free(rec);
}

cite_record *cite_record_copy(const cite_record *src)
{
    cite_record *rec = cite_record_new(src->id, src->type);
    if (!rec)
        return NULL;
    rec->source_line = src->source_line;
    if (!copy_opt(&rec->bibtype, src->bibtype) || !copy_opt(&rec->source, src->source) ||
        !copy_opt(&rec->source_file, src->source_file))
        goto oom;
    if (cite_grow_array((void **)&rec->fields, &rec->capfields, src->nfields, sizeof(cite_field)))
        goto oom;
    for (; rec->nfields < src->nfields; rec->nfields++)
        if (field_copy(&rec->fields[rec->nfields], &src->fields[rec->nfields]) < 0)
            goto oom;
    for (size_t i = 0; i < src->nattrs; i++)
        if (cite_attrs_add(&rec->attrs, &rec->nattrs, src->attrs[i].name, src->attrs[i].value))
            goto oom;
    for (size_t i = 0; i < src->nforeign; i++)
        if (cite_record_add_foreign(rec, src->foreign[i]) < 0)
            goto oom;
    return rec;
oom:
    cite_record_free(rec);
    return NULL;
}

static int replace_string(char **slot, const char *value)
{
    char *copy = cite_strdup(value);
    if (!copy)
        return CITE_ENOMEM;
    cite_free(*slot);
    *slot = copy;
    return 0;
}

int cite_record_set_id(cite_record *rec, const char *id)
{
    return replace_string(&rec->id, id);
}

int cite_record_set_type(cite_record *rec, const char *type)
{
    return replace_string(&rec->type, type);
}

cite_field *cite_record_field_mut(cite_record *rec, const char *name)
{
    for (size_t i = 0; i < rec->nfields; i++)
        if (strcmp(rec->fields[i].name, name) == 0)
            return &rec->fields[i];
    return NULL;
}

const cite_field *cite_record_field(const cite_record *rec, const char *name)
{
    return cite_record_field_mut((cite_record *)rec, name);
}

/* The field called name, emptied for a new value of the given kind; appended when absent. */
static cite_field *field_slot(cite_record *rec, const char *name, cite_var_kind kind)
{
    cite_field *f = cite_record_field_mut(rec, name);
    if (f) {
        cite_attr *attrs = f->attrs;
        size_t nattrs = f->nattrs;
        char *keep = f->name;
        f->name = NULL;
        f->attrs = NULL;
        f->nattrs = 0;
        field_dispose(f);
        f->name = keep;
        f->attrs = attrs;
        f->nattrs = nattrs;
        f->kind = kind;
        return f;
    }
    if (cite_grow_array((void **)&rec->fields, &rec->capfields, rec->nfields + 1,
                        sizeof(cite_field)) < 0)
        return NULL;
    f = &rec->fields[rec->nfields];
    memset(f, 0, sizeof(*f));
    f->name = cite_strdup(name);
    if (!f->name)
        return NULL;
    f->kind = kind;
    rec->nfields++;
    return f;
}

int cite_record_set_text(cite_record *rec, const char *name, const char *text)
{
    cite_var_kind kind = cite_var_kind_of(name);
    if (kind == CITE_VAR_NAMES || kind == CITE_VAR_DATE)
        return CITE_EINVALID; /* typed variables have typed setters */
    char *copy = cite_strdup(text);
    if (!copy)
        return CITE_ENOMEM;
    cite_field *f = field_slot(rec, name, kind);
    if (!f) {
        cite_free(copy);
        return CITE_ENOMEM;
    }
    f->text = copy;
    return 0;
}

int cite_record_add_name(cite_record *rec, const char *var, const cite_name *name)
{
    cite_field *f = cite_record_field_mut(rec, var);
    if (f && f->kind != CITE_VAR_NAMES)
        return CITE_EINVALID;
    if (!f && !(f = field_slot(rec, var, CITE_VAR_NAMES)))
        return CITE_ENOMEM;
    cite_name *grown = cite_realloc(f->names, (f->nnames + 1) * sizeof(cite_name));
    if (!grown)
        return CITE_ENOMEM;
    f->names = grown;
    if (cite_name_copy(&f->names[f->nnames], name) < 0)
        return CITE_ENOMEM;
    f->nnames++;
    return 0;
}

int cite_record_take_names(cite_record *rec, const char *var, cite_name *names, size_t n)
{
    cite_field *f = field_slot(rec, var, CITE_VAR_NAMES);
    if (!f) {
        for (size_t i = 0; i < n; i++)
            cite_name_dispose(&names[i]);
        cite_free(names);
        return CITE_ENOMEM;
    }
    f->names = names;
    f->nnames = n;
    return 0;
}

int cite_record_set_date(cite_record *rec, const char *var, const cite_date *date)
{
    cite_date copy;
    if (cite_date_copy(&copy, date) < 0)
        return CITE_ENOMEM;
    cite_field *f = field_slot(rec, var, CITE_VAR_DATE);
    if (!f) {
        cite_date_dispose(&copy);
        return CITE_ENOMEM;
    }
    f->date = copy;
    return 0;
}

void cite_record_remove(cite_record *rec, const char *name)
{
    cite_field *f = cite_record_field_mut(rec, name);
    if (!f)
        return;
    field_dispose(f);
    size_t i = (size_t)(f - rec->fields);
    memmove(f, f + 1, (rec->nfields - i - 1) * sizeof(*f));
    rec->nfields--;
}

int cite_strings_add(char ***list, size_t *n, const char *s)
{
    char **grown = cite_realloc(*list, (*n + 1) * sizeof(char *));
    if (!grown)
        return CITE_ENOMEM;
    *list = grown;
    if (!(grown[*n] = cite_strdup(s)))
        return CITE_ENOMEM;
    (*n)++;
    return 0;
}

int cite_record_add_foreign(cite_record *rec, const char *xml)
{
    return cite_strings_add(&rec->foreign, &rec->nforeign, xml);
}

/* ---- public getters ------------------------------------------------------------------- */

const char *cite_record_get_id(const cite_record *rec)
{
    return rec->id;
}

const char *cite_record_get_type(const cite_record *rec)
{
    return rec->type;
}

const char *cite_record_get_text(const cite_record *rec, const char *variable)
{
    const cite_field *f = cite_record_field(rec, variable);
    return f ? f->text : NULL;
}

bool cite_record_get_name(const cite_record *rec,
                          const char *variable,
                          size_t i,
                          cite_name_parts *out)
{
    const cite_field *f = cite_record_field(rec, variable);
    if (!f || f->kind != CITE_VAR_NAMES || i >= f->nnames)
        return false;
    const cite_name *n = &f->names[i];
    *out = (cite_name_parts){ n->family, n->given, n->non_dropping_particle, n->literal };
    return true;
}

/* ---- libraries ------------------------------------------------------------------------ */

/* FNV-1a: short keys, good spread, no allocation. */
static size_t hash_id(const char *id)
{
    uint64_t h = 1469598103934665603u;
    for (const unsigned char *p = (const unsigned char *)id; *p; p++)
        h = (h ^ *p) * 1099511628211u;
    return (size_t)h;
}

cite_library *cite_library_new(void)
{
    return cite_calloc(1, sizeof(cite_library));
}

void cite_library_free(cite_library *lib)
{
    if (!lib)
        return;
    for (size_t i = 0; i < lib->count; i++)
        cite_record_free(lib->records[i]);
    cite_free(lib->records);
    cite_free(lib->index);
    attrs_free(lib->attrs, lib->nattrs);
    for (size_t i = 0; i < lib->nforeign; i++)
        cite_free(lib->foreign[i]);
    cite_free(lib->foreign);
    for (size_t i = 0; i < lib->nextras; i++)
        cite_free(lib->extras[i].text);
    cite_free(lib->extras);
    cite_free(lib);
}

int cite_library_add_extra(cite_library *lib, cite_extra_kind kind, const char *text)
{
    cite_extra *grown = cite_realloc(lib->extras, (lib->nextras + 1) * sizeof(cite_extra));
    if (!grown)
        return CITE_ENOMEM;
    lib->extras = grown;
    char *copy = cite_strdup(text);
    if (!copy)
        return CITE_ENOMEM;
    grown[lib->nextras++] = (cite_extra){ .kind = kind, .text = copy };
    return 0;
}

size_t cite_library_count(const cite_library *lib)
{
    return lib->count;
}

const cite_record *cite_library_get(const cite_library *lib, size_t i)
{
    return i < lib->count ? lib->records[i] : NULL;
}

/* The index slot holding id, or the empty slot where it would go. index_cap is a power of 2. */
static size_t *index_slot(const cite_library *lib, const char *id)
{
    size_t mask = lib->index_cap - 1;
    for (size_t i = hash_id(id) & mask;; i = (i + 1) & mask) {
        size_t *slot = &lib->index[i];
        if (*slot == 0 || strcmp(lib->records[*slot - 1]->id, id) == 0)
            return slot;
    }
}

/* Keeps the index at most half full, rebuilding it when it grows. */
static int index_reserve(cite_library *lib, size_t count)
{
    if (count * 2 <= lib->index_cap)
        return 0;
    size_t cap = lib->index_cap ? lib->index_cap * 2 : 64;
    while (count * 2 > cap)
        cap *= 2;
    size_t *index = cite_calloc(cap, sizeof(size_t));
    if (!index)
        return CITE_ENOMEM;
    cite_free(lib->index);
    lib->index = index;
    lib->index_cap = cap;
    for (size_t i = 0; i < lib->count; i++)
        *index_slot(lib, lib->records[i]->id) = i + 1;
    return 0;
}

int cite_library_add(cite_library *lib, cite_record *rec)
{
    if (cite_library_find(lib, rec->id))
        return CITE_EEXISTS;
    if (index_reserve(lib, lib->count + 1) < 0 ||
        cite_grow_array((void **)&lib->records, &lib->cap, lib->count + 1, sizeof(cite_record *)) <
            0) {
        cite_record_free(rec);
        return CITE_ENOMEM;
    }
    lib->records[lib->count++] = rec;
    *index_slot(lib, rec->id) = lib->count;
    return 0;
}

cite_record *cite_library_find(cite_library *lib, const char *id)
{
    if (!lib->index_cap)
        return NULL;
    size_t slot = *index_slot(lib, id);
    return slot ? lib->records[slot - 1] : NULL;
}

int cite_library_lookup(const cite_record **out, const cite_library *lib, const char *id)
{
    *out = cite_library_find((cite_library *)lib, id);
    return *out ? 0 : CITE_ENOTFOUND;
}

void cite_free_string(char *s)
{
    cite_free(s);
}

const char *cite_error_str(int error)
{
    switch (error) {
    case CITE_OK:
        return "success";
    case CITE_ENOMEM:
        return "out of memory";
    case CITE_EIO:
        return "input/output error";
    case CITE_EPARSE:
        return "malformed input";
    case CITE_ENOTFOUND:
        return "not found";
    case CITE_EAMBIGUOUS:
        return "ambiguous";
    case CITE_EINVALID:
        return "invalid argument";
    case CITE_EEXISTS:
        return "already exists";
    default:
        return "error";
    }
}

bool cite_page_range(const char *page, size_t *first_end, size_t *last_start)
{
    if (strchr(page, ','))
        return false;
    for (size_t i = 0; page[i]; i++) {
        size_t k = page[i] == '-'                                                       ? 1
                   : !strncmp(page + i, "\u2013", 3) || !strncmp(page + i, "\u2014", 3) ? 3
                                                                                        : 0;
        if (!k)
            continue;
        size_t a = i, b = i + k;
        while (page[b] == '-' || page[b] == ' ')
            b++;
        while (a > 0 && page[a - 1] == ' ')
            a--;
        if (a == 0 || !page[b])
            return false;
        *first_end = a;
        *last_start = b;
        return true;
    }
    return false;
}
