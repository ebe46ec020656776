/* check.c: cite check: the document's reference list (or a library), the citations of its body,
 * the links between them, and what a writer must be told: unresolved, near-miss, ambiguous,
 * uncited, and the style slips of APA and Harvard. */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "citelink.h"
#include "citescan.h"
#include "docread.h"
#include "lineindex.h"
#include "parsedoc.h"
#include "record.h"

struct cite_check {
    const char *file;
    cite_scan *scan;   /* the strings of the citations: the scan's, and those made here in its
                          arena (its items are released once the citations are built) */
    cite_library *own; /* the document's parsed list, or NULL */
    const cite_library *lib;
    cite_loc *ref_locs;
    unsigned *cited;
    char **labels, **years; /* per entry */
    cite_citation *cits;
    size_t ncits;
    size_t *cands; /* the items' candidates, in item order, one after another (most have none) */
    size_t ncands, capcands;
    cite_finding *findings;
    size_t nfindings, capfindings;
    cite_rules rules;
    const cite_document *document; /* borrowed, for places in messages; NULL */
    size_t list_start, list_end;   /* the document's entries; equal when it has none */
};

/* What the check keeps of an item's link while it builds the citations: a cite_link without
 * its room for candidates (most items have none), which go to ck->cands in item order. A
 * fifth of cite_link's size: one is kept for every item of the document. */
typedef struct item_link {
    const char *why;  /* as cite_link's */
    const char *name; /* the group name an abbreviation stands for, or NULL */
    size_t ref;       /* as cite_link's */
    uint8_t status;   /* cite_link_status */
    uint8_t ncands;   /* at most CITE_LINK_MAX_CANDIDATES */
} item_link;

/* The state of one run: what the check is built from. */
typedef struct run {
    cite_check *ck;
    const char *text;
    size_t len;
    const cite_lineindex *lines; /* own_lines, or the document's when text is its text */
    cite_lineindex own_lines;
    cite_scan *scan;
    cite_linker *linker;
    item_link *links;           /* per scan item */
    const cite_field **authors; /* per entry: its author names, or NULL */
    cite_buf buf;
    int err;
} run;

/* ---- findings ---------------------------------------------------------------------------- */

static void add_finding(run *r, cite_severity sev, const char *flag, cite_loc at, const char *msg)
{
    cite_check *ck = r->ck;
    char *copy = cite_strdup(msg);
    if (!copy || cite_grow_array((void **)&ck->findings, &ck->capfindings, ck->nfindings + 1,
                                 sizeof *ck->findings)) {
        cite_free(copy);
        r->err = CITE_ENOMEM;
        return;
    }
    ck->findings[ck->nfindings++] = (cite_finding){ sev, flag, at, copy };
}

/* Document order; entries of a library file (line 0) after the document's. */
static int compare_findings(const void *a, const void *b)
{
    const cite_finding *x = a, *y = b;
    bool xd = x->at.line != 0, yd = y->at.line != 0;
    if (xd != yd)
        return xd ? -1 : 1;
    if (x->at.offset != y->at.offset)
        return x->at.offset < y->at.offset ? -1 : 1;
    return strcmp(x->flag, y->flag);
}

/* ---- the reference list ---------------------------------------------------------------- */

/* The document's own list, and the range of text it covers (not scanned for citations). */
static int read_document_list(run *r, cite_diag *diag, cite_scan_skip *skip)
{
    cite_reflist *list = NULL;
    int err = cite_reflist_find_indexed(&list, r->text, r->len, r->lines, diag);
    if (err < 0)
        return err;
    if (!list->heading_line && !r->ck->lib) {
        cite_diag_report(diag, CITE_SEV_ERROR, (cite_loc){ .file = r->ck->file },
                         "no reference list found (no heading such as References or Sources); "
                         "give one with --bib");
        cite_reflist_free(list);
        return CITE_EPARSE;
    }
    if (list->heading_line) {
        skip->start = r->lines->starts[list->heading_line - 1];
        skip->end = list->end;
    }
    if (!r->ck->lib) {
        err = cite_parse_list(&r->ck->own, list, r->lines, r->ck->file, diag);
        r->ck->lib = r->ck->own;
        if (err == 0 && !(r->ck->ref_locs = cite_calloc(list->count + 1, sizeof(cite_loc))))
            err = CITE_ENOMEM;
        for (size_t i = 0; err == 0 && i < list->count; i++)
            r->ck->ref_locs[i] = cite_lineindex_loc(r->lines, r->ck->file, list->items[i].offset);
        if (list->count) { /* from the first entry's line (its marker) to the last one's end */
            size_t end = list->end, last = list->items[list->count - 1].offset;
            while (end > last && (unsigned char)r->text[end - 1] <= ' ')
                end--;
            r->ck->list_start = r->lines->starts[list->items[0].line - 1];
            r->ck->list_end = end;
        }
    }
    cite_reflist_free(list);
    return err;
}

