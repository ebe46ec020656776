/* citescan.c: in-text citations (rules in citescan.h, grammar in citations/GRAMMAR.md).
 *
 * Four linear passes: find the date tokens; pair the brackets, keeping the groups that may
 * matter (a token inside, or the start of a numeric callout or a bare locator); give each token
 * to the innermost group around it; read each kept group, as a numeric callout, a narrative
 * citation (the group starts with a date) or a parenthetical one. The first two visit only the
 * bytes that can matter to them (bytescan.c, sixteen bytes tested at a time). Author phrases
 * are read by a pattern anchored at the end of a bounded window, so a long document costs no
 * more per citation than a short one. An item's strings are kept in one arena per scan. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "buf.h"
#include "bytescan.h"
#include "citescan.h"
#include "fold.h"
#include "record.h"
#include "rx.h"

enum {
    MAX_DEPTH = 16,          /* brackets nested deeper than this are not read */
    MAX_SPAN = 1200,         /* bytes a bracket group may span */
    NARRATIVE_WINDOW = 240,  /* bytes before "(" searched for a narrative author */
    MAX_RANGE = 100,         /* numbers a numeric range [3-9] may expand to */
    UNCLOSED_SPAN = 240,     /* bytes read after a "(" that is never closed */
    MAX_LIMIT_WARNINGS = 10, /* places reported where a pattern hit its match limit */
};

/* The name grammar of GRAMMAR.md §2. A word is capitalised ("Levine", "O’Neil", "McFall-Ngai",
 * "Ó", "LEVINE", decomposed marks included) or an Arabic article joined to one ("al-Farabi");
 * lowercase particles may precede it ("van der Berg"); a name is up to nine words, joined by
 * blanks or by the small words of organisations ("Department of Veterans Affairs"). A
 * possessive 's never belongs to the word. A line break after a hyphen followed by a
 * lowercase letter is a word broken by hyphenation ("Eizen-\nga").
 *
 * For speed: the lookaheads (?=[a-z]), (?=[SM]), (?=[adel]) and (?=[oftaeyd]) only say which
 * first letter an alternative needs, so that most words skip the lists of particles and small
 * words at one test; and the parts of a word (a character after the first, a capitalised word,
 * an Arabic article joined to one, a particle) are written out in it rather than called, since
 * a pcre2 subroutine call saves and restores the captures around it (the two match alike since
 * pcre2 10.30, where calls backtrack as groups do). */
#define NAME_WCH                                                                 \
    "(?:[\\p{L}\\p{M}]|['’](?!s\\b)(?=\\p{L})|[-\\x{2010}\\x{2011}](?=\\p{L})" \
    "|-\\R[ \\t]*(?=\\p{Ll}))"
#define NAME_CAP "(?:[\\p{Lu}\\p{Lt}](?:" NAME_WCH "+|(?=\\s+[\\p{Lu}\\p{Lt}])))"
#define NAME_LOW \
    "(?:(?:al|el|ad|ar|as|at|az|an|ash|d|l)['’\\-\\x{2010}\\x{2011}](?=\\p{Lu})" NAME_CAP ")"
#define NAME_PRT                                                                            \
    "(?:(?:de|da|del|della|dei|degli|der|den|di|du|des|dos|das|do|van|von|ter|ten|te|le|la" \
    "|les|ibn|bin|ben|bint|ag|zu|zur|af|av|op|y)\\s+)"
#define NAME_DEFS                                                                            \
    "(?(DEFINE)"                                                                             \
    "(?<word>(?:(?=[a-z])" NAME_PRT ")*(?:(?=[SM])(?:St|Ste|Mt)\\.\\s+)?"                    \
    "(?:Anon\\.|(?=[adel])" NAME_LOW "|" NAME_CAP "))"                                       \
    "(?<name>(?&word)(?:\\s+(?:(?=[oftaeyd])(?:of|for|the|on|and\\s+the|für|et|y|de|du|des" \
    "|del)\\s+)?(?&word)){0,8})"                                                             \
    ")"

/* An author phrase: initials, names joined by commas and &/and, et al. or "and colleagues";
 * or a title in quotation marks standing for the author. */
#define AUTHORS                                                            \
    "(?<![\\p{L}\\p{M}\\p{N}'’\\-])"                                     \
    "(?<authors>(?<title>“[^”]{2,200}”|\"[^\"]{2,200}\")"            \
    "|(?<ini>(?:\\p{Lu}\\.\\s*){1,3})?(?&name)(?:\\s*,\\s*(?&name)){0,12}" \
    "(?:\\s*,?\\s*(?<join>&|＆|\\band\\b)\\s*(?&name))?"                  \
    "(?:\\s*,?\\s*(?<etal>\\bet\\.?\\s*al\\b\\.?)|\\s+(?<colleagues>and\\s+colleagues\\b))?)"

enum {
    RX_DATE,
    RX_PAREN,
    RX_NARRATIVE,
    RX_NUMERIC,
    RX_LOCATOR,
    RX_BARE_LOCATOR,
    RX_CITED_IN,
    RX_PERSONAL,
    RX_LOCATOR_BEFORE
};

static const cite_rx_pattern patterns[] = {
    /* A date: a year 1500-2099 (a republished "1900/1953" may start earlier), a range of two,
     * a suffix letter (not s: "1990s" is a decade); or n.d., no date, in press, forthcoming,
     * with APA's "-a". Not inside a word, a number (12,673,279; 2.2019), a path or a code. */
    [RX_DATE] = { "date",
                  "(?<![\\p{L}\\p{N}\\p{M}/.:\\-\\x{2010}\\x{2011}–$£€#@_])(?<!\\d,)"
                  "(?|((?:\\d{3,4}/)?(?:1[5-9]|20)\\d\\d(?:[–—-](?:1[5-9]|20)\\d\\d)?)"
                  "([a-rt-z])?(?![\\p{L}\\p{N}_]|[.,]\\d|[/–-]\\d)"
                  "|((?i:n\\.\\s?d\\.|no\\s+date|in\\s+press|forthcoming))"
                  "(?:[-‐]([a-z])(?![\\p{L}\\p{N}]))?(?![\\p{L}\\p{N}]))",
                  PCRE2_ANCHORED },
    /* The author phrase that ends where a parenthetical date begins. */
    [RX_PAREN] = { "parenthetical author",
                   NAME_DEFS AUTHORS
                   "(?:\\s*\\[(?<abbr>[\\p{Lu}&]{2,12})\\])?(?<comma>\\s*,)?\\s*\\z",
                   0 },
    /* The author phrase that ends where a narrative "(2025)" begins. */
    [RX_NARRATIVE] = { "narrative author", NAME_DEFS AUTHORS "(?<poss>['’]s?(?=\\s))?\\s*\\z", 0 },
    [RX_NUMERIC] = { "numeric callout",
                     "\\s*\\d{1,4}(?:\\s*[–—-]\\s*\\d{1,4})?"
                     "(?:\\s*[,;]\\s*\\d{1,4}(?:\\s*[–—-]\\s*\\d{1,4})?){0,40}\\s*\\z",
                     PCRE2_ANCHORED },
    [RX_LOCATOR] = { "locator",
                     "(?:pp?\\.?\\s*[\\dIVXLCivxlc]|paras?\\.|chaps?\\.|ch\\.|secs?\\.|figs?\\."
                     "|cols?\\.|vols?\\.|nn?\\.\\s*\\d|fn\\.|ll?\\.\\s*\\d|§|(?i:chapter|table|"
                     "figure"
                     "|section|appendix|part|book|verse|line|slide|loc\\.)\\b|\\d)",
                     PCRE2_ANCHORED },
    [RX_BARE_LOCATOR] = { "bare locator", "\\s*(?:pp?|paras?)\\.?\\s*\\d[\\d\\s,–-]*\\z",
                          PCRE2_ANCHORED },
    [RX_CITED_IN] = { "cited in", "(?<!\\p{L})(?:as\\s+)?cited\\s+in\\s+", PCRE2_CASELESS },
    [RX_PERSONAL] = { "personal communication", "\\s*,?\\s*personal\\s+communication\\b",
                      PCRE2_CASELESS },
    /* A number right after a locator label is a page, not a year: "pp. 1999-2001". */
    [RX_LOCATOR_BEFORE] = { "locator label",
                            "(?:\\b(?:pp?|paras?|vols?|nos?|chap|ch|fig|figs|eq|eqs)\\.?"
                            "|\\b(?:page|pages|table|figure|section|chapter|no|nr)|[#§])\\s*\\z",
                            PCRE2_CASELESS },
};

/* Capitalised words that start a sentence or name a part of a document, never an author on
 * their own: "As Dillman et al. (2008)" is Dillman's; "(March 2012)" is a date. */
