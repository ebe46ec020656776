/* test_bytescan.c: the vector byte filters agree with their rules, byte by byte, at every
 * position and alignment (the 64-byte blocks, their edges and the tail). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "bytescan.h"

static bool bracket_rule(const char *s, size_t i)
{
    unsigned char c = (unsigned char)s[i];
    return c == '(' || c == ')' || c == '[' || c == ']' || c == '\n' || c == 0xEF;
}

static bool letter(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

static bool date_rule(const char *s, size_t len, size_t i)
{
    unsigned char c = (unsigned char)s[i], prev = i ? (unsigned char)s[i - 1] : ' ';
    unsigned char next = i + 1 < len ? (unsigned char)s[i + 1] : 0;
    if (digit(c))
        return !digit(prev) && digit(next);
    if (letter(prev))
        return false;
    return ((c == 'n' || c == 'N') && (next == '.' || next == 'o' || next == 'O')) ||
           ((c == 'i' || c == 'I') && (next == 'n' || next == 'N')) ||
           ((c == 'f' || c == 'F') && (next == 'o' || next == 'O'));
}

static size_t next_from(const char *s, size_t len, cite_byte_filter f, size_t from)
{
    cite_byte_cursor c;
    cite_byte_cursor_init(&c, s, len, f);
    return cite_byte_cursor_next(&c, from);
}

/* Every answer from every start equals the first position the rule accepts; so does every
 * answer of one cursor walked along the text, as the scanner walks it. */
static void check_against_rules(const char *s, size_t len)
{
    cite_byte_cursor walk[2];
    cite_byte_cursor_init(&walk[0], s, len, CITE_BYTES_BRACKETS);
    cite_byte_cursor_init(&walk[1], s, len, CITE_BYTES_DATES);
    for (size_t from = 0; from <= len; from++) {
        size_t want = from;
        while (want < len && !bracket_rule(s, want))
            want++;
        assert_int_equal(next_from(s, len, CITE_BYTES_BRACKETS, from), want);
        assert_int_equal(cite_byte_cursor_next(&walk[0], from), want);
        want = from;
        while (want < len && !date_rule(s, len, want))
            want++;
        assert_int_equal(next_from(s, len, CITE_BYTES_DATES, from), want);
        assert_int_equal(cite_byte_cursor_next(&walk[1], from), want);
    }
}

static void test_known_text(void **state)
{
    (void)state;
    const char *s = "Levine (2025) and [3]; in press, n.d., forthcoming; x2019 1999 "
                    "\xEF\xBC\x88Omeje\xEF\xBC\x89 Ninety Fifty inFormation (1,2)\n\n"
                    "no date, IN PRESS, N. d., FOrthcoming, 5 mice, if not now, fig. 3, 12";
    check_against_rules(s, strlen(s));
    assert_int_equal(next_from(s, strlen(s), CITE_BYTES_BRACKETS, 0), 7);
    assert_int_equal(next_from(s, strlen(s), CITE_BYTES_DATES, 0), 8); /* the 2 of 2025 */
    assert_int_equal(next_from("", 0, CITE_BYTES_DATES, 0), 0);
    assert_int_equal(next_from("", 0, CITE_BYTES_BRACKETS, 0), 0);
}

/* Random bytes drawn mostly from the interesting ones, including bytes >= 0x80, at lengths
 * around the block size. */
static void test_random_text(void **state)
{
    (void)state;
    static const char alphabet[] = "()[]\n\xEF\x80\xC3\xA9 nNiIfFoOaZz0189/.,-";
    char buf[160];
    srand(12345);
    for (int round = 0; round < 3000; round++) {
        size_t len = (size_t)rand() % sizeof buf;
        for (size_t i = 0; i < len; i++)
            buf[i] = alphabet[(size_t)rand() % (sizeof alphabet - 1)];
        check_against_rules(buf, len);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_text),
        cmocka_unit_test(test_random_text),
    };
    return cmocka_run_group_tests_name("bytescan", tests, NULL, NULL);
}
