/* test_docread.c: the document readers (cite.h, "Documents"): the text each makes, its italic
 * and bold spans, the map back to the original, and the refusals (corrupt, encrypted, zip
 * bombs, DTDs). DOCX and ODT fixtures are zipped at run time (zipfixture.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cite.h"
#include "failalloc.h"
#include "zipfixture.h"

/* Reads src as format; asserts success. */
static cite_document *read_as(const char *src, size_t len, cite_doc_format format)
{
    cite_diag *diag = cite_diag_new();
    cite_document *doc = NULL;
    int rc = cite_document_read(&doc, src, len, "t", format, diag);
    if (rc != 0 && cite_diag_count(diag))
        fprintf(stderr, "%s\n", cite_diag_get(diag, 0)->message);
    assert_int_equal(rc, 0);
    cite_diag_free(diag);
    return doc;
}

/* Reads src as format, expecting a refusal whose message holds words. */
static void assert_refused(const char *src, size_t len, cite_doc_format format, const char *words)
{
    cite_diag *diag = cite_diag_new();
    cite_document *doc = NULL;
    assert_int_equal(cite_document_read(&doc, src, len, "paper.docx", format, diag), CITE_EPARSE);
    assert_null(doc);
    assert_int_equal(cite_diag_count(diag), 1);
    const cite_diag_item *it = cite_diag_get(diag, 0);
    if (!strstr(it->message, words))
        fail_msg("'%s' does not say '%s'", it->message, words);
    assert_string_equal(it->file, "paper.docx");
    cite_diag_free(diag);
}

/* The text of span i. */
static char *span_text(const cite_document *doc, size_t i, cite_span_kind *kind)
{
    static char buf[256];
    const cite_span *s = cite_document_get_span(doc, i);
    assert_non_null(s);
    const char *text = cite_document_get_text(doc, NULL);
    snprintf(buf, sizeof buf, "%.*s", (int)(s->end - s->start), text + s->start);
    *kind = s->kind;
    return buf;
}

static void assert_span(const cite_document *doc, size_t i, cite_span_kind kind, const char *text)
{
    cite_span_kind k;
    assert_string_equal(span_text(doc, i, &k), text);
    assert_int_equal(k, kind);
}

/* line:col (code points) of the first occurrence of needle in the document's text. */
static void text_place(const cite_document *doc, const char *needle, unsigned *line, unsigned *col)
{
    const char *text = cite_document_get_text(doc, NULL);
    const char *at = strstr(text, needle);
    assert_non_null(at);
    *line = 1;
    *col = 1;
    for (const char *p = text; p < at; p++) {
        if (*p == '\n')
            *line += 1, *col = 1;
        else if (((unsigned char)*p & 0xC0) != 0x80)
            *col += 1;
    }
}

/* The same in a source string. */
static void source_place(const char *src, const char *needle, unsigned *line, unsigned *col)
{
    const char *at = strstr(src, needle);
    assert_non_null(at);
    *line = 1;
    *col = 1;
    for (const char *p = src; p < at; p++) {
        if (*p == '\n')
            *line += 1, *col = 1;
        else if (((unsigned char)*p & 0xC0) != 0x80)
            *col += 1;
    }
}

/* ---- detection ---- */

