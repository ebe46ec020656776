/* cslrun.c: the CSL 1.0.2 engine: records + style tree (csl.h) -> marked strings (out.h).
 *
 * Each rendering element appends to a cite_buf; an element with output is wrapped in its
 * affixes, formatting and quotes (wrap). Joins go through put_joined, which merges the
 * punctuation where a suffix meets a delimiter or a prefix (". ." becomes ". "), as
 * citeproc-js does, since the test suite holds its output.
 *
 * A formatter registers every record of the library once (prepare): citation numbers,
 * bibliography order, and disambiguation of author-date citations (add-names,
 * add-givenname, add-year-suffix, the disambiguate condition), before anything is printed.
 *
 * Specification: CSL 1.0.2, https://docs.citationstyles.org/en/stable/specification.html;
 * sections are named in the comments. */
#define _GNU_SOURCE /* qsort_r: the comparators take the formatter, so sorting is thread-safe */
#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "csljson.h"
#include "cslrun.h"
#include "markup.h"
#include "out.h"
#include "record.h"

#define MAX_CHAIN      16
#define MAX_DEPTH      64
#define MAX_SUPPRESSED 32

/* in the order of cite_position less one (cite_format_citation maps one to the other) */
enum { POS_FIRST = 0, POS_SUBSEQUENT, POS_IBID, POS_IBID_WITH_LOCATOR, POS_NEAR_NOTE };

/* What the registry knows of a record. */
typedef struct item {
    const cite_record *rec;     /* as rendered: lib_rec, or note_rec where the note adds */
    const cite_record *lib_rec; /* the library's */
    cite_record *note_rec;      /* a copy with the note's "key: value" lines applied; owned */
    size_t index;               /* in the library */
    int cnum;                   /* citation-number, 1-based */
    int year_suffix;            /* 0 none, 1 = "a" */
    int extra_names;            /* names shown beyond et-al-use-first (add-names) */
    int givenname_level;        /* 0 as the style says, 1 initials, 2 full given names */
    bool disambiguate;          /* the "disambiguate" condition holds */
    int disambiguate_tests;     /* ... for this many of the item's tests of it, in order */
    struct expanded {
        const cite_name *name; /* a name of the record, by address */
        int level;             /* 1 initials, 2 full given names */
    } * expanded;              /* names a global given-name rule expands; owned */
    size_t nexpanded;
    char **bib_keys; /* sort keys, one per <key> */
    char **cite_keys;
    int last_note;  /* note of the last cite (positions), 0 none */
    int first_note; /* note of the first cite (first-reference-note-number), 0 none */
    bool cited;
} item;

struct cite_formatter {
    const cite_style *style;
    cite_locale *chain[MAX_CHAIN];
    size_t nchain;
    const cite_library *lib;
    item *items;
    size_t nitems;
    size_t *bib_order; /* item indices in bibliography order */
    bool prepared;
    bool oom;
    cite_out_quotes quotes;
    /* positions */
    /* the previous citation in a note, for ibid: how many cites it had, and its only cite's
     * item, locator and label (copies: the caller's strings may be gone) */
    size_t nprev;
    item *prev_item;
    char *prev_locator, *prev_label;
    size_t *clash;       /* while disambiguating: how many other items cite as each item does */
    bool disambiguating; /* cite texts are being compared (no accessed dates) */
    bool english;        /* the output language is English (title case applies) */
    bool lead_term;      /* rendering a cite that opens a note or a sentence in it: a term
                            first in it is capitalized */
    bool turkic;         /* the output language is Turkish or Azeri (dotted and dotless i) */
};

#define SAS_MAX 64

/* subsequent-author-substitute across the entries of a bibliography (CSL 1.0.2): the names
 * of each entry's first names element, plain, and the previous entry's, to compare. */
typedef struct sas_state {
    char *prev[SAS_MAX], *cur[SAS_MAX]; /* owned */
    size_t nprev, ncur;
    bool capturing;  /* rendering the names element that counts */
    bool captured;   /* this entry's names are in cur */
    bool substitute; /* second pass: names that match the previous entry's are replaced */
    bool all_match;  /* this entry's names are the previous entry's */
    size_t nmatch;   /* how many leading names are the previous entry's */
} sas_state;

/* What citeproc-js prints for a cite or a numbered entry the style renders nothing of. */
#define NO_PRINTED_FORM "[CSL STYLE ERROR: reference with no printed form.]"

/* The state of rendering one item. */
typedef struct run {
    cite_formatter *f;
    const cite_style *s;
    item *it;
    const cite_record *rec;
    const csl_context *ctx; /* citation or bibliography */
    bool citation;
    bool sorting;               /* rendering a sort key */
    const csl_node *key;        /* the key being rendered (names-min...) */
    const cite_cite_item *cite; /* NULL in the bibliography */
    int position;
    const char *suppressed[MAX_SUPPRESSED]; /* variables substituted away */
    size_t nsuppressed;
    int called, found;     /* variables called and found in the current group */
    int disambiguate_seen; /* tests of the "disambiguate" condition made so far */
    int emitted;           /* elements that have rendered something so far */
    bool year_suffix_done;
    bool later_name;     /* rendering a name after the first of its list */
    bool suppress_names; /* collapse: the first <names> renders nothing */
    bool names_done;     /* the first <names> has rendered */
    sas_state *sas;      /* NULL but when rendering a bibliography entry */
    bool substituting;
    const char *substituted[MAX_SUPPRESSED]; /* variables a substitute rendered */
    size_t nsubstituted;
    int depth;
    char num[32];   /* scratch for citation-number and year-suffix */
    char label[64]; /* scratch for a generated citation-label */
} run;

static void render(run *r, const csl_node *n, cite_buf *out);
static void render_kids(run *r, const csl_node *n, cite_buf *out, const char *delimiter);
static void render_choose(run *r, const csl_node *n, cite_buf *out, const char *delimiter);

/* ==== joining with punctuation =========================================================== */

static bool is_punct(char c)
{
    return c == '.' || c == ',' || c == ';' || c == ':' || c == '!' || c == '?';
}

/* The last byte of b that is no marker (and its index), 0 when none. */
static char last_visible(const cite_buf *b, size_t *at)
{
    for (size_t i = b->len; i > 0; i--) {
        unsigned char c = (unsigned char)b->ptr[i - 1];
        if (i >= 2 && (unsigned char)b->ptr[i - 2] == OUT_DISPLAY)
            continue; /* a display's class byte */
        if (!cite_out_is_marker(c)) {
            if (at)
                *at = i - 1;
            return (char)c;
        }
    }
    return 0;
}

static size_t first_visible(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == OUT_DISPLAY) {
            i++;
            continue;
        }
        if (!cite_out_is_marker(c))
            return i;
    }
    return len;
}

/* Appends s[0..len) to out, merging punctuation and spaces at the join the way citeproc-js
 * does: a mark followed by the same mark keeps one; "." after "?", "!", ":" or ";" is
 * dropped, and so is ":" after "?", "!" or ";"; "!" and "?" replace a ":" or ";" before
 * them; a space after a space is dropped. */
static void put_joined(cite_buf *out, const char *s, size_t len)
{
    size_t fi = first_visible(s, len);
    size_t li;
    char last = last_visible(out, &li);
    if (fi < len && last) {
        char first = s[fi];
        bool drop = false;
        if (first == ' ' && last == ' ')
            drop = true;
        else if (is_punct(first) && is_punct(last)) {
            if (first == last)
                drop = true;
            else if (first == '.' && (last == '?' || last == '!' || last == ':' || last == ';'))
                drop = true;
            else if (first == ':' && (last == '?' || last == '!' || last == ';'))
                drop = true;
            else if ((first == '!' || first == '?') && (last == ':' || last == ';')) {
                out->ptr[li] = first; /* "A:" then "! B" -> "A! B" */
                drop = true;
            } else if (first == ',' && (last == '?' || last == '!'))
                drop = false;
        }
        if (drop) {
            cite_buf_put(out, s, fi);
            cite_buf_put(out, s + fi + 1, len - fi - 1);
            return;
        }
    }
    cite_buf_put(out, s, len);
}

static void put_joined_str(cite_buf *out, const char *s)
{
    if (s)
        put_joined(out, s, strlen(s));
}

/* ==== locale access ======================================================================= */

static const csl_term *term(run *r, const char *name, int form)
{
    return csl_term_lookup(r->f->chain, r->f->nchain, name, form);
}

static const char *term_text(run *r, const char *name, int form, bool plural)
{
    const csl_term *t = term(r, name, form);
    return t ? (plural ? t->multiple : t->single) : NULL;
}

/* The locator types of CSL 1.0.2 (Appendix III, Locators): their terms may be written into
 * a locator or a number ("vol. 1, fol. 186", "7, p. 3-8"). */
static const char *const locator_types[] = {
    "act",       "appendix",      "article-locator",
    "book",      "canon",         "chapter",
    "column",    "elocation",     "equation",
    "figure",    "folio",         "issue",
    "line",      "note",          "opus",
    "page",      "paragraph",     "part",
    "rule",      "scene",         "section",
    "sub-verbo", "supplement",    "table",
    "timestamp", "title-locator", "verse",
    "volume",
};

/* A label word found in a value: its locator type and the term it is a form of. */
typedef struct label_word {
    const char *type;
    const csl_term *term;
} label_word;

/* When s starts with a locale term of a locator type (long or short, singular or plural)
 * followed by a space, fills *w and returns the length of the word and its spaces; else 0.
 * Words without a dot or a letter are no labels ("§" is a symbol: left to the value). */
static size_t label_word_at(cite_formatter *f, const char *s, label_word *w)
{
    if (!isalpha((unsigned char)s[0]))
        return 0; /* the common case, a number: no term lookups */
    for (size_t i = 0; i < sizeof(locator_types) / sizeof(locator_types[0]); i++) {
        for (int form = CSL_FORM_LONG; form <= CSL_FORM_SHORT; form++) {
            const csl_term *t = csl_term_lookup(f->chain, f->nchain, locator_types[i], form);
            const char *words[2] = { t ? t->single : NULL, t ? t->multiple : NULL };
            for (size_t k = 0; k < 2; k++) {
                size_t l = words[k] ? strlen(words[k]) : 0;
                if (!l || !isalpha((unsigned char)words[k][0]) || strncmp(s, words[k], l) != 0 ||
                    s[l] != ' ')
                    continue;
                while (s[l] == ' ')
                    l++;
                *w = (label_word){ .type = locator_types[i], .term = t };
                return l;
            }
        }
    }
    return 0;
}

/* ==== variables =========================================================================== */

static bool suppressed(const run *r, const char *var)
{
    for (size_t i = 0; i < r->nsuppressed; i++)
        if (strcmp(r->suppressed[i], var) == 0)
            return true;
    /* inside a substitute, a variable it has rendered once is suppressed at once (an
     * "editor" macro that prints the editors twice prints them once) */
    for (size_t i = 0; r->substituting && i < r->nsubstituted; i++)
        if (strcmp(r->substituted[i], var) == 0)
            return true;
    return false;
}

static void note_substituted(run *r, const char *var)
{
    if (r->substituting && r->nsubstituted < MAX_SUPPRESSED)
        r->substituted[r->nsubstituted++] = var;
}

static const char *record_text(const cite_record *rec, const char *var)
{
    const cite_field *f = cite_record_field(rec, var);
    if (!f || (f->kind != CITE_VAR_TEXT && f->kind != CITE_VAR_UNKNOWN) || !f->text || !f->text[0])
        return NULL;
    return f->text;
}

static void year_suffix_text(char *buf, size_t size, int n)
{
    /* 1 a ... 26 z, 27 aa ... */
    char tmp[16];
    size_t k = 0;
    while (n > 0 && k < sizeof(tmp)) {
        n--;
        tmp[k++] = (char)('a' + n % 26);
        n /= 26;
    }
    size_t i = 0;
    while (k > 0 && i + 1 < size)
        buf[i++] = tmp[--k];
    buf[i] = '\0';
}

static const char *make_label(run *r);

/* The value of an ordinary variable, form "short" taking the "-short" variant when present;
 * NULL when empty or substituted away. The cite's own variables (locator, citation-number,
 * year-suffix, first-reference-note-number) come from the run. */
static const char *var_value(run *r, const char *var, int form)
{
    if (suppressed(r, var))
        return NULL;
    if (strcmp(var, "locator") == 0) {
        const char *l = r->cite ? r->cite->locator : NULL;
        while (l && *l == ' ')
            l++;
        return l && *l ? l : NULL;
    }
    if (strcmp(var, "citation-number") == 0) {
        if (!r->it)
            return NULL;
        snprintf(r->num, sizeof(r->num), "%d", r->it->cnum);
        return r->num;
    }
    if (strcmp(var, "year-suffix") == 0) {
        /* no part of a sort key: citeproc-js sorts before it assigns the letters, so works
         * told apart only by them keep the order they are cited in ("Levine, 2025c, 2025a") */
        if (!r->it || !r->it->year_suffix || r->sorting)
            return NULL;
        year_suffix_text(r->num, sizeof(r->num), r->it->year_suffix);
        return r->num;
    }
    if (strcmp(var, "first-reference-note-number") == 0) {
        /* CSL 1.0.2: the note of the first cite of the item, for cites after it */
        if (!r->it || !r->it->first_note || r->position == POS_FIRST)
            return NULL;
        snprintf(r->num, sizeof(r->num), "%d", r->it->first_note);
        return r->num;
    }
    const char *v = NULL;
    if (form == CSL_FORM_SHORT) {
        char name[64];
        snprintf(name, sizeof(name), "%s-short", var);
        v = record_text(r->rec, name);
        if (!v && strcmp(var, "title") == 0)
            v = record_text(r->rec, "shortTitle");
        if (!v && strcmp(var, "container-title") == 0)
            v = record_text(r->rec, "journalAbbreviation");
    }
    if (!v)
        v = record_text(r->rec, var);
    if (!v && strcmp(var, "title-short") == 0)
        v = record_text(r->rec, "shortTitle");
    if (!v && strcmp(var, "container-title-short") == 0)
        v = record_text(r->rec, "journalAbbreviation");
    if (!v && strcmp(var, "citation-label") == 0)
        v = make_label(r);
    if (!v && strcmp(var, "page-first") == 0 && (v = record_text(r->rec, "page"))) {
        /* CSL 1.0.2: page-first is the first page of page, when the data has no own */
        size_t n = strcspn(v, "-,&\xe2");
        while (n > 0 && v[n - 1] == ' ')
            n--;
        snprintf(r->num, sizeof(r->num), "%.*s", (int)n, v);
        v = n ? r->num : NULL;
    }
    return v;
}

static const cite_field *names_field(run *r, const char *var)
{
    if (suppressed(r, var))
        return NULL;
    const cite_field *f = cite_record_field(r->rec, var);
    return f && f->kind == CITE_VAR_NAMES && f->nnames ? f : NULL;
}

static const cite_date *date_field(run *r, const char *var)
{
    if (suppressed(r, var))
        return NULL;
    const cite_field *f = cite_record_field(r->rec, var);
    if (!f || f->kind != CITE_VAR_DATE)
        return NULL;
    const cite_date *d = &f->date;
    if (!d->literal && !d->from.year && !d->from.month && !d->from.season)
        return NULL;
    return d;
}

/* True when the variable has a value, whatever its kind (CSL 1.0.2, variable test). */
static bool has_var(run *r, const char *var)
{
    if (suppressed(r, var))
        return false;
    const cite_field *f = cite_record_field(r->rec, var);
    if (f) {
        if (f->kind == CITE_VAR_NAMES)
            return f->nnames > 0;
        if (f->kind == CITE_VAR_DATE)
            return date_field(r, var) != NULL;
        return f->text && f->text[0];
    }
    return var_value(r, var, CSL_FORM_LONG) != NULL;
}

/* ==== numbers ============================================================================== */

/* CSL 1.0.2, is-numeric: "2", "2b", "L2", "2-4", "2, 3", "2 & 4"; not "2nd edition" with
 * words between. */
bool cite_csl_is_numeric(const char *s)
{
    if (!s || !*s)
        return false;
    bool digit = false, need = true;
    size_t i = 0;
    while (s[i]) {
        /* a token: letters and digits, holding at least one digit */
        size_t start = i;
        bool has_digit = false;
        while (s[i] && (isalnum((unsigned char)s[i]) || (unsigned char)s[i] >= 0x80)) {
            has_digit |= isdigit((unsigned char)s[i]) != 0;
            i++;
        }
        if (i == start || !has_digit)
            return false;
        digit = true;
        need = false;
        /* a separator */
        size_t sep = i;
        while (s[i] == ' ')
            i++;
        if (s[i] == ',' || s[i] == '-' || s[i] == '&') {
            i++;
            need = true;
            while (s[i] == ' ')
                i++;
        } else if (strncmp(s + i, "\xe2\x80\x93", 3) == 0) {
            i += 3;
            need = true;
            while (s[i] == ' ')
                i++;
        } else if (s[i]) {
            (void)sep;
            return false;
        }
    }
    return digit && !need;
}

/* The leading integer of s (its first run of digits), or -1. */
static long first_number(const char *s)
{
    while (*s && !isdigit((unsigned char)*s))
        s++;
    if (!*s)
        return -1;
    long n = 0;
    while (isdigit((unsigned char)*s) && n < 100000000)
        n = n * 10 + (*s++ - '0');
    return n;
}

static void put_roman(cite_buf *b, long n)
{
    static const struct {
        int v;
        const char *s;
    } t[] = { { 1000, "m" }, { 900, "cm" }, { 500, "d" }, { 400, "cd" }, { 100, "c" },
              { 90, "xc" },  { 50, "l" },   { 40, "xl" }, { 10, "x" },   { 9, "ix" },
              { 5, "v" },    { 4, "iv" },   { 1, "i" } };
    if (n <= 0 || n >= 4000) {
        cite_buf_printf(b, "%ld", n);
        return;
    }
    for (size_t i = 0; i < CITE_ARRAY_LEN(t); i++)
        while (n >= t[i].v) {
            cite_buf_puts(b, t[i].s);
            n -= t[i].v;
        }
}

/* The gender of the term a number goes with (for ordinals): the variable's term. */
static int gender_of(run *r, const char *var)
{
    const csl_term *t = var ? term(r, var, CSL_FORM_LONG) : NULL;
    return t ? t->gender : 0;
}

static void put_number(run *r, cite_buf *b, long n, int form, int gender)
{
    if (form == CSL_NUM_ROMAN) {
        put_roman(b, n);
    } else if (form == CSL_NUM_ORDINAL || form == CSL_NUM_LONG_ORDINAL) {
        const csl_term *t = NULL;
        if (form == CSL_NUM_LONG_ORDINAL) {
            t = csl_ordinal_lookup(r->f->chain, r->f->nchain, n, gender, true);
            if (t) {
                cite_buf_puts(b, t->single);
                return;
            }
        }
        t = csl_ordinal_lookup(r->f->chain, r->f->nchain, n, gender, false);
        cite_buf_printf(b, "%ld%s", n, t ? t->single : "");
    } else {
        cite_buf_printf(b, "%ld", n);
    }
}

static bool value_plural(run *r, const char *var, const char *v);

/* Whether v is numeric once the label words in it are left out ("7, p. 3-8"). */
static bool numeric_with_labels(run *r, const char *v)
{
    cite_buf rest = CITE_BUF_INIT;
    for (const char *p = v; *p;) {
        label_word w;
        size_t l = (p == v || p[-1] == ' ') ? label_word_at(r->f, p, &w) : 0;
        if (l) {
            p += l;
        } else {
            cite_buf_putc(&rest, *p);
            p++;
        }
    }
    bool numeric = rest.len < strlen(v) && !cite_buf_oom(&rest) && cite_csl_is_numeric(rest.ptr);
    cite_buf_dispose(&rest);
    return numeric;
}

/* Renders a numeric value: each number in form, separators normalised (CSL 1.0.2, Number:
 * "2-4" as "2–4" with an en dash, ", " and " & " kept). Label words written into the value
 * keep their place, in the form written and plural when a range follows ("7, p. 3-8" as
 * "7th, pp. 3–8", as citeproc-js renders them). A value that is not numeric is copied as
 * it is. */
static void render_number_value(run *r, cite_buf *b, const char *v, int form, const char *var)
{
    bool labels = false;
    if (!cite_csl_is_numeric(v) && !(labels = numeric_with_labels(r, v))) {
        cite_out_put_text(b, v, strlen(v));
        return;
    }
    int gender = gender_of(r, var);
    bool labelled = false; /* past a label word: its numbers are not the variable's */
    for (const char *p = v; *p;) {
        label_word w;
        size_t l = labels && (p == v || p[-1] == ' ') ? label_word_at(r->f, p, &w) : 0;
        if (l) {
            bool pl = value_plural(r, "locator", p + l);
            const char *word = pl ? w.term->multiple : w.term->single;
            cite_out_put_text(b, word, strlen(word));
            cite_buf_putc(b, ' ');
            p += l;
            labelled = true;
        } else if (isdigit((unsigned char)*p) ||
                   (isalpha((unsigned char)*p) && (form == CSL_NUM_NUMERIC))) {
            /* a token: prefix letters, digits, suffix letters */
            const char *start = p;
            while (*p && (isalnum((unsigned char)*p) || (unsigned char)*p >= 0x80))
                p++;
            bool pure = true;
            for (const char *q = start; q < p; q++)
                pure &= isdigit((unsigned char)*q) != 0;
            if (pure && form != CSL_NUM_NUMERIC && !labelled)
                put_number(r, b, first_number(start), form, gender);
            else if (pure)
                cite_buf_printf(b, "%ld", strtol(start, NULL, 10));
            else
                cite_buf_put(b, start, (size_t)(p - start));
        } else if (*p == '-' || strncmp(p, "\xe2\x80\x93", 3) == 0) {
            cite_buf_puts(b, "\xe2\x80\x93");
            p += *p == '-' ? 1 : 3;
            while (*p == ' ')
                p++;
        } else if (*p == ',') {
            cite_buf_puts(b, ", ");
            p++;
            while (*p == ' ')
                p++;
        } else if (*p == '&') {
            cite_buf_puts(b, " & ");
            p++;
            while (*p == ' ')
                p++;
        } else if (*p == ' ') {
            p++;
        } else {
            const char *start = p;
            while (*p && !isdigit((unsigned char)*p) && *p != '-' && *p != ',' && *p != '&' &&
                   *p != ' ')
                p++;
            if (p == start)
                p++;
            cite_buf_put(b, start, (size_t)(p - start));
        }
    }
}

