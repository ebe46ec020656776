/* test_check.c: cite check's linking against the shared catalogue's linking rows (L001-L046,
 * with the 25 colliding entries of fixture_references.txt, both read from ../shared at run
 * time), plus abbreviations, numeric lists, --bib libraries and OOM. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cite.h"
#include "failalloc.h"

#define CITATIONS "../shared/citations/"

/* The fixture list: entry i (R(i+1)) as APA text. */
static char *fixture[32];
static size_t nfixture;

static bool load_fixture(void)
{
    FILE *f = fopen(CITATIONS "fixture_references.txt", "r");
    if (!f)
        return false;
    char line[1024];
    while (fgets(line, sizeof line, f) && nfixture < 32) {
        if (line[0] != 'R')
            continue;
        char *tab = strchr(line, '\t');
        line[strcspn(line, "\r\n")] = '\0';
        fixture[nfixture++] = strdup(tab + 1);
    }
    fclose(f);
    return nfixture == 25;
}

/* The document of one row: its body, a blank line, "References" and the entries listed in
 * refs (R numbers, 0-terminated; NULL: all 25), or the row's own one-line list. */
static char *document(const char *body, const unsigned *refs, const char *own_entry)
{
    cite_buf b = CITE_BUF_INIT;
    cite_buf_printf(&b, "%s\n\nReferences\n\n", body);
    if (own_entry)
        cite_buf_printf(&b, "%s\n", own_entry);
    for (size_t i = 0; !own_entry && i < nfixture; i++)
        if (!refs || refs[0] == 0 || (refs[0] == i + 1 || refs[1] == i + 1))
            cite_buf_printf(&b, "%s\n", fixture[i]);
    return cite_buf_detach(&b);
}

/* The R number of library entry ref, given which entries the document listed. */
static unsigned r_number(const unsigned *refs, size_t ref)
{
    if (refs && refs[0])
        return refs[ref];
    return (unsigned)ref + 1;
}

static bool has_candidate(const cite_citation *c, const unsigned *refs, unsigned want)
{
    if (c->reference != SIZE_MAX && r_number(refs, c->reference) == want)
        return true;
    for (size_t k = 0; k < c->ncandidates; k++)
        if (r_number(refs, c->candidates[k]) == want)
            return true;
    return false;
}

static unsigned ref_of(const char *r)
{
    return r && r[0] == 'R' ? (unsigned)atoi(r + 1) : 0;
}

/* One expected link against the citation that carries it; appends what differs to why. */
/* Whether the check reported flag at the citation. */
static bool has_finding(const cite_check *ck, const cite_citation *c, const char *flag)
{
    for (size_t i = 0; i < cite_check_finding_count(ck); i++) {
        const cite_finding *f = cite_check_get_finding(ck, i);
        if (f->at.offset == c->at.offset && !strcmp(f->flag, flag))
            return true;
    }
    return false;
}

static void compare_link(
    const cite_check *ck, const cite_citation *c, json_t *want, const unsigned *refs, cite_buf *why)
{
    const char *status = json_string_value(json_object_get(want, "status"));
    const char *reason = json_string_value(json_object_get(want, "why"));
    unsigned ref = ref_of(json_string_value(json_object_get(want, "ref")));
    json_t *list = json_object_get(want, "refs");
    static const struct {
        const char *catalogue;
        cite_link_status ours;
    } map[] = { { "MATCH", CITE_LINK_RESOLVED },
                { "MATCH_WARN", CITE_LINK_RESOLVED },
                { "NEAR_MISS", CITE_LINK_NEAR_MISS },
                { "AMBIGUOUS", CITE_LINK_AMBIGUOUS },
                { "MISSING", CITE_LINK_UNRESOLVED } };
    cite_link_status expect = CITE_LINK_UNRESOLVED;
    for (size_t i = 0; i < sizeof map / sizeof *map; i++)
        if (!strcmp(map[i].catalogue, status))
            expect = map[i].ours;
    if (c->status != expect)
        cite_buf_printf(why, " status=%d (%s)", (int)c->status, c->why);
    if (!strcmp(status, "MATCH") && *c->why)
        cite_buf_printf(why, " remark=%s", c->why);
    /* a style remark ("apa7:use-et-al-3plus") is a finding of its own */
    if (!strcmp(status, "MATCH_WARN") && strcmp(c->why, reason ? reason : "") &&
        !has_finding(ck, c, reason ? reason : ""))
        cite_buf_printf(why, " why=%s", c->why);
    if (ref && expect == CITE_LINK_RESOLVED && r_number(refs, c->reference) != ref)
        cite_buf_printf(why, " ref=R%u", r_number(refs, c->reference));
    if (ref && expect != CITE_LINK_RESOLVED && !has_candidate(c, refs, ref))
        cite_buf_printf(why, " R%u not suggested", ref);
    for (size_t k = 0; k < json_array_size(list); k++) {
        unsigned r = ref_of(json_string_value(json_array_get(list, k)));
        if (!has_candidate(c, refs, r))
            cite_buf_printf(why, " R%u not among candidates", r);
    }
}