/* clang-format off */
static const char *const not_names[] = {
    "According", "Additionally", "After",         "Also",       "Although",      "An",
    "And",       "Appendix",     "April",         "As",         "At",            "August",
    "Because",   "Before",       "Both",          "Box",        "But",           "By",
    "Chapter",   "Class",        "Consistent",    "December",   "During",        "Earlier",
    "Edition",   "Eq",           "Equation",      "Experiment", "February",      "Fig",
    "Figure",    "Figures",      "Finally",       "First",      "Following",     "For",
    "From",      "Further",      "Furthermore",   "Here",       "However",       "If",
    "In",        "Indeed",       "Interestingly", "Issue",      "January",       "July",
    "June",      "Later",        "Like",          "March",      "May",           "Model",
    "Moreover",  "Movie",        "Notably",       "November",   "October",       "Of",
    "On",        "Only",         "Or",            "Our",        "Panel",         "Part",
    "Phase",     "Previously",   "Recently",      "Release",    "Route",         "Section",
    "See",       "September",    "Series",        "Similarly",  "Since",         "So",
    "Spring",    "Step",         "Study",         "Summer",     "Supplementary", "Table",
    "Tables",    "That",         "The",           "Their",      "Then",          "There",
    "These",     "This",         "Those",         "Thus",       "To",            "Type",
    "Unlike",    "Using",        "Version",       "Video",      "Volume",        "We",
    "When",      "Whereas",      "While",         "Windows",    "Winter",        "With",
    "Within",    "Without",      "Yet",
};
/* clang-format on */

/* strcmp(name, s[0..len)) for an s of len bytes without a NUL. */
static int compare_word(const char *name, const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (name[i] != s[i])
            return (unsigned char)name[i] - (unsigned char)s[i]; /* name's NUL sorts first */
    return name[len] != '\0';
}