/* CSL 1.0.2, Appendix V, page-range-format: "321-28" from 321-328 and the like. */
static void
put_page_second(cite_buf *b, const char *a, size_t al, const char *z, size_t zl, int format)
{
    if (format == CSL_PRF_EXPANDED || format == CSL_PRF_NONE || zl > al) {
        if (format == CSL_PRF_EXPANDED && zl < al) {
            cite_buf_put(b, a, al - zl);
        }
        cite_buf_put(b, z, zl);
        return;
    }
    /* the second number in full, then trimmed of the digits it shares with the first */
    char full[32];
    if (al >= sizeof(full)) {
        cite_buf_put(b, z, zl);
        return;
    }
    memcpy(full, a, al - zl);
    memcpy(full + al - zl, z, zl);
    full[al] = '\0';
    size_t same = 0;
    while (same < al && a[same] == full[same])
        same++;
    size_t keep = al - same; /* differing digits */
    if (format == CSL_PRF_MINIMAL_TWO && keep < 2)
        keep = al < 2 ? al : 2;
    if (format == CSL_PRF_CHICAGO || format == CSL_PRF_CHICAGO_16) {
        long first = strtol(a, NULL, 10);
        if (first < 100 || first % 100 == 0) {
            keep = al;
        } else if (first % 100 < 10) {
            keep = keep < 1 ? 1 : keep;
        } else {
            keep = keep < 2 ? 2 : keep;
            if (format == CSL_PRF_CHICAGO && al == 4 && keep >= 3)
                keep = al;
        }
    }
    if (keep > al)
        keep = al;
    if (keep == 0)
        keep = 1;
    cite_buf_put(b, full + al - keep, keep);
}

/* A side of a page range, trimmed: its prefix (all but the trailing digits) and digits. */
typedef struct page_side {
    const char *s, *digits; /* digits == end when there are none */
    size_t len;
} page_side;

static page_side page_side_of(const char *s, const char *end)
{
    while (s < end && *s == ' ')
        s++;
    while (end > s && end[-1] == ' ')
        end--;
    const char *d = end;
    while (d > s && isdigit((unsigned char)d[-1]))
        d--;
    return (page_side){ .s = s, .digits = d, .len = (size_t)(end - s) };
}

static bool roman_numeral(page_side x)
{
    if (!x.len)
        return false;
    for (size_t i = 0; i < x.len; i++)
        if (!strchr("ivxlcdmIVXLCDM", x.s[i]))
            return false;
    return true;
}

/* One comma-free piece of a page value. As in citeproc-js, a range is two numbers with the
 * same prefix ("E267-E274", "S1-S24", "8n11564-8n1568"): it gets the locale's
 * page-range-delimiter and the style's page-range-format; roman numerals ("xxv-xxviii") only
 * the delimiter. Anything else that has a hyphen keeps it, without the spaces around it
 * ("E3007-3016", "N110 - 5" -> "N110-5"). */
static void render_page_piece(run *r, cite_buf *b, const char *v, size_t vl, const char *delim)
{
    const char *dash = NULL;
    size_t dl = 0, ndash = 0;
    for (size_t i = 0; i < vl; i++) {
        size_t l = v[i] == '-' ? 1 : (vl - i >= 3 && memcmp(v + i, "\xe2\x80\x93", 3) == 0) ? 3 : 0;
        if (!l)
            continue;
        if (!dash) {
            dash = v + i;
            dl = l;
        }
        ndash++;
        i += l - 1;
    }
    if (ndash != 1 || (dash[dl] == '-')) {
        cite_out_put_text(b, v, vl);
        return;
    }
    page_side a = page_side_of(v, dash), z = page_side_of(dash + dl, v + vl);
    size_t apl = (size_t)(a.digits - a.s), zpl = (size_t)(z.digits - z.s);
    size_t al = a.len - apl, zl = z.len - zpl;
    /* leading and trailing spaces of the piece stay where they were */
    cite_out_put_text(b, v, (size_t)(a.s - v));
    if (al && zl && apl == zpl && memcmp(a.s, z.s, apl) == 0) {
        int format = r->s->page_range_format;
        cite_out_put_text(b, a.s, a.len);
        cite_buf_puts(b, delim);
        if (format == CSL_PRF_EXPANDED || format == CSL_PRF_NONE || zl > al)
            cite_out_put_text(b, z.s, zpl);
        put_page_second(b, a.digits, al, z.digits, zl, format);
    } else if (!al && !zl && roman_numeral(a) && roman_numeral(z)) {
        cite_out_put_text(b, a.s, a.len);
        cite_buf_puts(b, delim);
        cite_out_put_text(b, z.s, z.len);
    } else {
        cite_out_put_text(b, a.s, a.len);
        cite_buf_putc(b, '-');
        cite_out_put_text(b, z.s, z.len);
    }
    const char *tail = z.s + z.len;
    cite_out_put_text(b, tail, (size_t)(v + vl - tail));
}

/* The ampersand that joins numbers ("pp. 213 & 235"): the locale's "and" symbol where the
 * locale gives one of its own (not the long form again, which is how citeproc-js tells a
 * symbol form from a filled-in hole), else "&". */
static const char *amp_symbol(run *r)
{
    const char *sym = term_text(r, "and", CSL_FORM_SYMBOL, false);
    const char *text = term_text(r, "and", CSL_FORM_LONG, false);
    return sym && *sym && (!text || strcmp(sym, text) != 0) ? sym : "&";
}

/* A page value: each piece between commas and ampersands is a page or a range
 * (render_page_piece); a value that ends in punctuation ("4329-4347.") is copied. */
static void render_pages(run *r, cite_buf *b, const char *v)
{
    const char *delim = term_text(r, "page-range-delimiter", CSL_FORM_LONG, false);
    if (!delim)
        delim = "\xe2\x80\x93";
    size_t vl = strlen(v);
    while (vl > 0 && v[vl - 1] == ' ')
        vl--;
    if (vl > 0 && (unsigned char)v[vl - 1] < 0x80 && ispunct((unsigned char)v[vl - 1])) {
        cite_out_put_text(b, v, strlen(v));
        return;
    }
    if (strstr(v, "\\-")) {
        /* "327\-30": an escaped hyphen, not a range; printed without its backslash */
        for (const char *p = v; *p; p++)
            if (!(*p == '\\' && p[1] == '-'))
                cite_out_put_text(b, p, 1);
        return;
    }
    for (const char *p = v; *p;) {
        size_t n = strcspn(p, ",&");
        render_page_piece(r, b, p, n, delim);
        p += n;
        if (*p == '&') {
            const char *amp = amp_symbol(r);
            cite_out_put_text(b, amp, strlen(amp));
            p++;
        } else if (*p) {
            cite_out_put_text(b, p, 1);
            p++;
        }
    }
}

/* ==== text case ============================================================================ */

/* The words title case leaves lowercase: the spec's English list and citeproc-js's wider
 * one, which also has the name particles "de", "d'", "von" and "van" ("John von Doe"). */
static const char *const STOP_WORDS[] = {
    "about",     "above",      "al",         "c",
    "ca",        "d'",         "de",         "et",
    "van",       "von",        "a",          "according",
    "across",    "afore",      "after",      "against",
    "along",     "alongside",  "amid",       "amidst",
    "among",     "amongst",    "an",         "and",
    "anenst",    "apropos",    "apud",       "around",
    "as",        "aside",      "astride",    "at",
    "athwart",   "atop",       "barring",    "before",
    "behind",    "below",      "beneath",    "beside",
    "besides",   "between",    "beyond",     "but",
    "by",        "circa",      "despite",    "down",
    "during",    "except",     "for",        "forenenst",
    "from",      "given",      "in",         "inside",
    "into",      "lest",       "like",       "modulo",
    "near",      "next",       "nor",        "notwithstanding",
    "of",        "off",        "on",         "onto",
    "or",        "out",        "over",       "per",
    "plus",      "pro",        "qua",        "sans",
    "since",     "so",         "than",       "the",
    "through",   "thru",       "throughout", "thruout",
    "till",      "to",         "toward",     "towards",
    "under",     "underneath", "until",      "unto",
    "up",        "upon",       "versus",     "vs.",
    "v.",        "vs",         "v",          "via",
    "vis-à-vis", "with",       "within",     "without",
    "yet",       NULL
};

static bool stop_word(const char *w, size_t n)
{
    for (size_t i = 0; STOP_WORDS[i]; i++)
        if (strlen(STOP_WORDS[i]) == n && memcmp(STOP_WORDS[i], w, n) == 0)
            return true;
    return false;
}

typedef struct cp_info {
    utf8proc_int32_t cp;
    size_t at, len; /* bytes in the source */
    bool marker, nocase;
} cp_info;

static void put_cp(cite_buf *b, utf8proc_int32_t cp)
{
    cite_buf_put_utf8(b, (uint32_t)cp);
}

static bool is_upper(utf8proc_int32_t cp)
{
    return utf8proc_isupper(cp) || utf8proc_category(cp) == UTF8PROC_CATEGORY_LT;
}

static bool is_lower(utf8proc_int32_t cp)
{
    return utf8proc_islower(cp);
}

static bool is_letter(utf8proc_int32_t cp)
{
    utf8proc_category_t c = utf8proc_category(cp);
    return c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_LO;
}

bool cite_csl_turkic(const char *lang)
{
    return (strncmp(lang, "tr", 2) == 0 || strncmp(lang, "az", 2) == 0) &&
           (lang[2] == '\0' || lang[2] == '-' || lang[2] == '_');
}

/* Upper and lower case of one code point; Turkish and Azeri pair i with İ and ı with I
 * (Unicode SpecialCasing.txt), which utf8proc's language-free mappings do not. */
static utf8proc_int32_t to_upper(utf8proc_int32_t cp, bool turkic)
{
    return turkic && cp == 'i' ? 0x130 : utf8proc_toupper(cp);
}

static utf8proc_int32_t to_lower(utf8proc_int32_t cp, bool turkic)
{
    return turkic && cp == 'I' ? 0x131 : utf8proc_tolower(cp);
}

void cite_csl_text_case(cite_buf *out, const char *s, size_t len, int text_case)
{
    cite_csl_text_case_in(out, s, len, text_case, false);
}

/* Applies text_case to the marked string s, appending to out. */
void cite_csl_text_case_in(cite_buf *out, const char *s, size_t len, int text_case, bool turkic)
{
    /* decode once: code points, with markers and nocase spans flagged */
    cp_info *cps = cite_calloc(len + 1, sizeof(cp_info));
    if (!cps) {
        out->oom = true;
        return;
    }
    size_t n = 0;
    int nocase = 0;
    bool any_lower = false;
    for (size_t i = 0; i < len;) {
        unsigned char c = (unsigned char)s[i];
        cp_info *ci = &cps[n++];
        ci->at = i;
        if (cite_out_is_marker(c)) {
            ci->marker = true;
            ci->len = c == OUT_DISPLAY && i + 1 < len ? 2 : 1;
            /* small caps, superscripts and subscripts are no text for text-case either
             * (citeproc-js: "My <sc>small caps phrase</sc> in a Title") */
            if (c == OUT_NOCASE || c == OUT_SC || c == OUT_SUP || c == OUT_SUB)
                nocase++;
            else if ((c == OUT_NOCASE_END || c == OUT_SC_END || c == OUT_SUP_END ||
                      c == OUT_SUB_END) &&
                     nocase > 0)
                nocase--;
            i += ci->len;
            continue;
        }
        size_t l;
        ci->cp = (utf8proc_int32_t)cite_utf8_decode(s + i, len - i, &l);
        ci->len = l;
        ci->nocase = nocase > 0;
        if (!ci->nocase && is_lower(ci->cp))
            any_lower = true;
        i += l;
    }
    /* citeproc-js leaves an all-caps string as it is in title case ("BMJ", "PLOS ONE"), as
     * it does an all-caps word in a mixed string; only sentence case lowercases it */
    if (text_case == CSL_CASE_TITLE)
        any_lower = true;
    bool word_start = true, first_word = true;
    size_t word_begin = 0;
    bool after_colon = false;
    for (size_t k = 0; k < n; k++) {
        cp_info *ci = &cps[k];
        if (ci->marker) {
            cite_buf_put(out, s + ci->at, ci->len);
            continue;
        }
        utf8proc_int32_t cp = ci->cp, res = cp;
        bool space =
            cp == ' ' || cp == 0xA0 || cp == '-' || cp == '/' || cp == 0x2013 || cp == 0x2014;
        if (ci->nocase) {
            put_cp(out, cp);
            word_start = space;
            if (is_letter(cp))
                first_word = after_colon = false; /* a word, if one no case touches */
            continue;
        }
        switch (text_case) {
        case CSL_CASE_LOWER:
            res = to_lower(cp, turkic);
            break;
        case CSL_CASE_UPPER:
            res = to_upper(cp, turkic);
            break;
        case CSL_CASE_CAPFIRST:
            if (first_word && is_letter(cp)) {
                res = to_upper(cp, turkic);
                first_word = false;
            }
            break;
        case CSL_CASE_SENTENCE:
            /* the first word capitalised, every other lowercased (citeproc-js; 1.0.2
             * deprecates sentence case and leaves mixed case alone, which no processor
             * does) */
            if (first_word && is_letter(cp)) {
                res = to_upper(cp, turkic);
                first_word = false;
            } else {
                res = to_lower(cp, turkic);
            }
            break;
        case CSL_CASE_CAPALL:
            if (word_start && is_letter(cp))
                res = to_upper(cp, turkic);
            break;
        case CSL_CASE_TITLE:
            if (word_start && is_letter(cp)) {
                /* the word: up to the next space; a stop word stays lowercase unless it is
                 * the first word or follows a colon; a word with capitals is left as it is */
                size_t e = k;
                bool has_upper_later = false;
                cite_buf w = CITE_BUF_INIT;
                for (; e < n; e++) {
                    if (cps[e].marker)
                        continue;
                    utf8proc_int32_t x = cps[e].cp;
                    if (x == ' ' || x == 0xA0 || x == '-' || x == '/' || x == 0x2013 ||
                        x == 0x2014 || (x == '.' && e > k))
                        break;
                    if (e > k && is_upper(x))
                        has_upper_later = true;
                    put_cp(&w, any_lower ? x : to_lower(x, turkic));
                }
                bool last_word = e >= n;
                (void)word_begin;
                /* a stop word that starts a compound is capitalised ("Pro-Environmental"),
                 * one inside it not ("Out-of-Fashion") */
                bool starts_compound =
                    e < n && cps[e].cp == '-' && !(k > 0 && cps[k - 1].cp == '-');
                bool stop = !starts_compound &&
                            (stop_word(w.ptr, w.len) ||
                             (w.len > 0 && stop_word(w.ptr, w.len - (w.ptr[w.len - 1] == ':'))));
                /* a lone Greek letter is a symbol, not a word ("β-carotine", citeproc-js) */
                bool greek_symbol = cp >= 0x370 && cp <= 0x3FF && e == k + 1;
                if (greek_symbol)
                    res = cp;
                else if (stop && !first_word && !after_colon && !last_word)
                    res = any_lower ? cp : to_lower(cp, turkic);
                else if (!has_upper_later || !any_lower)
                    res = to_upper(cp, turkic);
                cite_buf_dispose(&w);
                first_word = false;
                after_colon = false;
            } else if (!any_lower) {
                res = to_lower(cp, turkic);
            }
            if (cp == ':' || cp == '?' || cp == '!')
                after_colon = true; /* until the next word starts */
            break;
        default:
            break;
        }
        put_cp(out, res);
        /* in title case a period inside a word starts another ("CitationStyles.Org", as
         * citeproc-js) */
        word_start = space || cp == '(' || cp == '"' || cp == 0x201C || cp == 0x2018 || cp == '[' ||
                     (text_case == CSL_CASE_TITLE && cp == '.');
        /* after a hyphen a word starts only if a letter came before it: "07-x" stays */
        if (cp == '-' && k > 0 && (cps[k - 1].marker || !is_letter(cps[k - 1].cp)))
            word_start = false;
        if (is_letter(cp) && text_case != CSL_CASE_TITLE)
            first_word = first_word && !is_letter(cp);
    }
    cite_free(cps);
}

/* Removes every period (CSL 1.0.2, strip-periods). */
static void strip_periods(cite_buf *b)
{
    size_t j = 0;
    for (size_t i = 0; i < b->len; i++)
        if (b->ptr[i] != '.')
            b->ptr[j++] = b->ptr[i];
    b->len = j;
    if (b->cap)
        b->ptr[j] = '\0';
}

/* Applies strip-periods and text-case of fmt to content, in place. A term's text is in the
 * locale's language, so the item's language does not stop its title case (citeproc-js:
 * "(Ed.)" in a French chapter); pass is_term for terms and labels. */
static void apply_case_of(run *r, cite_buf *content, const csl_fmt *fmt, bool is_term)
{
    if (fmt->strip_periods && content->len)
        strip_periods(content);
    if (!fmt->text_case || !content->len)
        return;
    int tc = fmt->text_case;
    /* the item's language, else the output's */
    const char *lang = r->rec && !is_term ? record_text(r->rec, "language") : NULL;
    if (tc == CSL_CASE_TITLE || tc == CSL_CASE_SENTENCE) {
        /* title and sentence case are English only (CSL 1.0.2, Text-case) */
        if (lang ? strncmp(lang, "en", 2) != 0 : !r->f->english)
            return;
    }
    cite_buf cased = CITE_BUF_INIT;
    cite_csl_text_case_in(&cased, content->ptr, content->len, tc,
                          lang ? cite_csl_turkic(lang) : r->f->turkic);
    if (cite_buf_oom(&cased)) {
        content->oom = true;
        cite_buf_dispose(&cased);
        return;
    }
    cite_buf_dispose(content);
    *content = cased;
}

static void apply_case(run *r, cite_buf *content, const csl_fmt *fmt)
{
    apply_case_of(r, content, fmt, false);
}

/* ==== wrapping ============================================================================= */

/* Appends text the style writes (an affix, a value): a tab or a line break there stays, as
 * citeproc-js keeps them ("1.&#9;" before a GOST entry); the data's become spaces
 * (cite_out_put_text). */
static void put_style_text(cite_buf *out, const char *s)
{
    for (;;) {
        size_t l = strcspn(s, "\t\n");
        cite_out_put_text(out, s, l);
        s += l;
        if (!*s)
            break;
        cite_buf_putc(out, *s++);
    }
}

/* Appends content (non-empty) to out inside fmt's formatting, quotes, display and affixes.
 * In sort keys only the content counts. */
static void wrap(run *r, const csl_fmt *fmt, const cite_buf *content, cite_buf *out)
{
    if (content->len == 0)
        return;
    r->emitted++;
    if (r->sorting) {
        put_joined(out, content->ptr, content->len);
        return;
    }
    cite_buf b = CITE_BUF_INIT;
    char opens[16];
    size_t no = 0;
    if (fmt->prefix)
        put_style_text(&b, fmt->prefix);
    if (fmt->display) {
        cite_buf_putc(&b, OUT_DISPLAY);
        cite_buf_putc(&b, "blri"[fmt->display - 1]);
    }
    if (fmt->font_style == CSL_FS_ITALIC)
        opens[no++] = OUT_I;
    else if (fmt->font_style == CSL_FS_OBLIQUE)
        opens[no++] = OUT_OBLIQUE;
    else if (fmt->font_style == CSL_FS_NORMAL)
        opens[no++] = OUT_NI;
    if (fmt->font_variant == CSL_FV_SMALL_CAPS)
        opens[no++] = OUT_SC;
    else if (fmt->font_variant == CSL_FV_NORMAL)
        opens[no++] = OUT_NSC;
    if (fmt->font_weight == CSL_FW_BOLD)
        opens[no++] = OUT_B;
    else if (fmt->font_weight == CSL_FW_NORMAL)
        opens[no++] = OUT_NB;
    if (fmt->text_decoration == CSL_TD_UNDERLINE)
        opens[no++] = OUT_U;
    if (fmt->vertical_align == CSL_VA_SUP)
        opens[no++] = OUT_SUP;
    else if (fmt->vertical_align == CSL_VA_SUB)
        opens[no++] = OUT_SUB;
    if (fmt->quotes)
        opens[no++] = OUT_Q;
    for (size_t i = 0; i < no; i++)
        cite_buf_putc(&b, opens[i]);
    if (b.len)
        put_joined(&b, content->ptr, content->len);
    else
        cite_buf_put(&b, content->ptr, content->len);
    for (size_t i = no; i > 0; i--)
        cite_buf_putc(&b, (char)(opens[i - 1] + 1));
    if (fmt->display)
        cite_buf_putc(&b, OUT_DISPLAY_END);
    if (fmt->suffix) {
        cite_buf sfx = CITE_BUF_INIT;
        put_style_text(&sfx, fmt->suffix);
        put_joined(&b, sfx.ptr, sfx.len);
        if (cite_buf_oom(&sfx))
            b.oom = true;
        cite_buf_dispose(&sfx);
    }
    put_joined(out, b.ptr, b.len);
    if (cite_buf_oom(&b))
        out->oom = true;
    cite_buf_dispose(&b);
}

/* ==== text, number, label ================================================================== */

/* The term of a label for var: "page" for the locator unless the cite names another. */
static const char *label_term_name(run *r, const char *var)
{
    if (strcmp(var, "locator") == 0)
        return r->cite && r->cite->label && r->cite->label[0] ? r->cite->label : "page";
    return var;
}

/* Plural for a label (CSL 1.0.2, Label, plural="contextual"): a value with several numbers
 * ("12-15", "3, 5", "1 & 2"); number-of-pages and number-of-volumes by value. */
/* The length of the word and (" and ", or the locale's term) at p, else 0. */
static size_t and_at(const char *p, const char *and_term)
{
    const char *words[2] = { "and", and_term };
    for (size_t i = 0; i < 2; i++) {
        size_t l = words[i] ? strlen(words[i]) : 0;
        if (l && p[0] == ' ' && strncmp(p + 1, words[i], l) == 0 && p[l + 1] == ' ')
            return l + 2;
    }
    return 0;
}

