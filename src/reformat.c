/* reformat.c: cite reformat: a document's citations and reference list rewritten in another
 * CSL style, as a list of edits to its bytes (reformat.h).
 *
 * A bracket group of citations is rewritten when every work in it resolved and every word of
 * it is accounted for by the works' authors, years, prefixes and locators (plus "and" and "et
 * al."): then nothing the writer put there can be lost. Words of the writer's own in
 * ';'-separated segments of their own stay, and only the citations' segments are rewritten
 * ("(Figure 1A; White et al., 1976)"). A group with anything else ("emphasis added", "[WHO]",
 * "J. Smith", a work that did not resolve) is left as written and reported. Last, the output
 * is read back by cite check, and a group whose new form it would not find is put back. */
#include <ctype.h>
#include <string.h>
#include <strings.h>
#include <utf8proc.h>

#include "buf.h"
#include "csl.h"
#include "docread.h"
#include "record.h"
#include "reflist.h"
#include "reformat.h"

/* ---- the edit list ------------------------------------------------------------------------- */

bool cite_edits_overlap(const cite_edits *e, size_t start, size_t end)
{
    if (start >= e->max_end)
        return false;
    for (size_t i = 0; i < e->count; i++) {
        const cite_edit *x = &e->items[i];
        bool inside =
            start == end ? x->start < start && start < x->end : start < x->end && x->start < end;
        if (inside || (start == end && x->start == x->end && x->start == start))
            return true;
    }
    return false;
}

int cite_edits_add(
    cite_edits *e, size_t start, size_t end, const char *text, size_t len, size_t tag)
{
    if (start > end || cite_edits_overlap(e, start, end))
        return CITE_EINVALID;
    char *copy = cite_strndup(text, len);
    if (!copy || cite_grow_array((void **)&e->items, &e->cap, e->count + 1, sizeof *e->items)) {
        cite_free(copy);
        return CITE_ENOMEM;
    }
    e->items[e->count++] = (cite_edit){ start, end, copy, len, tag };
    if (end > e->max_end)
        e->max_end = end;
    return 0;
}

static int compare_edits(const void *a, const void *b)
{
    const cite_edit *x = a, *y = b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    return (x->end > y->end) - (x->end < y->end);
}

int cite_edits_apply(char **out, size_t *out_len, const char *src, size_t len, cite_edits *e)
{
    *out = NULL;
    *out_len = 0;
    if (e->count)
        qsort(e->items, e->count, sizeof *e->items, compare_edits);
    cite_buf b = CITE_BUF_INIT;
    size_t at = 0;
    for (size_t i = 0; i < e->count; i++) {
        const cite_edit *x = &e->items[i];
        if (x->start < at || x->end > len) {
            cite_buf_dispose(&b);
            return CITE_EINVALID;
        }
        cite_buf_put(&b, src + at, x->start - at);
        cite_buf_put(&b, x->text, x->len);
        at = x->end;
    }
    cite_buf_put(&b, src + at, len - at);
    if (cite_buf_oom(&b)) {
        cite_buf_dispose(&b);
        return CITE_ENOMEM;
    }
    *out_len = b.len;
    *out = cite_buf_detach(&b);
    return *out ? 0 : CITE_ENOMEM;
}

void cite_edits_remove(cite_edits *e, size_t tag)
{
    size_t k = 0;
    e->max_end = 0;
    for (size_t i = 0; i < e->count; i++) {
        if (e->items[i].tag == tag) {
            cite_free(e->items[i].text);
            continue;
        }
        e->items[k++] = e->items[i];
        if (e->items[i].end > e->max_end)
            e->max_end = e->items[i].end;
    }
    e->count = k;
}

void cite_edits_dispose(cite_edits *e)
{
    for (size_t i = 0; i < e->count; i++)
        cite_free(e->items[i].text);
    cite_free(e->items);
    *e = (cite_edits)CITE_EDITS_INIT;
}

/* ---- locators ------------------------------------------------------------------------------ */

const char *cite_locator_label(const char *locator, const char **value)
{
    /* Longest first where one label starts another ("pp." before "p."). The labels of APA 7
     * (8.13) and Cite Them Right, and CSL's locator types. */
    static const struct {
        const char *written, *type;
    } labels[] = {
        { "pages", "page" },
        { "page", "page" },
        { "pp.", "page" },
        { "pp", "page" },
        { "p.", "page" },
        { "p", "page" },
        { "chapters", "chapter" },
        { "chapter", "chapter" },
        { "chaps.", "chapter" },
        { "chap.", "chapter" },
        { "chs.", "chapter" },
        { "ch.", "chapter" },
        { "paragraphs", "paragraph" },
        { "paragraph", "paragraph" },
        { "paras.", "paragraph" },
        { "para.", "paragraph" },
        { "\xc2\xb6\xc2\xb6", "paragraph" },
        { "\xc2\xb6", "paragraph" },
        { "sections", "section" },
        { "section", "section" },
        { "secs.", "section" },
        { "sec.", "section" },
        { "\xc2\xa7\xc2\xa7", "section" },
        { "\xc2\xa7", "section" },
        { "figures", "figure" },
        { "figure", "figure" },
        { "figs.", "figure" },
        { "fig.", "figure" },
        { "tables", "table" },
        { "table", "table" },
        { "volumes", "volume" },
        { "volume", "volume" },
        { "vols.", "volume" },
        { "vol.", "volume" },
        { "lines", "line" },
        { "line", "line" },
        { "ll.", "line" },
        { "l.", "line" },
        { "notes", "note" },
        { "note", "note" },
        { "nn.", "note" },
        { "n.", "note" },
        { "verses", "verse" },
        { "verse", "verse" },
        { "vv.", "verse" },
        { "v.", "verse" },
        { "parts", "part" },
        { "part", "part" },
        { "pt.", "part" },
        { "columns", "column" },
        { "column", "column" },
        { "col.", "column" },
        { "folios", "folio" },
        { "folio", "folio" },
        { "fol.", "folio" },
        { "appendix", "appendix" },
        { "app.", "appendix" },
        { "equation", "equation" },
        { "eq.", "equation" },
        { "issue", "issue" },
        { "no.", "issue" },
        { "books", "book" },
        { "book", "book" },
        { "bk.", "book" },
        { "slide", "slide" },
    };
    const char *s = locator;
    while (*s == ' ')
        s++;
    if (*s >= '0' && *s <= '9') {
        *value = s;
        return "page";
    }
    for (size_t i = 0; i < CITE_ARRAY_LEN(labels); i++) {
        size_t n = strlen(labels[i].written);
        if (strncasecmp(s, labels[i].written, n) != 0)
            continue;
        const char *v = s + n;
        bool dot = labels[i].written[n - 1] == '.' || (unsigned char)labels[i].written[0] >= 0x80;
        if (!dot && *v != ' ' && !(*v >= '0' && *v <= '9'))
            continue; /* "pages" is not "p" + "ages" */
        while (*v == ' ' || !strncmp(v, "\xc2\xa0", 2))
            v += *v == ' ' ? 1 : 2;
        if (!*v || !(isdigit((unsigned char)*v) || strchr("ivxlcdmIVXLCDMA", *v)))
            continue;
        *value = v;
        return labels[i].type;
    }
    *value = NULL;
    return NULL;
}

/* ---- words: what a group holds --------------------------------------------------------------- */

typedef struct word {
    const char *p;
    size_t n;
    bool used;
} word;

typedef struct words {
    word *w;
    size_t count, cap;
    bool oom;
} words;

static bool is_word_char(const char *s, size_t n, size_t *len)
{
    utf8proc_int32_t cp;
    utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n, &cp);
    if (k <= 0) {
        *len = 1;
        return false;
    }
    *len = (size_t)k;
    utf8proc_category_t c = utf8proc_category(cp);
    return (c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_LO) ||
           (c >= UTF8PROC_CATEGORY_ND && c <= UTF8PROC_CATEGORY_NO) ||
           (c >= UTF8PROC_CATEGORY_MN && c <= UTF8PROC_CATEGORY_ME);
}

