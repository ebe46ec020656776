/* reformat.h: cite reformat's pieces, internal header (the entry point, cite_reformat, is in
 * cite.h).
 *
 * A reformatted document is its original bytes with a list of edits applied: each edit
 * replaces the bytes [start, end) of the original with new text, and the edits are sorted and
 * never overlap, so every byte outside them comes through unchanged. The edits are computed
 * from byte offsets into the original (citation groups, the reference list), which is what
 * lets other readers (HTML, DOCX) plug in later: they map their own spans to the same list. */
#ifndef CITE_REFORMAT_H
#define CITE_REFORMAT_H

#include "buf.h"
#include "common.h"

typedef struct cite_edit {
    size_t start, end; /* the original bytes replaced, [start, end) */
    char *text;        /* owned: what replaces them (len bytes, NUL-terminated) */
    size_t len;
    size_t tag; /* the caller's: what the edit belongs to */
} cite_edit;

typedef struct cite_edits {
    cite_edit *items; /* owned */
    size_t count, cap;
    size_t max_end; /* the largest end so far: most edits come in text order */
} cite_edits;

#define CITE_EDITS_INIT \
    {                   \
        NULL, 0, 0, 0   \
    }

/* Does [start, end) overlap (or, when empty, sit inside) an edit of e? */
bool cite_edits_overlap(const cite_edits *e, size_t start, size_t end);
/* Adds an edit replacing [start, end) by text[0..len) (copied), tagged tag. CITE_EINVALID
 * when it would overlap another edit or start > end; CITE_ENOMEM. */
int cite_edits_add(
    cite_edits *e, size_t start, size_t end, const char *text, size_t len, size_t tag);
/* Removes every edit tagged tag. */
void cite_edits_remove(cite_edits *e, size_t tag);
/* The original src[0..len) with the edits applied (sorted first). *out is NUL-terminated,
 * *out_len its length; caller owns it (cite_free). CITE_EINVALID when an edit lies outside
 * src; CITE_ENOMEM. */
int cite_edits_apply(char **out, size_t *out_len, const char *src, size_t len, cite_edits *e);
void cite_edits_dispose(cite_edits *e);

/* A locator as written ("p. 12", "pp. 3–5", "chap. 2", "para. 4", "§ 3", "12") split into
 * its CSL locator type ("page", "chapter", "paragraph", "section"...) and where the number
 * starts (*value). A bare number is a page. NULL when the label is not one we know ("Table
 * S2 row 3"); the caller then keeps the text as it is. Static storage. */
const char *cite_locator_label(const char *locator, const char **value);

/* HTML: s[0..n) escaped as text of an HTML document (& < > " as entities). */
void cite_html_escape(cite_buf *out, const char *s, size_t n);
/* The text of the HTML fragment s[0..n) as the CSL engine writes it: tags dropped, the
 * entities it writes (&amp; &lt; &gt; &quot; &#N; &#xN;) decoded. */
void cite_html_plain(cite_buf *out, const char *s, size_t n);
/* The run of the HTML source [*src_from, *src_to) that the text [from, to) of the HTML
 * document doc was read from, for replacing it in place: true only when the run holds text
 * alone (entities allowed, no tag or comment) and every byte of the text maps into it in
 * order. An empty run maps to where it is. */
bool cite_html_source_span(
    const cite_document *doc, size_t from, size_t to, size_t *src_from, size_t *src_to);

#endif