static bool value_plural(run *r, const char *var, const char *v)
{
    const char *and_term = term_text(r, "and", CSL_FORM_LONG, false);
    if (strcmp(var, "number-of-pages") == 0 || strcmp(var, "number-of-volumes") == 0)
        return first_number(v) > 1;
    /* two numbers, arabic ("S12" too) or roman, between separators make a plural: "1-2",
     * "i–ix", "3 & 5", "213 and 235", but not "3-B" nor "Michaelson-Morley"; "\\-" is an
     * escaped hyphen */
    int numbers = 0;
    for (const char *p = v; *p;) {
        const char *t = p;
        size_t sep = 0; /* the length of the separator at p */
        while (*p && !((*p == '-' && (p == v || p[-1] != '\\')) || *p == ',' || *p == '&' ||
                       strncmp(p, "\xe2\x80\x93", 3) == 0 || (sep = and_at(p, and_term))))
            p++;
        while (t < p && *t == ' ')
            t++;
        label_word w;
        if (numbers && label_word_at(r->f, t, &w))
            break; /* "1, fol. 186": the numbers after another label are its own */
        const char *e = p;
        while (e > t && e[-1] == ' ')
            e--;
        bool digit = false;
        for (const char *q = t; q < e && !digit; q++)
            digit = isdigit((unsigned char)*q);
        size_t roman = strspn(t, "ivxlcdmIVXLCDM");
        if (digit || (roman && t + roman == e))
            numbers++;
        if (*p)
            p += sep ? sep : (unsigned char)*p == 0xE2 ? 3 : 1;
    }
    return numbers > 1;
}

static void render_label(run *r, const csl_node *n, cite_buf *out, const char *var, bool plural)
{
    const char *name = label_term_name(r, var);
    bool pl = n->plural == CSL_PLURAL_ALWAYS || (n->plural == CSL_PLURAL_CONTEXTUAL && plural);
    const char *t = term_text(r, name, n->form, pl);
    if (!t || !*t)
        return;
    cite_buf c = CITE_BUF_INIT;
    cite_out_put_text(&c, t, strlen(t));
    apply_case_of(r, &c, &n->fmt, true);
    wrap(r, &n->fmt, &c, out);
    if (cite_buf_oom(&c))
        out->oom = true;
    cite_buf_dispose(&c);
}

static void render_label_node(run *r, const csl_node *n, cite_buf *out)
{
    if (!n->variable)
        return;
    const char *v = var_value(r, n->variable, CSL_FORM_LONG);
    if (!v)
        return;
    render_label(r, n, out, n->variable, value_plural(r, n->variable, v));
}

static bool is_pages(run *r, const char *var)
{
    if (strcmp(var, "page") == 0)
        return true;
    return strcmp(var, "locator") == 0 && (!r->cite || !r->cite->label || !r->cite->label[0] ||
                                           strcmp(r->cite->label, "page") == 0);
}

/* The number variables citeproc-js renders as numbers even through <text>. */
static bool is_number_variable(const char *var)
{
    static const char *const vars[] = {
        "volume", "issue", "number", "collection-number", "chapter-number", "number-of-volumes",
        NULL
    };
    for (size_t i = 0; vars[i]; i++)
        if (strcmp(var, vars[i]) == 0)
            return true;
    return false;
}

/* Appends a numeric value with its hyphens as en dashes ("200 - 201" -> "200–201"), digits
 * as they are ("01" stays), and its ampersands as the locale's (amp_symbol). */
static void put_numeric_joined(cite_buf *b, const char *v, const char *amp)
{
    for (const char *p = v; *p;) {
        size_t l = strcspn(p, "-&");
        const char *q = p[l] ? p + l : NULL;
        /* the spaces around a joiner go with it */
        size_t k = l;
        while (q && k > 0 && p[k - 1] == ' ')
            k--;
        cite_out_put_text(b, p, k);
        if (!q)
            break;
        if (*q == '-') {
            cite_buf_puts(b, "\xe2\x80\x93");
        } else {
            /* "12a&b" keeps the letters together, as citeproc-js joins them */
            bool letters =
                k > 0 && isalpha((unsigned char)p[k - 1]) && isalpha((unsigned char)q[1]);
            cite_buf_puts(b, letters ? "" : " ");
            cite_out_put_text(b, amp, strlen(amp));
            cite_buf_puts(b, letters ? "" : " ");
        }
        p = q + 1;
        while (*p == ' ')
            p++;
    }
}

static void render_text(run *r, const csl_node *n, cite_buf *out)
{
    cite_buf c = CITE_BUF_INIT;
    switch (n->src) {
    case CSL_SRC_VARIABLE: {
        const char *v = var_value(r, n->variable, n->form);
        /* an empty year-suffix does not suppress its group, as in citeproc-js: apa.csl's
         * "(n.d.)" is a group of the "no date" term and the year-suffix */
        if (v || strcmp(n->variable, "year-suffix") != 0)
            r->called++;
        if (!v)
            break;
        r->found++;
        note_substituted(r, n->variable);
        if (r->sorting && strcmp(n->variable, "citation-number") == 0)
            cite_buf_printf(&c, "%08ld", first_number(v));
        else if (is_pages(r, n->variable))
            render_pages(r, &c, v);
        else if ((is_number_variable(n->variable) || strcmp(n->variable, "locator") == 0) &&
                 strpbrk(v, "-&") && cite_csl_is_numeric(v))
            put_numeric_joined(&c, v, amp_symbol(r));
        else
            cite_out_put_text(&c, v, strlen(v));
        if (strcmp(n->variable, "URL") != 0 && strcmp(n->variable, "DOI") != 0)
            apply_case(r, &c, &n->fmt);
        if (strcmp(n->variable, "year-suffix") == 0)
            r->year_suffix_done = true;
        /* a citation-label takes the year suffix, where the style prints none itself
         * ("Asth00a", as citeproc-js) */
        if (strcmp(n->variable, "citation-label") == 0 && r->it && r->it->year_suffix &&
            !r->s->uses_year_suffix && !r->year_suffix_done && !r->sorting) {
            char ys[16];
            year_suffix_text(ys, sizeof(ys), r->it->year_suffix);
            cite_buf_puts(&c, ys);
            r->year_suffix_done = true;
        }
        break;
    }
    case CSL_SRC_MACRO: {
        /* a macro is suppressed like a group when it calls variables and all are empty
         * (citeproc-js: a term beside an empty container-title goes with it) */
        int called = r->called, found = r->found;
        r->called = r->found = 0;
        if (n->macro >= 0 && (size_t)n->macro < r->s->nmacros)
            render_kids(r, r->s->macros[n->macro].node, &c, NULL);
        if (r->called > 0 && r->found == 0)
            cite_buf_clear(&c);
        r->called += called;
        r->found += found;
        apply_case(r, &c, &n->fmt);
        break;
    }
    case CSL_SRC_TERM: {
        const char *t = term_text(r, n->term, n->form, n->plural == CSL_PLURAL_ALWAYS);
        if (t)
            cite_out_put_text(&c, t, strlen(t));
        if (r->f->lead_term && r->citation && r->emitted == 0 && c.len) {
            /* a term that opens a footnote starts its sentence ("Ibid."), as citeproc-js
             * writes it */
            cite_buf cap = CITE_BUF_INIT;
            cite_csl_text_case_in(&cap, c.ptr, c.len, CSL_CASE_CAPFIRST, r->f->turkic);
            cite_buf_dispose(&c);
            c = cap;
        }
        apply_case_of(r, &c, &n->fmt, true);
        break;
    }
    case CSL_SRC_VALUE:
        put_style_text(&c, n->value);
        apply_case(r, &c, &n->fmt);
        break;
    default:
        break;
    }
    wrap(r, &n->fmt, &c, out);
    if (cite_buf_oom(&c))
        out->oom = true;
    cite_buf_dispose(&c);
}

static void render_number(run *r, const csl_node *n, cite_buf *out)
{
    if (!n->variable)
        return;
    r->called++;
    const char *v = var_value(r, n->variable, CSL_FORM_LONG);
    if (!v)
        return;
    r->found++;
    note_substituted(r, n->variable);
    cite_buf c = CITE_BUF_INIT;
    if (r->sorting && cite_csl_is_numeric(v))
        cite_buf_printf(&c, "%08ld", first_number(v));
    else
        render_number_value(r, &c, v, n->form, n->variable);
    apply_case(r, &c, &n->fmt);
    wrap(r, &n->fmt, &c, out);
    if (cite_buf_oom(&c))
        out->oom = true;
    cite_buf_dispose(&c);
}

/* ==== dates ================================================================================ */

/* One date part as rendered: the style's or the locale's date-part, with the style's
 * overrides of a localised date (CSL 1.0.2, Localized Date Formats: affixes stay the
 * locale's). */
typedef struct part_spec {
    int part, form;
    csl_fmt fmt;
    const char *range_delimiter;
} part_spec;

static bool
put_part(run *r, const part_spec *p, const cite_date_part *d, cite_buf *out, bool issued)
{
    cite_buf c = CITE_BUF_INIT;
    bool any = false;
    if (p->part == CSL_PART_YEAR && d->year) {
        long y = d->year < 0 ? -(long)d->year : d->year;
        if (p->form == CSL_DP_SHORT)
            cite_buf_printf(&c, "%02ld", y % 100);
        else
            cite_buf_printf(&c, "%ld", y);
        if (d->year < 0) {
            const char *bc = term_text(r, "bc", CSL_FORM_LONG, false);
            cite_buf_puts(&c, bc ? bc : "BC");
        } else if (y < 1000) {
            const char *ad = term_text(r, "ad", CSL_FORM_LONG, false);
            cite_buf_puts(&c, ad ? ad : "AD");
        }
        if (issued && !r->s->uses_year_suffix && !r->year_suffix_done && r->it &&
            r->it->year_suffix && !r->sorting) {
            char ys[16];
            year_suffix_text(ys, sizeof(ys), r->it->year_suffix);
            cite_buf_puts(&c, ys);
            r->year_suffix_done = true;
        }
        any = true;
    } else if (p->part == CSL_PART_MONTH) {
        int m = d->month, season = d->season;
        if (m > 12 && m <= 16) {
            season = m - 12;
            m = 0;
        } else if (m >= 21 && m <= 24) {
            season = m - 20;
            m = 0;
        }
        if (m >= 1 && m <= 12) {
            if (p->form == CSL_DP_NUMERIC) {
                cite_buf_printf(&c, "%d", m);
            } else if (p->form == CSL_DP_NUMERIC_LZ) {
                cite_buf_printf(&c, "%02d", m);
            } else {
                char name[16];
                snprintf(name, sizeof(name), "month-%02d", m);
                const char *t = term_text(
                    r, name, p->form == CSL_DP_SHORT ? CSL_FORM_SHORT : CSL_FORM_LONG, false);
                if (t)
                    cite_out_put_text(&c, t, strlen(t));
            }
            any = true;
        } else if (season >= 1 && season <= 4) {
            char name[16];
            snprintf(name, sizeof(name), "season-%02d", season);
            const char *t = term_text(r, name, CSL_FORM_LONG, false);
            if (t)
                cite_out_put_text(&c, t, strlen(t));
            any = true;
        }
    } else if (p->part == CSL_PART_DAY && d->day && d->month >= 1 && d->month <= 12) {
        if (p->form == CSL_DP_NUMERIC_LZ) {
            cite_buf_printf(&c, "%02d", d->day);
        } else if (p->form == CSL_DP_ORDINAL) {
            bool limit = false;
            for (size_t i = 0; i < r->f->nchain; i++)
                if (r->f->chain[i] && r->f->chain[i]->limit_day_ordinals >= 0) {
                    limit = r->f->chain[i]->limit_day_ordinals == 1;
                    break;
                }
            if (limit && d->day != 1)
                cite_buf_printf(&c, "%d", d->day);
            else {
                /* the day's ordinal agrees with the month's gender (CSL 1.0.2, Gender-
                 * specific Ordinals: "1er octobre") */
                char month[16];
                snprintf(month, sizeof(month), "month-%02d", d->month);
                put_number(r, &c, d->day, CSL_NUM_ORDINAL, gender_of(r, month));
            }
        } else {
            cite_buf_printf(&c, "%d", d->day);
        }
        any = true;
    }
    if (any) {
        apply_case(r, &c, &p->fmt);
        wrap(r, &p->fmt, &c, out);
    }
    if (cite_buf_oom(&c))
        out->oom = true;
    cite_buf_dispose(&c);
    return any;
}

static int part_rank(int part)
{
    return part == CSL_PART_YEAR ? 3 : part == CSL_PART_MONTH ? 2 : 1;
}

/* Renders date d through parts[0..n) joined by delim: one date, or a range with the
 * delimiter of the largest part that differs (CSL 1.0.2, Date Ranges). */
/* Whether part p of date part d prints anything. */
static bool part_renders(run *r, const part_spec *p, const cite_date_part *d)
{
    cite_buf piece = CITE_BUF_INIT;
    bool yes = put_part(r, p, d, &piece, false) && piece.len;
    cite_buf_dispose(&piece);
    return yes;
}

static void put_date(run *r,
                     const part_spec *parts,
                     size_t n,
                     const char *delim,
                     const cite_date *d,
                     cite_buf *out,
                     bool issued)
{
    const cite_date_part *a = &d->from, *b = &d->to;
    bool range = b->year || b->month || b->day || b->season;
    int diff = 0; /* rank of the largest differing part */
    if (range) {
        if (a->year != b->year)
            diff = 3;
        else if (a->month != b->month || a->season != b->season)
            diff = 2;
        else if (a->day != b->day)
            diff = 1;
    }
    /* drop parts the date does not have, so that ranges keep the right delimiters */
    if (!diff) {
        for (size_t i = 0; i < n; i++) {
            cite_buf piece = CITE_BUF_INIT;
            if (put_part(r, &parts[i], a, &piece, issued) && piece.len) {
                if (out->len && delim)
                    put_joined_str(out, delim);
                put_joined(out, piece.ptr, piece.len);
            }
            if (cite_buf_oom(&piece))
                out->oom = true;
            cite_buf_dispose(&piece);
        }
        if (d->open_end && out->len) /* "1987–": a range with no end yet */
            cite_buf_puts(out, "\xe2\x80\x93");
        return;
    }
    size_t first = n, last = 0;
    for (size_t i = 0; i < n; i++)
        if (part_rank(parts[i].part) <= diff) {
            if (first == n)
                first = i;
            last = i;
        }
    const char *rd = "\xe2\x80\x93";
    for (size_t i = 0; i < n; i++)
        if (part_rank(parts[i].part) == diff && parts[i].range_delimiter)
            rd = parts[i].range_delimiter;
    /* the affixes next to the range delimiter go: those of the parts that render (a season
     * has no day: "Summer–Spring 1999") */
    size_t last_from = last, first_to = first;
    while (last_from > first && !part_renders(r, &parts[last_from], a))
        last_from--;
    while (first_to < last && !part_renders(r, &parts[first_to], b))
        first_to++;
    bool started = false;
    for (size_t i = 0; i < n; i++) {
        if (i == first) {
            /* the span of differing parts, from and to */
            for (int side = 0; side < 2; side++) {
                const cite_date_part *dp = side ? b : a;
                for (size_t k = first; k <= last; k++) {
                    part_spec p = parts[k];
                    if (k == last_from && side == 0)
                        p.fmt.suffix = NULL;
                    if (k == first_to && side == 1)
                        p.fmt.prefix = NULL;
                    cite_buf piece = CITE_BUF_INIT;
                    if (put_part(r, &p, dp, &piece, issued && side == 1) && piece.len) {
                        if (started && delim && !(side == 1 && k == first))
                            put_joined_str(out, delim);
                        put_joined(out, piece.ptr, piece.len);
                        started = true;
                    }
                    if (cite_buf_oom(&piece))
                        out->oom = true;
                    cite_buf_dispose(&piece);
                }
                if (side == 0)
                    cite_buf_puts(out, rd);
            }
            i = last;
            continue;
        }
        cite_buf piece = CITE_BUF_INIT;
        if (put_part(r, &parts[i], a, &piece, issued) && piece.len) {
            if (started && delim)
                put_joined_str(out, delim);
            put_joined(out, piece.ptr, piece.len);
            started = true;
        }
        if (cite_buf_oom(&piece))
            out->oom = true;
        cite_buf_dispose(&piece);
    }
}

static const csl_node *locale_date(run *r, int form)
{
    for (size_t i = 0; i < r->f->nchain; i++) {
        const cite_locale *l = r->f->chain[i];
        if (!l)
            continue;
        const csl_node *d = form == CSL_DATE_FORM_TEXT ? l->date_text : l->date_numeric;
        if (d)
            return d;
    }
    return NULL;
}

static void render_date(run *r, const csl_node *n, cite_buf *out)
{
    if (!n->variable)
        return;
    r->called++;
    const cite_date *d = date_field(r, n->variable);
    if (!d)
        return;
    r->found++;
    note_substituted(r, n->variable);
    bool issued = strcmp(n->variable, "issued") == 0;
    cite_buf c = CITE_BUF_INIT;
    if (r->sorting) {
        if (d->literal)
            cite_out_put_text(&c, d->literal, strlen(d->literal));
        else {
            /* CSL 1.0.2, Sorting: a date in a macro key sorts by the parts the macro renders
             * (year only for Cite Them Right's "year-date", so the title decides within a
             * year); a variable key (no parts given) by the whole date */
            bool y = true, m = true, dd = true;
            if (n->date_form) {
                m = n->date_parts != CSL_PARTS_Y;
                dd = n->date_parts != CSL_PARTS_Y && n->date_parts != CSL_PARTS_YM;
            } else if (n->nkids) {
                y = m = dd = false;
                for (size_t i = 0; i < n->nkids; i++) {
                    if (n->kids[i]->kind != CSL_DATE_PART)
                        continue;
                    y |= n->kids[i]->part == CSL_PART_YEAR;
                    m |= n->kids[i]->part == CSL_PART_MONTH;
                    dd |= n->kids[i]->part == CSL_PART_DAY;
                }
            }
            cite_buf_printf(&c, "%05d%02d%02d", y ? d->from.year + 10000 : 0,
                            m ? (d->from.month ? d->from.month : d->from.season) : 0,
                            dd ? d->from.day : 0);
            /* a range sorts by its start, then by its end (citeproc-js) */
            if (d->to.year)
                cite_buf_printf(&c, "%05d%02d%02d", y ? d->to.year + 10000 : 0,
                                m ? (d->to.month ? d->to.month : d->to.season) : 0,
                                dd ? d->to.day : 0);
        }
        wrap(r, &n->fmt, &c, out);
        cite_buf_dispose(&c);
        return;
    }
    if (d->literal) {
        cite_out_put_text(&c, d->literal, strlen(d->literal));
        apply_case(r, &c, &n->fmt);
        wrap(r, &n->fmt, &c, out);
        cite_buf_dispose(&c);
        return;
    }
    part_spec parts[3];
    size_t np = 0;
    const char *delim = n->delimiter;
    csl_fmt outer = n->fmt;
    if (n->date_form) {
        const csl_node *ld = locale_date(r, n->date_form);
        if (ld) {
            delim = ld->delimiter;
            for (size_t i = 0; i < ld->nkids && np < 3; i++) {
                const csl_node *k = ld->kids[i];
                if (k->kind != CSL_DATE_PART || !k->part)
                    continue;
                if ((n->date_parts == CSL_PARTS_YM && k->part == CSL_PART_DAY) ||
                    (n->date_parts == CSL_PARTS_Y && k->part != CSL_PART_YEAR))
                    continue;
                part_spec p = { k->part, k->part_form, k->fmt, k->range_delimiter };
                for (size_t j = 0; j < n->nkids; j++) {
                    const csl_node *o = n->kids[j];
                    if (o->kind != CSL_DATE_PART || o->part != k->part)
                        continue;
                    const char *pre = p.fmt.prefix, *suf = p.fmt.suffix;
                    if (o->part_form)
                        p.form = o->part_form;
                    csl_fmt f = o->fmt;
                    f.prefix = pre;
                    f.suffix = suf;
                    if (!f.text_case)
                        f.text_case = p.fmt.text_case;
                    p.fmt = f;
                    if (o->range_delimiter)
                        p.range_delimiter = o->range_delimiter;
                }
                parts[np++] = p;
            }
        }
    } else {
        for (size_t i = 0; i < n->nkids && np < 3; i++) {
            const csl_node *k = n->kids[i];
            if (k->kind == CSL_DATE_PART && k->part)
                parts[np++] = (part_spec){ k->part, k->part_form, k->fmt, k->range_delimiter };
        }
    }
    put_date(r, parts, np, delim, d, &c, issued);
    /* a date none of whose parts the data has counts as empty for its group: "(and not
     * this)" goes with a month-only date of a year-only item */
    if (c.len == 0)
        r->found--;
    if (c.len && n->date_form) {
        /* a localised date: the date element's text-case applies to all of it */
        csl_fmt tc = { .text_case = n->fmt.text_case };
        apply_case(r, &c, &tc);
        outer.text_case = 0;
    }
    wrap(r, &outer, &c, out);
    if (cite_buf_oom(&c))
        out->oom = true;
    cite_buf_dispose(&c);
}

/* ==== names ================================================================================ */

static csl_name_opts name_opts(run *r, const csl_node *name)
{
    csl_name_opts o = { .and_ = CSL_AND_NONE,
                        .et_al_use_first = -1,
                        .delimiter = ", ",
                        .sort_separator = ", ",
                        .initialize = true,
                        .form = CSL_FORM_LONG };
    const csl_name_opts *layers[3] = { &r->s->nopts, r->ctx ? &r->ctx->nopts : NULL,
                                       name ? &name->nopts : NULL };
    for (size_t i = 0; i < 3; i++) {
        const csl_name_opts *l = layers[i];
        if (!l)
            continue;
        if (l->set & CSL_NO_AND)
            o.and_ = l->and_;
        if (l->set & CSL_NO_DELIMITER)
            o.delimiter = l->delimiter;
        if (l->set & CSL_NO_DPEA)
            o.dpea = l->dpea;
        if (l->set & CSL_NO_DPL)
            o.dpl = l->dpl;
        if (l->set & CSL_NO_ET_AL_MIN)
            o.et_al_min = l->et_al_min;
        if (l->set & CSL_NO_ET_AL_USE_FIRST)
            o.et_al_use_first = l->et_al_use_first;
        if (l->set & CSL_NO_ET_AL_SUB_MIN)
            o.et_al_sub_min = l->et_al_sub_min;
        if (l->set & CSL_NO_ET_AL_SUB_USE_FIRST)
            o.et_al_sub_use_first = l->et_al_sub_use_first;
        if (l->set & CSL_NO_ET_AL_USE_LAST)
            o.et_al_use_last = l->et_al_use_last;
        if (l->set & CSL_NO_FORM)
            o.form = l->form;
        if (l->set & CSL_NO_INITIALIZE)
            o.initialize = l->initialize;
        if (l->set & CSL_NO_INITIALIZE_WITH)
            o.initialize_with = l->initialize_with;
        if (l->set & CSL_NO_NASO)
            o.naso = l->naso;
        if (l->set & CSL_NO_SORT_SEPARATOR)
            o.sort_separator = l->sort_separator;
        o.set |= l->set;
    }
    if (r->position != POS_FIRST && r->citation) {
        if (o.set & CSL_NO_ET_AL_SUB_MIN)
            o.et_al_min = o.et_al_sub_min;
        if (o.set & CSL_NO_ET_AL_SUB_USE_FIRST)
            o.et_al_use_first = o.et_al_sub_use_first;
    }
    if (r->sorting && r->key) {
        if (r->key->names_min)
            o.et_al_min = r->key->names_min;
        if (r->key->names_use_first)
            o.et_al_use_first = r->key->names_use_first;
        if (r->key->names_use_last_set)
            o.et_al_use_last = r->key->names_use_last;
    }
    if (r->sorting)
        o.naso = CSL_NASO_ALL;
    return o;
}