/* Appends to w each run of letters, digits and marks of s[0..n). */
static void split_words(words *w, const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && !w->oom) {
        size_t k, start = i;
        while (i < n && is_word_char(s + i, n - i, &k))
            i += k;
        if (i > start) {
            if (cite_grow_array((void **)&w->w, &w->cap, w->count + 1, sizeof *w->w))
                w->oom = true;
            else
                w->w[w->count++] = (word){ s + start, i - start, false };
            continue;
        }
        is_word_char(s + i, n - i, &k);
        i += k;
    }
}

/* Marks the words of s as accounted for, each against the first unused equal word. */
static void use_words(words *w, const char *s)
{
    words part = { 0 };
    split_words(&part, s, strlen(s));
    for (size_t i = 0; i < part.count; i++)
        for (size_t j = 0; j < w->count; j++)
            if (!w->w[j].used && w->w[j].n == part.w[i].n &&
                !memcmp(w->w[j].p, part.w[i].p, part.w[i].n)) {
                w->w[j].used = true;
                break;
            }
    w->oom |= part.oom;
    cite_free(part.w);
}

/* Are all words of s among the unused words of w (with multiplicity)? */
static bool has_words(const words *w, const char *s)
{
    words part = { 0 };
    split_words(&part, s, strlen(s));
    bool all = !part.oom;
    bool *taken = part.count ? cite_calloc(w->count + 1, sizeof(bool)) : NULL;
    for (size_t i = 0; all && i < part.count; i++) {
        bool found = false;
        for (size_t j = 0; j < w->count && !found && taken; j++)
            if (!taken[j] && w->w[j].n == part.w[i].n &&
                !memcmp(w->w[j].p, part.w[i].p, part.w[i].n))
                found = taken[j] = true;
        all = found;
    }
    cite_free(taken);
    cite_free(part.w);
    return all;
}

static bool word_is(const word *w, const char *s)
{
    return w->n == strlen(s) && !memcmp(w->p, s, w->n);
}

/* ---- one run ------------------------------------------------------------------------------- */

typedef struct reformat {
    const char *text;
    size_t len;
    const cite_check *ck;
    const cite_library *lib;
    cite_formatter *f;
    cite_output format;
    const char *and_word; /* the locale's "and" */
    cite_diag *diag;
    cite_edits edits;
    cite_reformat_stats stats;
    cite_buf buf;
    struct group *done; /* the groups rewritten: edit tag k + 1 is done[k] */
    size_t ndone, capdone;
    struct left *left; /* the groups left as written, reported at the end in text order */
    size_t nleft, capleft;
    /* HTML: the document whose text this is; the edits go to its source at the end */
    const cite_document *html;
    size_t list_src_start, list_src_end; /* the list's entries in the source */
    cite_buf list_plain;                 /* the new list as text, for verify */
    bool library_list; /* the check ran against a library (cite_reformat_options) */
} reformat;

/* A group of the check: citations [a, b) share one bracket group. */
typedef struct group {
    size_t a, b;
    size_t open, close;
    bool narrative, numeric, mixed;
    bool bare; /* "as described by Kessler and Baldwin, 2001": [open, close) is the whole of it */
    size_t anchor, phrase_end; /* a narrative citation's author phrase */
    size_t range_close;        /* "[18]–[20]": the end of the last bracket; else 0 */
    /* "(Figure 1A; White et al., 1976)": only the segments with the citations are rewritten,
     * [inner_start, inner_end), when the rest of the group is text of the writer's */
    size_t inner_start, inner_end;
} group;

typedef struct left {
    group g;
    const char *why;
    char *detail; /* owned; NULL */
} left;

/* The group's text as written, whitespace collapsed and cut at QUOTE_MAX bytes, for messages. */
static void quote_group(cite_buf *b, const reformat *rf, const group *g)
{
    enum { QUOTE_MAX = 120 };
    size_t from = g->narrative ? g->anchor : g->open, to = g->close, start = b->len;
    const char *s = rf->text;
    if (to <= g->open || from > to || to > rf->len) {
        s = cite_check_get_citation(rf->ck, g->a)->text;
        from = 0;
        to = strlen(s);
    }
    bool space = false;
    for (size_t i = from; i < to; i++) {
        char ch = s[i];
        if (ch == ' ' || ch == '\n' || ch == '\t' || ch == '\r') {
            space = true;
            continue;
        }
        if (b->len - start >= QUOTE_MAX && ((unsigned char)ch & 0xC0) != 0x80) {
            cite_buf_puts(b, "...");
            return;
        }
        if (space)
            cite_buf_putc(b, ' ');
        space = false;
        cite_buf_putc(b, ch);
    }
}

/* Counts a group left as written; one left with a warning is remembered for report_left. */
static int leave(reformat *rf, const group *g, bool warn, const char *why, const char *detail)
{
    size_t n = g->b - g->a;
    if (!warn) {
        rf->stats.groups_kept++;
        rf->stats.works_kept += n;
        return 0;
    }
    rf->stats.groups_left++;
    rf->stats.works_left += n;
    char *copy = detail ? cite_strdup(detail) : NULL;
    if ((detail && !copy) ||
        cite_grow_array((void **)&rf->left, &rf->capleft, rf->nleft + 1, sizeof *rf->left)) {
        cite_free(copy);
        return CITE_ENOMEM;
    }
    rf->left[rf->nleft++] = (left){ *g, why, copy };
    return 0;
}

static int compare_left(const void *a, const void *b)
{
    const left *x = a, *y = b;
    return (x->g.a > y->g.a) - (x->g.a < y->g.a);
}

/* The warnings of the groups left as written, in text order. */
static void report_left(reformat *rf)
{
    if (rf->nleft)
        qsort(rf->left, rf->nleft, sizeof *rf->left, compare_left);
    cite_buf msg = CITE_BUF_INIT;
    for (size_t i = 0; i < rf->nleft; i++) {
        const left *l = &rf->left[i];
        cite_buf_clear(&msg);
        cite_buf_puts(&msg, "citation left as written: '");
        quote_group(&msg, rf, &l->g);
        cite_buf_printf(&msg, "' %s", l->why);
        if (l->detail)
            cite_buf_printf(&msg, " '%s'", l->detail);
        const cite_citation *c = cite_check_get_citation(rf->ck, l->g.a);
        if (!cite_buf_oom(&msg))
            cite_diag_report(rf->diag, CITE_SEV_WARNING, c->at, "%s", msg.ptr);
    }
    cite_buf_dispose(&msg);
}

/* Where the author phrase of a narrative citation ends: before the blanks ahead of its bracket
 * and a possessive "'s" ("Levine's (2025)" keeps its "'s"). */
static size_t phrase_end(const reformat *rf, size_t anchor, size_t open)
{
    const char *s = rf->text;
    size_t e = open;
    while (e > anchor &&
           (s[e - 1] == ' ' || s[e - 1] == '\n' || s[e - 1] == '\t' || s[e - 1] == '\r'))
        e--;
    if (e >= anchor + 2 && s[e - 1] == 's' && s[e - 2] == '\'')
        e -= 2;
    else if (e >= anchor + 4 && s[e - 1] == 's' && !memcmp(s + e - 4, "\xe2\x80\x99", 3))
        e -= 4;
    else if (e >= anchor + 3 && !memcmp(s + e - 3, "\xe2\x80\x99", 3))
        e -= 3; /* "Jones’ (2020)" */
    else if (e >= anchor + 1 && s[e - 1] == '\'')
        e -= 1;
    return e;
}

/* The words that join authors: no citation names them, every style writes them anew. */
static bool joining_word(const word *x)
{
    return word_is(x, "and") || word_is(x, "et") || word_is(x, "al");
}

static bool is_space_byte(char c)
{
    return c == ' ' || c == '\n' || c == '\t' || c == '\r';
}

