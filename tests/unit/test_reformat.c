/* test_reformat.c: cite reformat: the edit list, locator labels, and whole documents through
 * a small author-date style written here (parenthetical "&", narrative "and", page labels). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cite.h"
#include "failalloc.h"
#include "reformat.h"

/* ---- the edit list ------------------------------------------------------------------------- */

static void edits_apply_in_order_and_keep_other_bytes(void **state)
{
    (void)state;
    cite_edits e = CITE_EDITS_INIT;
    const char *src = "0123456789";
    assert_int_equal(cite_edits_add(&e, 6, 6, "X", 1, 2), 0); /* added out of order */
    assert_int_equal(cite_edits_add(&e, 2, 4, "ab", 2, 1), 0);
    assert_int_equal(cite_edits_add(&e, 8, 10, "", 0, 3), 0);
    char *out;
    size_t len;
    assert_int_equal(cite_edits_apply(&out, &len, src, 10, &e), 0);
    assert_string_equal(out, "01ab45X67");
    assert_int_equal(len, 9);
    free(out);
    cite_edits_dispose(&e);
}

static void edits_refuse_overlaps_and_edits_past_the_end(void **state)
{
    (void)state;
    cite_edits e = CITE_EDITS_INIT;
    assert_int_equal(cite_edits_add(&e, 2, 5, "a", 1, 1), 0);
    assert_int_equal(cite_edits_add(&e, 4, 6, "b", 1, 2), CITE_EINVALID);
    assert_int_equal(cite_edits_add(&e, 3, 3, "c", 1, 2), CITE_EINVALID); /* inside */
    assert_int_equal(cite_edits_add(&e, 0, 2, "d", 1, 2), 0);             /* touching */
    assert_int_equal(cite_edits_add(&e, 5, 5, "e", 1, 2), 0);             /* at its end */
    assert_int_equal(cite_edits_add(&e, 7, 6, "f", 1, 2), CITE_EINVALID);
    assert_true(cite_edits_overlap(&e, 1, 3));
    assert_false(cite_edits_overlap(&e, 6, 9));
    char *out;
    size_t len;
    assert_int_equal(cite_edits_add(&e, 9, 12, "g", 1, 3), 0);
    assert_int_equal(cite_edits_apply(&out, &len, "0123456789", 10, &e), CITE_EINVALID);
    assert_null(out);
    cite_edits_remove(&e, 3);
    assert_int_equal(cite_edits_apply(&out, &len, "0123456789", 10, &e), 0);
    assert_string_equal(out, "dae56789");
    free(out);
    cite_edits_remove(&e, 2);
    assert_int_equal(cite_edits_apply(&out, &len, "0123456789", 10, &e), 0);
    assert_string_equal(out, "01a56789");
    free(out);
    cite_edits_dispose(&e);
}

/* ---- locators ------------------------------------------------------------------------------ */

static void locator_labels_are_read(void **state)
{
    (void)state;
    static const struct {
        const char *written, *label, *value;
    } cases[] = {
        { "p. 12", "page", "12" },
        { "pp. 3–5", "page", "3–5" },
        { "pp 3-5", "page", "3-5" },
        { "12", "page", "12" },
        { "chap. 2", "chapter", "2" },
        { "ch. 4", "chapter", "4" },
        { "Chapter 7", "chapter", "7" },
        { "para. 4", "paragraph", "4" },
        { "paras. 4–6", "paragraph", "4–6" },
        { "¶ 3", "paragraph", "3" },
        { "§ 2", "section", "2" },
        { "sec. 3.1", "section", "3.1" },
        { "Fig. 2", "figure", "2" },
        { "vol. II", "volume", "II" },
        { "Table S2", NULL, NULL },
        { "emphasis added", NULL, NULL },
        { "pages", NULL, NULL },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *value = NULL;
        const char *label = cite_locator_label(cases[i].written, &value);
        if (!cases[i].label) {
            assert_null(label);
            continue;
        }
        assert_non_null(label);
        assert_string_equal(label, cases[i].label);
        assert_string_equal(value, cases[i].value);
    }
}

/* ---- whole documents ----------------------------------------------------------------------- */