static void detect_by_extension_then_content(void **state)
{
    (void)state;
    assert_int_equal(cite_document_detect("a.MD", "x", 1), CITE_DOC_MARKDOWN);
    assert_int_equal(cite_document_detect("a.htm", "x", 1), CITE_DOC_HTML);
    assert_int_equal(cite_document_detect("a.docx", "x", 1), CITE_DOC_DOCX);
    assert_int_equal(cite_document_detect("a.odt", "PK\x03\x04", 4), CITE_DOC_ODT);
    assert_int_equal(cite_document_detect("a.txt", "PK\x03\x04", 4), CITE_DOC_DOCX);
    assert_int_equal(cite_document_detect("<stdin>", "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8),
                     CITE_DOC_DOCX);
    assert_int_equal(cite_document_detect("<stdin>", " <!DOCTYPE html><p>", 19), CITE_DOC_HTML);
    assert_int_equal(cite_document_detect("notes.rst", "<p>x", 4), CITE_DOC_TEXT);
    assert_int_equal(cite_document_detect(NULL, "plain", 5), CITE_DOC_TEXT);
}

/* ---- text and Markdown ---- */

static void text_is_kept_and_maps_to_itself(void **state)
{
    (void)state;
    static const char src[] = "Ab *c*\nLevine (2025) é\n";
    cite_document *doc = read_as(src, strlen(src), CITE_DOC_TEXT);
    assert_string_equal(cite_document_get_text(doc, NULL), src);
    assert_int_equal(cite_document_span_count(doc), 0);
    cite_doc_place at = cite_document_locate(doc, 2, 15);
    assert_int_equal(at.line, 2);
    assert_int_equal(at.col, 15);
    assert_false(cite_document_by_paragraph(doc));
    char *where = NULL;
    assert_int_equal(cite_document_describe(&where, doc, &at), CITE_ENOTFOUND);
    cite_document_free(doc);
}

static void markdown_emphasis_is_italic_and_strong_is_bold(void **state)
{
    (void)state;
    static const char src[] = "In *Studies in Conflict* and _Peace_, **bold** and ***both***.\n"
                              "snake_case_name, 2 * 3 * 4, `*code*` and \\*escaped\\*.\n"
                              "*open\n\nclosed later*\n";
    cite_document *doc = read_as(src, strlen(src), CITE_DOC_MARKDOWN);
    assert_string_equal(cite_document_get_text(doc, NULL), src);
    assert_int_equal(cite_document_span_count(doc), 5);
    assert_span(doc, 0, CITE_SPAN_ITALIC, "Studies in Conflict");
    assert_span(doc, 1, CITE_SPAN_ITALIC, "Peace");
    assert_span(doc, 2, CITE_SPAN_BOLD, "bold");
    /* ***x***: the inner two stars close first (bold), the outer one then (italic, over the
     * bold's stars: spans are ranges of the unchanged text) */
    assert_span(doc, 3, CITE_SPAN_ITALIC, "**both**");
    assert_span(doc, 4, CITE_SPAN_BOLD, "both");
    cite_doc_place at = cite_document_locate(doc, 3, 2);
    assert_int_equal(at.line, 3);
    assert_int_equal(at.col, 2);
    cite_document_free(doc);
}

/* ---- HTML ---- */

static void html_blocks_are_paragraphs_and_br_breaks(void **state)
{
    (void)state;
    static const char src[] =
        "<!DOCTYPE html><html><head><title>T</title>"
        "<style>p{color:red}</style></head><body>\n"
        "<h1>Title</h1><p>One\n   two <i>three</i></p>"
        "<script>var s = '(Fake, 2020)';</script>"
        "<p>Four<br>five &amp; <em>six</em> <strong>seven</strong></p>"
        "<ul><li>a</li><li><b>b</b></li></ul><pre>x  y\n z</pre></body></html>";
    cite_document *doc = read_as(src, strlen(src), CITE_DOC_HTML);
    assert_string_equal(
        cite_document_get_text(doc, NULL),
        "Title\n\nOne two three\n\nFour\nfive & six seven\n\na\n\nb\n\nx  y\n z\n\n");
    assert_int_equal(cite_document_span_count(doc), 4);
    assert_span(doc, 0, CITE_SPAN_ITALIC, "three");
    assert_span(doc, 1, CITE_SPAN_ITALIC, "six");
    assert_span(doc, 2, CITE_SPAN_BOLD, "seven");
    assert_span(doc, 3, CITE_SPAN_BOLD, "b");
    cite_document_free(doc);
}

static void html_places_are_source_line_and_column(void **state)
{
    (void)state;
    static const char src[] = "<html><body>\r\n"
                              "<p>Analysts disagree &mdash; &amp;&#233; (Boeke &amp;\r\n"
                              "   de Valk, 2019), <i>but</i> (Levine, 2025).</p>\r\n"
                              "<p>Ré (Omeje, 2024)</p></body></html>\r\n";
    cite_document *doc = read_as(src, strlen(src), CITE_DOC_HTML);
    static const char *const needles[][2] = { { "(Boeke", "(Boeke" },
                                              { "de Valk", "de Valk" },
                                              { "(Levine", "(Levine" },
                                              { "(Omeje", "(Omeje" } };
    for (size_t i = 0; i < sizeof needles / sizeof *needles; i++) {
        unsigned tl, tc, sl, sc;
        text_place(doc, needles[i][0], &tl, &tc);
        source_place(src, needles[i][1], &sl, &sc);
        cite_doc_place at = cite_document_locate(doc, tl, tc);
        assert_int_equal(at.line, sl);
        assert_int_equal(at.col, sc);
        const char *line;
        size_t len;
        unsigned caret;
        assert_true(cite_document_excerpt(doc, &at, &line, &len, &caret));
        assert_int_equal(caret, sc);
        assert_non_null(memchr(line, '(', len));
        const char *text = cite_document_get_text(doc, NULL);
        size_t t = (size_t)(strstr(text, needles[i][0]) - text), s;
        assert_true(cite_document_source_offset(doc, t, &s));
        assert_int_equal(s, (size_t)(strstr(src, needles[i][1]) - src));
        at = cite_document_locate_offset(doc, t);
        assert_int_equal(at.line, sl);
        assert_int_equal(at.col, sc);
    }
    const char *text = cite_document_get_text(doc, NULL);
    size_t s, amp = (size_t)(strstr(text, "& de") - text);
    assert_true(cite_document_source_offset(doc, amp, &s));
    assert_int_equal(strncmp(src + s, "&amp;\r\n   de", 12), 0);
    size_t blank = (size_t)(strstr(text, "& de") - text) + 1; /* the collapsed "\r\n   " */
    assert_false(cite_document_source_offset(doc, blank, &s));
    cite_document_free(doc);
}

static void html_that_is_not_utf8_still_maps_lines(void **state)
{
    (void)state;
    static const char src[] = "<html><head><meta charset=\"iso-8859-1\"></head><body>\n"
                              "<p>R\xE9sum\xE9\n(Levine, 2025)</p></body></html>\n";
    cite_document *doc = read_as(src, strlen(src), CITE_DOC_HTML);
    assert_non_null(strstr(cite_document_get_text(doc, NULL), "R\xC3\xA9sum\xC3\xA9 (Levine"));
    unsigned tl, tc;
    text_place(doc, "(Levine", &tl, &tc);
    cite_doc_place at = cite_document_locate(doc, tl, tc);
    assert_int_equal(at.line, 3);
    cite_document_free(doc);
}

static void html_end_notes_follow_a_footnotes_line(void **state)
{
    (void)state;
    static const char src[] =
        "<p>Text.<a href=\"#fn1\" role=\"doc-noteref\"><sup>1</sup></a></p><h2>References</h2>"
        "<p>Levine, J. (2025) Coups.</p><section class=\"footnotes\" role=\"doc-endnotes\"><hr>"
        "<ol><li><p>See Levine (2025).<a href=\"#r\" role=\"doc-backlink\">\xE2\x86\xA9</a></p>"
        "</li></ol></section>";
    cite_document *doc = read_as(src, strlen(src), CITE_DOC_HTML);
    assert_string_equal(cite_document_get_text(doc, NULL),
                        "Text.1\n\nReferences\n\nLevine, J. (2025) Coups.\n\nFootnotes\n\n"
                        "See Levine (2025).\n\n");
    cite_document_free(doc);
}

/* ---- DOCX ---- */

static const char BODY[] =
    "<w:p><w:r><w:t>Security in the Sahel</w:t></w:r></w:p>"
    "<w:p/>"
    "<w:p><w:r><w:t xml:space=\"preserve\">Recent work on the Sahel (Boeke &amp; de Valk, "
    "2019) in </w:t></w:r>"
    "<w:r><w:rPr><w:i/></w:rPr><w:t>Studies in</w:t></w:r>"
    "<w:r><w:rPr><w:i w:val=\"true\"/></w:rPr><w:t xml:space=\"preserve\"> Conflict</w:t></w:r>"
    "<w:r><w:rPr><w:i w:val=\"0\"/><w:b/></w:rPr><w:t xml:space=\"preserve\"> plain</w:t></w:r>"
    "<w:r><w:rPr><w:i w:val=\"false\"/></w:rPr><w:t xml:space=\"preserve\"> also</w:t></w:r>"
    "<w:r><w:tab/><w:t>tab</w:t><w:br/><w:t>Levine (2025) after a break.</w:t></w:r>"
    "<w:r><w:footnoteReference w:id=\"5\"/></w:r>"
    "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r>"
    "<w:r><w:instrText xml:space=\"preserve\"> HYPERLINK \"x\" </w:instrText></w:r>"
    "<w:r><w:fldChar w:fldCharType=\"separate\"/></w:r><w:r><w:t>shown</w:t></w:r>"
    "<w:r><w:fldChar w:fldCharType=\"end\"/></w:r>"
    "<w:del><w:r><w:delText>deleted</w:delText></w:r></w:del>"
    "<w:ins><w:r><w:t xml:space=\"preserve\"> inserted</w:t></w:r></w:ins></w:p>"
    "<w:p><w:r><w:t>References</w:t></w:r></w:p>"
    "<w:p><w:r><w:t>Levine, J. (2025) Coups. Cham: Springer.</w:t></w:r></w:p>";
static const char NOTES[] =
    "<w:footnote w:type=\"separator\" w:id=\"-1\"><w:p><w:r><w:separator/></w:r></w:p>"
    "</w:footnote>"
    "<w:footnote w:id=\"5\"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t xml:space=\"preserve\">"
    " See Omeje (2024).</w:t></w:r></w:p></w:footnote>";

static cite_document *read_docx(const char *body, const char *notes)
{
    size_t len;
    char *zip = docx_build(&len, body, notes);
    assert_non_null(zip);
    cite_document *doc = read_as(zip, len, CITE_DOC_AUTO);
    free(zip);
    assert_int_equal(cite_document_get_format(doc), CITE_DOC_DOCX);
    return doc;
}

static void docx_paragraphs_runs_and_footnotes(void **state)
{
    (void)state;
    cite_document *doc = read_docx(BODY, NOTES);
    assert_string_equal(cite_document_get_text(doc, NULL),
                        "Security in the Sahel\n\n"
                        "Recent work on the Sahel (Boeke & de Valk, 2019) in Studies in Conflict "
                        "plain also\ttab\nLevine (2025) after a break.shown inserted\n\n"
                        "References\n\nLevine, J. (2025) Coups. Cham: Springer.\n\n"
                        "Footnotes\n\n See Omeje (2024).\n");
    assert_int_equal(cite_document_span_count(doc), 2);
    assert_span(doc, 0, CITE_SPAN_ITALIC, "Studies in Conflict");
    assert_span(doc, 1, CITE_SPAN_BOLD, "plain");
    cite_document_free(doc);
}

static const char STYLES[] =
    "<w:docDefaults><w:rPrDefault><w:rPr><w:sz w:val=\"24\"/></w:rPr></w:rPrDefault>"
    "</w:docDefaults>"
    "<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name "
    "w:val=\"Normal\"/>"
    "</w:style>"
    "<w:style w:type=\"character\" w:styleId=\"Emphasis\"><w:rPr><w:i/></w:rPr></w:style>"
    "<w:style w:type=\"character\" w:styleId=\"BookTitle\"><w:basedOn w:val=\"Emphasis\"/>"
    "<w:rPr><w:b/></w:rPr></w:style>"
    "<w:style w:type=\"paragraph\" w:styleId=\"Quote\"><w:basedOn w:val=\"Normal\"/>"
    "<w:rPr><w:i/></w:rPr></w:style>"
    "<w:style w:type=\"paragraph\" w:styleId=\"Loop\"><w:basedOn w:val=\"Loop\"/></w:style>";

/* Italics that come from styles: a character style (through its basedOn chain), a paragraph
 * style (the default one too), a character style inside an italic paragraph (toggled
 * upright), and direct formatting over both. */
static void docx_styles_give_italic_and_bold(void **state)
{
    (void)state;
    static const char body[] =
        "<w:p><w:r><w:t xml:space=\"preserve\">Plain </w:t></w:r>"
        "<w:r><w:rPr><w:rStyle w:val=\"Emphasis\"/></w:rPr><w:t>emphasised</w:t></w:r>"
        "<w:r><w:t xml:space=\"preserve\"> and </w:t></w:r>"
        "<w:r><w:rPr><w:rStyle w:val=\"BookTitle\"/></w:rPr><w:t>booked</w:t></w:r></w:p>"
        "<w:p><w:pPr><w:pStyle w:val=\"Quote\"/></w:pPr>"
        "<w:r><w:t xml:space=\"preserve\">Quoted </w:t></w:r>"
        "<w:r><w:rPr><w:rStyle w:val=\"Emphasis\"/></w:rPr><w:t xml:space=\"preserve\">upright "
        "</w:t></w:r>"
        "<w:r><w:rPr><w:rStyle w:val=\"Emphasis\"/><w:i/></w:rPr><w:t>direct</w:t></w:r></w:p>"
        "<w:p><w:pPr><w:pStyle w:val=\"Loop\"/></w:pPr><w:r><w:t>loop</w:t></w:r></w:p>";
    size_t len;
    char *zip = docx_build_styled(&len, body, NULL, STYLES);
    assert_non_null(zip);
    cite_document *doc = read_as(zip, len, CITE_DOC_AUTO);
    free(zip);
    assert_string_equal(cite_document_get_text(doc, NULL),
                        "Plain emphasised and booked\n\nQuoted upright direct\n\nloop\n");
    assert_int_equal(cite_document_span_count(doc), 5);
    assert_span(doc, 0, CITE_SPAN_ITALIC, "emphasised");
    assert_span(doc, 1, CITE_SPAN_ITALIC, "booked");
    assert_span(doc, 2, CITE_SPAN_BOLD, "booked");
    assert_span(doc, 3, CITE_SPAN_ITALIC, "Quoted");
    assert_span(doc, 4, CITE_SPAN_ITALIC, "direct");
    cite_document_free(doc);
}

/* A message of the check that names another place names the document's, not the text's. */
static void check_messages_name_paragraphs(void **state)
{
    (void)state;
    cite_document *doc = read_docx(
        "<w:p><w:r><w:t>Clustering (Jain et al., 2010).</w:t></w:r></w:p>"
        "<w:p><w:r><w:t>References</w:t></w:r></w:p>"
        "<w:p><w:r><w:t>Jain, A., Murty, M. and Flynn, P. (2010) Clustering. Journal of "
        "Examples, 31, 264-323.</w:t></w:r></w:p>"
        "<w:p><w:r><w:t>Jain, B., Smith, C. and Doe, D. (2010) Other clustering. Journal of "
        "Examples, 4, 1-9.</w:t></w:r></w:p>",
        NULL);
    size_t len;
    const char *text = cite_document_get_text(doc, &len);
    cite_check_options opt = { .rules = CITE_RULES_AUTO, .document = doc };
    cite_check *ck = NULL;
    assert_int_equal(cite_check_run(&ck, text, len, "a.docx", NULL, &opt, NULL), 0);
    assert_int_equal(cite_check_citation_count(ck), 1);
    const char *msg = cite_check_get_citation(ck, 0)->message;
    assert_non_null(strstr(msg, "(paragraph 3) and 'Jain et al. (2010)' (paragraph 4)"));
    cite_check_free(ck);
    cite_document_free(doc);
}

static void docx_places_are_paragraph_and_character(void **state)
{
    (void)state;
    cite_document *doc = read_docx(BODY, NOTES);
    unsigned line, col;
    char *where = NULL;

    text_place(doc, "(Boeke", &line, &col);
    cite_doc_place at = cite_document_locate(doc, line, col);
    assert_int_equal(at.line, 3); /* the empty paragraph 2 counts */
    assert_int_equal(at.col, 26);
    assert_int_equal(at.paragraph, 3);
    assert_int_equal(at.footnote, 0);
    assert_int_equal(cite_document_describe(&where, doc, &at), 0);
    assert_string_equal(where, "paragraph 3, character 26: \"Recent work on the Sahel (Boeke…\"");
    cite_free_string(where);

    text_place(doc, "Levine (2025) after", &line, &col); /* after a <w:br/> */
    at = cite_document_locate(doc, line, col);
    assert_int_equal(at.line, 3);
    assert_int_equal(at.col, 87);
    assert_int_equal(cite_document_describe(&where, doc, &at), 0);
    assert_string_equal(where, "paragraph 3, character 87: \"Recent work on the Sahel (Boeke…\"");
    cite_free_string(where);
    const char *ex;
    size_t exlen;
    unsigned caret;
    assert_true(cite_document_excerpt(doc, &at, &ex, &exlen, &caret));
    assert_int_equal(caret, 1);
    assert_int_equal(strncmp(ex, "Levine (2025) after", 19), 0);

    text_place(doc, "Omeje", &line, &col);
    at = cite_document_locate(doc, line, col);
    assert_int_equal(at.footnote, 1);
    assert_int_equal(at.paragraph, 1);
    assert_int_equal(at.line, 6);
    assert_int_equal(at.col, 6);
    assert_int_equal(cite_document_describe(&where, doc, &at), 0);
    assert_string_equal(where, "footnote 1, paragraph 1, character 6: \"See Omeje (2024).\"");
    cite_free_string(where);

    text_place(doc, "Footnotes", &line, &col); /* the added line is nowhere in the file */
    at = cite_document_locate(doc, line, col);
    assert_int_equal(at.line, 0);
    assert_int_equal(cite_document_describe(&where, doc, &at), CITE_ENOTFOUND);
    cite_document_free(doc);
}

static void docx_endnotes_follow_footnotes(void **state)
{
    (void)state;
    static const char doc[] =
        "<w:document " DOCX_NS "><w:body><w:p><w:r><w:t>Body</w:t></w:r>"
        "<w:r><w:endnoteReference w:id=\"3\"/></w:r><w:r><w:footnoteReference w:id=\"2\"/>"
        "</w:r></w:p></w:body></w:document>";
    static const char foot[] = "<w:footnotes " DOCX_NS "><w:footnote w:id=\"2\"><w:p><w:r>"
                               "<w:t>A footnote.</w:t></w:r></w:p></w:footnote></w:footnotes>";
    static const char end[] = "<w:endnotes " DOCX_NS "><w:endnote w:id=\"3\"><w:p><w:r>"
                              "<w:t>See Levine (2025).</w:t></w:r></w:p></w:endnote></w:endnotes>";
    zip_member m[] = { { .name = "word/document.xml", .data = doc },
                       { .name = "word/footnotes.xml", .data = foot },
                       { .name = "word/endnotes.xml", .data = end } };
    size_t len;
    char *zip = zip_build(&len, m, 3);
    cite_document *d = read_as(zip, len, CITE_DOC_AUTO);
    free(zip);
    assert_string_equal(cite_document_get_text(d, NULL),
                        "Body\n\nFootnotes\n\nA footnote.\n\nEndnotes\n\nSee Levine (2025).\n");
    unsigned line, col;
    text_place(d, "Levine", &line, &col);
    cite_doc_place at = cite_document_locate(d, line, col);
    assert_int_equal(at.endnote, 1);
    assert_int_equal(at.footnote, 0);
    assert_int_equal(at.line, 3);
    char *where = NULL;
    assert_int_equal(cite_document_describe(&where, d, &at), 0);
    assert_string_equal(where, "endnote 1, paragraph 1, character 5: \"See Levine (2025).\"");
    cite_free_string(where);
    cite_document_free(d);
}

static void docx_without_footnotes_part_reads_the_body(void **state)
{
    (void)state;
    cite_document *doc = read_docx(BODY, NULL);
    assert_null(strstr(cite_document_get_text(doc, NULL), "Footnotes"));
    cite_document_free(doc);
}

static void docx_refuses_corrupt_and_foreign_files(void **state)
{
    (void)state;
    size_t len;
    char *zip = docx_build(&len, BODY, NULL);
    assert_refused(zip, len / 2, CITE_DOC_AUTO, "corrupt zip");
    zip[len / 2] ^= 0x55; /* inside the deflated data: a CRC or inflate error */
    zip[len / 2 + 1] ^= 0x55;
    cite_diag *diag = cite_diag_new();
    cite_document *doc = NULL;
    assert_int_equal(cite_document_read(&doc, zip, len, "paper.docx", CITE_DOC_AUTO, diag),
                     CITE_EPARSE);
    cite_diag_free(diag);
    free(zip);
    assert_refused("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1 rest of an OLE file", 32, CITE_DOC_AUTO,
                   "encrypted");
    assert_refused("{\\rtf1 not a zip}", 16, CITE_DOC_DOCX, "not a zip");
    zip_member other[] = { { .name = "readme.txt", .data = "hello" } };
    zip = zip_build(&len, other, 1);
    assert_refused(zip, len, CITE_DOC_AUTO, "not a Word or OpenDocument");
    free(zip);
    zip = docx_build(&len, "<w:p><w:r><w:t>unclosed</w:r></w:p>", NULL);
    assert_refused(zip, len, CITE_DOC_AUTO, "not well-formed");
    free(zip);
}

static void docx_refuses_dtds_and_expands_no_entity(void **state)
{
    (void)state;
    static const char xml[] =
        "<?xml version=\"1.0\"?><!DOCTYPE w:document [<!ENTITY x \"EXPANDED\">]>"
        "<w:document " DOCX_NS "><w:body><w:p><w:r><w:t>&x;</w:t></w:r></w:p></w:body>"
        "</w:document>";
    zip_member m[] = { { .name = "word/document.xml", .data = xml } };
    size_t len;
    char *zip = zip_build(&len, m, 1);
    assert_refused(zip, len, CITE_DOC_AUTO, "has a DTD");
    free(zip);
}

static void docx_refuses_zip_bombs(void **state)
{
    (void)state;
    /* 4 MiB of one byte deflates about 1000:1 */
    size_t big = (size_t)4 << 20;
    char *zeros = malloc(big);
    memset(zeros, 'a', big);
    zip_member m[] = { { .name = "word/document.xml", .data = zeros, .len = big } };
    size_t len;
    char *zip = zip_build(&len, m, 1);
    free(zeros);
    assert_non_null(zip);
    assert_refused(zip, len, CITE_DOC_AUTO, "zip bomb");
    free(zip);
}

/* Sets the uncompressed size every header of a one-entry zip gives (local header at offset
 * 22, central directory entry at offset 24 after its signature). */
static void patch_sizes(char *zip, size_t len, uint32_t size)
{
    unsigned char le[4] = { size & 0xFF, (size >> 8) & 0xFF, (size >> 16) & 0xFF, size >> 24 };
    memcpy(zip + 22, le, 4);
    for (size_t i = 0; i + 28 < len; i++)
        if (!memcmp(zip + i, "PK\x01\x02", 4))
            memcpy(zip + i + 24, le, 4);
}

static void docx_trusts_no_header_size(void **state)
{
    (void)state;
    size_t len;
    char *zip = docx_build(&len, BODY, NULL);
    zip_member m[] = { { .name = "word/document.xml", .data = BODY } };
    free(zip);
    zip = zip_build(&len, m, 1);
    patch_sizes(zip, len, 512u << 20); /* says 512 MiB: refused before inflating */
    assert_refused(zip, len, CITE_DOC_AUTO, "limit");
    patch_sizes(zip, len, 10); /* says 10 bytes: reading stops there */
    assert_refused(zip, len, CITE_DOC_AUTO, "corrupt zip");
    free(zip);
}

static void docx_refuses_encrypted_entries(void **state)
{
    (void)state;
    zip_member m[] = { { .name = "word/document.xml", .data = BODY, .password = "secret" } };
    size_t len;
    char *zip = zip_build(&len, m, 1);
    if (!zip)
        skip(); /* this libzip cannot encrypt */
    assert_refused(zip, len, CITE_DOC_AUTO, "encrypted");
    free(zip);
}

/* ---- ODT ---- */

static void odt_paragraphs_spans_spaces_and_notes(void **state)
{
    (void)state;
    static const char content[] =
        "<office:document-content "
        "xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" "
        "xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" "
        "xmlns:style=\"urn:oasis:names:tc:opendocument:xmlns:style:1.0\" "
        "xmlns:fo=\"urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0\">"
        "<office:automatic-styles><style:style style:name=\"T1\" style:family=\"text\">"
        "<style:text-properties fo:font-style=\"italic\"/></style:style>"
        "</office:automatic-styles><office:body><office:text>"
        "<text:h>Title</text:h>\n<text:p>In  <text:span text:style-name=\"T1\">Peace "
        "Review</text:span>,<text:s text:c=\"2\"/>Levine (2025)<text:note "
        "text:note-class=\"endnote\">"
        "<text:note-citation>i"
        "</text:note-citation><text:note-body><text:p>See Omeje (2024).</text:p></text:note-body>"
        "</text:note><text:line-break/>next <text:span text:style-name=\"Strong_20_Emphasis\">"
        "strong</text:span></text:p></office:text></office:body></office:document-content>";
    zip_member m[] = { { .name = "mimetype", .data = "application/vnd.oasis.opendocument.text" },
                       { .name = "content.xml", .data = content } };
    size_t len;
    char *zip = zip_build(&len, m, 2);
    cite_document *doc = read_as(zip, len, CITE_DOC_AUTO);
    free(zip);
    assert_int_equal(cite_document_get_format(doc), CITE_DOC_ODT);
    assert_string_equal(cite_document_get_text(doc, NULL),
                        "Title\n\nIn Peace Review,  Levine (2025)\nnext strong\n\nEndnotes\n\n"
                        "See Omeje (2024).\n");
    assert_int_equal(cite_document_span_count(doc), 2);
    assert_span(doc, 0, CITE_SPAN_ITALIC, "Peace Review");
    assert_span(doc, 1, CITE_SPAN_BOLD, "strong");
    unsigned line, col;
    text_place(doc, "Omeje", &line, &col);
    cite_doc_place at = cite_document_locate(doc, line, col);
    assert_int_equal(at.endnote, 1);
    assert_int_equal(at.col, 5);
    cite_document_free(doc);
}

/* Styles through their parents: a paragraph's automatic style whose parent (in styles.xml)
 * is italic, a span in a named text style built on another, a bold weight as a number. */
static void odt_styles_give_italic_and_bold(void **state)
{
    (void)state;
#define ODT_NS                                                           \
    "xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" " \
    "xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" "     \
    "xmlns:style=\"urn:oasis:names:tc:opendocument:xmlns:style:1.0\" "   \
    "xmlns:fo=\"urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0\""
    static const char styles[] =
        "<office:document-styles " ODT_NS "><office:styles>"
        "<style:style style:name=\"Quotations\" style:family=\"paragraph\">"
        "<style:text-properties fo:font-style=\"italic\"/></style:style>"
        "<style:style style:name=\"Source_20_Text\" style:family=\"text\">"
        "<style:text-properties fo:font-weight=\"700\"/></style:style>"
        "<style:style style:name=\"Citation\" style:family=\"text\" "
        "style:parent-style-name=\"Source_20_Text\"/>"
        "</office:styles></office:document-styles>";
    static const char content[] =
        "<office:document-content " ODT_NS "><office:automatic-styles>"
        "<style:style style:name=\"P1\" style:family=\"paragraph\" "
        "style:parent-style-name=\"Quotations\"/>"
        "</office:automatic-styles><office:body><office:text>"
        "<text:p text:style-name=\"P1\">Quoted</text:p>"
        "<text:p>plain <text:span text:style-name=\"Citation\">cited</text:span></text:p>"
        "</office:text></office:body></office:document-content>";
#undef ODT_NS
    zip_member m[] = { { .name = "mimetype", .data = "application/vnd.oasis.opendocument.text" },
                       { .name = "content.xml", .data = content },
                       { .name = "styles.xml", .data = styles } };
    size_t len;
    char *zip = zip_build(&len, m, 3);
    cite_document *doc = read_as(zip, len, CITE_DOC_AUTO);
    free(zip);
    assert_string_equal(cite_document_get_text(doc, NULL), "Quoted\n\nplain cited\n");
    assert_int_equal(cite_document_span_count(doc), 2);
    assert_span(doc, 0, CITE_SPAN_ITALIC, "Quoted");
    assert_span(doc, 1, CITE_SPAN_BOLD, "cited");
    cite_document_free(doc);
}

/* ---- pathological inputs (STYLE.md §9: repeated 30,000 times, under a time limit) ---- */

/* Reads unit repeated n times as format within seconds of CPU time. */
static void assert_linear(const char *unit, size_t n, cite_doc_format format, double seconds)
{
    size_t k = strlen(unit);
    char *src = malloc(k * n + 1);
    for (size_t i = 0; i < n; i++)
        memcpy(src + i * k, unit, k);
    src[k * n] = '\0';
    clock_t start = clock();
    cite_document *doc = read_as(src, k * n, format);
    double spent = (double)(clock() - start) / CLOCKS_PER_SEC;
    if (spent > seconds)
        fail_msg("'%s' x %zu took %.1f s", unit, n, spent);
    cite_document_free(doc);
    free(src);
}

static void pathological_inputs_take_linear_time(void **state)
{
    (void)state;
    assert_linear("`a ``b *c _d **e ", 30000, CITE_DOC_MARKDOWN, 5);
    assert_linear("<p>R\xE9sum\xE9 &amp; <i>x</i></p>\n", 30000, CITE_DOC_HTML, 5);
    assert_linear("<b>&#233;&unknown;&amp <i>", 30000, CITE_DOC_HTML, 5);
}

/* ---- out of memory ---- */

static void readers_survive_every_failed_allocation(void **state)
{
    (void)state;
    static const char md[] = "*a* **b** c\n";
    static const char html[] = "<p>a <i>b</i><br>c &amp; d</p><p>e</p>";
    size_t zlen;
    char *zip = docx_build_styled(&zlen, BODY, NOTES, STYLES);
    const struct {
        const char *src;
        size_t len;
        cite_doc_format format;
    } cases[] = { { md, sizeof md - 1, CITE_DOC_MARKDOWN },
                  { html, sizeof html - 1, CITE_DOC_HTML },
                  { zip, zlen, CITE_DOC_DOCX } };
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
        int rc = CITE_ENOMEM;
        for (long budget = 0; rc == CITE_ENOMEM && budget < 10000; budget++) {
            cite_diag *diag = cite_diag_new();
            cite_document *doc = NULL;
            failalloc_start(budget);
            rc = cite_document_read(&doc, cases[c].src, cases[c].len, "t", cases[c].format, diag);
            failalloc_stop();
            assert_true(rc == 0 || rc == CITE_ENOMEM);
            assert_true((rc == 0) == (doc != NULL));
            cite_document_free(doc);
            cite_diag_free(diag);
        }
        assert_int_equal(rc, 0);
    }
    free(zip);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(detect_by_extension_then_content),
        cmocka_unit_test(text_is_kept_and_maps_to_itself),
        cmocka_unit_test(markdown_emphasis_is_italic_and_strong_is_bold),
        cmocka_unit_test(html_blocks_are_paragraphs_and_br_breaks),
        cmocka_unit_test(html_places_are_source_line_and_column),
        cmocka_unit_test(html_that_is_not_utf8_still_maps_lines),
        cmocka_unit_test(html_end_notes_follow_a_footnotes_line),
        cmocka_unit_test(docx_paragraphs_runs_and_footnotes),
        cmocka_unit_test(docx_places_are_paragraph_and_character),
        cmocka_unit_test(docx_styles_give_italic_and_bold),
        cmocka_unit_test(check_messages_name_paragraphs),
        cmocka_unit_test(docx_endnotes_follow_footnotes),
        cmocka_unit_test(docx_without_footnotes_part_reads_the_body),
        cmocka_unit_test(docx_refuses_corrupt_and_foreign_files),
        cmocka_unit_test(docx_refuses_dtds_and_expands_no_entity),
        cmocka_unit_test(docx_refuses_zip_bombs),
        cmocka_unit_test(docx_trusts_no_header_size),
        cmocka_unit_test(docx_refuses_encrypted_entries),
        cmocka_unit_test(odt_paragraphs_spans_spaces_and_notes),
        cmocka_unit_test(odt_styles_give_italic_and_bold),
        cmocka_unit_test(pathological_inputs_take_linear_time),
        cmocka_unit_test(readers_survive_every_failed_allocation),
    };
    return cmocka_run_group_tests_name("docread", tests, NULL, NULL);
}