/* A binary search of not_names, without copying the word (it runs for every name read). */
static bool is_not_name(const char *s, size_t len)
{
    len = strnlen(s, len);
    if (len == 0 || len >= 16 || s[0] < 'A' || s[0] > 'Z') /* every entry is capitalised */
        return false;
    size_t lo = 0, hi = CITE_ARRAY_LEN(not_names);
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = compare_word(not_names[mid], s, len);
        if (c == 0)
            return true;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

typedef struct group {
    size_t open, cs, ce, end;    /* the opening bracket; content [cs, ce); just past the closing */
    bool square;                 /* [ ] rather than ( ) or （ ） */
    bool nested;                 /* inside another group */
    bool unclosed;               /* its "(" is never closed: it ends with the paragraph */
    size_t first_token, ntokens; /* its own date tokens, in sc->tokens */
} group;

typedef struct token {
    size_t start, end;   /* the whole token, suffix included */
    size_t dstart, dend; /* the date without its suffix */
    char suffix[4];
    size_t group; /* index of the innermost group, or SIZE_MAX */
} token;

/* An author phrase as RX_PAREN or RX_NARRATIVE read it. */
typedef struct phrase {
    size_t start, end;         /* the phrase, initials and et al. included */
    size_t names_end;          /* end of the names (before et al.) */
    size_t ini_start, ini_end; /* initials; equal when none */
    size_t abbr_start, abbr_end;
    bool etal, etal_punct, colleagues, possessive, comma, title;
    bool and_join, amp_join;
} phrase;

typedef struct scanner {
    const char *s;
    size_t len;
    const char *file;
    cite_diag *diag;
    cite_rx_set *rx;
    int g_date, g_suffix, g_title, g_ini, g_join, g_etal, g_colleagues, g_abbr, g_comma, g_poss,
        g_authors;
    group *groups;
    size_t ngroups, capgroups;
    token *tokens;
    size_t ntokens, captokens;
    size_t tokens_before; /* tokens that start before the latest group's close */
    const cite_scan_skip *skip;
    size_t nskip;
    cite_scan *out;
    cite_buf scratch;   /* a string being made, before it is kept in the arena */
    cite_buf key, prev; /* group_facts' folded names */
    const char **names; /* split_names' names, before they are kept */
    size_t capnames;
    size_t last_narrative; /* item index of the latest narrative citation, or SIZE_MAX */
    unsigned group_no;
    unsigned gave_up; /* matches that hit a pcre2 limit */
    int err;
} scanner;

/* ---- small text helpers ------------------------------------------------------------------ */

static bool is_blank_byte(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static bool is_ascii_letter(unsigned char c)
{
    return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
}

static bool is_ascii_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Trims ASCII blanks, NBSP and the given punctuation from both ends of [*a, *b). */
static void trim(const char *s, size_t *a, size_t *b, const char *punct)
{
    for (;;) {
        if (*a < *b && (is_blank_byte(s[*a]) || strchr(punct, s[*a])))
            (*a)++;
        else if (*b - *a >= 2 && (unsigned char)s[*a] == 0xC2 && (unsigned char)s[*a + 1] == 0xA0)
            *a += 2;
        else
            break;
    }
    for (;;) {
        if (*b > *a && (is_blank_byte(s[*b - 1]) || strchr(punct, s[*b - 1])))
            (*b)--;
        else if (*b - *a >= 2 && (unsigned char)s[*b - 2] == 0xC2 &&
                 (unsigned char)s[*b - 1] == 0xA0)
            *b -= 2;
        else
            break;
    }
}

/* Appends s[a, b) with every run of whitespace made one space, a hyphenated line break
 * ("Eizen-\nga") joined when a lowercase letter follows. */
static void put_collapsed(cite_buf *out, const char *s, size_t a, size_t b)
{
    /* Never longer than s[a, b) (a run of blanks becomes one space): one growth, then bytes. */
    if (b <= a || cite_buf_grow(out, b - a) < 0)
        return;
    char *w = out->ptr + out->len;
    bool space = false;
    for (size_t i = a; i < b;) {
        unsigned char c = (unsigned char)s[i];
        if (c == '-' && i + 1 < b && (s[i + 1] == '\n' || s[i + 1] == '\r')) {
            size_t j = i + 1;
            while (j < b && is_blank_byte(s[j]))
                j++;
            if (j < b && s[j] >= 'a' && s[j] <= 'z') {
                i = j;
                continue;
            }
        }
        if (is_blank_byte((char)c) || (c == 0xC2 && i + 1 < b && (unsigned char)s[i + 1] == 0xA0)) {
            i += c == 0xC2 ? 2 : 1;
            space = true;
            continue;
        }
        if (space && w > out->ptr)
            *w++ = ' ';
        space = false;
        *w++ = (char)c;
        i++;
    }
    *w = '\0';
    out->len = (size_t)(w - out->ptr);
}

/* ---- the scan's strings --------------------------------------------------------------------- */

/* Every string of every item lives in chunks the scan owns: a citation costs a few bump
 * allocations instead of a malloc per string, and cite_scan_free() releases them together. */
struct cite_scan_chunk {
    struct cite_scan_chunk *next;
    size_t used, cap;
    _Alignas(max_align_t) char data[];
};

enum { CHUNK_SIZE = 64 * 1024 - 64 }; /* under 64 KiB with malloc's header */

void *cite_scan_alloc(cite_scan *scan, size_t size, size_t align)
{
    struct cite_scan_chunk *c = scan->strings;
    size_t at = c ? (c->used + align - 1) & ~(align - 1) : 0;
    if (!c || at > c->cap || size > c->cap - at) {
        size_t cap = CITE_MAX((size_t)CHUNK_SIZE, size);
        if (cap > SIZE_MAX - sizeof *c || !(c = cite_malloc(sizeof *c + cap)))
            return NULL;
        *c = (struct cite_scan_chunk){ .next = scan->strings, .cap = cap };
        scan->strings = c;
        at = 0;
    }
    c->used = at + size;
    return c->data + at;
}

/* size bytes aligned to align (a power of two) from the scan's arena, or NULL (sc->err set). */
static void *arena_alloc(scanner *sc, size_t size, size_t align)
{
    void *p = cite_scan_alloc(sc->out, size, align);
    if (!p)
        sc->err = CITE_ENOMEM;
    return p;
}

/* A copy of s[0, n) in the arena, NUL-terminated; NULL on OOM. */
static const char *keep(scanner *sc, const char *s, size_t n)
{
    char *copy = n < SIZE_MAX ? arena_alloc(sc, n + 1, 1) : NULL;
    if (!copy)
        return NULL;
    memcpy(copy, s, n);
    copy[n] = '\0';
    return copy;
}

/* The scratch buffer kept; NULL on OOM. */
static const char *keep_scratch(scanner *sc)
{
    if (sc->scratch.oom) {
        sc->err = CITE_ENOMEM;
        return NULL;
    }
    return keep(sc, sc->scratch.ptr, sc->scratch.len);
}

/* s[a, b) collapsed and in Unicode NFC ("Goi\u0308ta" -> "Goïta"), kept in the arena. */
static const char *text_of(scanner *sc, size_t a, size_t b)
{
    cite_buf *buf = &sc->scratch;
    cite_buf_clear(buf);
    put_collapsed(buf, sc->s, a, b);
    bool ascii = true;
    for (size_t i = 0; i < buf->len && ascii; i++)
        ascii = (unsigned char)buf->ptr[i] < 0x80;
    if (!ascii && !buf->oom) {
        utf8proc_uint8_t *nfc = utf8proc_NFC((const utf8proc_uint8_t *)buf->ptr);
        if (nfc) {
            const char *text = keep(sc, (const char *)nfc, strlen((const char *)nfc));
            free(nfc); /* utf8proc allocates with malloc */
            return text;
        }
    }
    return keep_scratch(sc);
}

static cite_loc loc_of(const scanner *sc, size_t offset)
{
    cite_loc at = { .file = sc->file, .offset = offset, .line = 1, .col = 1 };
    size_t line_start = 0;
    for (size_t i = 0; i < offset && i < sc->len; i++)
        if (sc->s[i] == '\n') {
            at.line++;
            line_start = i + 1;
        }
    at.col = (unsigned)cite_utf8_count(sc->s + line_start, offset - line_start) + 1;
    return at;
}

/* cite_rx_match on s[0, end) from start; a pattern that gives up is a warning and no match. */
static int
match(cite_rx_result *m, scanner *sc, size_t pattern, size_t start, size_t end, uint32_t options)
{
    int rc = cite_rx_match(m, sc->rx, pattern, sc->s, end, start, options);
    if (rc == CITE_ERROR) {
        /* A few places say where; more would cost a line count each and say nothing new. */
        if (sc->gave_up++ < MAX_LIMIT_WARNINGS)
            cite_diag_report(sc->diag, CITE_SEV_WARNING, loc_of(sc, start),
                             "pattern '%s' gave up here (match limit); no citation read",
                             patterns[pattern].name);
        rc = 0;
    }
    if (rc < 0 && !sc->err)
        sc->err = rc;
    return rc;
}

static bool group_span(const cite_rx_result *m, int number, size_t *a, size_t *b)
{
    return number > 0 && cite_rx_group(m, number, a, b) && *b > *a;
}

static bool skipped(const scanner *sc, size_t start, size_t end)
{
    for (size_t i = 0; i < sc->nskip; i++)
        if (start < sc->skip[i].end && end > sc->skip[i].start)
            return true;
    return false;
}

/* ---- pass 1: brackets -------------------------------------------------------------------- */

/* 0 when s[i] opens nothing; else the byte length of the bracket, *square set. */
static size_t opener(const char *s, size_t len, size_t i, bool *square)
{
    *square = s[i] == '[';
    if (s[i] == '(' || s[i] == '[')
        return 1;
    if (i + 2 < len && memcmp(s + i, "\xEF\xBC\x88", 3) == 0) /* U+FF08 （ */
        return 3;
    return 0;
}

static size_t closer(const char *s, size_t len, size_t i, bool *square)
{
    *square = s[i] == ']';
    if (s[i] == ')' || s[i] == ']')
        return 1;
    if (i + 2 < len && memcmp(s + i, "\xEF\xBC\x89", 3) == 0) /* U+FF09 ） */
        return 3;
    return 0;
}

static bool blank_line_at(const char *s, size_t len, size_t i)
{
    if (s[i] != '\n')
        return false;
    for (size_t j = i + 1; j < len && s[j] != '\n'; j++)
        if (!is_blank_byte(s[j]))
            return false;
    return true;
}

typedef struct open_bracket {
    size_t at, len;
    bool square;
} open_bracket;

/* Does a date token start in (open, close)? Then assign_tokens() sees the group, whether the
 * token ends up its own or a nested group's. The tokens are found first, in text order; the
 * closes come in text order too (an unclosed group may end a little earlier than the latest
 * close), so the search walks on from where the previous one stopped. */
static bool token_inside(scanner *sc, size_t open, size_t close)
{
    size_t k = sc->tokens_before;
    while (k < sc->ntokens && sc->tokens[k].start < close)
        k++;
    sc->tokens_before = k;
    while (k > 0 && sc->tokens[k - 1].start >= close)
        k--;
    return k > 0 && sc->tokens[k - 1].start > open;
}

/* Can the group of o closing at `close` matter to read_group()? When a date token starts in it,
 * or when it may be a numeric callout "[3]" or a bare locator "(p. 12)": their patterns start,
 * after blanks, with a digit or a "p" (what \s and \d make of a byte >= 0x80 is left to the
 * patterns). Most brackets of a manuscript are none of these; they are dropped when they close,
 * which keeps the group array small and spares two pattern calls each. */
static bool may_matter(scanner *sc, const open_bracket *o, size_t close)
{
    if (token_inside(sc, o->at, close))
        return true;
    size_t p = o->at + o->len;
    while (p < close && is_blank_byte(sc->s[p]))
        p++;
    if (p >= close)
        return false;
    unsigned char c = (unsigned char)sc->s[p];
    return c >= 0x80 || (o->square ? c >= '0' && c <= '9' : c == 'p');
}

/* Keeps the group of o when it may matter. Groups are kept in the order they open, the order
 * they are read in: a group closes after the groups nested in it, so it goes in before those
 * of them that were kept (at most MAX_DEPTH levels of them), and no sort is needed. */
static int add_group(
    scanner *sc, const open_bracket *o, size_t close, size_t close_len, bool nested, bool unclosed)
{
    if (close - o->at > MAX_SPAN || skipped(sc, o->at, close + close_len) ||
        !may_matter(sc, o, close))
        return 0;
    if (cite_grow_array((void **)&sc->groups, &sc->capgroups, sc->ngroups + 1, sizeof(group)))
        return CITE_ENOMEM;
    size_t k = sc->ngroups++;
    for (; k > 0 && sc->groups[k - 1].open > o->at; k--)
        sc->groups[k] = sc->groups[k - 1];
    sc->groups[k] = (group){ .open = o->at,
                             .cs = o->at + o->len,
                             .ce = close,
                             .end = close + close_len,
                             .square = o->square,
                             .nested = nested,
                             .unclosed = unclosed,
                             .first_token = SIZE_MAX };
    return 0;
}

/* "(Daniels et al.,\n2008, 1:10000; ..." never closes: each "(" left open at the end of a
 * paragraph is read as a group up to there, at most UNCLOSED_SPAN bytes; what it yields counts
 * only when it links (weak). */
static int close_unclosed(scanner *sc, const open_bracket *stack, size_t depth, size_t end)
{
    for (size_t k = 0; k < depth; k++)
        if (!stack[k].square &&
            add_group(sc, &stack[k], CITE_MIN(end, stack[k].at + UNCLOSED_SPAN), 0, k > 0, true))
            return CITE_ENOMEM;
    return 0;
}

/* Pairs brackets with a bounded stack; a closer that does not match the innermost opener is
 * ignored, and a blank line forgets every opener (groups never span paragraphs). When the
 * stack is full the oldest opener is forgotten: the innermost groups are the citations. */
static int find_groups(scanner *sc)
{
    open_bracket stack[MAX_DEPTH];
    size_t depth = 0;
    cite_byte_cursor bytes;
    cite_byte_cursor_init(&bytes, sc->s, sc->len, CITE_BYTES_BRACKETS);
    for (size_t i = cite_byte_cursor_next(&bytes, 0); i < sc->len;
         i = cite_byte_cursor_next(&bytes, i + 1)) {
        bool square;
        size_t n;
        if (sc->s[i] == '\n') {
            if (depth && blank_line_at(sc->s, sc->len, i)) {
                if (close_unclosed(sc, stack, depth, i))
                    return CITE_ENOMEM;
                depth = 0;
            }
        } else if ((n = opener(sc->s, sc->len, i, &square))) {
            if (depth == MAX_DEPTH) {
                memmove(stack, stack + 1, (MAX_DEPTH - 1) * sizeof *stack);
                depth--;
            }
            stack[depth++] = (open_bracket){ i, n, square };
            i += n - 1;
        } else if ((n = closer(sc->s, sc->len, i, &square))) {
            if (depth && stack[depth - 1].square == square) {
                depth--;
                if (add_group(sc, &stack[depth], i, n, depth > 0, false))
                    return CITE_ENOMEM;
            }
            i += n - 1;
        }
    }
    return close_unclosed(sc, stack, depth, sc->len);
}

/* ---- pass 2 and 3: date tokens and their groups -------------------------------------------- */

/* A date token as RX_DATE reads it. */
typedef struct date_match {
    size_t start, end; /* the whole match */
    bool dated;        /* the date group took part (it always does) */
    size_t ds, de;     /* the date, without its suffix */
    size_t ss, se;     /* the suffix letter; empty when none */
} date_match;

static date_match date_of(const cite_rx_result *m, const scanner *sc)
{
    date_match d = { .start = m->start, .end = m->end };
    d.dated = cite_rx_group(m, sc->g_date, &d.ds, &d.de);
    if (!cite_rx_group(m, sc->g_suffix, &d.ss, &d.se))
        d.ss = d.se = 0;
    return d;
}

static int on_date(const date_match *m, scanner *sc)
{
    if (!m->dated || skipped(sc, m->start, m->end))
        return 0;
    /* "pp. 1999-2001", "No. 2019": a locator, not a date. Only a letter, a period, # or §
     * (0xA7) just before the number can end a locator label: the pattern runs only then. */
    size_t from = m->start > 12 ? m->start - 12 : 0, b = m->start;
    while (b > from && is_blank_byte(sc->s[b - 1]))
        b--;
    unsigned char before = b > from ? (unsigned char)sc->s[b - 1] : 0;
    bool label_like = (before >= 'a' && before <= 'z') || (before >= 'A' && before <= 'Z') ||
                      before == '.' || before == '#' || before == 0xA7;
    cite_rx_result lm;
    if (label_like && match(&lm, sc, RX_LOCATOR_BEFORE, from, m->start, 0) == 1)
        return 0;
    if (cite_grow_array((void **)&sc->tokens, &sc->captokens, sc->ntokens + 1, sizeof(token)))
        return CITE_ENOMEM;
    token *t = &sc->tokens[sc->ntokens++];
    *t = (token){
        .start = m->start, .end = m->end, .dstart = m->ds, .dend = m->de, .group = SIZE_MAX
    };
    if (m->se - m->ss < sizeof t->suffix)
        memcpy(t->suffix, sc->s + m->ss, m->se - m->ss);
    return 0;
}

/* Does s[i..) start with word, in any case? */
static bool starts_with(const char *s, size_t len, size_t i, const char *word)
{
    for (size_t k = 0; word[k]; k++) { /* word is lowercase ASCII */
        unsigned char c = i + k < len ? (unsigned char)s[i + k] : 0, w = (unsigned char)word[k];
        if (c != w && !(w >= 'a' && w <= 'z' && (c | 0x20) == w))
            return false;
    }
    return true;
}

/* Could a date start at s[i]? The date pattern says exactly; this says cheaply "no" to the
 * numbers and words of a text that cannot be one (most of them), so that pattern runs at
 * few places: a run of 4 digits from 1500 to 2099, 3 or 4 digits before a "/" (1377/2005),
 * "n.d", "n. d", "no date", "in press", "forthcoming". */
static bool may_start_date(const char *s, size_t len, size_t i)
{
    char c = s[i];
    if (c >= '0' && c <= '9') {
        if (i > 0 && s[i - 1] >= '0' && s[i - 1] <= '9')
            return false;
        size_t n = 0;
        unsigned value = 0;
        while (i + n < len && n < 5 && s[i + n] >= '0' && s[i + n] <= '9')
            value = value * 10 + (unsigned)(s[i + n++] - '0');
        bool slash = i + n < len && s[i + n] == '/';
        return (n == 4 && value >= 1500 && value <= 2099) || ((n == 3 || n == 4) && slash);
    }
    if (i > 0 && ((s[i - 1] >= 'a' && s[i - 1] <= 'z') || (s[i - 1] >= 'A' && s[i - 1] <= 'Z')))
        return false;
    char next = i + 1 < len ? s[i + 1] : 0; /* second letters first: "in", "no" are common */
    switch (c) {
    case 'n':
    case 'N':
        return (next == '.' && (starts_with(s, len, i, "n.d") || starts_with(s, len, i, "n. d"))) ||
               ((next == 'o' || next == 'O') && starts_with(s, len, i, "no date"));
    case 'i':
    case 'I':
        return (next == 'n' || next == 'N') && i + 2 < len && s[i + 2] == ' ' &&
               starts_with(s, len, i, "in press");
    case 'f':
    case 'F':
        return (next == 'o' || next == 'O') && starts_with(s, len, i, "forthcoming");
    default:
        return false;
    }
}

/* The subject ends a little after a candidate, so that no scan of pcre2 can ever cover the
 * rest of the document. A date token is at most ~30 bytes; the margin leaves room for the
 * lookahead after it. */
enum { DATE_WINDOW = 64 };

static bool is_digit_byte(unsigned char c)
{
    return c >= '0' && c <= '9';
}

/* The commonest date token, read without RX_DATE: a year 1500-2099 at s[i] with a suffix
 * letter or not ("2015", "2015a"), among ASCII bytes that RX_DATE's look-arounds accept: not
 * after a letter, a digit, / . : - $ # @ _ or "9,", and not before a letter, a digit, _, a
 * period or comma before a digit, or / or - (a range, "2019-2020", goes to the pattern).
 * True and *d filled when RX_DATE would match so; false says nothing (the pattern decides). */
static bool read_plain_year(const scanner *sc, size_t i, date_match *d)
{
    const char *s = sc->s;
    size_t len = sc->len, k = i + 4;
    if (i > 0) {
        unsigned char before = (unsigned char)s[i - 1];
        if (before >= 0x80 || is_ascii_letter(before) || is_digit_byte(before) ||
            strchr("/.:-$#@_", before) || (before == ',' && i >= 2 && is_digit_byte(s[i - 2])))
            return false;
    }
    if (k > len || !is_digit_byte(s[i + 2]) || !is_digit_byte(s[i + 3]) ||
        !((s[i] == '1' && s[i + 1] >= '5' && s[i + 1] <= '9') || (s[i] == '2' && s[i + 1] == '0')))
        return false;
    /* what may not follow the token: a letter, a digit, _, or one of . , / - before a digit */
    size_t end = k;
    bool suffix = k < len && s[k] >= 'a' && s[k] <= 'z' && s[k] != 's';
    end += suffix;
    unsigned char after = end < len ? (unsigned char)s[end] : ' ';
    if (after >= 0x80 || is_ascii_letter(after) || is_digit_byte(after) || after == '_' ||
        after == '/' || after == '-' ||
        ((after == '.' || after == ',') && end + 1 < len && is_digit_byte(s[end + 1])))
        return false;
    *d = (date_match){ .start = i,
                       .end = end,
                       .dated = true,
                       .ds = i,
                       .de = k,
                       .ss = suffix ? k : 0,
                       .se = suffix ? k + 1 : 0 };
    return true;
}

static int find_dates(scanner *sc)
{
    cite_byte_cursor bytes;
    cite_byte_cursor_init(&bytes, sc->s, sc->len, CITE_BYTES_DATES);
    for (size_t i = cite_byte_cursor_next(&bytes, 0); i < sc->len && !sc->err;
         i = cite_byte_cursor_next(&bytes, i + 1)) {
        if (!may_start_date(sc->s, sc->len, i))
            continue;
        date_match d;
        if (!read_plain_year(sc, i, &d)) {
            cite_rx_result m;
            if (match(&m, sc, RX_DATE, i, CITE_MIN(sc->len, i + DATE_WINDOW), 0) != 1)
                continue;
            d = date_of(&m, sc);
        }
        if (on_date(&d, sc) < 0)
            return sc->err = CITE_ENOMEM;
        i = d.end - 1;
    }
    return sc->err;
}

/* Gives each token to the innermost group around it, sweeping groups (sorted by opening, and
 * properly nested) and tokens (in text order) together. */
static void assign_tokens(scanner *sc)
{
    enum { CAP = 2 * MAX_DEPTH + 2 }; /* unclosed groups may overlap closed ones */
    size_t stack[CAP], depth = 0, g = 0;
    for (size_t t = 0; t < sc->ntokens; t++) {
        size_t at = sc->tokens[t].start;
        while (g < sc->ngroups && sc->groups[g].open < at) {
            while (depth && sc->groups[stack[depth - 1]].ce <= sc->groups[g].open)
                depth--;
            if (depth < CAP)
                stack[depth++] = g;
            g++;
        }
        while (depth && sc->groups[stack[depth - 1]].ce <= at)
            depth--;
        if (!depth || sc->tokens[t].end > sc->groups[stack[depth - 1]].ce)
            continue;
        group *gr = &sc->groups[stack[depth - 1]];
        sc->tokens[t].group = stack[depth - 1];
        if (gr->first_token == SIZE_MAX)
            gr->first_token = t;
        gr->ntokens++;
    }
}

/* ---- author phrases ----------------------------------------------------------------------- */

/* The end of a capitalised ASCII word at s[i, end) ("Levine", "WHO", "Smith-Jones"), or i
 * when none starts there. */
static size_t plain_word(const char *s, size_t i, size_t end)
{
    if (i >= end || s[i] < 'A' || s[i] > 'Z')
        return i;
    size_t k = i + 1;
    while (k < end && (is_ascii_letter((unsigned char)s[k]) ||
                       (s[k] == '-' && k + 1 < end && is_ascii_letter((unsigned char)s[k + 1]))))
        k++;
    return k - i >= 2 ? k : i;
}

/* Where a join " and " or " & " that s[i, end) starts with ends, or i. */
static size_t plain_join(const char *s, size_t i, size_t end)
{
    if (end - i >= 5 && memcmp(s + i, " and ", 5) == 0)
        return i + 5;
    if (end - i >= 3 && memcmp(s + i, " & ", 3) == 0)
        return i + 3;
    return i;
}

/* The commonest author phrases of a parenthesis, read without RX_PAREN: s[from, end) is, after
 * blanks, a capitalised ASCII word ("Levine", "Smith-Jones"), " and " or " & " and another
 * such word or not, " et al." or not, then blanks, a comma or not, and blanks. RX_PAREN
 * matches such a window after its blanks (no phrase starts with one), each optional part of
 * the pattern taking what it can, so the phrase is the one the pattern gives; a run of
 * tools/same-output.sh compares them on real documents. Anything else (a byte outside ASCII,
 * a particle, a line break inside) gets false and goes to the pattern. Most citations of a
 * paper have this shape, and the pattern costs some thousand instructions a match. */
static bool read_plain_phrase(const scanner *sc, size_t from, size_t end, phrase *ph)
{
    const char *s = sc->s;
    while (from < end && is_ascii_blank(s[from]))
        from++;
    unsigned char before = from ? (unsigned char)s[from - 1] : ' ';
    if (before >= 0x80 || is_ascii_letter(before) || (before >= '0' && before <= '9') ||
        before == '\'' || before == '-') /* what the pattern's look-behind refuses */
        return false;
    size_t i = plain_word(s, from, end), join = i;
    if (i == from)
        return false;
    phrase p = { .start = from, .ini_start = from, .ini_end = from };
    size_t after_join = plain_join(s, i, end), second = plain_word(s, after_join, end);
    if (after_join > i && second > after_join) {
        p.and_join = s[join + 1] == 'a';
        p.amp_join = !p.and_join;
        i = second;
    }
    p.names_end = i;
    if (end - i >= 7 && memcmp(s + i, " et al.", 7) == 0) {
        p.etal = true;
        p.names_end = i + 1; /* where "et al." starts */
        i += 7;
    }
    p.end = i;
    while (i < end && is_ascii_blank(s[i]))
        i++;
    p.comma = i < end && s[i] == ',';
    for (i += p.comma; i < end && is_ascii_blank(s[i]);)
        i++;
    if (i != end)
        return false;
    *ph = p;
    return true;
}

/* Is s[a, b) "et al." as it should be written: "et", blanks (a line may break there), "al."? */
static bool etal_well_written(const char *s, size_t a, size_t b)
{
    if (b < a + 6 || memcmp(s + a, "et", 2) != 0 || memcmp(s + b - 3, "al.", 3) != 0)
        return false;
    for (size_t i = a + 2; i < b - 3; i++)
        if (!is_ascii_blank(s[i]))
            return false;
    return true;
}

/* Reads the author phrase that ends at `end` (blanks and a comma allowed before it), starting
 * no earlier than `from`, with RX_PAREN or RX_NARRATIVE. */
static bool read_phrase(scanner *sc, size_t pattern, size_t from, size_t end, phrase *ph)
{
    cite_rx_result m;
    if (pattern == RX_PAREN && read_plain_phrase(sc, from, end, ph))
        return true;
    if (from >= end || match(&m, sc, pattern, from, end, 0) != 1)
        return false;
    size_t a, b;
    *ph = (phrase){ 0 };
    if (!cite_rx_group(&m, sc->g_authors, &ph->start, &ph->end))
        return false;
    ph->names_end = ph->end;
    ph->ini_start = ph->ini_end = ph->start;
    ph->title = group_span(&m, sc->g_title, &a, &b);
    if (group_span(&m, sc->g_ini, &a, &b)) {
        ph->ini_start = a;
        ph->ini_end = b;
    }
    if (group_span(&m, sc->g_etal, &a, &b)) {
        ph->etal = true;
        ph->etal_punct = !etal_well_written(sc->s, a, b);
        ph->names_end = a;
    } else if (group_span(&m, sc->g_colleagues, &a, &b)) {
        ph->etal = ph->colleagues = true;
        ph->names_end = a;
    }
    if (group_span(&m, sc->g_join, &a, &b)) {
        ph->and_join = sc->s[a] == 'a';
        ph->amp_join = !ph->and_join;
    }
    if (pattern == RX_PAREN && group_span(&m, sc->g_abbr, &a, &b)) {
        ph->abbr_start = a;
        ph->abbr_end = b;
    }
    ph->comma = pattern == RX_PAREN && group_span(&m, sc->g_comma, &a, &b);
    ph->possessive = pattern == RX_NARRATIVE && group_span(&m, sc->g_poss, &a, &b);
    return true;
}

static size_t word_end(const char *s, size_t a, size_t b)
{
    while (a < b && !is_blank_byte(s[a]))
        a++;
    return a;
}

static size_t skip_blanks(const char *s, size_t a, size_t b)
{
    while (a < b && is_blank_byte(s[a]))
        a++;
    return a;
}

/* Drops sentence words from the front of the phrase ("As Dillman", "The World Health
 * Organization"); false when nothing name-like is left. */
static bool trim_phrase(scanner *sc, phrase *ph)
{
    if (ph->title)
        return true;
    size_t start = ph->ini_end > ph->start ? ph->ini_end : ph->start;
    for (;;) {
        size_t we = word_end(sc->s, start, ph->names_end);
        if (!is_not_name(sc->s + start, we - start))
            break;
        size_t next = skip_blanks(sc->s, we, ph->names_end);
        if (next >= ph->names_end || sc->s[next] < 'A' ||
            (sc->s[next] > 'Z' && (unsigned char)sc->s[next] < 0x80))
            return false; /* "However (2020)", "In the (2020)" */
        start = ph->start = ph->ini_start = ph->ini_end = next;
    }
    return true;
}

/* The length of the name separator at s[i] (",", "&", "＆", " and " not before "the"), or 0. */
static size_t separator_at(const char *s, size_t start, size_t i, size_t end)
{
    if (s[i] == ',' || s[i] == '&')
        return 1;
    if (end - i >= 3 && memcmp(s + i, "＆", 3) == 0)
        return 3;
    if (i > start && is_blank_byte(s[i - 1]) && end - i > 4 && memcmp(s + i, "and", 3) == 0 &&
        is_blank_byte(s[i + 3]) && !(end - i > 8 && memcmp(s + i + 4, "the ", 4) == 0))
        return 3;
    return 0;
}

/* False when a name of the item is a sentence word or a month: "(IPI Human, September,
 * 2011)" is a date, not three authors. */
static bool plausible_authors(const cite_scan_item *it)
{
    for (size_t i = 0; i < it->nauthors; i++)
        if (is_not_name(it->authors[i], strlen(it->authors[i])))
            return false;
    return it->nauthors > 0;
}

/* Splits the names of a phrase at its separators into item->authors; a quoted title standing
 * for the author is one name. */
static int split_names(scanner *sc, const phrase *ph, cite_scan_item *item)
{
    const char *s = sc->s;
    size_t a = ph->ini_end > ph->start ? ph->ini_end : ph->start, end = ph->names_end;
    if (ph->title) {
        a = ph->start + (s[ph->start] == '"' ? 1 : 3); /* “ is 3 bytes */
        end = ph->end - (s[ph->end - 1] == '"' ? 1 : 3);
        item->comment = "title-as-author";
    }
    size_t n = 0;
    while (a < end) {
        size_t b = a, sep = 0;
        while (b < end && (ph->title || !(sep = separator_at(s, a, b, end))))
            b++;
        size_t x = a, y = b;
        trim(s, &x, &y, ph->title ? ",.\"" : ",");
        if (y > x) {
            if (cite_grow_array((void **)&sc->names, &sc->capnames, n + 1, sizeof *sc->names) ||
                !(sc->names[n++] = text_of(sc, x, y)))
                return sc->err = CITE_ENOMEM;
        }
        a = b + sep;
        if (!sep)
            break;
    }
    if (n) {
        const char **names = arena_alloc(sc, n * sizeof *names, _Alignof(const char *));
        if (!names)
            return CITE_ENOMEM;
        memcpy(names, sc->names, n * sizeof *names);
        item->authors = names;
        item->nauthors = n;
    }
    return 0;
}

/* ---- items --------------------------------------------------------------------------------- */

/* Appends item; returns its index, or SIZE_MAX on OOM. */
static size_t add_item(scanner *sc, cite_scan_item *item)
{
    cite_scan *out = sc->out;
    if (sc->err || cite_grow_array((void **)&out->items, &out->cap, out->count + 1, sizeof *item)) {
        if (!sc->err)
            sc->err = CITE_ENOMEM;
        return SIZE_MAX;
    }
    out->items[out->count] = *item;
    return out->count++;
}

/* Fills the locator and comment of an item from the text after its date: parts separated by
 * commas, the locator running to the last part that looks like one ("Discussion section,
 * para. 1"; "p. 12, emphasis added" has a comment after it). */
static void read_tail(scanner *sc, cite_scan_item *item, size_t a, size_t b)
{
    const char *s = sc->s;
    trim(s, &a, &b, ",;");
    if (a >= b)
        return;
    if (s[a] == ':') {
        a = skip_blanks(s, a + 1, b);
        item->locator = text_of(sc, a, b);
        return;
    }
    size_t loc_end = a;
    for (size_t p = a; p < b;) {
        size_t q = p;
        while (q < b && s[q] != ',')
            q++;
        cite_rx_result m;
        size_t ps = skip_blanks(s, p, q);
        if (ps < q && match(&m, sc, RX_LOCATOR, ps, q, 0) == 1)
            loc_end = q;
        p = q < b ? q + 1 : b;
    }
    if (loc_end > a) {
        item->locator = text_of(sc, a, loc_end);
        if (!is_blank_byte(s[a - 1]) || s[a - 2] != ',')
            if (s[a - 1] != ',')
                item->facts |= CITE_SCAN_LOC_COMMA;
    }
    size_t ca = loc_end, cb = b;
    trim(s, &ca, &cb, ",");
    if (cb > ca && !item->comment)
        item->comment = text_of(sc, ca, cb);
}

/* The text of one token: "2025a", "n.d.-b". */
static void put_token(cite_buf *b, const scanner *sc, const token *t)
{
    put_collapsed(b, sc->s, t->start, t->end);
}

/* A new item for token t with the authors of phrase ph. */
static int start_item(scanner *sc, cite_scan_item *it, const phrase *ph, const token *t)
{
    *it = (cite_scan_item){ .anchor = ph->start, .etal = ph->etal, .group = sc->group_no };
    it->date = text_of(sc, t->dstart, t->dend);
    memcpy(it->suffix, t->suffix, sizeof it->suffix);
    if (ph->ini_end > ph->ini_start)
        it->initials = text_of(sc, ph->ini_start, ph->ini_end);
    if (ph->abbr_end > ph->abbr_start)
        it->abbr = text_of(sc, ph->abbr_start, ph->abbr_end);
    if (ph->etal_punct)
        it->facts |= CITE_SCAN_ETAL_PUNCT;
    if (ph->and_join)
        it->facts |= CITE_SCAN_AND;
    if (ph->amp_join)
        it->facts |= CITE_SCAN_AMP;
    if (ph->colleagues)
        it->comment = "and colleagues";
    if (split_names(sc, ph, it) < 0 || !it->date || sc->err)
        return CITE_ENOMEM;
    return 0;
}

static bool only_separators(const char *s, size_t a, size_t b);

/* The shown text of an item: its phrase, then the date (in parentheses when narrative) and
 * the locator. */
static int set_text(scanner *sc, cite_scan_item *it, const phrase *ph, const token *t)
{
    cite_buf *b = &sc->scratch;
    cite_buf_clear(b);
    /* As written when the date follows its phrase ("Levine 2025", "Levine, 2025"); else made
     * up from both ("Levine, 2025b" of "(Levine, 2025a, 2025b)"). */
    bool adjacent = !it->narrative && t->start >= ph->end && t->start - ph->end <= 4 &&
                    only_separators(sc->s, ph->end, t->start);
    if (adjacent) {
        put_collapsed(b, sc->s, ph->start, t->end);
    } else {
        put_collapsed(b, sc->s, ph->start, ph->end);
        cite_buf_puts(b, it->narrative ? " (" : ", ");
        put_token(b, sc, t);
    }
    if (it->locator) {
        cite_buf_puts(b, ", ");
        cite_buf_puts(b, it->locator);
    }
    if (it->narrative)
        cite_buf_putc(b, ')');
    it->text = keep_scratch(sc);
    return it->text ? 0 : CITE_ENOMEM;
}

/* ---- groups -------------------------------------------------------------------------------- */

static size_t first_number(const char *s, size_t a, size_t b, unsigned *n)
{
    *n = 0;
    while (a < b && (s[a] < '0' || s[a] > '9'))
        a++;
    size_t start = a;
    while (a < b && s[a] >= '0' && s[a] <= '9')
        *n = *n * 10 + (unsigned)(s[a++] - '0');
    return a - start;
}

static int add_number(scanner *sc, const group *g, unsigned n, size_t a, size_t b)
{
    cite_scan_item it = { .anchor = g->open,
                          .numeric = true,
                          .number = n,
                          .group = sc->group_no,
                          .open = g->open,
                          .close = g->end,
                          .text = text_of(sc, a, b) };
    add_item(sc, &it);
    return sc->err;
}

/* "[12]–[17]": the numbers between two numeric groups joined by a dash are cited too. */
static int read_implied(scanner *sc, const group *g, unsigned last)
{
    const char *s = sc->s;
    size_t p = skip_blanks(s, g->end, sc->len), dash = 0;
    if (p < sc->len && s[p] == '-')
        dash = 1;
    else if (sc->len - p >= 3 && (!memcmp(s + p, "–", 3) || !memcmp(s + p, "—", 3)))
        dash = 3;
    size_t q = dash ? skip_blanks(s, p + dash, sc->len) : p;
    unsigned next;
    if (!dash || q >= sc->len || s[q] != '[' ||
        !first_number(s, q, CITE_MIN(sc->len, q + 8), &next))
        return 0;
    for (unsigned n = last + 1; n < next && n - last <= MAX_RANGE && !sc->err; n++)
        add_number(sc, g, n, p, p + dash);
    return sc->err;
}

static int read_numeric(scanner *sc, const group *g)
{
    const char *s = sc->s;
    unsigned last = 0;
    size_t a = g->cs, b = g->ce;
    sc->group_no++; /* a numeric bracket is a group of its own too */
    trim(s, &a, &b, "");
    for (size_t p = a; p < b && !sc->err;) {
        unsigned lo = 0, hi = 0;
        while (p < b && (s[p] < '0' || s[p] > '9'))
            p++;
        while (p < b && s[p] >= '0' && s[p] <= '9')
            lo = lo * 10 + (unsigned)(s[p++] - '0');
        hi = lo;
        size_t q = skip_blanks(s, p, b);
        if (q < b && (s[q] == '-' ||
                      (b - q >= 3 && (memcmp(s + q, "–", 3) == 0 || memcmp(s + q, "—", 3) == 0)))) {
            q = skip_blanks(s, q + (s[q] == '-' ? 1 : 3), b);
            for (hi = 0; q < b && s[q] >= '0' && s[q] <= '9'; q++)
                hi = hi * 10 + (unsigned)(s[q] - '0');
            p = q;
            if (hi < lo || hi - lo > MAX_RANGE)
                hi = lo;
        }
        for (unsigned n = lo; n <= hi && !sc->err; n++)
            add_number(sc, g, n, a, b);
        last = hi;
    }
    return sc->err ? sc->err : read_implied(sc, g, last);
}

/* "(p. 12)" after a narrative citation is its locator (APA: Levine (2025) noted "..." (p. 12)). */
static void attach_bare_locator(scanner *sc, const group *g)
{
    if (sc->last_narrative == SIZE_MAX)
        return;
    cite_scan_item *it = &sc->out->items[sc->last_narrative];
    if (it->locator || it->anchor + 600 < g->open)
        return;
    for (size_t i = it->anchor; i < g->open; i++)
        if (blank_line_at(sc->s, sc->len, i))
            return;
    size_t a = g->cs, b = g->ce;
    trim(sc->s, &a, &b, "");
    it->locator = text_of(sc, a, b);
}

/* "Levine's (2025)", "Papp and Müller (2006)", "Levine (2025a, 2025b)", "Boeke (2019, as cited
 * in Levine, 2025)", "Levine (2025; Omeje, 2025)". */
static int read_narrative(scanner *sc, const group *g, phrase *ph);
static int read_items(scanner *sc, const group *g, size_t t0, bool narrative, const phrase *first);

/* Where the search for an author phrase ending at `at` starts: NARRATIVE_WINDOW bytes back,
 * but not before a blank line or a character no phrase holds (brackets, ';', ':'), so that
 * text dense with names costs no more than the phrase itself. */
static size_t window_start(const scanner *sc, size_t at)
{
    size_t from = at > NARRATIVE_WINDOW ? at - NARRATIVE_WINDOW : 0;
    for (size_t i = at; i > from; i--) {
        char c = sc->s[i - 1];
        if (c == '(' || c == ')' || c == '[' || c == ']' || c == ';' || c == ':' ||
            blank_line_at(sc->s, sc->len, i - 1))
            return i;
    }
    while (from < at && ((unsigned char)sc->s[from] & 0xC0) == 0x80)
        from++; /* not in the middle of a character */
    return from;
}

static int read_narrative(scanner *sc, const group *g, phrase *ph)
{
    if (!read_phrase(sc, RX_NARRATIVE, window_start(sc, g->open), g->open, ph) ||
        !trim_phrase(sc, ph))
        return 0;
    /* "Orwell’s Nineteen Eighty-Four (1949)": after a possessive comes a title. */
    size_t before = ph->start;
    while (before > 0 && is_blank_byte(sc->s[before - 1]))
        before--;
    if (before >= 2 && sc->s[before - 1] == 's' &&
        (sc->s[before - 2] == '\'' || (before >= 4 && memcmp(sc->s + before - 4, "’", 3) == 0)))
        return 0;
    return read_items(sc, g, g->first_token, true, ph);
}

/* Does s[a, b) contain word? A cheap test before a pattern that can only match around it. */
static bool contains(const char *s, size_t a, size_t b, const char *word)
{
    size_t n = strlen(word);
    for (size_t i = a; i + n <= b; i++)
        if (s[i] == word[0] && memcmp(s + i, word, n) == 0)
            return true;
    return false;
}

/* Where the item that starts a segment begins: after the last ';' of the segment, or after a
 * "cited in". *role receives CITE_ROLE_VIA for the latter. */
static size_t segment_head(scanner *sc, size_t a, size_t b, size_t *tail_end, cite_scan_role *role)
{
    *role = CITE_ROLE_WORK;
    *tail_end = a;
    for (size_t i = b; i > a; i--)
        if (sc->s[i - 1] == ';') {
            *tail_end = i - 1;
            return i;
        }
    cite_rx_result m;
    if ((contains(sc->s, a, b, "ited") || contains(sc->s, a, b, "ITED")) &&
        match(&m, sc, RX_CITED_IN, a, b, 0) == 1) {
        *tail_end = m.start;
        *role = CITE_ROLE_VIA;
        return m.end;
    }
    return a;
}

static bool only_separators(const char *s, size_t a, size_t b)
{
    for (size_t i = a; i < b; i++)
        if (!is_blank_byte(s[i]) && s[i] != ',' && s[i] != ';' &&
            !((unsigned char)s[i] == 0xC2 && i + 1 < b && (unsigned char)s[++i] == 0xA0))
            return false;
    return true;
}

/* "The World Health Organization (WHO, 2020)": the name before the group is spelled out by the
 * acronym that opens it. True when ph (inside the group) is such an acronym; *full then holds
 * the name before the group. */
static bool defined_acronym(scanner *sc, const group *g, const phrase *ph, phrase *full)
{
    const char *s = sc->s;
    size_t n = ph->names_end - ph->start;
    if (ph->etal || ph->title || n < 2 || n > 12 || skip_blanks(s, g->cs, g->ce) != ph->start)
        return false;
    for (size_t i = ph->start; i < ph->names_end; i++)
        if (s[i] < 'A' || s[i] > 'Z')
            return false;
    if (!read_phrase(sc, RX_NARRATIVE, window_start(sc, g->open), g->open, full) ||
        !trim_phrase(sc, full))
        return false;
    size_t k = ph->start;
    for (size_t i = full->start; i < full->names_end; i++) {
        bool word_start = i == full->start || is_blank_byte(s[i - 1]);
        if (word_start && s[i] >= 'A' && s[i] <= 'Z') {
            if (k >= ph->names_end || s[k] != s[i])
                return false;
            k++;
        }
    }
    return k == ph->names_end;
}

/* Reads the comma-separated locator and comment after an item's date, then sets its text. */
static int
finish_item(scanner *sc, size_t idx, const phrase *ph, const token *t, size_t a, size_t b)
{
    cite_scan_item *it = &sc->out->items[idx];
    if (b > a)
        read_tail(sc, it, a, b);
    if (sc->err || set_text(sc, it, ph, t) < 0)
        return sc->err = CITE_ENOMEM;
    return 0;
}

/* Style facts that need the whole group: the same work twice, first authors out of order
 * (APA sorts a group; a prefix such as "see also" starts a new run). */
static void group_facts(scanner *sc, size_t first, const bool *own)
{
    cite_buf *prev = &sc->prev, *key = &sc->key;
    cite_buf_clear(prev);
    for (size_t i = first; i < sc->out->count; i++) {
        cite_scan_item *it = &sc->out->items[i];
        if (it->nauthors == 0)
            continue;
        cite_buf_clear(key);
        cite_fold(key, it->authors[0], strlen(it->authors[0]), CITE_FOLD_KEY);
        if (own[i - first] && !it->prefix && prev->len && !key->oom &&
            strcmp(key->ptr, prev->ptr) < 0)
            it->facts |= CITE_SCAN_ORDER;
        for (size_t j = first; j < i; j++) {
            const cite_scan_item *o = &sc->out->items[j];
            if (o->nauthors == it->nauthors && strcmp(o->date, it->date) == 0 &&
                strcmp(o->suffix, it->suffix) == 0 && strcmp(o->authors[0], it->authors[0]) == 0)
                it->facts |= CITE_SCAN_DUPLICATE;
        }
        cite_buf_clear(prev);
        cite_buf_puts(prev, key->ptr);
    }
    if (prev->oom || key->oom)
        sc->err = CITE_ENOMEM;
}

/* Reads the items of a group from token t0 on. first: the phrase of the first item when it was
 * found before the group (narrative), or NULL to find it inside. */
static int read_items(scanner *sc, const group *g, size_t t0, bool narrative, const phrase *first)
{
    const char *s = sc->s;
    size_t prev_end = g->cs, prev_item = SIZE_MAX, group_first = sc->out->count;
    phrase cur = { 0 }, prev_ph = { 0 };
    const token *prev_tok = NULL;
    bool have = false, cur_narrative = narrative;
    bool own_flags[64];
    sc->group_no++;
    size_t gi = (size_t)(g - sc->groups);
    for (size_t k = t0; k < sc->ntokens && sc->tokens[k].start < g->ce && !sc->err; k++) {
        const token *t = &sc->tokens[k];
        if (t->group != gi)
            continue; /* a token of a group nested in this one */
        cite_scan_item it;
        cite_scan_role role = CITE_ROLE_WORK;
        size_t head = prev_end, tail_end = prev_end;
        phrase ph, full;
        bool own = false, acronym = false;
        unsigned sep_facts = 0;
        if (k == t0 && first) {
            ph = *first;
            own = true;
        } else if (have && only_separators(s, prev_end, t->start)) {
            ph = cur; /* a bare year: "(Levine, 2019, 2025)" */
        } else {
            head = segment_head(sc, prev_end, t->start, &tail_end, &role);
            cite_rx_result pm;
            bool personal = (contains(s, head, t->start, "ommunication") ||
                             contains(s, head, t->start, "OMMUNICATION")) &&
                            match(&pm, sc, RX_PERSONAL, head, t->start, 0) == 1;
            size_t phrase_end = personal ? pm.start : t->start;
            if (!read_phrase(sc, RX_PAREN, head, phrase_end, &ph) || !trim_phrase(sc, &ph)) {
                have = false;
                continue;
            }
            cur_narrative = false;
            if (personal) {
                role = CITE_ROLE_PERSONAL;
            } else if (k == t0 && defined_acronym(sc, g, &ph, &full)) {
                acronym = cur_narrative = true;
                full.abbr_start = ph.start;
                full.abbr_end = ph.names_end;
                ph = full;
            } else if (have && head == prev_end && ph.start > prev_end) {
                /* "(Levine, 2025, Omeje, 2025)", "(Levine, 2025 and Omeje, 2025)" */
                size_t x = prev_end, y = ph.start;
                trim(s, &x, &y, ",");
                sep_facts = y - x == 3 && memcmp(s + x, "and", 3) == 0 ? CITE_SCAN_SEP_AND
                            : x == y                                   ? CITE_SCAN_SEP_COMMA
                                                                       : 0;
                tail_end = x == y || sep_facts ? prev_end : x;
                if (sep_facts)
                    head = ph.start;
            }
            own = true;
        }
        if (prev_item != SIZE_MAX) {
            if (role == CITE_ROLE_VIA)
                sc->out->items[prev_item].role = CITE_ROLE_ORIGINAL;
            if (finish_item(sc, prev_item, &prev_ph, prev_tok, prev_end, tail_end) < 0)
                return sc->err;
        }
        if (start_item(sc, &it, &ph, t) < 0)
            return sc->err = CITE_ENOMEM;
        if (!plausible_authors(&it)) {
            have = false;
            continue;
        }
        it.narrative = cur_narrative;
        it.possessive = cur_narrative && ph.possessive;
        it.role = role;
        if (role == CITE_ROLE_PERSONAL) {
            it.initials = NULL; /* APA writes them; they are not the author's name */
        }
        it.weak = (g->square && !g->nested) || g->unclosed;
        it.open = g->open;
        it.close = g->unclosed ? g->open : g->end;
        it.facts |= sep_facts;
        if (own && !ph.comma && !cur_narrative && !ph.title) {
            it.facts |= CITE_SCAN_NO_COMMA;
            if (!ph.etal && !ph.and_join && !ph.amp_join && it.nauthors == 1)
                it.weak = true; /* "(Windows 2000)" reads like "(Levine 2025)" */
        }
        /* "Operation Barkhane (2014-2022)", "Levinas (1906–1995)": ranges after a name are
         * more often spans of time than works. */
        if (cur_narrative && t->dend - t->dstart > 4 && !memchr(s + t->dstart, '/', 9))
            it.weak = true;
        if (own && !acronym && head < ph.start) {
            size_t x = head, y = ph.start;
            trim(s, &x, &y, ";");
            if (y > x)
                it.prefix = text_of(sc, x, y);
        }
        size_t idx = add_item(sc, &it);
        if (idx == SIZE_MAX)
            return sc->err;
        if (idx - group_first < CITE_ARRAY_LEN(own_flags))
            own_flags[idx - group_first] = own;
        have = true;
        cur = prev_ph = ph;
        prev_tok = t;
        prev_item = idx;
        prev_end = t->end;
        if (cur_narrative)
            sc->last_narrative = idx;
    }
    if (prev_item != SIZE_MAX && finish_item(sc, prev_item, &prev_ph, prev_tok, prev_end, g->ce))
        return sc->err;
    size_t n = sc->out->count - group_first;
    if (n >= 2 && n <= CITE_ARRAY_LEN(own_flags))
        group_facts(sc, group_first, own_flags);
    return sc->err;
}

/* "as described in Song et al., 2021." and "for Lin et al., 2012, this study": a citation
 * without brackets in running text. Only two or more names or et al. are read (a lone
 * "Paris, 2012" is too often no citation), and weakly: it counts only when it links. */
/* Can a bare citation end at `end`? Only after "et al", "and", "&" or "colleagues" close
 * before it: most years in running text are not preceded by any, and skip the phrase search. */
static bool joins_before(const char *s, size_t from, size_t end)
{
    size_t a = end > from + 80 ? end - 80 : from;
    static const char *const marks[] = { "et al", " and ", "&", "colleagues" };
    for (size_t i = 0; i < CITE_ARRAY_LEN(marks); i++) {
        size_t n = strlen(marks[i]);
        for (size_t p = a; p + n <= end; p++)
            if (s[p] == marks[i][0] && memcmp(s + p, marks[i], n) == 0)
                return true;
    }
    return false;
}

static int read_bare(scanner *sc, const token *t)
{
    phrase ph;
    size_t from = window_start(sc, t->start);
    if (!joins_before(sc->s, from, t->start) || !read_phrase(sc, RX_PAREN, from, t->start, &ph) ||
        !(ph.etal || ph.and_join || ph.amp_join) || !trim_phrase(sc, &ph))
        return sc->err;
    cite_scan_item it;
    sc->group_no++;
    if (start_item(sc, &it, &ph, t) < 0)
        return sc->err = CITE_ENOMEM;
    it.narrative = it.weak = true;
    size_t idx = add_item(sc, &it);
    return idx == SIZE_MAX ? sc->err : finish_item(sc, idx, &ph, t, t->end, t->end);
}

static int read_group(scanner *sc, const group *g)
{
    cite_rx_result m;
    if (g->ntokens == 0) {
        if (g->square && match(&m, sc, RX_NUMERIC, g->cs, g->ce, 0) == 1)
            return read_numeric(sc, g);
        if (!g->square && match(&m, sc, RX_BARE_LOCATOR, g->cs, g->ce, 0) == 1)
            attach_bare_locator(sc, g);
        return sc->err;
    }
    const token *t = &sc->tokens[g->first_token];
    if (skip_blanks(sc->s, g->cs, g->ce) == t->start) {
        phrase ph;
        return read_narrative(sc, g, &ph);
    }
    return read_items(sc, g, g->first_token, false, NULL);
}

/* The groups are read long after the passes that found them left their text: asking for a
 * group's text (and the phrase before it) a few groups ahead lets the reads overlap instead of
 * waiting for memory one group at a time. */
enum { PREFETCH_AHEAD = 4 };

static void prefetch_group(const scanner *sc, size_t g)
{
    if (g >= sc->ngroups)
        return;
    const group *gr = &sc->groups[g];
    size_t from = gr->open > 128 ? gr->open - 128 : 0;
    for (size_t at = from; at < gr->end; at += 64)
        __builtin_prefetch(sc->s + at);
}

/* Text order, by anchor. Items come mostly in order already (only a group nested in another
 * is read after it), so a stable insertion sort costs about one pass and keeps the items of one
 * place ("Levine (2019, 2025)") as they were read. */
static void sort_items(cite_scan *scan)
{
    for (size_t i = 1; i < scan->count; i++) {
        cite_scan_item it = scan->items[i];
        size_t j = i;
        for (; j > 0 && scan->items[j - 1].anchor > it.anchor; j--)
            scan->items[j] = scan->items[j - 1];
        scan->items[j] = it;
    }
}

int cite_scan_text(cite_scan **out,
                   const char *text,
                   size_t len,
                   const cite_scan_skip *skip,
                   size_t nskip,
                   const char *file,
                   cite_diag *diag)
{
    *out = NULL;
    scanner sc = { .s = text,
                   .len = len,
                   .file = file,
                   .diag = diag,
                   .skip = skip,
                   .nskip = nskip,
                   .scratch = CITE_BUF_INIT,
                   .key = CITE_BUF_INIT,
                   .prev = CITE_BUF_INIT,
                   .last_narrative = SIZE_MAX };
    if (!(sc.out = cite_calloc(1, sizeof *sc.out)))
        return CITE_ENOMEM;
    int err = cite_rx_set_new(&sc.rx, patterns, CITE_ARRAY_LEN(patterns), diag);
    if (err < 0)
        goto done;
    sc.g_date = 1;
    sc.g_suffix = 2;
    sc.g_authors = cite_rx_group_number(sc.rx, RX_PAREN, "authors");
    sc.g_title = cite_rx_group_number(sc.rx, RX_PAREN, "title");
    sc.g_ini = cite_rx_group_number(sc.rx, RX_PAREN, "ini");
    sc.g_join = cite_rx_group_number(sc.rx, RX_PAREN, "join");
    sc.g_etal = cite_rx_group_number(sc.rx, RX_PAREN, "etal");
    sc.g_colleagues = cite_rx_group_number(sc.rx, RX_PAREN, "colleagues");
    sc.g_abbr = cite_rx_group_number(sc.rx, RX_PAREN, "abbr");
    sc.g_comma = cite_rx_group_number(sc.rx, RX_PAREN, "comma");
    sc.g_poss = cite_rx_group_number(sc.rx, RX_NARRATIVE, "poss");
    if ((err = find_dates(&sc)) < 0) /* first: find_groups keeps only groups that may matter */
        goto done;
    if ((err = find_groups(&sc)) < 0)
        goto done;
    assign_tokens(&sc);
    for (size_t g = 0; g < sc.ngroups && !sc.err; g++) {
        prefetch_group(&sc, g + PREFETCH_AHEAD);
        read_group(&sc, &sc.groups[g]);
    }
    for (size_t t = 0; t < sc.ntokens && !sc.err; t++)
        if (sc.tokens[t].group == SIZE_MAX)
            read_bare(&sc, &sc.tokens[t]);
    if ((err = sc.err) == 0)
        sort_items(sc.out);
done:
    cite_free(sc.groups);
    cite_free(sc.tokens);
    cite_free((void *)sc.names);
    cite_buf_dispose(&sc.scratch);
    cite_buf_dispose(&sc.key);
    cite_buf_dispose(&sc.prev);
    cite_rx_set_free(sc.rx);
    if (err < 0)
        cite_scan_free(sc.out);
    else
        *out = sc.out;
    return err;
}

void cite_scan_release_items(cite_scan *scan)
{
    cite_free(scan->items);
    scan->items = NULL;
    scan->count = scan->cap = 0;
}

void cite_scan_free(cite_scan *scan)
{
    if (!scan)
        return;
    for (struct cite_scan_chunk *c = scan->strings, *next; c; c = next) {
        next = c->next;
        cite_free(c);
    }
    cite_free(scan->items);
    cite_free(scan);
}
