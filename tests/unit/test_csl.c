/* test_csl.c: CSL styles and locales (csl.c) and the engine (cslrun.c, out.c): the tree a
 * style loads into, diagnostics at their line and column, DOCTYPE and external entities
 * refused, term fallbacks and ordinals, text cases, rendering a small library, and every
 * out-of-memory path of loading and rendering. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "csl.h"
#include "csljson.h"
#include "cslrun.h"
#include "failalloc.h"
#include "out.h"
#include "record.h"

#define NS "xmlns=\"http://purl.org/net/xbiblio/csl\""

static const char STYLE[] =
    "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
    "<style " NS " class=\"in-text\" version=\"1.0\" et-al-min=\"4\" default-locale=\"en-GB\">\n"
    "  <info><title>t</title></info>\n"
    "  <macro name=\"year\"><date variable=\"issued\"><date-part name=\"year\"/></date></macro>\n"
    "  <macro name=\"author\">\n"
    "    <names variable=\"author\">\n"
    "      <name name-as-sort-order=\"first\" and=\"text\" initialize-with=\". \"/>\n"
    "      <substitute><text variable=\"title\"/></substitute>\n"
    "    </names>\n"
    "  </macro>\n"
    "  <citation et-al-use-first=\"1\">\n"
    "    <layout prefix=\"(\" suffix=\")\" delimiter=\"; \">\n"
    "      <group delimiter=\", \"><text macro=\"author\"/><text macro=\"year\"/></group>\n"
    "    </layout>\n"
    "  </citation>\n"
    "  <bibliography>\n"
    "    <sort><key macro=\"author\"/></sort>\n"
    "    <layout suffix=\".\">\n"
    "      <group delimiter=\" \"><text macro=\"author\"/>"
    "<text macro=\"year\" prefix=\"(\" suffix=\")\"/>"
    "<text variable=\"title\" font-style=\"italic\" text-case=\"title\"/></group>\n"
    "    </layout>\n"
    "  </bibliography>\n"
    "</style>\n";

static const char LOCALE[] =
    "<?xml version=\"1.0\"?>\n"
    "<locale " NS " version=\"1.0\" xml:lang=\"en-GB\">\n"
    "  <style-options punctuation-in-quote=\"false\"/>\n"
    "  <terms>\n"
    "    <term name=\"and\">and</term>\n"
    "    <term name=\"et-al\">et al.</term>\n"
    "    <term name=\"editor\"><single>editor</single><multiple>editors</multiple></term>\n"
    "    <term name=\"editor\" form=\"short\">ed.</term>\n"
    "    <term name=\"ordinal\">th</term>\n"
    "    <term name=\"ordinal-01\">st</term>\n"
    "    <term name=\"ordinal-02\">nd</term>\n"
    "    <term name=\"ordinal-03\">rd</term>\n"
    "    <term name=\"ordinal-11\">th</term>\n"
    "    <term name=\"ordinal-12\">th</term>\n"
    "    <term name=\"ordinal-13\">th</term>\n"
    "  </terms>\n"
    "</locale>\n";

static const char ITEMS[] =
    "[{\"id\": \"b\", \"type\": \"book\", \"title\": \"the art of war\","
    "  \"author\": [{\"family\": \"Sun\", \"given\": \"Tzu\"}],"
    "  \"issued\": {\"date-parts\": [[1910]]}},"
    " {\"id\": \"a\", \"type\": \"book\", \"title\": \"a history of coups\","
    "  \"author\": [{\"family\": \"Adams\", \"given\": \"John Quincy\"},"
    "              {\"family\": \"Brown\", \"given\": \"Ann\"}],"
    "  \"issued\": {\"date-parts\": [[2001]]}},"
    " {\"id\": \"c\", \"type\": \"book\", \"title\": \"untitled works\"}]";

static cite_style *load_style(const char *xml, cite_diag *d)
{
    cite_style *s = NULL;
    int rc = cite_style_load_memory(&s, xml, strlen(xml), "t.csl", d);
    assert_int_equal(rc, 0);
    assert_non_null(s);
    return s;
}

static const cite_diag_item *first_error(cite_diag *d)
{
    for (size_t i = 0; i < cite_diag_count(d); i++)
        if (cite_diag_get(d, i)->severity == CITE_SEV_ERROR)
            return cite_diag_get(d, i);
    return NULL;
}

/* ---- the tree ---------------------------------------------------------------------------- */

static void style_loads_into_tree(void **state)
{
    (void)state;
    cite_diag *d = cite_diag_new();
    cite_style *s = load_style(STYLE, d);
    assert_int_equal(cite_diag_count(d), 0);
    assert_string_equal(cite_style_get_default_locale(s), "en-GB");
    assert_int_equal(s->nmacros, 2);
    assert_true(s->citation.present);
    assert_true(s->bibliography.present);
    assert_int_equal(s->bibliography.nkeys, 1);
    assert_int_equal(s->bibliography.keys[0]->macro, 1); /* "author" */
    /* style-level et-al-min and citation-level et-al-use-first are kept where given */
    assert_true(s->nopts.set & CSL_NO_ET_AL_MIN);
    assert_int_equal(s->nopts.et_al_min, 4);
    assert_true(s->citation.nopts.set & CSL_NO_ET_AL_USE_FIRST);
    const csl_node *group = s->citation.layout->kids[0];
    assert_int_equal(group->kind, CSL_GROUP);
    assert_string_equal(group->delimiter, ", ");
    assert_int_equal(group->kids[0]->src, CSL_SRC_MACRO);
    assert_int_equal(group->kids[0]->macro, 1);
    const csl_node *names = s->macros[1].node->kids[0];
    assert_int_equal(names->kind, CSL_NAMES);
    assert_int_equal(names->nvars, 1);
    assert_non_null(names->name);
    assert_int_equal(names->name->nopts.naso, CSL_NASO_FIRST);
    assert_int_equal(names->name->nopts.and_, CSL_AND_TEXT);
    assert_non_null(names->substitute);
    cite_style_free(s);
    cite_diag_free(d);
}

static void malformed_style_reports_line_and_column(void **state)
{
    (void)state;
    static const char bad[] = "<style " NS " version=\"1.0\">\n  <citation>\n    <layout>\n"
                              "  </citation>\n</style>\n";
    cite_diag *d = cite_diag_new();
    cite_style *s = NULL;
    assert_int_equal(cite_style_load_memory(&s, bad, strlen(bad), "bad.csl", d), CITE_EPARSE);
    assert_null(s);
    const cite_diag_item *e = first_error(d);
    assert_non_null(e);
    assert_string_equal(e->file, "bad.csl");
    assert_int_equal(e->line, 4);
    assert_true(e->col > 0);
    cite_diag_free(d);
}

