/* diag.c: the diagnostics sink. The library reports into it; only the CLI prints. */
#include <stdarg.h>
#include <string.h>

#include "buf.h"

struct cite_diag {
    cite_diag_item *items;
    size_t count, cap;
    size_t lost; /* diagnostics dropped for lack of memory */
};

cite_diag *cite_diag_new(void)
{
    return cite_calloc(1, sizeof(cite_diag));
}

static void item_dispose(cite_diag_item *it)
{
    cite_free((char *)it->file);
    cite_free((char *)it->message);
    cite_free((char *)it->excerpt);
}

void cite_diag_free(cite_diag *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->count; i++)
        item_dispose(&d->items[i]);
    cite_free(d->items);
    cite_free(d);
}

static void report(cite_diag *d,
                   cite_severity sev,
                   cite_loc at,
                   const char *line,
                   size_t line_len,
                   const char *fmt,
                   va_list ap) __attribute__((format(printf, 6, 0)));

static void report(cite_diag *d,
                   cite_severity sev,
                   cite_loc at,
                   const char *line,
                   size_t line_len,
                   const char *fmt,
                   va_list ap)
{
    if (!d)
        return;
    cite_buf msg = CITE_BUF_INIT;
    cite_buf_vprintf(&msg, fmt, ap);
    cite_diag_item it = {
        .severity = sev,
        .offset = at.offset,
        .line = at.line,
        .col = at.col,
        .file = at.file ? cite_strdup(at.file) : NULL,
        .excerpt = line ? cite_strndup(line, line_len) : NULL,
        .message = cite_buf_detach(&msg),
    };
    if (!it.message || (at.file && !it.file) || (line && !it.excerpt) ||
        cite_grow_array((void **)&d->items, &d->cap, d->count + 1, sizeof(it)) < 0) {
        item_dispose(&it);
        d->lost++;
        return;
    }
    d->items[d->count++] = it;
}

void cite_diag_report(cite_diag *d, cite_severity sev, cite_loc at, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    report(d, sev, at, NULL, 0, fmt, ap);
    va_end(ap);
}

void cite_diag_report_excerpt(cite_diag *d,
                              cite_severity sev,
                              cite_loc at,
                              const char *line,
                              size_t line_len,
                              const char *fmt,
                              ...)
{
    va_list ap;
    va_start(ap, fmt);
    report(d, sev, at, line, line_len, fmt, ap);
    va_end(ap);
}

size_t cite_diag_count(const cite_diag *d)
{
    return d ? d->count : 0;
}

size_t cite_diag_count_severity(const cite_diag *d, cite_severity sev)
{
    size_t n = 0;
    for (size_t i = 0; d && i < d->count; i++)
        n += d->items[i].severity == sev;
    return n;
}

const cite_diag_item *cite_diag_get(const cite_diag *d, size_t i)
{
    return d && i < d->count ? &d->items[i] : NULL;
}

char *cite_diag_message(const char *text)
{
    cite_buf b = CITE_BUF_INIT;
    for (const char *p = text ? text : "malformed XML"; *p; p++) {
        bool space = *p == '\n' || *p == '\r' || *p == ' ';
        if (!space)
            cite_buf_putc(&b, *p);
        else if (b.len > 0 && b.ptr[b.len - 1] != ' ')
            cite_buf_putc(&b, ' ');
    }
    if (b.len > 0 && b.ptr[b.len - 1] == ' ')
        cite_buf_truncate(&b, b.len - 1);
    char *msg = cite_buf_detach(&b);
    if (msg && msg[0] >= 'A' && msg[0] <= 'Z' && !(msg[1] >= 'A' && msg[1] <= 'Z'))
        msg[0] = (char)(msg[0] - 'A' + 'a');
    return msg;
}
