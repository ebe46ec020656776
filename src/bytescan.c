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

/* The rule of cite_next_date_start at s[i], i > 0. */
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

size_t cite_next_bracket_byte(const char *s, size_t len, size_t from)
{
    size_t i = from;
    for (; len >= 16 && i <= len - 16; i += 16) {
        unsigned mask = bracket_mask(s + i);
        if (mask)
            return i + (size_t)__builtin_ctz(mask);
    }
    while (i < len && !is_bracket_byte((unsigned char)s[i]))
        i++;
    return i;
}

size_t cite_next_date_start(const char *s, size_t len, size_t from)
{
    size_t i = from;
    if (i == 0) {
        if (len == 0 || starts_text(s))
            return 0;
        i = 1;
    }
    for (; len >= 16 && i <= len - 16; i += 16) {
        unsigned mask = date_mask(s + i);
        if (mask)
            return i + (size_t)__builtin_ctz(mask);
    }
    while (i < len && !is_date_start(s, i))
        i++;
    return i;
}

#else /* no SSE2: the same rules, byte by byte */

size_t cite_next_bracket_byte(const char *s, size_t len, size_t from)
{
    size_t i = from;
    while (i < len && !is_bracket_byte((unsigned char)s[i]))
        i++;
    return i;
}

size_t cite_next_date_start(const char *s, size_t len, size_t from)
{
    size_t i = from;
    if (i == 0) {
        if (len == 0 || starts_text(s))
            return 0;
        i = 1;
    }
    while (i < len && !is_date_start(s, i))
        i++;
    return i;
}

#endif
