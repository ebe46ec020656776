/* test_reflist.c: finding the reference section of a manuscript and splitting it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "failalloc.h"
#include "reflist.h"

#define MAX_REFS 6

/* One small document: the references it must give, "text|line|label" each ("" label: none). */
typedef struct doc_case {
    const char *name;
    const char *doc;
    const char *refs[MAX_REFS]; /* NULL-terminated */
} doc_case;

static const doc_case cases[] = {
    { "plain heading", "Body (Smith, 2001).\n\nReferences\nSmith J. 2001. A.\nJones K. 2002. B.\n",
      { "Smith J. 2001. A.|4|", "Jones K. 2002. B.|5|" } },
    { "reference list with colon", "Text.\n\nReference list:\nA, 2001.\n",
      { "A, 2001.|4|" } },
    { "sources", "Text.\n\nSources\n\nA, 2001.\nB, 2002.\n", { "A, 2001.|5|", "B, 2002.|6|" } },
    { "bibliography caps", "Text.\n\nBIBLIOGRAPHY\nA.\n", { "A.|4|" } },
    { "works cited", "Text.\n\nWorks Cited\nA.\n", { "A.|4|" } },
    { "literature cited", "Text.\n\nliterature cited\nA.\n", { "A.|4|" } },
    { "references and notes", "Text.\n\nReferences and notes\nA.\n", { "A.|4|" } },
    { "markdown heading", "# Title\n\nText.\n## References\n\n- A.\n- B.\n\n## Appendix\n- C.\n",
      { "A.|6|", "B.|7|" } },
    { "bold heading", "Text.\n\n**References**\nA.\n", { "A.|4|" } },
    { "setext heading", "Text.\n\nReferences\n==========\nA.\nB.\n", { "A.|5|", "B.|6|" } },
    { "setext ends section", "References\nA.\nB.\n\nNotes on data\n-------------\nC.\n",
      { "A.|2|", "B.|3|" } },
    { "last heading wins", "References\nX.\n\nMore text.\n\nReferences\nA.\n", { "A.|7|" } },
    { "back matter ends section", "References\nA.\nB.\n\nAcknowledgements\nThanks.\n",
      { "A.|2|", "B.|3|" } },
    { "appendix with title ends", "References\nA.\nAppendix 1: Survey\nQ.\n", { "A.|2|" } },
    { "numbered dot", "References\n1. A.\n2. B.\n10. C.\n", { "A.|2|1", "B.|3|2", "C.|4|10" } },
    { "numbered brackets", "References\n[1] A.\n[2]B.\n", { "A.|2|1", "B.|3|2" } },
    { "numbered parens", "References\n(1) A.\n1) B.\n", { "A.|2|1", "B.|3|1" } },
    { "bullets", "References\n* A.\n\xE2\x80\xA2 B.\n\xE2\x80\x93 C.\n+ D.\n",
      { "A.|2|", "B.|3|", "C.|4|", "D.|5|" } },
    { "hanging indent", "References\nSmith J. 2001. A long\n    title. J 1.\nJones K. 2002.\n",
      { "Smith J. 2001. A long title. J 1.|2|", "Jones K. 2002.|4|" } },
    { "markdown list continuation", "References\n1. Smith. A long\n   title.\n2. Jones\nlazy.\n",
      { "Smith. A long title.|2|1", "Jones lazy.|4|2" } },
    { "list item paragraph", "References\n- A first\n\n  more of A.\n- B.\n",
      { "A first more of A.|2|", "B.|5|" } },
    { "blank line paragraphs",
      "References\n\nSmith J. 2001. A rather long title\nthat wraps here. J 1.\n\n"
      "Jones K. 2002. Another long title\nwrapped too. J 2.\n\nShort Ref. 2003.\n",
      { "Smith J. 2001. A rather long title that wraps here. J 1.|3|",
        "Jones K. 2002. Another long title wrapped too. J 2.|6|", "Short Ref. 2003.|9|" } },
    { "grouped one per line", "References\n\nA, 2001. Title one.\nAb, 2002. T.\n"
      "Ac, 2003. A much longer title of a reference.\n\nB, 2004.\n",
      { "A, 2001. Title one.|3|", "Ab, 2002. T.|4|",
        "Ac, 2003. A much longer title of a reference.|5|", "B, 2004.|7|" } },
    { "no heading", "Smith J. 2001. A.\nJones K. 2002. B.\n",
      { "Smith J. 2001. A.|1|", "Jones K. 2002. B.|2|" } },
    { "crlf", "Text.\r\n\r\nReferences\r\nA. \r\nB.\r\n", { "A.|4|", "B.|5|" } },
    { "word in body text", "References\nA.\n\nSo we list our\nreferences\nabove.\n",
      { "A.|2|", "So we list our references above.|4|" } },
    { "sentence is no heading", "References are listed below.\nA.\n",
      { "References are listed below.|1|", "A.|2|" } },
    { "nbsp kept, trailing blanks trimmed", "References\nA\xC2\xA0" "B. \t\n",
      { "A\xC2\xA0" "B.|2|" } },
    { "empty section", "Text.\n\nReferences\n", { NULL } },
};

