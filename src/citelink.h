/* citelink.h: link one in-text citation to the entries of a reference list
 * (citations/GRAMMAR.md §4). Internal header.
 *
 * The linker indexes the library once by the folded key of each entry's first author (with
 * particles: "vanderberg"), by the same without its leading particles ("berg") and by German
 * transliteration ("mueller"); a lookup is a binary search, so linking costs O(log n) per
 * citation. Only a citation that matches nothing exactly pays for the near-miss search (edit
 * distance and group names over the distinct keys). */
#ifndef CITE_CITELINK_H
#define CITE_CITELINK_H

#include "citescan.h"
#include "common.h"

typedef struct cite_linker cite_linker;

enum { CITE_LINK_MAX_CANDIDATES = 8 };

typedef struct cite_link {
    cite_link_status status;
    const char *why; /* static: "" for a clean match; "year", "spelling", "particle-dropped",
                        "suffix-missing", "diacritics", "et-al-for-2-authors", ... */
    size_t ref;      /* the entry (resolved) or best suggestion (near-miss); SIZE_MAX */
    size_t cands[CITE_LINK_MAX_CANDIDATES]; /* near-miss suggestions or ambiguous entries */
    size_t ncands;
} cite_link;

/* Indexes lib (borrowed: it must outlive the linker). 0 or CITE_ENOMEM. */
int cite_linker_new(cite_linker **out, const cite_library *lib);
void cite_linker_free(cite_linker *lk);

/* Links item. name, when not NULL, stands for the item's first author: the group name an
 * abbreviation was defined for ("WHO" -> "World Health Organization"). 0 or CITE_ENOMEM. */
int cite_linker_link(cite_linker *lk, const cite_scan_item *item, const char *name, cite_link *out);

/* Links a numeric callout to the entry labelled number (its list marker), or to the number'th
 * entry when the list has no labels. */
void cite_linker_link_number(cite_linker *lk, unsigned number, cite_link *out);

/* True when some entry has a first author or group name whose initials spell abbr ("UN" of
 * "United Nations"); *ref receives the first. */
bool cite_linker_acronym(cite_linker *lk, const char *abbr, size_t *ref);

/* The entry as a reader would cite it: "Boeke & de Valk (2019)", "Levine et al. (2021a)". */
void cite_linker_describe(const cite_linker *lk, size_t ref, struct cite_buf *out);
/* The year of an entry as printed ("2021a", "n.d.", "in press"); "" when it has none. */
void cite_linker_year(const cite_linker *lk, size_t ref, struct cite_buf *out);

#endif
