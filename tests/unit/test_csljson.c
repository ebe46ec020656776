/* test_csljson.c: the CSL-JSON reader and writer through their public and internal API. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "csljson.h"
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
    p.rc = cite_csljson_read(&p.lib, src, strlen(src), "t.json", p.diag);
    return p;
}

static void parsed_free(parsed *p)
{
    cite_library_free(p->lib);
    cite_diag_free(p->diag);
}

static const cite_record *rec_at(const parsed *p, size_t i)
{
    assert_non_null(p->lib);
    assert_true(i < cite_library_count(p->lib));
    return cite_library_get(p->lib, i);
}

static void assert_text(const cite_record *rec, const char *var, const char *expected)
{
    const char *got = cite_record_get_text(rec, var);
    assert_non_null(got);
    assert_string_equal(got, expected);
}

/* The field's date as the store writes it. */
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

static char *write_json(const cite_library *lib)
{
    char *out = NULL;
    assert_int_equal(cite_csljson_write(&out, lib), 0);
    assert_non_null(out);
    return out;
}

static void names_keep_every_part_and_flag(void **state)
{
    (void)state;
    parsed p = parse("[{\"id\": \"n\", \"type\": \"book\", \"author\": ["
                     "{\"family\": \"Doe\", \"given\": \"J.\", \"suffix\": \"Jr\", "
                     "\"comma-suffix\": true},"
                     "{\"family\": \"Beethoven\", \"given\": \"Ludwig\", "
                     "\"non-dropping-particle\": \"van\", \"parse-names\": false},"
                     "{\"family\": \"La Fontaine\", \"given\": \"Jean\", "
                     "\"dropping-particle\": \"de\", \"static-ordering\": 1},"
                     "{\"family\": \"Doe Inc.\", \"isInstitution\": \"true\"},"
                     "{\"literal\": \"World Health Organization\"},"
                     "{\"literal\": \"others\"}]}]");
    assert_int_equal(p.rc, 0);
    const cite_field *f = cite_record_field(rec_at(&p, 0), "author");
    assert_non_null(f);
    assert_int_equal(f->kind, CITE_VAR_NAMES);
    assert_int_equal(f->nnames, 6);
    assert_string_equal(f->names[0].suffix, "Jr");
    assert_true(f->names[0].comma_suffix);
    assert_string_equal(f->names[1].non_dropping_particle, "van");
    assert_int_equal(f->names[1].parse_names, -1);
    assert_string_equal(f->names[2].dropping_particle, "de");
    assert_true(f->names[2].static_ordering);
    assert_true(f->names[3].institution);
    assert_string_equal(f->names[4].literal, "World Health Organization");
    assert_true(f->names[5].others);
    assert_null(f->names[5].literal);
    char *out = write_json(p.lib);
    assert_non_null(strstr(out,
                           "      {\"family\": \"Doe\", \"given\": \"J.\", \"suffix\": \"Jr\", "
                           "\"comma-suffix\": true},\n"));
    assert_non_null(strstr(out, "\"non-dropping-particle\": \"van\", \"parse-names\": false}"));
    assert_non_null(strstr(out, "{\"family\": \"Doe Inc.\", \"isInstitution\": true}"));
    assert_non_null(strstr(out, "      {\"literal\": \"others\"}\n    ]"));
    cite_free_string(out);
    parsed_free(&p);
}

