/* docread.c: documents (cite.h, "Documents"): choosing a reader, the builder the readers fill,
 * and the map from a place in the text back to the original. */
#include <libxml/tree.h>
#include <stdlib.h>
#include <string.h>

#include "docread.h"
#include "encoding.h"

static bool ends_with_ci(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    if (n < k)
        return false;
    for (size_t i = 0; i < k; i++) {
        char c = s[n - k + i];
        if ((c >= 'A' && c <= 'Z' ? c + 32 : c) != suffix[i])
            return false;
    }
    return true;
}

/* Does data start (after a BOM and blanks) with prefix, ignoring ASCII case? */
static bool starts_with_ci(const char *data, size_t len, const char *prefix)
{
    size_t i = 0;
    if (len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3))
        i = 3;
    while (i < len && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' || data[i] == '\n'))
        i++;
    size_t k = strlen(prefix);
    if (len - i < k)
        return false;
    for (size_t j = 0; j < k; j++) {
        char c = data[i + j];
        if ((c >= 'A' && c <= 'Z' ? c + 32 : c) != prefix[j])
            return false;
    }
    return true;
}

/* The bytes every zip (local file header) and every OLE compound file start with. */
static const char ZIP_MAGIC[] = "PK\x03\x04";
static const char OLE_MAGIC[] = "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";

cite_doc_format cite_document_detect(const char *name, const char *data, size_t len)
{
    bool zip = len >= 4 && !memcmp(data, ZIP_MAGIC, 4);
    bool ole = len >= 8 && !memcmp(data, OLE_MAGIC, 8);
    name = name ? name : "";
    if (zip || ole)
        /* The reader tells a Word file from an OpenDocument one by its entries; an OLE file
         * (encrypted .docx, legacy .doc) gets its error from the DOCX reader. */
        return ends_with_ci(name, ".odt") ? CITE_DOC_ODT : CITE_DOC_DOCX;
    if (ends_with_ci(name, ".docx") || ends_with_ci(name, ".docm") || ends_with_ci(name, ".dotx"))
        return CITE_DOC_DOCX;
    if (ends_with_ci(name, ".odt"))
        return CITE_DOC_ODT;
    if (ends_with_ci(name, ".html") || ends_with_ci(name, ".htm") || ends_with_ci(name, ".xhtml"))
        return CITE_DOC_HTML;
    if (ends_with_ci(name, ".md") || ends_with_ci(name, ".markdown"))
        return CITE_DOC_MARKDOWN;
    if (ends_with_ci(name, ".txt"))
        return CITE_DOC_TEXT;
    if (starts_with_ci(data, len, "<!doctype html") || starts_with_ci(data, len, "<html"))
        return CITE_DOC_HTML;
    return CITE_DOC_TEXT;
}

/* Text that is not UTF-8 (UTF-16 with its byte order mark, else Windows-1252) is re-encoded,
 * with a warning: *data and *len then name the UTF-8 copy, which *owned owns (the bytes it
 * owned before are freed). Lines and columns stay those of the file; byte offsets are the
 * copy's. */
static int as_utf8(const char **data, size_t *len, const char *name, cite_diag *diag, char **owned)
{
    cite_encoding enc = cite_encoding_detect(*data, *len);
    if (enc == CITE_ENC_UTF8)
        return 0;
    char *copy;
    size_t n;
    int err = cite_to_utf8(&copy, &n, *data, *len, enc);
    cite_free(*owned);
    *owned = NULL;
    if (err < 0)
        return err;
    cite_diag_report(diag, CITE_SEV_WARNING, (cite_loc){ .file = name }, "not UTF-8: read as %s",
                     cite_encoding_name(enc));
    *data = *owned = copy;
    *len = n;
    return 0;
}

/* Reads data[0..len) as format into a new document. owned, when not NULL, is data itself,
 * handed over: a text document keeps it as its text (a large manuscript is not copied), any
 * other frees it once read. */
