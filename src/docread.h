/* docread.h: what the document readers share (internal). A reader fills a cite_document
 * through the builder below: it appends text, opens and closes spans, and says where the text
 * it appends comes from (a byte offset of the source for HTML, a paragraph for DOCX and ODT).
 * The public side (cite.h, "Documents") is in docread.c. */
#ifndef CITE_DOCREAD_H
#define CITE_DOCREAD_H

#include "buf.h"
#include "common.h"
#include "lineindex.h"

/* Limits on what a reader accepts: a zip entry read whole must inflate to at most this many
 * bytes, and (once past DOC_RATIO_FLOOR bytes) to at most DOC_MAX_RATIO times its compressed
 * size; Word's XML compresses about 10:1, zip bombs by 1000:1 and more. */
#define CITE_DOC_MAX_ENTRY   ((size_t)256 << 20)
#define CITE_DOC_MAX_RATIO   200
#define CITE_DOC_RATIO_FLOOR ((size_t)1 << 20)

/* Source documents (text, Markdown, HTML): text byte text_offset comes from source byte
 * source_offset, and the bytes after it follow one for one up to the next anchor. line, when
 * not 0, says that only the source line is known there. */
typedef struct cite_doc_anchor {
    size_t text_offset, source_offset;
    unsigned line;
} cite_doc_anchor;

/* Paragraph documents (DOCX, ODT): where each line of the text comes from. A blank separator
 * line has paragraph 0. */
typedef struct cite_doc_line {
    unsigned paragraph; /* within its part, 1-based */
    unsigned footnote;  /* the footnote, or 0 */
    unsigned endnote;   /* the endnote, or 0 */
    unsigned number;    /* counted through the body and then the footnotes */
    unsigned char_base; /* characters of the paragraph before this line (after a <w:br/>) */
} cite_doc_line;

struct cite_document {
    cite_doc_format format;
    cite_buf text;
    cite_span *spans;
    size_t nspans, spans_cap;
    /* HTML: the source (owned copy) and the anchors into it */
    char *source;
    size_t source_len;
    cite_lineindex source_lines;
    cite_doc_anchor *anchors;
    size_t nanchors, anchors_cap;
    /* DOCX, ODT: one entry a line of text */
    cite_doc_line *lines;
    size_t nlines, lines_cap;
    cite_lineindex text_lines; /* built by cite_docbuild_finish */
    bool oom;                  /* sticky, as cite_buf's */
};

/* A new empty document of format. NULL on OOM. */
cite_document *cite_docbuild_new(cite_doc_format format);
/* Opens a span of kind at the end of the text; returns its index for cite_docbuild_close, or
 * SIZE_MAX on OOM. */
size_t cite_docbuild_open(cite_document *doc, cite_span_kind kind);
/* Ends span i at the end of the text, trimming blanks at both ends; an empty span is dropped
 * (left with start == end, removed by finish). */
void cite_docbuild_close(cite_document *doc, size_t i);
/* Adds a finished span [start, end). */
void cite_docbuild_span(cite_document *doc, cite_span_kind kind, size_t start, size_t end);
/* Says that the text appended next comes from source byte source_offset (line: only the
 * source line is known; source_offset is then ignored). Kept only where the correspondence
 * stops being one for one. */
void cite_docbuild_anchor(cite_document *doc, size_t source_offset, unsigned line);
/* Paragraph documents: sets where the current (last) line of the text comes from. */
void cite_docbuild_line(cite_document *doc, cite_doc_line where);
/* Appends a line break and starts a new line with where. */
void cite_docbuild_newline(cite_document *doc, cite_doc_line where);
/* Ends the text with a blank line (unless it is empty), as a new paragraph needs: one
 * paragraph a line, a blank line between them. */
void cite_docbuild_blank_line(cite_document *doc);
/* Ends the text with a line break, sorts the spans and indexes the lines. 0 or CITE_ENOMEM. */
int cite_docbuild_finish(cite_document *doc);

/* Walks the subtree of root in document order without recursion (documents nest as deep as
 * their author likes): visit(node) enters a node and returns true to walk its children, after
 * which (at once when it has none) leave(node) is called; a node visit returns false for gets
 * no leave. */
struct _xmlNode;
void cite_docread_walk(struct _xmlNode *root,
                       bool (*visit)(struct _xmlNode *node, void *ctx),
                       void (*leave)(struct _xmlNode *node, void *ctx),
                       void *ctx);

/* The readers: each fills doc (new, of its format) from data[0..len). 0, CITE_EPARSE (one
 * error reported to diag at file) or CITE_ENOMEM. */
int cite_docread_markdown(cite_document *doc, const char *data, size_t len);
int cite_docread_html(
    cite_document *doc, const char *data, size_t len, const char *file, cite_diag *diag);
/* A zip package: DOCX when it holds word/document.xml, ODT when content.xml (doc->format is
 * set to what it is). */
int cite_docread_package(
    cite_document *doc, const char *data, size_t len, const char *file, cite_diag *diag);

/* The parts of the package readers (docread_zip.c): open the zip in memory (the bytes must
 * outlive it; zip_discard it), read one entry whole within the limits above (*out
 * NUL-terminated, cite_free; CITE_ENOTFOUND, unreported, when absent), parse XML safely
 * (xmlFreeDoc). Each reports its failure to diag and returns CITE_EPARSE. */
typedef struct zip zip_t;
struct _xmlDoc;
int cite_docread_zip_open(
    zip_t **out, const char *data, size_t len, const char *file, cite_diag *diag);
int cite_docread_zip_entry(
    char **out, size_t *len, zip_t *zip, const char *name, const char *file, cite_diag *diag);
int cite_docread_xml(struct _xmlDoc **out,
                     const char *xml,
                     size_t len,
                     const char *entry,
                     const char *file,
                     cite_diag *diag);
int cite_docread_docx(cite_document *doc, zip_t *zip, const char *file, cite_diag *diag);

/* DOCX run formatting through the document's styles (docread_docxstyle.c): read
 * word/styles.xml (a package without it gives direct formatting only; *out NULL on error),
 * then per paragraph its style (its w:pStyle, else the default paragraph style; NULL for
 * none) and per run its italic and bold. */
typedef struct cite_docx_styles cite_docx_styles;
typedef struct cite_docx_style cite_docx_style;
int cite_docx_styles_read(cite_docx_styles **out, zip_t *zip, const char *file, cite_diag *diag);
void cite_docx_styles_free(cite_docx_styles *styles);
const cite_docx_style *cite_docx_paragraph_style(const cite_docx_styles *styles,
                                                 const struct _xmlNode *paragraph);
void cite_docx_run_format(const cite_docx_styles *styles,
                          const cite_docx_style *paragraph_style,
                          const struct _xmlNode *run,
                          bool *italic,
                          bool *bold);

int cite_docread_odt(cite_document *doc, zip_t *zip, const char *file, cite_diag *diag);

#endif
