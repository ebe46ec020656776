/* bytescan.c: the byte filters of the citation scanner (bytescan.h). Nearly every byte of a
 * manuscript is a letter or a blank that neither pairs brackets nor starts a date: testing
 * sixteen of them with a few vector compares, then visiting only the flagged ones, makes the
 * two passes cost a small fraction of what a byte-by-byte loop does. */
#include <stdbool.h>

#include "bytescan.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

static bool is_bracket_byte(unsigned char c)
{
    return c == '(' || c == ')' || c == '[' || c == ']' || c == '\n' || c == 0xEF;
}

static bool is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

static bool is_ascii_letter(unsigned char c)
{
    return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
}

/* The rule of CITE_BYTES_DATES at s[i], i > 0. */
static bool is_date_start(const char *s, size_t i)
{
    unsigned char c = (unsigned char)s[i], prev = (unsigned char)s[i - 1];
    unsigned char lower = c | 0x20;
    if (is_digit(c))
        return !is_digit(prev);
    return (lower == 'n' || lower == 'i' || lower == 'f') && !is_ascii_letter(prev);
}

/* Position 0 has no byte before it: a digit or n, i, f there may start a date. */
static bool starts_text(const char *s)
{
    unsigned char c = (unsigned char)s[0], lower = c | 0x20;
    return is_digit(c) || lower == 'n' || lower == 'i' || lower == 'f';
}

#if defined(__SSE2__)

/* Bytes of v in [lo, lo + n) (unsigned), by shifting that range to the bottom of the signed
 * one: one add and one compare. */
static __m128i in_range(__m128i v, unsigned char lo, unsigned char n)
{
    __m128i shifted = _mm_add_epi8(v, _mm_set1_epi8((char)(0x80 - lo)));
    return _mm_cmplt_epi8(shifted, _mm_set1_epi8((char)(-128 + n)));
}

static unsigned bracket_mask(const char *p)
{
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
    __m128i paren = _mm_cmpeq_epi8(_mm_and_si128(v, _mm_set1_epi8(~1)), _mm_set1_epi8('('));
    __m128i square =
        _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('[')), _mm_cmpeq_epi8(v, _mm_set1_epi8(']')));
    __m128i other = _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\n')),
                                 _mm_cmpeq_epi8(v, _mm_set1_epi8((char)0xEF)));
    return (unsigned)_mm_movemask_epi8(_mm_or_si128(paren, _mm_or_si128(square, other)));
}

/* The date starts among p[0..16); p[-1] must be readable. */
static unsigned date_mask(const char *p)
{
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
    __m128i prev = _mm_loadu_si128((const __m128i *)(const void *)(p - 1));
    __m128i lower = _mm_or_si128(v, _mm_set1_epi8(0x20));
    __m128i nif = _mm_or_si128(_mm_cmpeq_epi8(lower, _mm_set1_epi8('n')),
                               _mm_or_si128(_mm_cmpeq_epi8(lower, _mm_set1_epi8('i')),
                                            _mm_cmpeq_epi8(lower, _mm_set1_epi8('f'))));
    __m128i prev_letter = in_range(_mm_or_si128(prev, _mm_set1_epi8(0x20)), 'a', 26);
    __m128i digits = _mm_andnot_si128(in_range(prev, '0', 10), in_range(v, '0', 10));
    __m128i words = _mm_andnot_si128(prev_letter, nif);
    return (unsigned)_mm_movemask_epi8(_mm_or_si128(digits, words));
}

#endif

enum { BLOCK = 16 };

/* The rule of the cursor's filter at s[i], i > 0. */
static bool flagged(const cite_byte_cursor *c, size_t i)
{
    return c->filter == CITE_BYTES_BRACKETS ? is_bracket_byte((unsigned char)c->s[i])
                                            : is_date_start(c->s, i);
}

/* The flags of s[at, at + BLOCK), at > 0. */
static unsigned block_mask(const cite_byte_cursor *c, size_t at)
{
#if defined(__SSE2__)
    return c->filter == CITE_BYTES_BRACKETS ? bracket_mask(c->s + at) : date_mask(c->s + at);
#else /* the same rules, byte by byte */
    unsigned mask = 0;
    for (unsigned i = 0; i < BLOCK; i++)
        mask |= (unsigned)flagged(c, at + i) << i;
    return mask;
#endif
}

void cite_byte_cursor_init(cite_byte_cursor *c, const char *s, size_t len, cite_byte_filter filter)
{
    *c = (cite_byte_cursor){ .s = s, .len = len, .filter = filter };
}

size_t cite_byte_cursor_next(cite_byte_cursor *c, size_t from)
{
    if (from >= c->len)
        return c->len;
    if (from == 0) { /* no byte before it: the date filter's rule differs there */
        bool hit = c->filter == CITE_BYTES_BRACKETS ? is_bracket_byte((unsigned char)c->s[0])
                                                    : starts_text(c->s);
        if (hit)
            return 0;
        from = 1;
    }
    if (c->have && from >= c->base && from - c->base < BLOCK) {
        unsigned rest = c->mask & (~0u << (from - c->base));
        if (rest)
            return c->base + (size_t)__builtin_ctz(rest);
        from = c->base + BLOCK;
    }
    c->have = false;
    for (; c->len - from >= BLOCK; from += BLOCK) {
        unsigned mask = block_mask(c, from);
        if (mask) {
            c->base = from;
            c->mask = mask;
            c->have = true;
            return from + (size_t)__builtin_ctz(mask);
        }
    }
    while (from < c->len && !flagged(c, from))
        from++;
    return from;
}
