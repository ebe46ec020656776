/* citelink.c: citation -> entry (rules in citelink.h and citations/GRAMMAR.md §4). */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "citelink.h"
#include "fold.h"
#include "record.h"

/* What linking needs of one entry, computed once. */
typedef enum date_kind { DATE_NONE, DATE_YEAR, DATE_ND, DATE_IN_PRESS } date_kind;

typedef struct when {
    date_kind kind;
    int from, to; /* years; to == from unless a range or "1900/1953" */
    char suffix[4];
} when;

typedef struct ref_info {
    char **keys;  /* KEY of each author (particles included), in order */
    char **bare;  /* the same without leading particles ("berg" of "van der Berg") */
    char **cased; /* CASE key of each author: tells diacritics apart */
    size_t nauthors;
    bool others;    /* the list ends in "et al." / "and others": more than nauthors */
    char *translit; /* TRANSLIT key of the first author */
    char initial;   /* first letter of the first author's given name, folded; 0 */
    char *acronym;  /* initials of a group name's capitalised words ("UNSC"); NULL */
    char **words;   /* a group name's folded words, for "United Nations" near misses */
    size_t nwords;
    when date;
    unsigned number; /* citation-number of a numbered list; 0 */
} ref_info;

typedef struct key_entry {
    const char *key;
    size_t ref;
} key_entry;

typedef struct key_index {
    key_entry *entries; /* sorted by key, then ref */
    size_t count;
} key_index;

typedef struct numbered {
    unsigned number; /* 0 when the entry has no label */
    size_t ref;
} numbered;

typedef struct lettered {
    const char *acronym; /* borrowed from the entry's ref_info */
    size_t ref;
} lettered;

struct cite_linker {
    const cite_library *lib;
    ref_info *refs;
    key_index by_key, by_bare, by_translit;
    bool labelled;        /* some entry has a citation-number */
    numbered *by_number;  /* when labelled: every entry, by number, then by position */
    lettered *by_acronym; /* the entries with an acronym, by acronym, then by position */
    size_t nacronyms;
};

/* ---- entries --------------------------------------------------------------------------- */

static char *fold_new(const char *s, cite_fold_mode mode)
{
    cite_buf b = CITE_BUF_INIT;
    cite_fold(&b, s, strlen(s), mode);
    return cite_buf_detach(&b);
}

/* The name as written in the text: particle and family ("de Castro"), or the literal. */
static void name_text(cite_buf *out, const cite_name *n)
{
    if (n->literal) {
        cite_buf_puts(out, n->literal);
        return;
    }
    if (n->non_dropping_particle) {
        cite_buf_puts(out, n->non_dropping_particle);
        cite_buf_putc(out, ' ');
    }
    cite_buf_puts(out, n->family ? n->family : n->given ? n->given : "");
}

/* The people an entry is cited by: authors, else editors, else none. */
static const cite_field *cited_names(const cite_record *rec)
{
    static const char *const vars[] = { "author",   "editor",   "collection-editor",
                                        "composer", "director", "translator" };
    for (size_t i = 0; i < CITE_ARRAY_LEN(vars); i++) {
        const cite_field *f = cite_record_field(rec, vars[i]);
        if (f && f->kind == CITE_VAR_NAMES && f->nnames)
            return f;
    }
    return NULL;
}

static bool parse_when(when *w, const char *s)
{
    *w = (when){ DATE_NONE, 0, 0, "" };
    while (*s == ' ' || *s == '(' || *s == '[')
        s++;
    if (!strncmp(s, "n.d.", 4) || !strncmp(s, "nd", 2) || !strncmp(s, "no date", 7) ||
        !strncmp(s, "N.d.", 4)) {
        w->kind = DATE_ND;
        const char *dash = strchr(s, '-');
        if (dash && dash[1] >= 'a' && dash[1] <= 'z')
            w->suffix[0] = dash[1];
        return true;
    }
    if (!strncmp(s, "in press", 8) || !strncmp(s, "In press", 8) ||
        !strncmp(s, "forthcoming", 11)) {
        w->kind = DATE_IN_PRESS;
        const char *dash = strchr(s, '-');
        if (dash && dash[1] >= 'a' && dash[1] <= 'z')
            w->suffix[0] = dash[1];
        return true;
    }
    const char *p = s;
    while (*p && (*p < '0' || *p > '9'))
        p++;
    if (!*p)
        return false;
    int year = 0, digits = 0;
    for (; *p >= '0' && *p <= '9'; p++, digits++)
        year = year * 10 + (*p - '0');
    if (digits < 3 || digits > 4)
        return false;
    w->kind = DATE_YEAR;
    w->from = w->to = year;
    if (*p >= 'a' && *p <= 'z' && !(p[1] >= 'a' && p[1] <= 'z'))
        w->suffix[0] = *p++;
    /* "1900/1953" (republished: cited by either), "2019–2020", "2019/2020" */
    const char *q = p;
    while (*q && (*q == '/' || *q == '-' || (unsigned char)*q >= 0x80))
        q++;
    if (q > p && q - p <= 3) {
        int to = 0, d = 0;
        for (; *q >= '0' && *q <= '9'; q++, d++)
            to = to * 10 + (*q - '0');
        if (d == 4 && to >= year)
            w->to = to;
        else if (d == 4)
            w->from = to;
    }
    return true;
}