static int read_document(cite_document **out,
                         const char *data,
                         size_t len,
                         const char *name,
                         cite_doc_format format,
                         cite_diag *diag,
                         char *owned)
{
    *out = NULL;
    if (format == CITE_DOC_AUTO)
        format = cite_document_detect(name, data, len);
    if (format == CITE_DOC_TEXT || format == CITE_DOC_MARKDOWN) {
        int err = as_utf8(&data, &len, name, diag, &owned);
        if (err < 0)
            return err;
    }
    cite_document *doc = cite_docbuild_new(format);
    if (!doc) {
        cite_free(owned);
        return CITE_ENOMEM;
    }
    int err = 0;
    switch (format) {
    case CITE_DOC_HTML:
        err = cite_docread_html(doc, data, len, name, diag);
        break;
    case CITE_DOC_DOCX:
    case CITE_DOC_ODT:
        err = cite_docread_package(doc, data, len, name, diag);
        break;
    case CITE_DOC_MARKDOWN:
        err = cite_docread_markdown(doc, data, len);
        break;
    default:
        if (owned) {
            doc->text = (cite_buf){ .ptr = owned, .len = len, .cap = len + 1 };
            owned = NULL;
        } else {
            cite_buf_put(&doc->text, data, len);
            err = cite_buf_oom(&doc->text) ? CITE_ENOMEM : 0;
        }
        break;
    }
    cite_free(owned);
    if (err == 0)
        err = cite_docbuild_finish(doc);
    if (err < 0) {
        cite_document_free(doc);
        return err;
    }
    *out = doc;
    return 0;
}

int cite_document_read(cite_document **out,
                       const char *data,
                       size_t len,
                       const char *name,
                       cite_doc_format format,
                       cite_diag *diag)
{
    return read_document(out, data, len, name, format, diag, NULL);
}

int cite_document_take(cite_document **out,
                       char *data,
                       size_t len,
                       const char *name,
                       cite_doc_format format,
                       cite_diag *diag)
{
    return read_document(out, data, len, name, format, diag, data);
}

void cite_document_free(cite_document *doc)
{
    if (!doc)
        return;
    cite_buf_dispose(&doc->text);
    cite_free(doc->spans);
    cite_free(doc->source);
    cite_lineindex_dispose(&doc->source_lines);
    cite_free(doc->anchors);
    cite_free(doc->lines);
    cite_lineindex_dispose(&doc->text_lines);
    cite_free(doc);
}

cite_doc_format cite_document_get_format(const cite_document *doc)
{
    return doc->format;
}

const char *cite_document_get_text(const cite_document *doc, size_t *len)
{
    if (len)
        *len = doc->text.len;
    return doc->text.ptr;
}

size_t cite_document_span_count(const cite_document *doc)
{
    return doc->nspans;
}

const cite_span *cite_document_get_span(const cite_document *doc, size_t i)
{
    return i < doc->nspans ? &doc->spans[i] : NULL;
}

bool cite_document_by_paragraph(const cite_document *doc)
{
    return doc->format == CITE_DOC_DOCX || doc->format == CITE_DOC_ODT;
}

/* ---- Building ----------------------------------------------------------------------------- */

cite_document *cite_docbuild_new(cite_doc_format format)
{
    cite_document *doc = cite_calloc(1, sizeof *doc);
    if (!doc)
        return NULL;
    doc->format = format;
    cite_buf_init(&doc->text);
    if (cite_document_by_paragraph(doc))
        cite_docbuild_newline(doc, (cite_doc_line){ 0 }); /* the entry of line 1 */
    return doc;
}

static void grow(cite_document *doc, void **items, size_t *cap, size_t need, size_t size)
{
    if (!doc->oom && cite_grow_array(items, cap, need, size) < 0)
        doc->oom = true;
}

static bool is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Only blanks in text[from, to)? */
static bool blank_between(const cite_document *doc, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++)
        if (!is_blank(doc->text.ptr[i]))
            return false;
    return true;
}

