/* docmarkdown.c: a document's text written as Markdown (cite_document_markdown), for what cite
 * cannot write back in its own format: a Word or OpenDocument file is rewritten as Markdown.
 *
 * The text already is Markdown's shape (one paragraph a line, a blank line between); what is
 * added is the spans, as *italic* and **bold**, and backslashes before the characters that
 * would otherwise start emphasis or code. An underscore inside a word ("10.1000/a_b", a DOI)
 * starts nothing in CommonMark, so it stays as it is and links and DOIs read the same. */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cite.h"
#include "common.h"

typedef struct mark {
    size_t at;
    bool open;
    cite_span_kind kind;
    size_t order; /* the span's index: closes come in the reverse order of opens */
} mark;

static int compare_marks(const void *a, const void *b)
{
    const mark *x = a, *y = b;
    if (x->at != y->at)
        return x->at < y->at ? -1 : 1;
    if (x->open != y->open) /* a span that ends here closes before one that starts opens */
        return x->open ? 1 : -1;
    if (x->open)
        return (x->order > y->order) - (x->order < y->order);
    return (x->order < y->order) - (x->order > y->order);
}

static bool is_word_byte(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (unsigned char)c >= 0x80;
}

/* Does text[i] need a backslash to stay a plain character? */
static bool needs_escape(const char *text, size_t len, size_t i)
{
    char c = text[i];
    if (c == '*' || c == '`' || c == '\\')
        return true;
    if (c != '_')
        return false;
    bool before = i > 0 && is_word_byte(text[i - 1]);
    bool after = i + 1 < len && is_word_byte(text[i + 1]);
    return !(before && after);
}

/* The spans' open and close marks, a span crossing a line break closed before it and opened
 * again after (emphasis does not cross paragraphs). */
static int collect_marks(mark **out, size_t *count, const cite_document *doc, const char *text)
{
    size_t cap = 0, n = 0;
    mark *m = NULL;
    for (size_t i = 0; i < cite_document_span_count(doc); i++) {
        const cite_span *s = cite_document_get_span(doc, i);
        for (size_t from = s->start; from < s->end;) {
            const char *nl = memchr(text + from, '\n', s->end - from);
            size_t to = nl ? (size_t)(nl - text) : s->end;
            while (from < to && (text[from] == ' ' || text[from] == '\t'))
                from++;
            size_t end = to;
            while (end > from && (text[end - 1] == ' ' || text[end - 1] == '\t'))
                end--;
            if (end > from) {
                if (cite_grow_array((void **)&m, &cap, n + 2, sizeof *m)) {
                    cite_free(m);
                    return CITE_ENOMEM;
                }
                m[n++] = (mark){ from, true, s->kind, i };
                m[n++] = (mark){ end, false, s->kind, i };
            }
            from = to + 1;
        }
    }
    if (n)
        qsort(m, n, sizeof *m, compare_marks);
    *out = m;
    *count = n;
    return 0;
}

int cite_document_markdown(char **out, size_t *out_len, const cite_document *doc)
{
    *out = NULL;
    *out_len = 0;
    size_t len;
    const char *text = cite_document_get_text(doc, &len);
    mark *m = NULL;
    size_t nm = 0, k = 0;
    int err = collect_marks(&m, &nm, doc, text);
    if (err)
        return err;
    cite_buf b = CITE_BUF_INIT;
    for (size_t i = 0; i <= len; i++) {
        for (; k < nm && m[k].at == i; k++)
            cite_buf_puts(&b, m[k].kind == CITE_SPAN_BOLD ? "**" : "*");
        if (i == len)
            break;
        if (needs_escape(text, len, i))
            cite_buf_putc(&b, '\\');
        cite_buf_putc(&b, text[i]);
    }
    cite_free(m);
    if (cite_buf_oom(&b)) {
        cite_buf_dispose(&b);
        return CITE_ENOMEM;
    }
    *out_len = b.len;
    *out = cite_buf_detach(&b);
    return *out ? 0 : CITE_ENOMEM;
}
