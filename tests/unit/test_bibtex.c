/* test_bibtex.c: the BibTeX reader and writer through their public and internal API. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "bibtex.h"
#include "buf.h"
#include "failalloc.h"
#include "record.h"

typedef struct parsed {
    cite_library *lib;
    cite_diag *diag;
    int rc;
} parsed;

static parsed parse(const char *src)
{
    parsed p = { .diag = cite_diag_new() };
    p.rc = cite_bibtex_read(&p.lib, src, strlen(src), "t.bib", p.diag);
    return p;
}

static void parsed_free(parsed *p)
{
    cite_library_free(p->lib);
    cite_diag_free(p->diag);
}

static const cite_record *rec_at(const parsed *p, size_t i)
{
    assert_true(i < cite_library_count(p->lib));
    return cite_library_get(p->lib, i);
}

static void assert_text(const cite_record *rec, const char *var, const char *expected)
{
    const char *got = cite_record_get_text(rec, var);
    if (!expected) {
        assert_null(got);
        return;
    }
    assert_non_null(got);
    assert_string_equal(got, expected);
}

static void assert_date(const cite_record *rec, const char *var, const char *expected)
{
    const cite_field *f = cite_record_field(rec, var);
    assert_non_null(f);
    assert_int_equal(f->kind, CITE_VAR_DATE);
    cite_buf b = CITE_BUF_INIT;
    cite_date_format(&b, &f->date);
    assert_string_equal(b.ptr, expected);
    cite_buf_dispose(&b);
}

/* The diagnostic i as "line:col: severity: message". */
static void assert_diag(const parsed *p, size_t i, const char *expected)
{
    const cite_diag_item *it = cite_diag_get(p->diag, i);
    assert_non_null(it);
    char got[600];
    snprintf(got, sizeof(got), "%u:%u: %s: %s", it->line, it->col,
             it->severity == CITE_SEV_ERROR ? "error" : "warning", it->message);
    assert_string_equal(got, expected);
}

static void macros_concatenation_and_months_expand(void **state)
{
    (void)state;
    parsed p = parse("@string{ j = \"Jour\" }\n@STRING(pub = {ACM})\n"
                     "@article{k, journal = j # \" Nal\" # {!}, publisher = PUB,\n"
                     "  month = mar, year = 2020, volume = 12}\n");
    assert_int_equal(p.rc, 0);
    assert_int_equal(cite_library_count(p.lib), 1);
    const cite_record *r = rec_at(&p, 0);
    assert_string_equal(cite_record_get_type(r), "article-journal");
    assert_text(r, "container-title", "Jour Nal!");
    assert_text(r, "publisher", "ACM");
    assert_text(r, "volume", "12");
    assert_date(r, "issued", "2020-03");
    assert_null(cite_record_field(r, "month"));
    parsed_free(&p);
}

static void braces_quotes_and_parentheses_delimit_values(void **state)
{
    (void)state;
    parsed p = parse("@book(k1, title = {A {B {C}} D}, note = \"x {\"} y\", edition = \"2\")\n"
                     "@misc{k2,title={T},}\n");
    assert_int_equal(p.rc, 0);
    assert_int_equal(cite_library_count(p.lib), 2);
    assert_string_equal(cite_record_get_type(rec_at(&p, 0)), "book");
    assert_text(rec_at(&p, 0), "edition", "2");
    assert_text(rec_at(&p, 1), "title", "T");
    assert_string_equal(cite_record_get_type(rec_at(&p, 1)), "document");
    parsed_free(&p);
}

static void types_map_to_csl_and_keep_the_original(void **state)
{
    (void)state;
    static const struct {
        const char *bibtype, *csl, *kept;
    } cases[] = {
        { "article", "article-journal", NULL },
        { "book", "book", NULL },
        { "incollection", "chapter", NULL },
        { "inbook", "chapter", "inbook" },
        { "inproceedings", "paper-conference", NULL },
        { "conference", "paper-conference", "conference" },
        { "techreport", "report", NULL },
        { "report", "report", "report" },
        { "phdthesis", "thesis", NULL },
        { "mastersthesis", "thesis", "mastersthesis" },
        { "online", "webpage", NULL },
        { "misc", "document", NULL },
        { "mvbook", "book", "mvbook" },
        { "unpublished", "manuscript", NULL },
        { "whatever", "document", "whatever" },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char src[128];
        snprintf(src, sizeof(src), "@%s{k, title = {T}}", cases[i].bibtype);
        parsed p = parse(src);
        const cite_record *r = rec_at(&p, 0);
        assert_string_equal(r->type, cases[i].csl);
        if (cases[i].kept)
            assert_string_equal(r->bibtype, cases[i].kept);
        else
            assert_null(r->bibtype);
        parsed_free(&p);
    }
}

