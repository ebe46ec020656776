/* test_bytescan.c: the vector byte filters agree with their rules, byte by byte, at every
 * position and alignment (the sixteen-byte blocks, their edges and the tail). */
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

static bool date_rule(const char *s, size_t i)
{
    unsigned char c = (unsigned char)s[i], prev = i ? (unsigned char)s[i - 1] : ' ';
    if (c >= '0' && c <= '9')
        return !(prev >= '0' && prev <= '9');
    return strchr("nNiIfF", c) && c && !letter(prev);
}

/* Every answer from every start equals the first position the rule accepts. */
static void check_against_rules(const char *s, size_t len)
{
    for (size_t from = 0; from <= len; from++) {
        size_t want = from;
        while (want < len && !bracket_rule(s, want))
            want++;
        assert_int_equal(cite_next_bracket_byte(s, len, from), want);
        want = from;
        while (want < len && !date_rule(s, want))
            want++;
        assert_int_equal(cite_next_date_start(s, len, from), want);
    }
}

static void test_known_text(void **state)
{
    (void)state;
    const char *s = "Levine (2025) and [3]; in press, n.d., forthcoming; x2019 1999 "
                    "\xEF\xBC\x88Omeje\xEF\xBC\x89 Ninety Fifty inFormation (1,2)\n\n";
    check_against_rules(s, strlen(s));
    assert_int_equal(cite_next_bracket_byte(s, strlen(s), 0), 7);
    assert_int_equal(cite_next_date_start(s, strlen(s), 0), 8); /* the 2 of 2025 */
    assert_int_equal(cite_next_date_start("", 0, 0), 0);
    assert_int_equal(cite_next_bracket_byte("", 0, 0), 0);
}

/* Random bytes drawn mostly from the interesting ones, including bytes >= 0x80, at lengths
 * around the block size. */
static void test_random_text(void **state)
{
    (void)state;
    static const char alphabet[] = "()[]\n\xEF\x80\xC3\xA9 nNiIfFaZz0189/.,-";
    char buf[80];
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
