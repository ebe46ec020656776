/* test_record.c: the record model, dates, and the library's id index. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "failalloc.h"
#include "record.h"

static void date_roundtrip(const char *text,
                           int year,
                           int month,
                           int day,
                           int season,
                           int to_year,
                           bool circa,
                           const char *suffix)
{
    cite_date d;
    assert_int_equal(cite_date_parse(&d, text, strlen(text)), 0);
    assert_null(d.literal);
    assert_int_equal(d.from.year, year);
    assert_int_equal(d.from.month, month);
    assert_int_equal(d.from.day, day);
    assert_int_equal(d.from.season, season);
    assert_int_equal(d.to.year, to_year);
    assert_int_equal(d.circa, circa);
    assert_string_equal(d.suffix, suffix);
    cite_buf b = CITE_BUF_INIT;
    cite_date_format(&b, &d);
    assert_string_equal(b.ptr, text);
    cite_buf_dispose(&b);
    cite_date_dispose(&d);
}

static void date_parse_accepts_store_forms(void **state)
{
    (void)state;
    date_roundtrip("2025", 2025, 0, 0, 0, 0, false, "");
    date_roundtrip("2025-03", 2025, 3, 0, 0, 0, false, "");
    date_roundtrip("2025-03-04", 2025, 3, 4, 0, 0, false, "");
    date_roundtrip("2021a", 2021, 0, 0, 0, 0, false, "a");
    date_roundtrip("2021b-05", 2021, 5, 0, 0, 0, false, "b");
    date_roundtrip("2020-21", 2020, 0, 0, 1, 0, false, "");
    date_roundtrip("1999/2001", 1999, 0, 0, 0, 2001, false, "");
    date_roundtrip("1999-03/1999-05", 1999, 3, 0, 0, 1999, false, "");
    date_roundtrip("1850~", 1850, 0, 0, 0, 0, true, "");
    date_roundtrip("-0044-03-15", -44, 3, 15, 0, 0, false, "");
}

static void date_parse_keeps_literals(void **state)
{
    (void)state;
    static const char *const literals[] = { "n.d.", "in press", "forthcoming", "2020 or 2021",
                                            "19x9", "2020-13",  "2020-02-32",  "",
                                            "0000", "2020/",    "2020-03-" };
    for (size_t i = 0; i < sizeof(literals) / sizeof(literals[0]); i++) {
        cite_date d;
        assert_int_equal(cite_date_parse(&d, literals[i], strlen(literals[i])), 0);
        assert_non_null(d.literal);
        assert_string_equal(d.literal, literals[i]);
        assert_int_equal(d.from.year, 0);
        cite_date_dispose(&d);
    }
}

static void var_kinds_follow_csl(void **state)
{
    (void)state;
    assert_int_equal(cite_var_kind_of("title"), CITE_VAR_TEXT);
    assert_int_equal(cite_var_kind_of("DOI"), CITE_VAR_TEXT);
    assert_int_equal(cite_var_kind_of("author"), CITE_VAR_NAMES);
    assert_int_equal(cite_var_kind_of("container-author"), CITE_VAR_NAMES);
    assert_int_equal(cite_var_kind_of("issued"), CITE_VAR_DATE);
    assert_int_equal(cite_var_kind_of("subtitle"), CITE_VAR_UNKNOWN);
    assert_int_equal(cite_var_kind_of("doi"), CITE_VAR_UNKNOWN);
    assert_true(cite_csl_type_valid("article-journal"));
    assert_true(cite_csl_type_valid("webpage"));
    assert_false(cite_csl_type_valid("article-journa"));
}

static void record_fields_keep_order_and_replace_in_place(void **state)
{
    (void)state;
    cite_record *rec = cite_record_new("levine2025", "chapter");
    assert_non_null(rec);
    assert_int_equal(cite_record_set_text(rec, "title", "First"), 0);
    cite_name n = { .family = "Levine", .given = "J." };
    assert_int_equal(cite_record_add_name(rec, "author", &n), 0);
    assert_int_equal(cite_record_set_text(rec, "subtitle", "Sub"), 0);
    assert_int_equal(cite_record_set_text(rec, "title", "Second"), 0);
    assert_int_equal(rec->nfields, 3);
    assert_string_equal(rec->fields[0].name, "title");
    assert_string_equal(rec->fields[0].text, "Second");
    assert_int_equal(rec->fields[2].kind, CITE_VAR_UNKNOWN);
    assert_int_equal(cite_record_set_text(rec, "author", "x"), CITE_EINVALID);
    cite_record *copy = cite_record_copy(rec);
    assert_non_null(copy);
    cite_record_remove(rec, "title");
    assert_int_equal(rec->nfields, 2);
    assert_null(cite_record_get_text(rec, "title"));
    assert_string_equal(cite_record_get_text(copy, "title"), "Second");
    assert_true(cite_name_equal(&copy->fields[1].names[0], &rec->fields[0].names[0]));
    cite_record_free(rec);
    cite_record_free(copy);
}

static void library_finds_every_id_among_many(void **state)
{
    (void)state;
    cite_library *lib = cite_library_new();
    char id[32];
    for (int i = 0; i < 5000; i++) {
        snprintf(id, sizeof(id), "key%d", i);
        assert_int_equal(cite_library_add(lib, cite_record_new(id, "book")), 0);
    }
    cite_record *dup = cite_record_new("key42", "book");
    assert_int_equal(cite_library_add(lib, dup), CITE_EEXISTS);
    cite_record_free(dup);
    assert_int_equal(cite_library_count(lib), 5000);
    for (int i = 0; i < 5000; i++) {
        const cite_record *rec;
        snprintf(id, sizeof(id), "key%d", i);
        assert_int_equal(cite_library_lookup(&rec, lib, id), 0);
        assert_string_equal(cite_record_get_id(rec), id);
        assert_ptr_equal(cite_library_get(lib, (size_t)i), rec);
    }
    const cite_record *none;
    assert_int_equal(cite_library_lookup(&none, lib, "key5000"), CITE_ENOTFOUND);
    assert_null(none);
    cite_library_free(lib);
    cite_library_free(NULL);
}

static void record_copy_survives_every_allocation_failure(void **state)
{
    (void)state;
    cite_record *rec = cite_record_new("k", "book");
    cite_name n = { .family = "M\xC3\xBCller", .given = "J.", .non_dropping_particle = "van" };
    assert_int_equal(cite_record_add_name(rec, "author", &n), 0);
    assert_int_equal(cite_record_set_text(rec, "title", "T"), 0);
    cite_date d;
    assert_int_equal(cite_date_parse(&d, "2020-03", 7), 0);
    assert_int_equal(cite_record_set_date(rec, "issued", &d), 0);
    cite_date_dispose(&d);
    for (long budget = 0;; budget++) {
        failalloc_start(budget);
        cite_record *copy = cite_record_copy(rec);
        failalloc_stop();
        if (copy) {
            cite_record_free(copy);
            break;
        }
    }
    cite_record_free(rec);
}

/* Page ranges as the interchange writers split them (SP/EP, MODS start/end). */
static void page_ranges_split_at_their_dash(void **state)
{
    (void)state;
    size_t a, b;
    assert_true(cite_page_range("47-65", &a, &b));
    assert_int_equal(a, 2);
    assert_int_equal(b, 3);
    assert_true(cite_page_range("835--854", &a, &b));
    assert_int_equal(b, 5);
    assert_true(cite_page_range("e12 \u2013 e19", &a, &b));
    assert_int_equal(a, 3);
    assert_int_equal(b, 8);
    assert_false(cite_page_range("47", &a, &b));
    assert_false(cite_page_range("3, 7-9", &a, &b));
    assert_false(cite_page_range("9-", &a, &b));
    assert_false(cite_page_range("-9", &a, &b));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(page_ranges_split_at_their_dash),
        cmocka_unit_test(date_parse_accepts_store_forms),
        cmocka_unit_test(date_parse_keeps_literals),
        cmocka_unit_test(var_kinds_follow_csl),
        cmocka_unit_test(record_fields_keep_order_and_replace_in_place),
        cmocka_unit_test(library_finds_every_id_among_many),
        cmocka_unit_test(record_copy_survives_every_allocation_failure),
    };
    return cmocka_run_group_tests_name("record", tests, NULL, NULL);
}