static const char style_xml[] =
    "<style xmlns=\"http://purl.org/net/xbiblio/csl\" class=\"in-text\" version=\"1.0\" "
    "demote-non-dropping-particle=\"never\">"
    "<info><title>T</title><id>t</id><updated>2024-01-01T00:00:00+00:00</updated></info>"
    "<locale><terms><term name=\"and\">and</term>"
    "<term name=\"page\" form=\"short\"><single>p.</single><multiple>pp.</multiple></term>"
    "<term name=\"chapter\" form=\"short\"><single>chap.</single><multiple>chaps.</multiple>"
    "</term></terms></locale>"
    "<citation et-al-min=\"3\" et-al-use-first=\"1\" disambiguate-add-year-suffix=\"true\">"
    "<sort><key variable=\"author\"/><key variable=\"issued\"/></sort>"
    "<layout prefix=\"(\" suffix=\")\" delimiter=\"; \"><group delimiter=\", \">"
    "<names variable=\"author\"><name form=\"short\" and=\"symbol\" delimiter=\", \"/></names>"
    "<date variable=\"issued\"><date-part name=\"year\"/></date>"
    "<group delimiter=\" \"><label variable=\"locator\" form=\"short\"/>"
    "<text variable=\"locator\"/></group></group></layout></citation>"
    "<bibliography><sort><key variable=\"author\"/><key variable=\"issued\"/></sort><layout>"
    "<names variable=\"author\"><name name-as-sort-order=\"all\" and=\"symbol\" "
    "initialize-with=\". \" delimiter=\", \" sort-separator=\", \"/></names>"
    "<date variable=\"issued\" prefix=\" (\" suffix=\").\"><date-part name=\"year\"/></date>"
    "<text variable=\"title\" prefix=\" \" font-style=\"italic\"/></layout></bibliography>"
    "</style>";

typedef struct run {
    char *out;
    size_t len;
    cite_reformat_stats stats;
    cite_diag *diag;
} run;

static void reformat_doc(run *r, const char *doc, cite_output format)
{
    cite_style *style = NULL;
    cite_check *check = NULL;
    cite_formatter *f = NULL;
    r->diag = cite_diag_new();
    assert_int_equal(cite_style_load_memory(&style, style_xml, strlen(style_xml), "t.csl", r->diag),
                     0);
    assert_int_equal(cite_check_run(&check, doc, strlen(doc), "doc.txt", NULL, NULL, r->diag), 0);
    assert_int_equal(cite_formatter_new(&f, style, NULL, 0, "en-US", cite_check_get_library(check)),
                     0);
    cite_reformat_options o = { .format = format, .style = style };
    assert_int_equal(
        cite_reformat(&r->out, &r->len, doc, strlen(doc), check, f, &o, &r->stats, r->diag), 0);
    assert_int_equal(strlen(r->out), r->len);
    if (getenv("SHOW"))
        fprintf(stderr, "%s\n", r->out);
    cite_formatter_free(f);
    cite_check_free(check);
    cite_style_free(style);
}

static void run_dispose(run *r)
{
    cite_free_string(r->out);
    cite_diag_free(r->diag);
}

static size_t count_warnings(const cite_diag *d, const char *needle)
{
    size_t n = 0;
    for (size_t i = 0; i < cite_diag_count(d); i++) {
        const cite_diag_item *it = cite_diag_get(d, i);
        n += it->severity == CITE_SEV_WARNING && strstr(it->message, needle) != NULL;
    }
    return n;
}

#define HEAD "A study of things\n\n"
#define LIST                                                                                   \
    "References\n\n"                                                                           \
    "Gogny, L. and de Castro, A. (2025) 'Mali as a theatre', Thought, 15(2), pp. 241-267.\n\n" \
    "Levine, J. (2025) 'The continuing cycle', in Essays. Cham: Springer, pp. 47-65.\n\n"      \
    "Omeje, K. (2024) 'Insurgency in the Sahel', Review, 15(1), pp. 77-106.\n"