/* Can the ';'-separated segments of a parenthetical group that hold its citations be rewritten
 * alone ("(Figure 1A; White et al., 1976; Sym et al., 1999)", "(Lu et al., 1999; see
 * Methods)")? When they follow each other and every word no citation accounts for lies in the
 * other segments. Sets g->inner_start and inner_end. */
static bool citation_segments(const reformat *rf, group *g, const words *w)
{
    enum { MAX_SEGMENTS = 64 };
    size_t start[MAX_SEGMENTS], end[MAX_SEGMENTS], n = 0, depth = 0;
    bool cites[MAX_SEGMENTS] = { false };
    const char *s = rf->text;
    if (g->narrative || g->numeric || g->bare || g->close - g->open < 2 ||
        !strchr(")]", s[g->close - 1]))
        return false;
    start[n] = g->open + 1;
    for (size_t i = g->open + 1; i < g->close - 1; i++) {
        depth += s[i] == '(' || s[i] == '[';
        depth -= depth && (s[i] == ')' || s[i] == ']');
        if (s[i] == ';' && !depth) {
            if (n + 1 == MAX_SEGMENTS)
                return false;
            end[n++] = i;
            start[n] = i + 1;
        }
    }
    end[n++] = g->close - 1;
    for (size_t i = g->a; i < g->b; i++)
        for (size_t k = 0, at = cite_check_get_citation(rf->ck, i)->at.offset; k < n; k++)
            cites[k] |= start[k] <= at && at < end[k];
    size_t first = 0, last = n;
    while (first < n && !cites[first])
        first++;
    while (last > first && !cites[last - 1])
        last--;
    for (size_t k = first; k < last; k++)
        if (!cites[k])
            return false;
    for (size_t j = 0; j < w->count; j++) {
        const word *x = &w->w[j];
        size_t at = (size_t)(x->p - s);
        if (!x->used && !joining_word(x) && at >= start[first] && at < end[last - 1])
            return false;
    }
    if (first == 0 && last == n)
        return false;
    g->inner_start = start[first];
    g->inner_end = end[last - 1];
    while (g->inner_start < g->inner_end && is_space_byte(s[g->inner_start]))
        g->inner_start++;
    while (g->inner_end > g->inner_start && is_space_byte(s[g->inner_end - 1]))
        g->inner_end--;
    return g->inner_end > g->inner_start;
}

/* Why the group cannot be rewritten, or NULL. *kept: left by rule, not a problem. */
static const char *unplaceable(reformat *rf, group *g, bool *kept, cite_buf *detail, words *w)
{
    *kept = false;
    if (g->close <= g->open)
        return g->open && strchr("([", rf->text[g->open]) ? "has a bracket that never closes"
                                                          : "is not in brackets";
    if (g->mixed)
        return "joins a narrative citation and other works in one bracket";
    for (size_t i = g->a; i < g->b; i++) {
        const cite_citation *c = cite_check_get_citation(rf->ck, i);
        switch (c->status) {
        case CITE_LINK_RESOLVED:
            break;
        case CITE_LINK_NEAR_MISS:
            return "matches no reference exactly (near miss)";
        case CITE_LINK_AMBIGUOUS:
            return "is ambiguous";
        default:
            return "matches no reference";
        }
        if (c->numeric && !strpbrk(c->text, "0123456789") && !g->range_close)
            return "is a range across brackets";
    }
    if (g->narrative && !g->bare) {
        if (g->phrase_end <= g->anchor || g->phrase_end > g->open)
            return "has an author phrase reformat cannot find";
        split_words(w, rf->text + g->anchor, g->phrase_end - g->anchor);
    }
    split_words(w, rf->text + g->open, g->close - g->open);
    for (size_t i = g->a; i < g->b; i++) {
        const cite_citation *c = cite_check_get_citation(rf->ck, i);
        for (size_t k = 0; k < c->nauthors; k++)
            use_words(w, c->authors[k]);
        use_words(w, c->year);
        use_words(w, c->prefix);
        use_words(w, c->locator);
        if (c->numeric) {
            char num[24];
            snprintf(num, sizeof(num), "%u", c->number);
            use_words(w, num);
        }
    }
    for (size_t j = 0; j < w->count; j++) {
        word *x = &w->w[j];
        if (!x->used && (word_is(x, "cited") || word_is(x, "communication"))) {
            *kept = true;
            return "quotes a secondary source or a personal communication";
        }
    }
    for (size_t j = 0; j < w->count; j++) {
        word *x = &w->w[j];
        if (x->used || joining_word(x))
            continue;
        if (citation_segments(rf, g, w))
            return NULL;
        cite_buf_clear(detail);
        cite_buf_put(detail, x->p, x->n);
        return "holds text that has no place in the new form:";
    }
    return NULL;
}

/* The group's citation items; locators split into label and value, or kept as a suffix. */
static int build_items(reformat *rf, const group *g, cite_cite_item *items, char **owned)
{
    words inside = { 0 };
    split_words(&inside, rf->text + g->open, g->close - g->open);
    int err = inside.oom ? CITE_ENOMEM : 0;
    for (size_t i = g->a; i < g->b && !err; i++) {
        const cite_citation *c = cite_check_get_citation(rf->ck, i);
        cite_cite_item *it = &items[i - g->a];
        char **mine = &owned[2 * (i - g->a)];
        *it = (cite_cite_item){
            .id = cite_record_get_id(cite_library_get(rf->lib, c->reference)),
            .suppress_author = g->narrative,
            /* A suffix, even empty, keeps the engine from collapsing the cite, which would
             * print the author that suppress_author removes. */
            .suffix = g->narrative ? "" : NULL,
        };
        if (*c->prefix) {
            size_t n = strlen(c->prefix);
            if (!(mine[0] = cite_malloc(n + 2)))
                err = CITE_ENOMEM;
            else
                memcpy(mine[0], c->prefix, n), memcpy(mine[0] + n, " ", 2);
            it->prefix = mine[0];
        }
        /* A narrative citation's locator may come from a later "(p. 12)", which stays. */
        if (!*c->locator || err || !has_words(&inside, c->locator))
            continue;
        const char *value;
        const char *label = cite_locator_label(c->locator, &value);
        if (label) {
            it->label = label;
            it->locator = value;
        } else {
            size_t n = strlen(c->locator);
            if (!(mine[1] = cite_malloc(n + 3)))
                err = CITE_ENOMEM;
            else
                memcpy(mine[1], ", ", 2), memcpy(mine[1] + 2, c->locator, n + 1);
            it->suffix = mine[1];
        }
    }
    cite_free(inside.w);
    return err;
}

/* The lengths of the longest common prefix and suffix of two strings. */
static size_t common_prefix(const char *a, const char *b)
{
    size_t n = 0;
    while (a[n] && a[n] == b[n])
        n++;
    return n;
}
static size_t common_suffix(const char *a, size_t na, const char *b, size_t nb)
{
    size_t n = 0;
    while (n < na && n < nb && a[na - 1 - n] == b[nb - 1 - n])
        n++;
    return n;
}

/* The authors of a narrative citation in the style: its citation of the work with and without
 * the author differ by exactly the author and a delimiter ("(Gogny & de Castro, 2025)" and
 * "(2025)"). CSL has no narrative form, and APA (8.17) writes "and" in running text where its
 * parentheses have "&", as do all author-date styles: the symbol becomes the locale's word. */
