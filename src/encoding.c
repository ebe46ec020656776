/* encoding.c: UTF-16 and Windows-1252 text re-encoded as UTF-8 (encoding.h). */
#include <stdint.h>
#include <string.h>

#include "buf.h"
#include "encoding.h"

/* Are the 32 bytes at s all ASCII? */
static bool ascii32(const char *s)
{
    uint64_t w[4];
    memcpy(w, s, sizeof w);
    return !((w[0] | w[1] | w[2] | w[3]) & 0x8080808080808080u);
}

/* Every document read is checked whole, so ASCII (valid, and most of any text) is skipped 32
 * bytes at a test; a block that holds other characters is walked byte by byte, decoding
 * those. */
bool cite_utf8_valid(const char *s, size_t len)
{
    for (size_t i = 0; i < len;) {
        if (len - i >= 32 && ascii32(s + i)) {
            i += 32;
            continue;
        }
        for (size_t stop = CITE_MIN(len, i + 32), n; i < stop; i += n)
            if ((unsigned char)s[i] < 0x80)
                n = 1;
            else if (cite_utf8_decode(s + i, len - i, &n) == 0xFFFD && n == 1)
                return false;
    }
    return true;
}

/* UTF-16 without a byte order mark, as tools other than Windows' own write it: mostly Latin
 * text, so the high byte of most code units is 0 and the low byte is not, which UTF-8 and
 * Windows-1252 text never look like. Judged on the first 4 KiB; *big_endian says which
 * byte is high. */
static bool looks_utf16(const char *s, size_t len, bool *big_endian)
{
    size_t n = CITE_MIN(len, 4096) & ~(size_t)1, zero_even = 0, zero_odd = 0;
    for (size_t i = 0; i < n; i += 2) {
        zero_even += s[i] == '\0';
        zero_odd += s[i + 1] == '\0';
    }
    size_t units = n / 2;
    *big_endian = zero_even > zero_odd;
    return units >= 2 && CITE_MAX(zero_even, zero_odd) * 2 > units &&
           CITE_MIN(zero_even, zero_odd) * 8 < units;
}

cite_encoding cite_encoding_detect(const char *s, size_t len)
{
    bool big_endian;
    if (len >= 2 && !memcmp(s, "\xFF\xFE", 2))
        return CITE_ENC_UTF16LE;
    if (len >= 2 && !memcmp(s, "\xFE\xFF", 2))
        return CITE_ENC_UTF16BE;
    if (looks_utf16(s, len, &big_endian))
        return big_endian ? CITE_ENC_UTF16BE : CITE_ENC_UTF16LE;
    return cite_utf8_valid(s, len) ? CITE_ENC_UTF8 : CITE_ENC_CP1252;
}

const char *cite_encoding_name(cite_encoding enc)
{
    switch (enc) {
    case CITE_ENC_UTF16LE:
        return "UTF-16 (little-endian)";
    case CITE_ENC_UTF16BE:
        return "UTF-16 (big-endian)";
    case CITE_ENC_CP1252:
        return "Windows-1252 (Latin-1)";
    case CITE_ENC_UTF8:
        break;
    }
    return "UTF-8";
}

/* Windows-1252's 0x80-0x9F; the five bytes it leaves undefined stand for themselves (C1
 * controls), as Latin-1 reads them. */
static const uint16_t CP1252_HIGH[32] = {
    0x20AC, 0x81,   0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0x8D,   0x017D, 0x8F,   0x90,   0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D,   0x017E, 0x0178,
};

static void from_cp1252(cite_buf *out, const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80)
            cite_buf_putc(out, (char)c);
        else
            cite_buf_put_utf8(out, c < 0xA0 ? CP1252_HIGH[c - 0x80] : c);
    }
}

static void from_utf16(cite_buf *out, const char *s, size_t len, bool big_endian)
{
    const unsigned char *u = (const unsigned char *)s;
    bool bom =
        len >= 2 && (big_endian ? u[0] == 0xFE && u[1] == 0xFF : u[0] == 0xFF && u[1] == 0xFE);
    size_t i = bom ? 2 : 0;
    uint32_t high = 0;
    for (; i + 1 < len; i += 2) {
        uint32_t unit =
            big_endian ? (uint32_t)u[i] << 8 | u[i + 1] : (uint32_t)u[i + 1] << 8 | u[i];
        if (unit >= 0xD800 && unit <= 0xDBFF) {
            if (high)
                cite_buf_put_utf8(out, 0xFFFD);
            high = unit;
            continue;
        }
        if (unit >= 0xDC00 && unit <= 0xDFFF) {
            cite_buf_put_utf8(out,
                              high ? 0x10000 + ((high - 0xD800) << 10) + (unit - 0xDC00) : 0xFFFD);
        } else {
            if (high)
                cite_buf_put_utf8(out, 0xFFFD);
            cite_buf_put_utf8(out, unit ? unit : 0xFFFD);
        }
        high = 0;
    }
    if (high || i < len)
        cite_buf_put_utf8(out, 0xFFFD);
}

int cite_to_utf8(char **out, size_t *out_len, const char *s, size_t len, cite_encoding enc)
{
    cite_buf b = CITE_BUF_INIT;
    if (enc == CITE_ENC_UTF16LE || enc == CITE_ENC_UTF16BE)
        from_utf16(&b, s, len, enc == CITE_ENC_UTF16BE);
    else if (enc == CITE_ENC_CP1252)
        from_cp1252(&b, s, len);
    else
        cite_buf_put(&b, s, len);
    *out_len = b.len;
    *out = cite_buf_detach(&b); /* NULL on OOM */
    return *out ? 0 : CITE_ENOMEM;
}
