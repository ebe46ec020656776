/* buf.h: cite_buf, a growable NUL-terminated byte string with sticky OOM, and cite_slice,
 * a borrowed view (STYLE.md §5). */
#ifndef CITE_BUF_H
#define CITE_BUF_H

#include <stdarg.h>

#include "common.h"

typedef struct cite_buf {
    char *ptr;  /* never NULL; NUL-terminated; cite_buf__empty until the first growth */
    size_t len; /* bytes in use, excluding the NUL */
    size_t cap; /* bytes allocated; 0 while ptr is the static empty string */
    bool oom;   /* sticky: set by the first failed growth, every later write is a no-op */
} cite_buf;

typedef struct cite_slice {
    const char *ptr; /* borrowed, not NUL-terminated */
    size_t len;
} cite_slice;

extern char cite_buf__empty[1];
#define CITE_BUF_INIT                \
    {                                \
        cite_buf__empty, 0, 0, false \
    }

void cite_buf_init(cite_buf *b);
/* Frees the contents; the buffer is empty and reusable afterwards. */
void cite_buf_dispose(cite_buf *b);
/* Makes room for extra more bytes (plus the NUL). Returns 0 or CITE_ENOMEM (and sets oom). */
int cite_buf_grow(cite_buf *b, size_t extra);
void cite_buf_put(cite_buf *b, const char *data, size_t len);
void cite_buf_puts(cite_buf *b, const char *s);
void cite_buf_putc(cite_buf *b, char c);
/* Appends the UTF-8 encoding of code point cp (U+FFFD for an invalid one). */
void cite_buf_put_utf8(cite_buf *b, uint32_t cp);
void cite_buf_printf(cite_buf *b, const char *fmt, ...) CITE_PRINTF(2, 3);
void cite_buf_vprintf(cite_buf *b, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));
/* Empties the buffer (keeps the allocation; clears oom). */
void cite_buf_clear(cite_buf *b);
void cite_buf_truncate(cite_buf *b, size_t len);
static inline bool cite_buf_oom(const cite_buf *b)
{
    return b->oom;
}
/* Hands the string out: caller owns it, free with cite_free(). NULL when oom (the buffer is
 * then disposed). The buffer is empty afterwards. */
char *cite_buf_detach(cite_buf *b);

/* Decodes one UTF-8 code point at s (n bytes available). Stores its length in *len (1 for an
 * invalid byte, which decodes as U+FFFD). */
uint32_t cite_utf8_decode(const char *s, size_t n, size_t *len);
/* Number of code points in s[0..n). */
size_t cite_utf8_count(const char *s, size_t n);

#endif