static int narrative_authors(reformat *rf, const cite_cite_item *first, cite_buf *out)
{
    cite_cite_item full = { .id = first->id }, bare = { .id = first->id, .suffix = "" };
    bare.suppress_author = true;
    char *a = NULL, *b = NULL;
    int err = cite_format_citation(&a, rf->f, &full, 1, 0, rf->format);
    if (err == 0)
        err = cite_format_citation(&b, rf->f, &bare, 1, 0, rf->format);
    cite_buf_clear(out);
    if (err == 0) {
        size_t na = strlen(a), nb = strlen(b);
        size_t p = common_prefix(a, b);
        size_t q = common_suffix(a + p, na - p, b + p, nb - p);
        size_t from = p, to = na - q;
        while (to > from && strchr(" ,:;(", a[to - 1]))
            to--;
        while (from < to && a[from] == ' ')
            from++;
        for (size_t i = from; i < to; i++) {
            /* the engine's HTML writes '&' as "&amp;" */
            size_t amp = rf->html && !strncmp(a + i, "&amp;", 5) ? 5 : 1;
            if (a[i] == '&' && i > from && a[i - 1] == ' ' && i + amp < to && a[i + amp] == ' ') {
                if (rf->html)
                    cite_html_escape(out, rf->and_word, strlen(rf->and_word));
                else
                    cite_buf_puts(out, rf->and_word);
                i += amp - 1;
            } else {
                cite_buf_putc(out, a[i]);
            }
        }
    }
    cite_free_string(a);
    cite_free_string(b);
    return err == 0 && cite_buf_oom(out) ? CITE_ENOMEM : err;
}

/* The space of b nearest byte want that is still a space, or SIZE_MAX. */
static size_t nearest_space(const cite_buf *b, size_t want)
{
    for (size_t d = 0; d < b->len; d++) {
        if (want >= d && want - d < b->len && b->ptr[want - d] == ' ')
            return want - d;
        if (want + d < b->len && b->ptr[want + d] == ' ')
            return want + d;
    }
    return SIZE_MAX;
}

/* Adds an edit replacing [from, to) by text[0..n). The original's line breaks (and the
 * indentation after them) go to the spaces of the new text nearest their places, so that a
 * hard-wrapped paragraph stays wrapped about as it was. */
static int add_edit(reformat *rf, size_t from, size_t to, const char *text, size_t n, size_t tag)
{
    cite_buf b = CITE_BUF_INIT;
    cite_buf_put(&b, text, n);
    bool crlf = memchr(rf->text + from, '\r', to - from) != NULL;
    for (size_t i = from; i < to && !crlf && !memchr(text, '\n', n); i++) {
        if (rf->text[i] != '\n')
            continue;
        size_t at = nearest_space(&b, i - from), indent = 0;
        while (i + 1 + indent < to &&
               (rf->text[i + 1 + indent] == ' ' || rf->text[i + 1 + indent] == '\t'))
            indent++;
        if (at == SIZE_MAX || cite_buf_oom(&b))
            break;
        b.ptr[at] = '\n';
        cite_buf rest = CITE_BUF_INIT; /* the indentation goes in after the break */
        cite_buf_put(&rest, b.ptr + at + 1, b.len - at - 1);
        cite_buf_truncate(&b, at + 1);
        cite_buf_put(&b, rf->text + i + 1, indent);
        cite_buf_put(&b, rest.ptr, rest.len);
        cite_buf_dispose(&rest);
    }
    int err =
        cite_buf_oom(&b) ? CITE_ENOMEM : cite_edits_add(&rf->edits, from, to, b.ptr, b.len, tag);
    cite_buf_dispose(&b);
    return err;
}

static int rewrite_group(reformat *rf, const group *g)
{
    size_t n = g->b - g->a, tag = rf->ndone + 1;
    cite_cite_item *items = cite_calloc(n, sizeof *items);
    char **owned = cite_calloc(2 * n, sizeof *owned);
    char *cite = NULL;
    int err = items && owned ? build_items(rf, g, items, owned) : CITE_ENOMEM;
    if (err == 0 &&
        cite_grow_array((void **)&rf->done, &rf->capdone, rf->ndone + 1, sizeof *rf->done))
        err = CITE_ENOMEM;
    if (err == 0)
        err = cite_format_citation(&cite, rf->f, items, n, 0, rf->format);
    /* CITE_ENOTFOUND (no entry of an id) cannot happen with the check's own library; an empty
     * rendering can, with a style that has no citation layout: the citation would vanish. */
    if ((err < 0 && err != CITE_ENOMEM) || (err == 0 && !*cite)) {
        err = leave(rf, g, true, "renders as nothing in the style", NULL);
        goto cleanup;
    }
    if (err == 0 && g->bare) { /* becomes narrative: "Kessler and Baldwin (2001)" */
        err = narrative_authors(rf, &items[0], &rf->buf);
        if (err == 0 && !rf->buf.len) {
            err = leave(rf, g, true, "has no author in the style's form", NULL);
            goto cleanup;
        }
        cite_buf_putc(&rf->buf, ' ');
        cite_buf_puts(&rf->buf, cite);
        if (err == 0)
            err = cite_buf_oom(&rf->buf)
                      ? CITE_ENOMEM
                      : add_edit(rf, g->open, g->close, rf->buf.ptr, rf->buf.len, tag);
    } else if (err == 0 && g->narrative) {
        err = narrative_authors(rf, &items[0], &rf->buf);
        if (err == 0 && rf->buf.len)
            err = add_edit(rf, g->anchor, g->phrase_end, rf->buf.ptr, rf->buf.len, tag);
    }
    size_t from = g->open, to = g->close, n_cite = err == 0 ? strlen(cite) : 0;
    const char *text = cite;
    if (err == 0 && g->inner_end) { /* the citations' segments: the rendering's brackets go */
        if (n_cite < 2 || !strchr("([", cite[0]) || !strchr(")]", cite[n_cite - 1])) {
            err = leave(rf, g, true, "mixes citations with other text", NULL);
            goto cleanup;
        }
        from = g->inner_start;
        to = g->inner_end;
        text = cite + 1;
        n_cite -= 2;
    }
    if (err == 0 && !g->bare)
        err = add_edit(rf, from, to, text, n_cite, tag);
    if (err == 0) {
        rf->done[rf->ndone++] = *g;
        rf->stats.groups_rewritten++;
        rf->stats.works_rewritten += n;
    }
cleanup:
    cite_free_string(cite);
    for (size_t i = 0; owned && i < 2 * n; i++)
        cite_free(owned[i]);
    cite_free(owned);
    cite_free(items);
    return err;
}

static bool implied_numbers(const reformat *rf, size_t a, size_t b)
{
    for (size_t i = a; i < b; i++) {
        const cite_citation *c = cite_check_get_citation(rf->ck, i);
        if (c->numeric && !strpbrk(c->text, "0123456789"))
            return true;
    }
    return false;
}

/* The citations [i, ...) of one bracket group; "[18]–[20]" (the scanner gives the numbers
 * between to the first bracket) is taken as one group of both brackets. */
static void next_group(const reformat *rf, size_t i, size_t n, group *g)
{
    *g = (group){ .a = i };
    const cite_citation *c = cite_check_get_citation(rf->ck, i);
    while (i < n && cite_check_get_citation(rf->ck, i)->group == c->group &&
           cite_check_get_citation(rf->ck, i)->open == c->open)
        i++;
    if (c->numeric && i < n && implied_numbers(rf, g->a, i)) {
        const cite_citation *d = cite_check_get_citation(rf->ck, i);
        bool joined = d->numeric && d->open >= c->close && d->open - c->close <= 8;
        for (size_t k = c->close; joined && k < d->open; k++)
            joined = strchr(" -\xe2\x80\x93\x94", rf->text[k]) != NULL;
        for (size_t k = i; joined && k < n && cite_check_get_citation(rf->ck, k)->open == d->open;)
            i = ++k;
        if (joined)
            g->range_close = d->close;
    }
    g->b = i;
}

/* A citation in running text without brackets ("described by Kessler and Baldwin, 2001 and"):
 * from its author to the end of its year, when the year follows within a short phrase and
 * no bracket or sentence end comes between. The scanner reads these only with two or more
 * names or et al. */