static void parenthetical_groups_are_rewritten_with_locators_and_prefixes(void **state)
{
    (void)state;
    run r;
    reformat_doc(&r,
                 HEAD "Coups spread (see Omeje, 2024; Levine, 2025, p. 12) and grew "
                      "(Gogny and de Castro, 2025, chap. 2).\n\n" LIST,
                 CITE_OUTPUT_TEXT);
    /* sorted by the style (Levine before Omeje), the prefix kept with its work */
    assert_non_null(strstr(r.out, "Coups spread (Levine, 2025, p. 12; see Omeje, 2024) and grew "
                                  "(Gogny & de Castro, 2025, chap. 2).\n"));
    assert_int_equal(r.stats.groups_rewritten, 2);
    assert_int_equal(r.stats.works_rewritten, 3);
    assert_int_equal(r.stats.works_left, 0);
    assert_int_equal(r.stats.entries_before, 3);
    assert_int_equal(r.stats.entries_after, 3);
    /* the heading and what comes before the first citation are the original bytes */
    assert_memory_equal(r.out, HEAD "Coups spread (", strlen(HEAD "Coups spread ("));
    assert_non_null(strstr(r.out, ".\n\nReferences\n\nGogny, L. & de Castro, A. (2025). "
                                  "Mali as a theatre\n\nLevine, J. (2025)."));
    run_dispose(&r);
}

static void narrative_citations_stay_narrative_with_and(void **state)
{
    (void)state;
    run r;
    reformat_doc(&r,
                 HEAD "Gogny & de Castro (2025) disagree; Levine's (2025, p. 3) view and "
                      "Omeje\n(2024) differ.\n\n" LIST,
                 CITE_OUTPUT_TEXT);
    /* "&" is the style's for parentheses; in running text the locale's "and" */
    assert_non_null(strstr(r.out, HEAD "Gogny and de Castro (2025) disagree; Levine's (2025, "
                                       "p. 3) view and Omeje\n(2024) differ.\n"));
    assert_int_equal(r.stats.works_rewritten, 3);
    run_dispose(&r);
}

static void bare_citations_become_narrative(void **state)
{
    (void)state;
    run r;
    reformat_doc(&r, HEAD "As described by Gogny & de Castro, 2025 and others.\n\n" LIST,
                 CITE_OUTPUT_TEXT);
    assert_non_null(strstr(r.out, HEAD "As described by Gogny and de Castro (2025) and others.\n"));
    assert_int_equal(r.stats.works_rewritten, 1);
    run_dispose(&r);
}

static void the_writers_own_segments_stay(void **state)
{
    (void)state;
    run r;
    reformat_doc(&r,
                 HEAD
                 "Seen before (Figure 1A; Omeje, 2024; Levine, 2025) and after "
                 "(Levine, 2025; see Methods) but not (Omeje, 2024; see; Levine, 2025).\n\n" LIST,
                 CITE_OUTPUT_TEXT);
    assert_non_null(strstr(r.out, "Seen before (Figure 1A; Levine, 2025; Omeje, 2024) and after "
                                  "(Levine, 2025; see Methods) but not (Omeje, 2024; see; "
                                  "Levine, 2025).\n"));
    assert_int_equal(r.stats.groups_rewritten, 2);
    assert_int_equal(count_warnings(r.diag, "no place in the new form: 'see'"), 1);
    run_dispose(&r);
}

static void line_breaks_inside_a_group_stay_about_where_they_were(void **state)
{
    (void)state;
    run r;
    reformat_doc(&r,
                 HEAD "Coups spread far (see Omeje, 2024; Levine,\n2025, p. 12) and\n"
                      "grew (Gogny and\n  de Castro, 2025).\n\n" LIST,
                 CITE_OUTPUT_TEXT);
    assert_non_null(strstr(r.out, HEAD "Coups spread far (Levine, 2025, p. 12; see\nOmeje, 2024) "
                                       "and\ngrew (Gogny & de\n  Castro, 2025).\n\nReferences"));
    run_dispose(&r);
}

