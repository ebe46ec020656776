/* test_citescan.c: the in-text citation scanner against the shared catalogue of APA, Harvard,
 * name and negative cases (../shared/citations/catalogue.tsv, read at run time), plus cases of
 * our own: skipped ranges, numeric callouts, pathological inputs, OOM. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "buf.h"
#include "citescan.h"
#include "failalloc.h"

#define CATALOGUE "../shared/citations/catalogue.tsv"

/* Decodes the catalogue's \n, \uXXXX escapes (rows noted [esc]) in place. */
static void unescape(char *s)
{
    char *w = s;
    for (char *r = s; *r;) {
        if (r[0] == '\\' && r[1] == 'n') {
            *w++ = '\n';
            r += 2;
        } else if (r[0] == '\\' && r[1] == 'u' && strlen(r) >= 6) {
            char hex[5] = { r[2], r[3], r[4], r[5], 0 };
            utf8proc_uint8_t enc[4];
            utf8proc_ssize_t n = utf8proc_encode_char((utf8proc_int32_t)strtol(hex, NULL, 16), enc);
            memcpy(w, enc, (size_t)n);
            w += n;
            r += 6;
        } else {
            *w++ = *r++;
        }
    }
    *w = '\0';
}

static bool nfc_equal(const char *a, const char *b)
{
    utf8proc_uint8_t *x = utf8proc_NFC((const utf8proc_uint8_t *)a);
    utf8proc_uint8_t *y = utf8proc_NFC((const utf8proc_uint8_t *)b);
    bool eq = x && y && strcmp((char *)x, (char *)y) == 0;
    free(x);
    free(y);
    return eq;
}

/* The catalogue's warning names for what the scanner observed (APA 7 reading). */
static bool has_warning(const cite_scan_item *it, const char *name)
{
    unsigned f = it->facts;
    if (!strcmp(name, "apa:and-in-parenthetical"))
        return (f & CITE_SCAN_AND) && !it->narrative;
    if (!strcmp(name, "apa:amp-in-narrative"))
        return (f & CITE_SCAN_AMP) && it->narrative;
    if (!strcmp(name, "apa7:use-et-al-3plus"))
        return it->nauthors >= 3 && !it->etal;
    if (!strcmp(name, "apa:order-alphabetical"))
        return f & CITE_SCAN_ORDER;
    if (!strcmp(name, "etal-punctuation"))
        return f & CITE_SCAN_ETAL_PUNCT;
    if (!strcmp(name, "separator-comma"))
        return f & CITE_SCAN_SEP_COMMA;
    if (!strcmp(name, "separator-and"))
        return f & CITE_SCAN_SEP_AND;
    if (!strcmp(name, "duplicate-in-group"))
        return f & CITE_SCAN_DUPLICATE;
    if (!strcmp(name, "apa:comma-missing"))
        return f & CITE_SCAN_NO_COMMA;
    if (!strcmp(name, "comma-missing"))
        return f & CITE_SCAN_LOC_COMMA;
    return false;
}

static const char *str_or_empty(const char *s)
{
    return s ? s : "";
}