static void find_bare(reformat *rf, group *g, const cite_citation *c)
{
    size_t n = strlen(c->year), from = g->anchor, limit = CITE_MIN(rf->len, from + 300);
    if (!n || from >= rf->len || (g->open && strchr("([{", rf->text[g->open])))
        return; /* a bracket that never closes is not a bare citation */
    for (size_t i = from; i + n <= limit; i++) {
        char ch = rf->text[i];
        bool blank_line = ch == '\n' && i + 1 < limit && rf->text[i + 1] == '\n';
        if (ch == '(' || ch == ')' || ch == '[' || ch == ';' || blank_line)
            return;
        if (memcmp(rf->text + i, c->year, n) == 0) {
            g->bare = true;
            g->open = g->anchor;
            g->close = i + n;
            return;
        }
    }
}

static int do_group(reformat *rf, group *g)
{
    const cite_citation *first = cite_check_get_citation(rf->ck, g->a);
    g->open = first->open;
    g->close = g->range_close ? g->range_close : first->close;
    g->anchor = first->at.offset;
    g->narrative = first->narrative;
    g->numeric = first->numeric;
    for (size_t i = g->a + 1; i < g->b; i++)
        g->mixed |= cite_check_get_citation(rf->ck, i)->narrative != g->narrative;
    if (g->narrative && g->close <= g->open && g->b == g->a + 1)
        find_bare(rf, g, first);
    g->phrase_end =
        g->narrative && !g->bare && g->close > g->open ? phrase_end(rf, g->anchor, g->open) : 0;
    rf->stats.groups++;
    rf->stats.works += g->b - g->a;
    words w = { 0 };
    cite_buf detail = CITE_BUF_INIT;
    bool kept;
    const char *why = unplaceable(rf, g, &kept, &detail, &w);
    int err = w.oom || cite_buf_oom(&detail) ? CITE_ENOMEM : 0;
    size_t from = g->narrative ? g->anchor : g->open;
    if (err == 0 && !why && cite_edits_overlap(&rf->edits, from, g->close))
        why = "lies inside another citation";
    if (err == 0 && why)
        err = leave(rf, g, !kept, why, detail.len ? detail.ptr : NULL);
    else if (err == 0)
        err = rewrite_group(rf, g);
    cite_free(w.w);
    cite_buf_dispose(&detail);
    return err;
}

/* ---- HTML: the edits mapped to the source ------------------------------------------------- */

void cite_html_escape(cite_buf *out, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        switch (s[i]) {
        case '&':
            cite_buf_puts(out, "&amp;");
            break;
        case '<':
            cite_buf_puts(out, "&lt;");
            break;
        case '>':
            cite_buf_puts(out, "&gt;");
            break;
        case '"':
            cite_buf_puts(out, "&quot;");
            break;
        default:
            cite_buf_putc(out, s[i]);
        }
    }
}

/* The character an HTML entity ("&amp;", "&#38;"...) stands for, written to
 * out; the entity's length, or 0 when s does not start one we know. */
static size_t put_entity(cite_buf *out, const char *s, size_t n)
{
    static const struct {
        const char *name;
        char ch;
    } named[] = { { "&amp;", '&' }, { "&lt;", '<' }, { "&gt;", '>' }, { "&quot;", '"' } };
    for (size_t k = 0; k < CITE_ARRAY_LEN(named); k++) {
        size_t len = strlen(named[k].name);
        if (n >= len && !memcmp(s, named[k].name, len)) {
            cite_buf_putc(out, named[k].ch);
            return len;
        }
    }
    if (n < 4 || s[1] != '#')
        return 0;
    size_t i = 2;
    unsigned long cp = 0;
    bool hex = s[i] == 'x' || s[i] == 'X';
    i += hex;
    size_t digits = i;
    for (; i < n && i < 12 && isxdigit((unsigned char)s[i]); i++) {
        if (!hex && !isdigit((unsigned char)s[i]))
            return 0;
        cp =
            cp * (hex ? 16 : 10) + (unsigned long)(isdigit((unsigned char)s[i])
                                                       ? s[i] - '0'
                                                       : (tolower((unsigned char)s[i]) - 'a' + 10));
    }
    if (i == digits || i >= n || s[i] != ';' || cp > 0x10FFFF ||
        !utf8proc_codepoint_valid((utf8proc_int32_t)cp))
        return 0;
    utf8proc_uint8_t u[4];
    cite_buf_put(out, (const char *)u, (size_t)utf8proc_encode_char((utf8proc_int32_t)cp, u));
    return i + 1;
}

void cite_html_plain(cite_buf *out, const char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        if (s[i] == '<') {
            const char *gt = memchr(s + i, '>', n - i);
            i = gt ? (size_t)(gt - s) + 1 : n;
            continue;
        }
        size_t k = s[i] == '&' ? put_entity(out, s + i, n - i) : 0;
        if (!k)
            cite_buf_putc(out, s[i]);
        i += k ? k : 1;
    }
}

bool cite_html_source_span(
    const cite_document *doc, size_t from, size_t to, size_t *src_from, size_t *src_to)
{
    size_t a, b;
    if (!doc->source || from > to || to > doc->text.len ||
        !cite_document_source_offset(doc, from, &a))
        return false;
    if (from == to) {
        *src_from = *src_to = a;
        return true;
    }
    if (!cite_document_source_offset(doc, to - 1, &b) || b < a || b >= doc->source_len)
        return false;
    size_t end = b + 1;
    if (doc->source[b] == '&') { /* the last character is an entity: it ends at its ';' */
        const char *semi = memchr(doc->source + b, ';', CITE_MIN(doc->source_len - b, 40));
        if (!semi)
            return false;
        end = (size_t)(semi - doc->source) + 1;
    }
    /* Text only: a tag or comment inside (a link, an <i>) would be lost with the bytes. Every
     * byte between maps into the run, in order: the run is what the text was read from. */
    if (memchr(doc->source + a, '<', end - a))
        return false;
    size_t last = a;
    for (size_t i = from + 1; i < to; i++) {
        size_t s;
        if (cite_document_source_offset(doc, i, &s)) {
            if (s < last || s >= end)
                return false;
            last = s;
        }
    }
    *src_from = a;
    *src_to = end;
    return true;
}

/* The source byte after text byte at - 1 (the end of a run of text ending at at): false when
 * it does not map. */
static bool source_after(const cite_document *doc, size_t at, size_t *end)
{
    size_t b;
    if (at == 0 || !cite_document_source_offset(doc, at - 1, &b) || b >= doc->source_len)
        return false;
    *end = b + 1;
    if (doc->source[b] == '&') { /* an entity: it ends at its ';' */
        const char *semi = memchr(doc->source + b, ';', CITE_MIN(doc->source_len - b, 40));
        if (!semi)
            return false;
        *end = (size_t)(semi - doc->source) + 1;
    }
    return true;
}

/* Is s[at..) an opening (close false) or closing tag of an inline element ("<i>", "</em>")?
 * Its length, else 0. */
static size_t inline_tag(const char *s, size_t n, size_t at, bool close)
{
    static const char *const names[] = { "i", "em", "b", "strong", "span", "a", "cite", "u" };
    if (at + 2 >= n || s[at] != '<' || (close && s[at + 1] != '/'))
        return 0;
    size_t i = at + 1 + close;
    for (size_t k = 0; k < CITE_ARRAY_LEN(names); k++) {
        size_t len = strlen(names[k]);
        if (i + len < n && !strncasecmp(s + i, names[k], len) &&
            (s[i + len] == '>' || (!close && s[i + len] == ' '))) {
            const char *gt = memchr(s + i, '>', n - i);
            return gt ? (size_t)(gt - s) + 1 - at : 0;
        }
    }
    return 0;
}

/* Widens the source run [*from, *to) over the inline tags that open right before it and close
 * right after it, so that an entry's "<i>...</i>" goes whole with it. */
