/* lineindex.h: byte offset -> line:column for a text held in memory (STYLE.md §3: columns
 * count code points; the byte offset is kept for tools). */
#ifndef CITE_LINEINDEX_H
#define CITE_LINEINDEX_H

#include <stdarg.h>

#include "common.h"

typedef struct cite_lineindex {
    const char *text; /* borrowed */
    size_t len;
    size_t *starts; /* byte offset of each line's first character */
    size_t nlines;
} cite_lineindex;

/* Indexes text[0..len) (borrowed: it must outlive the index). 0 or CITE_ENOMEM. */
int cite_lineindex_init(cite_lineindex *idx, const char *text, size_t len);
void cite_lineindex_dispose(cite_lineindex *idx);
/* The location of a byte offset (clamped to the text), file borrowed. */
cite_loc cite_lineindex_loc(const cite_lineindex *idx, const char *file, size_t offset);
/* As cite_lineindex_loc, counting the column on from *cursor when it lies earlier on the same
 * line (then the cost is the distance, not the line's length: locations asked in order along
 * a 1 MB line stay linear). *cursor becomes the result; start it zeroed. */
cite_loc cite_lineindex_loc_from(const cite_lineindex *idx,
                                 const char *file,
                                 size_t offset,
                                 cite_loc *cursor);
/* The line holding offset, without its line break: *start and *len receive it. */
void cite_lineindex_line(const cite_lineindex *idx, size_t offset, const char **start, size_t *len);

/* Reports a diagnostic at offset, its source line as the excerpt; at.offset is shifted by base
 * (the index covers a part of a larger input that starts there). */
void cite_lineindex_report(const cite_lineindex *idx,
                           cite_diag *diag,
                           cite_severity sev,
                           const char *file,
                           size_t offset,
                           size_t base,
                           const char *fmt,
                           va_list ap) __attribute__((format(printf, 7, 0)));

#endif