void cite_docbuild_span(cite_document *doc, cite_span_kind kind, size_t start, size_t end)
{
    while (start < end && is_blank(doc->text.ptr[start]))
        start++;
    while (end > start && is_blank(doc->text.ptr[end - 1]))
        end--;
    if (start >= end)
        return;
    for (size_t i = doc->nspans; i-- > 0;) { /* a run that goes on an earlier one of its kind */
        cite_span *prev = &doc->spans[i];
        if (prev->end == SIZE_MAX || prev->end > start)
            continue;
        if (prev->kind == kind && blank_between(doc, prev->end, start)) {
            prev->end = end;
            return;
        }
        break;
    }
    grow(doc, (void **)&doc->spans, &doc->spans_cap, doc->nspans + 1, sizeof *doc->spans);
    if (!doc->oom)
        doc->spans[doc->nspans++] = (cite_span){ .start = start, .end = end, .kind = kind };
}

size_t cite_docbuild_open(cite_document *doc, cite_span_kind kind)
{
    grow(doc, (void **)&doc->spans, &doc->spans_cap, doc->nspans + 1, sizeof *doc->spans);
    if (doc->oom)
        return SIZE_MAX;
    doc->spans[doc->nspans] = (cite_span){ .start = doc->text.len, .end = SIZE_MAX, .kind = kind };
    return doc->nspans++;
}

void cite_docbuild_close(cite_document *doc, size_t i)
{
    if (i >= doc->nspans)
        return;
    cite_span *s = &doc->spans[i];
    s->end = doc->text.len;
    while (s->start < s->end && is_blank(doc->text.ptr[s->start]))
        s->start++;
    while (s->end > s->start && is_blank(doc->text.ptr[s->end - 1]))
        s->end--;
}

void cite_docbuild_anchor(cite_document *doc, size_t source_offset, unsigned line)
{
    if (doc->nanchors) {
        const cite_doc_anchor *a = &doc->anchors[doc->nanchors - 1];
        bool linear = !line && !a->line &&
                      a->source_offset + (doc->text.len - a->text_offset) == source_offset;
        if (linear || (line && line == a->line))
            return;
        if (a->text_offset == doc->text.len) { /* nothing came from the last one: replace it */
            doc->nanchors--;
            cite_docbuild_anchor(doc, source_offset, line);
            return;
        }
    }
    grow(doc, (void **)&doc->anchors, &doc->anchors_cap, doc->nanchors + 1, sizeof *doc->anchors);
    if (!doc->oom)
        doc->anchors[doc->nanchors++] = (cite_doc_anchor){ .text_offset = doc->text.len,
                                                           .source_offset = source_offset,
                                                           .line = line };
}

void cite_docbuild_line(cite_document *doc, cite_doc_line where)
{
    if (doc->nlines)
        doc->lines[doc->nlines - 1] = where;
}

void cite_docbuild_newline(cite_document *doc, cite_doc_line where)
{
    if (doc->nlines || doc->text.len)
        cite_buf_putc(&doc->text, '\n');
    grow(doc, (void **)&doc->lines, &doc->lines_cap, doc->nlines + 1, sizeof *doc->lines);
    if (!doc->oom)
        doc->lines[doc->nlines++] = where;
}

void cite_docbuild_blank_line(cite_document *doc)
{
    const cite_buf *t = &doc->text;
    if (t->len && t->ptr[t->len - 1] != '\n')
        cite_docbuild_newline(doc, (cite_doc_line){ 0 });
    if (t->len && !(t->len >= 2 && t->ptr[t->len - 2] == '\n'))
        cite_docbuild_newline(doc, (cite_doc_line){ 0 });
}

static int by_start(const void *a, const void *b)
{
    const cite_span *x = a, *y = b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    return x->end > y->end ? -1 : x->end < y->end;
}