static void names_follow_the_bibtex_grammar(void **state)
{
    (void)state;
    parsed p = parse("@book{k, author = {de la Fontaine, Jean and {World Health Organization}"
                     " and Ludwig van Beethoven and others}, editor = {M{\\\"u}ller, J.}}");
    const cite_field *a = cite_record_field(rec_at(&p, 0), "author");
    assert_non_null(a);
    assert_int_equal(a->nnames, 4);
    assert_string_equal(a->names[0].family, "Fontaine");
    assert_string_equal(a->names[0].non_dropping_particle, "de la");
    assert_string_equal(a->names[0].given, "Jean");
    assert_string_equal(a->names[1].literal, "World Health Organization");
    assert_string_equal(a->names[2].family, "Beethoven");
    assert_string_equal(a->names[2].non_dropping_particle, "van");
    assert_true(a->names[3].others);
    const cite_field *e = cite_record_field(rec_at(&p, 0), "editor");
    assert_string_equal(e->names[0].family, "M\xC3\xBCller");
    parsed_free(&p);
}

static void unknown_fields_are_kept_under_their_names(void **state)
{
    (void)state;
    parsed p = parse("@article{k, number = {3}, issue = {Spring}, subtitle = {Sub},"
                     " file = {:a_b.pdf:PDF}, journal = {J}, journaltitle = {JT},"
                     " url = {http://x.org/a_b%20c}, doi = {https://doi.org/10.1/X}}");
    const cite_record *r = rec_at(&p, 0);
    assert_text(r, "issue", "3");
    assert_text(r, "bibtex:issue", "Spring");
    assert_text(r, "subtitle", "Sub");
    assert_text(r, "file", ":a_b.pdf:PDF");
    assert_text(r, "container-title", "J");
    assert_text(r, "journaltitle", "JT");
    assert_text(r, "URL", "http://x.org/a_b%20c");
    assert_text(r, "DOI", "10.1/X");
    parsed_free(&p);
}

static void years_become_dates(void **state)
{
    (void)state;
    static const struct {
        const char *fields, *expected;
    } cases[] = {
        { "year = 2020", "2020" },
        { "year = {2021a}", "2021a" },
        { "year = {1999--2001}", "1999/2001" },
        { "year = {ca. 1850}", "1850~" },
        { "year = {in press}", "in press" },
        { "year = 2020, month = {March}, day = 4", "2020-03-04" },
        { "year = 2020, month = 11", "2020-11" },
        { "date = {2020-03-04/2020-05}", "2020-03-04/2020-05" },
        { "date = {2020-21}", "2020-21" },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char src[160];
        snprintf(src, sizeof(src), "@misc{k, %s}", cases[i].fields);
        parsed p = parse(src);
        assert_int_equal(p.rc, 0);
        assert_date(rec_at(&p, 0), "issued", cases[i].expected);
        parsed_free(&p);
    }
    parsed p = parse("@misc{k, year = 2020, month = {Spring term}}");
    assert_date(rec_at(&p, 0), "issued", "2020");
    assert_text(rec_at(&p, 0), "month", "Spring term");
    parsed_free(&p);
}

static void crossref_inherits_from_the_parent(void **state)
{
    (void)state;
    parsed p = parse("@incollection{child, author = {A, B}, crossref = {Parent}, pages = {1--2}}\n"
                     "@book{parent, title = {The Book}, editor = {E, F}, publisher = {P},"
                     " year = 2001}\n"
                     "@incollection{orphan, crossref = {nowhere}}\n");
    const cite_record *r = rec_at(&p, 0);
    assert_text(r, "container-title", "The Book");
    assert_text(r, "title", NULL);
    assert_text(r, "publisher", "P");
    assert_date(r, "issued", "2001");
    assert_int_equal(cite_record_field(r, "editor")->nnames, 1);
    assert_text(r, "page",
                "1\xE2\x80\x93"
                "2");
    assert_int_equal(cite_diag_count(p.diag), 1);
    assert_diag(&p, 0,
                "3:0: warning: entry 'orphan' has crossref 'nowhere', which is not in "
                "the file");
    parsed_free(&p);
}