static int describe_references(run *r)
{
    cite_check *ck = r->ck;
    size_t n = ck->lib->count;
    ck->cited = cite_calloc(n + 1, sizeof *ck->cited);
    ck->labels = cite_calloc(n + 1, sizeof *ck->labels);
    ck->years = cite_calloc(n + 1, sizeof *ck->years);
    if (!ck->ref_locs)
        ck->ref_locs = cite_calloc(n + 1, sizeof *ck->ref_locs);
    if (!ck->cited || !ck->labels || !ck->years || !ck->ref_locs)
        return CITE_ENOMEM;
    if (!(r->authors = cite_calloc(n + 1, sizeof *r->authors)))
        return CITE_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        const cite_field *names = cite_record_field(ck->lib->records[i], "author");
        r->authors[i] = names && names->kind == CITE_VAR_NAMES ? names : NULL;
        cite_buf b = CITE_BUF_INIT;
        cite_linker_describe(r->linker, i, &b);
        ck->labels[i] = cite_buf_detach(&b);
        cite_linker_year(r->linker, i, &b);
        ck->years[i] = b.len ? cite_buf_detach(&b) : cite_strdup("");
        cite_buf_dispose(&b);
        if (!ck->labels[i] || !ck->years[i])
            return CITE_ENOMEM;
    }
    return 0;
}

/* ---- linking ------------------------------------------------------------------------------ */

/* An array of n elements left as malloc gives it: for the per-citation arrays, which are written
 * whole anyway, clearing them first would be one more pass over megabytes. NULL on OOM. */
static void *uncleared_array(size_t n, size_t size)
{
    return size && n > SIZE_MAX / size ? NULL : cite_malloc(n * size);
}

static bool all_caps(const char *s)
{
    size_t n = 0;
    for (; *s; s++, n++)
        if (*s < 'A' || *s > 'Z')
            return false;
    return n >= 2 && n <= 12;
}

/* An abbreviation some item defines ("WHO") and that item. */
typedef struct defined_abbr {
    const char *abbr;
    size_t item;
} defined_abbr;

static int compare_abbrs(const void *a, const void *b)
{
    const defined_abbr *x = a, *y = b;
    int c = strcmp(x->abbr, y->abbr);
    return c ? c : x->item < y->item ? -1 : x->item > y->item;
}

/* The group name abbr stands for: the first author of the first item that defines it, or
 * NULL. defs is sorted by abbreviation, then by item. */
static const char *expand_abbr(const run *r, const defined_abbr *defs, size_t n, const char *abbr)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(defs[mid].abbr, abbr) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && !strcmp(defs[lo].abbr, abbr) ? r->scan->items[defs[lo].item].authors[0] : NULL;
}

/* Keeps item i's link l (name as link_all found it): its candidates at the end of ck->cands. */
static int keep_link(run *r, size_t i, const cite_link *l, const char *name)
{
    cite_check *ck = r->ck;
    if (l->ncands) {
        if (cite_grow_array((void **)&ck->cands, &ck->capcands, ck->ncands + l->ncands,
                            sizeof *ck->cands))
            return CITE_ENOMEM;
        memcpy(ck->cands + ck->ncands, l->cands, l->ncands * sizeof *ck->cands);
        ck->ncands += l->ncands;
    }
    r->links[i] = (item_link){ .why = l->why,
                               .name = name,
                               .ref = l->ref,
                               .status = (uint8_t)l->status,
                               .ncands = (uint8_t)l->ncands };
    return 0;
}

/* Links every item. An abbreviation defined by "(World Health Organization [WHO], 2020)" or
 * "The World Health Organization (WHO, 2020)" stands for its group name from then on. */
