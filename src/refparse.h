/* refparse.h: one free-text reference (Harvard, APA, Chicago author-date, Vancouver, IEEE...)
 * -> a record of the CSL data model. Internal header. */
#ifndef CITE_REFPARSE_H
#define CITE_REFPARSE_H

#include "record.h"

typedef struct cite_refparser cite_refparser;

/* A parser with its patterns compiled (once, with JIT). Caller owns *out; free with
 * cite_refparser_free(). Returns 0, CITE_ENOMEM, or CITE_EINVALID when a pattern does not
 * compile (reported to diag). Not thread-safe: one parser per thread. */
int cite_refparser_new(cite_refparser **out, cite_diag *diag);
void cite_refparser_free(cite_refparser *p);

/* Parses text[0..len) (one reference, lines already joined, list marker removed) into a new
 * record with an empty id (the caller assigns keys). *recognised is false when the text does
 * not look like a reference (no author, date or title could be found): the record then has
 * type "document" and the whole text as its title. Caller owns *out (cite_record_free).
 * Returns 0 or CITE_ENOMEM (*out NULL). */
int cite_refparse(cite_record **out, bool *recognised, cite_refparser *p, const char *text,
                  size_t len);

#endif
