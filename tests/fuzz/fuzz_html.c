/* fuzz_html.c: libFuzzer target for the HTML reader. Any input must read without a crash or
 * leak; every span must lie inside the text, and every place of the text must map to a line
 * of the source (or to nothing) and give an excerpt inside the source. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cite.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_places(const cite_document *doc, size_t source_lines)
{
    size_t len;
    const char *text = cite_document_get_text(doc, &len);
    unsigned line = 1, col = 1;
    for (size_t i = 0; i <= len; i++) {
        cite_doc_place at = cite_document_locate(doc, line, col);
        if (at.line > source_lines)
            abort();
        const char *ex;
        size_t exlen;
        unsigned caret;
        if (cite_document_excerpt(doc, &at, &ex, &exlen, &caret) && caret == 0)
            abort();
        if (i == len)
            break;
        if (text[i] == '\n')
            line++, col = 1;
        else if (((unsigned char)text[i] & 0xC0) != 0x80)
            col++;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    cite_diag *diag = cite_diag_new();
    cite_document *doc = NULL;
    if (cite_document_read(&doc, (const char *)data, size, "fuzz.html", CITE_DOC_HTML, diag) == 0) {
        size_t len;
        const char *text = cite_document_get_text(doc, &len);
        if (strlen(text) > len)
            abort();
        for (size_t i = 0; i < cite_document_span_count(doc); i++) {
            const cite_span *s = cite_document_get_span(doc, i);
            if (s->start >= s->end || s->end > len)
                abort();
        }
        size_t lines = 1;
        for (size_t i = 0; i < size; i++)
            lines += data[i] == '\n';
        check_places(doc, lines);
    }
    cite_document_free(doc);
    cite_diag_free(diag);
    return 0;
}