static int link_all(run *r)
{
    size_t n = r->scan->count, ndefs = 0;
    r->links = uncleared_array(n + 1, sizeof *r->links); /* each is set by its link */
    for (size_t i = 0; i < n; i++)
        ndefs += r->scan->items[i].abbr && r->scan->items[i].nauthors;
    defined_abbr *defs = cite_calloc(ndefs + 1, sizeof *defs);
    /* never NULL, so that an item's candidates are always ck->cands plus an offset */
    int grown = cite_grow_array((void **)&r->ck->cands, &r->ck->capcands, 1, sizeof(size_t));
    if (!r->links || !defs || grown < 0) {
        cite_free(defs);
        return CITE_ENOMEM;
    }
    ndefs = 0;
    for (size_t i = 0; i < n; i++)
        if (r->scan->items[i].abbr && r->scan->items[i].nauthors)
            defs[ndefs++] = (defined_abbr){ r->scan->items[i].abbr, i };
    if (ndefs)
        qsort(defs, ndefs, sizeof *defs, compare_abbrs);
    int err = 0;
    for (size_t i = 0; i < n && !err; i++) {
        const cite_scan_item *it = &r->scan->items[i];
        const char *name = it->nauthors == 1 && all_caps(it->authors[0])
                               ? expand_abbr(r, defs, ndefs, it->authors[0])
                               : NULL;
        cite_link l;
        if (cite_linker_link(r->linker, it, name, &l) < 0) {
            err = CITE_ENOMEM;
            break;
        }
        size_t ref;
        if (l.status == CITE_LINK_UNRESOLVED && it->nauthors == 1 && all_caps(it->authors[0]) &&
            cite_linker_acronym(r->linker, it->authors[0], &ref)) {
            l = (cite_link){ CITE_LINK_NEAR_MISS, "abbreviation-not-defined", ref, { ref }, 1 };
        }
        err = keep_link(r, i, &l, name);
    }
    cite_free(defs);
    return err;
}

/* Low-confidence items ("(Windows 2000)", "[Levine, 2025]", "Barkhane (2014-2022)") count only
 * when they link to something, unless the document writes "(Levine 2025)" without a comma as
 * its house style (then an unresolved one is a real slip). */
static bool keep_item(const run *r, size_t i, bool no_comma_style)
{
    const cite_scan_item *it = &r->scan->items[i];
    const item_link *l = &r->links[i];
    if (l->status == CITE_LINK_NOT_CHECKED)
        return false;
    if (it->numeric)
        return l->status == CITE_LINK_RESOLVED || r->ck->lib->count == 0 ||
               cite_record_get_text(r->ck->lib->records[0], "citation-number");
    if (!it->weak || l->status != CITE_LINK_UNRESOLVED)
        return true;
    bool plain_no_comma = (it->facts & CITE_SCAN_NO_COMMA) && !it->narrative;
    return plain_no_comma && no_comma_style;
}

/* Does the document write "(Levine 2025)" as its house style? When most of its resolved
 * parenthetical citations have no comma before the year (and at least two do). */
static bool uses_no_comma(const run *r)
{
    unsigned no_comma = 0, comma = 0;
    for (size_t i = 0; i < r->scan->count; i++) {
        const cite_scan_item *it = &r->scan->items[i];
        if (it->narrative || it->numeric || r->links[i].status != CITE_LINK_RESOLVED)
            continue;
        if (it->facts & CITE_SCAN_NO_COMMA)
            no_comma++;
        else
            comma++;
    }
    return no_comma >= 2 && no_comma > comma;
}

static cite_rules detect_rules(const run *r, cite_rules asked)
{
    if (asked != CITE_RULES_AUTO)
        return asked;
    unsigned amp = 0, and = 0;
    for (size_t i = 0; i < r->scan->count; i++) {
        const cite_scan_item *it = &r->scan->items[i];
        if (it->narrative || it->weak)
            continue;
        amp += (it->facts & CITE_SCAN_AMP) != 0;
        and += (it->facts & CITE_SCAN_AND) != 0;
    }
    return amp > and? CITE_RULES_APA : CITE_RULES_HARVARD;
}

/* ---- citations and their messages ---------------------------------------------------------- */

/* "line 12" of the text, or where that is in the document it was read from: "line 40" of an
 * HTML file, "paragraph 12" or "footnote 3, paragraph 1" of a Word file. */