static void widen_inline(const cite_document *doc, size_t *from, size_t *to)
{
    const char *s = doc->source;
    size_t n = doc->source_len, k;
    for (bool more = true; more;) {
        more = false;
        for (size_t back = *from; back-- > 0 && *from - back < 200;)
            if (s[back] == '<') {
                if ((k = inline_tag(s, n, back, false)) && back + k == *from)
                    *from = back, more = true;
                break;
            }
    }
    while ((k = inline_tag(s, n, *to, true)))
        *to += k;
}

/* The entries of the engine's HTML bibliography, each one entry's inner HTML with the <div>s
 * of its second-field alignment taken out, passed to put() (NULL when out of memory). */
static void each_html_entry(const char *bib, void (*put)(void *, const char *, size_t), void *ctx)
{
    static const char open[] = "<div class=\"csl-entry\">";
    const char *p = strstr(bib, open);
    while (p) {
        p += sizeof open - 1;
        const char *next = strstr(p, open);
        const char *stop = next ? next : p + strlen(p);
        cite_buf e = CITE_BUF_INIT;
        for (const char *q = p; q < stop;) {
            bool div = !strncmp(q, "<div", 4) || !strncmp(q, "</div", 5);
            const char *gt = div ? memchr(q, '>', (size_t)(stop - q)) : NULL;
            if (gt) {
                q = gt + 1;
                continue;
            }
            cite_buf_putc(&e, *q++);
        }
        size_t i = 0, n = e.len;
        while (i < n && is_space_byte(e.ptr[i]))
            i++;
        while (n > i && is_space_byte(e.ptr[n - 1]))
            n--;
        if (cite_buf_oom(&e))
            put(ctx, NULL, 0);
        else if (n > i)
            put(ctx, e.ptr + i, n - i);
        cite_buf_dispose(&e);
        p = next;
    }
}

typedef struct html_list {
    reformat *rf;
    cite_buf out;
    const char *marker, *sep; /* the marker of the first entry (text) and the source between
                                 two entries ("</p>\n<p>") */
    size_t nmarker, nsep;
} html_list;

static void put_html_entry(void *ctx, const char *entry, size_t n)
{
    html_list *l = ctx;
    if (!entry) {
        l->out.oom = true;
        return;
    }
    if (l->out.len) {
        cite_buf_put(&l->out, l->sep, l->nsep);
        cite_buf_puts(&l->rf->list_plain, "\n\n");
    }
    cite_html_escape(&l->out, l->marker, l->nmarker);
    cite_buf_put(&l->out, entry, n);
    cite_buf_put(&l->rf->list_plain, l->marker, l->nmarker);
    cite_html_plain(&l->rf->list_plain, entry, n);
    l->rf->stats.entries_after++;
}

/* Where the entry that starts at offset next (after its marker or number) starts its line
 * (the line of an HTML element), and where the entry before it, which starts at at, ends:
 * before the blanks ahead of that line. */
static void entry_bounds(const reformat *rf, size_t at, size_t next, size_t *end, size_t *line)
{
    size_t l = next;
    while (l > at && rf->text[l - 1] != '\n')
        l--;
    *line = l > at ? l : next;
    size_t e = *line;
    while (e > at && is_space_byte(rf->text[e - 1]))
        e--;
    *end = e;
}

/* The list of an HTML document: the source from its first entry's text to its last entry's
 * end is replaced by the style's entries, each in the element the original's first two
 * entries were separated by ("</p>\n<p>", "</li><li>"): headings and everything else stay. */
static int
rewrite_list_html(reformat *rf, const char *bib, size_t start, size_t end, size_t nmarker)
{
    size_t nentries = cite_library_count(rf->lib);
    size_t last = cite_check_reference_loc(rf->ck, nentries - 1).offset;
    size_t stop = end;
    while (stop > last && is_space_byte(rf->text[stop - 1]))
        stop--;
    html_list l = {
        .rf = rf, .out = CITE_BUF_INIT, .marker = rf->text + start, .nmarker = nmarker
    };
    bool mapped = cite_document_source_offset(rf->html, start, &rf->list_src_start) &&
                  source_after(rf->html, stop, &rf->list_src_end) &&
                  rf->list_src_end > rf->list_src_start;
    if (mapped)
        widen_inline(rf->html, &rf->list_src_start, &rf->list_src_end);
    if (mapped && nentries > 1) {
        size_t first = cite_check_reference_loc(rf->ck, 0).offset;
        size_t second = cite_check_reference_loc(rf->ck, 1).offset;
        size_t e0, line1, sep_from, sep_to;
        entry_bounds(rf, first, second, &e0, &line1);
        mapped = source_after(rf->html, e0, &sep_from) &&
                 cite_document_source_offset(rf->html, line1, &sep_to) && sep_to >= sep_from;
        if (mapped) /* the entries' own inline tags are theirs, not the separator's */
            widen_inline(rf->html, &sep_to, &sep_from);
        mapped = mapped && sep_to >= sep_from;
        l.sep = rf->html->source + sep_from;
        l.nsep = mapped ? sep_to - sep_from : 0;
    }
    if (!mapped) {
        cite_diag_report(rf->diag, CITE_SEV_WARNING, cite_check_reference_loc(rf->ck, 0),
                         "reference list left as written: where its entries start and end "
                         "in the HTML source cannot be told");
        return 0;
    }
    each_html_entry(bib, put_html_entry, &l);
    int err = cite_buf_oom(&l.out) || cite_buf_oom(&rf->list_plain)
                  ? CITE_ENOMEM
                  : cite_edits_add(&rf->edits, start, stop, l.out.ptr, l.out.len, 0);
    cite_buf_dispose(&l.out);
    return err;
}

/* ---- the reference list -------------------------------------------------------------------- */

/* How the original separated its entries: by a blank line or by a line break. */
/* Is there a blank line in text[a, b)? */
static bool blank_line_in(const char *text, size_t a, size_t b)
{
    for (size_t i = a; i < b; i++) {
        if (text[i] != '\n')
            continue;
        size_t j = i + 1;
        while (j < b && (text[j] == ' ' || text[j] == '\t' || text[j] == '\r'))
            j++;
        if (j < b && text[j] == '\n')
            return true;
    }
    return false;
}

static const char *entry_separator(const reformat *rf)
{
    if (cite_library_count(rf->lib) < 2)
        return "\n";
    size_t a = cite_check_reference_loc(rf->ck, 0).offset;
    size_t b = cite_check_reference_loc(rf->ck, 1).offset;
    return blank_line_in(rf->text, a, CITE_MIN(b, rf->len)) ? "\n\n" : "\n";
}

/* Appends the entries of the bibliography bib (one a line), each after marker[0..nmarker),
 * joined by sep; counts them. */
static void put_entries(reformat *rf,
                        cite_buf *out,
                        const char *bib,
                        const char *marker,
                        size_t nmarker,
                        const char *sep)
{
    size_t first = out->len;
    for (const char *p = bib; *p;) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        if (n) {
            if (out->len > first)
                cite_buf_puts(out, sep);
            cite_buf_put(out, marker, nmarker);
            cite_buf_put(out, p, n);
            rf->stats.entries_after++;
        }
        p += n + (nl != NULL);
    }
}

/* The marker before a list's first entry ("- ", "* ") is repeated before each new one; a
 * number ("1.", "[1]") is not: the list's order is the style's now. */
static size_t repeated_marker(const char *marker, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (marker[i] >= '0' && marker[i] <= '9')
            return 0;
    return n;
}

static int rewrite_list(reformat *rf)
{
    size_t start, end;
    if (!cite_check_reference_span(rf->ck, &start, &end))
        return 0;
    rf->stats.entries_before = cite_library_count(rf->lib);
    size_t entry = cite_check_reference_loc(rf->ck, 0).offset;
    const char *marker = rf->text + start;
    size_t nmarker = repeated_marker(marker, entry > start ? entry - start : 0);
    char *bib = NULL;
    int err = cite_format_bibliography(&bib, rf->f, rf->format);
    if (err < 0)
        return err;
    if (rf->html) {
        err = rewrite_list_html(rf, bib, start, end, nmarker);
        cite_free_string(bib);
        return err;
    }
    cite_buf out = CITE_BUF_INIT;
    put_entries(rf, &out, bib, marker, nmarker, entry_separator(rf));
    err = cite_buf_oom(&out) ? CITE_ENOMEM
                             : cite_edits_add(&rf->edits, start, end, out.ptr, out.len, 0);
    cite_buf_dispose(&out);
    cite_free_string(bib);
    return err;
}