static void doctype_and_external_entities_refused(void **state)
{
    (void)state;
    static const char xxe[] = "<?xml version=\"1.0\"?>\n"
                              "<!DOCTYPE style [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n"
                              "<style " NS " version=\"1.0\"><citation><layout>"
                              "<text value=\"&x;\"/></layout></citation></style>\n";
    cite_diag *d = cite_diag_new();
    cite_style *s = NULL;
    assert_int_equal(cite_style_load_memory(&s, xxe, strlen(xxe), "x.csl", d), CITE_EPARSE);
    assert_null(s);
    assert_non_null(first_error(d));
    cite_diag_free(d);
    /* any DOCTYPE, even one that declares nothing */
    static const char plain[] = "<?xml version=\"1.0\"?>\n<!DOCTYPE style>\n"
                                "<style " NS " version=\"1.0\"><citation><layout>"
                                "<text value=\"x\"/></layout></citation></style>\n";
    d = cite_diag_new();
    assert_int_equal(cite_style_load_memory(&s, plain, strlen(plain), "p.csl", d), CITE_EPARSE);
    const cite_diag_item *e = first_error(d);
    assert_non_null(e);
    assert_string_equal(e->message, "a DOCTYPE is not allowed in a CSL file");
    assert_int_equal(e->line, 2);
    cite_diag_free(d);
    /* a locale too */
    d = cite_diag_new();
    cite_locale *l = NULL;
    static const char lx[] = "<!DOCTYPE locale SYSTEM \"http://example.org/x.dtd\">\n"
                             "<locale " NS "/>";
    assert_int_equal(cite_locale_load_memory(&l, lx, strlen(lx), "l.xml", d), CITE_EPARSE);
    assert_null(l);
    cite_diag_free(d);
}

static void missing_and_recursive_macros_are_errors(void **state)
{
    (void)state;
    static const char missing[] = "<style " NS " version=\"1.0\">\n<citation><layout>\n"
                                  "<text macro=\"nowhere\"/></layout></citation></style>";
    cite_diag *d = cite_diag_new();
    cite_style *s = NULL;
    assert_int_equal(cite_style_load_memory(&s, missing, strlen(missing), "m.csl", d), CITE_EPARSE);
    const cite_diag_item *e = first_error(d);
    assert_non_null(e);
    assert_int_equal(e->line, 3);
    assert_string_equal(e->message, "macro \"nowhere\" is not defined");
    cite_diag_free(d);

    static const char loop[] = "<style " NS " version=\"1.0\">\n"
                               "<macro name=\"a\"><text macro=\"b\"/></macro>\n"
                               "<macro name=\"b\"><group><text macro=\"a\"/></group></macro>\n"
                               "<citation><layout><text macro=\"a\"/></layout></citation>"
                               "</style>";
    d = cite_diag_new();
    assert_int_equal(cite_style_load_memory(&s, loop, strlen(loop), "l.csl", d), CITE_EPARSE);
    e = first_error(d);
    assert_non_null(e);
    assert_string_equal(e->message, "macro \"a\" calls itself");
    cite_diag_free(d);
}

static void unknown_elements_and_values_are_warnings(void **state)
{
    (void)state;
    static const char odd[] = "<style " NS " version=\"1.0\">\n<citation><layout>\n"
                              "<sparkle/>\n<text value=\"x\" font-style=\"wobbly\"/>"
                              "</layout></citation></style>";
    cite_diag *d = cite_diag_new();
    cite_style *s = load_style(odd, d);
    assert_int_equal(cite_diag_count(d), 2);
    assert_int_equal(cite_diag_get(d, 0)->severity, CITE_SEV_WARNING);
    assert_int_equal(cite_diag_get(d, 0)->line, 3);
    assert_string_equal(cite_diag_get(d, 1)->message,
                        "unknown value \"wobbly\" of attribute font-style on <text>");
    cite_style_free(s);
    cite_diag_free(d);
}

/* ---- locales ----------------------------------------------------------------------------- */

static void terms_fall_back_by_form_and_locale(void **state)
{
    (void)state;
    cite_diag *d = cite_diag_new();
    cite_locale *l = NULL;
    assert_int_equal(cite_locale_load_memory(&l, LOCALE, strlen(LOCALE), "l.xml", d), 0);
    assert_string_equal(cite_locale_get_lang(l), "en-GB");
    cite_locale *chain[1] = { l };
    const csl_term *t = csl_term_lookup(chain, 1, "editor", CSL_FORM_VERB_SHORT);
    assert_non_null(t); /* verb-short -> verb -> long */
    assert_string_equal(t->single, "editor");
    assert_string_equal(t->multiple, "editors");
    t = csl_term_lookup(chain, 1, "editor", CSL_FORM_SYMBOL); /* symbol -> short */
    assert_string_equal(t->single, "ed.");
    assert_null(csl_term_lookup(chain, 1, "nothing", CSL_FORM_LONG));
    static const struct {
        long n;
        const char *suffix;
    } ord[] = { { 1, "st" },  { 2, "nd" },  { 4, "th" },   { 11, "th" },
                { 12, "th" }, { 21, "st" }, { 102, "nd" }, { 113, "th" } };
    for (size_t i = 0; i < sizeof(ord) / sizeof(ord[0]); i++) {
        t = csl_ordinal_lookup(chain, 1, ord[i].n, 0, false);
        assert_non_null(t);
        assert_string_equal(t->single, ord[i].suffix);
    }
    cite_locale_free(l);
    cite_diag_free(d);
}

/* ---- engine ------------------------------------------------------------------------------ */