static void name_place(cite_buf *b, const cite_check *ck, cite_loc at)
{
    if (!ck->document) {
        cite_buf_printf(b, "line %u", at.line);
        return;
    }
    cite_doc_place p = cite_document_locate(ck->document, at.line, at.col);
    if (p.footnote || p.endnote)
        cite_buf_printf(b, "%s %u, ", p.footnote ? "footnote" : "endnote",
                        p.footnote ? p.footnote : p.endnote);
    if (p.paragraph)
        cite_buf_printf(b, "paragraph %u", p.paragraph);
    else
        cite_buf_printf(b, "line %u", p.line);
}

static void quote_citation(cite_buf *b, const cite_scan_item *it)
{
    cite_buf_putc(b, '\'');
    if (it->numeric)
        cite_buf_printf(b, "[%s]", it->text);
    else if (it->narrative)
        cite_buf_puts(b, it->text);
    else
        cite_buf_printf(b, "(%s)", it->text);
    cite_buf_putc(b, '\'');
}

static const char *why_words(const char *why)
{
    static const struct {
        const char *why, *words;
    } table[] = {
        { "year", "the year differs" },
        { "spelling", "the name is spelt differently" },
        { "particle-dropped", "a particle of the name is missing" },
        { "group-name", "the group name is shortened" },
        { "suffix-missing", "the year has no letter" },
        { "suffix-extra", "the list has no letter after that year" },
        { "suffix-not-in-list", "the list has no such letter" },
        { "abbreviation-not-defined", "the abbreviation is never defined" },
        { "authors-missing", "the work has more authors" },
        { "author-missing", "an author is missing" },
        { "author-extra", "the work has fewer authors" },
        { "transliteration", "the name is transliterated" },
        { "diacritics", "the accents differ" },
        { "et-al-for-2-authors", "'et al.' for a work with fewer than three authors" },
    };
    for (size_t i = 0; i < CITE_ARRAY_LEN(table); i++)
        if (!strcmp(table[i].why, why))
            return table[i].words;
    return why;
}

/* Do all the candidates read alike ("Lebovich (2021)" twice)? Then only year letters can
 * tell them apart. */
static bool same_labels(const cite_check *ck, const item_link *l, const size_t *cands)
{
    for (size_t k = 1; k < l->ncands; k++)
        if (strcmp(ck->labels[cands[k]], ck->labels[cands[0]]))
            return false;
    return l->ncands > 1;
}

/* The message of item i's link (at `at`; its candidates are cands); its finding, if any. */
static void describe_link(run *r, size_t i, const size_t *cands, cite_loc at, cite_buf *msg)
{
    const cite_scan_item *it = &r->scan->items[i];
    const item_link *l = &r->links[i];
    cite_check *ck = r->ck;
    cite_buf_clear(msg);
    switch (l->status) {
    case CITE_LINK_UNRESOLVED:
        cite_buf_puts(msg, "citation ");
        quote_citation(msg, it);
        cite_buf_puts(msg, " matches no reference");
        add_finding(r, CITE_SEV_ERROR, "unresolved", at, msg->ptr);
        break;
    case CITE_LINK_NEAR_MISS:
        quote_citation(msg, it);
        cite_buf_printf(msg, " matches no reference; did you mean '%s'", ck->labels[l->ref]);
        for (size_t k = 0; k < l->ncands; k++)
            if (cands[k] != l->ref)
                cite_buf_printf(msg, " or '%s'", ck->labels[cands[k]]);
        cite_buf_printf(msg, "? (%s)", why_words(l->why));
        add_finding(r, CITE_SEV_WARNING, "near-miss", at, msg->ptr);
        break;
    case CITE_LINK_AMBIGUOUS:
        cite_buf_puts(msg, "citation ");
        quote_citation(msg, it);
        cite_buf_puts(msg, " is ambiguous: it matches");
        for (size_t k = 0; k < l->ncands; k++) {
            cite_buf_printf(msg, "%s '%s' (", k ? k + 1 == l->ncands ? " and" : "," : "",
                            ck->labels[cands[k]]);
            name_place(msg, ck, ck->ref_locs[cands[k]]);
            cite_buf_putc(msg, ')');
        }
        if (!strcmp(l->why, "suffix-missing"))
            cite_buf_puts(msg, "; add the year's letter");
        else if (same_labels(ck, l, cands))
            cite_buf_printf(msg, "; tell them apart with year letters (%sa, %sb)",
                            ck->years[cands[0]], ck->years[cands[0]]);
        add_finding(r, CITE_SEV_ERROR, "ambiguous", at, msg->ptr);
        break;
    case CITE_LINK_RESOLVED:
        if (*l->why) {
            quote_citation(msg, it);
            cite_buf_printf(msg, " resolves to '%s', but %s", ck->labels[l->ref],
                            why_words(l->why));
            add_finding(r, CITE_SEV_WARNING, l->why, at, msg->ptr);
        }
        break;
    case CITE_LINK_NOT_CHECKED:
        break;
    }
}