int cite_docbuild_finish(cite_document *doc)
{
    size_t kept = 0;
    for (size_t i = 0; i < doc->nspans; i++) {
        cite_span *s = &doc->spans[i];
        if (s->end == SIZE_MAX) /* a reader that did not close it: it runs to the end */
            s->end = doc->text.len;
        if (s->start < s->end)
            doc->spans[kept++] = *s;
    }
    doc->nspans = kept;
    if (doc->nspans > 1)
        qsort(doc->spans, doc->nspans, sizeof *doc->spans, by_start);
    if (cite_document_by_paragraph(doc) && doc->text.len &&
        doc->text.ptr[doc->text.len - 1] != '\n')
        cite_buf_putc(&doc->text, '\n');
    if (doc->oom || cite_buf_oom(&doc->text))
        return CITE_ENOMEM;
    return cite_lineindex_init(&doc->text_lines, doc->text.ptr, doc->text.len);
}

void cite_docread_walk(xmlNode *root,
                       bool (*visit)(xmlNode *node, void *ctx),
                       void (*leave)(xmlNode *node, void *ctx),
                       void *ctx)
{
    xmlNode *node = root;
    for (;;) {
        if (visit(node, ctx)) {
            if (node->children) {
                node = node->children;
                continue;
            }
            leave(node, ctx);
        }
        while (node != root && !node->next) {
            node = node->parent;
            leave(node, ctx);
        }
        if (node == root)
            return;
        node = node->next;
    }
}

/* ---- Locating ----------------------------------------------------------------------------- */

/* The byte offset of line:col of the text (col 0 or 1: the line's start), clamped to the
 * line. */
static size_t text_offset(const cite_document *doc, unsigned line, unsigned col)
{
    const cite_lineindex *idx = &doc->text_lines;
    size_t start = idx->starts[line - 1];
    size_t end = line < idx->nlines ? idx->starts[line] : idx->len;
    size_t p = start;
    for (unsigned c = 1; c < col && p < end && doc->text.ptr[p] != '\n'; c++) {
        p++;
        while (p < end && ((unsigned char)doc->text.ptr[p] & 0xC0) == 0x80)
            p++;
    }
    return p;
}

/* The last anchor at or before text offset t, or NULL. */
static const cite_doc_anchor *anchor_of(const cite_document *doc, size_t t)
{
    size_t lo = 0, hi = doc->nanchors;
    if (!hi || doc->anchors[0].text_offset > t)
        return NULL;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (doc->anchors[mid].text_offset <= t)
            lo = mid;
        else
            hi = mid;
    }
    return &doc->anchors[lo];
}

static void locate_in_source(const cite_document *doc, size_t t, cite_doc_place *place)
{
    const cite_doc_anchor *a = anchor_of(doc, t);
    if (!a)
        return;
    if (a->line) {
        place->line = a->line;
        return;
    }
    size_t s = a->source_offset + (t - a->text_offset);
    cite_loc at = cite_lineindex_loc(&doc->source_lines, NULL, s);
    place->line = at.line;
    place->col = at.col;
}

static void
locate_in_paragraph(const cite_document *doc, unsigned line, unsigned col, cite_doc_place *place)
{
    if (line > doc->nlines)
        return;
    const cite_doc_line *where = &doc->lines[line - 1];
    if (!where->paragraph)
        return;
    place->paragraph = where->paragraph;
    place->footnote = where->footnote;
    place->endnote = where->endnote;
    place->line = where->number;
    place->col = where->char_base + (col ? col : 1);
}

cite_doc_place cite_document_locate(const cite_document *doc, unsigned line, unsigned col)
{
    cite_doc_place place = { .text_line = line, .text_col = col };
    if (line == 0 || line > doc->text_lines.nlines)
        return place;
    if (cite_document_by_paragraph(doc)) {
        locate_in_paragraph(doc, line, col, &place);
    } else if (doc->format == CITE_DOC_HTML) {
        locate_in_source(doc, text_offset(doc, line, col), &place);
    } else {
        place.line = line;
        place.col = col;
    }
    return place;
}

cite_doc_place cite_document_locate_offset(const cite_document *doc, size_t offset)
{
    cite_loc at = cite_lineindex_loc(&doc->text_lines, NULL, offset);
    return cite_document_locate(doc, at.line, at.col);
}

