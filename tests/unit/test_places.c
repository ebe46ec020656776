/* test_places.c: the gazetteer's tables are sorted (bsearch needs it) and the places that end
 * a container are found. The tables are static, so the file is included. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <string.h>

#include "../../src/places.c"

static void assert_sorted(const table *t)
{
    for (size_t i = 1; i < t->n; i++)
        if (strcmp(t->names[i - 1], t->names[i]) >= 0)
            fail_msg("\"%s\" comes before \"%s\"", t->names[i - 1], t->names[i]);
}

static void test_tables_are_sorted(void **state)
{
    (void)state;
    assert_sorted(&country_table);
    assert_sorted(&state_table);
    assert_sorted(&city_table);
}

static void test_words(void **state)
{
    (void)state;
    assert_true(cite_place_word("Berlin", 6));
    assert_true(cite_place_word("Calif.", 6));
    assert_true(cite_place_word(" The Netherlands ", 17));
    assert_true(cite_place_word("Z\xc3\xbcrich", 7));
    assert_false(cite_place_word("berlin", 6)); /* exact case */
    assert_false(cite_place_word("URL", 3));
    assert_false(cite_place_word("", 0));
}

static size_t tail(const char *s)
{
    return cite_place_tail(s, strlen(s));
}

static void test_tails(void **state)
{
    (void)state;
    const char *a = "Proc. of the 21st VLDB Conference, Zurich, Switzerland";
    assert_int_equal(tail(a), strlen("Proc. of the 21st VLDB Conference, "));
    const char *b = "Workshop on Examples, White Plains, NY.";
    assert_int_equal(tail(b), strlen("Workshop on Examples, "));
    const char *c = "Proc. of SIGDBS Conf., Tokyo";
    assert_int_equal(tail(c), strlen("Proc. of SIGDBS Conf., "));
    /* no place at the end, or nothing but a place */
    const char *d = "IEEE Transactions on Systems, Man, and Cybernetics";
    assert_int_equal(tail(d), strlen(d));
    const char *e = "San Jose, CA";
    assert_int_equal(tail(e), strlen(e));
    assert_true(cite_place_whole("Sydney, Australia", 17));
    assert_true(cite_place_whole("Timberline, OR", 14));
    assert_false(cite_place_whole("Plenum Press, New York", 22));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tables_are_sorted),
        cmocka_unit_test(test_words),
        cmocka_unit_test(test_tails),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