/* Style warnings: what the rules of the document's style say about how it is written. */
static void style_findings(run *r, size_t i, cite_loc at)
{
    const cite_scan_item *it = &r->scan->items[i];
    const item_link *l = &r->links[i];
    bool apa = r->ck->rules == CITE_RULES_APA;
    const cite_field *names = l->status == CITE_LINK_RESOLVED ? r->authors[l->ref] : NULL;
    size_t ref_authors = names ? names->nnames : 0;
    struct {
        bool when;
        const char *flag, *text;
    } rules[] = {
        { apa && (it->facts & CITE_SCAN_AND) && !it->narrative, "apa:and-in-parenthetical",
          "APA joins authors with '&' inside parentheses" },
        { apa && (it->facts & CITE_SCAN_AMP) && it->narrative, "apa:amp-in-narrative",
          "APA joins authors with 'and' in running text" },
        { apa && it->nauthors >= 3 && !it->etal && ref_authors >= 3, "apa7:use-et-al-3plus",
          "APA 7 cites three or more authors as the first author and 'et al.'" },
        { apa && (it->facts & CITE_SCAN_ORDER), "apa:order-alphabetical",
          "APA orders the works of one parenthesis alphabetically" },
        { apa && (it->facts & CITE_SCAN_NO_COMMA), "apa:comma-missing",
          "APA puts a comma between author and year" },
        { !apa && it->etal && ref_authors == 3 && !names->names[2].others,
          "harvard:list-all-3-authors", "Harvard (Cite Them Right) names all three authors" },
        { (it->facts & CITE_SCAN_ETAL_PUNCT) != 0, "etal-punctuation", "write 'et al.'" },
        { (it->facts & CITE_SCAN_SEP_COMMA) != 0, "separator-comma",
          "separate cited works with ';', not ','" },
        { (it->facts & CITE_SCAN_SEP_AND) != 0, "separator-and",
          "separate cited works with ';', not 'and'" },
        { (it->facts & CITE_SCAN_DUPLICATE) != 0, "duplicate-in-group",
          "the same work is cited twice in one parenthesis" },
        { (it->facts & CITE_SCAN_LOC_COMMA) != 0, "comma-missing",
          "put a comma between the year and the page" },
    };
    for (size_t k = 0; k < CITE_ARRAY_LEN(rules); k++) {
        if (!rules[k].when)
            continue;
        cite_buf_clear(&r->buf);
        quote_citation(&r->buf, it);
        cite_buf_printf(&r->buf, ": %s", rules[k].text);
        add_finding(r, CITE_SEV_WARNING, rules[k].flag, at, r->buf.ptr);
    }
}

/* A copy of s[0, n) in the scan's arena, which the check keeps for the citations' strings;
 * NULL on OOM. */
static char *keep_string(run *r, const char *s, size_t n)
{
    char *copy = n < SIZE_MAX ? cite_scan_alloc(r->scan, n + 1, 1) : NULL;
    if (copy) {
        memcpy(copy, s, n);
        copy[n] = '\0';
    }
    return copy;
}

/* The year as published: "2025a", "n.d.-a", "in press"; "" when numeric. NULL on OOM. */
static const char *year_of(run *r, const cite_scan_item *it)
{
    if (!it->suffix[0])
        return it->date ? it->date : "";
    bool dash = it->date[0] == 'n' || it->date[0] == 'i' || it->date[0] == 'f';
    size_t n = strlen(it->date), ns = strlen(it->suffix); /* the suffix is under 4 bytes */
    char *year = n < SIZE_MAX - 8 ? cite_scan_alloc(r->scan, n + dash + ns + 1, 1) : NULL;
    if (year) {
        memcpy(year, it->date, n);
        memcpy(year + n, "-", dash);
        memcpy(year + n + dash, it->suffix, ns + 1);
    }
    return year;
}

/* The published citation of item i at `at` (its candidates are cands, its message r->buf):
 * borrowing the item's strings, with those made for it kept in the scan's arena. */
