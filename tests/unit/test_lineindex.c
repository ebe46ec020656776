/* test_lineindex.c: line:column of byte offsets (columns count code points), looked up alone or
 * walking on from a cursor, against a count made byte by byte. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "lineindex.h"

/* The location of offset counted from the start of text. */
static cite_loc naive(const char *text, size_t len, size_t offset)
{
    cite_loc at = { .file = "t", .offset = offset, .line = 1, .col = 1 };
    for (size_t i = 0; i < offset && i < len; i++) {
        if (text[i] == '\n') {
            at.line++;
            at.col = 1;
        } else if (((unsigned char)text[i] & 0xC0) != 0x80) {
            at.col++;
        }
    }
    return at;
}

static void assert_loc(cite_loc got, cite_loc want)
{
    assert_int_equal(got.offset, want.offset);
    assert_int_equal(got.line, want.line);
    assert_int_equal(got.col, want.col);
}

/* Random text of ASCII, two- and three-byte characters and line feeds (some lines long), then
 * every offset alone, every offset walked in order, and offsets walked in jumps. */
static void test_random_text(void **state)
{
    (void)state;
    static const char *const pieces[] = { "a", "b", " ", "\n", "é", "ü", "—", "\xEF\xBC\x88", "(" };
    char text[4096];
    srand(7);
    for (int round = 0; round < 40; round++) {
        size_t len = 0;
        while (len < sizeof text - 8) {
            const char *p = pieces[(size_t)rand() % (sizeof pieces / sizeof *pieces)];
            if (p[0] == '\n' && rand() % 4) /* fewer line feeds: lines of some length */
                continue;
            memcpy(text + len, p, strlen(p));
            len += strlen(p);
        }
        cite_lineindex idx;
        assert_int_equal(cite_lineindex_init(&idx, text, len), 0);
        cite_loc walk = { 0 }, jump = { 0 };
        for (size_t off = 0; off <= len; off++) {
            cite_loc want = naive(text, len, off);
            assert_loc(cite_lineindex_loc(&idx, "t", off), want);
            assert_loc(cite_lineindex_loc_from(&idx, "t", off, &walk), want);
            if (off % 97 == 0) /* far apart, and sometimes back: the cursor must not mislead */
                assert_loc(cite_lineindex_loc_from(&idx, "t", (off * 7) % (len + 1), &jump),
                           naive(text, len, (off * 7) % (len + 1)));
        }
        cite_lineindex_dispose(&idx);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_random_text),
    };
    return cmocka_run_group_tests_name("lineindex", tests, NULL, NULL);
}
