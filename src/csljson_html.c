/* csljson_html.c: the rich text of CSL-JSON strings against the record's inline markup.
 *
 * citeproc-js reads a small set of HTML-like tags in any string of an item ("Rich text" in
 * its manual; the CSL test suite's flipflop_* fixtures): <i>, <b>, <sup>, <sub>,
 * <span style="font-variant:small-caps;"> and <span class="nocase">. The first four are
 * markup.h tags already; the two spans become <sc> and <nocase>. Since every span closes with
 * the same </span>, the reader keeps a stack of the spans it has opened to know which tag a
 * </span> closes. */
#include <string.h>

#include "csljson.h"
#include "markup.h"

/* What an open <span> became. */
typedef enum span_kind { SPAN_OTHER, SPAN_SC, SPAN_NOCASE } span_kind;

/* Spans nested deeper than this are remembered as SPAN_OTHER (copied as they are): enough for
 * any real title, and it bounds the stack without allocating. */
#define MAX_SPANS 64

typedef struct span_stack {
    span_kind kinds[MAX_SPANS];
    size_t depth; /* may exceed MAX_SPANS: the excess is SPAN_OTHER */
} span_stack;

static const char small_caps_html[] = "<span style=\"font-variant:small-caps;\">";
static const char nocase_html[] = "<span class=\"nocase\">";

/* The kind of span whose attributes are attrs[0..len): the text between "<span" and ">".
 * Blanks are ignored and either quote is accepted, so `style='font-variant: small-caps'`
 * counts, as it does for citeproc-js. */
static span_kind classify_span(const char *attrs, size_t len)
{
    char norm[64];
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        char c = attrs[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
            continue;
        if (n == sizeof(norm) - 1)
            return SPAN_OTHER;
        norm[n++] = c == '\'' ? '"' : c;
    }
    norm[n] = '\0';
    if (strcmp(norm, "class=\"nocase\"") == 0)
        return SPAN_NOCASE;
    if (strcmp(norm, "style=\"font-variant:small-caps;\"") == 0 ||
        strcmp(norm, "style=\"font-variant:small-caps\"") == 0)
        return SPAN_SC;
    return SPAN_OTHER;
}

static void push(span_stack *st, span_kind kind)
{
    if (st->depth < MAX_SPANS)
        st->kinds[st->depth] = kind;
    st->depth++;
}

/* The kind of the innermost open span, which a </span> closes; SPAN_OTHER when none is
 * open (a stray </span> is copied). */
static span_kind pop(span_stack *st)
{
    if (st->depth == 0)
        return SPAN_OTHER;
    st->depth--;
    return st->depth < MAX_SPANS ? st->kinds[st->depth] : SPAN_OTHER;
}

/* At s[0..len) == "<span...>" or "</span>": handles it and returns its length; 0 when s does
 * not start with either. */
static size_t span_at(cite_buf *out, span_stack *st, const char *s, size_t len)
{
    if (len >= 7 && memcmp(s, "</span>", 7) == 0) {
        span_kind kind = pop(st);
        cite_buf_puts(out, kind == SPAN_SC       ? "</sc>"
                           : kind == SPAN_NOCASE ? "</nocase>"
                                                 : "</span>");
        return 7;
    }
    if (len < 6 || memcmp(s, "<span", 5) != 0 || (s[5] != ' ' && s[5] != '>'))
        return 0;
    const char *close = memchr(s, '>', len);
    if (!close)
        return 0;
    size_t n = (size_t)(close - s) + 1;
    span_kind kind = classify_span(s + 5, n - 6);
    push(st, kind);
    if (kind == SPAN_SC)
        cite_buf_puts(out, "<sc>");
    else if (kind == SPAN_NOCASE)
        cite_buf_puts(out, "<nocase>");
    else
        cite_buf_put(out, s, n);
    return n;
}

void cite_csljson_html_to_markup(cite_buf *out, const char *s, size_t len)
{
    span_stack st = { .depth = 0 };
    size_t from = 0; /* start of the text not yet copied */
    for (size_t i = 0; i < len;) {
        if (s[i] != '<') {
            i++;
            continue;
        }
        cite_buf_put(out, s + from, i - from);
        size_t n = span_at(out, &st, s + i, len - i);
        if (n == 0) {
            cite_buf_putc(out, '<');
            n = 1;
        }
        i += n;
        from = i;
    }
    cite_buf_put(out, s + from, len - from);
}

void cite_csljson_markup_to_html(cite_buf *out, const char *s)
{
    size_t len = strlen(s), from = 0;
    for (size_t i = 0; i < len;) {
        bool closing;
        size_t n;
        cite_tag tag =
            s[i] == '<' ? cite_markup_tag_at(s + i, len - i, &closing, &n) : CITE_TAG_NONE;
        if (tag != CITE_TAG_SC && tag != CITE_TAG_NOCASE) {
            i++;
            continue;
        }
        cite_buf_put(out, s + from, i - from);
        if (closing)
            cite_buf_puts(out, "</span>");
        else
            cite_buf_puts(out, tag == CITE_TAG_SC ? small_caps_html : nocase_html);
        i += n;
        from = i;
    }
    cite_buf_put(out, s + from, len - from);
}