/* Compares one extracted item with its expected object; appends what differs to why. */
static void compare_item(const cite_scan_item *it, json_t *want, cite_buf *why)
{
    const char *m = json_string_value(json_object_get(want, "m"));
    if (m && (m[0] == 'N') != it->narrative)
        cite_buf_printf(why, " m=%s", it->narrative ? "N" : "P");
    json_t *a = json_object_get(want, "a");
    bool authors_ok = json_array_size(a) == it->nauthors;
    for (size_t i = 0; authors_ok && i < it->nauthors; i++)
        authors_ok = nfc_equal(json_string_value(json_array_get(a, i)), it->authors[i]);
    if (!authors_ok) {
        cite_buf_puts(why, " a=[");
        for (size_t i = 0; i < it->nauthors; i++)
            cite_buf_printf(why, "%s'%s'", i ? "," : "", it->authors[i]);
        cite_buf_puts(why, "]");
    }
    if (json_is_true(json_object_get(want, "etal")) != it->etal)
        cite_buf_printf(why, " etal=%d", it->etal);
    if (json_is_true(json_object_get(want, "poss")) != it->possessive)
        cite_buf_printf(why, " poss=%d", it->possessive);
    static const struct {
        const char *key;
        size_t offset;
    } strings[] = {
        { "y", offsetof(cite_scan_item, date) },     { "loc", offsetof(cite_scan_item, locator) },
        { "pre", offsetof(cite_scan_item, prefix) }, { "post", offsetof(cite_scan_item, comment) },
        { "abbr", offsetof(cite_scan_item, abbr) },  { "ini", offsetof(cite_scan_item, initials) },
    };
    for (size_t i = 0; i < sizeof strings / sizeof *strings; i++) {
        const char *w = json_string_value(json_object_get(want, strings[i].key));
        const char *got = *(char *const *)((const char *)it + strings[i].offset);
        if (!nfc_equal(str_or_empty(w), str_or_empty(got)))
            cite_buf_printf(why, " %s='%s'", strings[i].key, str_or_empty(got));
    }
    const char *s = json_string_value(json_object_get(want, "s"));
    if (strcmp(str_or_empty(s), it->suffix))
        cite_buf_printf(why, " s='%s'", it->suffix);
    const char *role = json_string_value(json_object_get(want, "role"));
    cite_scan_role want_role = !role                       ? CITE_ROLE_WORK
                               : !strcmp(role, "original") ? CITE_ROLE_ORIGINAL
                               : !strcmp(role, "via")      ? CITE_ROLE_VIA
                                                           : CITE_ROLE_PERSONAL;
    if (want_role != it->role)
        cite_buf_printf(why, " role=%d", (int)it->role);
    json_t *warn = json_object_get(want, "warn");
    for (size_t i = 0; i < json_array_size(warn); i++) {
        const char *name = json_string_value(json_array_get(warn, i));
        if (!has_warning(it, name))
            cite_buf_printf(why, " missing-warning=%s", name);
    }
}

/* True when the row's output is right; otherwise prints why. */
static bool check_row(const char *id, const char *input, const char *expected, const char *note)
{
    json_error_t jerr;
    json_t *want = json_loads(expected, 0, &jerr);
    if (!want)
        printf("citescan: %s: bad expected JSON: %s\n", id, jerr.text);
    assert_non_null(want);
    cite_scan *scan = NULL;
    assert_int_equal(cite_scan_text(&scan, input, strlen(input), NULL, 0, "t", NULL), 0);
    /* Low-confidence items stand for nothing in a negative row marked hard ("may instead
     * report them as unresolved with low confidence"); a year-first narrative may be skipped. */
    bool hard = strstr(note, "hard") != NULL;
    size_t n = 0;
    const cite_scan_item *items[32];
    for (size_t i = 0; i < scan->count && n < 32; i++)
        if (!(hard && scan->items[i].weak))
            items[n++] = &scan->items[i];
    size_t nwant = json_array_size(want);
    bool optional = nwant && json_object_get(json_array_get(want, 0), "form") != NULL;
    cite_buf why = CITE_BUF_INIT;
    if (optional && n == 0) {
        /* skipped at low confidence: allowed */
    } else if (n != nwant) {
        cite_buf_printf(&why, " %zu items, want %zu:", n, nwant);
        for (size_t i = 0; i < n; i++)
            cite_buf_printf(&why, " <%s>", items[i]->text ? items[i]->text : "?");
    } else {
        for (size_t i = 0; i < n; i++) {
            if (items[i]->numeric) {
                cite_buf_puts(&why, " numeric");
                continue;
            }
            compare_item(items[i], json_array_get(want, i), &why);
        }
    }
    bool ok = why.len == 0;
    if (!ok)
        printf("citescan: %s %s ->%s\n", id, input, why.ptr);
    cite_buf_dispose(&why);
    cite_scan_free(scan);
    json_decref(want);
    return ok;
}

/* Every extraction row of the catalogue (A, H, X, N; the L rows are the linker's). */
static void test_catalogue(void **state)
{
    (void)state;
    FILE *f = fopen(CATALOGUE, "r");
    if (!f) {
        printf("citescan: %s is absent: the catalogue cases are skipped\n", CATALOGUE);
        skip();
    }
    char line[4096];
    unsigned rows = 0, passed = 0;
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        char *id = line, *input = strchr(id, '\t');
        if (!input || id[0] == 'L' || !strncmp(id, "id\t", 3))
            continue;
        *input++ = '\0';
        char *expected = strchr(input, '\t');
        assert_non_null(expected);
        *expected++ = '\0';
        char *note = strchr(expected, '\t');
        if (note)
            *note++ = '\0';
        if (note && !strncmp(note, "[esc]", 5))
            unescape(input);
        rows++;
        passed += check_row(id, input, expected, note ? note : "");
    }
    fclose(f);
    printf("citescan: catalogue %u/%u extraction rows right\n", passed, rows);
    assert_true(rows >= 200);
    assert_int_equal(passed, rows);
}