static void record_when(when *w, const cite_record *rec)
{
    const cite_field *f = cite_record_field(rec, "issued");
    *w = (when){ DATE_ND, 0, 0, "" };
    if (!f || f->kind != CITE_VAR_DATE)
        return;
    const cite_date *d = &f->date;
    if (d->literal) {
        if (!parse_when(w, d->literal))
            *w = (when){ DATE_ND, 0, 0, "" };
        return;
    }
    w->kind = d->from.year ? DATE_YEAR : DATE_ND;
    w->from = w->to = d->from.year;
    if (d->to.year)
        w->to = d->to.year;
    memcpy(w->suffix, d->suffix, CITE_MIN(sizeof w->suffix - 1, strlen(d->suffix)));
}

/* A group's name without a leading article: "The National Research Council" is cited as
 * "(National Research Council, 2009)" as often as with it, so neither side's key has it. */
static const char *past_article(const char *s)
{
    return strncasecmp(s, "the ", 4) == 0 && s[4] ? s + 4 : s;
}

/* Is s[0..n) a particle that a name can lose in the text ("Ghali" for "Ag Ghali")? Lowercase
 * words always are; these are also when capitalised. */
static bool is_particle(const char *s, size_t n)
{
    static const char *const words[] = { "ag",    "al",  "ben", "bin", "d'",  "da",  "de",  "del",
                                         "della", "den", "der", "des", "di",  "do",  "dos", "du",
                                         "el",    "ibn", "la",  "le",  "ter", "van", "von", "zu" };
    if (*s >= 'a' && *s <= 'z')
        return true;
    for (size_t i = 0; i < CITE_ARRAY_LEN(words); i++)
        if (strlen(words[i]) == n && !strncasecmp(words[i], s, n))
            return true;
    return false;
}

/* The name without its leading particles: "van der Berg" -> "Berg", "Ag Ghali" -> "Ghali". */
static const char *past_particles(const char *s)
{
    const char *p = s;
    for (;;) {
        const char *sp = strchr(p, ' ');
        if (!sp || !is_particle(p, (size_t)(sp - p)))
            return p;
        p = sp + 1;
    }
}

static int add_words(ref_info *r, const char *name)
{
    cite_buf acr = CITE_BUF_INIT, w = CITE_BUF_INIT;
    for (const char *p = name; *p;) {
        while (*p == ' ')
            p++;
        const char *e = p;
        while (*e && *e != ' ')
            e++;
        if (e == p)
            break;
        if (*p >= 'A' && *p <= 'Z')
            cite_buf_putc(&acr, *p);
        cite_buf_clear(&w);
        cite_fold(&w, p, (size_t)(e - p), CITE_FOLD_KEY);
        if (w.len && cite_strings_add(&r->words, &r->nwords, w.ptr) < 0)
            w.oom = true;
        p = e;
    }
    bool oom = w.oom || acr.oom;
    cite_buf_dispose(&w);
    if (acr.len >= 2 && !oom)
        r->acronym = cite_buf_detach(&acr);
    cite_buf_dispose(&acr);
    return oom || (acr.len >= 2 && !r->acronym) ? CITE_ENOMEM : 0;
}

