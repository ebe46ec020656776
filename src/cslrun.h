/* cslrun.h: the CSL engine's internals shared with its tests (the API is in cite.h:
 * cite_formatter_new, cite_format_bibliography, cite_format_citation). */
#ifndef CITE_CSLRUN_H
#define CITE_CSLRUN_H

#include "buf.h"
#include "csl.h"

/* Text cases of CSL 1.0.2 (csl.h CSL_CASE_*) applied to a marked string (out.h): markers
 * and <nocase> spans are left alone. Title case follows the spec's English rules. */
void cite_csl_text_case(cite_buf *out, const char *s, size_t len, int text_case);

/* The same, in a language that may be Turkic (cite_csl_turkic): there uppercase makes i
 * İ, and lowercase makes I ı. */
void cite_csl_text_case_in(cite_buf *out, const char *s, size_t len, int text_case, bool turkic);

/* True when the language tag lang is Turkish or Azeri ("tr", "tr-TR", "az"). */
bool cite_csl_turkic(const char *lang);

/* True when s is numeric in the sense of CSL 1.0.2 is-numeric: numbers with optional
 * prefixes and suffixes ("D2", "2b"), separated by commas, hyphens or ampersands. */
bool cite_csl_is_numeric(const char *s);

/* What the formatter's registry decided for one record: its citation-number and how
 * disambiguation set it apart. The test-suite runner compares these between two states of a
 * document to tell which citations citeproc-js would hand back as changed. */
typedef struct cite_csl_item_state {
    int cnum;            /* citation-number, 1-based */
    int year_suffix;     /* 0 none, 1 = "a" */
    int extra_names;     /* names added by add-names */
    int givenname_level; /* 0 as the style says, 1 initials, 2 full given names */
    int expanded;        /* sum of the levels of names a given-name rule expanded */
    bool disambiguate;   /* the "disambiguate" condition holds */
} cite_csl_item_state;

/* Fills *out for the record id of f's library (registering the library first, as rendering
 * does). CITE_ENOTFOUND when id is not in it, CITE_ENOMEM. */
int cite_csl_item_state_get(cite_csl_item_state *out, cite_formatter *f, const char *id);

#endif