static int add_citation(run *r, size_t i, const size_t *cands, cite_loc at, cite_citation *c)
{
    const cite_scan_item *it = &r->scan->items[i];
    const item_link *l = &r->links[i];
    const char *year = year_of(r, it);
    const char *message = r->buf.len ? keep_string(r, r->buf.ptr, r->buf.len) : "";
    const char *const *authors = (const char *const *)it->authors;
    if (l->name) { /* an abbreviation's group name replaces the first author */
        const char **names =
            cite_scan_alloc(r->scan, it->nauthors * sizeof *names, _Alignof(const char *));
        if (!names)
            return CITE_ENOMEM;
        for (size_t k = 0; k < it->nauthors; k++)
            names[k] = k == 0 ? l->name : it->authors[k];
        authors = names;
    }
    if (!year || !message)
        return CITE_ENOMEM;
    *c = (cite_citation){
        .at = at,
        .text = it->text,
        .authors = authors,
        .nauthors = it->nauthors,
        .year = year,
        .prefix = it->prefix ? it->prefix : "",
        .locator = it->locator ? it->locator : "",
        .narrative = it->narrative,
        .numeric = it->numeric,
        .number = it->number,
        .status = (cite_link_status)l->status,
        .why = l->why,
        .reference = l->ref,
        .candidates = cands,
        .ncandidates = l->ncands,
        .message = message,
        .group = it->group,
        .open = it->open,
        .close = it->close,
    };
    return 0;
}

/* Counting an item's column reads the text before it, which the scan left long ago: asking for
 * it a few items ahead lets the reads overlap instead of waiting for memory one by one. */
enum { PREFETCH_AHEAD = 8 };

static void prefetch_text(const run *r, size_t i)
{
    if (i >= r->scan->count)
        return;
    size_t at = r->scan->items[i].anchor;
    for (size_t back = 0; back <= 128 && back <= at; back += 64)
        __builtin_prefetch(r->text + at - back);
}

static int build_citations(run *r)
{
    cite_check *ck = r->ck;
    bool no_comma_style = uses_no_comma(r);
    ck->rules = detect_rules(r, ck->rules);
    ck->cits = uncleared_array(r->scan->count + 1, sizeof *ck->cits); /* set as they are added */
    if (!ck->cits)
        return CITE_ENOMEM;
    cite_loc cursor = { 0 };         /* the items come in text order: columns counted on */
    const size_t *cands = ck->cands; /* item i's candidates, the items' being in item order */
    for (size_t i = 0; i < r->scan->count && !r->err; cands += r->links[i++].ncands) {
        prefetch_text(r, i + PREFETCH_AHEAD);
        if (!keep_item(r, i, no_comma_style))
            continue;
        cite_loc at =
            cite_lineindex_loc_from(r->lines, ck->file, r->scan->items[i].anchor, &cursor);
        describe_link(r, i, cands, at, &r->buf);
        if (r->buf.oom || add_citation(r, i, cands, at, &ck->cits[ck->ncits]) < 0)
            return CITE_ENOMEM;
        ck->ncits++;
        /* A near miss names the entry its writer meant (cited, though misspelt); an ambiguous
         * citation cites one of its candidates. Neither is "never cited". */
        const item_link *l = &r->links[i];
        if (l->status == CITE_LINK_RESOLVED || l->status == CITE_LINK_NEAR_MISS)
            ck->cited[l->ref]++;
        else if (l->status == CITE_LINK_AMBIGUOUS)
            for (size_t k = 0; k < l->ncands; k++)
                ck->cited[cands[k]]++;
        style_findings(r, i, at);
    }
    return r->err;
}

static void uncited_findings(run *r)
{
    cite_check *ck = r->ck;
    for (size_t i = 0; i < ck->lib->count && !r->err; i++) {
        if (ck->cited[i])
            continue;
        cite_buf_clear(&r->buf);
        cite_buf_printf(&r->buf, "reference '%s' is never cited", ck->labels[i]);
        add_finding(r, CITE_SEV_WARNING, "uncited", ck->ref_locs[i], r->buf.ptr);
    }
}

/* The lines of the text: a document read whole has indexed its own text already (a pass over
 * it, and a word per line, not done twice). 0 or CITE_ENOMEM. */