static void a_bad_entry_costs_only_that_entry(void **state)
{
    (void)state;
    parsed p = parse("@article{good1, title = {One}}\n"
                     "@article{bad1, title {Two}}\n"
                     "@article{good2, title = {Three}}\n"
                     "@article{bad2, title = {Four, year = 2020}\n"
                     "@article{good3, title = {Five}}\n"
                     "@article{bad3, title = \"Six}\n"
                     "@book{good4, title = {Seven}}\n"
                     "@article{bad4, title = {x} year = 1}\n");
    assert_int_equal(p.rc, CITE_EPARSE);
    assert_int_equal(cite_library_count(p.lib), 4);
    assert_string_equal(rec_at(&p, 0)->id, "good1");
    assert_string_equal(rec_at(&p, 1)->id, "good2");
    assert_string_equal(rec_at(&p, 2)->id, "good3");
    assert_string_equal(rec_at(&p, 3)->id, "good4");
    assert_int_equal(cite_diag_count(p.diag), 4);
    assert_diag(&p, 0, "2:22: error: expected '=' after field name 'title'");
    assert_diag(&p, 1, "4:43: error: entry is not closed: missing '}'");
    assert_diag(&p, 2, "6:28: error: unbalanced '}' in quoted value");
    assert_diag(&p, 3, "8:28: error: expected ',' or '}' after the value of field 'title'");
    assert_non_null(cite_diag_get(p.diag, 0)->excerpt);
    assert_string_equal(cite_diag_get(p.diag, 0)->excerpt, "@article{bad1, title {Two}}");
    parsed_free(&p);
}

static void keys_missing_or_repeated_are_made_unique(void **state)
{
    (void)state;
    parsed p = parse("@book{x, author = {M{\\\"u}ller, J.}, year = 2020}\n"
                     "@book{x, title = {Dup}}\n"
                     "@book{author = {M{\\\"u}ller, K.}, year = 2020}\n");
    assert_int_equal(p.rc, 0);
    assert_int_equal(cite_library_count(p.lib), 3);
    assert_string_equal(rec_at(&p, 1)->id, "xa");
    assert_string_equal(rec_at(&p, 2)->id, "muller2020");
    assert_diag(&p, 0, "2:1: warning: duplicate key 'x'; this entry is kept as 'xa'");
    assert_diag(&p, 1, "3:1: warning: entry has no key; using 'muller2020'");
    parsed_free(&p);
}

static void latin1_files_are_read_as_windows_1252(void **state)
{
    (void)state;
    parsed p = parse("@book{k, title = {Caf\xE9 \x93quoted\x94}}");
    assert_int_equal(p.rc, 0);
    assert_text(rec_at(&p, 0), "title", "Caf\xC3\xA9 \xE2\x80\x9Cquoted\xE2\x80\x9D");
    assert_int_equal(cite_diag_count_severity(p.diag, CITE_SEV_WARNING), 1);
    parsed_free(&p);
}

/* A byte order mark (bibutils writes one) is no text: the first entry is read. */
static void a_byte_order_mark_hides_no_entry(void **state)
{
    (void)state;
    parsed p = parse("\xEF\xBB\xBF@Book{a, title={T}}\n@Book{b, title={U}}\n");
    assert_int_equal(p.rc, 0);
    assert_int_equal(cite_library_count(p.lib), 2);
    assert_string_equal(cite_record_get_id(rec_at(&p, 0)), "a");
    assert_int_equal(cite_diag_count(p.diag), 0);
    parsed_free(&p);
}

static void comments_and_preambles_are_kept(void **state)
{
    (void)state;
    parsed p = parse("junk before @ sign\n@preamble{\"\\newcommand{\\x}{y}\" # \" z\"}\n"
                     "@comment{jabref-meta: databaseType:biblatex;}\n@misc{k, note = {n}}\n");
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.lib->nextras, 2);
    assert_string_equal(p.lib->extras[0].text, "\\newcommand{\\x}{y} z");
    assert_string_equal(p.lib->extras[1].text, "jabref-meta: databaseType:biblatex;");
    parsed_free(&p);
}

static char *write_lib(const cite_library *lib, cite_bibtex_dialect dialect)
{
    char *out;
    assert_int_equal(cite_bibtex_write(&out, lib, dialect), 0);
    return out;
}

