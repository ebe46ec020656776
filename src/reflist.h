/* reflist.h: find the reference list of a manuscript and split it into references (issue
 * "cite parse", step 1). Input is UTF-8 text held in memory (.txt or .md). Internal header.
 *
 * The section: the LAST line that is a reference-section heading ("References", "Reference
 * list", "Sources", "Bibliography", "Works cited", "Literature cited", "References and
 * notes"; any case; optionally a Markdown ATX heading "## References", bold "**References**",
 * a section number "7. References", a trailing ':', or a setext underline). A plain heading
 * line must follow a blank line (or start the file, or be underlined), so the word in body
 * text is not taken for one. The section ends at the next Markdown heading (ATX or setext), a
 * thematic break after a blank line, a known back-matter heading (Appendix, Acknowledgements,
 * Figure legends, Tables, Supplementary ..., Funding, ...) or the end of the text. Without a
 * heading the whole text is taken as the list.
 *
 * Splitting: a list marker ([1], 1., 1), (1), -, *, +, •, –) at a reference's indentation
 * starts a new reference; the marker is stripped and a number kept as the label. Without
 * markers a line starts a new reference unless it is indented more than the reference's first
 * line (hanging indent) or, in paragraph mode, follows a non-blank line. Paragraph mode is
 * chosen when blank lines separate short multi-line paragraphs whose inner lines all have
 * about the same length (hard-wrapped text). With markers, unmarked lines continue the current
 * item (Markdown lazy or indented continuation) unless they follow a blank line at the item's
 * indentation. Lines are trimmed of ASCII whitespace (NBSP is kept) and joined by one space.
 *
 * Patterns are compiled once per call (a cite_rx_set per call, so calls are thread-safe and
 * OOM paths are testable); the work is linear in the size of the text. */
#ifndef CITE_REFLIST_H
#define CITE_REFLIST_H

#include "common.h"
#include "lineindex.h"

typedef struct cite_reflist_item {
    char *text;    /* owned: the reference, wrapped lines joined by one space, marker removed */
    char *label;   /* owned: the marker's label ("1" of "[1]" or "1."); NULL for bullets/none */
    unsigned line; /* 1-based line where the reference starts */
    size_t offset; /* byte offset of its first character (after indentation and marker) */
} cite_reflist_item;

typedef struct cite_reflist {
    cite_reflist_item *items; /* owned, in document order */
    size_t count, cap;
    unsigned heading_line; /* 1-based line of the section heading; 0 when none was found */
    size_t start, end;     /* byte range of the section's body (after the heading) */
} cite_reflist;

/* Finds the reference section of text[0..len) and splits it. Caller owns *out (NULL on
 * failure); free with cite_reflist_free(). A text without references gives a list with
 * count 0. Returns 0 or CITE_ENOMEM. A line on which a pattern hits its match limit is
 * reported to diag (may be NULL) as a warning and treated as matching nothing. */
int cite_reflist_find(cite_reflist **out, const char *text, size_t len, cite_diag *diag);
/* The same with the text's lines already indexed (lines may be NULL): the lines are not
 * looked for again, which spares a pass over a long manuscript. */
int cite_reflist_find_indexed(
    cite_reflist **out, const char *text, size_t len, const cite_lineindex *lines, cite_diag *diag);
/* Frees the list and every item. No-op on NULL. */
void cite_reflist_free(cite_reflist *list);

#endif
