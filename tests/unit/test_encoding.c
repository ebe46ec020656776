/* test_encoding.c: text that is not UTF-8 (encoding.c) and the readers that re-encode it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <string.h>

#include "encoding.h"
#include "failalloc.h"

static void detects_boms_utf8_and_the_rest(void **state)
{
    (void)state;
    assert_int_equal(cite_encoding_detect("\xFF\xFEh\0i\0", 6), CITE_ENC_UTF16LE);
    assert_int_equal(cite_encoding_detect("\xFE\xFF\0h\0i", 6), CITE_ENC_UTF16BE);
    assert_int_equal(cite_encoding_detect("h\0i\0 \0t\0", 8), CITE_ENC_UTF16LE);
    assert_int_equal(cite_encoding_detect("\0h\0i\0 \0t", 8), CITE_ENC_UTF16BE);
    assert_int_equal(cite_encoding_detect("M\xC3\xBCller", 7), CITE_ENC_UTF8);
    assert_int_equal(cite_encoding_detect("", 0), CITE_ENC_UTF8);
    assert_int_equal(cite_encoding_detect("M\xFCller", 6), CITE_ENC_CP1252);
    /* one NUL in UTF-8 text is not UTF-16 */
    assert_int_equal(cite_encoding_detect("abc\0defgh", 9), CITE_ENC_UTF8);
}

static void expect(const char *in, size_t len, cite_encoding enc, const char *want)
{
    char *out = NULL;
    size_t n = 0;
    assert_int_equal(cite_to_utf8(&out, &n, in, len, enc), 0);
    assert_int_equal(n, strlen(want));
    assert_string_equal(out, want);
    cite_free(out);
}

static void converts_to_utf8(void **state)
{
    (void)state;
    /* BOM dropped; é; a surrogate pair (U+1F600); an unpaired high surrogate; an odd byte */
    expect("\xFF\xFE\xE9\0\x3D\xD8\x00\xDE\x3D\xD8x\0y", 13, CITE_ENC_UTF16LE,
           "\xC3\xA9\xF0\x9F\x98\x80\xEF\xBF\xBDx\xEF\xBF\xBD");
    expect("\xFE\xFF\0A\x20\x13\0B", 8, CITE_ENC_UTF16BE,
           "A\xE2\x80\x93"
           "B");
    expect("\0A\0B", 4, CITE_ENC_UTF16BE, "AB"); /* no BOM */
    /* Windows-1252: € and curly quotes from 0x80-0x9F, Latin-1 above */
    expect("\x80 \x93x\x94 M\xFC", 8, CITE_ENC_CP1252,
           "\xE2\x82\xAC \xE2\x80\x9Cx\xE2\x80\x9D M\xC3\xBC");
}

/* A UTF-16 manuscript reads as its text, with a warning; places keep their lines. */
static void documents_and_libraries_are_re_encoded(void **state)
{
    (void)state;
    static const char utf16[] = "\xFF\xFE"
                                "M\0\xFC\0l\0l\0e\0r\0\n\0x\0";
    cite_diag *diag = cite_diag_new();
    cite_document *doc = NULL;
    assert_int_equal(
        cite_document_read(&doc, utf16, sizeof utf16 - 1, "a.txt", CITE_DOC_AUTO, diag), 0);
    assert_string_equal(cite_document_get_text(doc, NULL), "M\xC3\xBCller\nx");
    assert_int_equal(cite_diag_count(diag), 1);
    assert_string_equal(cite_diag_get(diag, 0)->message,
                        "not UTF-8: read as UTF-16 (little-endian)");
    cite_document_free(doc);
    cite_diag_free(diag);

    static const char ris[] = "TY  - BOOK\nAU  - M\xFCller, J\xFCrgen\nER  - \n";
    diag = cite_diag_new();
    cite_library *lib = NULL;
    assert_int_equal(cite_ris_read(&lib, ris, sizeof ris - 1, "a.ris", diag), 0);
    cite_name_parts n;
    assert_true(cite_record_get_name(cite_library_get(lib, 0), "author", 0, &n));
    assert_string_equal(n.family, "M\xC3\xBCller");
    assert_string_equal(cite_diag_get(diag, 0)->message,
                        "not UTF-8: read as Windows-1252 (Latin-1)");
    cite_library_free(lib);
    cite_diag_free(diag);
}

static void survives_every_failed_allocation(void **state)
{
    (void)state;
    int rc = CITE_ENOMEM;
    for (long budget = 0; rc == CITE_ENOMEM && budget < 1000; budget++) {
        char *out = NULL;
        size_t n;
        failalloc_start(budget);
        rc = cite_to_utf8(&out, &n, "\xFF\xFEh\0i\0", 6, CITE_ENC_UTF16LE);
        failalloc_stop();
        assert_true(rc == 0 || (rc == CITE_ENOMEM && out == NULL));
        cite_free(out);
    }
    assert_int_equal(rc, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(detects_boms_utf8_and_the_rest),
        cmocka_unit_test(converts_to_utf8),
        cmocka_unit_test(documents_and_libraries_are_re_encoded),
        cmocka_unit_test(survives_every_failed_allocation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