static void dates_read_every_form(void **state)
{
    (void)state;
    parsed p = parse("[{\"id\": \"d\", \"type\": \"book\",\n"
                     " \"issued\": {\"date-parts\": [[\"2004\", 3, \"15\"]], \"circa\": 1},\n"
                     " \"accessed\": {\"date-parts\": [[1999, 21], [2001, 22]]},\n"
                     " \"original-date\": {\"literal\": \"n.d.\"},\n"
                     " \"submitted\": {\"raw\": \"2020-05~\"},\n"
                     " \"event-date\": {\"date-parts\": [[1987], [0]]},\n"
                     " \"available-date\": {\"date-parts\": [[2000]], \"season\": \"Fall\"}},\n"
                     "{\"id\": \"e\", \"type\": \"book\", \"issued\": 2021,\n"
                     " \"accessed\": \"2019-04-01/2019-05\", \"submitted\": [[2000, \"\", null]],\n"
                     " \"event-date\": {\"date-parts\": [[2021]], \"raw\": \"2021b\"}}]");
    assert_int_equal(p.rc, 0);
    assert_int_equal(cite_diag_count(p.diag), 0);
    const cite_record *d = rec_at(&p, 0), *e = rec_at(&p, 1);
    assert_date(d, "issued", "2004-03-15~");
    assert_date(d, "accessed", "1999-21/2001-22");
    assert_date(d, "original-date", "n.d.");
    assert_date(d, "submitted", "2020-05~");
    assert_date(d, "event-date", "1987/..");
    assert_date(d, "available-date", "2000-23");
    assert_date(e, "issued", "2021");
    assert_date(e, "accessed", "2019-04-01/2019-05");
    assert_date(e, "submitted", "2000");
    assert_date(e, "event-date", "2021b");
    char *out = write_json(p.lib);
    assert_non_null(strstr(out, "\"issued\": {\"date-parts\": [[2004, 3, 15]], \"circa\": true}"));
    assert_non_null(strstr(out, "\"accessed\": {\"date-parts\": [[1999, 21], [2001, 22]]}"));
    assert_non_null(strstr(out, "\"original-date\": {\"literal\": \"n.d.\"}"));
    assert_non_null(strstr(out, "\"event-date\": {\"date-parts\": [[1987], [0]]}"));
    assert_non_null(strstr(out, "\"available-date\": {\"date-parts\": [[2000]], \"season\": 3}"));
    assert_non_null(strstr(out, "\"event-date\": {\"date-parts\": [[2021]], \"raw\": \"2021b\"}"));
    cite_free_string(out);
    parsed_free(&p);
}

/* What the model has no place for stays with the date, as attributes, and is written back. */
static void date_keys_the_model_lacks_are_kept(void **state)
{
    (void)state;
    parsed p = parse("[{\"id\": \"k\", \"type\": \"book\",\n"
                     " \"accessed\": {\"date-parts\": [[2013, 1, 30]], \"season\": \"22:56:08\"},\n"
                     " \"issued\": {\"literal\": \"in press\", \"date-parts\": [[2000]]},\n"
                     " \"submitted\": {\"date-parts\": [[1999, 21]], \"raw\": \"Spring 1999\","
                     " \"_keys\": {}}}]");
    assert_int_equal(p.rc, 0);
    const cite_record *rec = rec_at(&p, 0);
    assert_date(rec, "accessed", "2013-01-30");
    assert_date(rec, "issued", "in press");
    assert_date(rec, "submitted", "1999-21");
    char *out = write_json(p.lib);
    assert_non_null(
        strstr(out, "\"accessed\": {\"date-parts\": [[2013, 1, 30]], \"season\": \"22:56:08\"}"));
    assert_non_null(
        strstr(out, "\"issued\": {\"literal\": \"in press\", \"date-parts\": [[2000]]}"));
    assert_non_null(strstr(out, "\"submitted\": {\"date-parts\": [[1999]], \"season\": 1, "
                                "\"raw\": \"Spring 1999\", \"_keys\": {}}"));
    cite_free_string(out);
    parsed_free(&p);
}

static void numbers_become_text(void **state)
{
    (void)state;
    parsed p = parse("[{\"id\": 7, \"type\": \"article-journal\", \"volume\": 5, \"issue\": 2.5,"
                     " \"page\": \"10-20\", \"edition\": -1}]");
    assert_int_equal(p.rc, 0);
    const cite_record *rec = rec_at(&p, 0);
    assert_string_equal(cite_record_get_id(rec), "7");
    assert_text(rec, "volume", "5");
    assert_text(rec, "issue", "2.5");
    assert_text(rec, "edition", "-1");
    char *out = write_json(p.lib);
    assert_non_null(strstr(out, "\"id\": \"7\",\n    \"type\": \"article-journal\",\n"
                                "    \"volume\": \"5\",\n    \"issue\": \"2.5\""));
    cite_free_string(out);
    parsed_free(&p);
}