/* Runs one linking row; true when every expected link holds. */
static bool check_row(const char *id, char *input, const char *expected)
{
    unsigned refs[3] = { 0 };
    const char *own_entry = NULL;
    char *cut;
    if ((cut = strstr(input, " with list entry \""))) {
        own_entry = cut + 18;
        *cut = '\0';
        ((char *)own_entry)[strlen(own_entry) - 1] = '\0';
    } else if ((cut = strstr(input, " with list containing R")) ||
               (cut = strstr(input, " with R"))) {
        const char *p = strchr(cut + 1, 'R');
        refs[0] = (unsigned)atoi(p + 1);
        refs[1] = (unsigned)atoi(strchr(p + 1, 'R') + 1);
        *cut = '\0';
    } else if (!strncmp(input, "DOCUMENT: body cites only ", 26)) {
        input += 26;
    }
    /* the two-item rows list R4 before R24: keep the library in that order */
    char *doc = document(input, refs, own_entry);
    cite_diag *diag = cite_diag_new();
    cite_check *ck = NULL;
    assert_int_equal(cite_check_run(&ck, doc, strlen(doc), "t", NULL, NULL, diag), 0);
    json_t *want = json_loads(expected, 0, NULL);
    assert_non_null(want);
    cite_buf why = CITE_BUF_INIT;
    json_t *links = json_object_get(want, "link");
    if (json_is_object(links)) { /* L043: the uncited entries */
        json_t *unc = json_object_get(links, "uncited");
        size_t n = 0;
        for (size_t i = 0; i < cite_library_count(cite_check_get_library(ck)); i++)
            n += cite_check_times_cited(ck, i) == 0;
        if (n != json_array_size(unc))
            cite_buf_printf(&why, " %zu uncited, want %zu", n, json_array_size(unc));
    } else {
        size_t k = 0; /* expected links that are NOT_CHECKED have no citation */
        for (size_t i = 0; i < json_array_size(links); i++) {
            json_t *l = json_array_get(links, i);
            if (!strcmp(json_string_value(json_object_get(l, "status")), "NOT_CHECKED"))
                continue;
            const cite_citation *c = cite_check_get_citation(ck, k++);
            if (!c) {
                cite_buf_printf(&why, " no citation %zu", k);
                break;
            }
            compare_link(ck, c, l, refs, &why);
        }
        if (k != cite_check_citation_count(ck))
            cite_buf_printf(&why, " %zu citations, want %zu", cite_check_citation_count(ck), k);
    }
    bool ok = why.len == 0;
    if (!ok)
        printf("check: %s %s ->%s\n", id, input, why.ptr);
    cite_buf_dispose(&why);
    json_decref(want);
    cite_check_free(ck);
    cite_diag_free(diag);
    cite_free_string(doc);
    return ok;
}

static void test_catalogue_links(void **state)
{
    (void)state;
    FILE *f = fopen(CITATIONS "catalogue.tsv", "r");
    if (!f || !load_fixture()) {
        printf("check: ../shared/citations is absent: the linking cases are skipped\n");
        if (f)
            fclose(f);
        skip();
    }
    char line[4096];
    unsigned rows = 0, passed = 0;
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (line[0] != 'L')
            continue;
        char *input = strchr(line, '\t');
        *input++ = '\0';
        char *expected = strchr(input, '\t');
        *expected++ = '\0';
        *strchr(expected, '\t') = '\0';
        rows++;
        passed += check_row(line, input, expected);
    }
    fclose(f);
    for (size_t i = 0; i < nfixture; i++)
        free(fixture[i]);
    printf("check: catalogue %u/%u linking rows right\n", passed, rows);
    assert_int_equal(rows, 46);
    assert_int_equal(passed, rows);
}

static cite_check *check_of(const char *doc)
{
    cite_check *ck = NULL;
    cite_diag *diag = cite_diag_new();
    assert_int_equal(cite_check_run(&ck, doc, strlen(doc), "d.txt", NULL, NULL, diag), 0);
    cite_diag_free(diag);
    return ck;
}

static const cite_citation *citation(const cite_check *ck, size_t i)
{
    assert_true(i < cite_check_citation_count(ck));
    return cite_check_get_citation(ck, i);
}

