/* rx.h: the pcre2 wrapper (STYLE.md §6). A module keeps its patterns in one static const table
 * of {name, pattern, flags}, compiles it once into a cite_rx_set, and matches through it.
 *
 * Every pattern is compiled with PCRE2_UTF | PCRE2_UCP | PCRE2_MATCH_INVALID_UTF, so subjects
 * need not be valid UTF-8 (invalid bytes never match a character), and JIT-compiled when the
 * platform allows it. Matching is bounded by a match limit and a depth limit: a pathological
 * pattern returns an error instead of running for ever.
 *
 * Thread safety: a set owns one pcre2_match_data per pattern and reuses it, so a set must not
 * be used by two threads at once. Create one set per thread (or per call). Internal header. */
#ifndef CITE_RX_H
#define CITE_RX_H

#include "common.h"

/* One row of a caller's pattern table. The strings are borrowed for the call to
 * cite_rx_set_new only (the set keeps no pointer to them). */
typedef struct cite_rx_pattern {
    const char *name;    /* for diagnostics: "heading", "marker" */
    const char *pattern; /* pcre2 syntax, UTF-8 */
    uint32_t flags;      /* extra compile options: PCRE2_CASELESS, PCRE2_MULTILINE, ... */
} cite_rx_pattern;

typedef struct cite_rx_set cite_rx_set;

/* The result of a match. Offsets are bytes from the start of the subject. */
typedef struct cite_rx_result {
    size_t start, end;     /* the whole match */
    const size_t *ovector; /* pairs of offsets by group number (0 = whole match); borrowed from
                              the set: valid until the next match of this pattern or
                              cite_rx_set_free */
    uint32_t pairs;        /* number of pairs set in ovector */
} cite_rx_result;

/* Default bounds on backtracking (pcre2_set_match_limit / pcre2_set_depth_limit). */
#define CITE_RX_MATCH_LIMIT 1000000u
#define CITE_RX_DEPTH_LIMIT 10000u

/* Compiles table[0..n) into a new set. A pattern that fails to compile is reported to diag
 * (its name, the error offset in the pattern and pcre2's message) and the result is
 * CITE_EINVALID; CITE_ENOMEM when memory runs out. Caller owns *out (NULL on failure); free
 * with cite_rx_set_free(). Allocation goes through cite_malloc/cite_free. */
int cite_rx_set_new(cite_rx_set **out, const cite_rx_pattern *table, size_t n, cite_diag *diag);
/* Frees the set and its pcre2 objects. No-op on NULL. */
void cite_rx_set_free(cite_rx_set *set);
/* Number of patterns in the set. */
size_t cite_rx_set_count(const cite_rx_set *set);

/* Number of the named group of pattern (resolve once, not per match): > 0, or CITE_ENOTFOUND,
 * or CITE_EAMBIGUOUS when the name is duplicated (PCRE2_DUPNAMES). */
int cite_rx_group_number(const cite_rx_set *set, size_t pattern, const char *name);

/* Matches pattern against subject[0..len) starting at byte start. options are pcre2 match
 * options (PCRE2_ANCHORED, PCRE2_NOTBOL, PCRE2_NOTEMPTY_ATSTART...; usually 0). Options given
 * here that the JIT code was not compiled for (PCRE2_ANCHORED among them) make pcre2 fall back
 * to its interpreter, which also validates the UTF-8 of the whole subject on every call: a
 * pattern matched anchored in a loop should be compiled with PCRE2_ANCHORED instead. Returns 1 and
 * fills *m on a match, 0 when there is none, CITE_ENOMEM, or CITE_ERROR when a limit was hit
 * (match, depth or JIT stack) or pcre2 failed otherwise. Not thread-safe (see above). */
int cite_rx_match(cite_rx_result *m,
                  cite_rx_set *set,
                  size_t pattern,
                  const char *subject,
                  size_t len,
                  size_t start,
                  uint32_t options);

/* True when group took part in the match; then *start and *end receive its byte offsets. */
bool cite_rx_group(const cite_rx_result *m, int group, size_t *start, size_t *end);

/* Called once per match by cite_rx_find_all: return 0 to go on, anything else to stop (a
 * negative value is returned by cite_rx_find_all). */
typedef int (*cite_rx_callback)(const cite_rx_result *m, void *payload);

/* Every non-overlapping match of pattern in subject[0..len), left to right, following
 * pcre2demo.c: after an empty match the next attempt at the same place is made with
 * PCRE2_NOTEMPTY_ATSTART | PCRE2_ANCHORED, so empty matches never loop. Returns the number of
 * matches delivered, or a negative error (of cite_rx_match or of the callback). */
int cite_rx_find_all(cite_rx_set *set,
                     size_t pattern,
                     const char *subject,
                     size_t len,
                     cite_rx_callback callback,
                     void *payload);

#endif
