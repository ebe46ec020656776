/* docread_html.c: HTML documents through libxml2's HTML parser (no network, no error
 * output). The text has one paragraph per line with a blank line between paragraphs: block
 * elements end a paragraph, <br> ends a line, blanks collapse to one space (kept as they are
 * inside <pre>), and script, style and the head are skipped, as are notes' links back
 * (role="doc-backlink"); notes at the end of the page come after a line "Footnotes". <i>, <em> and
 * <cite> are italic, <b> and <strong> bold.
 *
 * Locations: libxml2 keeps only a line per node, so the reader finds each text node in the
 * source itself. It walks the source from where the previous text node ended, trying the
 * places right after a '>', and follows the node's characters through the source (an entity
 * such as &amp; stands for one character, a CR before a LF is skipped); every character
 * then maps to its exact source line and column. A node it cannot follow (an input that is
 * not UTF-8, say) maps to the line libxml2 gives it, without a column. */
#include <libxml/HTMLparser.h>
#include <limits.h>
#include <string.h>

#include "docread.h"
#include "encoding.h"

/* How far the search for a text node's source looks: this many '>' or bytes past the end of
 * the previous node. */
enum { SEARCH_TAGS = 4096, SEARCH_BYTES = 1 << 20, PROBE_CHARS = 16, MAX_NESTED_SPANS = 64 };

typedef struct html_walk {
    cite_document *doc;
    const char *src;
    size_t len;
    size_t cursor;      /* source offset after the last text node followed */
    size_t budget;      /* bytes the search for text nodes may still look at */
    bool pending_space; /* a collapsed blank waits for the next visible character */
    int pre;            /* depth of <pre> elements */
    struct {
        const xmlNode *node;
        size_t span;
    } spans[MAX_NESTED_SPANS]; /* open <i>/<b>... and their spans */
    size_t nspans;
} html_walk;

static bool name_in(const xmlChar *name, const char *const *list)
{
    for (; *list; list++)
        if (!xmlStrcasecmp(name, (const xmlChar *)*list))
            return true;
    return false;
}

static const char *const BLOCKS[] = {
    "address", "article", "aside", "blockquote", "body",    "caption",  "center",     "dd",
    "details", "dialog",  "div",   "dl",         "dt",      "fieldset", "figcaption", "figure",
    "footer",  "form",    "h1",    "h2",         "h3",      "h4",       "h5",         "h6",
    "header",  "hgroup",  "hr",    "html",       "legend",  "li",       "main",       "nav",
    "ol",      "p",       "pre",   "section",    "summary", "table",    "tbody",      "td",
    "tfoot",   "th",      "thead", "tr",         "ul",      NULL
};
static const char *const SKIPPED[] = { "head",     "script", "style",  "noscript", "template",
                                       "title",    "iframe", "object", "svg",      "math",
                                       "textarea", "select", NULL };
static const char *const ITALIC[] = { "i", "em", "cite", "var", "dfn", NULL };
static const char *const BOLD[] = { "b", "strong", NULL };

static const char *text_end(const html_walk *w)
{
    return w->doc->text.ptr + w->doc->text.len;
}

/* Ends the current paragraph: the next text starts after a blank line. */
static void block_break(html_walk *w)
{
    cite_buf *t = &w->doc->text;
    w->pending_space = false;
    if (t->len == 0 || (t->len >= 2 && !memcmp(text_end(w) - 2, "\n\n", 2)))
        return;
    cite_buf_puts(t, t->ptr[t->len - 1] == '\n' ? "\n" : "\n\n");
}

static void line_break(html_walk *w)
{
    cite_buf *t = &w->doc->text;
    w->pending_space = false;
    if (t->len && !(t->len >= 2 && !memcmp(text_end(w) - 2, "\n\n", 2)))
        cite_buf_putc(t, '\n');
}

/* The length of the character reference at src[p] ("&amp;", "&#233;", "&#x41;"), or 0 when
 * the '&' there starts none (a bare "AT&T" is itself). */
static size_t reference_at(const html_walk *w, size_t p)
{
    size_t q = p + 1;
    while (q < w->len && q - p < 40 &&
           (w->src[q] == '#' || (w->src[q] >= '0' && w->src[q] <= '9') ||
            ((w->src[q] | 32) >= 'a' && (w->src[q] | 32) <= 'z')))
        q++;
    return q > p + 1 && q < w->len && w->src[q] == ';' ? q + 1 - p : 0;
}