static cite_scan *scan_of(const char *text, const cite_scan_skip *skip, size_t nskip)
{
    cite_scan *scan = NULL;
    assert_int_equal(cite_scan_text(&scan, text, strlen(text), skip, nskip, "t", NULL), 0);
    return scan;
}

/* The reference list is not scanned: its "(2019)" are no citations. */
static void test_skip(void **state)
{
    (void)state;
    const char *text = "Body (Levine, 2025).\n\nReferences\nOmeje, K. (2025) Title.\n";
    const char *list = strstr(text, "References");
    cite_scan_skip skip = { (size_t)(list - text), strlen(text) };
    cite_scan *scan = scan_of(text, &skip, 1);
    assert_int_equal(scan->count, 1);
    assert_string_equal(scan->items[0].authors[0], "Levine");
    assert_int_equal(scan->items[0].anchor, 6);
    cite_scan_free(scan);
}

static void test_numeric(void **state)
{
    (void)state;
    cite_scan *scan =
        scan_of("Outcome [1–3]. Studies [4, 6] disagree [5]. Not [a] or [2020].", NULL, 0);
    unsigned want[] = { 1, 2, 3, 4, 6, 5 };
    size_t n = 0;
    for (size_t i = 0; i < scan->count; i++)
        if (scan->items[i].numeric)
            assert_int_equal(scan->items[i].number, want[n++]);
    assert_int_equal(n, 6);
    assert_string_equal(scan->items[0].text, "1–3");
    assert_int_equal(scan->items[0].anchor, 8);
    cite_scan_free(scan);
}

/* A group that spans paragraphs is not one; a year in a narrative group far from any name
 * yields nothing; items keep text order across nested groups. */
static void test_order_and_paragraphs(void **state)
{
    (void)state;
    cite_scan *scan =
        scan_of("(see the review by Smith (2020) and Jones, 2021)\n\n(Levine,\n\n2025)", NULL, 0);
    assert_int_equal(scan->count, 2);
    assert_string_equal(scan->items[0].authors[0], "Smith");
    assert_true(scan->items[0].narrative);
    assert_string_equal(scan->items[1].authors[0], "Jones");
    cite_scan_free(scan);
}

/* 100,000 open parentheses, a 1 MB line of names, a million dates: linear and bounded. */
static void test_pathological(void **state)
{
    (void)state;
    size_t n = 1000000;
    char *s = malloc(n + 1);
    memset(s, '(', n);
    s[n] = '\0';
    cite_scan *scan = scan_of(s, NULL, 0);
    assert_int_equal(scan->count, 0);
    cite_scan_free(scan);
    for (size_t i = 0; i + 8 <= n; i += 8)
        memcpy(s + i, "Levine, ", 8);
    s[n - 7] = '(';
    memcpy(s + n - 6, "2025)", 6);
    scan = scan_of(s, NULL, 0);
    cite_scan_free(scan);
    for (size_t i = 0; i + 8 <= n; i += 8)
        memcpy(s + i, "(2025) (", 8);
    scan = scan_of(s, NULL, 0);
    assert_int_equal(scan->count, 0);
    cite_scan_free(scan);
    free(s);
}

static void test_oom(void **state)
{
    (void)state;
    const char *text = "As Levine (2025a, 2025b) and Omeje et al.'s (2024, p. 3) show (see Gogny & "
                       "de Castro, 2025; World Health Organization [WHO], 2020, p. 4) [1-3].";
    bool done = false;
    for (long budget = 0; budget < 100000 && !done; budget++) {
        failalloc_start(budget);
        cite_scan *scan = (cite_scan *)1;
        int rc = cite_scan_text(&scan, text, strlen(text), NULL, 0, "t", NULL);
        failalloc_stop();
        if (rc == 0) {
            assert_int_equal(scan->count, 8);
            cite_scan_free(scan);
            done = true;
        } else {
            assert_int_equal(rc, CITE_ENOMEM);
            assert_null(scan);
        }
    }
    assert_true(done);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_catalogue),    cmocka_unit_test(test_skip),
        cmocka_unit_test(test_numeric),      cmocka_unit_test(test_order_and_paragraphs),
        cmocka_unit_test(test_pathological), cmocka_unit_test(test_oom),
    };
    return cmocka_run_group_tests_name("citescan", tests, NULL, NULL);
}