static void rich_text_maps_to_markup_and_back(void **state)
{
    (void)state;
    static const struct {
        const char *json, *markup, *back;
    } cases[] = {
        { "<i>Homo</i> <b>b</b> x<sup>2</sup> H<sub>2</sub>O",
          "<i>Homo</i> <b>b</b> x<sup>2</sup> "
          "H<sub>2</sub>O",
          NULL },
        { "<span style=\\\"font-variant:small-caps;\\\">Sc</span>", "<sc>Sc</sc>", NULL },
        { "<span style='font-variant: small-caps'>Sc</span>", "<sc>Sc</sc>",
          "<span style=\\\"font-variant:small-caps;\\\">Sc</span>" },
        { "The <span class=\\\"nocase\\\">iPhone <i>X</i></span>",
          "The <nocase>iPhone <i>X</i></nocase>", NULL },
        { "<span class=\\\"x\\\">a <span class=\\\"nocase\\\">B</span></span></span>",
          "<span class=\"x\">a <nocase>B</nocase></span></span>", NULL },
        { "a < b <sc>old</sc> <math>x^2</math>", "a < b <sc>old</sc> <math>x^2</math>",
          "a < b <span style=\\\"font-variant:small-caps;\\\">old</span> <math>x^2</math>" },
    };
    for (size_t i = 0; i < CITE_ARRAY_LEN(cases); i++) {
        char src[512];
        snprintf(src, sizeof(src), "[{\"id\": \"r\", \"type\": \"book\", \"title\": \"%s\"}]",
                 cases[i].json);
        parsed p = parse(src);
        assert_int_equal(p.rc, 0);
        assert_text(rec_at(&p, 0), "title", cases[i].markup);
        char *out = write_json(p.lib);
        char expected[512];
        snprintf(expected, sizeof(expected), "\"title\": \"%s\"",
                 cases[i].back ? cases[i].back : cases[i].json);
        assert_non_null(strstr(out, expected));
        cite_free_string(out);
        parsed_free(&p);
    }
}

static void unknown_keys_are_kept_and_written_back(void **state)
{
    (void)state;
    parsed p = parse("[{\"id\": \"u\", \"type\": \"book\", \"journalAbbreviation\": \"J <i>A</i>\","
                     " \"custom\": {\"short_id\": \"xyz\", \"n\": [1, true, null]},"
                     " \"categories\": [\"a\", \"b\"], \"title\": \"T\"}]");
    assert_int_equal(p.rc, 0);
    const cite_record *rec = rec_at(&p, 0);
    const cite_field *f = cite_record_field(rec, "custom");
    assert_non_null(f);
    assert_int_equal(f->kind, CITE_VAR_UNKNOWN);
    assert_string_equal(f->text, "{\"short_id\": \"xyz\", \"n\": [1, true, null]}");
    assert_int_equal(f->nattrs, 1);
    assert_string_equal(f->attrs[0].name, CITE_CSLJSON_JSON_ATTR);
    assert_text(rec, "journalAbbreviation", "J <i>A</i>");
    char *out = write_json(p.lib);
    assert_string_equal(out, "[\n"
                             "  {\n"
                             "    \"id\": \"u\",\n"
                             "    \"type\": \"book\",\n"
                             "    \"journalAbbreviation\": \"J <i>A</i>\",\n"
                             "    \"custom\": {\"short_id\": \"xyz\", \"n\": [1, true, null]},\n"
                             "    \"categories\": [\"a\", \"b\"],\n"
                             "    \"title\": \"T\"\n"
                             "  }\n"
                             "]\n");
    cite_free_string(out);
    parsed_free(&p);
}

static void invalid_json_is_reported_where_jansson_stops(void **state)
{
    (void)state;
    static const struct {
        const char *src, *diag;
    } cases[] = {
        { "[\n  {\"id\": \"a\",\n   \"title\": }\n]",
          "3:13: error: invalid JSON: unexpected token near '}'" },
        { "[{\"id\": \"a\"}", "1:12: error: invalid JSON: ']' expected near end of file" },
        { "", "1:0: error: invalid JSON: '[' or '{' expected near end of file" },
        { "[\"caf\xC3\"]", "1:5: error: invalid JSON: unable to decode byte 0xc3 near '\"caf'" },
        { "\xEF\xBB\xBF[1,]", "1:4: error: invalid JSON: unexpected token near ']'" },
    };
    for (size_t i = 0; i < CITE_ARRAY_LEN(cases); i++) {
        parsed p = parse(cases[i].src);
        assert_int_equal(p.rc, CITE_EPARSE);
        assert_null(p.lib);
        assert_int_equal(cite_diag_count(p.diag), 1);
        assert_diag(&p, 0, cases[i].diag);
        parsed_free(&p);
    }
}

