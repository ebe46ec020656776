/* fuzz_reformat.c: libFuzzer target for cite reformat. Any document with a reference list must
 * reformat without a crash or leak through a small author-date style, and every byte before
 * its first citation group and its list must come through unchanged. */
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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    cite_diag *diag = cite_diag_new();
    if (!style && cite_style_load_memory(&style, style_xml, strlen(style_xml), "t.csl", diag))
        abort();
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