static void text_cases(void **state)
{
    (void)state;
    static const struct {
        int tc;
        const char *in, *out;
    } cases[] = {
        { CSL_CASE_TITLE, "the art of war: a study in the field",
          "The Art of War: A Study in the Field" },
        { CSL_CASE_TITLE, "a NASA report on iPhones", "A NASA Report on iPhones" },
        { CSL_CASE_TITLE, "BMJ", "BMJ" },           /* all caps stay, as in citeproc-js */
        { CSL_CASE_TITLE, "PLOS ONE", "PLOS ONE" }, /* (the oracle's journal titles) */
        { CSL_CASE_TITLE, "CitationStyles.org", "CitationStyles.Org" }, /* "." splits words */
        { CSL_CASE_TITLE, "GOV.UK", "GOV.UK" },
        { CSL_CASE_UPPER, "ärger", "ÄRGER" },
        { CSL_CASE_LOWER, "ÄRGER", "ärger" },
        { CSL_CASE_CAPFIRST, "émile zola", "Émile zola" },
        { CSL_CASE_CAPALL, "émile zola", "Émile Zola" },
        { CSL_CASE_SENTENCE, "THE TITLE", "The title" },
        /* sentence case lowercases every later word, as citeproc-js does */
        { CSL_CASE_SENTENCE, "A Pen of Smith", "A pen of smith" },
        /* citeproc-js's wider stop words: "about" and the particles "von", "de" */
        { CSL_CASE_TITLE, "a life about john von doe", "A Life about John von Doe" },
        /* a lone Greek letter is a symbol and keeps its case */
        { CSL_CASE_TITLE, "solution of β-carotine", "Solution of β-Carotine" },
        { CSL_CASE_TITLE, "the βeta test", "The Βeta Test" },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        cite_buf b = CITE_BUF_INIT;
        cite_csl_text_case(&b, cases[i].in, strlen(cases[i].in), cases[i].tc);
        assert_string_equal(b.ptr, cases[i].out);
        cite_buf_dispose(&b);
    }
    /* Turkish and Azeri: i and İ, ı and I are pairs */
    assert_true(cite_csl_turkic("tr"));
    assert_true(cite_csl_turkic("az-Latn"));
    assert_false(cite_csl_turkic("trk"));
    assert_false(cite_csl_turkic("en"));
    cite_buf tb = CITE_BUF_INIT;
    cite_csl_text_case_in(&tb, "ic ıd", strlen("ic ıd"), CSL_CASE_UPPER, true);
    assert_string_equal(tb.ptr, "İC ID");
    tb.len = 0;
    cite_csl_text_case_in(&tb, "IŞIK", strlen("IŞIK"), CSL_CASE_LOWER, true);
    assert_string_equal(tb.ptr, "ışık");
    tb.len = 0;
    cite_csl_text_case_in(&tb, "ic", 2, CSL_CASE_UPPER, false);
    assert_string_equal(tb.ptr, "IC");
    cite_buf_dispose(&tb);
    assert_true(cite_csl_is_numeric("12"));
    assert_true(cite_csl_is_numeric("2-4"));
    assert_true(cite_csl_is_numeric("2, 3 & 5"));
    assert_true(cite_csl_is_numeric("L2d"));
    assert_false(cite_csl_is_numeric("second edition"));
    assert_false(cite_csl_is_numeric(""));
}

/* Loads style, locale and items, renders the bibliography and one citation. Returns 0 or the
 * first error; *bib and *cite receive the output (caller frees). */
static int render_all(char **bib, char **cite, cite_output fmt)
{
    cite_style *s = NULL;
    cite_locale *l = NULL;
    cite_library *lib = NULL;
    cite_formatter *f = NULL;
    *bib = *cite = NULL;
    int rc = cite_style_load_memory(&s, STYLE, strlen(STYLE), "t.csl", NULL);
    if (rc == 0)
        rc = cite_locale_load_memory(&l, LOCALE, strlen(LOCALE), "l.xml", NULL);
    if (rc == 0)
        rc = cite_csljson_read(&lib, ITEMS, strlen(ITEMS), "i.json", NULL);
    if (rc == 0)
        rc = cite_formatter_new(&f, s, &l, 1, NULL, lib);
    if (rc == 0)
        rc = cite_format_bibliography(bib, f, fmt);
    if (rc == 0) {
        cite_cite_item items[] = { { .id = "b" }, { .id = "a" } };
        rc = cite_format_citation(cite, f, items, 2, 0, fmt);
    }
    cite_formatter_free(f);
    cite_library_free(lib);
    cite_locale_free(l);
    cite_style_free(s);
    return rc;
}

static void renders_bibliography_and_citation(void **state)
{
    (void)state;
    char *bib, *cite;
    assert_int_equal(render_all(&bib, &cite, CITE_OUTPUT_TEXT), 0);
    assert_string_equal(bib, "Adams, J. Q. and A. Brown (2001) A History of Coups.\n"
                             "Sun, T. (1910) The Art of War.\n"
                             "untitled works.\n");
    assert_string_equal(cite, "(Sun, T., 1910; Adams, J. Q. and A. Brown, 2001)");
    cite_free_string(bib);
    cite_free_string(cite);
    assert_int_equal(render_all(&bib, &cite, CITE_OUTPUT_HTML), 0);
    assert_non_null(strstr(bib, "<div class=\"csl-entry\">Sun, T. (1910) <i>The Art of War</i>."
                                "</div>"));
    cite_free_string(bib);
    cite_free_string(cite);
}

/* Renders the bibliography of items (CSL-JSON) with a style whose bibliography layout is
 * layout, and the test locale. Caller frees the result with cite_free_string(). */
static char *render_sorted(const char *sort, const char *layout, const char *items)
{
    char xml[4096];
    snprintf(xml, sizeof xml,
             "<style " NS " class=\"in-text\" version=\"1.0\"><info><title>t</title></info>"
             "<macro name=\"year\"><date variable=\"issued\"><date-part name=\"year\"/></date>"
             "</macro><citation><layout><text variable=\"title\"/></layout></citation>"
             "<bibliography>%s<layout>%s</layout></bibliography></style>",
             sort, layout);
    cite_style *s = load_style(xml, NULL);
    cite_locale *l = NULL;
    cite_library *lib = NULL;
    cite_formatter *f = NULL;
    char *bib = NULL;
    assert_int_equal(cite_locale_load_memory(&l, LOCALE, strlen(LOCALE), "l.xml", NULL), 0);
    assert_int_equal(cite_csljson_read(&lib, items, strlen(items), "i.json", NULL), 0);
    assert_int_equal(cite_formatter_new(&f, s, &l, 1, NULL, lib), 0);
    assert_int_equal(cite_format_bibliography(&bib, f, CITE_OUTPUT_TEXT), 0);
    cite_formatter_free(f);
    cite_library_free(lib);
    cite_locale_free(l);
    cite_style_free(s);
    return bib;
}

static char *render_layout(const char *layout, const char *items)
{
    return render_sorted("", layout, items);
}

/* Sort keys compare as citeproc-js's localeCompare: case, marks and punctuation ignored, a
 * space before any letter, numbers by value (the oracle's apa.bib.txt order). */
