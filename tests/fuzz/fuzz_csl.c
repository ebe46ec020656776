/* fuzz_csl.c: libFuzzer target for CSL style loading (csl.c) and rendering (cslrun.c,
 * out.c). Any input must load or be refused with diagnostics, without a crash or leak; a
 * style that loads renders a small fixed library (bibliography and a citation) in every
 * output format: its items have notes with "key: value" lines, names with markup, particles
 * and suffixes, label words in numbers and locators. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cite.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char ITEMS[] =
    "[{\"id\": \"a\", \"type\": \"article-journal\", \"title\": \"On <i>coups</i>\","
    "  \"author\": [{\"family\": \"van der Berg\", \"given\": \"Jean-Pierre\"},"
    "              {\"literal\": \"ICG\"}, {\"family\": \"Li\", \"given\": \"Wei\"}],"
    "  \"editor\": [{\"family\": \"Okafor\", \"given\": \"N.\"}],"
    "  \"issued\": {\"date-parts\": [[2019, 5, 3], [2020, 1]]}, \"page\": \"321-28\","
    "  \"volume\": \"2\", \"edition\": \"3\", \"container-title\": \"Journal\"},"
    " {\"id\": \"b\", \"type\": \"book\", \"title\": \"A book\","
    "  \"author\": [{\"family\": \"Li\", \"given\": \"Wei\"}],"
    "  \"issued\": {\"literal\": \"n.d.\"}},"
    " {\"id\": \"c\", \"type\": \"book\", \"title\": \"A book\","
    "  \"author\": [{\"family\": \"Li\", \"given\": \"Wei\"}],"
    "  \"issued\": {\"date-parts\": [[-50]], \"circa\": true}, \"season\": 2},"
    /* a note whose "key: value" lines are variables (Zotero's Extra field) */
    " {\"id\": \"d\", \"type\": \"chapter\", \"title\": \"Chapter <sc>One</sc>\","
    "  \"note\": \"title: Other\\nauthor: Roe || Jane\\nissued: 2004-10-01\\n"
    "reviewed-author: Hall || W.C.\\ncontainer-title: Book\\nkeep this\\nDOI: 10.1/x\","
    "  \"edition\": \"7, p. 3-8\", \"volume\": \"vol. 2\"},"
    /* names with markup, particles and a suffix */
    " {\"id\": \"e\", \"type\": \"book\", \"title\": \"<span class=\\\"nocase\\\">iPod</span>\","
    "  \"author\": [{\"family\": \"<i>Ó</i> Súilleabháin\", \"given\": \"<b>A</b>.\"},"
    "              {\"family\": \"<sup>d</sup>Berg\", \"given\": \"J.<i>\","
    "               \"non-dropping-particle\": \"<sc>van</sc>\", \"suffix\": \"Jr.\"},"
    "              {\"family\": \"Doe\", \"given\": \"</i>John\", \"dropping-particle\": \"de\"}],"
    "  \"issued\": {\"date-parts\": [[2019]]}}]";

static const char LOCALE[] =
    "<locale xmlns=\"http://purl.org/net/xbiblio/csl\" version=\"1.0\" xml:lang=\"en-US\">"
    "<style-options punctuation-in-quote=\"true\"/>"
    "<date form=\"text\"><date-part name=\"month\" suffix=\" \"/><date-part name=\"day\" "
    "suffix=\", \"/><date-part name=\"year\"/></date>"
    "<terms><term name=\"and\">and</term><term name=\"et-al\">et al.</term>"
    "<term name=\"ordinal\">th</term><term name=\"open-quote\">“</term>"
    "<term name=\"close-quote\">”</term><term name=\"month-05\">May</term>"
    "<term name=\"page\" form=\"short\"><single>p.</single><multiple>pp.</multiple></term>"
    "<term name=\"volume\" form=\"short\"><single>vol.</single><multiple>vols.</multiple>"
    "</term><term name=\"folio\" form=\"short\">fol.</term>"
    "</terms></locale>";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static cite_library *lib;
    static cite_locale *loc;
    if (!lib) {
        cite_csljson_read(&lib, ITEMS, strlen(ITEMS), "items.json", NULL);
        cite_locale_load_memory(&loc, LOCALE, strlen(LOCALE), "locale.xml", NULL);
    }
    cite_diag *diag = cite_diag_new();
    cite_style *style = NULL;
    if (cite_style_load_memory(&style, (const char *)data, size, "fuzz.csl", diag) == 0) {
        cite_formatter *f = NULL;
        if (cite_formatter_new(&f, style, &loc, 1, NULL, lib) == 0) {
            static const cite_output formats[] = { CITE_OUTPUT_TEXT, CITE_OUTPUT_HTML,
                                                   CITE_OUTPUT_MARKDOWN };
            cite_cite_item items[] = { { .id = "a", .locator = "12-14" },
                                       { .id = "b", .label = "chapter", .locator = "3" },
                                       { .id = "c" },
                                       { .id = "d", .locator = "vol. 1, fol. 186-7" },
                                       { .id = "e", .locator = "pp. ", .prefix = "<i>see</i>" } };
            size_t n = sizeof(items) / sizeof(items[0]);
            for (size_t i = 0; i < 3; i++) {
                char *out = NULL;
                cite_format_bibliography(&out, f, formats[i]);
                cite_free_string(out);
                out = NULL;
                cite_format_citation(&out, f, items, n, (int)i + 1, formats[i]);
                cite_free_string(out);
            }
        }
        cite_formatter_free(f);
    }
    cite_style_free(style);
    cite_diag_free(diag);
    return 0;
}
