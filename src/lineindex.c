/* lineindex.c: line starts found once, then binary search per lookup. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "lineindex.h"

int cite_lineindex_init(cite_lineindex *idx, const char *text, size_t len)
{
    size_t cap = 0;
    *idx = (cite_lineindex){ .text = text, .len = len };
    if (cite_grow_array((void **)&idx->starts, &cap, 1, sizeof(size_t)) < 0)
        return CITE_ENOMEM;
    idx->starts[idx->nlines++] = 0;
    for (const char *p = text, *end = text + len; (p = memchr(p, '\n', (size_t)(end - p)));) {
        p++;
        if (idx->nlines == cap && /* a call per line only when the array is full */
            cite_grow_array((void **)&idx->starts, &cap, idx->nlines + 1, sizeof(size_t)) < 0) {
            cite_lineindex_dispose(idx);
            return CITE_ENOMEM;
        }
        idx->starts[idx->nlines++] = (size_t)(p - text);
    }
    return 0;
}

void cite_lineindex_dispose(cite_lineindex *idx)
{
    cite_free(idx->starts);
    idx->starts = NULL;
    idx->nlines = 0;
}

/* Code points in s[0, n): the bytes that are not UTF-8 continuation bytes (10xxxxxx), eight at
 * a time. Columns of every citation are counted, over text the scan left long ago. */
static size_t count_chars(const char *s, size_t n)
{
    size_t count = n, i = 0;
    for (; n - i >= 8; i += 8) {
        uint64_t x;
        memcpy(&x, s + i, 8);
        uint64_t cont = x & ~(x << 1) & 0x8080808080808080u; /* bit 7 set, bit 6 clear */
        count -= (size_t)__builtin_popcountll(cont);
    }
    for (; i < n; i++)
        count -= ((unsigned char)s[i] & 0xC0) == 0x80;
    return count;
}

/* Index of the line holding offset: the last start <= offset. */
static size_t line_of(const cite_lineindex *idx, size_t offset)
{
    size_t lo = 0, hi = idx->nlines;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (idx->starts[mid] <= offset)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

cite_loc cite_lineindex_loc(const cite_lineindex *idx, const char *file, size_t offset)
{
    if (offset > idx->len)
        offset = idx->len;
    size_t line = line_of(idx, offset);
    size_t start = idx->starts[line];
    return (cite_loc){ .file = file,
                       .offset = offset,
                       .line = (unsigned)(line + 1),
                       .col = (unsigned)(count_chars(idx->text + start, offset - start) + 1) };
}

cite_loc cite_lineindex_loc_from(const cite_lineindex *idx,
                                 const char *file,
                                 size_t offset,
                                 cite_loc *cursor)
{
    if (offset > idx->len)
        offset = idx->len;
    size_t next =
        cursor->line && cursor->line < idx->nlines ? idx->starts[cursor->line] : idx->len + 1;
    if (cursor->line && cursor->offset <= offset && offset < next) {
        cursor->col += (unsigned)count_chars(idx->text + cursor->offset, offset - cursor->offset);
        cursor->offset = offset;
        cursor->file = file;
        return *cursor;
    }
    /* A few lines on: step through the line starts rather than search them all (the starts
     * of a large text are megabytes; consecutive citations are usually lines apart). */
    size_t line = cursor->line ? cursor->line - 1 : 0, steps = 0;
    if (cursor->line && cursor->offset <= offset) {
        while (line + 1 < idx->nlines && idx->starts[line + 1] <= offset && steps++ < 64)
            line++;
    }
    if (!cursor->line || cursor->offset > offset ||
        (line + 1 < idx->nlines && idx->starts[line + 1] <= offset)) {
        *cursor = cite_lineindex_loc(idx, file, offset);
        return *cursor;
    }
    size_t start = idx->starts[line];
    *cursor = (cite_loc){ .file = file,
                          .offset = offset,
                          .line = (unsigned)(line + 1),
                          .col = (unsigned)(count_chars(idx->text + start, offset - start) + 1) };
    return *cursor;
}

void cite_lineindex_line(const cite_lineindex *idx, size_t offset, const char **start, size_t *len)
{
    if (offset > idx->len)
        offset = idx->len;
    size_t s = idx->starts[line_of(idx, offset)];
    const char *nl = memchr(idx->text + s, '\n', idx->len - s);
    size_t n = nl ? (size_t)(nl - idx->text) - s : idx->len - s;
    if (n && idx->text[s + n - 1] == '\r')
        n--;
    *start = idx->text + s;
    *len = n;
}

void cite_lineindex_report(const cite_lineindex *idx,
                           cite_diag *diag,
                           cite_severity sev,
                           const char *file,
                           size_t offset,
                           size_t base,
                           const char *fmt,
                           va_list ap)
{
    char msg[512];
    vsnprintf(msg, sizeof msg, fmt, ap);
    const char *line;
    size_t line_len;
    cite_lineindex_line(idx, offset, &line, &line_len);
    cite_loc at = cite_lineindex_loc(idx, file, offset);
    at.offset += base;
    cite_diag_report_excerpt(diag, sev, at, line, line_len, "%s", msg);
}