/* A name's parts as rendered: particles split off family and given when the data did not
 * give them (citeproc-js: "van der Berg", "Jean de"). Strings borrowed from the record or
 * from the scratch buffers. */
typedef struct parts {
    const char *family, *given, *ndp, *dp, *suffix;
    bool comma_suffix, static_order, romanesque;
    cite_buf fam_buf, ndp_buf, given_buf, dp_buf, sfx_buf, given0_buf;
} parts;

/* True when s starts with a letter of a script that parts words with spaces, as
 * citeproc-js tells where a term needs spaces around it: Latin, Greek, Cyrillic, Hebrew
 * (but its prefix letter vav, U+05D5), Arabic, Thai; and "&". */
static bool starts_romanesque(const char *s)
{
    if (!*s)
        return true;
    size_t l;
    uint32_t c = cite_utf8_decode(s, strlen(s), &l);
    return c == '&' || (c < 0x80 && isalpha((int)c)) || (c >= 0xC0 && c <= 0x17F) ||
           (c >= 0x218 && c <= 0x21B) || (c >= 0x370 && c <= 0x52F) ||
           (c >= 0x590 && c <= 0x5FF && c != 0x5D5) || (c >= 0x600 && c <= 0x6FF) ||
           (c >= 0xE01 && c <= 0xE5B) || (c >= 0x1F00 && c <= 0x1FFF) ||
           (c >= 0x200C && c <= 0x200E) || (c >= 0x202A && c <= 0x202E);
}

static bool romanesque(const char *s)
{
    if (!s)
        return true;
    for (size_t i = 0; s[i];) {
        size_t l;
        uint32_t cp = cite_utf8_decode(s + i, strlen(s + i), &l);
        if ((cp >= 0x0590 && cp <= 0x05FF) || (cp >= 0x0600 && cp <= 0x06FF) ||
            (cp >= 0x0E00 && cp <= 0x0E7F) || (cp >= 0x1100 && cp <= 0x11FF) ||
            (cp >= 0x3000 && cp <= 0x9FFF) || (cp >= 0xAC00 && cp <= 0xD7AF) ||
            (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFF00 && cp <= 0xFFEF))
            return false;
        i += l;
    }
    return true;
}

static bool lower_initial(const char *w)
{
    size_t l;
    /* "'t Hooft": an apostrophe before the letter does not count */
    if (*w == '\'')
        w++;
    else if (strncmp(w, "\xe2\x80\x99", 3) == 0)
        w += 3;
    uint32_t cp = cite_utf8_decode(w, strlen(w), &l);
    return utf8proc_islower((utf8proc_int32_t)cp);
}

static void split_parts(parts *p, const cite_name *n)
{
    *p = (parts){ .family = n->family,
                  .given = n->given,
                  .ndp = n->non_dropping_particle,
                  .dp = n->dropping_particle,
                  .suffix = n->suffix,
                  .comma_suffix = n->comma_suffix,
                  .static_order = n->static_ordering,
                  .fam_buf = CITE_BUF_INIT,
                  .ndp_buf = CITE_BUF_INIT,
                  .given_buf = CITE_BUF_INIT,
                  .dp_buf = CITE_BUF_INIT,
                  .sfx_buf = CITE_BUF_INIT,
                  .given0_buf = CITE_BUF_INIT };
    p->romanesque = romanesque(n->family) && romanesque(n->given);
    /* citeproc-js's given-name syntax for a suffix: "John, III", "John,! Jr." (comma kept) */
    const char *comma = p->given && !p->suffix ? strchr(p->given, ',') : NULL;
    if (comma) {
        const char *sfx = comma + 1;
        if (*sfx == '!') {
            p->comma_suffix = true;
            sfx++;
        }
        while (*sfx == ' ')
            sfx++;
        cite_buf_puts(&p->sfx_buf, sfx);
        p->suffix = *sfx ? p->sfx_buf.ptr : NULL;
        cite_buf_put(&p->given0_buf, p->given, (size_t)(comma - p->given));
        p->given = p->given0_buf.ptr;
    }
    if (n->parse_names == -1)
        return;
    /* "\"Van Dyke\"": a quoted family is taken as it is, particles and all (citeproc-js) */
    size_t fl = p->family ? strlen(p->family) : 0;
    if (fl >= 2 && p->family[0] == '"' && p->family[fl - 1] == '"') {
        cite_buf_put(&p->fam_buf, p->family + 1, fl - 2);
        p->family = p->fam_buf.ptr;
        return;
    }
    /* "al-One", "d'Aubignac": a lowercase prefix joined by a hyphen or an apostrophe to a
     * capitalised family is a non-dropping particle, kept with its mark (citeproc-js) */
    if (!p->ndp && p->family && !strchr(p->family, ' ') && lower_initial(p->family)) {
        const char *f = p->family, *q = f;
        while (*q && ((unsigned char)*q >= 0x80 || isalpha((unsigned char)*q)) &&
               strncmp(q, "\xe2\x80\x99", 3) != 0)
            q++;
        size_t mark = *q == '-' || *q == '\'' ? 1 : strncmp(q, "\xe2\x80\x99", 3) == 0 ? 3 : 0;
        if (mark && q > f && q[mark] && !lower_initial(q + mark)) {
            if (*q == '\'') {
                cite_buf_put(&p->ndp_buf, f, (size_t)(q - f));
                cite_buf_puts(&p->ndp_buf, "\xe2\x80\x99");
            } else {
                cite_buf_put(&p->ndp_buf, f, (size_t)(q - f) + mark);
            }
            cite_buf_puts(&p->fam_buf, q + mark);
            p->ndp = p->ndp_buf.ptr;
            p->family = p->fam_buf.ptr;
        }
    }
    /* "van der Berg": leading lowercase words of family are the non-dropping particle */
    if (!p->ndp && p->family && strchr(p->family, ' ') && lower_initial(p->family)) {
        const char *f = p->family, *cut = NULL;
        for (const char *q = f; *q;) {
            const char *w = q;
            while (*q && *q != ' ')
                q++;
            if (!*q)
                break;
            if (!lower_initial(w))
                break;
            cut = q;
            while (*q == ' ')
                q++;
        }
        if (cut) {
            /* the particle's apostrophes print typographic, as citeproc-js does ("’t",
             * "in ’t") */
            for (const char *c = f; c < cut; c++)
                if (*c == '\'')
                    cite_buf_puts(&p->ndp_buf, "\xe2\x80\x99");
                else
                    cite_buf_putc(&p->ndp_buf, *c);
            /* a particle ending in an apostrophe keeps the space that followed it ("de’
             * Frinkle"), where one written close is joined ("d’Wander") */
            if (cut[-1] == '\'' || (cut - f >= 3 && memcmp(cut - 3, "\xe2\x80\x99", 3) == 0))
                cite_buf_putc(&p->ndp_buf, ' ');
            while (*cut == ' ')
                cut++;
            cite_buf_puts(&p->fam_buf, cut);
            p->ndp = p->ndp_buf.ptr;
            p->family = p->fam_buf.ptr;
        }
    }
    /* "Jean de": trailing lowercase words of given are the dropping particle */
    if (!p->dp && p->given && strchr(p->given, ' ')) {
        const char *g = p->given, *cut = NULL;
        for (const char *q = g; *q; q++)
            if (*q == ' ' && q[1] && lower_initial(q + 1)) {
                cut = q;
                break;
            }
        if (cut && lower_initial(cut + 1)) {
            bool all_lower = true;
            for (const char *q = cut; *q; q++)
                if (*q == ' ' && q[1] && !lower_initial(q + 1))
                    all_lower = false;
            if (all_lower) {
                cite_buf_put(&p->given_buf, g, (size_t)(cut - g));
                cite_buf_puts(&p->dp_buf, cut + 1);
                p->given = p->given_buf.ptr;
                p->dp = p->dp_buf.ptr;
            }
        }
    }
}

static void parts_dispose(parts *p)
{
    cite_buf_dispose(&p->fam_buf);
    cite_buf_dispose(&p->ndp_buf);
    cite_buf_dispose(&p->given_buf);
    cite_buf_dispose(&p->dp_buf);
    cite_buf_dispose(&p->sfx_buf);
    cite_buf_dispose(&p->given0_buf);
}

/* Appends the first n letters (code points) of s to b, leading lowercase letters skipped
 * when a capital follows them ("vonDipheria" -> "D"). */
static void put_letters(cite_buf *b, const char *s, size_t n)
{
    const char *p = s;
    while (*p && islower((unsigned char)*p))
        p++;
    if (!*p || !isupper((unsigned char)*p))
        p = s;
    for (size_t k = 0; *p && k < n; k++) {
        size_t l;
        cite_utf8_decode(p, strlen(p), &l);
        cite_buf_put(b, p, l);
        p += l;
    }
}

/* citation-label when the data has none: citeproc-js's default trigraph
 * "Aaaa00:AaAa00:AaAA00:AAAA00": four letters of one family name, two of each of two, two
 * then one each of three, one of each of the first four; then the year's last two digits.
 * NULL without names. */
static const char *make_label(run *r)
{
    static const char *const vars[] = { "author", "editor", "translator" };
    const cite_field *fl = NULL;
    for (size_t v = 0; v < 3 && !fl; v++)
        fl = names_field(r, vars[v]);
    if (!fl || !fl->nnames)
        return NULL;
    static const size_t widths[4][4] = { { 4 }, { 2, 2 }, { 2, 1, 1 }, { 1, 1, 1, 1 } };
    size_t n = fl->nnames < 4 ? fl->nnames : 4;
    cite_buf b = CITE_BUF_INIT;
    for (size_t i = 0; i < n; i++) {
        const cite_name *nm = &fl->names[i];
        if (nm->literal || !nm->family) {
            put_letters(&b,
                        nm->literal ? nm->literal
                        : nm->given ? nm->given
                                    : "",
                        widths[n - 1][i]);
            continue;
        }
        parts p;
        split_parts(&p, nm);
        put_letters(&b, p.family ? p.family : "", widths[n - 1][i]);
        parts_dispose(&p);
    }
    const cite_date *d = date_field(r, "issued");
    if (d && d->from.year)
        cite_buf_printf(&b, "%02d", (d->from.year < 0 ? -d->from.year : d->from.year) % 100);
    snprintf(r->label, sizeof(r->label), "%s", b.ptr);
    bool ok = !cite_buf_oom(&b) && b.len;
    cite_buf_dispose(&b);
    return ok ? r->label : NULL;
}

/* The markup tags that open the word w[0..n) and close it: *open and *close receive their
 * lengths in bytes (0 when none). */
static void markup_edges(const char *w, size_t n, size_t *open, size_t *close)
{
    *open = *close = 0;
    bool closing;
    size_t tl;
    while (*open < n && w[*open] == '<' &&
           cite_markup_tag_at(w + *open, n - *open, &closing, &tl) != CITE_TAG_NONE && !closing)
        *open += tl;
    /* closing tags at the end: scan from each '<' after the opening ones */
    for (size_t i = *open; i < n; i++) {
        if (w[i] != '<')
            continue;
        size_t j = i;
        while (j < n && w[j] == '<' &&
               cite_markup_tag_at(w + j, n - j, &closing, &tl) != CITE_TAG_NONE && closing)
            j += tl;
        if (j == n && j > i) {
            *close = n - i;
            break;
        }
    }
}

/* CSL 1.0.2, Name-part Formatting, initialize-with: "John Robert" -> "J. R.", "Jean-Pierre"
 * -> "J.-P." (initialize-with-hyphen). With initialize="false" only the given names that
 * are initials already ("J", "J.") take the initialize-with. */
static void
put_initials(run *r, cite_buf *out, const char *given, const char *with, bool initialize)
{
    size_t start = out->len;
    const char *p = given;
    bool after_hyphen = false;
    while (*p) {
        while (*p == ' ' || *p == '.')
            p++;
        if (!*p)
            break;
        const char *w = p;
        while (*p && *p != ' ' && *p != '-' && *p != '.')
            p++;
        size_t wl = (size_t)(p - w);
        /* a word in markup ("<b>John</b>"): its initial keeps the markup around it, with
         * the initial's period ("<b>J.</b>", citeproc-js); the tags are not letters */
        size_t open = 0, close = 0;
        markup_edges(w, wl, &open, &close);
        const char *tag_open = w, *tag_close = w + wl - close;
        w += open;
        wl -= open + close;
        if (wl == 0 && open + close > 0) { /* tags alone ("<b></b>"): kept, no letter */
            cite_buf_put(out, tag_open, open + close);
            continue;
        }
        size_t l;
        uint32_t cp = cite_utf8_decode(w, wl, &l);
        bool is_initial = l == wl;
        bool lower = utf8proc_islower((utf8proc_int32_t)cp);
        if (lower && !is_initial && after_hyphen && (initialize || is_initial)) {
            /* "Seo-yeon" -> "S.": citeproc-js drops a lowercase part after a hyphen, and the
             * hyphen with it */
            while (out->len > start && out->ptr[out->len - 1] == '-')
                cite_buf_truncate(out, out->len - 1);
            if (*with && with[strlen(with) - 1] == ' ')
                cite_buf_putc(out, ' ');
        } else if (lower && !is_initial) {
            /* a particle inside the given names stays as it is, a word of its own */
            if (out->len > start && out->ptr[out->len - 1] != ' ')
                cite_buf_putc(out, ' ');
            cite_buf_put(out, tag_open, open);
            cite_buf_put(out, w, wl);
            cite_buf_put(out, tag_close, close);
            cite_buf_putc(out, ' ');
        } else if (*p == '.' && !is_initial) {
            /* "Ph.", "Me.": a word the data abbreviated itself stays whole, as citeproc-js
             * keeps it, with the style's initialize-with in place of its period */
            cite_buf_put(out, tag_open, open);
            cite_buf_put(out, w, wl);
            cite_buf_put(out, tag_close, close);
            cite_buf_puts(out, with);
        } else if (initialize || is_initial) {
            cite_buf_put(out, tag_open, open);
            cite_buf_put(out, w, l);
            /* "TSerendorjiin" -> "Ts.": capitals after the first letter, when lowercase
             * letters follow them, stay in the initial, lowercased (citeproc-js) */
            size_t k = l, caps = l;
            while (caps < wl) {
                size_t cl;
                uint32_t c = cite_utf8_decode(w + caps, wl - caps, &cl);
                if (!utf8proc_isupper((utf8proc_int32_t)c))
                    break;
                caps += cl;
            }
            if (caps > l && caps < wl) {
                while (k < caps) {
                    size_t cl;
                    uint32_t c = cite_utf8_decode(w + k, caps - k, &cl);
                    put_cp(out, utf8proc_tolower((utf8proc_int32_t)c));
                    k += cl;
                }
            }
            /* the closing tags go after the period, before the space */
            size_t wn = strlen(with), ws = wn;
            while (close && ws > 0 && with[ws - 1] == ' ')
                ws--;
            cite_buf_put(out, with, ws);
            cite_buf_put(out, tag_close, close);
            cite_buf_put(out, with + ws, wn - ws);
        } else {
            cite_buf_put(out, tag_open, open);
            cite_buf_put(out, w, wl);
            cite_buf_put(out, tag_close, close);
            cite_buf_putc(out, ' ');
        }
        while (*p == '.')
            p++;
        after_hyphen = *p == '-';
        if (*p == '-') {
            /* trim the space before a hyphen: "J.-P." */
            while (out->len > start && out->ptr[out->len - 1] == ' ')
                cite_buf_truncate(out, out->len - 1);
            if (r->s->initialize_with_hyphen)
                cite_buf_putc(out, '-');
            p++;
        }
    }
    while (out->len > start && out->ptr[out->len - 1] == ' ')
        cite_buf_truncate(out, out->len - 1);
}

static void put_part_fmt(run *r, cite_buf *out, const csl_node *part, const cite_buf *text)
{
    if (!text->len)
        return;
    if (!part) {
        cite_buf_put(out, text->ptr, text->len);
        return;
    }
    cite_buf c = CITE_BUF_INIT;
    cite_buf_put(&c, text->ptr, text->len);
    apply_case(r, &c, &part->fmt);
    wrap(r, &part->fmt, &c, out);
    if (cite_buf_oom(&c))
        out->oom = true;
    cite_buf_dispose(&c);
}

static void put_word(cite_buf *b, const char *s)
{
    if (!s || !*s)
        return;
    /* no space after a particle that ends in an apostrophe or a hyphen ("d’Aubignac") */
    if (b->len && b->ptr[b->len - 1] != ' ' && b->ptr[b->len - 1] != '\'' &&
        b->ptr[b->len - 1] != '-' &&
        strncmp(b->ptr + b->len - (b->len >= 3 ? 3 : b->len), "\xe2\x80\x99", 3) != 0)
        cite_buf_putc(b, ' ');
    cite_out_put_text(b, s, strlen(s));
}

/* True when marked text s[0..n) ends in a particle's glue: an apostrophe, a hyphen or a
 * space, after which the next name part follows without a space ("d’Aubignac"). */
static bool ends_glued(const char *s, size_t n)
{
    if (n == 0)
        return false;
    char c = s[n - 1];
    return c == ' ' || c == '\'' || c == '-' ||
           (n >= 3 && memcmp(s + n - 3, "\xe2\x80\x99", 3) == 0) ||
           (n >= 2 && memcmp(s + n - 2, "\xca\xbc", 2) == 0);
}

/* One name part built piece by piece, as citeproc-js builds it: each piece (given, particle,
 * family) carries its name-part's formatting on its own ("<b>van</b> <b>Roe</b>"), and the
 * name-part's affixes go around the whole block afterwards (name_block_close). */
typedef struct name_block {
    cite_buf text;
    bool glue; /* the last piece ends in an apostrophe or hyphen: no space follows */
} name_block;

/* Appends the marked text s[0..n) to blk as a piece formatted like part, without the part's
 * affixes; a space goes before it unless blk is empty or glued. */
static void name_piece(run *r, name_block *blk, const csl_node *part, const char *s, size_t n)
{
    if (n == 0)
        return;
    /* sort keys part the pieces with a space even after an apostrophe: "d’Wander" sorts
     * as "d Wander", before "de’ Frinkle" (citeproc-js) */
    bool spaced = blk->text.len && blk->text.ptr[blk->text.len - 1] == ' ';
    if (blk->text.len && !spaced && (!blk->glue || r->sorting))
        cite_buf_putc(&blk->text, ' ');
    cite_buf c = CITE_BUF_INIT;
    cite_buf_put(&c, s, n);
    if (part) {
        csl_fmt decor = part->fmt;
        decor.prefix = decor.suffix = NULL;
        apply_case(r, &c, &decor);
        wrap(r, &decor, &c, &blk->text);
    } else {
        cite_buf_put(&blk->text, c.ptr, c.len);
    }
    if (cite_buf_oom(&c))
        blk->text.oom = true;
    blk->glue = ends_glued(s, n);
    cite_buf_dispose(&c);
}

static void name_piece_str(run *r, name_block *blk, const csl_node *part, const char *s)
{
    if (!s || !*s)
        return;
    cite_buf t = CITE_BUF_INIT;
    cite_out_put_text(&t, s, strlen(s));
    name_piece(r, blk, part, t.ptr, t.len);
    if (cite_buf_oom(&t))
        blk->text.oom = true;
    cite_buf_dispose(&t);
}

/* Appends blk to out inside part's affixes, and empties it. */
static void name_block_close(run *r, name_block *blk, const csl_node *part, cite_buf *out)
{
    csl_fmt affixes = { 0 };
    if (part) {
        affixes.prefix = part->fmt.prefix;
        affixes.suffix = part->fmt.suffix;
    }
    wrap(r, &affixes, &blk->text, out);
    if (cite_buf_oom(&blk->text))
        out->oom = true;
    cite_buf_dispose(&blk->text);
    blk->glue = false;
}