static int ref_info_init(ref_info *r, const cite_record *rec)
{
    *r = (ref_info){ 0 };
    record_when(&r->date, rec);
    const char *num = cite_record_get_text(rec, "citation-number");
    if (num)
        r->number = (unsigned)strtoul(num, NULL, 10);
    const cite_field *f = cited_names(rec);
    cite_buf b = CITE_BUF_INIT;
    for (size_t i = 0; f && i < f->nnames; i++) {
        const cite_name *n = &f->names[i];
        r->others = r->others || n->others;
        cite_buf_clear(&b);
        name_text(&b, n);
        if (!b.len)
            continue;
        const char *name = n->literal ? past_article(b.ptr) : b.ptr;
        char *key = fold_new(name, CITE_FOLD_KEY);
        char *bare = fold_new(n->literal ? name : past_particles(name), CITE_FOLD_KEY);
        char *cased = fold_new(name, CITE_FOLD_CASE);
        size_t before = r->nauthors, n2 = before, n3 = before;
        bool ok = key && bare && cased && !cite_strings_add(&r->keys, &r->nauthors, key);
        ok = ok && !cite_strings_add(&r->bare, &n2, bare) &&
             !cite_strings_add(&r->cased, &n3, cased);
        cite_free(key);
        cite_free(bare);
        cite_free(cased);
        if (!ok && r->nauthors > before) { /* the three lists stay alike for their dispose */
            if (n2 > before)
                cite_free(r->bare[before]);
            cite_free(r->keys[--r->nauthors]);
        }
        if (!ok)
            goto oom;
        if (r->nauthors == 1) {
            if (!(r->translit = fold_new(name, CITE_FOLD_TRANSLIT)))
                goto oom;
            if (n->given) {
                cite_buf g = CITE_BUF_INIT;
                cite_fold(&g, n->given, strlen(n->given), CITE_FOLD_KEY);
                r->initial = g.len ? g.ptr[0] : 0;
                cite_buf_dispose(&g);
            }
            if (n->literal && add_words(r, n->literal) < 0)
                goto oom;
        }
    }
    cite_buf_dispose(&b);
    return b.oom ? CITE_ENOMEM : 0;
oom:
    cite_buf_dispose(&b);
    return CITE_ENOMEM;
}

static void free_strings(char **list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        cite_free(list[i]);
    cite_free(list);
}

static void ref_info_dispose(ref_info *r)
{
    free_strings(r->keys, r->nauthors);
    free_strings(r->bare, r->bare ? r->nauthors : 0);
    free_strings(r->cased, r->cased ? r->nauthors : 0);
    free_strings(r->words, r->nwords);
    cite_free(r->translit);
    cite_free(r->acronym);
}

/* ---- the indexes ------------------------------------------------------------------------- */

static int compare_entries(const void *a, const void *b)
{
    const key_entry *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    return c ? c : x->ref < y->ref ? -1 : x->ref > y->ref;
}

/* Indexes one key per entry, picked by get (NULL: not indexed). */
static int index_build(key_index *ix, const cite_linker *lk, const char *(*get)(const ref_info *))
{
    size_t n = lk->lib->count;
    ix->entries = cite_calloc(n ? n : 1, sizeof *ix->entries);
    if (!ix->entries)
        return CITE_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        const char *key = get(&lk->refs[i]);
        if (key && *key)
            ix->entries[ix->count++] = (key_entry){ key, i };
    }
    qsort(ix->entries, ix->count, sizeof *ix->entries, compare_entries);
    return 0;
}

/* The entries whose key is key: [*first, *first + return value). */
static size_t index_find(const key_index *ix, const char *key, size_t *first)
{
    size_t lo = 0, hi = ix->count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(ix->entries[mid].key, key) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t end = lo;
    while (end < ix->count && !strcmp(ix->entries[end].key, key))
        end++;
    *first = lo;
    return end - lo;
}

static const char *first_key(const ref_info *r)
{
    return r->nauthors ? r->keys[0] : NULL;
}
static const char *first_bare(const ref_info *r)
{
    return r->nauthors && strcmp(r->bare[0], r->keys[0]) ? r->bare[0] : NULL;
}
static const char *first_translit(const ref_info *r)
{
    return r->nauthors && r->translit && strcmp(r->translit, r->keys[0]) ? r->translit : NULL;
}

static int compare_numbered(const void *a, const void *b)
{
    const numbered *x = a, *y = b;
    if (x->number != y->number)
        return x->number < y->number ? -1 : 1;
    return x->ref < y->ref ? -1 : x->ref > y->ref;
}

/* Numeric callouts are looked up by number: a list of a thousand entries must not cost a
 * thousand steps for each "[12]". */
static int index_numbers(cite_linker *lk)
{
    size_t n = lk->lib->count;
    if (!(lk->by_number = cite_calloc(n + 1, sizeof *lk->by_number)))
        return CITE_ENOMEM;
    for (size_t i = 0; i < n; i++)
        lk->by_number[i] = (numbered){ lk->refs[i].number, i };
    if (n)
        qsort(lk->by_number, n, sizeof *lk->by_number, compare_numbered);
    return 0;
}

