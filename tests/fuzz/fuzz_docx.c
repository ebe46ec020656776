/* fuzz_docx.c: libFuzzer target for the DOCX and ODT readers. The input is split at NUL bytes
 * into word/document.xml, word/footnotes.xml, word/endnotes.xml and word/styles.xml, zipped in
 * memory (tests/unit/ zipfixture.h), and read; an input starting with "PK" is read as the zip
 * itself, so that the zip layer is fuzzed too, and one starting with "ODT" as content.xml (NUL,
 * styles.xml) of an .odt. Nothing may crash or leak; spans lie inside the text; every line of the
 * text maps to a paragraph of the document or to nothing, and its description names that paragraph.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../unit/zipfixture.h"
#include "cite.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const cite_document *doc)
{
    size_t len;
    const char *text = cite_document_get_text(doc, &len);
    for (size_t i = 0; i < cite_document_span_count(doc); i++) {
        const cite_span *s = cite_document_get_span(doc, i);
        if (s->start >= s->end || s->end > len)
            abort();
    }
    unsigned lines = 1;
    for (size_t i = 0; i < len; i++)
        lines += text[i] == '\n';
    for (unsigned line = 1; line <= lines + 1; line++) {
        cite_doc_place at = cite_document_locate(doc, line, 2);
        char *where = NULL;
        int rc = cite_document_describe(&where, doc, &at);
        if ((rc == 0) != (at.paragraph != 0) || (rc == 0 && !strstr(where, "paragraph ")))
            abort();
        cite_free_string(where);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *in = (const char *)data;
    char *zip = NULL, *part = malloc(size + 1);
    size_t zlen = 0;
    memcpy(part, data, size);
    part[size] = '\0';
    if (size >= 2 && !memcmp(in, "PK", 2)) {
        zip = malloc(size ? size : 1);
        memcpy(zip, data, size);
        zlen = size;
    } else if (size >= 3 && !memcmp(in, "ODT", 3)) {
        /* content.xml NUL styles.xml */
        size_t n = strlen(part + 3);
        zip_member m[] = {
            { .name = "mimetype", .data = "application/vnd.oasis.opendocument.text" },
            { .name = "content.xml", .data = part + 3 },
            { .name = "styles.xml", .data = 3 + n + 1 < size ? part + 3 + n + 1 : "<x/>" }
        };
        zip = zip_build(&zlen, m, 3);
    } else {
        /* document.xml NUL footnotes.xml NUL endnotes.xml NUL styles.xml */
        static const char *const names[] = { "word/document.xml", "word/footnotes.xml",
                                             "word/endnotes.xml", "word/styles.xml" };
        zip_member m[4];
        size_t at = 0;
        for (size_t k = 0; k < 4; k++) {
            size_t n = at < size ? strlen(part + at) : 0;
            m[k] = (zip_member){ .name = names[k], .data = n ? part + at : "<x/>", .len = n };
            at += n + 1;
        }
        zip = zip_build(&zlen, m, 4);
    }
    if (zip) {
        cite_diag *diag = cite_diag_new();
        cite_document *doc = NULL;
        if (cite_document_read(&doc, zip, zlen, "fuzz.docx", CITE_DOC_AUTO, diag) == 0)
            check(doc);
        cite_document_free(doc);
        cite_diag_free(diag);
    }
    free(zip);
    free(part);
    return 0;
}