static void unresolved_groups_are_left_as_written_and_reported(void **state)
{
    (void)state;
    run r;
    const char *body = HEAD "One (Finabel, 2023; Levine, 2025) and two (Omeje 2024, emphasis "
                            "added) and three (Boeke, 2019, as cited in Levine, 2025).\n\n";
    char doc[2048];
    snprintf(doc, sizeof doc, "%s%s", body, LIST);
    reformat_doc(&r, doc, CITE_OUTPUT_TEXT);
    /* the whole body is unchanged: nothing in it could be rewritten */
    assert_memory_equal(r.out, body, strlen(body));
    assert_int_equal(r.stats.works_rewritten, 0);
    assert_int_equal(r.stats.groups_left, 2);
    assert_int_equal(r.stats.groups_kept, 1); /* as cited in */
    assert_int_equal(count_warnings(r.diag, "citation left as written: '(Finabel, 2023; "
                                            "Levine, 2025)' matches no reference"),
                     1);
    assert_int_equal(count_warnings(r.diag, "no place in the new form: 'emphasis'"), 1);
    run_dispose(&r);
}

static void markdown_lists_keep_their_markers_and_get_italics(void **state)
{
    (void)state;
    run r;
    reformat_doc(&r,
                 "# Study\n\nAs shown (Levine, 2025).\n\n## References\n\n"
                 "- Levine, J. (2025) 'The continuing cycle', in Essays. Cham: Springer.\n"
                 "- Omeje, K. (2024) 'Insurgency in the Sahel', Review, 15(1), pp. 77-106.\n\n"
                 "## Appendix\n\nMore.\n",
                 CITE_OUTPUT_MARKDOWN);
    assert_string_equal(r.out, "# Study\n\nAs shown (Levine, 2025).\n\n## References\n\n"
                               "- Levine, J. (2025). *The continuing cycle*\n"
                               "- Omeje, K. (2024). *Insurgency in the Sahel*\n\n"
                               "## Appendix\n\nMore.\n");
    run_dispose(&r);
}

/* Every allocation of cite_reformat may fail: CITE_ENOMEM, nothing leaked, no output. */
static void out_of_memory_is_reported_at_every_allocation(void **state)
{
    (void)state;
    const char *doc = HEAD "As Levine (2025) and (see Omeje, 2024; Levine, 2025, p. 3) show, "
                           "unlike (Finabel, 2023).\n\n" LIST;
    cite_diag *diag = cite_diag_new();
    cite_style *style = NULL;
    cite_check *check = NULL;
    assert_int_equal(cite_style_load_memory(&style, style_xml, strlen(style_xml), "t.csl", diag),
                     0);
    assert_int_equal(cite_check_run(&check, doc, strlen(doc), "d", NULL, NULL, diag), 0);
    cite_reformat_options o = { .format = CITE_OUTPUT_MARKDOWN, .style = style };
    bool done = false;
    for (long budget = 0; budget < 1000000 && !done; budget++) {
        cite_formatter *f = NULL;
        assert_int_equal(
            cite_formatter_new(&f, style, NULL, 0, "en-US", cite_check_get_library(check)), 0);
        cite_diag *d = cite_diag_new();
        char *out = (char *)1;
        size_t len;
        failalloc_start(budget);
        int rc = cite_reformat(&out, &len, doc, strlen(doc), check, f, &o, NULL, d);
        failalloc_stop();
        if (rc == 0) {
            assert_non_null(strstr(out, "(Levine, 2025, p. 3; see Omeje, 2024)"));
            cite_free_string(out);
            done = true;
        } else {
            assert_int_equal(rc, CITE_ENOMEM);
            assert_null(out);
        }
        cite_diag_free(d);
        cite_formatter_free(f);
    }
    assert_true(done);
    cite_check_free(check);
    cite_style_free(style);
    cite_diag_free(diag);
}

static void html_is_escaped_and_made_plain_again(void **state)
{
    (void)state;
    cite_buf b = CITE_BUF_INIT;
    cite_html_escape(&b, "A & B <i> \"q\" é", strlen("A & B <i> \"q\" é"));
    assert_string_equal(b.ptr, "A &amp; B &lt;i&gt; &quot;q&quot; é");
    cite_buf_clear(&b);
    const char *html = "Boeke &#38; <i>de Valk</i> &#x2013;&lt;x&gt; &bogus; &#;";
    cite_html_plain(&b, html, strlen(html));
    assert_string_equal(b.ptr, "Boeke & de Valk \xe2\x80\x93<x> &bogus; &#;");
    cite_buf_dispose(&b);
}

/* The source run of text [from, to) of an HTML document, as a string ("" when it does not
 * map). */