static void sorts_like_citeproc_js(void **state)
{
    (void)state;
    char *bib = render_sorted(
        "<sort><key variable=\"title\"/></sort>", "<text variable=\"title\"/>",
        "[{\"id\": \"1\", \"title\": \"Delaneau\"}, {\"id\": \"2\", \"title\": \"De Wit\"},"
        " {\"id\": \"3\", \"title\": \"de la Cruz\"}, {\"id\": \"4\", \"title\": \"Al-Khatib\"},"
        " {\"id\": \"5\", \"title\": \"Alexander\"}, {\"id\": \"6\", \"title\": \"Abraham\"},"
        " {\"id\": \"7\", \"title\": \"\u00c5berg\"}, {\"id\": \"8\", \"title\": \"Owen\"},"
        " {\"id\": \"9\", \"title\": \"\u00d8deg\u00e5rd\"},"
        " {\"id\": \"10\", \"title\": \"Part 10\"},"
        " {\"id\": \"11\", \"title\": \"Part 9\"}]");
    assert_string_equal(bib, "\xc3\x85"
                             "berg\nAbraham\nAlexander\nAl-Khatib\nde la Cruz\nDe Wit\n"
                             "Delaneau\n\xc3\x98"
                             "deg\xc3\xa5rd\nOwen\nPart 9\nPart 10\n");
    cite_free_string(bib);
    /* spaces around skipped punctuation count once: "Sato, … Umar" after "Sato, Tremblay" */
    bib = render_sorted("<sort><key variable=\"title\"/></sort>", "<text variable=\"title\"/>",
                        "[{\"id\": \"1\", \"title\": \"Sato, \u2026 Umar\"},"
                        " {\"id\": \"2\", \"title\": \"Sato, Tremblay\"}]");
    assert_string_equal(bib, "Sato, Tremblay\nSato, \xe2\x80\xa6 Umar\n");
    cite_free_string(bib);
    /* a date in a macro key sorts by the parts it renders: here the year, then the title */
    bib = render_sorted(
        "<sort><key macro=\"year\"/><key variable=\"title\"/></sort>", "<text variable=\"title\"/>",
        "[{\"id\": \"1\", \"title\": \"B\", \"issued\": {\"date-parts\": [[2020]]}},"
        " {\"id\": \"2\", \"title\": \"A\", \"issued\": {\"date-parts\": [[2020, 8]]}},"
        " {\"id\": \"3\", \"title\": \"C\", \"issued\": {\"date-parts\": [[2019, 9]]}}]");
    assert_string_equal(bib, "C\nA\nB\n");
    cite_free_string(bib);
}

/* subsequent-author-substitute (complete-all): an entry whose names repeat the previous
 * entry's prints the substitute instead, its label kept; another author breaks the run. */
static void subsequent_author_substitute_replaces_repeated_names(void **state)
{
    (void)state;
    static const char style[] =
        "<style " NS " class=\"in-text\" version=\"1.0\"><info><title>t</title></info>"
        "<citation><layout><text variable=\"title\"/></layout></citation>"
        "<bibliography subsequent-author-substitute=\"---\"><sort><key variable=\"title\"/>"
        "</sort><layout><group delimiter=\". \"><names variable=\"author editor\">"
        "<name name-as-sort-order=\"all\"/><label prefix=\" \" form=\"short\"/></names>"
        "<text variable=\"title\"/></group></layout></bibliography></style>";
    static const char items[] = "[{\"id\": \"a\", \"title\": \"A\", \"author\": [{\"family\": "
                                "\"Doe\", \"given\": \"Jo\"}]},"
                                " {\"id\": \"b\", \"title\": \"B\", \"editor\": [{\"family\": "
                                "\"Doe\", \"given\": \"Jo\"}]},"
                                " {\"id\": \"c\", \"title\": \"C\", \"author\": [{\"family\": "
                                "\"Roe\", \"given\": \"Al\"}]},"
                                " {\"id\": \"d\", \"title\": \"D\", \"author\": [{\"family\": "
                                "\"Doe\", \"given\": \"Jo\"}]}]";
    cite_style *s = load_style(style, NULL);
    cite_locale *l = NULL;
    cite_library *lib = NULL;
    cite_formatter *f = NULL;
    char *bib = NULL;
    assert_int_equal(cite_locale_load_memory(&l, LOCALE, strlen(LOCALE), "l.xml", NULL), 0);
    assert_int_equal(cite_csljson_read(&lib, items, strlen(items), "i.json", NULL), 0);
    assert_int_equal(cite_formatter_new(&f, s, &l, 1, NULL, lib), 0);
    assert_int_equal(cite_format_bibliography(&bib, f, CITE_OUTPUT_TEXT), 0);
    assert_string_equal(bib, "Doe, Jo. A\n--- ed. B\nRoe, Al. C\nDoe, Jo. D\n");
    cite_free_string(bib);
    cite_formatter_free(f);
    cite_library_free(lib);
    cite_locale_free(l);
    cite_style_free(s);
}

/* add-names adds one name at a time, and the names added show in the bibliography too (the
 * oracle's "Ekman, C., Gottsater, A., et al." in Cite Them Right). */
static void add_names_one_at_a_time(void **state)
{
    (void)state;
    static const char style[] =
        "<style " NS " class=\"in-text\" version=\"1.0\"><info><title>t</title></info>"
        "<citation et-al-min=\"3\" et-al-use-first=\"1\" disambiguate-add-names=\"true\">"
        "<layout><names variable=\"author\"><name form=\"short\" delimiter=\", \"/></names>"
        "</layout></citation><bibliography et-al-min=\"3\" et-al-use-first=\"1\"><layout>"
        "<names variable=\"author\"><name form=\"short\" delimiter=\", \"/></names>"
        "</layout></bibliography></style>";
    static const char items[] =
        "[{\"id\": \"a\", \"author\": [{\"family\": \"Ekman\"}, {\"family\": \"Site\"},"
        "  {\"family\": \"Lind\"}, {\"family\": \"Dahl\"}]},"
        " {\"id\": \"b\", \"author\": [{\"family\": \"Ekman\"}, {\"family\": \"Gott\"},"
        "  {\"family\": \"Lind\"}, {\"family\": \"Dahl\"}]}]";
    cite_style *s = load_style(style, NULL);
    cite_locale *l = NULL;
    cite_library *lib = NULL;
    cite_formatter *f = NULL;
    char *bib = NULL, *cite = NULL;
    assert_int_equal(cite_locale_load_memory(&l, LOCALE, strlen(LOCALE), "l.xml", NULL), 0);
    assert_int_equal(cite_csljson_read(&lib, items, strlen(items), "i.json", NULL), 0);
    assert_int_equal(cite_formatter_new(&f, s, &l, 1, NULL, lib), 0);
    assert_int_equal(cite_format_bibliography(&bib, f, CITE_OUTPUT_TEXT), 0);
    cite_cite_item one[] = { { .id = "a" } };
    assert_int_equal(cite_format_citation(&cite, f, one, 1, 0, CITE_OUTPUT_TEXT), 0);
    assert_string_equal(cite, "Ekman, Site, et al.");
    assert_string_equal(bib, "Ekman, Site, et al.\nEkman, Gott, et al.\n");
    cite_free_string(bib);
    cite_free_string(cite);
    cite_formatter_free(f);
    cite_library_free(lib);
    cite_locale_free(l);
    cite_style_free(s);
}

/* givenname-disambiguation-rule="primary-name-with-initials" is global, as in citeproc-js:
 * first names sharing a family with other initials show initials, even when the citations
 * differ anyway, and only the first name does (APA in the oracle). */