/* An abbreviation stands for its group once defined; before that it is a near miss. */
static void test_abbreviations(void **state)
{
    (void)state;
    cite_check *ck = check_of("First (UN, 2019). Then (World Health Organization [WHO], 2020) and "
                              "(WHO, 2020).\n\nReferences\n\nUnited Nations (2019) Report. "
                              "New York: UN.\nWorld Health Organization (2020) Report. Geneva: "
                              "WHO.\n");
    assert_int_equal(citation(ck, 0)->status, CITE_LINK_NEAR_MISS);
    assert_string_equal(citation(ck, 0)->why, "abbreviation-not-defined");
    assert_int_equal(citation(ck, 1)->status, CITE_LINK_RESOLVED);
    assert_int_equal(citation(ck, 2)->status, CITE_LINK_RESOLVED);
    assert_int_equal(citation(ck, 2)->reference, 1);
    assert_string_equal(citation(ck, 2)->authors[0], "World Health Organization");
    cite_check_free(ck);
}

/* A group's leading "The" is written or left out at will, in the text and in the list. */
static void test_group_article(void **state)
{
    (void)state;
    cite_check *ck = check_of("Forensics (National Research Council, 2009) and science (The Royal "
                              "Society, 2010).\n\nReferences\n\nThe National Research Council. "
                              "(2009). Forensic science. Washington: NAP.\nRoyal Society (2010) "
                              "Report. London: TSO.\n");
    assert_int_equal(citation(ck, 0)->status, CITE_LINK_RESOLVED);
    assert_int_equal(citation(ck, 0)->reference, 0);
    assert_int_equal(citation(ck, 1)->status, CITE_LINK_RESOLVED);
    assert_int_equal(citation(ck, 1)->reference, 1);
    cite_check_free(ck);
}

/* Two entries that differ only by an accent: the citation spelt as one of them is that one,
 * whether it names every author or the first and "et al.". */
static void test_spelt_alike(void **state)
{
    (void)state;
    cite_check *ck = check_of("One (Müller, Roth, & Abel, 2021), two (Muller, Roth, & Abel, "
                              "2021), et al. (Muller et al., 2021).\n\nReferences\n\nMüller, "
                              "A., Roth, B., & Abel, C. (2021). One. Journal of Examples, 1, "
                              "1-2.\nMuller, A., Roth, B., & Abel, C. (2021). Two. Journal of "
                              "Examples, 1, 3-4.\n");
    assert_int_equal(citation(ck, 0)->status, CITE_LINK_RESOLVED);
    assert_int_equal(citation(ck, 0)->reference, 0);
    assert_int_equal(citation(ck, 1)->status, CITE_LINK_RESOLVED);
    assert_int_equal(citation(ck, 1)->reference, 1);
    assert_int_equal(citation(ck, 2)->status, CITE_LINK_RESOLVED);
    assert_int_equal(citation(ck, 2)->reference, 1);
    cite_check_free(ck);
}

/* "(Windows 2000)" counts only if it links; in a document written "(Levine 2025)" throughout,
 * an unresolved one is a real slip. */
static void test_weak_citations(void **state)
{
    (void)state;
    const char *list = "\n\nReferences\n\nLevine, J. (2025) Title. Publisher.\n"
                       "Omeje, K. (2024) Title. Publisher.\n";
    cite_buf b = CITE_BUF_INIT;
    cite_buf_printf(&b, "Ran on (Windows 2000) as (Levine, 2025) and (Omeje, 2024) did.%s", list);
    cite_check *ck = check_of(b.ptr);
    assert_int_equal(cite_check_citation_count(ck), 2);
    cite_check_free(ck);
    cite_buf_clear(&b);
    cite_buf_printf(&b, "(Levine 2025; Omeje 2024; Levine and Omeje 2020) but (Smith 2019).%s",
                    list);
    ck = check_of(b.ptr);
    assert_int_equal(cite_check_citation_count(ck), 4);
    assert_int_equal(citation(ck, 3)->status, CITE_LINK_UNRESOLVED);
    cite_check_free(ck);
    cite_buf_dispose(&b);
}

/* "et al." broken across lines is written right; without its full stop it is not; "Law" can
 * start a group's name. */
static void test_etal_lines_and_law(void **state)
{
    (void)state;
    cite_check *ck =
        check_of("A (Smith et\nal., 2020), B (Smith et al 2020) and C (Law Commission, "
                 "2010).\n\nReferences\n\nSmith, A., Jones, B. and Brown, C. "
                 "(2020) Title. Publisher.\nLaw Commission (2010) Report. London.\n");
    assert_int_equal(cite_check_citation_count(ck), 3);
    assert_false(has_finding(ck, citation(ck, 0), "etal-punctuation"));
    assert_true(has_finding(ck, citation(ck, 1), "etal-punctuation"));
    assert_string_equal(citation(ck, 2)->authors[0], "Law Commission");
    assert_int_equal(citation(ck, 2)->status, CITE_LINK_RESOLVED);
    cite_check_free(ck);
}

