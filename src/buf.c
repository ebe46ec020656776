/* buf.c: growable strings. */
#include <stdio.h>
#include <string.h>

#include "buf.h"

char cite_buf__empty[1] = "";

void cite_buf_init(cite_buf *b)
{
    *b = (cite_buf)CITE_BUF_INIT;
}

void cite_buf_dispose(cite_buf *b)
{
    if (b->cap)
        cite_free(b->ptr);
    cite_buf_init(b);
}

int cite_buf_grow(cite_buf *b, size_t extra)
{
    if (b->oom)
        return CITE_ENOMEM;
    if (extra > SIZE_MAX - b->len - 1)
        goto fail;
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return 0;
    size_t cap = b->cap ? b->cap : 32;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    char *p = cite_realloc(b->cap ? b->ptr : NULL, cap);
    if (!p)
        goto fail;
    if (!b->cap)
        p[0] = '\0';
    b->ptr = p;
    b->cap = cap;
    return 0;
fail:
    b->oom = true;
    return CITE_ENOMEM;
}

void cite_buf_put(cite_buf *b, const char *data, size_t len)
{
    if (len == 0 || cite_buf_grow(b, len) < 0)
        return;
    memmove(b->ptr + b->len, data, len);
    b->len += len;
    b->ptr[b->len] = '\0';
}

void cite_buf_puts(cite_buf *b, const char *s)
{
    cite_buf_put(b, s, strlen(s));
}

void cite_buf_putc(cite_buf *b, char c)
{
    cite_buf_put(b, &c, 1);
}

void cite_buf_put_utf8(cite_buf *b, uint32_t cp)
{
    char s[4];
    size_t n;
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        cp = 0xFFFD;
    if (cp < 0x80) {
        s[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        s[0] = (char)(0xC0 | (cp >> 6));
        s[1] = (char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        s[0] = (char)(0xE0 | (cp >> 12));
        s[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        s[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        s[0] = (char)(0xF0 | (cp >> 18));
        s[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        s[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        s[3] = (char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    cite_buf_put(b, s, n);
}

void cite_buf_vprintf(cite_buf *b, const char *fmt, va_list ap)
{
    va_list copy;
    va_copy(copy, ap);
    int n = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    if (n < 0 || cite_buf_grow(b, (size_t)n) < 0)
        return;
    vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
}

void cite_buf_printf(cite_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    cite_buf_vprintf(b, fmt, ap);
    va_end(ap);
}

void cite_buf_clear(cite_buf *b)
{
    cite_buf_truncate(b, 0);
    b->oom = false;
}

void cite_buf_truncate(cite_buf *b, size_t len)
{
    if (len < b->len) {
        b->len = len;
        b->ptr[len] = '\0';
    }
}

char *cite_buf_detach(cite_buf *b)
{
    char *p = NULL;
    if (!b->oom)
        p = b->cap ? b->ptr : cite_strdup("");
    if (!p || b->oom) {
        cite_buf_dispose(b);
        return NULL;
    }
    cite_buf_init(b);
    return p;
}

uint32_t cite_utf8_decode(const char *s, size_t n, size_t *len)
{
    const unsigned char *u = (const unsigned char *)s;
    uint32_t cp;
    size_t need;
    if (n == 0) {
        *len = 0;
        return 0;
    }
    if (u[0] < 0x80) {
        *len = 1;
        return u[0];
    } else if ((u[0] & 0xE0) == 0xC0) {
        cp = u[0] & 0x1F;
        need = 2;
    } else if ((u[0] & 0xF0) == 0xE0) {
        cp = u[0] & 0x0F;
        need = 3;
    } else if ((u[0] & 0xF8) == 0xF0) {
        cp = u[0] & 0x07;
        need = 4;
    } else {
        goto invalid;
    }
    if (need > n)
        goto invalid;
    for (size_t i = 1; i < need; i++) {
        if ((u[i] & 0xC0) != 0x80)
            goto invalid;
        cp = (cp << 6) | (u[i] & 0x3F);
    }
    /* Reject overlong forms, surrogates and values past U+10FFFF. */
    if ((need == 2 && cp < 0x80) || (need == 3 && cp < 0x800) || (need == 4 && cp < 0x10000) ||
        cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        goto invalid;
    *len = need;
    return cp;
invalid:
    *len = 1;
    return 0xFFFD;
}

size_t cite_utf8_count(const char *s, size_t n)
{
    size_t count = 0;
    for (size_t i = 0; i < n; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            count++;
    return count;
}