/* Renders one name (CSL 1.0.2, Name-part Order). */
static void render_name(run *r,
                        const csl_node *name,
                        const csl_name_opts *o,
                        const cite_name *nm,
                        bool inverted,
                        cite_buf *out)
{
    if (nm->literal || (nm->institution && nm->family) || !nm->family) {
        /* a literal, an institution, or a lone given name ("Banksy") prints as it is */
        const char *lit = nm->literal  ? nm->literal
                          : nm->family ? nm->family
                          : nm->given  ? nm->given
                                       : "";
        cite_buf t = CITE_BUF_INIT;
        cite_out_put_text(&t, lit, strlen(lit));
        put_part_fmt(r, out, name ? name->part_family : NULL, &t);
        cite_buf_dispose(&t);
        return;
    }
    parts p;
    split_parts(&p, nm);
    const csl_node *pf = name ? name->part_family : NULL, *pg = name ? name->part_given : NULL;
    int level = r->it && !r->sorting ? r->it->givenname_level : 0; /* bibliography too */
    int rule = r->s->citation.givenname_rule;
    if (r->later_name && (rule == CSL_GIVENNAME_PRIMARY || rule == CSL_GIVENNAME_PRIMARY_INITIALS))
        level = 0; /* the primary-name rules expand the first name only */
    for (size_t i = 0; r->it && !r->sorting && i < r->it->nexpanded; i++)
        if (r->it->expanded[i].name == nm && r->it->expanded[i].level > level)
            level = r->it->expanded[i].level;
    int form = o->form;
    if (form == CSL_FORM_SHORT && level > 0)
        form = CSL_FORM_LONG;
    /* family part: non-dropping particle and family */
    cite_buf fam = CITE_BUF_INIT, giv = CITE_BUF_INIT;
    bool demote = inverted && r->s->demote_ndp == CSL_DEMOTE_DISPLAY_AND_SORT;
    if (r->sorting && r->s->demote_ndp != CSL_DEMOTE_NEVER)
        demote = true;
    if (!demote || form == CSL_FORM_SHORT)
        put_word(&fam, p.ndp);
    put_word(&fam, p.family);
    /* given part: given (perhaps initialised) and dropping particle */
    if (p.given && form != CSL_FORM_SHORT) {
        const char *with = o->initialize_with;
        if (with && level < 2 && p.romanesque) {
            cite_buf ini = CITE_BUF_INIT;
            put_initials(r, &ini, p.given, with, o->initialize || level == 1);
            cite_out_put_text(&giv, ini.ptr, ini.len);
            cite_buf_dispose(&ini);
        } else {
            cite_out_put_text(&giv, p.given, strlen(p.given));
        }
    }
    cite_buf b = CITE_BUF_INIT;
    if (form == CSL_FORM_SHORT) {
        put_part_fmt(r, &b, pf, &fam);
    } else if (!p.romanesque) {
        put_part_fmt(r, &b, pf, &fam);
        put_part_fmt(r, &b, pg, &giv);
    } else if (p.static_order) {
        put_part_fmt(r, &b, pf, &fam);
        if (giv.len)
            cite_buf_putc(&b, ' ');
        put_part_fmt(r, &b, pg, &giv);
    } else if (inverted) {
        /* "(van) Roe, (Jane)": the family block is the family name with its particle
         * unless that is demoted; the given block the given name, the dropping particle and
         * a demoted particle */
        name_block first = { CITE_BUF_INIT, false }, second = { CITE_BUF_INIT, false };
        if (!demote)
            name_piece_str(r, &first, pf, p.ndp);
        name_piece_str(r, &first, pf, p.family);
        name_piece(r, &second, pg, giv.ptr, giv.len);
        name_piece_str(r, &second, pg, p.dp);
        if (demote)
            name_piece_str(r, &second, pf, p.ndp);
        name_block_close(r, &first, pf, &b);
        if (second.text.len) {
            cite_out_put_text(&b, o->sort_separator, strlen(o->sort_separator));
            name_block_close(r, &second, pg, &b);
        }
        cite_buf_dispose(&second.text);
        if (p.suffix) {
            cite_out_put_text(&b, o->sort_separator, strlen(o->sort_separator));
            cite_out_put_text(&b, p.suffix, strlen(p.suffix));
        }
    } else {
        /* "(Jean) (de La Fontaine III)": the given block is the given name alone; the
         * family block holds the particles, the family name and the suffix */
        name_block first = { CITE_BUF_INIT, false }, second = { CITE_BUF_INIT, false };
        name_piece(r, &first, pg, giv.ptr, giv.len);
        name_piece_str(r, &second, pg, p.dp);
        name_piece_str(r, &second, pf, p.ndp);
        name_piece_str(r, &second, pf, p.family);
        if (p.suffix && second.text.len) {
            cite_buf_puts(&second.text, p.comma_suffix ? ", " : " ");
            cite_out_put_text(&second.text, p.suffix, strlen(p.suffix));
        }
        name_block_close(r, &first, pg, &b);
        /* no space after a given part whose suffix ends in a space (a no-break one too) */
        bool joined = b.len && (b.ptr[b.len - 1] == ' ' ||
                                (b.len >= 2 && memcmp(b.ptr + b.len - 2, "\xc2\xa0", 2) == 0));
        if (b.len && second.text.len && !joined)
            cite_buf_putc(&b, ' ');
        name_block_close(r, &second, pf, &b);
    }
    cite_buf_put(out, b.ptr, b.len);
    if (cite_buf_oom(&b) || cite_buf_oom(&fam) || cite_buf_oom(&giv))
        out->oom = true;
    cite_buf_dispose(&b);
    cite_buf_dispose(&fam);
    cite_buf_dispose(&giv);
    parts_dispose(&p);
}

/* Renders name nm (the i-th) of the names element subsequent-author-substitute looks at:
 * notes its text, and in the second pass prints the substitute where the rule says. Returns
 * true when the whole list is replaced (complete-all), out then holding only the
 * substitute. */
static bool sas_name(run *r,
                     const csl_node *name,
                     const csl_name_opts *o,
                     const cite_name *nm,
                     bool inverted,
                     size_t i,
                     cite_buf *out)
{
    sas_state *st = r->sas;
    const csl_context *bib = &r->s->bibliography;
    const char *with = bib->subsequent_author_substitute;
    cite_buf one = CITE_BUF_INIT, plain = CITE_BUF_INIT;
    render_name(r, name, o, nm, inverted, &one);
    cite_out_strip(&plain, one.ptr, one.len);
    if (st->ncur < SAS_MAX) {
        st->cur[st->ncur] = cite_buf_detach(&plain);
        if (!st->cur[st->ncur])
            r->f->oom = true;
        st->ncur++;
    }
    bool whole = false, replace = false;
    if (st->substitute) {
        switch (bib->sas_rule) {
        case CSL_SAS_COMPLETE_ALL:
            whole = st->all_match;
            break;
        case CSL_SAS_COMPLETE_EACH:
            replace = st->all_match;
            break;
        case CSL_SAS_PARTIAL_EACH:
            replace = i < st->nmatch;
            break;
        default: /* partial-first */
            replace = i == 0 && st->nmatch > 0;
            break;
        }
    }
    if (whole) {
        cite_buf_clear(out);
        cite_out_put_text(out, with, strlen(with));
    } else if (replace) {
        cite_out_put_text(out, with, strlen(with));
    } else {
        cite_buf_put(out, one.ptr, one.len);
    }
    cite_buf_dispose(&one);
    cite_buf_dispose(&plain);
    return whole;
}

/* After an entry's first rendering: compares its names with the previous entry's and keeps
 * them as the previous for the next entry; true when some are to be replaced. */
static bool sas_compare(sas_state *st)
{
    st->nmatch = 0;
    while (st->nmatch < st->ncur && st->nmatch < st->nprev && st->cur[st->nmatch] &&
           st->prev[st->nmatch] && strcmp(st->cur[st->nmatch], st->prev[st->nmatch]) == 0)
        st->nmatch++;
    st->all_match = st->ncur > 0 && st->nmatch == st->ncur && st->ncur == st->nprev;
    for (size_t i = 0; i < st->nprev; i++)
        cite_free(st->prev[i]);
    memcpy(st->prev, st->cur, st->ncur * sizeof(char *));
    st->nprev = st->ncur;
    st->ncur = 0;
    st->captured = false;
    return st->nmatch > 0;
}

/* Readies st for the next entry (the names a second rendering noted are dropped). */
static void sas_next(sas_state *st)
{
    for (size_t i = 0; i < st->ncur; i++)
        cite_free(st->cur[i]);
    st->ncur = 0;
    st->captured = false;
}

/* Renders one name list with et-al and "and" (CSL 1.0.2, Name, Et-al). Returns the number
 * of names shown. */
static size_t render_name_list(run *r,
                               const csl_node *names,
                               const csl_node *name,
                               const csl_name_opts *o,
                               const cite_field *f,
                               cite_buf *out)
{
    size_t n = f->nnames;
    /* BibTeX's "and others" stands for names not given: an et al. of its own */
    bool others = n > 0 && f->names[n - 1].others;
    if (others)
        n--;
    size_t shown = n;
    bool etal = others;
    /* et-al needs both et-al-min and et-al-use-first (-1 when no layer gives it) */
    if (o->et_al_min > 0 && o->et_al_use_first >= 0 && n >= (size_t)o->et_al_min &&
        (size_t)o->et_al_use_first < n) {
        shown = (size_t)o->et_al_use_first;
        /* as in citeproc-js, names added to tell citations apart also show in the
         * bibliography (Cite Them Right: "Ekman, C., Gottsater, A., et al.") */
        if (r->it && !r->sorting)
            shown += (size_t)r->it->extra_names;
        if (shown >= n)
            shown = n;
        else
            etal = true;
    }
    if (shown == 0 && n > 0)
        return 0;
    if (o->form == CSL_FORM_COUNT)
        return shown;
    const char *and_term = NULL;
    bool spaced_and = true;
    if (o->and_ == CSL_AND_TEXT)
        and_term = term_text(r, "and", CSL_FORM_LONG, false);
    else if (o->and_ == CSL_AND_SYMBOL)
        and_term = "&";
    if (and_term)
        spaced_and = starts_romanesque(and_term);
    bool use_last = etal && o->et_al_use_last && shown + 2 <= n && !others;
    bool last_inverted = false;
    for (size_t i = 0; i < shown; i++) {
        bool inv = o->naso == CSL_NASO_ALL || (o->naso == CSL_NASO_FIRST && i == 0);
        if (i > 0) {
            bool last = i == shown - 1 && !etal;
            if (last && and_term && !r->sorting) {
                bool delim = o->dpl == CSL_DP_ALWAYS ||
                             (o->dpl == CSL_DP_CONTEXTUAL && shown >= 3) ||
                             (o->dpl == CSL_DP_AFTER_INVERTED && last_inverted);
                /* a term of a script without spaces joins the names as it is: no
                 * delimiter, no spaces (Hebrew "ו", citeproc-js) */
                if (delim && spaced_and)
                    cite_out_put_text(out, o->delimiter, strlen(o->delimiter));
                else if (spaced_and)
                    cite_buf_putc(out, ' ');
                cite_out_put_text(out, and_term, strlen(and_term));
                if (spaced_and)
                    cite_buf_putc(out, ' ');
            } else {
                cite_out_put_text(out, o->delimiter, strlen(o->delimiter));
            }
        }
        r->later_name = i > 0;
        if (r->sas && r->sas->capturing) {
            if (sas_name(r, name, o, &f->names[i], inv, i, out))
                return shown; /* complete-all: the whole list is the substitute */
        } else {
            render_name(r, name, o, &f->names[i], inv, out);
        }
        r->later_name = false;
        /* an organisation or a lone given name is never inverted */
        last_inverted = inv && !f->names[i].literal && f->names[i].family;
    }
    if (use_last) {
        cite_out_put_text(out, o->delimiter, strlen(o->delimiter));
        cite_buf_puts(out, "\xe2\x80\xa6 ");
        bool inv = o->naso == CSL_NASO_ALL;
        r->later_name = true;
        render_name(r, name, o, &f->names[n - 1], inv, out);
        r->later_name = false;
    } else if (etal && !r->sorting) {
        const char *tname =
            names && names->et_al && names->et_al->term ? names->et_al->term : "et-al";
        const char *t = term_text(r, tname, CSL_FORM_LONG, false);
        if (t && *t) {
            bool delim = o->dpea == CSL_DP_ALWAYS || (o->dpea == CSL_DP_CONTEXTUAL && shown >= 2) ||
                         (o->dpea == CSL_DP_AFTER_INVERTED && last_inverted);
            if (delim)
                cite_out_put_text(out, o->delimiter, strlen(o->delimiter));
            else if (starts_romanesque(t)) /* "Zither 等" has no space (citeproc-js) */
                cite_buf_putc(out, ' ');
            cite_buf c = CITE_BUF_INIT;
            cite_out_put_text(&c, t, strlen(t));
            if (names && names->et_al) {
                apply_case(r, &c, &names->et_al->fmt);
                wrap(r, &names->et_al->fmt, &c, out);
            } else {
                cite_buf_put(out, c.ptr, c.len);
            }
            cite_buf_dispose(&c);
        }
    }
    return shown;
}

static void render_names_inner(run *r,
                               const csl_node *n,
                               const csl_node *name,
                               const csl_node *label,
                               const csl_node *et_al_holder,
                               cite_buf *out,
                               bool *any);

static void render_names_body(run *r, const csl_node *n, cite_buf *out);

/* Renders a names element; the first of a bibliography entry that prints anything is the
 * one subsequent-author-substitute looks at (sas_name notes its names; when a substitute
 * printed instead, say the title, its whole text stands for them). */
static void render_names(run *r, const csl_node *n, cite_buf *out)
{
    sas_state *st = r->sas;
    if (!st || st->captured || r->sorting) {
        render_names_body(r, n, out);
        return;
    }
    cite_buf own = CITE_BUF_INIT;
    st->capturing = true;
    render_names_body(r, n, &own);
    st->capturing = false;
    if (own.len) {
        st->captured = true;
        if (st->ncur == 0) {
            cite_buf plain = CITE_BUF_INIT;
            cite_out_strip(&plain, own.ptr, own.len);
            st->cur[st->ncur] = cite_buf_detach(&plain);
            if (!st->cur[st->ncur++])
                r->f->oom = true;
            if (st->substitute && st->all_match) {
                const char *with = r->s->bibliography.subsequent_author_substitute;
                cite_buf_clear(&own);
                cite_out_put_text(&own, with, strlen(with));
            }
        }
    } else {
        sas_next(st); /* nothing printed: the next names element counts */
    }
    put_joined(out, own.ptr, own.len);
    if (cite_buf_oom(&own))
        out->oom = true;
    cite_buf_dispose(&own);
}

static void render_names_body(run *r, const csl_node *n, cite_buf *out)
{
    if (r->suppress_names && !r->names_done) {
        r->names_done = true;
        r->called++;
        r->found++;
        return;
    }
    bool any = false;
    size_t before = out->len;
    render_names_inner(r, n, n->name, n->label, n, out, &any);
    if (out->len > before)
        r->names_done = true;
    if (any || !n->substitute)
        return;
    /* CSL 1.0.2, Substitute: the first child that renders replaces the names; its variables
     * are empty for the rest of the cite */
    for (size_t i = 0; i < n->substitute->nkids; i++) {
        const csl_node *k = n->substitute->kids[i];
        cite_buf c = CITE_BUF_INIT;
        int called = r->called, found = r->found;
        bool was = r->substituting;
        size_t nsub = r->nsubstituted;
        r->substituting = true;
        if (k->kind == CSL_NAMES && !k->name) {
            bool kany = false;
            cite_buf inner = CITE_BUF_INIT;
            render_names_inner(r, k, n->name, k->label ? k->label : n->label, n, &inner, &kany);
            /* a bare <names variable="editor"/> inherits the whole names element, its
             * affixes and formatting too ("[X]Jane Roe (ed.)") */
            const csl_fmt *kf = &k->fmt;
            bool own = kf->prefix || kf->suffix || kf->font_style || kf->font_variant ||
                       kf->font_weight || kf->text_decoration || kf->vertical_align ||
                       kf->display || kf->text_case || kf->quotes || kf->strip_periods;
            wrap(r, own ? kf : &n->fmt, &inner, &c);
            cite_buf_dispose(&inner);
        } else {
            render(r, k, &c);
        }
        r->substituting = was;
        /* a term the locale defines substitutes even when it is empty: the substitution
         * happens once, and renders nothing (citeproc-js, substitute_SubstituteOnlyOnce-
         * TermEmpty) */
        bool defined_term =
            k->kind == CSL_TEXT && k->src == CSL_SRC_TERM && term(r, k->term, k->form) != NULL;
        if (c.len || defined_term) {
            for (size_t j = nsub; j < r->nsubstituted && r->nsuppressed < MAX_SUPPRESSED; j++)
                r->suppressed[r->nsuppressed++] = r->substituted[j];
            r->nsubstituted = nsub;
            r->called = called + 1;
            r->found = found + 1;
            put_joined(out, c.ptr, c.len);
            r->names_done = true;
            cite_buf_dispose(&c);
            return;
        }
        r->nsubstituted = nsub;
        r->called = called;
        r->found = found;
        cite_buf_dispose(&c);
    }
}

/* Renders the variables of names element n with the given name, label and et-al elements
 * (a substitute's bare <names> borrows its parent's). */
static void render_names_inner(run *r,
                               const csl_node *n,
                               const csl_node *name,
                               const csl_node *label,
                               const csl_node *et_al_holder,
                               cite_buf *out,
                               bool *any)
{
    csl_name_opts o = name_opts(r, name);
    const cite_field *lists[16];
    const char *vars[16];
    size_t nl = 0;
    r->called++;
    for (size_t i = 0; i < n->nvars && nl < 16; i++) {
        const cite_field *f = names_field(r, n->vars[i]);
        if (f) {
            lists[nl] = f;
            vars[nl++] = n->vars[i];
        }
    }
    if (nl == 0)
        return;
    /* editor and translator with the same names: one list labelled "editortranslator" */
    bool merged = false;
    /* (not when the locale empties that term: each list then keeps its own label) */
    const char *et_term = term_text(r, "editortranslator", CSL_FORM_LONG, false);
    if (nl >= 2 && et_term && *et_term) {
        for (size_t i = 0; i + 1 < nl && !merged; i++) {
            if (strcmp(vars[i], "editor") != 0 || strcmp(vars[i + 1], "translator") != 0)
                continue;
            const cite_field *a = lists[i], *b = lists[i + 1];
            bool same = a->nnames == b->nnames;
            for (size_t k = 0; same && k < a->nnames; k++)
                same = cite_name_equal(&a->names[k], &b->names[k]);
            if (same) {
                vars[i] = "editortranslator";
                memmove(&lists[i + 1], &lists[i + 2], (nl - i - 2) * sizeof(lists[0]));
                memmove(&vars[i + 1], &vars[i + 2], (nl - i - 2) * sizeof(vars[0]));
                nl--;
                merged = true;
            }
        }
    }
    *any = true;
    r->found++;
    for (size_t i = 0; i < nl; i++)
        note_substituted(r, vars[i]);
    const char *names_delim = n->delimiter;
    if (!names_delim && r->ctx)
        names_delim = r->ctx->names_delimiter;
    if (!names_delim)
        names_delim = r->s->names_delimiter;
    if (o.form == CSL_FORM_COUNT) {
        size_t total = 0;
        for (size_t i = 0; i < nl; i++)
            total += render_name_list(r, et_al_holder, name, &o, lists[i], NULL);
        if (total) {
            cite_buf c = CITE_BUF_INIT;
            cite_buf_printf(&c, "%zu", total);
            wrap(r, &n->fmt, &c, out);
            cite_buf_dispose(&c);
        } else {
            *any = false;
            r->found--;
        }
        return;
    }
    cite_buf all = CITE_BUF_INIT;
    for (size_t i = 0; i < nl; i++) {
        cite_buf list = CITE_BUF_INIT, one = CITE_BUF_INIT;
        size_t shown = render_name_list(r, et_al_holder, name, &o, lists[i], &list);
        if (name)
            wrap(r, &name->fmt, &list, &one);
        else
            cite_buf_put(&one, list.ptr, list.len);
        if (label && !r->sorting) {
            cite_buf lab = CITE_BUF_INIT;
            render_label(r, label, &lab, vars[i], shown > 1 || lists[i]->nnames > 1);
            if (n->label_before_name || (label != n->label && et_al_holder->label_before_name)) {
                put_joined(&lab, one.ptr, one.len);
                cite_buf_dispose(&one);
                one = lab;
            } else {
                put_joined(&one, lab.ptr, lab.len);
                cite_buf_dispose(&lab);
            }
        }
        if (one.len) {
            if (all.len && names_delim)
                put_joined_str(&all, names_delim);
            put_joined(&all, one.ptr, one.len);
        }
        cite_buf_dispose(&list);
        cite_buf_dispose(&one);
    }
    wrap(r, &n->fmt, &all, out);
    if (cite_buf_oom(&all))
        out->oom = true;
    cite_buf_dispose(&all);
}

/* ==== group, choose ======================================================================== */

/* Renders n's children in order, joined by delimiter (NULL: none). */
static void render_kids(run *r, const csl_node *n, cite_buf *out, const char *delimiter)
{
    if (!n)
        return;
    for (size_t i = 0; i < n->nkids; i++) {
        cite_buf c = CITE_BUF_INIT;
        /* choose is transparent as in citeproc-js: the enclosing delimiter also goes between
         * the elements of the branch taken (<group delimiter=" "><choose><if>term, number) */
        if (n->kids[i]->kind == CSL_CHOOSE && r->depth <= MAX_DEPTH)
            render_choose(r, n->kids[i], &c, delimiter);
        else
            render(r, n->kids[i], &c);
        if (c.len) {
            if (out->len && delimiter && !r->sorting)
                put_joined_str(out, delimiter);
            put_joined(out, c.ptr, c.len);
        }
        if (cite_buf_oom(&c))
            out->oom = true;
        cite_buf_dispose(&c);
    }
}

/* CSL 1.0.2, Group: suppressed when it calls at least one variable and all are empty. */
static void render_group(run *r, const csl_node *n, cite_buf *out)
{
    int called = r->called, found = r->found;
    r->called = r->found = 0;
    cite_buf c = CITE_BUF_INIT;
    render_kids(r, n, &c, n->delimiter);
    bool suppress = r->called > 0 && r->found == 0;
    int g_called = r->called, g_found = r->found;
    r->called = called + g_called;
    r->found = found + g_found;
    if (!suppress)
        wrap(r, &n->fmt, &c, out);
    if (cite_buf_oom(&c))
        out->oom = true;
    cite_buf_dispose(&c);
}

static bool test_one(run *r, const csl_test *t)
{
    switch (t->kind) {
    case CSL_T_TYPE:
        return r->rec->type && strcmp(r->rec->type, t->value) == 0;
    case CSL_T_VARIABLE:
        return has_var(r, t->value);
    case CSL_T_IS_NUMERIC: {
        const char *v = var_value(r, t->value, CSL_FORM_LONG);
        return v && cite_csl_is_numeric(v);
    }
    case CSL_T_IS_UNCERTAIN_DATE: {
        const cite_date *d = date_field(r, t->value);
        return d && d->circa;
    }
    case CSL_T_LOCATOR: {
        if (!r->cite || !r->cite->locator || !r->cite->locator[0])
            return false;
        const char *label = r->cite->label && r->cite->label[0] ? r->cite->label : "page";
        if (strcmp(t->value, "sub-verbo") == 0)
            return strcmp(label, "sub verbo") == 0 || strcmp(label, "sub-verbo") == 0;
        return strcmp(label, t->value) == 0;
    }
    case CSL_T_POSITION: {
        if (!r->citation)
            return false;
        int p = r->position;
        if (strcmp(t->value, "first") == 0)
            return p == POS_FIRST;
        if (strcmp(t->value, "subsequent") == 0)
            return p != POS_FIRST;
        if (strcmp(t->value, "ibid") == 0)
            return p == POS_IBID || p == POS_IBID_WITH_LOCATOR;
        if (strcmp(t->value, "ibid-with-locator") == 0)
            return p == POS_IBID_WITH_LOCATOR;
        if (strcmp(t->value, "near-note") == 0)
            return p != POS_FIRST;
        return false;
    }
    case CSL_T_DISAMBIGUATE: {
        bool holds =
            r->it && r->it->disambiguate && r->disambiguate_seen < r->it->disambiguate_tests;
        r->disambiguate_seen++;
        return (strcmp(t->value, "true") == 0) == holds;
    }
    }
    return false;
}