static int compare_lettered(const void *a, const void *b)
{
    const lettered *x = a, *y = b;
    int c = strcmp(x->acronym, y->acronym);
    return c ? c : x->ref < y->ref ? -1 : x->ref > y->ref;
}

/* Group names are looked up by acronym ("UN" in "(UN, 2018)") when a citation links to
 * nothing: sorted once, so that many such citations do not each read the whole list. */
static int index_acronyms(cite_linker *lk)
{
    size_t n = lk->lib->count;
    if (!(lk->by_acronym = cite_calloc(n + 1, sizeof *lk->by_acronym)))
        return CITE_ENOMEM;
    for (size_t i = 0; i < n; i++)
        if (lk->refs[i].acronym)
            lk->by_acronym[lk->nacronyms++] = (lettered){ lk->refs[i].acronym, i };
    if (lk->nacronyms)
        qsort(lk->by_acronym, lk->nacronyms, sizeof *lk->by_acronym, compare_lettered);
    return 0;
}

int cite_linker_new(cite_linker **out, const cite_library *lib)
{
    *out = NULL;
    cite_linker *lk = cite_calloc(1, sizeof *lk);
    if (!lk)
        return CITE_ENOMEM;
    lk->lib = lib;
    int err = 0;
    if (!(lk->refs = cite_calloc(lib->count ? lib->count : 1, sizeof *lk->refs)))
        err = CITE_ENOMEM;
    for (size_t i = 0; i < lib->count && !err; i++) {
        err = ref_info_init(&lk->refs[i], lib->records[i]);
        lk->labelled = lk->labelled || lk->refs[i].number;
    }
    if (!err)
        err = index_build(&lk->by_key, lk, first_key);
    if (!err)
        err = index_build(&lk->by_bare, lk, first_bare);
    if (!err)
        err = index_build(&lk->by_translit, lk, first_translit);
    if (!err && lk->labelled)
        err = index_numbers(lk);
    if (!err)
        err = index_acronyms(lk);
    if (err) {
        cite_linker_free(lk);
        return err;
    }
    *out = lk;
    return 0;
}

void cite_linker_free(cite_linker *lk)
{
    if (!lk)
        return;
    for (size_t i = 0; lk->refs && i < lk->lib->count; i++)
        ref_info_dispose(&lk->refs[i]);
    cite_free(lk->refs);
    cite_free(lk->by_key.entries);
    cite_free(lk->by_bare.entries);
    cite_free(lk->by_translit.entries);
    cite_free(lk->by_number);
    cite_free(lk->by_acronym);
    cite_free(lk);
}

/* ---- matching ---------------------------------------------------------------------------- */

/* A citation as the matcher sees it: folded keys of its names and its date. */
typedef struct query {
    const char *keys[16];
    const char *cased[16]; /* NULL for an ASCII name: its CASE key is its KEY */
    size_t n;              /* names (at most 16 read) */
    bool etal;
    char initial; /* first letter of its initials, folded; 0 */
    when date;
    cite_buf text; /* owned: the keys above, one after another, each NUL-terminated */
} query;

static void query_dispose(query *q)
{
    cite_buf_dispose(&q->text);
}

/* Appends the key of s and its terminating NUL to q->text; returns where it starts. */
static size_t add_key(query *q, const char *s, cite_fold_mode mode)
{
    size_t at = q->text.len;
    s = past_article(s);
    cite_fold(&q->text, s, strlen(s), mode);
    cite_buf_put(&q->text, "", 1);
    return at;
}

/* The keys of the names, the first letter of the initials and the date: made in one buffer,
 * so that a citation costs one allocation to match, not one per key. */
static int query_init(query *q, const cite_scan_item *it, const char *name, size_t skip)
{
    *q = (query){ .etal = it->etal, .text = CITE_BUF_INIT };
    size_t keys[16], cased[16], ini = SIZE_MAX;
    for (size_t i = skip; i < it->nauthors && q->n < 16; i++) {
        const char *s = i == 0 && name ? name : it->authors[i];
        keys[q->n] = add_key(q, s, CITE_FOLD_KEY);
        bool ascii = true;
        for (const char *p = s; *p && ascii; p++)
            ascii = (unsigned char)*p < 0x80;
        cased[q->n] = ascii ? SIZE_MAX : add_key(q, s, CITE_FOLD_CASE);
        q->n++;
    }
    if (it->initials)
        ini = add_key(q, it->initials, CITE_FOLD_KEY);
    size_t date = q->text.len;
    const char *d = it->date ? it->date : "";
    cite_buf_puts(&q->text, d);
    if (it->suffix[0] && (!strncmp(d, "n.d", 3) || !strncmp(d, "in", 2)))
        cite_buf_putc(&q->text, '-');
    cite_buf_puts(&q->text, it->suffix);
    if (q->text.oom) {
        q->n = 0;
        return CITE_ENOMEM;
    }
    for (size_t i = 0; i < q->n; i++) { /* the buffer has stopped moving */
        q->keys[i] = q->text.ptr + keys[i];
        q->cased[i] = cased[i] == SIZE_MAX ? NULL : q->text.ptr + cased[i];
    }
    if (ini != SIZE_MAX)
        q->initial = q->text.ptr[ini];
    parse_when(&q->date, q->text.ptr + date);
    return 0;
}