/* With a library (--bib): the document's own list, under its heading, becomes the
 * bibliography of the works cited; a document without one gains it at its end, under
 * "References". */
static int rewrite_list_for_library(reformat *rf)
{
    cite_reflist *list = NULL;
    int err = cite_reflist_find(&list, rf->text, rf->len, NULL);
    char *bib = NULL;
    if (err == 0)
        err = cite_format_bibliography(&bib, rf->f, rf->format);
    if (err < 0) {
        cite_reflist_free(list);
        return err;
    }
    cite_buf out = CITE_BUF_INIT;
    size_t start = rf->len, end = rf->len;
    bool markdown = rf->format == CITE_OUTPUT_MARKDOWN;
    if (!*bib) { /* nothing cited from the library: the document keeps what it has */
        cite_free_string(bib);
        cite_reflist_free(list);
        return 0;
    }
    if (list->heading_line && list->count) {
        const cite_reflist_item *first = &list->items[0];
        for (start = first->offset; start > list->start && rf->text[start - 1] != '\n';)
            start--;
        for (end = list->end; end > first->offset && isspace((unsigned char)rf->text[end - 1]);)
            end--;
        bool blank =
            list->count > 1 && blank_line_in(rf->text, first->offset, list->items[1].offset);
        rf->stats.entries_before = list->count;
        put_entries(rf, &out, bib, rf->text + start,
                    repeated_marker(rf->text + start, first->offset - start),
                    blank ? "\n\n" : "\n");
        cite_loc at = { .file = cite_check_get_citation(rf->ck, 0)->at.file,
                        .line = list->heading_line,
                        .col = 1 };
        cite_diag_report(rf->diag, CITE_SEV_WARNING, at,
                         "the document's reference list (%zu entries) is replaced by the %zu "
                         "works of the library it cites",
                         list->count, rf->stats.entries_after);
    } else {
        bool newline = rf->len && rf->text[rf->len - 1] == '\n';
        cite_buf_puts(&out, newline ? "\n" : "\n\n");
        cite_buf_puts(&out, markdown ? "## References\n\n" : "References\n\n");
        put_entries(rf, &out, bib, "", 0, markdown ? "\n\n" : "\n");
        cite_buf_putc(&out, '\n');
    }
    err = cite_buf_oom(&out) ? CITE_ENOMEM
                             : cite_edits_add(&rf->edits, start, end, out.ptr, out.len, 0);
    cite_buf_dispose(&out);
    cite_free_string(bib);
    cite_reflist_free(list);
    return err;
}

/* ---- the proof: the new citations are found again ------------------------------------------ */

/* The edit (sorted edits, out_at[k] where edit k starts in the output) whose output holds
 * offset, or SIZE_MAX. */
static size_t edit_at(const cite_edits *e, const size_t *out_at, size_t offset)
{
    size_t lo = 0, hi = e->count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (out_at[mid] <= offset)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0)
        return SIZE_MAX;
    size_t k = lo - 1;
    return offset < out_at[k] + e->items[k].len ? k : SIZE_MAX;
}

/* Checks the output as cite check would: a rewritten group must give back at least as many
 * citations as it had works, all resolved ("Krick, Ryglewski, Pichler, Bikbaev, Gotz, et al.,
 * 2021", APA's way of telling two works apart, is more than the scanner reads as one citation).
 * A group that does not is put back as written, with a warning. *changed: some were. */
static int verify(reformat *rf, cite_edits *view, const char *out, size_t out_len, bool *changed)
{
    *changed = false;
    cite_check *ck = NULL;
    cite_diag *quiet = cite_diag_new();
    size_t *out_at = cite_calloc(view->count + 1, sizeof *out_at);
    size_t *found = cite_calloc(rf->ndone + 1, sizeof *found);
    bool *bad = cite_calloc(rf->ndone + 1, sizeof *bad);
    int err = quiet && out_at && found && bad ? 0 : CITE_ENOMEM;
    if (err == 0)
        err = cite_check_run(&ck, out, out_len, NULL, NULL, NULL, quiet);
    if (err == CITE_EPARSE) { /* no list any more: nothing can be told */
        err = 0;
        goto cleanup;
    }
    for (size_t k = 0, delta = 0; err == 0 && k < view->count; k++) {
        const cite_edit *x = &view->items[k];
        out_at[k] = x->start + delta;
        delta = delta + x->len - (x->end - x->start);
    }
    for (size_t i = 0; err == 0 && i < cite_check_citation_count(ck); i++) {
        const cite_citation *c = cite_check_get_citation(ck, i);
        size_t k = edit_at(view, out_at, c->at.offset);
        size_t tag = k == SIZE_MAX ? 0 : view->items[k].tag;
        if (tag == 0)
            continue;
        found[tag - 1]++;
        bad[tag - 1] |= c->status != CITE_LINK_RESOLVED;
    }
    for (size_t t = 0; err == 0 && t < rf->ndone; t++) {
        const group *g = &rf->done[t];
        if (!bad[t] && found[t] >= g->b - g->a)
            continue;
        cite_buf_clear(&rf->buf); /* the new form: a narrative's author, then its bracket */
        for (size_t k = 0; k < view->count; k++)
            if (view->items[k].tag == t + 1) {
                if (rf->buf.len)
                    cite_buf_putc(&rf->buf, ' ');
                cite_buf_put(&rf->buf, view->items[k].text, view->items[k].len);
            }
        err = cite_buf_oom(&rf->buf)
                  ? CITE_ENOMEM
                  : leave(rf, g, true, "would not be read back by cite check in its new form",
                          rf->buf.ptr);
        cite_edits_remove(&rf->edits, t + 1);
        if (view != &rf->edits)
            cite_edits_remove(view, t + 1);
        rf->stats.groups_rewritten--;
        rf->stats.works_rewritten -= g->b - g->a;
        *changed = true;
    }
cleanup:
    cite_check_free(ck);
    cite_diag_free(quiet);
    cite_free(out_at);
    cite_free(found);
    cite_free(bad);
    return err;
}

/* ---- HTML output ---------------------------------------------------------------------- */

/* The edits as text, for verify: each edit's HTML made plain, the list's as its entries'
 * text. */
static int plain_view(const reformat *rf, cite_edits *view)
{
    cite_buf b = CITE_BUF_INIT;
    int err = 0;
    for (size_t k = 0; k < rf->edits.count && err == 0; k++) {
        const cite_edit *x = &rf->edits.items[k];
        cite_buf_clear(&b);
        if (x->tag == 0)
            cite_buf_put(&b, rf->list_plain.ptr, rf->list_plain.len);
        else
            cite_html_plain(&b, x->text, x->len);
        err = cite_buf_oom(&b)
                  ? CITE_ENOMEM
                  : cite_edits_add(view, x->start, x->end, b.ptr ? b.ptr : "", b.len, x->tag);
    }
    cite_buf_dispose(&b);
    return err == CITE_EINVALID ? CITE_ERROR : err;
}

/* Leaves the group of edit tag as written: its edits dropped, reason warned about. */
static int unmap_group(reformat *rf, size_t tag, const char *why)
{
    const group *g = &rf->done[tag - 1];
    rf->stats.groups_rewritten--;
    rf->stats.works_rewritten -= g->b - g->a;
    cite_edits_remove(&rf->edits, tag);
    return leave(rf, g, true, why, NULL);
}

/* Adds the edits of rf (sorted) to src at their source runs; false when one of tag's overlaps
 * an edit already there (the source does not follow the text in order there). */