static char *span_of(const cite_document *doc, const char *text, const char *what)
{
    static char got[128];
    const char *at = strstr(text, what);
    size_t a, b;
    assert_non_null(at);
    size_t from = (size_t)(at - text);
    got[0] = '\0';
    if (cite_html_source_span(doc, from, from + strlen(what), &a, &b)) {
        snprintf(got, sizeof got, "%zu:%zu", a, b);
    }
    return got;
}

static void html_text_maps_to_its_source_run_unless_a_tag_is_inside(void **state)
{
    (void)state;
    const char *html = "<p>As (Boeke &amp; de Valk, 2019) and (<a href=\"#x\">Sarch, 2000</a>)"
                       " and (Lu,\n   2001).</p>";
    cite_diag *diag = cite_diag_new();
    cite_document *doc = NULL;
    assert_int_equal(cite_document_read(&doc, html, strlen(html), "t.html", CITE_DOC_HTML, diag),
                     0);
    const char *text = cite_document_get_text(doc, NULL);
    char want[32];
    const char *p = strstr(html, "(Boeke");
    snprintf(want, sizeof want, "%zu:%zu", (size_t)(p - html),
             (size_t)(strstr(html, "2019)") + 5 - html));
    assert_string_equal(span_of(doc, text, "(Boeke & de Valk, 2019)"), want);
    assert_string_equal(span_of(doc, text, "(Sarch, 2000)"), ""); /* the <a> would be lost */
    p = strstr(html, "Sarch"); /* inside the <a>, text alone: it maps */
    snprintf(want, sizeof want, "%zu:%zu", (size_t)(p - html), (size_t)(p - html) + 11);
    assert_string_equal(span_of(doc, text, "Sarch, 2000"), want);
    p = strstr(html, "(Lu");
    snprintf(want, sizeof want, "%zu:%zu", (size_t)(p - html),
             (size_t)(strstr(html, "2001)") + 5 - html));
    assert_string_equal(span_of(doc, text, "(Lu, 2001)"), want); /* blanks collapsed */
    cite_document_free(doc);
    cite_diag_free(diag);
}

static void documents_are_written_as_markdown_with_their_spans(void **state)
{
    (void)state;
    const char *html = "<p>See <i>Nature 2*3</i> and <b>bold</b> a_b _c <i>x<br>y</i></p>";
    cite_diag *diag = cite_diag_new();
    cite_document *doc = NULL;
    assert_int_equal(cite_document_read(&doc, html, strlen(html), "t.html", CITE_DOC_HTML, diag),
                     0);
    char *md = NULL;
    size_t len = 0;
    assert_int_equal(cite_document_markdown(&md, &len, doc), 0);
    const char *want = "See *Nature 2\\*3* and **bold** a_b \\_c *x*\n*y*\n";
    assert_true(len >= strlen(want));
    assert_memory_equal(md, want, strlen(want));
    assert_int_equal(len, strlen(md));
    cite_free_string(md);
    cite_document_free(doc);
    cite_diag_free(diag);
}

#define HTML_DOC                                                                              \
    "<html><body><p>As Levine (2025) and (see Omeje, 2024; Levine, 2025, p. 3) show, unlike " \
    "(<a href=\"#g\">Gogny and de Castro, 2025</a>).</p>\n<h2>References</h2>\n<ol>\n"        \
    "<li>Gogny, L. and de Castro, A. (2025) 'Mali as a theatre', <i>Thought</i>, 15(2), "     \
    "pp. 241-267.</li>\n<li>Levine, J. (2025) 'The continuing cycle', in <i>Essays</i>. "     \
    "Cham: Springer, pp. 47-65.</li>\n<li>Omeje, K. (2024) 'Insurgency in the Sahel', "       \
    "<i>Review</i>, 15(1), pp. 77-106.</li>\n</ol>\n</body></html>\n"

/* Reformats HTML_DOC into its source, failing allocation budget (-1: never). 0 and *out, or
 * CITE_ENOMEM. */