/* Same year (suffix aside): a range or a republished pair matches either of its years. */
static bool same_year(const when *a, const when *b)
{
    if (a->kind != b->kind)
        return false;
    if (a->kind != DATE_YEAR)
        return true;
    return a->from == b->from || a->to == b->to || a->from == b->to || a->to == b->from;
}

/* Year off by one or two, or two digits swapped (2052 for 2025). */
static bool near_year(const when *a, const when *b)
{
    if (a->kind != DATE_YEAR || b->kind != DATE_YEAR)
        return false;
    int d = abs(a->from - b->from);
    if (d >= 1 && d <= 2)
        return true;
    char x[8], y[8];
    snprintf(x, sizeof x, "%04d", a->from % 10000);
    snprintf(y, sizeof y, "%04d", b->from % 10000);
    int diff[4], nd = 0;
    for (int i = 0; i < 4; i++)
        if (x[i] != y[i] && nd < 4)
            diff[nd++] = i;
    return nd == 2 && x[diff[0]] == y[diff[1]] && x[diff[1]] == y[diff[0]];
}

typedef enum fit { FIT_EXACT, FIT_ETAL_FEW, FIT_PARTICLE, FIT_MISSING, FIT_EXTRA, FIT_NONE } fit;

/* How the citation's names fit the entry's author list. */
static fit author_fit(const query *q, const ref_info *r, const char **why)
{
    size_t n = CITE_MIN(q->n, r->nauthors);
    bool particle = false;
    for (size_t i = 1; i < n; i++) {
        if (!strcmp(q->keys[i], r->keys[i]))
            continue;
        if (!strcmp(q->keys[i], r->bare[i])) {
            particle = true;
            continue;
        }
        *why = "author-mismatch";
        return FIT_NONE;
    }
    if (q->etal) {
        /* et al. stands for two or more more names (APA: three or more authors in all) */
        if (r->nauthors >= CITE_MAX(3, q->n + 1) || r->others) {
            *why = particle ? "particle-dropped" : "";
            return particle ? FIT_PARTICLE : FIT_EXACT;
        }
        *why = "et-al-for-2-authors";
        return FIT_ETAL_FEW;
    }
    if (q->n == r->nauthors || (r->others && q->n > r->nauthors)) {
        *why = particle ? "particle-dropped" : "";
        return particle ? FIT_PARTICLE : FIT_EXACT;
    }
    if (q->n < r->nauthors) {
        *why = q->n == 1 ? "authors-missing" : "author-missing";
        return FIT_MISSING;
    }
    *why = "author-extra";
    return FIT_EXTRA;
}

static void add_cand(cite_link *l, size_t ref)
{
    for (size_t i = 0; i < l->ncands; i++)
        if (l->cands[i] == ref)
            return;
    if (l->ncands < CITE_LINK_MAX_CANDIDATES)
        l->cands[l->ncands++] = ref;
}

static void set_near(cite_link *l, const char *why, size_t ref)
{
    if (l->status != CITE_LINK_NEAR_MISS) {
        l->status = CITE_LINK_NEAR_MISS;
        l->why = why;
        l->ref = ref;
    }
    add_cand(l, ref);
}

/* The entries under one key, sorted by what each would make of the citation. */
typedef struct tally {
    size_t exact[CITE_LINK_MAX_CANDIDATES], nexact;   /* names, year and year letter fit */
    size_t letter[CITE_LINK_MAX_CANDIDATES], nletter; /* all but the year letter */
    size_t names[CITE_LINK_MAX_CANDIDATES], nnames;   /* the year; not the author list */
    const char *names_why;                            /* how the first of those differs */
    size_t few;  /* et al. for a work of fewer than three authors; SIZE_MAX */
    size_t year; /* the names; a year one or two off or transposed; SIZE_MAX */
} tally;

static void put(size_t *list, size_t *n, size_t ref)
{
    if (*n < CITE_LINK_MAX_CANDIDATES)
        list[(*n)++] = ref;
}