static int add_mapped(reformat *rf, cite_edits *src, size_t tag, bool *fits)
{
    *fits = true;
    for (size_t k = 0; k < rf->edits.count; k++) {
        const cite_edit *x = &rf->edits.items[k];
        size_t a = rf->list_src_start, b = rf->list_src_end;
        if (x->tag != tag || (tag && !cite_html_source_span(rf->html, x->start, x->end, &a, &b)))
            continue;
        int err = cite_edits_add(src, a, b, x->text, x->len, x->tag);
        if (err == CITE_EINVALID) {
            cite_edits_remove(src, tag);
            *fits = false;
            return 0;
        }
        if (err)
            return err;
    }
    return 0;
}

/* The edits moved to the HTML source: a group with an edit whose text does not map to a run
 * of source text (a tag or comment inside) is left as written, with a warning; so is the list
 * or a group whose source run overlaps one already placed. */
static int map_to_source(reformat *rf, cite_edits *src)
{
    int err = 0;
    for (size_t k = 0; k < rf->edits.count && err == 0; k++) {
        const cite_edit *x = &rf->edits.items[k];
        size_t a, b;
        if (x->tag == 0 || cite_html_source_span(rf->html, x->start, x->end, &a, &b))
            continue;
        err = unmap_group(rf, x->tag,
                          "holds HTML markup (a tag or a comment) that rewriting would lose");
        k = SIZE_MAX; /* the list changed: from the start again */
    }
    bool fits;
    err = err ? err : add_mapped(rf, src, 0, &fits);
    if (err == 0 && !fits) {
        cite_edits_remove(&rf->edits, 0);
        cite_diag_report(rf->diag, CITE_SEV_WARNING, cite_check_reference_loc(rf->ck, 0),
                         "reference list left as written: its place in the HTML source "
                         "overlaps a citation's");
        rf->stats.entries_after = 0;
    }
    for (size_t t = 1; t <= rf->ndone && err == 0; t++) {
        err = add_mapped(rf, src, t, &fits);
        if (err == 0 && !fits)
            err = unmap_group(rf, t, "lies where the HTML source does not follow its text");
    }
    return err == CITE_EINVALID ? CITE_ERROR : err;
}

/* ---- the whole document -------------------------------------------------------------------- */

/* Does a style's <locale xml:lang="..."> apply to lang: rank 0 exactly, 1 its language
 * ("en" for "en-GB"), 2 no xml:lang; 3 not at all. */
static int locale_rank(const cite_locale *l, const char *lang)
{
    const char *mine = cite_locale_get_lang(l);
    if (!mine || !*mine)
        return 2;
    if (!lang)
        return 3;
    if (!strcmp(mine, lang))
        return 0;
    size_t n = strcspn(lang, "-");
    return strlen(mine) == n && !strncmp(mine, lang, n) ? 1 : 3;
}

/* The locale's "and": the style's own <locale> elements for the language first, as the
 * formatter searches them, then the locale files. */
static const char *and_word(const cite_reformat_options *o)
{
    cite_locale *chain[32];
    size_t n = 0;
    const char *lang = o->lang ? o->lang : o->nlocales ? cite_locale_get_lang(o->locales[0]) : NULL;
    for (int rank = 0; rank < 3; rank++)
        for (size_t i = 0; o->style && i < o->style->nlocales && n < 16; i++)
            if (locale_rank(o->style->locales[i], lang) == rank)
                chain[n++] = o->style->locales[i];
    for (size_t i = 0; i < o->nlocales && n < CITE_ARRAY_LEN(chain); i++)
        chain[n++] = o->locales[i];
    const csl_term *t = n ? csl_term_lookup(chain, n, "and", CSL_FORM_LONG) : NULL;
    return t && t->single && *t->single ? t->single : "and";
}

int cite_reformat(char **out,
                  size_t *out_len,
                  const char *text,
                  size_t len,
                  const cite_check *check,
                  cite_formatter *f,
                  const cite_reformat_options *options,
                  cite_reformat_stats *stats,
                  cite_diag *diag)
{
    *out = NULL;
    *out_len = 0;
    cite_reformat_options none = { .format = CITE_OUTPUT_TEXT };
    const cite_reformat_options *o = options ? options : &none;
    reformat rf = { .text = text,
                    .len = len,
                    .ck = check,
                    .lib = cite_check_get_library(check),
                    .f = f,
                    .format = o->format,
                    .and_word = and_word(o),
                    .diag = diag,
                    .edits = CITE_EDITS_INIT,
                    .buf = CITE_BUF_INIT,
                    .list_plain = CITE_BUF_INIT,
                    .library_list = o->library_list };
    if (o->library_list && o->format == CITE_OUTPUT_HTML)
        return CITE_ERROR;
    if (o->document && cite_document_get_format(o->document) == CITE_DOC_HTML) {
        const cite_document *d = o->document;
        if (o->format != CITE_OUTPUT_HTML || text != d->text.ptr || len != d->text.len)
            return CITE_ERROR;
        rf.html = d;
    }
    int err = 0;
    size_t n = cite_check_citation_count(check);
    group g;
    for (size_t i = 0; i < n && err == 0; i = g.b) {
        next_group(&rf, i, n, &g);
        err = do_group(&rf, &g);
    }
    if (err == 0)
        err = rf.library_list ? rewrite_list_for_library(&rf) : rewrite_list(&rf);
    cite_edits plain = CITE_EDITS_INIT, src = CITE_EDITS_INIT;
    cite_edits *view = &rf.edits;
    if (err == 0 && rf.html) {
        err = plain_view(&rf, &plain);
        view = &plain;
    }
    if (err == 0)
        err = cite_edits_apply(out, out_len, text, len, view);
    bool changed = false;
    if (err == 0)
        err = verify(&rf, view, *out, *out_len, &changed);
    if (err == 0 && (changed || rf.html)) {
        cite_free(*out);
        *out = NULL;
        if (rf.html) {
            err = map_to_source(&rf, &src);
            if (err == 0)
                err = cite_edits_apply(out, out_len, rf.html->source, rf.html->source_len, &src);
        } else {
            err = cite_edits_apply(out, out_len, text, len, &rf.edits);
        }
    }
    cite_edits_dispose(&plain);
    cite_edits_dispose(&src);
    if (err == 0)
        report_left(&rf);
    if (err < 0) {
        cite_free(*out);
        *out = NULL;
        *out_len = 0;
    }
    if (stats)
        *stats = rf.stats;
    for (size_t i = 0; i < rf.nleft; i++)
        cite_free(rf.left[i].detail);
    cite_free(rf.left);
    cite_free(rf.done);
    cite_edits_dispose(&rf.edits);
    cite_buf_dispose(&rf.buf);
    cite_buf_dispose(&rf.list_plain);
    return err == CITE_EINVALID ? CITE_ERROR : err;
}

int cite_reformat_cited_library(cite_library **out, const cite_check *check)
{
    const cite_library *lib = cite_check_get_library(check);
    size_t n = lib ? cite_library_count(lib) : 0;
    bool *cited = cite_calloc(n + 1, sizeof *cited);
    *out = cite_library_new();
    int err = cited && *out ? 0 : CITE_ENOMEM;
    for (size_t i = 0; err == 0 && i < cite_check_citation_count(check); i++) {
        const cite_citation *c = cite_check_get_citation(check, i);
        if (c->status == CITE_LINK_RESOLVED && c->reference < n)
            cited[c->reference] = true;
    }
    for (size_t i = 0; err == 0 && i < n; i++) {
        if (!cited[i])
            continue;
        cite_record *copy = cite_record_copy(cite_library_get(lib, i));
        err = copy ? cite_library_add(*out, copy) : CITE_ENOMEM;
        if (err == CITE_EEXISTS) { /* one id twice in the library: the first is cited */
            cite_record_free(copy);
            err = 0;
        }
    }
    cite_free(cited);
    if (err < 0) {
        cite_library_free(*out);
        *out = NULL;
    }
    return err;
}