static void bad_items_are_reported_at_their_position(void **state)
{
    (void)state;
    parsed p = parse("[\n"
                     "  {\"id\": \"a\", \"type\": \"book\"},\n"
                     "  42,\n"
                     "  {\"type\": \"book\", \"author\": [{\"family\": \"Smith\"}],"
                     " \"issued\": {\"date-parts\": [[1999]]}},\n"
                     "  {\"type\": \"misc\", \"id\": \"a\"},\n"
                     "  {\"id\": null, \"type\": \"book\", \"title\": \"Untitled\"}\n"
                     "]");
    assert_int_equal(p.rc, CITE_EPARSE);
    assert_int_equal(cite_library_count(p.lib), 4);
    assert_string_equal(cite_record_get_id(rec_at(&p, 1)), "smith1999");
    assert_string_equal(cite_record_get_id(rec_at(&p, 2)), "aa");
    assert_string_equal(cite_record_get_type(rec_at(&p, 2)), "document");
    assert_string_equal(cite_record_get_id(rec_at(&p, 3)), "untitlednd");
    assert_diag(&p, 0, "3:3: error: item 2 is not an object; skipped");
    assert_diag(&p, 1, "4:3: warning: item 3 has no id; using 'smith1999'");
    assert_diag(&p, 2, "5:12: warning: 'misc' is not a CSL type; read as 'document'");
    assert_diag(&p, 3, "5:20: warning: duplicate id 'a'; this item is kept as 'aa'");
    assert_diag(&p, 4, "6:4: warning: item 5 has no usable id; using 'untitlednd'");
    /* The unknown type is kept and written back. */
    char *out = write_json(p.lib);
    assert_non_null(strstr(out, "    \"id\": \"aa\",\n    \"type\": \"misc\"\n"));
    cite_free_string(out);
    parsed_free(&p);
}

static void odd_values_are_reported_not_fatal(void **state)
{
    (void)state;
    parsed p = parse("{\"id\": \"o\", \"title\": [\"a\"], \"note\": null,\n"
                     " \"author\": [\"Plain Name\", 3, {}, {\"family\": 1}], \"editor\": 5,\n"
                     " \"issued\": {\"date-parts\": [[1965, 60, 1]]}, \"accessed\": true,\n"
                     " \"submitted\": {\"date-parts\": [[\"x\"]]}, \"\": 1}");
    assert_int_equal(p.rc, 0);
    const cite_record *rec = rec_at(&p, 0);
    assert_string_equal(cite_record_get_type(rec), "document");
    assert_text(rec, "title", "[\"a\"]");
    const cite_field *f = cite_record_field(rec, "author");
    assert_int_equal(f->nnames, 2);
    assert_string_equal(f->names[0].literal, "Plain Name");
    assert_string_equal(f->names[1].family, "1");
    assert_null(cite_record_field(rec, "editor"));
    assert_date(rec, "issued", "1965");
    assert_null(cite_record_field(rec, "accessed"));
    assert_date(rec, "submitted", ""); /* kept as it is: an empty literal, date-parts kept */
    assert_int_equal(cite_diag_count_severity(p.diag, CITE_SEV_ERROR), 0);
    assert_true(cite_diag_count_severity(p.diag, CITE_SEV_WARNING) >= 9);
    char *out = write_json(p.lib);
    assert_non_null(strstr(out, "\"submitted\": {\"literal\": \"\", \"date-parts\": [[\"x\"]]}"));
    cite_free_string(out);
    parsed_free(&p);
}

static void top_level_shapes(void **state)
{
    (void)state;
    static const struct {
        const char *src;
        size_t count;
    } cases[] = {
        { "[]", 0 },
        { " \n[ ]\n", 0 },
        { "{\"id\": \"one\", \"type\": \"book\"}", 1 },
        { "{\"items\": [{\"id\": \"a\", \"type\": \"book\"}, {\"id\": \"b\", \"type\": \"book\"}]}",
          2 },
    };
    for (size_t i = 0; i < CITE_ARRAY_LEN(cases); i++) {
        parsed p = parse(cases[i].src);
        assert_int_equal(p.rc, 0);
        assert_int_equal(cite_library_count(p.lib), cases[i].count);
        parsed_free(&p);
    }
    parsed p = parse("\"just a string\"");
    assert_int_equal(p.rc, CITE_EPARSE);
    parsed_free(&p);
    cite_library *empty = cite_library_new();
    char *out = write_json(empty);
    assert_string_equal(out, "[]\n");
    cite_free_string(out);
    cite_library_free(empty);
}

static void writer_escapes_strings(void **state)
{
    (void)state;
    cite_record *rec = cite_record_new("q\"1", "book");
    assert_non_null(rec);
    assert_int_equal(cite_record_set_text(rec, "title", "a\\b \"c\"\n\t\x01 caf\xC3\xA9 \xFF/"), 0);
    cite_library *lib = cite_library_new();
    assert_int_equal(cite_library_add(lib, rec), 0);
    char *out = write_json(lib);
    assert_non_null(strstr(out, "\"id\": \"q\\\"1\""));
    assert_non_null(
        strstr(out, "\"title\": \"a\\\\b \\\"c\\\"\\n\\t\\u0001 caf\xC3\xA9 \xEF\xBF\xBD/\""));
    cite_free_string(out);
    cite_library_free(lib);
}