/* Sorts the entries whose first author has key in ix (and whose first initial agrees with the
 * citation's, when both have one). */
static void
tally_entries(const cite_linker *lk, const key_index *ix, const char *key, const query *q, tally *t)
{
    size_t first, n = index_find(ix, key, &first);
    *t = (tally){ .names_why = "", .few = SIZE_MAX, .year = SIZE_MAX };
    for (size_t i = first; i < first + n; i++) {
        size_t ref = ix->entries[i].ref;
        const ref_info *r = &lk->refs[ref];
        const char *why;
        if (q->initial && r->initial && r->initial != q->initial)
            continue;
        fit f = author_fit(q, r, &why);
        bool names_fit = f == FIT_EXACT || f == FIT_PARTICLE;
        if (!same_year(&q->date, &r->date)) {
            if (t->year == SIZE_MAX && names_fit && near_year(&q->date, &r->date))
                t->year = ref;
        } else if (names_fit && strcmp(q->date.suffix, r->date.suffix)) {
            put(t->letter, &t->nletter, ref);
        } else if (f == FIT_EXACT) {
            put(t->exact, &t->nexact, ref);
        } else if (f == FIT_ETAL_FEW && !strcmp(q->date.suffix, r->date.suffix)) {
            t->few = t->few == SIZE_MAX ? ref : t->few;
        } else if (f != FIT_NONE && !strcmp(q->date.suffix, r->date.suffix)) {
            if (!t->nnames)
                t->names_why = why;
            put(t->names, &t->nnames, ref);
        }
    }
}

static bool link_to(cite_link *l,
                    cite_link_status status,
                    const char *why,
                    size_t ref,
                    const size_t *cands,
                    size_t n)
{
    *l = (cite_link){ status, why, ref, { 0 }, 0 };
    for (size_t i = 0; i < n; i++)
        add_cand(l, cands[i]);
    return true;
}

/* True when the citation spells its names as entry r does, accents and case included. */
static bool same_spelling(const query *q, const ref_info *r)
{
    for (size_t i = 0; i < q->n && i < r->nauthors; i++)
        if (strcmp(q->cased[i] ? q->cased[i] : q->keys[i], r->cased[i]))
            return false;
    return true;
}

/* Of several entries that match, the one spelt exactly as the citation when there is one
 * such: "Krick, ..., Götz, et al., 2021" against two Krick 2021 entries that differ in "Gotz"
 * and "Götz" (a style tells them apart by names). SIZE_MAX when none or several. */
static size_t spelt_alike(const cite_linker *lk, const query *q, const tally *t)
{
    size_t found = SIZE_MAX;
    for (size_t i = 0; i < t->nexact; i++) {
        if (!same_spelling(q, &lk->refs[t->exact[i]]))
            continue;
        if (found != SIZE_MAX)
            return SIZE_MAX;
        found = t->exact[i];
    }
    return found;
}

/* What the tally makes of the citation, best class first; false when nothing fits. via: the
 * remark of a clean match found through this index ("transliteration"). */
static bool
decide(const cite_linker *lk, const query *q, const tally *t, const char *via, cite_link *l)
{
    if (t->nexact == 1)
        return link_to(l, CITE_LINK_RESOLVED, via, t->exact[0], NULL, 0);
    size_t alike = t->nexact > 1 ? spelt_alike(lk, q, t) : SIZE_MAX;
    if (alike != SIZE_MAX)
        return link_to(l, CITE_LINK_RESOLVED, via, alike, NULL, 0);
    if (t->nexact > 1)
        return link_to(l, CITE_LINK_AMBIGUOUS, "", SIZE_MAX, t->exact, t->nexact);
    if (t->few != SIZE_MAX)
        return link_to(l, CITE_LINK_RESOLVED, "et-al-for-2-authors", t->few, NULL, 0);
    if (t->nletter) {
        const char *why = !q->date.suffix[0]                       ? "suffix-missing"
                          : !lk->refs[t->letter[0]].date.suffix[0] ? "suffix-extra"
                                                                   : "suffix-not-in-list";
        bool ambiguous = t->nletter > 1 && !q->date.suffix[0];
        return link_to(l, ambiguous ? CITE_LINK_AMBIGUOUS : CITE_LINK_NEAR_MISS, why, t->letter[0],
                       t->letter, t->nletter);
    }
    if (t->nnames) {
        link_to(l, CITE_LINK_NEAR_MISS, t->names_why, t->names[0], t->names, t->nnames);
        if (t->year != SIZE_MAX)
            add_cand(l, t->year);
        return true;
    }
    if (t->year != SIZE_MAX)
        return link_to(l, CITE_LINK_NEAR_MISS, "year", t->year, &t->year, 1);
    return false;
}

