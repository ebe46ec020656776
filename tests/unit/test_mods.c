/* test_mods.c: the MODS writer, its output read back with libxml2. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <string.h>

#include "failalloc.h"
#include "record.h"

static cite_library *library(void)
{
    static const char bib[] =
        "@article{boeke2019, author = {Boeke, Sergei and de Valk, Giliam}, title = {The "
        "Unforeseen \\emph{Crisis} in Mali}, journal = {Studies in Conflict \\& Terrorism}, "
        "year = 2019, month = oct, volume = 44, number = 10, pages = {835--854}, doi = "
        "{10.1080/1057610X.2019.1592356}}\n"
        "@incollection{levine2025, author = {Levine, J.}, title = {Coups}, booktitle = "
        "{Globalisation}, editor = {Omeje, K.}, publisher = {Springer}, address = {Cham}, "
        "year = 2025, pages = {47--65}}\n"
        "@techreport{icg2021, author = {{International Crisis Group}}, title = {Mali}, "
        "institution = {International Crisis Group}, year = 2021, number = 306, url = "
        "{https://example.org/r}, urldate = {2025-10-30}}\n";
    cite_library *lib = NULL;
    cite_diag *diag = cite_diag_new();
    assert_int_equal(cite_bibtex_read(&lib, bib, strlen(bib), "t.bib", diag), 0);
    cite_diag_free(diag);
    return lib;
}

/* The text of the first node xpath finds in the record with ID id, or NULL. */
static char *find(xmlXPathContextPtr ctx, const char *id, const char *xpath)
{
    char expr[512];
    snprintf(expr, sizeof expr, "/m:modsCollection/m:mods[@ID='%s']/%s", id, xpath);
    xmlXPathObjectPtr r = xmlXPathEvalExpression((const xmlChar *)expr, ctx);
    char *text = NULL;
    if (r && r->nodesetval && r->nodesetval->nodeNr > 0)
        text = (char *)xmlNodeGetContent(r->nodesetval->nodeTab[0]);
    xmlXPathFreeObject(r);
    return text;
}

static void expect(xmlXPathContextPtr ctx, const char *id, const char *xpath, const char *want)
{
    char *got = find(ctx, id, xpath);
    if (!want) {
        assert_null(got);
        return;
    }
    assert_non_null(got);
    assert_string_equal(got, want);
    xmlFree(got);
}

static void records_hosts_and_names(void **state)
{
    (void)state;
    cite_library *lib = library();
    char *xml = NULL;
    assert_int_equal(cite_mods_write(&xml, lib), 0);
    xmlDocPtr doc = xmlReadMemory(xml, (int)strlen(xml), "t.xml", NULL, XML_PARSE_NONET);
    assert_non_null(doc);
    xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
    xmlXPathRegisterNs(ctx, (const xmlChar *)"m", (const xmlChar *)"http://www.loc.gov/mods/v3");
    /* an article: its journal, volume, issue and pages in the host; markup dropped */
    expect(ctx, "boeke2019", "m:titleInfo/m:title", "The Unforeseen Crisis in Mali");
    expect(ctx, "boeke2019", "m:name[2]/m:namePart[@type='family']", "de Valk");
    expect(ctx, "boeke2019", "m:originInfo/m:dateIssued", "2019-10");
    expect(ctx, "boeke2019", "m:relatedItem[@type='host']/m:titleInfo/m:title",
           "Studies in Conflict & Terrorism");
    expect(ctx, "boeke2019", "m:relatedItem/m:originInfo/m:issuance", "continuing");
    expect(ctx, "boeke2019", "m:relatedItem/m:part/m:detail[@type='volume']/m:number", "44");
    expect(ctx, "boeke2019", "m:relatedItem/m:part/m:extent/m:start", "835");
    expect(ctx, "boeke2019", "m:relatedItem/m:part/m:extent/m:end", "854");
    expect(ctx, "boeke2019", "m:identifier[@type='doi']", "10.1080/1057610X.2019.1592356");
    /* a chapter: the book's editor, publisher and place are the host's */
    expect(ctx, "levine2025", "m:relatedItem/m:name/m:role/m:roleTerm", "editor");
    expect(ctx, "levine2025", "m:relatedItem/m:originInfo/m:publisher", "Springer");
    expect(ctx, "levine2025", "m:relatedItem/m:genre", "book");
    expect(ctx, "levine2025", "m:originInfo/m:publisher", NULL);
    /* a report by an organisation: a corporate name, its number, its link and access date */
    expect(ctx, "icg2021", "m:name[@type='corporate']/m:namePart", "International Crisis Group");
    expect(ctx, "icg2021", "m:genre", "technical report");
    expect(ctx, "icg2021", "m:part/m:detail[@type='number']/m:number", "306");
    expect(ctx, "icg2021", "m:location/m:url/@dateLastAccessed", "2025-10-30");
    xmlXPathFreeContext(ctx);
    xmlFreeDoc(doc);
    cite_free_string(xml);
    cite_library_free(lib);
}

static void survives_every_failed_allocation(void **state)
{
    (void)state;
    cite_library *lib = library();
    int rc = CITE_ENOMEM;
    for (long budget = 0; rc == CITE_ENOMEM && budget < 10000; budget++) {
        char *xml = NULL;
        failalloc_start(budget);
        rc = cite_mods_write(&xml, lib);
        failalloc_stop();
        assert_true(rc == 0 || (rc == CITE_ENOMEM && !xml));
        cite_free_string(xml);
    }
    assert_int_equal(rc, 0);
    cite_library_free(lib);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(records_hosts_and_names),
        cmocka_unit_test(survives_every_failed_allocation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