/* Follows one character (its UTF-8 bytes c[0..n)) at source offset p: the offset after it,
 * or SIZE_MAX when the source has something else there. */
static size_t follow(const html_walk *w, size_t p, const char *c, size_t n)
{
    while (p < w->len && w->src[p] == '\r' && c[0] != '\r')
        p++;
    if (p >= w->len)
        return SIZE_MAX;
    size_t ref = w->src[p] == '&' ? reference_at(w, p) : 0;
    if (ref)
        return p + ref;
    if (n <= w->len - p && !memcmp(w->src + p, c, n))
        return p + n;
    return SIZE_MAX;
}

/* Follows up to max characters of s from source offset p; the offset after them, or SIZE_MAX. */
static size_t follow_prefix(const html_walk *w, size_t p, const char *s, size_t max)
{
    size_t n = strlen(s);
    for (size_t i = 0, k = 0; i < n && k < max && p != SIZE_MAX; i += k ? k : 1, max--) {
        cite_utf8_decode(s + i, n - i, &k);
        p = follow(w, p, s + i, k);
    }
    return p;
}

/* Where the text node s starts in the source, or SIZE_MAX. The search spends from a budget
 * proportional to the source, so that a page whose nodes cannot be followed (not UTF-8, say)
 * costs linear time: once it is spent, nodes map to their lines. */
static size_t find_source(html_walk *w, const char *s)
{
    size_t p = w->cursor,
           limit = w->len - w->cursor > SEARCH_BYTES ? w->cursor + SEARCH_BYTES : w->len;
    for (unsigned tags = 0; p <= limit && tags < SEARCH_TAGS && w->budget > PROBE_CHARS; tags++) {
        w->budget -= PROBE_CHARS;
        if (follow_prefix(w, p, s, PROBE_CHARS) != SIZE_MAX)
            return p;
        const char *gt = memchr(w->src + p, '>', limit - p);
        if (!gt)
            break;
        size_t next = (size_t)(gt - w->src) + 1;
        w->budget -= CITE_MIN(w->budget, next - p);
        p = next;
    }
    return SIZE_MAX;
}