/* A numbered list links "[2]" and the implied numbers of "[1]–[3]" by its numbers. */
static void test_numeric(void **state)
{
    (void)state;
    cite_check *ck = check_of("Known [2] and [1]–[3].\n\nReferences\n\n1. Smith J. A. J Test. "
                              "2019;1:1-2.\n2. Jones K. B. J Test. 2020;2:3-4.\n3. Lee M. C. J "
                              "Test. 2021;3:5-6.\n");
    assert_int_equal(cite_check_citation_count(ck), 4);
    unsigned want[] = { 2, 1, 2, 3 };
    for (size_t i = 0; i < 4; i++) {
        assert_true(citation(ck, i)->numeric);
        assert_int_equal(citation(ck, i)->status, CITE_LINK_RESOLVED);
        assert_int_equal(citation(ck, i)->reference, want[i] - 1);
    }
    cite_check_free(ck);
}

/* Without a list and without --bib there is nothing to check against. */
static void test_no_list(void **state)
{
    (void)state;
    cite_check *ck = (cite_check *)1;
    cite_diag *diag = cite_diag_new();
    const char *doc = "Only (Levine, 2025).";
    assert_int_equal(cite_check_run(&ck, doc, strlen(doc), "d", NULL, NULL, diag), CITE_EPARSE);
    assert_null(ck);
    assert_int_equal(cite_diag_count_severity(diag, CITE_SEV_ERROR), 1);
    cite_diag_free(diag);
}

/* 100,000 open parentheses before a citation, and a 1 MB line of 25,000 citations: the
 * citation inside is still read, and the work stays linear (a column counted from the line
 * start for each citation, or a name search over the whole window, made these quadratic). */
static void test_pathological(void **state)
{
    (void)state;
    const char *list = "\n\nReferences\n\nLevine, J. (2025) Title. Publisher.\n";
    cite_buf b = CITE_BUF_INIT;
    for (int i = 0; i < 100000; i++)
        cite_buf_putc(&b, '(');
    cite_buf_printf(&b, " (Levine, 2025)%s", list);
    cite_check *ck = check_of(b.ptr);
    assert_int_equal(cite_check_citation_count(ck), 1);
    assert_int_equal(citation(ck, 0)->status, CITE_LINK_RESOLVED);
    cite_check_free(ck);
    cite_buf_clear(&b);
    for (int i = 0; i < 25000; i++)
        cite_buf_puts(&b, "Levine, Omeje and Smith et al. (2025) and ");
    cite_buf_puts(&b, list);
    ck = check_of(b.ptr);
    assert_int_equal(cite_check_citation_count(ck), 25000);
    assert_int_equal(citation(ck, 24999)->at.col, 24999 * 42 + 1);
    cite_check_free(ck);
    cite_buf_dispose(&b);
}

static void test_oom(void **state)
{
    (void)state;
    const char *doc = "As Levine (2025) and (Omeje, 2024; WHO, 2020; Lebovich, 2021) show [1].\n\n"
                      "Sources\n\nLevine, J. (2025) Title. Publisher.\nOmeje, K. (2025) T. P.\n"
                      "Lebovich, A. (2021) One. P.\nLebovich, A. (2021) Two. P.\n"
                      "World Health Organization (2020) Report. Geneva: WHO.\n";
    bool done = false;
    for (long budget = 0; budget < 1000000 && !done; budget++) {
        failalloc_start(budget);
        cite_diag *diag = cite_diag_new();
        cite_check *ck = (cite_check *)1;
        int rc = diag ? cite_check_run(&ck, doc, strlen(doc), "d", NULL, NULL, diag) : CITE_ENOMEM;
        failalloc_stop();
        if (rc == 0) {
            assert_int_equal(cite_check_citation_count(ck), 5);
            cite_check_free(ck);
            done = true;
        } else {
            assert_int_equal(rc, CITE_ENOMEM);
            if (diag)
                assert_null(ck);
        }
        cite_diag_free(diag);
    }
    assert_true(done);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_catalogue_links), cmocka_unit_test(test_abbreviations),
        cmocka_unit_test(test_group_article),   cmocka_unit_test(test_spelt_alike),
        cmocka_unit_test(test_weak_citations),  cmocka_unit_test(test_etal_lines_and_law),
        cmocka_unit_test(test_numeric),         cmocka_unit_test(test_no_list),
        cmocka_unit_test(test_pathological),    cmocka_unit_test(test_oom),
    };
    return cmocka_run_group_tests_name("check", tests, NULL, NULL);
}