/* Checks one item against "text|line|label". */
static void check_item(const cite_reflist_item *it, const char *want, const char *doc)
{
    char buf[512];
    snprintf(buf, sizeof buf, "%s", want);
    char *bar1 = strchr(buf, '|');
    assert_non_null(bar1);
    char *bar2 = strchr(bar1 + 1, '|');
    assert_non_null(bar2);
    *bar1 = *bar2 = '\0';
    assert_string_equal(it->text, buf);
    assert_int_equal(it->line, (unsigned)atoi(bar1 + 1));
    if (bar2[1])
        assert_string_equal(it->label, bar2 + 1);
    else
        assert_null(it->label);
    /* The offset points at the first character of the text. */
    assert_memory_equal(doc + it->offset, it->text, 1);
}

static void each_small_document_gives_its_references(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const doc_case *c = &cases[i];
        cite_reflist *list = NULL;
        print_message("case: %s\n", c->name);
        assert_int_equal(cite_reflist_find(&list, c->doc, strlen(c->doc), NULL), 0);
        size_t n = 0;
        while (n < MAX_REFS && c->refs[n])
            n++;
        assert_int_equal(list->count, n);
        for (size_t k = 0; k < n; k++)
            check_item(&list->items[k], c->refs[k], c->doc);
        cite_reflist_free(list);
    }
}

static void heading_line_is_recorded(void **state)
{
    (void)state;
    const char *doc = "Title\n\n## References\n1. A.\n";
    cite_reflist *list;
    assert_int_equal(cite_reflist_find(&list, doc, strlen(doc), NULL), 0);
    assert_int_equal(list->heading_line, 3);
    assert_int_equal(list->count, 1);
    cite_reflist_free(list);
    assert_int_equal(cite_reflist_find(&list, "A.\n", 3, NULL), 0);
    assert_int_equal(list->heading_line, 0);
    cite_reflist_free(list);
    doc = "Intro.\n\nWe list our\nReferences\nbelow.\n";
    assert_int_equal(cite_reflist_find(&list, doc, strlen(doc), NULL), 0);
    assert_int_equal(list->heading_line, 0);
    assert_int_equal(list->count, 2); /* wrapped prose: paragraph mode */
    cite_reflist_free(list);
    cite_reflist_free(NULL);
}

static void out_of_memory_is_reported_at_every_allocation(void **state)
{
    (void)state;
    const char *doc = "Text.\n\nReferences\n[1] Smith J. 2001. A long\n    title.\n[2] B.\n";
    int rc = CITE_ENOMEM;
    for (long budget = 0; rc == CITE_ENOMEM && budget < 10000; budget++) {
        cite_reflist *list = (cite_reflist *)1;
        failalloc_start(budget);
        rc = cite_reflist_find(&list, doc, strlen(doc), NULL);
        failalloc_stop();
        if (rc == CITE_ENOMEM)
            assert_null(list);
        else
            assert_int_equal(list->count, 2);
        cite_reflist_free(rc == 0 ? list : NULL);
    }
    assert_int_equal(rc, 0);
}