static void primary_name_initials_global(void **state)
{
    (void)state;
    static const char style[] =
        "<style " NS " class=\"in-text\" version=\"1.0\"><info><title>t</title></info>"
        "<citation disambiguate-add-givenname=\"true\""
        " givenname-disambiguation-rule=\"primary-name-with-initials\"><layout>"
        "<group delimiter=\", \"><names variable=\"author\"><name form=\"short\" and=\"symbol\""
        " initialize-with=\". \"/></names><date variable=\"issued\"><date-part name=\"year\"/>"
        "</date></group></layout></citation></style>";
    static const char items[] =
        "[{\"id\": \"a\", \"author\": [{\"family\": \"Evans\", \"given\": \"Gareth\"}],"
        "  \"issued\": {\"date-parts\": [[2009]]}},"
        " {\"id\": \"b\", \"author\": [{\"family\": \"Hall\", \"given\": \"D.\"},"
        "  {\"family\": \"Hedgecock\", \"given\": \"Emma\"}],"
        "  \"issued\": {\"date-parts\": [[1991]]}},"
        " {\"id\": \"c\", \"author\": [{\"family\": \"Hall\", \"given\": \"Mary\"}],"
        "  \"issued\": {\"date-parts\": [[1998]]}},"
        " {\"id\": \"d\", \"author\": [{\"family\": \"Evans\", \"given\": \"Lowri\"}],"
        "  \"issued\": {\"date-parts\": [[2019]]}},"
        " {\"id\": \"e\", \"author\": [{\"family\": \"Ross\", \"given\": \"Ann\"}],"
        "  \"issued\": {\"date-parts\": [[2001]]}},"
        " {\"id\": \"f\", \"author\": [{\"family\": \"Turner\", \"given\": \"Gail\"}],"
        "  \"issued\": {\"date-parts\": [[2016]]}},"
        " {\"id\": \"g\", \"author\": [{\"literal\": \"UNESCO\"}],"
        "  \"editor\": [{\"family\": \"Turner\", \"given\": \"Alice\"}],"
        "  \"issued\": {\"date-parts\": [[2015]]}}]";
    static const struct {
        const char *id, *out;
    } cases[] = {
        { "a", "G. Evans, 2009" },
        { "b", "D. Hall & Hedgecock, 1991" },
        { "c", "M. Hall, 1998" },
        { "d", "L. Evans, 2019" },
        { "e", "Ross, 2001" },
        { "f", "G. Turner, 2016" }, /* another item's editor is A. Turner */
        { "g", "UNESCO, 2015" },
    };
    cite_style *s = load_style(style, NULL);
    cite_locale *l = NULL;
    cite_library *lib = NULL;
    cite_formatter *f = NULL;
    assert_int_equal(cite_locale_load_memory(&l, LOCALE, strlen(LOCALE), "l.xml", NULL), 0);
    assert_int_equal(cite_csljson_read(&lib, items, strlen(items), "i.json", NULL), 0);
    assert_int_equal(cite_formatter_new(&f, s, &l, 1, NULL, lib), 0);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *cite = NULL;
        cite_cite_item one[] = { { .id = cases[i].id } };
        assert_int_equal(cite_format_citation(&cite, f, one, 1, 0, CITE_OUTPUT_TEXT), 0);
        assert_string_equal(cite, cases[i].out);
        cite_free_string(cite);
    }
    cite_formatter_free(f);
    cite_library_free(lib);
    cite_locale_free(l);
    cite_style_free(s);
}

/* A year-suffix is no part of a sort key (citeproc-js sorts before it assigns the letters):
 * two works told apart only by "a" and "b" keep the order they are cited in, as in the
 * oracle's Cite Them Right cluster "(Levine, 2025c, 2025a, 2025b)". */
static void year_suffix_not_in_sort_keys(void **state)
{
    (void)state;
    static const char style[] =
        "<style " NS " class=\"in-text\" version=\"1.0\"><info><title>t</title></info>"
        "<macro name=\"year\"><date variable=\"issued\"><date-part name=\"year\"/></date>"
        "<text variable=\"year-suffix\"/></macro>"
        "<citation disambiguate-add-year-suffix=\"true\" collapse=\"year\">"
        "<sort><key macro=\"year\"/></sort><layout delimiter=\"; \"><group delimiter=\", \">"
        "<names variable=\"author\"><name form=\"short\"/></names><text macro=\"year\"/>"
        "</group></layout></citation><bibliography><sort><key variable=\"title\"/></sort>"
        "<layout><text variable=\"title\"/></layout></bibliography></style>";
    static const char items[] =
        "[{\"id\": \"x\", \"title\": \"B\", \"author\": [{\"family\": \"Levine\"}],"
        "  \"issued\": {\"date-parts\": [[2025]]}},"
        " {\"id\": \"y\", \"title\": \"A\", \"author\": [{\"family\": \"Levine\"}],"
        "  \"issued\": {\"date-parts\": [[2025]]}}]";
    cite_style *s = load_style(style, NULL);
    cite_locale *l = NULL;
    cite_library *lib = NULL;
    cite_formatter *f = NULL;
    char *cite = NULL;
    assert_int_equal(cite_locale_load_memory(&l, LOCALE, strlen(LOCALE), "l.xml", NULL), 0);
    assert_int_equal(cite_csljson_read(&lib, items, strlen(items), "i.json", NULL), 0);
    assert_int_equal(cite_formatter_new(&f, s, &l, 1, NULL, lib), 0);
    cite_cite_item both[] = { { .id = "x" }, { .id = "y" } };
    assert_int_equal(cite_format_citation(&cite, f, both, 2, 0, CITE_OUTPUT_TEXT), 0);
    assert_string_equal(cite, "Levine, 2025b, 2025a");
    cite_free_string(cite);
    cite_formatter_free(f);
    cite_library_free(lib);
    cite_locale_free(l);
    cite_style_free(s);
}

/* punctuation-in-quote moves a comma into the quotes even after "?" (citeproc-js:
 * "(“Mali: Who Are the Jihadists?,” 2022)"); a period after "?" is dropped. */
static void punctuation_in_quote_keeps_comma_after_question_mark(void **state)
{
    (void)state;
    static const cite_out_quotes q = { .open = "\xe2\x80\x9c",
                                       .close = "\xe2\x80\x9d",
                                       .open_inner = "\xe2\x80\x98",
                                       .close_inner = "\xe2\x80\x99",
                                       .punctuation_in_quote = true };
    static const char comma[] = "\x10Who?\x11, 2022", period[] = "\x10Who?\x11.";
    cite_buf b = CITE_BUF_INIT;
    cite_out_render(&b, comma, strlen(comma), CITE_OUTPUT_TEXT, &q);
    assert_string_equal(b.ptr, "\xe2\x80\x9cWho?,\xe2\x80\x9d 2022");
    cite_buf_dispose(&b);
    cite_out_render(&b, period, strlen(period), CITE_OUTPUT_TEXT, &q);
    assert_string_equal(b.ptr, "\xe2\x80\x9cWho?\xe2\x80\x9d");
    cite_buf_dispose(&b);
}

/* "key: value" lines of a note are variables when the engine renders, as citeproc-js reads
 * Zotero's Extra field: a variable the record lacks takes the value ("Family || Given" for
 * a name), one it has is left, and the lines used leave the note. The reader keeps the note
 * as it is (no data changes on import). */