bool cite_document_source_offset(const cite_document *doc,
                                 size_t text_offset,
                                 size_t *source_offset)
{
    if (text_offset > doc->text.len || cite_document_by_paragraph(doc))
        return false;
    if (doc->format != CITE_DOC_HTML) {
        *source_offset = text_offset;
        return true;
    }
    const cite_doc_anchor *a = anchor_of(doc, text_offset);
    if (!a || a->line)
        return false;
    size_t s = a->source_offset + (text_offset - a->text_offset);
    /* a byte that differs is one the reader put there: a collapsed blank, a line break */
    if (s > doc->source_len ||
        (text_offset < doc->text.len && s < doc->source_len &&
         doc->text.ptr[text_offset] != doc->source[s] && doc->source[s] != '&'))
        return false;
    *source_offset = s;
    return true;
}

/* The first words of a paragraph: up to WORDS words or CHARS code points, then "…". */
enum { SNIPPET_WORDS = 6, SNIPPET_CHARS = 40 };

static void put_snippet(cite_buf *b, const char *s, size_t n)
{
    unsigned words = 0, chars = 0;
    size_t i = 0;
    while (i < n && is_blank(s[i]))
        i++;
    size_t from = i, cut = n;
    bool in_word = false;
    for (; i < n; i++) {
        bool blank = is_blank(s[i]);
        if (!blank && !in_word && ++words > SNIPPET_WORDS) {
            cut = i;
            break;
        }
        in_word = !blank;
        if (((unsigned char)s[i] & 0xC0) != 0x80 && ++chars > SNIPPET_CHARS) {
            cut = i;
            break;
        }
    }
    size_t end = cut;
    while (end > from && is_blank(s[end - 1]))
        end--;
    cite_buf_putc(b, '"');
    cite_buf_put(b, s + from, end - from);
    if (cut < n)
        cite_buf_puts(b, "\xE2\x80\xA6");
    cite_buf_putc(b, '"');
}

/* The text line (1-based) as a string without its line break. */
static void text_line(const cite_document *doc, unsigned line, const char **start, size_t *len)
{
    cite_lineindex_line(&doc->text_lines, doc->text_lines.starts[line - 1], start, len);
}

/* The first line of the paragraph holding the text line (a <w:br/> starts a line with a
 * char_base past 0). */
static unsigned paragraph_first_line(const cite_document *doc, unsigned line)
{
    while (line > 1 && doc->lines[line - 1].char_base)
        line--;
    return line;
}

int cite_document_describe(char **out, const cite_document *doc, const cite_doc_place *at)
{
    *out = NULL;
    if (!cite_document_by_paragraph(doc) || !at->paragraph || !at->text_line ||
        at->text_line > doc->nlines)
        return CITE_ENOTFOUND;
    cite_buf b = CITE_BUF_INIT;
    if (at->footnote)
        cite_buf_printf(&b, "footnote %u, ", at->footnote);
    if (at->endnote)
        cite_buf_printf(&b, "endnote %u, ", at->endnote);
    cite_buf_printf(&b, "paragraph %u, character %u: ", at->paragraph, at->col);
    const char *para;
    size_t len;
    text_line(doc, paragraph_first_line(doc, at->text_line), &para, &len);
    put_snippet(&b, para, len);
    *out = cite_buf_detach(&b);
    return *out ? 0 : CITE_ENOMEM;
}

bool cite_document_excerpt(const cite_document *doc,
                           const cite_doc_place *at,
                           const char **start,
                           size_t *len,
                           unsigned *caret)
{
    if (cite_document_by_paragraph(doc)) {
        if (!at->paragraph || !at->text_line || at->text_line > doc->text_lines.nlines)
            return false;
        text_line(doc, at->text_line, start, len);
        *caret = at->text_col;
        return true;
    }
    const cite_lineindex *idx =
        doc->format == CITE_DOC_HTML ? &doc->source_lines : &doc->text_lines;
    if (!at->line || !at->col || !idx->starts || at->line > idx->nlines)
        return false;
    cite_lineindex_line(idx, idx->starts[at->line - 1], start, len);
    *caret = at->col;
    return true;
}
