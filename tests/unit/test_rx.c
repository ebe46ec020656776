/* test_rx.c: the pcre2 wrapper: compile errors, groups, find-all, UTF-8, limits, OOM. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <string.h>

#include "failalloc.h"
#include "rx.h"

static const cite_rx_pattern table[] = {
    { "year", "(?<year>\\d{4})(?<suffix>\\p{Ll})?", 0 },
    { "empty", "x*", 0 },
    { "name", "\\b(?<family>\\p{Lu}\\p{L}+)\\b", 0 },
    { "word", "^ref", PCRE2_CASELESS | PCRE2_MULTILINE },
    { "evil", "^(a+)+$", 0 },
};
enum { YEAR, EMPTY, NAME, WORD, EVIL };

static void compile_errors_name_the_pattern_and_offset(void **state)
{
    (void)state;
    static const cite_rx_pattern bad[] = {
        { "good", "a+", 0 },
        { "unclosed", "ab(c", 0 },
        { "badclass", "[z-a]", 0 },
    };
    cite_diag *d = cite_diag_new();
    cite_rx_set *set = (cite_rx_set *)1;
    assert_int_equal(cite_rx_set_new(&set, bad, 3, d), CITE_EINVALID);
    assert_null(set);
    assert_int_equal(cite_diag_count(d), 2); /* every bad pattern is reported */
    const char *msg = cite_diag_get(d, 0)->message;
    assert_non_null(strstr(msg, "'unclosed'"));
    assert_non_null(strstr(msg, "offset 4"));
    assert_non_null(strstr(msg, "missing closing parenthesis"));
    assert_non_null(strstr(cite_diag_get(d, 1)->message, "'badclass'"));
    cite_diag_free(d);
}

static void named_groups_resolve_once_and_give_offsets(void **state)
{
    (void)state;
    cite_rx_set *set;
    assert_int_equal(cite_rx_set_new(&set, table, CITE_ARRAY_LEN(table), NULL), 0);
    assert_int_equal(cite_rx_set_count(set), CITE_ARRAY_LEN(table));
    int year = cite_rx_group_number(set, YEAR, "year");
    int suffix = cite_rx_group_number(set, YEAR, "suffix");
    assert_int_equal(year, 1);
    assert_int_equal(suffix, 2);
    assert_int_equal(cite_rx_group_number(set, YEAR, "nope"), CITE_ENOTFOUND);
    const char *s = "Smith (2001a) and Jones (2002)";
    cite_rx_result m;
    size_t b, e;
    assert_int_equal(cite_rx_match(&m, set, YEAR, s, strlen(s), 0, 0), 1);
    assert_true(cite_rx_group(&m, year, &b, &e));
    assert_int_equal(b, 7);
    assert_int_equal(e, 11);
    assert_true(cite_rx_group(&m, suffix, &b, &e));
    assert_int_equal(b, 11);
    assert_int_equal(cite_rx_match(&m, set, YEAR, s, strlen(s), m.end, 0), 1);
    assert_int_equal(m.start, 25);
    assert_false(cite_rx_group(&m, suffix, &b, &e)); /* unset group */
    assert_false(cite_rx_group(&m, 9, &b, &e));
    assert_int_equal(cite_rx_match(&m, set, YEAR, s, strlen(s), m.end, 0), 0);
    /* Caller flags: caseless and multiline. */
    assert_int_equal(cite_rx_match(&m, set, WORD, "x\nREFERENCES", 12, 0, 0), 1);
    assert_int_equal(m.start, 2);
    cite_rx_set_free(set);
    cite_rx_set_free(NULL);
}

typedef struct collected {
    size_t starts[16], ends[16];
    int n;
} collected;

static int collect(const cite_rx_result *m, void *payload)
{
    collected *c = payload;
    c->starts[c->n] = m->start;
    c->ends[c->n] = m->end;
    c->n++;
    return c->n == 16;
}