/* read -> write -> read -> write gives the same text as the first write. */
static void assert_writer_fixed_point(const char *src, cite_bibtex_dialect dialect)
{
    parsed p = parse(src);
    char *first = write_lib(p.lib, dialect);
    parsed q = parse(first);
    assert_int_equal(q.rc, 0);
    char *second = write_lib(q.lib, dialect);
    assert_string_equal(first, second);
    cite_free_string(first);
    cite_free_string(second);
    parsed_free(&p);
    parsed_free(&q);
}

static const char sample[] =
    "@string{sct = {Studies in Conflict {\\&} Terrorism}}\n"
    "@preamble{{\\providecommand{\\noopsort}[1]{}}}\n"
    "@article{boeke2019, author = {Boeke, S. and de Valk, G.}, title = {The {Mali} Crisis"
    " of {DNA}: 50\\% \\& \\$5 \\#1 a\\_b \\{c\\} \\~{} x^y}, journal = sct, year = 2019,"
    " month = oct, number = 10, pages = {835--854}, issue = {Spring},"
    " doi = {10.1080/1057610X.2019.1592356}}\n"
    "@book{mueller, editor = {M{\\\"u}ller, J{\\\"u}rgen and {\\'O} S{\\'u}illeabh{\\'a}in, "
    "Aoife}, title = {Globalisation}, year = {ca. 1850}, location = {Cham}, isbn = {978}}\n"
    "@incollection{levine2025, author = {Levine, J.}, crossref = {mueller}, pages = {47--65},"
    " file = {:x.pdf:PDF}, custom-field = {kept}}\n"
    "@online{web, title = {A {\\em Web} Page}, url = {https://example.org/a_b?c=%20},"
    " urldate = {2025-10-30}, date = {2020/2021}}\n"
    "@comment{jabref-meta: x;}\n";

static void writer_output_reads_back_to_itself(void **state)
{
    (void)state;
    assert_writer_fixed_point(sample, CITE_BIBTEX);
    assert_writer_fixed_point(sample, CITE_BIBLATEX);
}

static void writer_escapes_and_maps_fields(void **state)
{
    (void)state;
    parsed p = parse(sample);
    char *bibtex = write_lib(p.lib, CITE_BIBTEX);
    char *biblatex = write_lib(p.lib, CITE_BIBLATEX);
    assert_non_null(strstr(bibtex, "@article{boeke2019,\n  author = {Boeke, S. and de Valk, G.}"));
    assert_non_null(strstr(bibtex, "journal = {Studies in Conflict \\& Terrorism}"));
    assert_non_null(strstr(biblatex, "journaltitle = {Studies in Conflict \\& Terrorism}"));
    assert_non_null(strstr(bibtex, "{DNA:}"));
    assert_non_null(
        strstr(bibtex, "50\\% \\& \\$5 \\#1 a\\_b \\textbraceleft{}c\\textbraceright{}"));
    assert_non_null(strstr(bibtex, "year = {2019},\n  month = oct"));
    assert_non_null(strstr(biblatex, "date = {2019-10}"));
    assert_non_null(strstr(bibtex, "number = {10}"));
    assert_non_null(strstr(bibtex, "issue = {Spring}"));
    assert_non_null(strstr(bibtex, "pages = {835--854}"));
    assert_non_null(strstr(bibtex, "M{\\\"u}ller, J{\\\"u}rgen"));
    assert_non_null(strstr(biblatex, "Müller, Jürgen"));
    assert_non_null(strstr(bibtex, "address = {Cham}"));
    assert_non_null(strstr(biblatex, "location = {Cham}"));
    assert_non_null(strstr(bibtex, "booktitle = {Globalisation}"));
    assert_non_null(strstr(bibtex, "custom-field = {kept}"));
    assert_non_null(strstr(bibtex, "file = {:x.pdf:PDF}"));
    assert_non_null(strstr(bibtex, "url = {https://example.org/a_b?c=%20}"));
    assert_non_null(strstr(bibtex, "@preamble{{\\providecommand{\\noopsort}[1]{}}}"));
    assert_non_null(strstr(bibtex, "@comment{jabref-meta: x;}"));
    assert_non_null(strstr(bibtex, "year = {ca. 1850}"));
    assert_non_null(strstr(biblatex, "date = {1850~}"));
    cite_free_string(bibtex);
    cite_free_string(biblatex);
    parsed_free(&p);
}