static bool test_all(run *r, const csl_node *n)
{
    if (n->is_else)
        return true;
    if (n->ntests == 0)
        return false;
    for (size_t i = 0; i < n->ntests; i++) {
        bool v = test_one(r, &n->tests[i]);
        if (n->match == CSL_MATCH_ANY && v)
            return true;
        if (n->match == CSL_MATCH_ALL && !v)
            return false;
        if (n->match == CSL_MATCH_NONE && v)
            return false;
    }
    return n->match != CSL_MATCH_ANY;
}

/* Renders the first branch of choose n whose test holds, its elements joined by delimiter
 * (the enclosing group's, or NULL). */
static void render_choose(run *r, const csl_node *n, cite_buf *out, const char *delimiter)
{
    for (size_t i = 0; i < n->nkids; i++) {
        const csl_node *b = n->kids[i];
        if (b->kind != CSL_IF)
            continue;
        if (test_all(r, b)) {
            r->depth++;
            render_kids(r, b, out, delimiter);
            r->depth--;
            return;
        }
    }
}

static void render(run *r, const csl_node *n, cite_buf *out)
{
    if (!n || r->depth > MAX_DEPTH)
        return;
    r->depth++;
    switch (n->kind) {
    case CSL_TEXT:
        render_text(r, n, out);
        break;
    case CSL_NUMBER:
        render_number(r, n, out);
        break;
    case CSL_LABEL:
        render_label_node(r, n, out);
        break;
    case CSL_DATE:
        render_date(r, n, out);
        break;
    case CSL_NAMES:
        render_names(r, n, out);
        break;
    case CSL_GROUP:
        render_group(r, n, out);
        break;
    case CSL_CHOOSE:
        render_choose(r, n, out, NULL);
        break;
    case CSL_MACRO:
    case CSL_LAYOUT:
    case CSL_IF:
        render_kids(r, n, out, NULL);
        break;
    default:
        break;
    }
    r->depth--;
}

/* ==== the registry ========================================================================== */

static void run_init(run *r, cite_formatter *f, item *it, bool citation)
{
    *r = (run){ .f = f,
                .s = f->style,
                .it = it,
                .rec = it->rec,
                .citation = citation,
                .ctx = citation ? &f->style->citation : &f->style->bibliography };
}

/* Renders the item's layout children (without the layout's affixes) into out. */
static void render_item(cite_formatter *f,
                        item *it,
                        bool citation,
                        const cite_cite_item *cite,
                        int position,
                        bool suppress_names,
                        cite_buf *out)
{
    run r;
    run_init(&r, f, it, citation);
    r.cite = cite;
    r.position = position;
    r.suppress_names = suppress_names;
    /* citeproc-js tells cites apart without their accessed dates: two pages of one author
     * and year read alike however differently they were accessed */
    if (f->disambiguating)
        r.suppressed[r.nsuppressed++] = "accessed";
    const csl_node *layout = r.ctx->layout;
    render_kids(&r, layout, out, NULL);
}

/* A sort key: the key's variable or macro rendered plainly, markers stripped, folded for
 * comparison (case and diacritics ignored). NULL when empty. */
static bool is_ascii(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)s[i] >= 0x80)
            return false;
    return true;
}

static char *collation_form(const char *key);

static char *sort_key(cite_formatter *f, item *it, const csl_node *key, bool citation)
{
    run r;
    run_init(&r, f, it, citation);
    r.sorting = true;
    r.key = key;
    cite_buf c = CITE_BUF_INIT;
    if (key->macro >= 0) {
        render_kids(&r, f->style->macros[key->macro].node, &c, NULL);
    } else if (key->variable) {
        const char *v = key->variable;
        csl_node tmp = { .kind = CSL_TEXT, .src = CSL_SRC_VARIABLE, .variable = v, .macro = -1 };
        cite_var_kind kind = cite_var_kind_of(v);
        if (kind == CITE_VAR_NAMES) {
            const char *vars[1] = { v };
            csl_node names = { .kind = CSL_NAMES, .vars = vars, .nvars = 1, .macro = -1 };
            render(&r, &names, &c);
        } else if (kind == CITE_VAR_DATE) {
            tmp.kind = CSL_DATE;
            render(&r, &tmp, &c);
        } else {
            const char *val = var_value(&r, v, CSL_FORM_LONG);
            if (val && cite_csl_is_numeric(val) && strcmp(v, "title") != 0)
                cite_buf_printf(&c, "%08ld", first_number(val));
            else if (val)
                cite_out_put_text(&c, val, strlen(val));
        }
    }
    cite_buf plain = CITE_BUF_INIT;
    cite_out_strip(&plain, c.ptr, c.len);
    cite_buf_dispose(&c);
    if (cite_buf_oom(&plain) || plain.len == 0) {
        if (cite_buf_oom(&plain))
            f->oom = true;
        cite_buf_dispose(&plain);
        return NULL;
    }
    /* fold: lowercase, strip marks; keep it a valid string. ASCII folds by tolower in place,
     * without utf8proc's decomposition (most keys are ASCII: it was a tenth of the run) */
    utf8proc_uint8_t *folded = NULL;
    utf8proc_ssize_t n = -1;
    bool ascii = is_ascii(plain.ptr, plain.len);
    if (ascii) {
        for (size_t i = 0; i < plain.len; i++)
            plain.ptr[i] = (char)tolower((unsigned char)plain.ptr[i]);
    } else {
        n = utf8proc_map((const utf8proc_uint8_t *)plain.ptr, (utf8proc_ssize_t)plain.len, &folded,
                         UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK | UTF8PROC_COMPOSE);
    }
    char *key_s;
    if (ascii || (n >= 0 && folded)) {
        /* drop leading punctuation and quotes, which do not sort */
        const char *p = ascii ? plain.ptr : (const char *)folded;
        while (*p && (ispunct((unsigned char)*p) || *p == ' ') && p[1])
            p++;
        key_s = cite_strdup(p);
        free(folded);
    } else {
        free(folded);
        key_s = cite_buf_detach(&plain);
        plain = (cite_buf)CITE_BUF_INIT;
    }
    /* keys that compare equal but for their accents ("Gotz", "Götz") sort unaccented
     * first, as in citeproc-js: after the collation form, a byte below any it holds, then
     * the key casefolded with its marks */
    utf8proc_uint8_t *marked = NULL;
    if (!ascii && utf8proc_map((const utf8proc_uint8_t *)plain.ptr, (utf8proc_ssize_t)plain.len,
                               &marked, UTF8PROC_CASEFOLD | UTF8PROC_COMPOSE) < 0) {
        free(marked);
        marked = NULL;
    }
    cite_buf_dispose(&plain);
    char *form = key_s ? collation_form(key_s) : NULL;
    cite_buf full = CITE_BUF_INIT;
    if (form) {
        cite_buf_puts(&full, form);
        cite_buf_putc(&full, '\x01');
        cite_buf_puts(&full, marked ? (const char *)marked : key_s);
    }
    free(marked);
    cite_free(form);
    cite_free(key_s);
    char *out = form ? cite_buf_detach(&full) : NULL;
    if (!out)
        f->oom = true;
    return out;
}

static void free_keys(char **keys, size_t n)
{
    if (!keys)
        return;
    for (size_t i = 0; i < n; i++)
        cite_free(keys[i]);
    cite_free(keys);
}

static char **make_keys(cite_formatter *f, item *it, const csl_context *ctx, bool citation)
{
    if (!ctx->nkeys)
        return NULL;
    char **keys = cite_calloc(ctx->nkeys, sizeof(char *));
    if (!keys) {
        f->oom = true;
        return NULL;
    }
    /* cites sort as citeproc-js sorts them, on keys made before year suffixes exist: cites
     * that tie stay in the order given ("Levine, 2025c, 2025a, 2025b" in the oracle) */
    int ys = it->year_suffix;
    if (citation)
        it->year_suffix = 0;
    for (size_t k = 0; k < ctx->nkeys; k++)
        keys[k] = sort_key(f, it, ctx->keys[k], citation);
    it->year_suffix = ys;
    return keys;
}

/* A letter without a decomposition that collates as a base letter ("Ødegård" among the O). */
static utf8proc_int32_t base_letter(utf8proc_int32_t c)
{
    switch (c) {
    case 0xF8: /* ø */
        return 'o';
    case 0x142: /* ł */
        return 'l';
    case 0x111: /* đ */
        return 'd';
    case 0x131: /* ı */
        return 'i';
    default:
        return c;
    }
}

static bool ignorable(utf8proc_int32_t c)
{
    utf8proc_category_t k = utf8proc_category(c);
    return k >= UTF8PROC_CATEGORY_PC && k <= UTF8PROC_CATEGORY_PO;
}

/* The next code point of s[*i..len) that collates: punctuation skipped, and a space right
 * after a space (perhaps with punctuation between: "Sato, … Umar") skipped too. -1 at the
 * end; *l receives its length. */
static utf8proc_int32_t
next_collating(const char *s, size_t len, size_t *i, size_t *l, bool *after_space)
{
    while (*i < len) {
        unsigned char u = (unsigned char)s[*i];
        utf8proc_int32_t c;
        bool skip;
        if (u < 0x80) {
            /* ASCII fast path: the Unicode punctuation (P*) of ASCII */
            c = u;
            *l = 1;
            skip = u && strchr("!\"#%&'()*,-./:;?@[\\]_{}", u) != NULL;
        } else {
            c = (utf8proc_int32_t)cite_utf8_decode(s + *i, len - *i, l);
            skip = ignorable(c);
        }
        bool space = c == ' ';
        if (skip || (space && *after_space)) {
            *i += *l;
            continue;
        }
        *after_space = space;
        return c;
    }
    return -1;
}

/* The collation form of a folded sort key: two forms compare with strcmp the way citeproc-js
 * compares the keys (localeCompare with sensitivity "base", ignorePunctuation and numeric).
 * Punctuation is dropped ("Al-Khatib" after "Alexander"); a space sorts before any letter
 * ("de la Cruz" before "De Wit" before "Delaneau", as the oracle shows) and spaces around
 * dropped punctuation count as one ("Sato, … Umar" after "Sato, Tremblay"); letters without
 * a decomposition take their base letter; a run of digits becomes '0', its length (leading
 * zeros dropped) as one byte, then the digits, so that runs compare as numbers and still
 * before letters. Everything else compares by code point, which is UTF-8 byte order. Built
 * once per key, so that sorting compares bytes only. Caller frees; NULL when out of memory. */
static char *collation_form(const char *key)
{
    size_t len = strlen(key), i = 0, l = 0;
    bool after_space = false;
    cite_buf b = CITE_BUF_INIT;
    for (utf8proc_int32_t c; (c = next_collating(key, len, &i, &l, &after_space)) >= 0;) {
        if (c >= '0' && c <= '9') {
            while (i + 1 < len && key[i] == '0' && isdigit((unsigned char)key[i + 1]))
                i++;
            size_t e = i;
            while (e < len && isdigit((unsigned char)key[e]))
                e++;
            cite_buf_putc(&b, '0');
            cite_buf_putc(&b, (char)(e - i < 255 ? e - i : 255));
            cite_buf_put(&b, key + i, e - i);
            i = e;
            continue;
        }
        utf8proc_int32_t base = base_letter(c);
        utf8proc_category_t cat = utf8proc_category(c);
        if (cat >= UTF8PROC_CATEGORY_SM && cat <= UTF8PROC_CATEGORY_SO)
            cite_buf_putc(&b, '#'); /* symbols before digits and letters, as in ICU */
        if (base != c)
            cite_buf_putc(&b, (char)base);
        else
            cite_buf_put(&b, key + i, l);
        i += l;
    }
    return cite_buf_detach(&b);
}

/* Compares two items by the keys of ctx; empty keys sort last whatever the direction. */
static int cmp_keys(char **a, char **b, const csl_context *ctx)
{
    for (size_t k = 0; k < ctx->nkeys; k++) {
        const char *x = a ? a[k] : NULL, *y = b ? b[k] : NULL;
        if (!x && !y)
            continue;
        if (!x)
            return 1;
        if (!y)
            return -1;
        int c = strcmp(x, y);
        if (c)
            return ctx->keys[k]->descending ? -c : c;
    }
    return 0;
}

/* qsort_r comparator: ctx is the formatter being sorted. */
static int cmp_bib(const void *a, const void *b, void *ctx)
{
    const cite_formatter *f = ctx;
    size_t i = *(const size_t *)a, j = *(const size_t *)b;
    int c = cmp_keys(f->items[i].bib_keys, f->items[j].bib_keys, &f->style->bibliography);
    return c ? c : (i < j ? -1 : i > j);
}

static bool keys_use_citation_number(const csl_context *ctx, const cite_style *s)
{
    for (size_t k = 0; k < ctx->nkeys; k++) {
        const csl_node *key = ctx->keys[k];
        if (key->variable && strcmp(key->variable, "citation-number") == 0)
            return true;
        (void)s;
    }
    return false;
}

/* Sorts the bibliography. With suffixed_only, the keys of the items that have neither a
 * year suffix nor the "disambiguate" condition are kept from the previous sort:
 * disambiguation changes no other input of a sort key (names render as the style says when
 * sorting). */
static void sort_bibliography(cite_formatter *f, bool suffixed_only)
{
    const csl_context *bib = &f->style->bibliography;
    for (size_t i = 0; i < f->nitems; i++)
        f->bib_order[i] = i;
    if (!bib->nkeys)
        return;
    for (size_t i = 0; i < f->nitems; i++) {
        if (suffixed_only && f->items[i].year_suffix == 0 && !f->items[i].disambiguate)
            continue;
        free_keys(f->items[i].bib_keys, bib->nkeys);
        f->items[i].bib_keys = make_keys(f, &f->items[i], bib, false);
    }
    qsort_r(f->bib_order, f->nitems, sizeof(size_t), cmp_bib, f);
}

/* The disambiguation text of an item: its citation in a subsequent position, plain. As in
 * citeproc-js, cites are told apart in the form that repeats them (the short form of a note
 * style, et-al-subsequent-min and -use-first), which may show less than the first: cites
 * that read alike only there are disambiguated too (test suite:
 * disambiguate_BasedOnEtAlSubsequent, _BasedOnSubsequentFormWithBackref2). Caller frees. */
static char *cite_text(cite_formatter *f, item *it)
{
    cite_buf c = CITE_BUF_INIT, plain = CITE_BUF_INIT;
    render_item(f, it, true, NULL, POS_SUBSEQUENT, false, &c);
    cite_out_strip(&plain, c.ptr, c.len);
    cite_buf_dispose(&c);
    char *s = cite_buf_detach(&plain);
    if (!s)
        f->oom = true;
    return s;
}

/* qsort_r comparator: ctx is the texts sorted_by_text sorts indexes by. */
static int cmp_text_index(const void *a, const void *b, void *ctx)
{
    char *const *texts = ctx;
    size_t i = *(const size_t *)a, j = *(const size_t *)b;
    return strcmp(texts[i], texts[j]);
}

/* The indexes of the items that have a text (and, when only is not NULL, for which only[i]
 * holds), sorted by that text so that items citing alike are neighbours; *m of them. NULL
 * (f->oom set) on OOM. */
static size_t *sorted_by_text(cite_formatter *f, char **texts, const bool *only, size_t *m)
{
    size_t n = f->nitems;
    size_t *idx = cite_calloc(n ? n : 1, sizeof(size_t));
    *m = 0;
    if (!idx) {
        f->oom = true;
        return NULL;
    }
    for (size_t i = 0; i < n; i++)
        if (texts[i] && (!only || only[i]))
            idx[(*m)++] = i;
    qsort_r(idx, *m, sizeof(size_t), cmp_text_index, texts);
    return idx;
}

/* The end of the run of items of idx[0..m) that cite as idx[a] does. */
static size_t same_text_end(char *const *texts, const size_t *idx, size_t a, size_t m)
{
    size_t b = a + 1;
    while (b < m && strcmp(texts[idx[a]], texts[idx[b]]) == 0)
        b++;
    return b;
}

/* Marks in amb[] the items whose citation text equals another's; false when none does.
 * Only the texts that are NULL are rendered: a caller that changes how an item cites drops
 * its text (forget_text), so each round re-renders the few items it touched, not the
 * library. The texts are sorted (by index) so equal texts are neighbours: O(n log n), which
 * the add-names loop calls once per name added. */
static bool find_ambiguous(cite_formatter *f, char **texts, bool *amb)
{
    size_t n = f->nitems, m = 0;
    bool any = false;
    for (size_t i = 0; i < n; i++) {
        if (!texts[i])
            texts[i] = cite_text(f, &f->items[i]);
        amb[i] = false;
    }
    size_t *idx = sorted_by_text(f, texts, NULL, &m);
    if (!idx)
        return false;
    for (size_t a = 0; a < m;) {
        size_t b = same_text_end(texts, idx, a, m);
        for (size_t k = a; k < b; k++) {
            amb[idx[k]] = b - a > 1;
            if (f->clash)
                f->clash[idx[k]] = b - a - 1;
        }
        any |= b - a > 1;
        a = b;
    }
    cite_free(idx);
    return any;
}

/* Drops the disambiguation text of item i, whose citation is about to change. */
static void forget_text(char **texts, size_t i)
{
    cite_free(texts[i]);
    texts[i] = NULL;
}

/* A name of the registry for global_givennames: its family (with particles), initials and
 * full given names (without spaces). */
typedef struct gname {
    char *family, *initials, *given; /* owned */
    const cite_name *name;           /* the record's name */
    size_t item;                     /* index in f->items */
    bool cited;                      /* a name the citation shows (else only compared against) */
} gname;

static int cmp_gname(const void *a, const void *b)
{
    const gname *x = a, *y = b;
    int c = strcmp(x->family, y->family);
    if (!c)
        c = strcmp(x->initials, y->initials);
    return c ? c : strcmp(x->given, y->given);
}

static void gname_dispose(gname *g)
{
    cite_free(g->family);
    cite_free(g->initials);
    cite_free(g->given);
}

/* Fills g from nm; false when out of memory. */
static bool gname_init(gname *g, run *r, const cite_name *nm)
{
    parts p;
    split_parts(&p, nm);
    cite_buf fam = CITE_BUF_INIT, ini = CITE_BUF_INIT;
    if (p.ndp) {
        cite_buf_puts(&fam, p.ndp);
        cite_buf_putc(&fam, ' ');
    }
    cite_buf_puts(&fam, p.family ? p.family : "");
    put_initials(r, &ini, p.given, ".", true);
    g->family = cite_buf_detach(&fam);
    g->initials = cite_buf_detach(&ini);
    /* "J.M." and "J. M." are one person, "M.L" and "ML" two (citeproc-js initialises "ML" as
     * one name): given names compare without their spaces */
    cite_buf giv = CITE_BUF_INIT;
    for (const char *c = p.given; *c; c++)
        if (*c != ' ')
            cite_buf_putc(&giv, *c);
    g->given = cite_buf_detach(&giv);
    g->name = nm;
    parts_dispose(&p);
    return g->family && g->initials && g->given;
}

/* Records that item it shows name nm at level (keeps the highest); returns whether that
 * changed anything. */
static bool expand_name(cite_formatter *f, item *it, const cite_name *nm, int level)
{
    for (size_t i = 0; i < it->nexpanded; i++) {
        if (it->expanded[i].name == nm) {
            if (level <= it->expanded[i].level)
                return false;
            it->expanded[i].level = level;
            return true;
        }
    }
    struct expanded *e = cite_realloc(it->expanded, (it->nexpanded + 1) * sizeof(*e));
    if (!e) {
        f->oom = true;
        return false;
    }
    it->expanded = e;
    it->expanded[it->nexpanded++] = (struct expanded){ .name = nm, .level = level };
    return true;
}

/* The names an author-date citation shows of item it: author, else editor, else
 * translator. */
static const cite_field *cited_names(cite_formatter *f, item *it)
{
    static const char *const vars[] = { "author", "editor", "translator" };
    run r;
    run_init(&r, f, it, true);
    for (size_t v = 0; v < 3; v++) {
        const cite_field *fl = names_field(&r, vars[v]);
        if (fl)
            return fl;
    }
    return NULL;
}

/* Expands, in two items that cite alike, the names at the same place that are of different
 * persons with one family name: initials when they differ, else the full given names.
 * Returns whether a and b changed. */
static bool expand_pair(cite_formatter *f, item *a, item *b)
{
    const cite_field *x = cited_names(f, a), *y = cited_names(f, b);
    bool changed = false;
    for (size_t j = 0; x && y && j < x->nnames && j < y->nnames && !f->oom; j++) {
        gname g = { 0 }, h = { 0 };
        run r;
        run_init(&r, f, a, true);
        const cite_name *m = &x->names[j], *n = &y->names[j];
        if (!m->literal && !n->literal && m->family && n->family && m->given && n->given) {
            if (!gname_init(&g, &r, m) || !gname_init(&h, &r, n)) {
                f->oom = true;
            } else if (strcmp(g.family, h.family) == 0 && strcmp(g.given, h.given) != 0) {
                int level = strcmp(g.initials, h.initials) != 0 ? 1 : 2;
                changed |= expand_name(f, a, m, level);
                changed |= expand_name(f, b, n, level);
            }
        }
        gname_dispose(&g);
        gname_dispose(&h);
    }
    return changed;
}

/* givenname-disambiguation-rule="by-cite" together with add-names: in each group of items
 * that still cite alike, the names that tell them apart by their given names are expanded
 * (CSL 1.0.2: "ambiguous names in ambiguous cites"), as far as each needs: "Asthma,
 * Bosworth Bronchitis, et al." and "Asthma, Beauregarde Bronchitis, et al.". Returns
 * whether any text changed (those are dropped, for find_ambiguous to render again). */