/* Links the citation through the entries of one index. */
static bool match_by(cite_linker *lk,
                     const key_index *ix,
                     const char *key,
                     const query *q,
                     cite_link *l,
                     const char *via)
{
    tally t;
    tally_entries(lk, ix, key, q, &t);
    return decide(lk, q, &t, via, l);
}

/* Refines a resolved link: "Goita" for "Goïta" resolves with a remark. */
static void note_diacritics(const cite_linker *lk, const query *q, cite_link *l)
{
    if (l->status == CITE_LINK_RESOLVED && !*l->why && !same_spelling(q, &lk->refs[l->ref]))
        l->why = "diacritics";
}

/* The near misses that need a scan of every key: spelling and partial group names. */
static void scan_near(cite_linker *lk, const query *q, cite_link *l)
{
    const char *key = q->keys[0];
    size_t klen = strlen(key);
    unsigned max = klen <= 5 ? 1 : 2;
    for (size_t i = 0; i < lk->by_key.count; i++) {
        size_t ref = lk->by_key.entries[i].ref;
        const ref_info *r = &lk->refs[ref];
        if (!same_year(&q->date, &r->date))
            continue;
        const char *k = lk->by_key.entries[i].key;
        if (cite_edit_distance(key, klen, k, strlen(k), max) <= max)
            set_near(l, "spelling", ref);
    }
}

/* "United Nations" for "United Nations Security Council", "United Nations Council" for the
 * same: every word of the citation in the group name, in order, and the name longer. */
static void group_near(
    cite_linker *lk, const cite_scan_item *it, const char *name, const query *q, cite_link *l)
{
    const char *s = name ? name : it->nauthors ? it->authors[0] : "";
    ref_info words = { 0 };
    if (!strchr(s, ' ') || add_words(&words, s) < 0) {
        ref_info_dispose(&words);
        return;
    }
    for (size_t ref = 0; ref < lk->lib->count; ref++) {
        const ref_info *r = &lk->refs[ref];
        if (r->nwords <= words.nwords || !same_year(&q->date, &r->date))
            continue;
        size_t k = 0;
        for (size_t j = 0; j < r->nwords && k < words.nwords; j++)
            k += !strcmp(r->words[j], words.words[k]);
        if (k == words.nwords)
            set_near(l, "group-name", ref);
    }
    ref_info_dispose(&words);
}

static int link_from(cite_linker *lk,
                     const cite_scan_item *it,
                     const char *name,
                     size_t skip,
                     cite_link *out,
                     bool fuzzy)
{
    query q;
    int err = query_init(&q, it, name, skip);
    if (err < 0 || q.n == 0) {
        query_dispose(&q);
        return err;
    }
    if (match_by(lk, &lk->by_key, q.keys[0], &q, out, "")) {
        note_diacritics(lk, &q, out);
    } else if (match_by(lk, &lk->by_translit, q.keys[0], &q, out, "transliteration")) {
        if (out->status != CITE_LINK_RESOLVED)
            out->why = "transliteration";
    } else if (match_by(lk, &lk->by_bare, q.keys[0], &q, out, "particle-dropped")) {
        if (out->status == CITE_LINK_RESOLVED) {
            out->status = CITE_LINK_NEAR_MISS;
            add_cand(out, out->ref);
        }
        out->why = "particle-dropped";
    } else if (fuzzy) {
        group_near(lk, it, name, &q, out);
        if (out->status == CITE_LINK_UNRESOLVED)
            scan_near(lk, &q, out);
    }
    query_dispose(&q);
    return 0;
}

/* "Recently Smith (2020)", "(Drosophila, Peifer et al., 1987)", "(SBEM, Denk and Horstmann,
 * 2004)": when the whole phrase links to nothing, a shorter one that links exactly is the
 * citation. "(U.S. Census Bureau 2011)": what read as initials may begin a group name. */
