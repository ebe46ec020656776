/* docread_md.c: Markdown documents. The text is the file unchanged (every location is exact);
 * the reader only finds the emphasis: *x* and _x_ italic, **x** and __x__ bold (***x*** both),
 * with CommonMark's main rules: a run opens when a non-blank follows it and closes when a
 * non-blank precedes it, '_' never inside a word, nothing inside code spans or fenced code,
 * a backslash escapes, and emphasis never crosses a blank line. */
#include <string.h>

#include "docread.h"

/* Openers waiting for their closer; deeper nesting than this is not emphasis anyone writes,
 * and the bound keeps the search linear. */
enum { MAX_OPENERS = 32, MAX_TICKS = 32 };

typedef struct opener {
    char c;       /* '*' or '_' */
    size_t start; /* offset of the run's first delimiter */
    size_t count; /* delimiters still unmatched (the innermost ones are used first) */
} opener;

typedef struct md_scan {
    cite_document *doc;
    const char *s;
    size_t len;
    opener stack[MAX_OPENERS];
    size_t depth;
    /* no_closer[n]: a backtick run of length n has no closer before this offset (the end of
     * the paragraph a search reached), so that unmatched runs cost linear time */
    size_t no_closer[MAX_TICKS + 1];
} md_scan;

static bool blank_at(const md_scan *m, size_t i)
{
    return i >= m->len || m->s[i] == ' ' || m->s[i] == '\t' || m->s[i] == '\n' || m->s[i] == '\r';
}

/* ASCII letters and digits, and any byte of a non-ASCII character (a letter, in practice). */
static bool wordy_at(const md_scan *m, size_t i)
{
    if (i >= m->len)
        return false;
    unsigned char c = (unsigned char)m->s[i];
    return c >= 0x80 || (c >= '0' && c <= '9') || ((c | 32) >= 'a' && (c | 32) <= 'z');
}

/* Matches the closing run [*pos, *pos + *count) against the openers, innermost first. */
static void close_run(md_scan *m, char c, size_t *pos, size_t *count)
{
    while (*count) {
        size_t k = m->depth;
        while (k > 0 && m->stack[k - 1].c != c)
            k--;
        if (k == 0)
            return;
        opener *o = &m->stack[k - 1];
        size_t use = o->count >= 2 && *count >= 2 ? 2 : 1;
        cite_docbuild_span(m->doc, use == 2 ? CITE_SPAN_BOLD : CITE_SPAN_ITALIC,
                           o->start + o->count, *pos);
        o->count -= use;
        *pos += use;
        *count -= use;
        m->depth = o->count ? k : k - 1; /* openers inside the match are dropped */
    }
}

/* Handles the delimiter run of c at *i and moves *i past it. */
static void delimiter_run(md_scan *m, size_t *i)
{
    char c = m->s[*i];
    size_t start = *i, n = 0;
    while (*i < m->len && m->s[*i] == c)
        (*i)++, n++;
    bool can_open = !blank_at(m, *i);
    bool can_close = start > 0 && !blank_at(m, start - 1);
    if (c == '_') {
        can_open = can_open && !(start > 0 && wordy_at(m, start - 1));
        can_close = can_close && !wordy_at(m, *i);
    }
    size_t pos = start;
    if (can_close)
        close_run(m, c, &pos, &n);
    if (n && can_open && m->depth < MAX_OPENERS)
        m->stack[m->depth++] = (opener){ .c = c, .start = pos, .count = n };
}

/* At the start of a line: is it blank, or a code fence (``` or ~~~, up to 3 blanks in)? */
static bool line_blank(const md_scan *m, size_t i)
{
    while (i < m->len && (m->s[i] == ' ' || m->s[i] == '\t' || m->s[i] == '\r'))
        i++;
    return i >= m->len || m->s[i] == '\n';
}

/* Skips a code span opened by the backtick run at *i: to the end of the matching run, or just
 * past the opening run when none closes it. */
static void code_span(md_scan *m, size_t *i)
{
    size_t n = 0;
    while (*i < m->len && m->s[*i] == '`')
        (*i)++, n++;
    size_t scratch = 0, *known = n <= MAX_TICKS ? &m->no_closer[n] : &scratch;
    if (*i < *known)
        return;
    for (size_t j = *i; j < m->len;) {
        if (m->s[j] == '\n' && line_blank(m, j + 1)) {
            *known = j; /* a code span ends with its paragraph */
            return;
        }
        if (m->s[j] != '`') {
            j++;
            continue;
        }
        size_t k = 0;
        while (j < m->len && m->s[j] == '`')
            j++, k++;
        if (k == n) {
            *i = j;
            return;
        }
    }
    *known = m->len;
}

static bool fence_at(const md_scan *m, size_t i)
{
    for (int k = 0; k < 3 && i < m->len && m->s[i] == ' '; k++)
        i++;
    return i + 3 <= m->len && (!memcmp(m->s + i, "```", 3) || !memcmp(m->s + i, "~~~", 3));
}

static size_t next_line(const md_scan *m, size_t i)
{
    const char *nl = memchr(m->s + i, '\n', m->len - i);
    return nl ? (size_t)(nl - m->s) + 1 : m->len;
}

int cite_docread_markdown(cite_document *doc, const char *data, size_t len)
{
    cite_buf_put(&doc->text, data, len);
    if (cite_buf_oom(&doc->text))
        return CITE_ENOMEM;
    md_scan m = { .doc = doc, .s = doc->text.ptr, .len = len };
    bool in_fence = false;
    for (size_t i = 0; i < len;) {
        if (i == 0 || m.s[i - 1] == '\n') {
            if (fence_at(&m, i) || in_fence) {
                in_fence = in_fence != fence_at(&m, i);
                m.depth = 0;
                i = next_line(&m, i);
                continue;
            }
            if (line_blank(&m, i))
                m.depth = 0; /* emphasis ends with its paragraph */
        }
        char c = m.s[i];
        if (c == '\\' && i + 1 < len && m.s[i + 1] != '\n')
            i += 2;
        else if (c == '`')
            code_span(&m, &i);
        else if (c == '*' || c == '_')
            delimiter_run(&m, &i);
        else
            i++;
    }
    return doc->oom ? CITE_ENOMEM : 0;
}
