/* bytescan.c: the byte filters of the citation scanner (bytescan.h). Nearly every byte of a
 * manuscript is a letter or a blank that neither pairs brackets nor starts a date: testing
 * sixty-four of them with a few vector compares, then visiting only the flagged ones, makes the
 * two passes cost a small fraction of what a byte-by-byte loop does. */
#include <stdbool.h>
#include <stdint.h>

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

/* The rule of CITE_BYTES_DATES for c, followed by next (0 at the end of the text), after a
 * byte that is neither a digit nor an ASCII letter. */
static bool may_start_date(unsigned char c, unsigned char next)
{
    switch (c | 0x20) {
    case 'n':
        return next == '.' || (next | 0x20) == 'o';
    case 'i':
        return (next | 0x20) == 'n';
    case 'f':
        return (next | 0x20) == 'o';
    default:
        return is_digit(c) && is_digit(next);
    }
}

/* The rule of CITE_BYTES_DATES at s[i] of s[0, len), i > 0. */
static bool is_date_start(const char *s, size_t len, size_t i)
{
    unsigned char c = (unsigned char)s[i], prev = (unsigned char)s[i - 1];
    unsigned char next = i + 1 < len ? (unsigned char)s[i + 1] : 0;
    if (is_digit(c) ? is_digit(prev) : is_ascii_letter(prev))
        return false;
    return may_start_date(c, next);
}

/* Position 0 has no byte before it. */
static bool starts_text(const char *s, size_t len)
{
    return may_start_date((unsigned char)s[0], len > 1 ? (unsigned char)s[1] : 0);
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

static __m128i bytes_equal(__m128i v, char c)
{
    return _mm_cmpeq_epi8(v, _mm_set1_epi8(c));
}

/* The date starts among p[0..16); p[-1] and p[16] must be readable. */
static unsigned date_mask(const char *p)
{
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
    __m128i prev = _mm_loadu_si128((const __m128i *)(const void *)(p - 1));
    __m128i next = _mm_loadu_si128((const __m128i *)(const void *)(p + 1));
    __m128i lower = _mm_or_si128(v, _mm_set1_epi8(0x20));
    __m128i next_lower = _mm_or_si128(next, _mm_set1_epi8(0x20));
    __m128i next_o = bytes_equal(next_lower, 'o');
    /* n. no, in, fo: the first two letters of n.d., no date, in press, forthcoming */
    __m128i n =
        _mm_and_si128(bytes_equal(lower, 'n'), _mm_or_si128(bytes_equal(next, '.'), next_o));
    __m128i i = _mm_and_si128(bytes_equal(lower, 'i'), bytes_equal(next_lower, 'n'));
    __m128i f = _mm_and_si128(bytes_equal(lower, 'f'), next_o);
    __m128i prev_letter = in_range(_mm_or_si128(prev, _mm_set1_epi8(0x20)), 'a', 26);
    __m128i words = _mm_andnot_si128(prev_letter, _mm_or_si128(n, _mm_or_si128(i, f)));
    __m128i digit = in_range(v, '0', 10);
    __m128i digits =
        _mm_and_si128(_mm_andnot_si128(in_range(prev, '0', 10), digit), in_range(next, '0', 10));
    return (unsigned)_mm_movemask_epi8(_mm_or_si128(digits, words));
}

#endif

/* Sixty-four bytes a block: four vector tests whose flags make one 64-bit mask, so that the
 * loop over blocks without a flag (most of a text) runs a quarter as often. */
enum { BLOCK = 64, VECTOR = 16 };

/* The rule of the cursor's filter at s[i], i > 0. */
static bool flagged(const cite_byte_cursor *c, size_t i)
{
    return c->filter == CITE_BYTES_BRACKETS ? is_bracket_byte((unsigned char)c->s[i])
                                            : is_date_start(c->s, c->len, i);
}

/* The flags of s[at, at + BLOCK), 0 < at and at + BLOCK < len (the date rule reads a byte
 * on each side). */
static uint64_t block_mask(const cite_byte_cursor *c, size_t at)
{
    uint64_t mask = 0;
#if defined(__SSE2__)
    const char *p = c->s + at;
    if (c->filter == CITE_BYTES_BRACKETS)
        for (unsigned k = 0; k < BLOCK; k += VECTOR)
            mask |= (uint64_t)bracket_mask(p + k) << k;
    else
        for (unsigned k = 0; k < BLOCK; k += VECTOR)
            mask |= (uint64_t)date_mask(p + k) << k;
#else /* the same rules, byte by byte */
    (void)VECTOR;
    for (unsigned i = 0; i < BLOCK; i++)
        mask |= (uint64_t)flagged(c, at + i) << i;
#endif
    return mask;
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
                                                    : starts_text(c->s, c->len);
        if (hit)
            return 0;
        from = 1;
    }
    if (c->have && from >= c->base && from - c->base < BLOCK) {
        uint64_t rest = c->mask & (~(uint64_t)0 << (from - c->base));
        if (rest)
            return c->base + (size_t)__builtin_ctzll(rest);
        from = c->base + BLOCK;
    }
    c->have = false;
    for (; c->len - from > BLOCK; from += BLOCK) {
        uint64_t mask = block_mask(c, from);
        if (mask) {
            c->base = from;
            c->mask = mask;
            c->have = true;
            return from + (size_t)__builtin_ctzll(mask);
        }
    }
    while (from < c->len && !flagged(c, from))
        from++;
    return from;
}