static void find_all_steps_over_empty_matches(void **state)
{
    (void)state;
    cite_rx_set *set;
    assert_int_equal(cite_rx_set_new(&set, table, CITE_ARRAY_LEN(table), NULL), 0);
    collected c = { .n = 0 };
    /* "x*" on "axxb\xC3\xA9": empty at 0, "xx" at 1..3, empty at 3, empty before é, at end. */
    const char *s = "axxb\xC3\xA9";
    assert_int_equal(cite_rx_find_all(set, EMPTY, s, strlen(s), collect, &c), 5);
    size_t want[][2] = { { 0, 0 }, { 1, 3 }, { 3, 3 }, { 4, 4 }, { 6, 6 } };
    for (int i = 0; i < 5; i++) {
        assert_int_equal(c.starts[i], want[i][0]);
        assert_int_equal(c.ends[i], want[i][1]);
    }
    assert_int_equal(cite_rx_find_all(set, EMPTY, "", 0, NULL, NULL), 1);
    cite_rx_set_free(set);
}

static void utf8_letters_match_and_invalid_bytes_do_not_break(void **state)
{
    (void)state;
    cite_rx_set *set;
    assert_int_equal(cite_rx_set_new(&set, table, CITE_ARRAY_LEN(table), NULL), 0);
    collected c = { .n = 0 };
    const char *s = "\xC3\x85ngstr\xC3\xB6m and \xC3\x89mile";
    assert_int_equal(cite_rx_find_all(set, NAME, s, strlen(s), collect, &c), 2);
    assert_int_equal(c.ends[0], 10); /* Ångström: 8 code points, 10 bytes */
    /* Invalid UTF-8 (a lone continuation byte, a truncated sequence) never matches a
     * character but does not stop the search either. */
    const char *bad = "\x80Smith \xC3 Jones\xFF";
    c.n = 0;
    assert_int_equal(cite_rx_find_all(set, NAME, bad, strlen(bad), collect, &c), 2);
    assert_int_equal(c.starts[0], 1);
    assert_int_equal(c.starts[1], 9);
    c.n = 0;
    /* One empty match per start position: 15 bytes, the end included; pcre2 alone would let
     * the anchored retry jump past the invalid byte at 7. */
    assert_int_equal(cite_rx_find_all(set, EMPTY, bad, strlen(bad), NULL, NULL), 16);
    cite_rx_result m;
    assert_int_equal(cite_rx_match(&m, set, EMPTY, bad, strlen(bad), 1,
                                   PCRE2_ANCHORED | PCRE2_NOTEMPTY_ATSTART),
                     0);
    cite_rx_set_free(set);
}

static void pathological_pattern_hits_the_limit_not_a_hang(void **state)
{
    (void)state;
    cite_rx_set *set;
    assert_int_equal(cite_rx_set_new(&set, table, CITE_ARRAY_LEN(table), NULL), 0);
    char s[64];
    memset(s, 'a', 60);
    s[60] = 'b';
    cite_rx_result m;
    assert_int_equal(cite_rx_match(&m, set, EVIL, s, 61, 0, 0), CITE_ERROR);
    assert_int_equal(cite_rx_find_all(set, EVIL, s, 61, NULL, NULL), CITE_ERROR);
    assert_int_equal(cite_rx_match(&m, set, EVIL, "aaa", 3, 0, 0), 1);
    cite_rx_set_free(set);
}

static void out_of_memory_is_reported_at_every_allocation(void **state)
{
    (void)state;
    int rc = CITE_ENOMEM;
    long budget = 0;
    for (; rc == CITE_ENOMEM && budget < 10000; budget++) {
        cite_rx_set *set = (cite_rx_set *)1;
        failalloc_start(budget);
        rc = cite_rx_set_new(&set, table, CITE_ARRAY_LEN(table), NULL);
        if (rc == 0) {
            cite_rx_result m;
            int r = cite_rx_match(&m, set, YEAR, "in 2001", 7, 0, 0);
            assert_true(r == 1 || r == CITE_ENOMEM);
        } else {
            assert_int_equal(rc, CITE_ENOMEM);
            assert_null(set);
        }
        failalloc_stop();
        cite_rx_set_free(rc == 0 ? set : NULL);
    }
    assert_int_equal(rc, 0);
    assert_true(budget > 5); /* pcre2 really allocated through our hooks */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(compile_errors_name_the_pattern_and_offset),
        cmocka_unit_test(named_groups_resolve_once_and_give_offsets),
        cmocka_unit_test(find_all_steps_over_empty_matches),
        cmocka_unit_test(utf8_letters_match_and_invalid_bytes_do_not_break),
        cmocka_unit_test(pathological_pattern_hits_the_limit_not_a_hang),
        cmocka_unit_test(out_of_memory_is_reported_at_every_allocation),
    };
    return cmocka_run_group_tests_name("rx", tests, NULL, NULL);
}