static bool expand_within_clashes(cite_formatter *f, char **texts, const bool *amb)
{
    size_t n = f->nitems, m = 0;
    size_t *idx = sorted_by_text(f, texts, amb, &m);
    bool *dirty = cite_calloc(n ? n : 1, sizeof(bool));
    bool any = false;
    if (!idx || !dirty) {
        f->oom = true;
        cite_free(idx);
        cite_free(dirty);
        return false;
    }
    for (size_t a = 0; a < m;) {
        size_t b = same_text_end(texts, idx, a, m);
        for (size_t p = a; p < b; p++) {
            for (size_t q = p + 1; q < b; q++) {
                if (expand_pair(f, &f->items[idx[p]], &f->items[idx[q]])) {
                    dirty[idx[p]] = dirty[idx[q]] = true;
                    any = true;
                }
            }
        }
        a = b;
    }
    for (size_t i = 0; i < n; i++)
        if (dirty[i])
            forget_text(texts, i);
    cite_free(idx);
    cite_free(dirty);
    return any;
}

/* Notes, for each item that was ambiguous, whether it now clashes with fewer items than
 * ever before in this step, at name count k. */
static void note_progress(cite_formatter *f, const bool *was, size_t *best, int *best_k, int k)
{
    for (size_t i = 0; i < f->nitems; i++) {
        if (was[i] && f->clash[i] < best[i]) {
            best[i] = f->clash[i];
            best_k[i] = k;
        }
    }
}

/* One step of disambiguation on the ambiguous items: step 0 adds names, 1 and 2 raise the
 * given names to initials and to full names. A step that leaves an item as ambiguous as it
 * was is taken back for that item (CSL 1.0.2: each method is tried only as far as it
 * helps). Returns whether anything is still ambiguous. */
static bool try_step(cite_formatter *f, char **texts, bool *amb, bool *was, int *prev, int step)
{
    size_t n = f->nitems;
    bool changed = false;
    /* best[i]: the fewest other items i cited as so far, and at which name count */
    size_t *best = cite_calloc(n ? n : 1, sizeof(size_t));
    int *best_k = cite_calloc(n ? n : 1, sizeof(int));
    if (!best || !best_k) {
        cite_free(best);
        cite_free(best_k);
        f->oom = true;
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        was[i] = amb[i];
        best[i] = f->clash[i];
        best_k[i] = -1;
        prev[i] = step == 0 ? f->items[i].extra_names : f->items[i].givenname_level;
        if (!amb[i])
            continue;
        if (step == 0) {
            f->items[i].extra_names = 0;
            forget_text(texts, i);
            changed = true;
        } else if (f->items[i].givenname_level < step) {
            f->items[i].givenname_level = step;
            forget_text(texts, i);
            changed = true;
        }
    }
    if (!changed) {
        cite_free(best);
        cite_free(best_k);
        return true;
    }
    bool by_cite = f->style->citation.add_givenname &&
                   f->style->citation.givenname_rule == CSL_GIVENNAME_BY_CITE;
    bool any = find_ambiguous(f, texts, amb);
    if (step == 0 && any && by_cite && expand_within_clashes(f, texts, amb))
        any = find_ambiguous(f, texts, amb);
    note_progress(f, was, best, best_k, 0);
    if (step == 0 && any) {
        /* CSL 1.0.2, add-names: names are added one at a time, each item stopping at the
         * first count that sets it apart ("Ekman, Gottsater, et al."); the loop ends when
         * adding a name changes no text still ambiguous (names exhausted) */
        char **old = cite_calloc(n, sizeof(char *));
        if (!old) {
            f->oom = true;
            cite_free(best);
            cite_free(best_k);
            return false;
        }
        for (int k = 1; k < 100 && any; k++) {
            bool more = false;
            for (size_t i = 0; i < n; i++) {
                if (was[i] && amb[i]) {
                    f->items[i].extra_names = k;
                    old[i] = texts[i];
                    texts[i] = NULL;
                    more = true;
                }
            }
            if (!more)
                break;
            any = find_ambiguous(f, texts, amb);
            if (any && by_cite && expand_within_clashes(f, texts, amb))
                any = find_ambiguous(f, texts, amb);
            note_progress(f, was, best, best_k, k);
            bool moved = false;
            for (size_t i = 0; i < n; i++) {
                if (old[i] && (!texts[i] || strcmp(old[i], texts[i]) != 0))
                    moved = true;
                cite_free(old[i]);
                old[i] = NULL;
            }
            if (!moved)
                break;
        }
        cite_free(old);
    }
    /* an item still ambiguous keeps what set it apart from some of the others (as
     * citeproc-js does: "Smith, Brown, et al." stays when it no longer reads as "Smith,
     * Benson, et al."), at the fewest names that did; else the step is taken back */
    bool redone = false;
    for (size_t i = 0; i < n; i++) {
        if (!was[i] || !amb[i])
            continue;
        if (step == 0)
            f->items[i].extra_names = best_k[i] >= 0 ? best_k[i] : prev[i];
        else if (best_k[i] < 0)
            f->items[i].givenname_level = prev[i];
        forget_text(texts, i);
        redone = true;
    }
    if (redone)
        any = find_ambiguous(f, texts, amb);
    cite_free(best);
    cite_free(best_k);
    return any;
}

/* The global givenname-disambiguation-rules as citeproc-js applies them (CSL 1.0.2,
 * Disambiguation): all-names, all-names-with-initials, primary-name and
 * primary-name-with-initials expand every ambiguous name, even in citations that differ
 * anyway. A name is ambiguous when a name of another person (other given names) has its
 * family name; it shows its initials when they tell it apart, else (rules without
 * "-with-initials") its full given names; the "-with-initials" rules show initials whenever
 * two initials of the family differ. The primary-name rules look at the first name of each
 * list only. Compared are the names of author, editor and translator; expanded those of the
 * first of them the item has, which is what author-date citations show ("G. Evans, 2009" but
 * "L. Evans, 2019" in APA; "G. Turner" because a chapter by an organisation has an editor
 * A. Turner). Sorted by family, initials and given names, each family is one run. */
static void global_givennames(cite_formatter *f, int rule)
{
    static const char *const vars[] = { "author", "editor", "translator" };
    bool primary = rule == CSL_GIVENNAME_PRIMARY || rule == CSL_GIVENNAME_PRIMARY_INITIALS;
    bool initials_only =
        rule == CSL_GIVENNAME_PRIMARY_INITIALS || rule == CSL_GIVENNAME_ALL_NAMES_INITIALS;
    size_t m = 0, cap = 0;
    gname *gs = NULL;
    for (size_t i = 0; i < 3 * f->nitems && !f->oom; i++) {
        run r;
        run_init(&r, f, &f->items[i / 3], true);
        const cite_field *fl = names_field(&r, vars[i % 3]);
        if (!fl)
            continue;
        /* the citation shows the first variable that has names */
        bool cited = true;
        for (size_t v = 0; v < i % 3; v++)
            cited &= names_field(&r, vars[v]) == NULL;
        for (size_t k = 0; k < (primary ? 1 : fl->nnames) && !f->oom; k++) {
            const cite_name *nm = &fl->names[k];
            if (nm->literal || !nm->family || !nm->given)
                continue;
            if (m == cap) {
                cap = cap ? 2 * cap : 64;
                gname *g =
                    cap <= SIZE_MAX / sizeof(gname) ? cite_realloc(gs, cap * sizeof(gname)) : NULL;
                if (!g) {
                    f->oom = true;
                    break;
                }
                gs = g;
            }
            gs[m] = (gname){ .item = i / 3, .cited = cited };
            if (!gname_init(&gs[m++], &r, nm))
                f->oom = true;
        }
    }
    if (!f->oom && m > 0)
        qsort(gs, m, sizeof(gname), cmp_gname);
    for (size_t a = 0; a < m && !f->oom;) {
        size_t b = a + 1, givens = 1, inits = 1;
        for (; b < m && strcmp(gs[a].family, gs[b].family) == 0; b++) {
            givens += strcmp(gs[b - 1].given, gs[b].given) != 0;
            inits += strcmp(gs[b - 1].initials, gs[b].initials) != 0;
        }
        for (size_t k = a; givens > 1 && k < b;) {
            /* [k, e): one set of initials; several given names there need full names */
            size_t e = k + 1, same_inits_givens = 1;
            for (; e < b && strcmp(gs[k].initials, gs[e].initials) == 0; e++)
                same_inits_givens += strcmp(gs[e - 1].given, gs[e].given) != 0;
            int level = initials_only ? (inits > 1 ? 1 : 0) : same_inits_givens > 1 ? 2 : 1;
            for (; k < e; k++)
                if (gs[k].cited && level)
                    expand_name(f, &f->items[gs[k].item], gs[k].name, level);
        }
        a = b;
    }
    for (size_t i = 0; i < m; i++)
        gname_dispose(&gs[i]);
    cite_free(gs);
}

/* The last resort (CSL 1.0.2, Choose, disambiguate="true": content rendered only when it
 * tells otherwise identical cites apart). As citeproc-js does, the item's tests of the
 * condition are made true one at a time, in the order the layout makes them, and an item
 * stops at the first count that sets it apart: "John Smith, Book One" and not "John Smith,
 * Book One, ed. 3" when the title is enough. Items still ambiguous keep them all. */
static void condition_step(cite_formatter *f, char **texts, bool *amb)
{
    size_t n = f->nitems;
    bool *raise = cite_calloc(n ? n : 1, sizeof(bool));
    char **old = cite_calloc(n ? n : 1, sizeof(char *));
    bool any = true;
    if (!raise || !old) {
        f->oom = true;
        any = false;
    }
    for (size_t i = 0; i < n && raise; i++)
        raise[i] = amb[i];
    for (int tests = 1; any && tests < 64; tests++) {
        for (size_t i = 0; i < n; i++) {
            if (!raise[i])
                continue;
            f->items[i].disambiguate = true;
            f->items[i].disambiguate_tests = tests;
            old[i] = texts[i];
            texts[i] = NULL;
        }
        any = find_ambiguous(f, texts, amb);
        bool moved = false;
        for (size_t i = 0; i < n; i++) {
            if (old[i] && texts[i] && strcmp(old[i], texts[i]) != 0)
                moved = true;
            cite_free(old[i]);
            old[i] = NULL;
            raise[i] = raise[i] && amb[i];
        }
        if (!moved)
            break; /* no more tests of the condition to make true */
    }
    for (size_t i = 0; i < n && raise; i++)
        if (raise[i])
            f->items[i].disambiguate_tests = INT_MAX;
    cite_free(raise);
    cite_free(old);
}

/* CSL 1.0.2, Disambiguation: items whose citations read the same are told apart by more
 * names, then fuller given names, then year suffixes (in bibliography order), and those
 * still ambiguous get the "disambiguate" condition. */
static void disambiguate(cite_formatter *f)
{
    const csl_context *c = &f->style->citation;
    size_t n = f->nitems;
    if (n < 2 || !c->layout)
        return;
    char **texts = cite_calloc(n, sizeof(char *));
    bool *amb = cite_calloc(n, sizeof(bool));
    bool *was = cite_calloc(n, sizeof(bool));
    int *prev = cite_calloc(n, sizeof(int));
    f->clash = cite_calloc(n, sizeof(size_t));
    f->disambiguating = true;
    if (!texts || !amb || !was || !prev || !f->clash) {
        f->oom = true;
        goto cleanup;
    }
    if (c->add_givenname && c->givenname_rule != CSL_GIVENNAME_BY_CITE)
        global_givennames(f, c->givenname_rule);
    bool any = find_ambiguous(f, texts, amb);
    if (any && c->add_names)
        any = try_step(f, texts, amb, was, prev, 0);
    if (any && c->add_givenname) {
        any = try_step(f, texts, amb, was, prev, 1);
        bool initials_only = c->givenname_rule == CSL_GIVENNAME_ALL_NAMES_INITIALS ||
                             c->givenname_rule == CSL_GIVENNAME_PRIMARY_INITIALS;
        if (any && !initials_only)
            any = try_step(f, texts, amb, was, prev, 2);
    }
    if (any && c->add_year_suffix) {
        /* suffixes in bibliography order within each group of equal texts */
        for (size_t i = 0; i < n; i++)
            was[i] = false;
        for (size_t bi = 0; bi < n; bi++) {
            size_t i = f->bib_order[bi];
            if (!amb[i] || was[i])
                continue;
            int k = 0;
            for (size_t bj = bi; bj < n; bj++) {
                size_t j = f->bib_order[bj];
                if (amb[j] && !was[j] && strcmp(texts[i], texts[j]) == 0) {
                    f->items[j].year_suffix = ++k;
                    was[j] = true;
                }
            }
        }
        any = false;
    }
    if (any)
        condition_step(f, texts, amb);
cleanup:
    if (texts)
        for (size_t i = 0; i < n; i++)
            cite_free(texts[i]);
    cite_free(texts);
    cite_free(amb);
    cite_free(was);
    cite_free(prev);
    cite_free(f->clash);
    f->clash = NULL;
    f->disambiguating = false;
}

/* Numbers, sorts and disambiguates the registry once. */
static int prepare(cite_formatter *f)
{
    if (f->prepared)
        return f->oom ? CITE_ENOMEM : 0;
    f->prepared = true;
    const csl_context *bib = &f->style->bibliography;
    for (size_t i = 0; i < f->nitems; i++)
        f->items[i].cnum = (int)i + 1;
    if (bib->present) {
        sort_bibliography(f, false);
        if (bib->nkeys && !keys_use_citation_number(bib, f->style))
            for (size_t k = 0; k < f->nitems; k++)
                f->items[f->bib_order[k]].cnum = (int)k + 1;
    } else {
        for (size_t i = 0; i < f->nitems; i++)
            f->bib_order[i] = i;
    }
    const csl_context *cit = &f->style->citation;
    (void)cit;
    disambiguate(f);
    /* sort keys may read year suffixes: sort again when there are any */
    bool suffixed = false;
    for (size_t i = 0; i < f->nitems && !suffixed; i++)
        suffixed = f->items[i].year_suffix != 0 || f->items[i].disambiguate;
    if (bib->present && bib->nkeys && suffixed)
        sort_bibliography(f, true);
    return f->oom ? CITE_ENOMEM : 0;
}

/* Variables the item's note gives as "key: value" lines (Zotero's Extra field) count as the
 * item's, as citeproc-js renders them; the library's record stays as it is, the item renders
 * a copy. 0 or CITE_ENOMEM. */
static int note_fields(item *it)
{
    const char *note = cite_record_get_text(it->lib_rec, "note");
    if (!note || !strchr(note, ':'))
        return 0;
    cite_record *copy = cite_record_copy(it->lib_rec);
    if (!copy)
        return CITE_ENOMEM;
    bool changed = false;
    int err = cite_csljson_note_fields(copy, &changed);
    if (err < 0 || !changed) {
        cite_record_free(copy);
        return err < 0 ? err : 0;
    }
    it->note_rec = copy;
    it->rec = copy;
    return 0;
}

int cite_formatter_new(cite_formatter **out,
                       const cite_style *style,
                       cite_locale *const *locales,
                       size_t nlocales,
                       const char *lang,
                       const cite_library *lib)
{
    *out = NULL;
    cite_formatter *f = cite_calloc(1, sizeof(cite_formatter));
    if (!f)
        return CITE_ENOMEM;
    f->style = style;
    f->lib = lib;
    if (!lang && nlocales && locales[0])
        lang = locales[0]->lang;
    f->english = !lang || strncmp(lang, "en", 2) == 0;
    f->turkic = lang && cite_csl_turkic(lang);
    /* the style's own locales: exact language, then its primary language, then none */
    for (int pass = 0; pass < 3; pass++)
        for (size_t i = 0; i < style->nlocales && f->nchain < MAX_CHAIN; i++) {
            cite_locale *l = style->locales[i];
            bool take = false;
            if (pass == 0)
                take = l->lang && lang && strcmp(l->lang, lang) == 0;
            else if (pass == 1)
                take = l->lang && lang && strchr(lang, '-') && !strchr(l->lang, '-') &&
                       strncmp(l->lang, lang, strlen(l->lang)) == 0 && lang[strlen(l->lang)] == '-';
            else
                take = !l->lang;
            if (take)
                f->chain[f->nchain++] = l;
        }
    for (size_t i = 0; i < nlocales && f->nchain < MAX_CHAIN; i++)
        if (locales[i])
            f->chain[f->nchain++] = locales[i];
    /* quotes and punctuation-in-quote from the chain */
    run r = { .f = f, .s = style };
    const char *q;
    f->quotes.open = (q = term_text(&r, "open-quote", CSL_FORM_LONG, false)) ? q : "\xe2\x80\x9c";
    f->quotes.close = (q = term_text(&r, "close-quote", CSL_FORM_LONG, false)) ? q : "\xe2\x80\x9d";
    f->quotes.open_inner =
        (q = term_text(&r, "open-inner-quote", CSL_FORM_LONG, false)) ? q : "\xe2\x80\x98";
    f->quotes.close_inner =
        (q = term_text(&r, "close-inner-quote", CSL_FORM_LONG, false)) ? q : "\xe2\x80\x99";
    for (size_t i = 0; i < f->nchain; i++)
        if (f->chain[i]->punctuation_in_quote >= 0) {
            f->quotes.punctuation_in_quote = f->chain[i]->punctuation_in_quote == 1;
            break;
        }
    size_t n = lib ? cite_library_count(lib) : 0;
    if (n) {
        f->items = cite_calloc(n, sizeof(item));
        f->bib_order = cite_calloc(n, sizeof(size_t));
        if (!f->items || !f->bib_order) {
            cite_formatter_free(f);
            return CITE_ENOMEM;
        }
        f->nitems = n;
        for (size_t i = 0; i < n; i++) {
            item *it = &f->items[i];
            it->rec = it->lib_rec = cite_library_get(lib, i);
            it->index = i;
            if (note_fields(it) < 0) {
                cite_formatter_free(f);
                return CITE_ENOMEM;
            }
        }
    }
    *out = f;
    return 0;
}

void cite_formatter_free(cite_formatter *f)
{
    if (!f)
        return;
    for (size_t i = 0; i < f->nitems; i++) {
        cite_record_free(f->items[i].note_rec);
        free_keys(f->items[i].bib_keys, f->style->bibliography.nkeys);
        cite_free(f->items[i].expanded);
        free_keys(f->items[i].cite_keys, f->style->citation.nkeys);
    }
    cite_free(f->items);
    cite_free(f->bib_order);
    cite_free(f->prev_locator);
    cite_free(f->prev_label);
    cite_free(f);
}

/* ==== bibliography and citations ============================================================ */

static void finish(cite_formatter *f, cite_buf *out, const cite_buf *marked, cite_output format)
{
    cite_out_render(out, marked->ptr, marked->len, format, &f->quotes);
}

/* Trims spaces at both ends of a marked string (an entry's affixes may leave them). */
static void trim(cite_buf *b)
{
    size_t s = 0;
    while (s < b->len && b->ptr[s] == ' ')
        s++;
    size_t e = b->len;
    while (e > s && b->ptr[e - 1] == ' ')
        e--;
    if (s || e < b->len) {
        memmove(b->ptr, b->ptr + s, e - s);
        b->len = e - s;
        if (b->cap)
            b->ptr[b->len] = '\0';
    }
}

int cite_format_bibliography(char **out, cite_formatter *f, cite_output format)
{
    *out = NULL;
    int rc = prepare(f);
    if (rc < 0)
        return rc;
    const csl_context *bib = &f->style->bibliography;
    cite_buf res = CITE_BUF_INIT;
    if (!bib->present || !bib->layout) {
        *out = cite_strdup("");
        return *out ? 0 : CITE_ENOMEM;
    }
    if (format == CITE_OUTPUT_HTML)
        cite_buf_puts(&res, "<div class=\"csl-bib-body\">\n");
    sas_state sas = { .nprev = 0 };
    for (size_t k = 0; k < f->nitems; k++) {
        item *it = &f->items[f->bib_order[k]];
        cite_buf m = CITE_BUF_INIT;
        run r;
        run_init(&r, f, it, false);
        r.sas = bib->subsequent_author_substitute ? &sas : NULL;
        render_kids(&r, bib->layout, &m, NULL);
        if (r.sas && sas_compare(&sas)) {
            /* subsequent-author-substitute: again, with the names that repeat the previous
             * entry's replaced as the rule says */
            cite_buf_clear(&m);
            run_init(&r, f, it, false);
            r.sas = &sas;
            sas.substitute = true;
            render_kids(&r, bib->layout, &m, NULL);
            sas.substitute = false;
        }
        sas_next(&sas);
        cite_buf plain = CITE_BUF_INIT;
        cite_out_strip(&plain, m.ptr, m.len);
        bool empty = true;
        for (size_t i = 0; empty && i < plain.len; i++)
            empty = plain.ptr[i] == ' ';
        cite_buf_dispose(&plain);
        if (empty) {
            /* an entry the layout prints nothing of: left out, as citeproc-js does; a
             * numeric style keeps its number with citeproc-js's message */
            cite_buf_dispose(&m);
            if (!f->style->uses_citation_number)
                continue;
            cite_buf_printf(&m, "%d. %s", it->cnum, NO_PRINTED_FORM);
        }
        cite_buf body = CITE_BUF_INIT;
        if (m.len) {
            wrap(&r, &bib->layout->fmt, &m, &body);
            /* citeproc-js's HTML keeps an entry's outer spaces (" (2006): 1–7."); the text
             * and Markdown lines are trimmed */
            if (format != CITE_OUTPUT_HTML)
                trim(&body);
        }
        cite_buf_dispose(&m);
        if (bib->second_field_align_flush || bib->second_field_align_margin) {
            /* the first field (up to the first display or the first rendered child) is the
             * left margin: citeproc-js splits at the first child of the layout */
            cite_buf first = CITE_BUF_INIT, rest = CITE_BUF_INIT;
            run r2;
            run_init(&r2, f, it, false);
            size_t i = 0;
            for (; i < bib->layout->nkids && first.len == 0; i++)
                render(&r2, bib->layout->kids[i], &first);
            for (; i < bib->layout->nkids; i++) {
                cite_buf c = CITE_BUF_INIT;
                render(&r2, bib->layout->kids[i], &c);
                put_joined(&rest, c.ptr, c.len);
                cite_buf_dispose(&c);
            }
            if (first.len && format == CITE_OUTPUT_HTML) {
                cite_buf_dispose(&body);
                csl_fmt lf = bib->layout->fmt;
                cite_buf fb = CITE_BUF_INIT, rb = CITE_BUF_INIT;
                csl_fmt pre = { .prefix = lf.prefix };
                csl_fmt suf = lf;
                suf.prefix = NULL;
                wrap(&r2, &pre, &first, &fb);
                wrap(&r2, &suf, &rest, &rb); /* its leading space stays, as in citeproc-js */
                cite_buf_puts(&res,
                              "  <div class=\"csl-entry\">\n    <div class=\"csl-left-margin\">");
                finish(f, &res, &fb, format);
                cite_buf_puts(&res, "</div><div class=\"csl-right-inline\">");
                finish(f, &res, &rb, format);
                cite_buf_puts(&res, "</div>\n  </div>\n");
                cite_buf_dispose(&fb);
                cite_buf_dispose(&rb);
                cite_buf_dispose(&first);
                cite_buf_dispose(&rest);
                continue;
            }
            cite_buf_dispose(&first);
            cite_buf_dispose(&rest);
        }
        if (format == CITE_OUTPUT_HTML)
            cite_buf_puts(&res, "  <div class=\"csl-entry\">");
        finish(f, &res, &body, format);
        cite_buf_puts(&res, format == CITE_OUTPUT_HTML ? "</div>\n" : "\n");
        if (cite_buf_oom(&body))
            res.oom = true;
        cite_buf_dispose(&body);
    }
    for (size_t i = 0; i < sas.nprev; i++)
        cite_free(sas.prev[i]);
    if (format == CITE_OUTPUT_HTML)
        cite_buf_puts(&res, "</div>");
    if (f->oom)
        res.oom = true;
    *out = cite_buf_detach(&res);
    return *out ? 0 : CITE_ENOMEM;
}

