/* citescan.h: find the in-text citations of a manuscript (APA 7, Harvard, Chicago
 * author-date; numeric brackets), citations/GRAMMAR.md §2. Internal header.
 *
 * How: one pcre2 pass finds the date tokens (1500-2099 with an optional suffix, ranges
 * 2019–2020 and 1900/1953, n.d., no date, in press, forthcoming) that are not part of a larger
 * number, a locator or a word; one linear pass pairs brackets ( ) [ ] （ ） (bounded depth and
 * span, never across a blank line). A group whose own date tokens follow an author
 * phrase is parenthetical: "(see Levine, 2025, p. 12; Omeje 2025a, 2025b)". A group that
 * starts with a date after an author phrase outside it is narrative: "Levine's (2025)",
 * "Eizenga et al. (2020; Omeje, 2025)". The author phrase is found by one pattern anchored
 * at the end of the text before the date, so its cost is bounded by a window, not the
 * document; the whole scan is linear in the text. */
#ifndef CITE_CITESCAN_H
#define CITE_CITESCAN_H

#include "common.h"

/* Style facts about one citation, for the style warnings the checker raises. */
enum {
    CITE_SCAN_AND = 1u << 0,        /* two or more authors joined by "and" */
    CITE_SCAN_AMP = 1u << 1,        /* ... joined by "&" */
    CITE_SCAN_NO_COMMA = 1u << 2,   /* parenthetical with no comma before the year: (Levine 2025) */
    CITE_SCAN_ETAL_PUNCT = 1u << 3, /* "et al" or "et. al." */
    CITE_SCAN_SEP_COMMA = 1u << 4,  /* separated from the previous work by "," where ";" belongs */
    CITE_SCAN_SEP_AND = 1u << 5,    /* ... by "and" */
    CITE_SCAN_DUPLICATE = 1u << 6,  /* the same author and date twice in one group */
    CITE_SCAN_ORDER = 1u << 7,      /* first author sorts before the previous one's in its group */
    CITE_SCAN_LOC_COMMA = 1u << 8,  /* no comma between the date and a locator */
};

typedef enum cite_scan_role {
    CITE_ROLE_WORK,     /* an ordinary citation */
    CITE_ROLE_ORIGINAL, /* Boeke of "(Boeke, 2019, as cited in Levine, 2025)": not in the list */
    CITE_ROLE_VIA,      /* Levine of the same */
    CITE_ROLE_PERSONAL, /* "(T. Nguyen, personal communication, ...)": never in the list */
} cite_scan_role;

/* An item's strings live in its scan's arena: they last until cite_scan_free(). One is kept for
 * every citation of a document: the fields are ordered so that none pads. */
typedef struct cite_scan_item {
    const char *text;     /* the citation as shown: "Levine, 2025, p. 12" of a group,
                             "Levine (2025)" of a narrative, "1–3" of a numeric one */
    size_t anchor;        /* first byte of its (first) author; of the bracket when numeric */
    const char **authors; /* surnames or group names as written, hyphenated line breaks
                             joined; none for a numeric citation */
    size_t nauthors;
    const char *initials; /* "J." of "(J. Smith, 2020)"; NULL */
    const char *date;     /* "2025", "n.d.", "in press", "no date", "forthcoming",
                             "1900/1953", "2019–2020"; without the suffix. NULL when numeric */
    const char *prefix;   /* "see", "e.g.,", "Dryad:"; NULL when none */
    const char *locator;  /* "p. 12", "12" of ": 12"; NULL when none */
    const char *comment;  /* "emphasis added"; NULL when none */
    const char *abbr;     /* "WHO" defined by "(World Health Organization [WHO], 2020)" */
    size_t open, close;   /* the group as written: [open, close) from its opening bracket to just
                             past its closing one; close == open when it has no brackets (bare
                             "Song et al., 2021") or never closes */
    unsigned number;
    cite_scan_role role;
    unsigned facts;  /* CITE_SCAN_* */
    unsigned group;  /* items of one bracket group share it (numbered from 1) */
    char suffix[4];  /* "a" of 2025a and of n.d.-a */
    bool etal;       /* et al., and colleagues */
    bool narrative;  /* the author is part of the sentence */
    bool possessive; /* Levine's (2025) */
    bool numeric;    /* [3], [1–4]: number holds the reference number */
    bool weak;       /* low confidence: (Windows 2000) has the shape of (Levine 2025) */
} cite_scan_item;

typedef struct cite_scan {
    cite_scan_item *items; /* owned, in text order */
    size_t count, cap;
    struct cite_scan_chunk *strings; /* owned: the arena the items' strings live in */
} cite_scan;

/* Byte ranges of the text not to scan (the reference list itself). */
typedef struct cite_scan_skip {
    size_t start, end;
} cite_scan_skip;

/* Scans text[0..len) (UTF-8) outside skip[0..nskip) (sorted, disjoint). Caller owns *out
 * (NULL on failure); free with cite_scan_free(). Returns 0 or CITE_ENOMEM. A pattern that hits
 * pcre2's limits is reported to diag (may be NULL) as a warning at its place; nothing is
 * extracted there. */
int cite_scan_text(cite_scan **out,
                   const char *text,
                   size_t len,
                   const cite_scan_skip *skip,
                   size_t nskip,
                   const char *file,
                   cite_diag *diag);
void cite_scan_free(cite_scan *scan);
/* Frees the items (the array), keeping their strings: for a caller that has taken what it
 * needs from them and goes on borrowing the strings. The scan then has no items. */
void cite_scan_release_items(cite_scan *scan);
/* size bytes aligned to align (a power of two) from the arena the items' strings live in, for
 * strings a caller makes from them and keeps as long as theirs; NULL on OOM. */
void *cite_scan_alloc(cite_scan *scan, size_t size, size_t align);

#endif
