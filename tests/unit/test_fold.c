/* test_fold.c: the keys names are linked by, and the edit distance of near misses. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <string.h>

#include "buf.h"
#include "fold.h"

static void assert_key(const char *in, cite_fold_mode mode, const char *want)
{
    cite_buf b = CITE_BUF_INIT;
    cite_fold(&b, in, strlen(in), mode);
    assert_string_equal(b.ptr, want);
    cite_buf_dispose(&b);
}

static void test_keys(void **state)
{
    (void)state;
    assert_key("Müller", CITE_FOLD_KEY, "muller");
    assert_key("MÜLLER", CITE_FOLD_KEY, "muller");
    assert_key("Goi\xCC\x88ta", CITE_FOLD_KEY, "goita"); /* decomposed i + U+0308 */
    assert_key("O’Neil", CITE_FOLD_KEY, "oneil");
    assert_key("O'Neil", CITE_FOLD_KEY, "oneil");
    assert_key("van der Berg", CITE_FOLD_KEY, "vanderberg");
    assert_key("Van der Berg", CITE_FOLD_KEY, "vanderberg");
    assert_key("Lévi\xE2\x80\x91Strauss", CITE_FOLD_KEY, "levistrauss"); /* U+2011 */
    assert_key("Łukasiewicz", CITE_FOLD_KEY, "lukasiewicz");
    assert_key("Sørensen", CITE_FOLD_KEY, "sorensen");
    assert_key("Æsop Œuvre", CITE_FOLD_KEY, "aesopoeuvre");
    assert_key("Straße", CITE_FOLD_KEY, "strasse");
    assert_key("Ó Súilleabháin", CITE_FOLD_KEY, "osuilleabhain");
    assert_key("Müller", CITE_FOLD_TRANSLIT, "mueller");
    assert_key("Mueller", CITE_FOLD_TRANSLIT, "mueller");
    /* CASE keeps accents and composes them, so "Goita" and "Goïta" differ there only */
    assert_key("Goi\xCC\x88ta", CITE_FOLD_CASE, "goïta");
    assert_key("GOÏTA", CITE_FOLD_CASE, "goïta");
    assert_key("Goita", CITE_FOLD_CASE, "goita");
    assert_key("\xFF\xFE"
               "bad",
               CITE_FOLD_KEY, "bad"); /* invalid bytes dropped */
}

static unsigned distance(const char *a, const char *b, unsigned max)
{
    return cite_edit_distance(a, strlen(a), b, strlen(b), max);
}

static void test_edit_distance(void **state)
{
    (void)state;
    assert_int_equal(distance("levine", "levine", 2), 0);
    assert_int_equal(distance("levin", "levine", 2), 1);
    assert_int_equal(distance("levnie", "levine", 2), 1); /* transposition counts once */
    assert_int_equal(distance("pokalva", "pokalova", 2), 1);
    assert_int_equal(distance("macdonald", "mcdonald", 2), 1);
    assert_int_equal(distance("smith", "jones", 2), 3); /* capped at max + 1 */
    assert_int_equal(distance("a", "abcdef", 2), 3);
    char long_name[80];
    memset(long_name, 'a', sizeof long_name - 1);
    long_name[sizeof long_name - 1] = '\0';
    assert_int_equal(distance(long_name, long_name, 2), 3); /* too long to be close */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_keys),
        cmocka_unit_test(test_edit_distance),
    };
    return cmocka_run_group_tests_name("fold", tests, NULL, NULL);
}