/* BibTeX -> XML library -> BibTeX loses nothing the direct conversion keeps. */
static void xml_library_carries_everything_bibtex_needs(void **state)
{
    (void)state;
    parsed p = parse(sample);
    char *xml, *direct = write_lib(p.lib, CITE_BIBTEX);
    assert_int_equal(cite_xmlstore_write(&xml, p.lib), 0);
    cite_library *back;
    assert_int_equal(cite_xmlstore_load_memory(&back, xml, strlen(xml), "t.xml", p.diag), 0);
    char *via_xml = write_lib(back, CITE_BIBTEX);
    assert_string_equal(direct, via_xml);
    assert_non_null(strstr(xml, "<preamble>\\providecommand{\\noopsort}[1]{}</preamble>"));
    assert_non_null(strstr(xml, "<comment>jabref-meta: x;</comment>"));
    cite_free_string(xml);
    cite_free_string(direct);
    cite_free_string(via_xml);
    cite_library_free(back);
    parsed_free(&p);
}

/* A URL with a lone brace (from a parsed reference, say) must not unbalance the output. */
static void writer_never_unbalances_a_field(void **state)
{
    (void)state;
    cite_library *lib = cite_library_new();
    cite_record *rec = cite_record_new("u", "webpage");
    assert_int_equal(cite_record_set_text(rec, "URL", "https://example.org/a{b"), 0);
    assert_int_equal(cite_record_set_text(rec, "title", "x } y {"), 0);
    assert_int_equal(cite_library_add(lib, rec), 0);
    char *out = write_lib(lib, CITE_BIBTEX);
    parsed p = parse(out);
    assert_int_equal(p.rc, 0);
    assert_int_equal(cite_diag_count(p.diag), 0);
    assert_text(rec_at(&p, 0), "title", "x } y {");
    parsed_free(&p);
    cite_free_string(out);
    cite_library_free(lib);
}

static void writer_makes_keys_for_records_without_one(void **state)
{
    (void)state;
    cite_library *lib = cite_library_new();
    const char *ids[] = { "", "has space", "smith2020" };
    for (size_t i = 0; i < 3; i++) {
        cite_record *rec = cite_record_new(ids[i], "book");
        cite_name n = { .family = "Sm\xC3\xAFth" };
        cite_record_add_name(rec, "author", &n);
        cite_date d;
        cite_date_parse(&d, "2020", 4);
        cite_record_set_date(rec, "issued", &d);
        cite_date_dispose(&d);
        assert_int_equal(cite_library_add(lib, rec), 0);
    }
    char *out = write_lib(lib, CITE_BIBTEX);
    assert_non_null(strstr(out, "@book{smith2020a,"));
    assert_non_null(strstr(out, "@book{smith2020b,"));
    assert_non_null(strstr(out, "@book{smith2020,"));
    cite_free_string(out);
    cite_library_free(lib);
}

static void reader_survives_every_allocation_failure(void **state)
{
    (void)state;
    for (long budget = 0;; budget++) {
        cite_library *lib = NULL;
        failalloc_start(budget);
        int rc = cite_bibtex_read(&lib, sample, strlen(sample), "t.bib", NULL);
        char *out = NULL;
        if (rc == 0)
            rc = cite_bibtex_write(&out, lib, CITE_BIBTEX);
        failalloc_stop();
        cite_free_string(out);
        cite_library_free(lib);
        if (rc == 0)
            break;
        assert_int_equal(rc, CITE_ENOMEM);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(macros_concatenation_and_months_expand),
        cmocka_unit_test(braces_quotes_and_parentheses_delimit_values),
        cmocka_unit_test(types_map_to_csl_and_keep_the_original),
        cmocka_unit_test(names_follow_the_bibtex_grammar),
        cmocka_unit_test(unknown_fields_are_kept_under_their_names),
        cmocka_unit_test(years_become_dates),
        cmocka_unit_test(crossref_inherits_from_the_parent),
        cmocka_unit_test(a_bad_entry_costs_only_that_entry),
        cmocka_unit_test(keys_missing_or_repeated_are_made_unique),
        cmocka_unit_test(latin1_files_are_read_as_windows_1252),
        cmocka_unit_test(a_byte_order_mark_hides_no_entry),
        cmocka_unit_test(comments_and_preambles_are_kept),
        cmocka_unit_test(writer_output_reads_back_to_itself),
        cmocka_unit_test(writer_escapes_and_maps_fields),
        cmocka_unit_test(xml_library_carries_everything_bibtex_needs),
        cmocka_unit_test(writer_never_unbalances_a_field),
        cmocka_unit_test(writer_makes_keys_for_records_without_one),
        cmocka_unit_test(reader_survives_every_allocation_failure),
    };
    return cmocka_run_group_tests_name("bibtex", tests, NULL, NULL);
}