/* Reads a whole file; NULL when it is not there. */
static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *p = NULL;
    size_t cap = 0, n = 0, r;
    do {
        if (n + 4096 > cap) {
            cap = cap * 2 + 4096;
            p = realloc(p, cap + 1);
            assert_non_null(p);
        }
        r = fread(p + n, 1, cap - n, f);
        n += r;
    } while (r > 0);
    fclose(f);
    p[n] = '\0';
    *len = n;
    return p;
}

static void seed_document_gives_its_eight_sources(void **state)
{
    (void)state;
    size_t len;
    char *doc = slurp("../shared/seed/000_853a9e5e9b2efdbe.txt", &len);
    if (!doc) {
        print_message("skipped: ../shared/seed/000_853a9e5e9b2efdbe.txt not found\n");
        skip();
    }
    cite_reflist *list;
    assert_int_equal(cite_reflist_find(&list, doc, len, NULL), 0);
    assert_int_equal(list->count, 8);
    const char *first = "Boeke, S., & de Valk, G. (2019)";
    assert_memory_equal(list->items[0].text, first, strlen(first));
    assert_int_equal(list->items[0].line, 49);
    assert_string_equal(list->items[7].text + strlen(list->items[7].text) - 13, "October 2025.");
    cite_reflist_free(list);
    free(doc);
}

static const char *const jats_docs[] = {
    "biorxiv-2023.10.24.563872", "elife-00005", "elife-00133", "elife-00508",
    "elife-03385", "elife-04490", "elife-06003", "elife-08206",
    "elife-09545", "elife-12444", "elife-24271", "elife-30274",
    "elife-70357", "elife-73240", "elife-rp-103870", "plos-pbio.2002399",
    "plos-pgen.1003316", "plos-pone.0160653", "plos-ppat.1003133", "ubiquity-cstp.77",
};

/* Does the list give exactly the lines of NAME.refs.tsv (first column, after the header)? */
static bool matches_tsv(const cite_reflist *list, const char *tsv, const char *name)
{
    size_t k = 0;
    const char *p = strchr(tsv, '\n');
    bool ok = true;
    for (; p && p[1]; p = strchr(p + 1, '\n'), k++) {
        unsigned want = (unsigned)strtoul(p + 1, NULL, 10);
        if (k >= list->count || list->items[k].line != want) {
            print_message("%s: reference %zu: want line %u, got %u\n", name, k + 1, want,
                          k < list->count ? list->items[k].line : 0);
            return false;
        }
    }
    if (k != list->count) {
        print_message("%s: want %zu references, got %zu\n", name, k, list->count);
        ok = false;
    }
    return ok;
}

/* Returns 1 when NAME matches, 0 when not, -1 when its files are missing. */
static int check_jats(const char *name)
{
    char path[256];
    size_t len, tlen;
    snprintf(path, sizeof path, "../shared/data/jats/docs/%s.txt", name);
    char *doc = slurp(path, &len);
    snprintf(path, sizeof path, "../shared/data/jats/docs/%s.refs.tsv", name);
    char *tsv = slurp(path, &tlen);
    int result = -1;
    if (doc && tsv) {
        cite_reflist *list;
        assert_int_equal(cite_reflist_find(&list, doc, len, NULL), 0);
        result = matches_tsv(list, tsv, name);
        cite_reflist_free(list);
    }
    free(doc);
    free(tsv);
    return result;
}

static void jats_documents_give_their_reference_lines(void **state)
{
    (void)state;
    int found = 0, matched = 0;
    for (size_t i = 0; i < sizeof jats_docs / sizeof jats_docs[0]; i++) {
        int r = check_jats(jats_docs[i]);
        found += r >= 0;
        matched += r > 0;
    }
    if (found == 0) {
        print_message("skipped: ../shared/data/jats/docs not found\n");
        skip();
    }
    print_message("jats: %d of %d documents match their refs.tsv exactly\n", matched, found);
    assert_true(matched >= found - 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(each_small_document_gives_its_references),
        cmocka_unit_test(heading_line_is_recorded),
        cmocka_unit_test(out_of_memory_is_reported_at_every_allocation),
        cmocka_unit_test(seed_document_gives_its_eight_sources),
        cmocka_unit_test(jats_documents_give_their_reference_lines),
    };
    return cmocka_run_group_tests_name("reflist", tests, NULL, NULL);
}