/* An XML store with everything CSL-JSON can carry: store -> CSL-JSON -> store is identical. */
static const char store[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<bibliography version=\"1\">\n"
    "  <entry id=\"levine2025\" type=\"chapter\">\n"
    "    <author><family>Levine</family><given>J.</given><suffix>Jr</suffix><comma-suffix/>"
    "</author>\n"
    "    <author><family>Berg</family><given>A.</given><non-dropping-particle>van den"
    "</non-dropping-particle><parse-names>false</parse-names></author>\n"
    "    <author><literal>International Crisis Group</literal></author>\n"
    "    <author><others/></author>\n"
    "    <editor><family>Doe Inc.</family><institution/></editor>\n"
    "    <issued>2025a</issued>\n"
    "    <accessed>2020-21/2021-03-04~</accessed>\n"
    "    <original-date>n.d.</original-date>\n"
    "    <event-date>1987/..</event-date>\n"
    "    <title>The <i>Continuing</i> Cycle of <nocase>DNA</nocase> and <sc>x</sc><sup>2</sup>"
    "</title>\n"
    "    <volume>12</volume>\n"
    "    <field name=\"subtitle\">Why <b>It</b> Matters</field>\n"
    "    <field name=\"custom\" json=\"true\">{&quot;a&quot;: [1, 2]}</field>\n"
    "    <field name=\"source\">Crossref</field>\n"
    "  </entry>\n"
    "  <entry id=\"b\" type=\"book\"/>\n"
    "</bibliography>\n";

static void xml_store_round_trips_through_csljson(void **state)
{
    (void)state;
    cite_library *lib = NULL, *back = NULL;
    cite_diag *diag = cite_diag_new();
    assert_int_equal(cite_xmlstore_load_memory(&lib, store, strlen(store), "s.xml", diag), 0);
    char *json = write_json(lib);
    assert_int_equal(cite_csljson_read(&back, json, strlen(json), "s.json", diag), 0);
    assert_int_equal(cite_diag_count(diag), 0);
    char *xml = NULL;
    assert_int_equal(cite_xmlstore_write(&xml, back), 0);
    assert_string_equal(xml, store);
    char *again = write_json(back);
    assert_string_equal(again, json);
    cite_free_string(again);
    cite_free_string(xml);
    cite_free_string(json);
    cite_library_free(back);
    cite_library_free(lib);
    cite_diag_free(diag);
}

static const char sample[] =
    "[{\"id\": \"s\", \"type\": \"article-journal\", \"title\": \"A <i>b</i> <span "
    "class=\\\"nocase\\\">C</span>\", \"author\": [{\"family\": \"Doe\", \"given\": \"J\", "
    "\"comma-suffix\": true}, {\"literal\": \"WHO\"}], \"issued\": {\"date-parts\": [[2004, 3]], "
    "\"circa\": 1, \"_k\": 1}, \"volume\": 5, \"custom\": {\"a\": [1]}},\n 7,\n"
    " {\"type\": \"nonsense\", \"accessed\": {\"raw\": \"2020-05~\"}}]";

static void reader_and_writer_survive_every_allocation_failure(void **state)
{
    (void)state;
    for (long budget = 0;; budget++) {
        cite_library *lib = NULL;
        cite_diag *diag = NULL;
        char *out = NULL;
        failalloc_start(budget);
        diag = cite_diag_new();
        int rc =
            diag ? cite_csljson_read(&lib, sample, strlen(sample), "t.json", diag) : CITE_ENOMEM;
        if (rc == CITE_EPARSE)
            rc = cite_csljson_write(&out, lib);
        failalloc_stop();
        cite_free_string(out);
        cite_library_free(lib);
        cite_diag_free(diag);
        if (rc == 0)
            break;
        assert_int_equal(rc, CITE_ENOMEM);
        assert_true(budget < 100000);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(names_keep_every_part_and_flag),
        cmocka_unit_test(dates_read_every_form),
        cmocka_unit_test(date_keys_the_model_lacks_are_kept),
        cmocka_unit_test(numbers_become_text),
        cmocka_unit_test(rich_text_maps_to_markup_and_back),
        cmocka_unit_test(unknown_keys_are_kept_and_written_back),
        cmocka_unit_test(invalid_json_is_reported_where_jansson_stops),
        cmocka_unit_test(bad_items_are_reported_at_their_position),
        cmocka_unit_test(odd_values_are_reported_not_fatal),
        cmocka_unit_test(top_level_shapes),
        cmocka_unit_test(writer_escapes_strings),
        cmocka_unit_test(xml_store_round_trips_through_csljson),
        cmocka_unit_test(reader_and_writer_survive_every_allocation_failure),
    };
    return cmocka_run_group_tests_name("csljson", tests, NULL, NULL);
}