static bool html_blank(uint32_t c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static unsigned line_of(const xmlNode *node)
{
    for (; node; node = node->parent) {
        long line = xmlGetLineNo(node);
        if (line > 0)
            return line > (long)UINT_MAX ? UINT_MAX : (unsigned)line;
    }
    return 0;
}

/* Appends the text node's characters, each anchored at its source offset when the node could
 * be followed through the source, else at the node's line. */
static void text_node(html_walk *w, const xmlNode *node)
{
    const char *s = (const char *)node->content;
    if (!s)
        return;
    size_t n = strlen(s);
    size_t p = SIZE_MAX;
    bool all_blank = true;
    for (size_t i = 0; i < n && all_blank; i++)
        all_blank = html_blank((unsigned char)s[i]);
    if (all_blank && !w->pre) {
        if (n && w->doc->text.len && text_end(w)[-1] != '\n')
            w->pending_space = true;
        return;
    }
    p = find_source(w, s);
    unsigned line = p == SIZE_MAX ? line_of(node) : 0;
    for (size_t i = 0, k; i < n; i += k) {
        uint32_t c = cite_utf8_decode(s + i, n - i, &k);
        size_t at = SIZE_MAX;
        if (p != SIZE_MAX) {
            while (p < w->len && w->src[p] == '\r' && c != '\r')
                p++;
            at = p;
            if ((p = follow(w, p, s + i, k)) == SIZE_MAX) {
                line = cite_lineindex_loc(&w->doc->source_lines, NULL, at).line;
                at = SIZE_MAX;
            }
        }
        if (w->pre) {
            if (c == '\r')
                continue;
        } else if (html_blank(c)) {
            w->pending_space = w->doc->text.len && text_end(w)[-1] != '\n';
            continue;
        }
        if (w->pending_space)
            cite_buf_putc(&w->doc->text, ' ');
        w->pending_space = false;
        cite_docbuild_anchor(w->doc, at == SIZE_MAX ? 0 : at, at == SIZE_MAX ? line : 0);
        cite_buf_put(&w->doc->text, s + i, k);
    }
    if (p != SIZE_MAX)
        w->cursor = p;
}

/* Does the attribute hold word among its blank-separated words? */
static bool attr_has(const xmlNode *node, const char *attr, const char *word)
{
    xmlChar *v = xmlGetProp(node, (const xmlChar *)attr);
    bool found = false;
    size_t n = strlen(word);
    for (const char *p = (const char *)v; p && *p && !found;) {
        while (*p == ' ' || *p == '\t' || *p == '\n')
            p++;
        size_t k = strcspn(p, " \t\n");
        found = k == n && !strncmp(p, word, n);
        p += k;
    }
    xmlFree(v);
    return found;
}

/* The notes at the end of a page (pandoc's <section class="footnotes" role="doc-endnotes">):
 * they get a line "Footnotes" before them, a back-matter heading, so that they never read
 * as part of a reference list above them. */
static bool is_notes(const xmlNode *node)
{
    return attr_has(node, "role", "doc-endnotes") || attr_has(node, "role", "doc-footnotes") ||
           attr_has(node, "class", "footnotes");
}

static void enter(html_walk *w, const xmlNode *node)
{
    if (name_in(node->name, BLOCKS) || is_notes(node))
        block_break(w);
    if (is_notes(node)) {
        cite_docbuild_anchor(w->doc, 0, line_of(node));
        cite_buf_puts(&w->doc->text, "Footnotes");
        block_break(w);
    }
    if (!xmlStrcasecmp(node->name, (const xmlChar *)"br"))
        line_break(w);
    if (!xmlStrcasecmp(node->name, (const xmlChar *)"pre"))
        w->pre++;
    bool italic = name_in(node->name, ITALIC), bold = name_in(node->name, BOLD);
    if ((italic || bold) && w->nspans < MAX_NESTED_SPANS) {
        w->spans[w->nspans].node = node;
        w->spans[w->nspans++].span =
            cite_docbuild_open(w->doc, italic ? CITE_SPAN_ITALIC : CITE_SPAN_BOLD);
    }
}

static void leave(xmlNode *node, void *ctx)
{
    html_walk *w = ctx;
    if (w->nspans && w->spans[w->nspans - 1].node == node)
        cite_docbuild_close(w->doc, w->spans[--w->nspans].span);
    if (!xmlStrcasecmp(node->name, (const xmlChar *)"pre"))
        w->pre--;
    if (name_in(node->name, BLOCKS))
        block_break(w);
}

/* Enters node; true for an element whose leave is to come (after its children). */
static bool visit(xmlNode *node, void *ctx)
{
    html_walk *w = ctx;
    if (node->type == XML_TEXT_NODE || node->type == XML_CDATA_SECTION_NODE)
        text_node(w, node);
    if (node->type != XML_ELEMENT_NODE || name_in(node->name, SKIPPED) ||
        attr_has(node, "role", "doc-backlink"))
        return false;
    enter(w, node);
    return true;
}

int cite_docread_html(
    cite_document *doc, const char *data, size_t len, const char *file, cite_diag *diag)
{
    if (len > CITE_DOC_MAX_ENTRY) {
        cite_diag_report(diag, CITE_SEV_ERROR, (cite_loc){ .file = file },
                         "HTML larger than %zu MiB: not read", CITE_DOC_MAX_ENTRY >> 20);
        return CITE_EPARSE;
    }
    doc->source = cite_strndup(data, len);
    if (!doc->source || cite_lineindex_init(&doc->source_lines, doc->source, len) < 0)
        return CITE_ENOMEM;
    doc->source_len = len;
    if (len == 0)
        return 0;
    /* valid UTF-8 is read as such, whatever the page declares; other bytes as the page's
     * <meta charset> says (or Latin-1) */
    htmlDocPtr html =
        htmlReadMemory(data, (int)len, NULL, cite_utf8_valid(data, len) ? "UTF-8" : NULL,
                       HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING);
    if (!html)
        return 0; /* nothing the parser could make a tree of: no text */
    html_walk w = { .doc = doc, .src = doc->source, .len = len, .budget = 16 * len + 65536 };
    for (xmlNode *top = html->children; top; top = top->next)
        cite_docread_walk(top, visit, leave, &w);
    xmlFreeDoc(html);
    return doc->oom || cite_buf_oom(&doc->text) ? CITE_ENOMEM : 0;
}