static void note_lines_are_variables(void **state)
{
    (void)state;
    static const char items[] =
        "[{\"id\": \"a\", \"type\": \"book\", \"title\": \"T\","
        " \"author\": [{\"family\": \"Wolf\"}],"
        " \"note\": \"reviewed-title: Deaf potential\\nreviewed-author: Hall || W.C.\\n"
        "title: Other\\nauthor: Roe || Jane\\nissued: 2004-10-01\\nkeep this\\nDOI: 10.1/x\"}]";
    cite_library *lib = NULL;
    assert_int_equal(cite_csljson_read(&lib, items, strlen(items), "i.json", NULL), 0);
    const cite_record *read = cite_library_get(lib, 0);
    assert_null(cite_record_get_text(read, "reviewed-title"));
    cite_record *rec = cite_record_copy(read);
    assert_non_null(rec);
    bool changed = false;
    assert_int_equal(cite_csljson_note_fields(rec, &changed), 0);
    assert_true(changed);
    assert_string_equal(cite_record_get_text(rec, "reviewed-title"), "Deaf potential");
    assert_string_equal(cite_record_get_text(rec, "title"), "T"); /* the record's own stays */
    cite_name_parts np;
    assert_true(cite_record_get_name(rec, "reviewed-author", 0, &np));
    assert_string_equal(np.family, "Hall");
    assert_string_equal(np.given, "W.C.");
    assert_true(cite_record_get_name(rec, "author", 0, &np));
    assert_string_equal(np.family, "Wolf");
    assert_false(cite_record_get_name(rec, "author", 1, &np));
    assert_non_null(cite_record_field(rec, "issued"));
    /* after "keep this" the lines are text again */
    assert_null(cite_record_get_text(rec, "DOI"));
    assert_string_equal(cite_record_get_text(rec, "note"),
                        "title: Other\nauthor: Roe || Jane\nkeep this\nDOI: 10.1/x");
    cite_record_free(rec);
    cite_library_free(lib);
}

/* The spaces inside French guillemets become narrow no-break ones (U+202F), as citeproc-js
 * sets them; guillemets written close, or a lone one, are left alone. */
static void guillemets_take_narrow_no_break_spaces(void **state)
{
    (void)state;
    static const struct {
        const char *in, *out;
    } cases[] = {
        { "His \xc2\xab Anonymous \xc2\xbb Life", "His \xc2\xab\xe2\x80\xaf"
                                                  "Anonymous\xe2\x80\xaf\xc2\xbb Life" },
        { "\xc2\xab"
          "close\xc2\xbb",
          "\xc2\xab"
          "close\xc2\xbb" },
        { "a \xc2\xbb", "a\xe2\x80\xaf\xc2\xbb" },
        { "\xc2\xab", "\xc2\xab" },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        cite_buf b = CITE_BUF_INIT;
        cite_out_put_text(&b, cases[i].in, strlen(cases[i].in));
        assert_non_null(b.ptr);
        assert_string_equal(b.ptr, cases[i].out);
        cite_buf_dispose(&b);
    }
}

/* Label words written into a locator or a number ("vol. 1, fol. 186", "7, p. 3-8") are
 * labels, as citeproc-js reads them: a locator without a label takes its leading word's type
 * (so <label> prints it once, singular for the one number before the next word); numbers
 * after a word are not the variable's (no ordinal), and the word is plural before a range. */
static void label_words_in_locators_and_numbers(void **state)
{
    (void)state;
    static const char style[] =
        "<style " NS " class=\"note\" version=\"1.0\"><info><title>t</title></info>"
        "<locale><terms><term name=\"folio\" form=\"short\">fol.</term></terms></locale>"
        "<citation><layout delimiter=\"; \"><group delimiter=\", \">"
        "<number variable=\"edition\" form=\"ordinal\"/>"
        "<group delimiter=\" \"><label variable=\"locator\" form=\"short\"/>"
        "<text variable=\"locator\"/></group></group></layout></citation></style>";
    static const char locale[] =
        "<locale " NS " version=\"1.0\" xml:lang=\"en-US\"><terms>"
        "<term name=\"ordinal\">th</term>"
        "<term name=\"page\" form=\"short\"><single>p.</single><multiple>pp.</multiple></term>"
        "<term name=\"volume\" form=\"short\"><single>vol.</single><multiple>vols.</multiple>"
        "</term></terms></locale>";
    static const char items[] = "[{\"id\": \"a\", \"type\": \"book\", \"edition\": \"7, p. 3-8\"},"
                                " {\"id\": \"b\", \"type\": \"book\"}]";
    cite_style *s = load_style(style, NULL);
    cite_locale *l = NULL;
    cite_library *lib = NULL;
    cite_formatter *f = NULL;
    assert_int_equal(cite_locale_load_memory(&l, locale, strlen(locale), "l.xml", NULL), 0);
    assert_int_equal(cite_csljson_read(&lib, items, strlen(items), "i.json", NULL), 0);
    assert_int_equal(cite_formatter_new(&f, s, &l, 1, NULL, lib), 0);
    cite_cite_item cites[] = { { .id = "a" },
                               { .id = "b", .locator = "vol. 1, fol. 186, 8 April 1544" },
                               { .id = "b", .locator = "vol. 1-2", .label = "page" } };
    char *out = NULL;
    assert_int_equal(cite_format_citation(&out, f, cites, 3, 0, CITE_OUTPUT_TEXT), 0);
    assert_string_equal(out, "7th, pp. 3–8; vol. 1, fol. 186, 8 April 1544; pp. vol. 1-2");
    cite_free_string(out);
    cite_formatter_free(f);
    cite_library_free(lib);
    cite_locale_free(l);
    cite_style_free(s);
}

/* first-reference-note-number is the note of an item's first cite, in the cites after it;
 * a note style tells cites apart in their subsequent (short) form: two works of one author
 * cited first in one note both show their titles there. */