static int reformat_html(char **out, cite_diag *d, long budget)
{
    cite_diag *diag = cite_diag_new();
    cite_style *style = NULL;
    cite_document *doc = NULL;
    cite_check *check = NULL;
    cite_formatter *f = NULL;
    size_t len, out_len;
    assert_int_equal(cite_style_load_memory(&style, style_xml, strlen(style_xml), "t.csl", diag),
                     0);
    assert_int_equal(
        cite_document_read(&doc, HTML_DOC, strlen(HTML_DOC), "d.html", CITE_DOC_HTML, diag), 0);
    const char *text = cite_document_get_text(doc, &len);
    assert_int_equal(cite_check_run(&check, text, len, "d.html", NULL, NULL, diag), 0);
    assert_int_equal(cite_formatter_new(&f, style, NULL, 0, "en-US", cite_check_get_library(check)),
                     0);
    cite_reformat_options o = { .format = CITE_OUTPUT_HTML, .document = doc, .style = style };
    *out = (char *)1;
    if (budget >= 0)
        failalloc_start(budget);
    int rc = cite_reformat(out, &out_len, text, len, check, f, &o, NULL, d);
    if (budget >= 0)
        failalloc_stop();
    if (rc == 0)
        assert_int_equal(strlen(*out), out_len);
    cite_formatter_free(f);
    cite_check_free(check);
    cite_document_free(doc);
    cite_style_free(style);
    cite_diag_free(diag);
    return rc;
}

static void html_documents_are_rewritten_in_their_source(void **state)
{
    (void)state;
    cite_diag *d = cite_diag_new();
    char *out = NULL;
    assert_int_equal(reformat_html(&out, d, -1), 0);
    if (getenv("SHOW"))
        fprintf(stderr, "%s\n", out);
    const char *want[] = {
        "<html><body><p>As Levine (2025) and (Levine, 2025, p. 3; see Omeje, 2024) show, ",
        "(<a href=\"#g\">Gogny and de Castro, 2025</a>).</p>\n<h2>References</h2>\n<ol>\n<li>",
        "<li>Gogny, L. &amp; de Castro, A. (2025). <i>Mali as a theatre</i></li>\n<li>Levine",
        "<li>Omeje, K. (2024). <i>Insurgency in the Sahel</i></li>\n</ol>\n</body></html>\n",
    };
    for (size_t i = 0; i < CITE_ARRAY_LEN(want); i++)
        assert_non_null(strstr(out, want[i]));
    assert_int_equal(count_warnings(d, "holds HTML markup"), 1);
    cite_free_string(out);
    cite_diag_free(d);
}

static void html_reformat_survives_every_allocation_failure(void **state)
{
    (void)state;
    bool done = false;
    for (long budget = 0; budget < 1000000 && !done; budget++) {
        cite_diag *d = cite_diag_new();
        char *out = NULL;
        int rc = reformat_html(&out, d, budget);
        if (rc == 0) {
            assert_non_null(strstr(out, "(Levine, 2025, p. 3; see Omeje, 2024)"));
            cite_free_string(out);
            done = true;
        } else {
            assert_int_equal(rc, CITE_ENOMEM);
            assert_null(out);
        }
        cite_diag_free(d);
    }
    assert_true(done);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(edits_apply_in_order_and_keep_other_bytes),
        cmocka_unit_test(edits_refuse_overlaps_and_edits_past_the_end),
        cmocka_unit_test(locator_labels_are_read),
        cmocka_unit_test(parenthetical_groups_are_rewritten_with_locators_and_prefixes),
        cmocka_unit_test(narrative_citations_stay_narrative_with_and),
        cmocka_unit_test(bare_citations_become_narrative),
        cmocka_unit_test(the_writers_own_segments_stay),
        cmocka_unit_test(line_breaks_inside_a_group_stay_about_where_they_were),
        cmocka_unit_test(unresolved_groups_are_left_as_written_and_reported),
        cmocka_unit_test(markdown_lists_keep_their_markers_and_get_italics),
        cmocka_unit_test(out_of_memory_is_reported_at_every_allocation),
        cmocka_unit_test(html_is_escaped_and_made_plain_again),
        cmocka_unit_test(html_text_maps_to_its_source_run_unless_a_tag_is_inside),
        cmocka_unit_test(documents_are_written_as_markdown_with_their_spans),
        cmocka_unit_test(html_documents_are_rewritten_in_their_source),
        cmocka_unit_test(html_reformat_survives_every_allocation_failure),
    };
    return cmocka_run_group_tests_name("reformat", tests, NULL, NULL);
}
