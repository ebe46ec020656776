/* parsedoc.h: a split reference list -> a library of parsed records (cite parse, and the
 * reference list of cite check). Internal header. */
#ifndef CITE_PARSEDOC_H
#define CITE_PARSEDOC_H

#include "lineindex.h"
#include "reflist.h"

/* Parses every item of list (found in the text lines index) into a record of a new library,
 * in order, one record per item: record i is list->items[i]. Each keeps its text and line
 * (<source line>), a key from its first author and year, and the number of a numbered list
 * (citation-number). Returns 0; CITE_EPARSE when the list is empty (*out is then an empty
 * library, and diag says so); CITE_ENOMEM (*out NULL). Caller owns *out. */
int cite_parse_list(cite_library **out,
                    const cite_reflist *list,
                    const cite_lineindex *lines,
                    const char *file,
                    cite_diag *diag);

#endif