static void first_reference_note_number_and_subsequent_form(void **state)
{
    (void)state;
    static const char style[] =
        "<style " NS " class=\"note\" version=\"1.0\"><info><title>t</title></info>"
        "<citation><layout delimiter=\"; \"><choose><if position=\"first\">"
        "<names variable=\"author\"/><text variable=\"title\" prefix=\", \"/></if>"
        "<else><names variable=\"author\"><name form=\"short\"/></names>"
        "<choose><if disambiguate=\"true\"><text variable=\"title\" prefix=\", \"/></if>"
        "</choose><text variable=\"first-reference-note-number\" prefix=\", n. \"/>"
        "</else></choose></layout></citation></style>";
    static const char items[] = "[{\"id\": \"a\", \"type\": \"book\", \"title\": \"One\","
                                "  \"author\": [{\"family\": \"Doe\", \"given\": \"John\"}]},"
                                " {\"id\": \"b\", \"type\": \"book\", \"title\": \"Two\","
                                "  \"author\": [{\"family\": \"Doe\", \"given\": \"John\"}]},"
                                " {\"id\": \"c\", \"type\": \"book\", \"title\": \"Three\","
                                "  \"author\": [{\"family\": \"Roe\", \"given\": \"Jane\"}]}]";
    cite_style *s = load_style(style, NULL);
    cite_locale *l = NULL;
    cite_library *lib = NULL;
    cite_formatter *f = NULL;
    assert_int_equal(cite_locale_load_memory(&l, LOCALE, strlen(LOCALE), "l.xml", NULL), 0);
    assert_int_equal(cite_csljson_read(&lib, items, strlen(items), "i.json", NULL), 0);
    assert_int_equal(cite_formatter_new(&f, s, &l, 1, NULL, lib), 0);
    cite_cite_item first[] = { { .id = "a" }, { .id = "b" } }, second[] = { { .id = "c" } };
    cite_cite_item later[] = { { .id = "c" }, { .id = "a" } };
    char *out = NULL;
    assert_int_equal(cite_format_citation(&out, f, first, 2, 1, CITE_OUTPUT_TEXT), 0);
    assert_string_equal(out, "John Doe, One; John Doe, Two");
    cite_free_string(out);
    assert_int_equal(cite_format_citation(&out, f, second, 1, 2, CITE_OUTPUT_TEXT), 0);
    cite_free_string(out);
    assert_int_equal(cite_format_citation(&out, f, later, 2, 3, CITE_OUTPUT_TEXT), 0);
    assert_string_equal(out, "Roe, n. 2; Doe, One, n. 1");
    cite_free_string(out);
    cite_formatter_free(f);
    cite_library_free(lib);
    cite_locale_free(l);
    cite_style_free(s);
}

/* A tab the style writes in an affix stays (GOST's "1.&#9;Ivanov"); a term whose text is only
 * the XML's line breaks and indentation is empty, and one of spaces it means stays. */
static void style_tabs_and_layout_only_terms(void **state)
{
    (void)state;
    static const char style[] =
        "<style " NS " class=\"in-text\" version=\"1.0\"><info><title>t</title></info>"
        "<locale><terms><term name=\"and others\">\n   </term><term name=\"bc\"> BC</term>"
        "</terms></locale><citation><layout><text value=\"x\"/></layout></citation>"
        "<bibliography><layout><text variable=\"citation-number\" suffix=\".&#9;\"/>"
        "<text variable=\"title\"/><text term=\"and others\" prefix=\"[\" suffix=\"]\"/>"
        "<date variable=\"issued\"><date-part name=\"year\"/></date></layout></bibliography>"
        "</style>";
    static const char items[] = "[{\"id\": \"a\", \"type\": \"book\", \"title\": \"T\","
                                " \"issued\": {\"date-parts\": [[-50]]}}]";
    cite_style *s = load_style(style, NULL);
    cite_locale *l = NULL;
    cite_library *lib = NULL;
    cite_formatter *f = NULL;
    char *out = NULL;
    assert_int_equal(cite_locale_load_memory(&l, LOCALE, strlen(LOCALE), "l.xml", NULL), 0);
    assert_int_equal(cite_csljson_read(&lib, items, strlen(items), "i.json", NULL), 0);
    assert_int_equal(cite_formatter_new(&f, s, &l, 1, NULL, lib), 0);
    assert_int_equal(cite_format_bibliography(&out, f, CITE_OUTPUT_TEXT), 0);
    assert_string_equal(out, "1.\tT50 BC\n");
    cite_free_string(out);
    cite_formatter_free(f);
    cite_library_free(lib);
    cite_locale_free(l);
    cite_style_free(s);
}

/* A position the caller gives wins over the formatter's count; in a note style a term that
 * opens the note is capitalized ("Ibid."), unless a prefix leads into it ("see ibid."). */
static void given_positions_and_leading_terms(void **state)
{
    (void)state;
    static const char style[] =
        "<style " NS " class=\"note\" version=\"1.0\"><info><title>t</title></info>"
        "<locale><terms><term name=\"ibid\">ibid.</term></terms></locale>"
        "<citation><layout delimiter=\"; \"><choose><if position=\"ibid\">"
        "<text term=\"ibid\"/></if><else><text variable=\"title\"/></else></choose>"
        "</layout></citation></style>";
    static const char items[] = "[{\"id\": \"a\", \"type\": \"book\", \"title\": \"T\"}]";
    cite_style *s = load_style(style, NULL);
    cite_locale *l = NULL;
    cite_library *lib = NULL;
    cite_formatter *f = NULL;
    assert_int_equal(cite_locale_load_memory(&l, LOCALE, strlen(LOCALE), "l.xml", NULL), 0);
    assert_int_equal(cite_csljson_read(&lib, items, strlen(items), "i.json", NULL), 0);
    assert_int_equal(cite_formatter_new(&f, s, &l, 1, NULL, lib), 0);
    static const struct {
        cite_position position;
        const char *prefix, *out;
    } cases[] = {
        { CITE_POSITION_AUTO, NULL, "T" },
        { CITE_POSITION_IBID, NULL, "Ibid." },
        { CITE_POSITION_IBID_WITH_LOCATOR, "Said before. ", "Said before. Ibid." },
        { CITE_POSITION_IBID, "see ", "see ibid." },
        { CITE_POSITION_FIRST, NULL, "T" },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        cite_cite_item it = { .id = "a", .position = cases[i].position, .prefix = cases[i].prefix };
        char *out = NULL;
        assert_int_equal(cite_format_citation(&out, f, &it, 1, 0, CITE_OUTPUT_TEXT), 0);
        assert_string_equal(out, cases[i].out);
        cite_free_string(out);
    }
    /* positions the formatter counts: a repeat within a citation is ibid; the same locator
     * with another label is ibid-with-locator */
    cite_cite_item twice[] = { { .id = "a", .locator = "3" }, { .id = "a", .locator = "3" } };
    cite_cite_item book[] = { { .id = "a", .locator = "3", .label = "book" } };
    char *out = NULL;
    assert_int_equal(cite_format_citation(&out, f, twice, 2, 1, CITE_OUTPUT_TEXT), 0);
    assert_string_equal(out, "T; ibid.");
    cite_free_string(out);
    assert_int_equal(cite_format_citation(&out, f, twice, 1, 2, CITE_OUTPUT_TEXT), 0);
    assert_string_equal(out, "T"); /* the citation before had two cites: no ibid */
    cite_free_string(out);
    assert_int_equal(cite_format_citation(&out, f, book, 1, 3, CITE_OUTPUT_TEXT), 0);
    assert_string_equal(out, "Ibid.");
    cite_free_string(out);
    cite_formatter_free(f);
    cite_library_free(lib);
    cite_locale_free(l);
    cite_style_free(s);
}