typedef struct cited {
    item *it;
    const cite_cite_item *ci; /* the caller's, or own when the locator names its label */
    cite_cite_item own;
    int position;
    char **keys;
} cited;

/* The names a cite renders (its citation less the same with the author suppressed), plain;
 * NULL when it renders none. Caller frees. */
static char *cite_names(cite_formatter *f, const cited *c)
{
    cite_buf full = CITE_BUF_INIT, rest = CITE_BUF_INIT, a = CITE_BUF_INIT, b = CITE_BUF_INIT;
    render_item(f, c->it, true, c->ci, c->position, false, &full);
    render_item(f, c->it, true, c->ci, c->position, true, &rest);
    cite_out_strip(&a, full.ptr, full.len);
    cite_out_strip(&b, rest.ptr, rest.len);
    size_t keep = a.len > b.len ? a.len - b.len : 0;
    while (keep > 0 && (a.ptr[keep - 1] == ' ' || a.ptr[keep - 1] == ','))
        keep--;
    char *names = keep ? cite_strndup(a.ptr, keep) : NULL;
    if (cite_buf_oom(&a) || cite_buf_oom(&b))
        f->oom = true;
    cite_buf_dispose(&full);
    cite_buf_dispose(&rest);
    cite_buf_dispose(&a);
    cite_buf_dispose(&b);
    return names;
}

/* CSL 1.0.2, Cite Grouping: cites with the same names move up to the first of them,
 * keeping their order ("Doe 1999; Smith 2002; Doe 2006" -> "Doe 1999; Doe 2006; Smith
 * 2002"), ready for collapsing. */
static void group_cites(cite_formatter *f, cited *cs, size_t n)
{
    char **names = cite_calloc(n, sizeof(char *));
    cited *out = cite_calloc(n, sizeof(cited));
    bool *placed = cite_calloc(n, sizeof(bool));
    if (names && out && placed) {
        /* an undated cite stays where it is: citeproc-js leaves "Hughes, no date" after
         * "Hughes and Walsh, 2022" (Cite Them Right, the oracle's clusters) */
        for (size_t i = 0; i < n; i++)
            names[i] = cite_record_field(cs[i].it->rec, "issued") ? cite_names(f, &cs[i]) : NULL;
        size_t m = 0;
        for (size_t i = 0; i < n; i++) {
            if (placed[i])
                continue;
            out[m++] = cs[i];
            placed[i] = true;
            for (size_t j = i + 1; names[i] && j < n; j++) {
                if (!placed[j] && names[j] && strcmp(names[i], names[j]) == 0) {
                    out[m++] = cs[j];
                    placed[j] = true;
                }
            }
        }
        memcpy(cs, out, n * sizeof(cited));
    } else {
        f->oom = true;
    }
    for (size_t i = 0; names && i < n; i++)
        cite_free(names[i]);
    cite_free(names);
    cite_free(out);
    cite_free(placed);
}

/* qsort_r comparator: ctx is the formatter whose citation sort applies. */
static int cmp_cited(const void *a, const void *b, void *ctx)
{
    const cite_formatter *f = ctx;
    const cited *x = a, *y = b;
    int c = cmp_keys(x->keys, y->keys, &f->style->citation);
    if (c)
        return c;
    return x < y ? -1 : x > y;
}

/* Whether two locator labels are one (NULL and "" are "page", the default). */
static bool same_label(const char *a, const char *b)
{
    return strcmp(a && *a ? a : "page", b && *b ? b : "page") == 0;
}

/* Whether a cite with prefix starts a sentence: the first cite of a citation without a
 * prefix, or any cite whose prefix ends one ("This has been said. ", "He said “Go.” ", not
 * "See "). */
static bool opens_sentence(const char *prefix, bool first)
{
    size_t l = prefix ? strlen(prefix) : 0;
    if (!l)
        return first;
    for (;;) {
        if (l && (prefix[l - 1] == ' ' || prefix[l - 1] == '"' || prefix[l - 1] == '\''))
            l--;
        else if (l >= 3 && (!memcmp(prefix + l - 3, "\xe2\x80\x9d", 3) ||
                            !memcmp(prefix + l - 3, "\xe2\x80\x99", 3)))
            l -= 3; /* a closing quotation mark */
        else
            break;
    }
    return l && strchr(".!?", prefix[l - 1]);
}

static item *find_item(cite_formatter *f, const char *id)
{
    const cite_record *rec;
    if (!f->lib || cite_library_lookup(&rec, f->lib, id) < 0)
        return NULL;
    for (size_t i = 0; i < f->nitems; i++)
        if (f->items[i].lib_rec == rec)
            return &f->items[i];
    return NULL;
}

int cite_csl_item_state_get(cite_csl_item_state *out, cite_formatter *f, const char *id)
{
    *out = (cite_csl_item_state){ 0 };
    int err = prepare(f);
    if (err < 0)
        return err;
    const item *it = find_item(f, id);
    if (!it)
        return CITE_ENOTFOUND;
    out->cnum = it->cnum;
    out->year_suffix = it->year_suffix;
    out->extra_names = it->extra_names;
    out->givenname_level = it->givenname_level;
    for (size_t i = 0; i < it->nexpanded; i++)
        out->expanded += it->expanded[i].level;
    out->disambiguate = it->disambiguate;
    return 0;
}

/* A locator that starts with the locale's word for its type ("vol. 1, fol. 186", as users
 * type them into Zotero) and has no label of its own gets that type as its label and loses
 * the word, so that <label variable="locator"> prints it once, as citeproc-js does. Returns
 * whether own was filled from ci. */
static bool locator_with_label(cite_formatter *f, const cite_cite_item *ci, cite_cite_item *own)
{
    if (!ci->locator || (ci->label && ci->label[0]))
        return false;
    label_word w;
    size_t l = label_word_at(f, ci->locator, &w);
    if (!l || !ci->locator[l])
        return false;
    *own = *ci;
    own->label = w.type;
    own->locator = ci->locator + l;
    return true;
}

int cite_format_citation(char **out,
                         cite_formatter *f,
                         const cite_cite_item *items,
                         size_t n,
                         int note_index,
                         cite_output format)
{
    *out = NULL;
    int rc = prepare(f);
    if (rc < 0)
        return rc;
    const csl_context *c = &f->style->citation;
    cited *cs = n ? cite_calloc(n, sizeof(cited)) : NULL;
    if (n && !cs)
        return CITE_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        cs[i].it = find_item(f, items[i].id);
        cs[i].ci = locator_with_label(f, &items[i], &cs[i].own) ? &cs[i].own : &items[i];
        if (!cs[i].it) {
            cite_free(cs);
            return CITE_ENOTFOUND;
        }
    }
    /* positions, as in a document's notes (CSL 1.0.2, Choose, position): a cite of an item
     * cited before, in an earlier note or earlier in this citation, is subsequent; ibid when
     * the cite before it (in this citation, or the previous citation's only cite) is of the
     * same item, with a locator when the locators (or their labels) differ */
    for (size_t i = 0; i < n; i++) {
        item *it = cs[i].it;
        int pos = POS_FIRST;
        bool earlier = false;
        for (size_t j = 0; j < i && !earlier; j++)
            earlier = cs[j].it == it;
        if (note_index > 0 && (it->cited || earlier)) {
            pos = POS_SUBSEQUENT;
            bool prev_same = false;
            const char *prev_loc = NULL, *prev_label = NULL;
            if (i > 0) {
                prev_same = cs[i - 1].it == it;
                prev_loc = cs[i - 1].ci->locator;
                prev_label = cs[i - 1].ci->label;
            } else if (f->nprev == 1) {
                prev_same = f->prev_item == it;
                prev_loc = f->prev_locator;
                prev_label = f->prev_label;
            }
            if (prev_same) {
                const char *loc = cs[i].ci->locator;
                if (!loc || !*loc)
                    pos = prev_loc && *prev_loc ? POS_SUBSEQUENT : POS_IBID;
                else if (!prev_loc || strcmp(prev_loc, loc) != 0 ||
                         !same_label(prev_label, cs[i].ci->label))
                    pos = POS_IBID_WITH_LOCATOR;
                else
                    pos = POS_IBID;
            } else if (note_index - it->last_note <= c->near_note_distance) {
                pos = POS_SUBSEQUENT;
            }
        }
        /* a position the caller gives wins (citeproc-js's makeCitationCluster) */
        cs[i].position = items[i].position ? (int)items[i].position - 1 : pos;
    }
    if (note_index > 0) {
        for (size_t i = 0; i < n; i++) {
            if (!cs[i].it->cited)
                cs[i].it->first_note = note_index;
            cs[i].it->cited = true;
            cs[i].it->last_note = note_index;
        }
        f->nprev = n;
        f->prev_item = n ? cs[0].it : NULL;
        cite_free(f->prev_locator);
        cite_free(f->prev_label);
        f->prev_locator = f->prev_label = NULL;
        const cite_cite_item *only = n == 1 ? cs[0].ci : NULL;
        if (only && only->locator && !(f->prev_locator = cite_strdup(only->locator)))
            f->oom = true;
        if (only && only->label && !(f->prev_label = cite_strdup(only->label)))
            f->oom = true;
    }
    if (c->nkeys) {
        for (size_t i = 0; i < n; i++)
            cs[i].keys = make_keys(f, cs[i].it, c, true);
        qsort_r(cs, n, sizeof(cited), cmp_cited, f);
    }
    /* grouping comes with sorting in citeproc-js: unsorted cites stay as given */
    if (n > 2 && c->nkeys &&
        (c->cite_group_delimiter || c->collapse == CSL_COLLAPSE_YEAR ||
         c->collapse == CSL_COLLAPSE_YEAR_SUFFIX || c->collapse == CSL_COLLAPSE_YEAR_SUFFIX_RANGED))
        group_cites(f, cs, n);
    /* Each cite becomes a piece; collapsing (CSL 1.0.2, Citation, collapse) turns the cites
     * that repeat the previous cite's names into their rest ("2001"), and with year-suffix
     * those that also repeat its year into the suffix alone ("b"), ranged "c–e". */
    typedef struct piece {
        cite_buf text;
        const char *delim; /* before this piece */
        int sfx;           /* year suffix of the piece (0 none) */
        bool sfx_only;
        int num;      /* the citation number when the cite renders it alone, else 0 */
        bool grouped; /* collapsed into the cite before it (year collapsing) */
    } piece;
    piece *ps = n ? cite_calloc(n, sizeof(piece)) : NULL;
    if (n && !ps) {
        for (size_t i = 0; i < n; i++)
            free_keys(cs[i].keys, c->nkeys);
        cite_free(cs);
        return CITE_ENOMEM;
    }
    const char *delim = c->layout ? c->layout->delimiter : NULL;
    /* cite-group-delimiter: ", " by default in in-text styles, as citeproc-js has it ("(Doe
     * 1965a, 1965b, 1970; Roe 1990)"); note styles fall back to the layout delimiter */
    const char *group_delim = c->cite_group_delimiter ? c->cite_group_delimiter
                              : f->style->note_class  ? delim
                                                      : ", ";
    /* CSL 1.0.2: after-collapse-delimiter separates a collapsed group from the next cite;
     * the layout delimiter by default */
    const char *after_delim = c->after_collapse_delimiter ? c->after_collapse_delimiter : delim;
    const char *ysd = c->year_suffix_delimiter  ? c->year_suffix_delimiter
                      : c->cite_group_delimiter ? c->cite_group_delimiter
                                                : delim;
    bool collapse_year = c->collapse == CSL_COLLAPSE_YEAR ||
                         c->collapse == CSL_COLLAPSE_YEAR_SUFFIX ||
                         c->collapse == CSL_COLLAPSE_YEAR_SUFFIX_RANGED;
    bool collapse_sfx =
        c->collapse == CSL_COLLAPSE_YEAR_SUFFIX || c->collapse == CSL_COLLAPSE_YEAR_SUFFIX_RANGED;
    char *prev_names = NULL, *prev_rest = NULL;
    for (size_t i = 0; i < n; i++) {
        piece *pc = &ps[i];
        f->lead_term = f->style->note_class && opens_sentence(cs[i].ci->prefix, i == 0);
        pc->text = (cite_buf)CITE_BUF_INIT;
        cite_buf one = CITE_BUF_INIT;
        bool collapsed = false, grouped_plain = false;
        item *it = cs[i].it;
        if (collapse_year && !cs[i].ci->prefix && !cs[i].ci->suffix) {
            cite_buf full = CITE_BUF_INIT, rest = CITE_BUF_INIT, bare = CITE_BUF_INIT;
            render_item(f, it, true, cs[i].ci, cs[i].position, false, &full);
            render_item(f, it, true, cs[i].ci, cs[i].position, true, &rest);
            int ys = it->year_suffix;
            it->year_suffix = 0;
            render_item(f, it, true, cs[i].ci, cs[i].position, true, &bare);
            it->year_suffix = ys;
            cite_buf nb = CITE_BUF_INIT, rb = CITE_BUF_INIT, bb = CITE_BUF_INIT;
            cite_out_strip(&nb, full.ptr, full.len);
            cite_out_strip(&rb, rest.ptr, rest.len);
            cite_out_strip(&bb, bare.ptr, bare.len);
            size_t keep = nb.len > rb.len ? nb.len - rb.len : 0;
            /* the names without the delimiter that followed them: "Smith " of "Smith
             * 1900" is the "Smith" of an undated cite */
            while (keep > 0 && (nb.ptr[keep - 1] == ' ' || nb.ptr[keep - 1] == ','))
                keep--;
            char *names = cite_strndup(nb.ptr, keep);
            /* cites that print no names at all count as the same names too */
            bool same_names = i > 0 && prev_names && names && strcmp(prev_names, names) == 0 &&
                              (keep == 0 || rest.len < full.len);
            if (same_names && collapse_sfx && ys && ps[i - 1].sfx && prev_rest &&
                strcmp(prev_rest, bb.ptr) == 0) {
                char letters[16];
                year_suffix_text(letters, sizeof(letters), ys);
                cite_buf_puts(&one, letters);
                pc->sfx_only = true;
                collapsed = true;
            } else if (same_names) {
                cite_buf_put(&one, rest.ptr, rest.len);
                collapsed = true;
            } else {
                cite_buf_put(&one, full.ptr, full.len);
            }
            pc->sfx = ys;
            cite_free(prev_names);
            cite_free(prev_rest);
            prev_names = names;
            prev_rest = cite_strdup(bb.ptr);
            cite_buf_dispose(&nb);
            cite_buf_dispose(&rb);
            cite_buf_dispose(&bb);
            cite_buf_dispose(&full);
            cite_buf_dispose(&rest);
            cite_buf_dispose(&bare);
        } else {
            render_item(f, it, true, cs[i].ci, cs[i].position, cs[i].ci->suppress_author, &one);
            cite_free(prev_rest);
            prev_rest = NULL;
            /* cite grouping without collapsing: cites of the same names are joined by
             * cite-group-delimiter ("Aalto 2000, Aalto 2001") */
            char *names = c->cite_group_delimiter && !collapse_year ? cite_names(f, &cs[i]) : NULL;
            if (names && prev_names && strcmp(names, prev_names) == 0)
                grouped_plain = true;
            cite_free(prev_names);
            prev_names = names;
        }
        if (one.len == 0 && !collapsed && !cs[i].ci->suppress_author && !cs[i].ci->prefix &&
            !cs[i].ci->suffix)
            cite_buf_puts(&one, NO_PRINTED_FORM); /* as citeproc-js prints an empty cite */
        if (cs[i].ci->prefix)
            cite_out_put_text(&pc->text, cs[i].ci->prefix, strlen(cs[i].ci->prefix));
        put_joined(&pc->text, one.ptr, one.len);
        if (cs[i].ci->suffix) {
            cite_buf sfx = CITE_BUF_INIT;
            cite_out_put_text(&sfx, cs[i].ci->suffix, strlen(cs[i].ci->suffix));
            put_joined(&pc->text, sfx.ptr, sfx.len);
            cite_buf_dispose(&sfx);
        }
        pc->delim = pc->sfx_only ? ysd : collapsed || grouped_plain ? group_delim : delim;
        /* the cite after a collapsed group takes after-collapse-delimiter, and so does a
         * collapsed cite after one with a locator ("Wong 1999, 328; 2000, 475") */
        if (collapse_year && i > 0 &&
            (collapsed ? cs[i - 1].ci->locator != NULL : ps[i - 1].grouped))
            pc->delim = after_delim;
        pc->grouped = collapsed;
        if (c->collapse == CSL_COLLAPSE_CITATION_NUMBER) {
            cite_buf plain = CITE_BUF_INIT;
            char num[32];
            cite_out_strip(&plain, one.ptr, one.len);
            snprintf(num, sizeof(num), "%d", it->cnum);
            /* the number alone, perhaps in brackets: "[3]" */
            size_t d = 0;
            bool other = false;
            for (size_t k = 0; k < plain.len; k++) {
                char ch = plain.ptr[k];
                if (isdigit((unsigned char)ch))
                    num[d] == ch ? (void)d++ : (void)(other = true);
                else if (isalnum((unsigned char)ch) || (unsigned char)ch >= 0x80 || ch == ' ')
                    other = true;
            }
            if (!other && d == strlen(num))
                pc->num = it->cnum;
            cite_buf_dispose(&plain);
        }
        cite_buf_dispose(&one);
    }
    f->lead_term = false;
    cite_free(prev_names);
    cite_free(prev_rest);
    if (c->collapse == CSL_COLLAPSE_CITATION_NUMBER) {
        /* "1, 2, 3, 5" -> "1–3, 5" (CSL 1.0.2: ranges of three or more) */
        for (size_t i = 0; i < n;) {
            size_t j = i + 1;
            while (ps[i].num && j < n && ps[j].num && ps[j].num == ps[j - 1].num + 1)
                j++;
            if (j - i >= 3) {
                for (size_t k = i + 1; k + 1 < j; k++)
                    cite_buf_clear(&ps[k].text);
                ps[j - 1].delim = "\xe2\x80\x93";
            }
            if (i > 0 && ps[i].num && ps[i - 1].num && c->after_collapse_delimiter)
                ps[i].delim = c->after_collapse_delimiter;
            i = j;
        }
    }
    if (c->collapse == CSL_COLLAPSE_YEAR_SUFFIX_RANGED) {
        /* runs of three or more consecutive suffixes: first–last */
        for (size_t i = 0; i < n;) {
            size_t j = i + 1;
            while (j < n && ps[j].sfx_only && ps[j].sfx == ps[j - 1].sfx + 1)
                j++;
            if (j - i >= 3) {
                for (size_t k = i + 1; k + 1 < j; k++)
                    cite_buf_clear(&ps[k].text);
                ps[j - 1].delim = "\xe2\x80\x93";
            }
            i = j;
        }
    }
    cite_buf all = CITE_BUF_INIT;
    const cite_cite_item *prev_ci = NULL;
    for (size_t i = 0; i < n; i++) {
        if (ps[i].text.len) {
            const char *d = ps[i].delim;
            /* a cite's own affixes may punctuate the join themselves (citeproc-js): a
             * prefix that starts with punctuation (", and ") takes the delimiter's place, a
             * suffix that ends with it (" is one source,") keeps only its space */
            const char *pre = cs[i].ci->prefix, *suf = prev_ci ? prev_ci->suffix : NULL;
            size_t sl = suf ? strlen(suf) : 0;
            if (d && pre && is_punct(pre[0]))
                d = NULL;
            else if (d && sl && is_punct(suf[sl - 1]))
                while (is_punct(*d))
                    d++;
            if (all.len && d)
                put_joined_str(&all, d);
            put_joined(&all, ps[i].text.ptr, ps[i].text.len);
            prev_ci = cs[i].ci;
        }
        if (cite_buf_oom(&ps[i].text))
            all.oom = true;
        cite_buf_dispose(&ps[i].text);
    }
    cite_free(ps);
    /* citation-number ranges: "1, 2, 3" -> "1–3" */
    cite_buf body = CITE_BUF_INIT;
    if (all.len && c->layout) {
        /* the layout's affixes go inside its formatting, as citeproc-js writes them */
        run r = { .f = f, .s = f->style, .citation = true, .ctx = c };
        csl_fmt affixes = { .prefix = c->layout->fmt.prefix, .suffix = c->layout->fmt.suffix };
        csl_fmt rest = c->layout->fmt;
        rest.prefix = rest.suffix = NULL;
        cite_buf inner = CITE_BUF_INIT;
        wrap(&r, &affixes, &all, &inner);
        wrap(&r, &rest, &inner, &body);
        cite_buf_dispose(&inner);
    }
    cite_buf res = CITE_BUF_INIT;
    finish(f, &res, &body, format);
    if (cite_buf_oom(&all) || cite_buf_oom(&body) || f->oom)
        res.oom = true;
    cite_buf_dispose(&all);
    cite_buf_dispose(&body);
    for (size_t i = 0; i < n; i++)
        free_keys(cs[i].keys, c->nkeys);
    cite_free(cs);
    *out = cite_buf_detach(&res);
    return *out ? 0 : CITE_ENOMEM;
}