static int index_lines(run *r, const cite_document *doc)
{
    if (doc && doc->text.ptr == r->text && doc->text.len == r->len && doc->text_lines.starts) {
        r->lines = &doc->text_lines;
        return 0;
    }
    r->lines = &r->own_lines;
    return cite_lineindex_init(&r->own_lines, r->text, r->len);
}

int cite_check_run(cite_check **out,
                   const char *text,
                   size_t len,
                   const char *file,
                   const cite_library *lib,
                   const cite_check_options *options,
                   cite_diag *diag)
{
    *out = NULL;
    cite_check *ck = cite_calloc(1, sizeof *ck);
    if (!ck)
        return CITE_ENOMEM;
    ck->file = file;
    ck->lib = lib;
    ck->rules = options ? options->rules : CITE_RULES_AUTO;
    ck->document = options ? options->document : NULL;
    run r = { .ck = ck, .text = text, .len = len, .buf = CITE_BUF_INIT };
    cite_scan_skip skip = { 0, 0 };
    int err = index_lines(&r, options ? options->document : NULL);
    if (err == 0)
        err = read_document_list(&r, diag, &skip);
    if (err == 0)
        err = cite_scan_text(&r.scan, text, len, &skip, skip.end > skip.start, file, diag);
    if (err == 0)
        err = cite_linker_new(&r.linker, ck->lib);
    if (err == 0)
        err = describe_references(&r);
    if (err == 0)
        err = link_all(&r);
    if (err == 0)
        err = build_citations(&r);
    if (err == 0) {
        uncited_findings(&r);
        err = r.err;
    }
    if (err == 0 && ck->nfindings) /* qsort(NULL, 0) is undefined */
        qsort(ck->findings, ck->nfindings, sizeof *ck->findings, compare_findings);
    cite_buf_dispose(&r.buf);
    cite_free(r.links);
    cite_free((void *)r.authors);
    cite_linker_free(r.linker);
    ck->scan = r.scan; /* the citations borrow its strings */
    if (err == 0)      /* and nothing else of it: its items are a third of what a check holds */
        cite_scan_release_items(ck->scan);
    cite_lineindex_dispose(&r.own_lines);
    if (err < 0) {
        cite_check_free(ck);
        return err;
    }
    *out = ck;
    return 0;
}

static void free_strings(char **list, size_t n)
{
    for (size_t i = 0; list && i < n; i++)
        cite_free(list[i]);
    cite_free(list);
}

void cite_check_free(cite_check *ck)
{
    if (!ck)
        return;
    for (size_t i = 0; i < ck->nfindings; i++)
        cite_free((void *)ck->findings[i].message);
    size_t n = ck->lib ? ck->lib->count : 0;
    free_strings(ck->labels, ck->labels ? n : 0);
    free_strings(ck->years, ck->years ? n : 0);
    cite_free(ck->cits);
    cite_free(ck->cands);
    cite_free(ck->findings);
    cite_free(ck->ref_locs);
    cite_free(ck->cited);
    cite_library_free(ck->own);
    cite_scan_free(ck->scan);
    cite_free(ck);
}

size_t cite_check_citation_count(const cite_check *ck)
{
    return ck->ncits;
}
const cite_citation *cite_check_get_citation(const cite_check *ck, size_t i)
{
    return i < ck->ncits ? &ck->cits[i] : NULL;
}
size_t cite_check_finding_count(const cite_check *ck)
{
    return ck->nfindings;
}
const cite_finding *cite_check_get_finding(const cite_check *ck, size_t i)
{
    return i < ck->nfindings ? &ck->findings[i] : NULL;
}
const cite_library *cite_check_get_library(const cite_check *ck)
{
    return ck->lib;
}
cite_loc cite_check_reference_loc(const cite_check *ck, size_t i)
{
    return ck->ref_locs[i];
}
unsigned cite_check_times_cited(const cite_check *ck, size_t i)
{
    return ck->cited[i];
}
const char *cite_check_reference_label(const cite_check *ck, size_t i)
{
    return ck->labels[i];
}
const char *cite_check_reference_year(const cite_check *ck, size_t i)
{
    return ck->years[i];
}
bool cite_check_reference_span(const cite_check *ck, size_t *start, size_t *end)
{
    *start = ck->list_start;
    *end = ck->list_end;
    return ck->list_end > ck->list_start;
}
cite_rules cite_check_get_rules(const cite_check *ck)
{
    return ck->rules;
}