/* Cases from the citeproc-js oracle (../shared/csl/oracle/dev) reduced to a few elements. */
static void renders_like_citeproc_js(void **state)
{
    (void)state;
    static const struct {
        const char *layout, *items, *out;
    } cases[] = {
        /* apa.csl's "number" macro: the group's delimiter also joins a choose's branch */
        { "<group delimiter=\" \"><text variable=\"genre\"/><choose><if is-numeric=\"number\">"
          "<text term=\"and\"/><text variable=\"number\"/></if></choose></group>",
          "[{\"id\": \"r\", \"type\": \"report\", \"genre\": \"Working paper\","
          " \"number\": \"25684\"}]",
          "Working paper and 25684\n" },
        /* a numeric issue prints its range with an en dash, its digits as they are */
        { "<group delimiter=\" \"><text variable=\"issue\"/><text variable=\"volume\"/></group>",
          "[{\"id\": \"i\", \"issue\": \"1-2\", \"volume\": \"01\"}]",
          "1\xe2\x80\x93"
          "2 01\n" },
        /* title case: an item in another language keeps its title, a term still changes */
        { "<group delimiter=\" \"><text term=\"and\" text-case=\"title\"/>"
          "<text variable=\"title\" text-case=\"title\"/></group>",
          "[{\"id\": \"f\", \"title\": \"les livres\", \"language\": \"fr\"}]",
          "And les livres\n" },
        /* an empty year-suffix does not suppress its group (apa.csl's "(n.d.)") */
        { "<group prefix=\"(\" suffix=\")\"><text term=\"and\"/>"
          "<text variable=\"year-suffix\" prefix=\"-\"/></group>",
          "[{\"id\": \"u\", \"title\": \"Undated\"}]", "(and)\n" },
        /* "'t" is a particle of the family name, printed with a typographic apostrophe and
         * demoted in name-as-sort-order */
        { "<names variable=\"author\"><name name-as-sort-order=\"all\"/></names>",
          "[{\"id\": \"t\", \"author\": [{\"family\": \"'t Hooft\", \"given\": \"Gerard\"}]}]",
          "Hooft, Gerard \xe2\x80\x99t\n" },
        /* a lowercase part after a hyphen is dropped from the initials */
        { "<names variable=\"author\"><name initialize-with=\". \"/></names>",
          "[{\"id\": \"p\", \"author\": [{\"family\": \"Park\", \"given\": \"Seo-yeon\"},"
          " {\"family\": \"Roy\", \"given\": \"Jean-Pierre\"}]}]",
          "S. Park, J.-P. Roy\n" },
        /* page ranges: same letter prefix or none; else the value as it is */
        { "<text variable=\"page\"/>", "[{\"id\": \"p\", \"page\": \"E267-E274\"}]",
          "E267\xe2\x80\x93"
          "E274\n" },
        { "<text variable=\"page\"/>", "[{\"id\": \"p\", \"page\": \"E3007-3016\"}]",
          "E3007-3016\n" },
        { "<text variable=\"page\"/>", "[{\"id\": \"p\", \"page\": \"4329-4347.\"}]",
          "4329-4347.\n" },
        { "<text variable=\"page\"/>", "[{\"id\": \"p\", \"page\": \"5-7, fig. 3\"}]",
          "5\xe2\x80\x93"
          "7, fig. 3\n" },
        { "<text variable=\"page\"/>", "[{\"id\": \"p\", \"page\": \"12-15, 17\"}]",
          "12\xe2\x80\x93"
          "15, 17\n" },
        /* any prefix, if both sides share it; else a plain hyphen without spaces; roman
         * numerals take the delimiter; "\\-" is an escaped hyphen (csl-suite page_*) */
        { "<text variable=\"page\"/>", "[{\"id\": \"p\", \"page\": \"8n11564-8n1568\"}]",
          "8n11564\xe2\x80\x93"
          "8n1568\n" },
        { "<text variable=\"page\"/>", "[{\"id\": \"p\", \"page\": \"N110 - 5, 123N110 - N5\"}]",
          "N110-5, 123N110-N5\n" },
        { "<text variable=\"page\"/>", "[{\"id\": \"p\", \"page\": \"xxv-xxviii\"}]",
          "xxv\xe2\x80\x93"
          "xxviii\n" },
        { "<text variable=\"page\"/>", "[{\"id\": \"p\", \"page\": \"327\\\\-30\"}]", "327-30\n" },
        /* a given name the data abbreviated stays whole (csl-suite name_Initials*) */
        { "<names variable=\"author\"><name initialize-with=\". \"/></names>",
          "[{\"id\": \"a\", \"author\": [{\"family\": \"Immel\", \"given\": \"Ph. M.E.\"},"
          " {\"family\": \"Grant\", \"given\": \"Me.\"}]}]",
          "Ph. M. E. Immel, Me. Grant\n" },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *bib = render_layout(cases[i].layout, cases[i].items);
        assert_string_equal(bib, cases[i].out);
        cite_free_string(bib);
    }
}

static void out_of_memory_everywhere(void **state)
{
    (void)state;
    int ok = 0;
    for (long budget = 0; budget < 20000 && !ok; budget++) {
        char *bib = NULL, *cite = NULL;
        failalloc_start(budget);
        int rc = render_all(&bib, &cite, CITE_OUTPUT_HTML);
        failalloc_stop();
        if (rc == 0) {
            ok = 1;
            assert_non_null(bib);
            assert_non_null(cite);
        } else {
            assert_int_equal(rc, CITE_ENOMEM);
        }
        cite_free_string(bib);
        cite_free_string(cite);
    }
    assert_true(ok);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(style_loads_into_tree),
        cmocka_unit_test(malformed_style_reports_line_and_column),
        cmocka_unit_test(doctype_and_external_entities_refused),
        cmocka_unit_test(missing_and_recursive_macros_are_errors),
        cmocka_unit_test(unknown_elements_and_values_are_warnings),
        cmocka_unit_test(terms_fall_back_by_form_and_locale),
        cmocka_unit_test(text_cases),
        cmocka_unit_test(renders_bibliography_and_citation),
        cmocka_unit_test(renders_like_citeproc_js),
        cmocka_unit_test(sorts_like_citeproc_js),
        cmocka_unit_test(add_names_one_at_a_time),
        cmocka_unit_test(subsequent_author_substitute_replaces_repeated_names),
        cmocka_unit_test(primary_name_initials_global),
        cmocka_unit_test(year_suffix_not_in_sort_keys),
        cmocka_unit_test(punctuation_in_quote_keeps_comma_after_question_mark),
        cmocka_unit_test(guillemets_take_narrow_no_break_spaces),
        cmocka_unit_test(note_lines_are_variables),
        cmocka_unit_test(label_words_in_locators_and_numbers),
        cmocka_unit_test(style_tabs_and_layout_only_terms),
        cmocka_unit_test(given_positions_and_leading_terms),
        cmocka_unit_test(first_reference_note_number_and_subsequent_form),
        cmocka_unit_test(out_of_memory_everywhere),
    };
    return cmocka_run_group_tests_name("csl", tests, NULL, NULL);
}