static int link_shorter(cite_linker *lk, const cite_scan_item *it, cite_link *out)
{
    if (it->nauthors > 1) {
        for (size_t skip = 1; skip < it->nauthors; skip++) {
            cite_link l = { CITE_LINK_UNRESOLVED, "", SIZE_MAX, { 0 }, 0 };
            if (link_from(lk, it, NULL, skip, &l, false) < 0)
                return CITE_ENOMEM;
            if (l.status == CITE_LINK_RESOLVED) {
                *out = l;
                return 0;
            }
        }
    }
    const char *first = it->nauthors ? it->authors[0] : "";
    if (it->initials && it->nauthors) {
        cite_buf whole = CITE_BUF_INIT;
        cite_buf_printf(&whole, "%s %s", it->initials, first);
        cite_link l = { CITE_LINK_UNRESOLVED, "", SIZE_MAX, { 0 }, 0 };
        int err = whole.oom ? CITE_ENOMEM : link_from(lk, it, whole.ptr, 0, &l, false);
        cite_buf_dispose(&whole);
        if (err < 0)
            return err;
        if (l.status == CITE_LINK_RESOLVED) {
            *out = l;
            return 0;
        }
    }
    for (const char *sp = strchr(first, ' '); sp; sp = strchr(sp + 1, ' ')) {
        cite_link l = { CITE_LINK_UNRESOLVED, "", SIZE_MAX, { 0 }, 0 };
        if (link_from(lk, it, sp + 1, 0, &l, false) < 0)
            return CITE_ENOMEM;
        if (l.status == CITE_LINK_RESOLVED) {
            *out = l;
            return 0;
        }
    }
    return 0;
}

int cite_linker_link(cite_linker *lk, const cite_scan_item *it, const char *name, cite_link *out)
{
    *out = (cite_link){ CITE_LINK_UNRESOLVED, "", SIZE_MAX, { 0 }, 0 };
    if (it->role == CITE_ROLE_ORIGINAL || it->role == CITE_ROLE_PERSONAL) {
        out->status = CITE_LINK_NOT_CHECKED;
        out->why = it->role == CITE_ROLE_ORIGINAL ? "secondary-original" : "personal-communication";
        return 0;
    }
    if (it->numeric) {
        cite_linker_link_number(lk, it->number, out);
        return 0;
    }
    cite_link whole = *out;
    if (link_from(lk, it, name, 0, &whole, true) < 0)
        return CITE_ENOMEM;
    if (whole.status != CITE_LINK_RESOLVED && link_shorter(lk, it, out) < 0)
        return CITE_ENOMEM;
    if (out->status != CITE_LINK_RESOLVED)
        *out = whole;
    return 0;
}

void cite_linker_link_number(cite_linker *lk, unsigned number, cite_link *out)
{
    *out = (cite_link){ CITE_LINK_UNRESOLVED, "", SIZE_MAX, { 0 }, 0 };
    if (!lk->labelled) {
        if (number >= 1 && number <= lk->lib->count) {
            out->status = CITE_LINK_RESOLVED;
            out->ref = number - 1;
        }
        return;
    }
    size_t lo = 0, hi = lk->lib->count; /* the first entry labelled number */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (lk->by_number[mid].number < number)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < lk->lib->count && lk->by_number[lo].number == number) {
        out->status = CITE_LINK_RESOLVED;
        out->ref = lk->by_number[lo].ref;
    }
}

bool cite_linker_acronym(cite_linker *lk, const char *abbr, size_t *ref)
{
    size_t lo = 0, hi = lk->nacronyms; /* the first entry with that acronym */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(lk->by_acronym[mid].acronym, abbr) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == lk->nacronyms || strcmp(lk->by_acronym[lo].acronym, abbr) != 0)
        return false;
    *ref = lk->by_acronym[lo].ref;
    return true;
}

void cite_linker_year(const cite_linker *lk, size_t ref, cite_buf *out)
{
    const cite_field *f = cite_record_field(lk->lib->records[ref], "issued");
    if (!f || f->kind != CITE_VAR_DATE)
        return;
    if (f->date.literal) {
        cite_buf_puts(out, f->date.literal);
        return;
    }
    if (f->date.from.year)
        cite_buf_printf(out, "%d%s", f->date.from.year, f->date.suffix);
}

void cite_linker_describe(const cite_linker *lk, size_t ref, cite_buf *out)
{
    const cite_record *rec = lk->lib->records[ref];
    const cite_field *f = cited_names(rec);
    if (f) {
        name_text(out, &f->names[0]);
        if (f->nnames == 2 && !f->names[1].others) {
            cite_buf_puts(out, " & ");
            name_text(out, &f->names[1]);
        } else if (f->nnames > 1) {
            cite_buf_puts(out, " et al.");
        }
    } else {
        const char *title = cite_record_get_text(rec, "title");
        cite_buf_printf(out, "“%s”", title ? title : rec->id);
    }
    cite_buf_puts(out, " (");
    size_t len = out->len;
    cite_linker_year(lk, ref, out);
    if (out->len == len)
        cite_buf_puts(out, "n.d.");
    cite_buf_putc(out, ')');
}
