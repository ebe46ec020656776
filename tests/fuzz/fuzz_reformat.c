/* fuzz_reformat.c: libFuzzer target for cite reformat. Any document with a reference list must
 * reformat without a crash or leak through a small author-date style, and every byte before
 * its first citation group and its list must come through unchanged. Input that starts with
 * '<' is read as HTML and reformatted into its source (and written as Markdown, as a .docx
 * is): the source before the first citation must come through unchanged. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cite.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char style_xml[] =
    "<style xmlns=\"http://purl.org/net/xbiblio/csl\" class=\"in-text\" version=\"1.0\">"
    "<info><title>T</title><id>t</id><updated>2024-01-01T00:00:00+00:00</updated></info>"
    "<citation et-al-min=\"3\" et-al-use-first=\"1\" disambiguate-add-year-suffix=\"true\" "
    "collapse=\"year\"><sort><key variable=\"author\"/><key variable=\"issued\"/></sort>"
    "<layout prefix=\"(\" suffix=\")\" delimiter=\"; \"><group delimiter=\", \">"
    "<names variable=\"author\"><name form=\"short\" and=\"symbol\"/></names>"
    "<date variable=\"issued\"><date-part name=\"year\"/></date>"
    "<text variable=\"locator\"/></group></layout></citation>"
    "<bibliography><layout><names variable=\"author\"><name name-as-sort-order=\"all\"/>"
    "</names><date variable=\"issued\" prefix=\" (\" suffix=\").\"><date-part name=\"year\"/>"
    "</date><text variable=\"title\" prefix=\" \" font-style=\"italic\"/></layout>"
    "</bibliography></style>";

static cite_style *style;

/* The HTML path: the document's text checked, the edits mapped to its source. */
static void fuzz_html(const char *data, size_t size, cite_diag *diag)
{
    cite_document *doc = NULL;
    cite_check *ck = NULL;
    cite_formatter *f = NULL;
    char *out = NULL, *md = NULL;
    size_t len = 0, text_len, md_len;
    if (cite_document_read(&doc, data, size, "fuzz.html", CITE_DOC_HTML, diag) != 0)
        return;
    if (cite_document_markdown(&md, &md_len, doc) != 0 || strlen(md) != md_len)
        abort();
    const char *text = cite_document_get_text(doc, &text_len);
    if (cite_check_run(&ck, text, text_len, "fuzz.html", NULL, NULL, diag) == 0 &&
        cite_formatter_new(&f, style, NULL, 0, "en-US", cite_check_get_library(ck)) == 0) {
        cite_reformat_options o = { .format = CITE_OUTPUT_HTML, .document = doc, .style = style };
        cite_reformat_stats st;
        if (cite_reformat(&out, &len, text, text_len, ck, f, &o, &st, diag) != 0)
            abort();
        size_t keep = size, at, start, end;
        if (cite_check_reference_span(ck, &start, &end) &&
            cite_document_source_offset(doc, start, &at))
            keep = at;
        for (size_t i = 0; i < cite_check_citation_count(ck); i++) {
            const cite_citation *c = cite_check_get_citation(ck, i);
            size_t first = c->narrative ? c->at.offset : c->open;
            if (cite_document_source_offset(doc, first, &at) && at < keep)
                keep = at;
            else if (!cite_document_source_offset(doc, first, &at))
                keep = 0; /* cannot tell where it is */
        }
        if (len < keep || memcmp(out, data, keep) != 0)
            abort();
        if (st.works_rewritten + st.works_left + st.works_kept != st.works)
            abort();
    }
    cite_free_string(out);
    cite_free_string(md);
    cite_formatter_free(f);
    cite_check_free(ck);
    cite_document_free(doc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    cite_diag *diag = cite_diag_new();
    if (!style && cite_style_load_memory(&style, style_xml, strlen(style_xml), "t.csl", diag))
        abort();
    if (size && data[0] == '<') {
        fuzz_html((const char *)data, size, diag);
        cite_diag_free(diag);
        return 0;
    }
    cite_check *ck = NULL;
    cite_formatter *f = NULL;
    char *out = NULL;
    size_t len = 0;
    const char *text = (const char *)data;
    if (cite_check_run(&ck, text, size, "fuzz.txt", NULL, NULL, diag) == 0 &&
        cite_formatter_new(&f, style, NULL, 0, "en-US", cite_check_get_library(ck)) == 0) {
        cite_reformat_options o = { .format = size % 2 ? CITE_OUTPUT_MARKDOWN : CITE_OUTPUT_TEXT,
                                    .style = style };
        cite_reformat_stats st;
        if (cite_reformat(&out, &len, text, size, ck, f, &o, &st, diag) != 0)
            abort();
        size_t keep = size, start, end;
        if (cite_check_reference_span(ck, &start, &end))
            keep = start;
        for (size_t i = 0; i < cite_check_citation_count(ck); i++) {
            const cite_citation *c = cite_check_get_citation(ck, i);
            size_t first = c->narrative ? c->at.offset : c->open;
            if (first < keep)
                keep = first;
        }
        if (len < keep || memcmp(out, text, keep) != 0)
            abort();
        if (st.works_rewritten + st.works_left + st.works_kept != st.works)
            abort();
    }
    cite_free_string(out);
    cite_formatter_free(f);
    cite_check_free(ck);
    cite_diag_free(diag);
    return 0;
}
