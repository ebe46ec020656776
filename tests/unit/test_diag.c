/* test_diag.c: the diagnostics sink and the line index behind every file:line:col. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <string.h>

#include "failalloc.h"
#include "lineindex.h"

static void columns_count_code_points_not_bytes(void **state)
{
    (void)state;
    const char *text = "first\r\nM\xC3\xBCller \xE2\x80\x93 x\nlast";
    cite_lineindex idx;
    assert_int_equal(cite_lineindex_init(&idx, text, strlen(text)), 0);
    cite_loc at = cite_lineindex_loc(&idx, "f.bib", (size_t)(strchr(text, 'x') - text));
    assert_int_equal(at.line, 2);
    assert_int_equal(at.col, 10); /* M ü l l e r space – space x */
    assert_string_equal(at.file, "f.bib");
    at = cite_lineindex_loc(&idx, NULL, 0);
    assert_int_equal(at.line, 1);
    assert_int_equal(at.col, 1);
    at = cite_lineindex_loc(&idx, NULL, strlen(text));
    assert_int_equal(at.line, 3);
    assert_int_equal(at.col, 5);
    const char *line;
    size_t len;
    cite_lineindex_line(&idx, 2, &line, &len);
    assert_int_equal(len, 5); /* the CR of CRLF is not part of the line */
    assert_memory_equal(line, "first", 5);
    cite_lineindex_dispose(&idx);
}

static void sink_keeps_every_report_in_order(void **state)
{
    (void)state;
    cite_diag *d = cite_diag_new();
    cite_diag_report(d, CITE_SEV_WARNING, (cite_loc){ .file = "a", .line = 3, .col = 4 },
                     "macro '%s' undefined", "x");
    cite_diag_report_excerpt(d, CITE_SEV_ERROR, (cite_loc){ .line = 5 }, "line text here", 9,
                             "bad %d", 7);
    assert_int_equal(cite_diag_count(d), 2);
    assert_int_equal(cite_diag_count_severity(d, CITE_SEV_ERROR), 1);
    const cite_diag_item *w = cite_diag_get(d, 0);
    assert_string_equal(w->file, "a");
    assert_string_equal(w->message, "macro 'x' undefined");
    assert_null(w->excerpt);
    const cite_diag_item *e = cite_diag_get(d, 1);
    assert_null(e->file);
    assert_string_equal(e->excerpt, "line text");
    assert_string_equal(e->message, "bad 7");
    assert_null(cite_diag_get(d, 2));
    cite_diag_free(d);
    cite_diag_free(NULL);
    cite_diag_report(NULL, CITE_SEV_ERROR, (cite_loc){ 0 }, "ignored");
}

static void sink_drops_reports_it_cannot_store(void **state)
{
    (void)state;
    cite_diag *d = cite_diag_new();
    failalloc_start(0);
    cite_diag_report(d, CITE_SEV_ERROR, (cite_loc){ .file = "a" }, "lost");
    failalloc_stop();
    assert_int_equal(cite_diag_count(d), 0);
    cite_diag_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(columns_count_code_points_not_bytes),
        cmocka_unit_test(sink_keeps_every_report_in_order),
        cmocka_unit_test(sink_drops_reports_it_cannot_store),
    };
    return cmocka_run_group_tests_name("diag", tests, NULL, NULL);
}
