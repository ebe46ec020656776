/* test_xmlstore.c: the XML store (bib/cite.rng): the writer's layout, byte-exact round trips,
 * what survives a read-modify-write, diagnostics for malformed and invalid stores, XXE, the
 * atomic file writer, and out-of-memory paths. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "buf.h"
#include "failalloc.h"
#include "record.h"

/* ---- helpers ------------------------------------------------------------------------- */

static cite_name person(const char *family, const char *given)
{
    return (cite_name){ .family = (char *)family, .given = (char *)given };
}

static void add_name(cite_record *rec, const char *var, cite_name n)
{
    assert_int_equal(cite_record_add_name(rec, var, &n), 0);
}

static void set_date(cite_record *rec, const char *var, const char *text)
{
    cite_date d;
    assert_int_equal(cite_date_parse(&d, text, strlen(text)), 0);
    assert_int_equal(cite_record_set_date(rec, var, &d), 0);
    cite_date_dispose(&d);
}

static void set_text(cite_record *rec, const char *var, const char *text)
{
    assert_int_equal(cite_record_set_text(rec, var, text), 0);
}

/* The example of the format's documentation (bib/cite.rng). */
static cite_library *example_library(void)
{
    cite_library *lib = cite_library_new();
    cite_record *rec = cite_record_new("levine2025", "chapter");
    assert_non_null(lib);
    assert_non_null(rec);
    add_name(rec, "author", person("Levine", "J."));
    add_name(rec, "author", (cite_name){ .literal = "International Crisis Group" });
    add_name(rec, "author", (cite_name){ .others = true });
    add_name(
        rec, "editor",
        (cite_name){ .family = "Beethoven", .given = "Ludwig", .non_dropping_particle = "van" });
    set_date(rec, "issued", "2025");
    set_text(rec, "title", "The <i>Continuing</i> Cycle of <nocase>DNA</nocase>");
    set_text(rec, "subtitle", "Why It Matters");
    rec->source = cite_strdup("Levine, J. (2025) 'The Continuing Cycle ...");
    rec->source_line = 5;
    assert_int_equal(cite_library_add(lib, rec), 0);
    return lib;
}

/* A library that uses every feature of the format. */
static cite_library *full_library(void)
{
    cite_library *lib = example_library();
    cite_record *rec = cite_record_new("müller1999a", "article-journal");
    assert_non_null(rec);
    rec->bibtype = cite_strdup("mastersthesis");
    add_name(rec, "author",
             (cite_name){ .family = "Berg",
                          .given = "Christopher",
                          .non_dropping_particle = "van der",
                          .dropping_particle = "de",
                          .suffix = "Jr." });
    add_name(rec, "author", person("Müller", "Jürgen"));
    add_name(rec, "author", person("<sc>Smith</sc>", "A. & B."));
    add_name(rec, "translator", (cite_name){ .literal = "Ministry of <i>Truth</i>" });
    add_name(rec, "container-author",
             (cite_name){ .family = "Odd", .literal = "Both", .others = true });
    add_name(rec, "editor", (cite_name){ 0 });
    set_date(rec, "issued", "1999a-03-04");
    set_date(rec, "accessed", "2020-21");
    set_date(rec, "original-date", "1999-03/1999-05~");
    set_date(rec, "event-date", "n.d.");
    set_date(rec, "submitted", "-0044-03-15");
    set_text(rec, "title",
             "Nested <b>bold <i>and <sup>2</sup></i></b> & <math>x<y</math> \"q\" 'a'");
    set_text(rec, "container-title", "Unbalanced <i>italic and a </b> stray");
    set_text(rec, "note", "Tabs\tnew\nlines\r\nand CR; ]]> <not-a-tag> <i></i> é ✓ 𝄞");
    set_text(rec, "DOI", "10.1000/xyz<123>");
    set_text(rec, "page", "47–65");
    set_text(rec, "source", "the CSL variable called source");
    set_text(rec, "file", "a.pdf:PDF");
    set_text(rec, "tex-field", "<tex>\\relax</tex> and {braces}");
    cite_field *title = cite_record_field_mut(rec, "title");
    assert_int_equal(cite_attrs_add(&title->attrs, &title->nattrs, "xml:lang", "en"), 0);
    cite_field *authors = cite_record_field_mut(rec, "author");
    assert_int_equal(cite_attrs_add(&authors->attrs, &authors->nattrs, "role", "lead"), 0);
    cite_field *file = cite_record_field_mut(rec, "file");
    assert_int_equal(cite_attrs_add(&file->attrs, &file->nattrs, "kind", "a \"b\"\n<c>"), 0);
    assert_int_equal(cite_attrs_add(&rec->attrs, &rec->nattrs, "xmlns:z", "urn:z"), 0);
    assert_int_equal(cite_attrs_add(&rec->attrs, &rec->nattrs, "z:key", "K1"), 0);
    assert_int_equal(cite_attrs_add(&rec->attrs, &rec->nattrs, "starred", "yes"), 0);
    assert_int_equal(cite_record_add_foreign(rec, "<z:rating stars=\"4\">good <b>x</b></z:rating>"),
                     0);
    assert_int_equal(cite_record_add_foreign(rec, "<!-- a comment -->"), 0);
    assert_int_equal(cite_record_add_foreign(rec, "<custom/>"), 0);
    rec->source = cite_strdup("Müller, J. (1999a) <i>not markup here</i> & more");
    rec->source_file = cite_strdup("refs & \"notes\".txt");
    rec->source_line = 123456;
    assert_int_equal(cite_library_add(lib, rec), 0);
    assert_int_equal(cite_library_add(lib, cite_record_new("empty", "book")), 0);
    rec = cite_record_new("nosourceline", "webpage");
    rec->source = cite_strdup("");
    set_text(rec, "URL", "https://example.org/?a=1&b=2");
    assert_int_equal(cite_library_add(lib, rec), 0);
    assert_int_equal(cite_attrs_add(&lib->attrs, &lib->nattrs, "xmlns:q", "urn:q"), 0);
    assert_int_equal(cite_attrs_add(&lib->attrs, &lib->nattrs, "q:generator", "test"), 0);
    lib->foreign = cite_calloc(1, sizeof(char *));
    lib->foreign[0] = cite_strdup("<q:meta>kept</q:meta>");
    lib->nforeign = 1;
    return lib;
}

static char *write_or_fail(const cite_library *lib)
{
    char *out = NULL;
    assert_int_equal(cite_xmlstore_write(&out, lib), 0);
    assert_non_null(out);
    return out;
}

/* Loads xml; returns the code and leaves the diagnostics in *diag_out. */
static int load_string(cite_library **lib, cite_diag **diag_out, const char *xml)
{
    *diag_out = cite_diag_new();
    assert_non_null(*diag_out);
    return cite_xmlstore_load_memory(lib, xml, strlen(xml), "test.xml", *diag_out);
}

static cite_library *load_or_fail(const char *xml)
{
    cite_library *lib = NULL;
    cite_diag *diag;
    int rc = load_string(&lib, &diag, xml);
    for (size_t i = 0; i < cite_diag_count(diag); i++) {
        const cite_diag_item *it = cite_diag_get(diag, i);
        print_message("unexpected: %u:%u: %s\n", it->line, it->col, it->message);
    }
    assert_int_equal(cite_diag_count(diag), 0);
    assert_int_equal(rc, 0);
    assert_non_null(lib);
    cite_diag_free(diag);
    return lib;
}

/* True when diag holds an error at line whose message contains needle (NULL: any). */
static bool has_error(const cite_diag *diag, unsigned line, const char *needle)
{
    for (size_t i = 0; i < cite_diag_count(diag); i++) {
        const cite_diag_item *it = cite_diag_get(diag, i);
        if (it->severity == CITE_SEV_ERROR && it->line == line &&
            (!needle || strstr(it->message, needle)) && strcmp(it->file, "test.xml") == 0)
            return true;
    }
    return false;
}

static void dump_diag(const cite_diag *diag)
{
    for (size_t i = 0; i < cite_diag_count(diag); i++) {
        const cite_diag_item *it = cite_diag_get(diag, i);
        print_message("  diag %u:%u: %s\n", it->line, it->col, it->message);
    }
}

/* Expects the load of xml to fail with CITE_EPARSE and an error at line (containing needle). */
static void expect_refused(const char *xml, unsigned line, const char *needle)
{
    cite_library *lib = (cite_library *)1;
    cite_diag *diag;
    int rc = load_string(&lib, &diag, xml);
    if (!has_error(diag, line, needle))
        dump_diag(diag);
    assert_int_equal(rc, CITE_EPARSE);
    assert_null(lib);
    assert_true(has_error(diag, line, needle));
    cite_diag_free(diag);
}

#define HEAD "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"

/* ---- the writer's layout ------------------------------------------------------------- */

static void write_follows_the_documented_layout(void **state)
{
    (void)state;
    static const char expected[] =
        HEAD "<bibliography version=\"1\">\n"
             "  <entry id=\"levine2025\" type=\"chapter\">\n"
             "    <author><family>Levine</family><given>J.</given></author>\n"
             "    <author><literal>International Crisis Group</literal></author>\n"
             "    <author><others/></author>\n"
             "    <editor><family>Beethoven</family><given>Ludwig</given>"
             "<non-dropping-particle>van</non-dropping-particle></editor>\n"
             "    <issued>2025</issued>\n"
             "    <title>The <i>Continuing</i> Cycle of <nocase>DNA</nocase></title>\n"
             "    <field name=\"subtitle\">Why It Matters</field>\n"
             "    <source line=\"5\">Levine, J. (2025) 'The Continuing Cycle ...</source>\n"
             "  </entry>\n"
             "</bibliography>\n";
    cite_library *lib = example_library();
    char *out = write_or_fail(lib);
    assert_string_equal(out, expected);
    cite_free_string(out);
    cite_library_free(lib);
}

static void write_empty_library(void **state)
{
    (void)state;
    cite_library *lib = cite_library_new();
    char *out = write_or_fail(lib);
    assert_string_equal(out, HEAD "<bibliography version=\"1\"/>\n");
    cite_library_free(lib);
    lib = load_or_fail(out);
    assert_int_equal(cite_library_count(lib), 0);
    cite_free_string(out);
    cite_library_free(lib);
}

/* The documentation's example as a person would write it: a name list interrupted by
 * another, and name parts in another order. */
static void load_reads_the_documented_example(void **state)
{
    (void)state;
    static const char xml[] =
        HEAD "<bibliography version=\"1\">\n"
             "  <entry id=\"levine2025\" type=\"chapter\">\n"
             "    <author><family>Levine</family><given>J.</given></author>\n"
             "    <author><literal>International Crisis Group</literal></author>\n"
             "    <editor><given>Ludwig</given><non-dropping-particle>van</non-dropping-particle>"
             "<family>Beethoven</family></editor>\n"
             "    <author><others/></author>\n"
             "    <issued>2025</issued>\n"
             "    <title>The <i>Continuing</i> Cycle of <nocase>DNA</nocase></title>\n"
             "    <field name=\"subtitle\">Why It Matters</field>\n"
             "    <source line=\"5\">Levine, J. (2025) 'The Continuing Cycle ...</source>\n"
             "  </entry>\n"
             "</bibliography>\n";
    cite_library *lib = load_or_fail(xml);
    cite_library *expected = example_library();
    const cite_record *rec = cite_library_get(lib, 0);
    const cite_record *want = cite_library_get(expected, 0);
    assert_string_equal(cite_record_get_id(rec), "levine2025");
    assert_string_equal(cite_record_get_type(rec), "chapter");
    assert_int_equal(rec->nfields, want->nfields);
    for (size_t i = 0; i < want->nfields; i++) {
        const cite_field *f = &rec->fields[i], *w = &want->fields[i];
        assert_string_equal(f->name, w->name);
        assert_int_equal(f->kind, w->kind);
        assert_int_equal(f->nnames, w->nnames);
        for (size_t j = 0; j < w->nnames; j++)
            assert_true(cite_name_equal(&f->names[j], &w->names[j]));
        assert_true(cite_date_equal(&f->date, &w->date));
        if (w->text)
            assert_string_equal(f->text, w->text);
    }
    assert_string_equal(rec->source, want->source);
    assert_int_equal(rec->source_line, 5);
    assert_null(rec->source_file);
    cite_library_free(expected);
    cite_library_free(lib);
}

/* ---- round trips ---------------------------------------------------------------------- */

static void roundtrip_of_every_feature_is_byte_identical(void **state)
{
    (void)state;
    cite_library *lib = full_library();
    char *first = write_or_fail(lib);
    cite_library *again = load_or_fail(first);
    char *second = write_or_fail(again);
    assert_string_equal(first, second);

    /* The values themselves came back, not only their serialisation. */
    const cite_record *orig = cite_library_get(lib, 1), *rec = cite_library_get(again, 1);
    assert_string_equal(rec->id, "müller1999a");
    assert_string_equal(rec->bibtype, "mastersthesis");
    assert_int_equal(rec->nfields, orig->nfields);
    for (size_t i = 0; i < orig->nfields; i++) {
        const cite_field *f = &rec->fields[i], *o = &orig->fields[i];
        assert_string_equal(f->name, o->name);
        assert_int_equal(f->kind, o->kind);
        if (o->text)
            assert_string_equal(f->text, o->text);
        assert_int_equal(f->nnames, o->nnames);
        for (size_t j = 0; j < o->nnames; j++)
            assert_true(cite_name_equal(&f->names[j], &o->names[j]));
        assert_true(cite_date_equal(&f->date, &o->date));
        assert_int_equal(f->nattrs, o->nattrs);
        for (size_t j = 0; j < o->nattrs; j++) {
            assert_string_equal(f->attrs[j].name, o->attrs[j].name);
            assert_string_equal(f->attrs[j].value, o->attrs[j].value);
        }
    }
    assert_int_equal(rec->nforeign, 3);
    assert_string_equal(rec->foreign[0], orig->foreign[0]);
    assert_string_equal(rec->foreign[1], "<!-- a comment -->");
    assert_string_equal(rec->source, orig->source);
    assert_string_equal(rec->source_file, orig->source_file);
    assert_int_equal(rec->source_line, 123456);
    assert_int_equal(again->nattrs, 2);
    assert_int_equal(again->nforeign, 1);
    assert_string_equal(again->foreign[0], "<q:meta>kept</q:meta>");
    assert_null(cite_library_get(again, 2)->source);
    assert_string_equal(cite_library_get(again, 3)->source, "");
    assert_int_equal(cite_library_get(again, 3)->source_line, 0);

    /* Markup became elements where it nests, and stayed text where it does not. */
    assert_non_null(strstr(first, "<title xml:lang=\"en\">Nested <b>bold <i>and <sup>2</sup>"
                                  "</i></b> &amp; <math>x&lt;y</math> &quot;q&quot; 'a'</title>"));
    assert_non_null(strstr(first, "<container-title>Unbalanced &lt;i&gt;italic and a "
                                  "&lt;/b&gt; stray</container-title>"));
    assert_non_null(strstr(first, "<field name=\"source\">the CSL variable"));
    assert_non_null(strstr(first, "<author role=\"lead\"><family>Berg</family>"));
    assert_non_null(strstr(first, "<issued>1999a-03-04</issued>"));
    assert_non_null(strstr(first, "<original-date>1999-03/1999-05~</original-date>"));
    assert_non_null(strstr(first, "<source line=\"123456\" file=\"refs &amp; &quot;notes&quot;"
                                  ".txt\">Müller, J. (1999a) &lt;i&gt;not markup here"));
    assert_non_null(strstr(first, "  <entry id=\"empty\" type=\"book\"/>\n"));
    cite_free_string(second);
    cite_free_string(first);
    cite_library_free(again);
    cite_library_free(lib);
}

static void write_replaces_what_xml_cannot_carry(void **state)
{
    (void)state;
    cite_library *lib = cite_library_new();
    cite_record *rec = cite_record_new("ctl", "book");
    set_text(rec, "title", "bell\a and \xff\xfe bad UTF-8 \xc3");
    assert_int_equal(cite_library_add(lib, rec), 0);
    char *out = write_or_fail(lib);
    assert_non_null(strstr(out, "<title>bell\xef\xbf\xbd and \xef\xbf\xbd\xef\xbf\xbd bad UTF-8 "
                                "\xef\xbf\xbd</title>"));
    cite_library *again = load_or_fail(out);
    cite_free_string(out);
    cite_library_free(again);
    cite_library_free(lib);
}

static void write_refuses_what_the_reader_would_refuse(void **state)
{
    (void)state;
    static const char *const bad_attrs[] = { "id", "1bad", "two words", "" };
    for (size_t i = 0; i < sizeof(bad_attrs) / sizeof(bad_attrs[0]); i++) {
        cite_library *lib = example_library();
        cite_record *rec = lib->records[0];
        assert_int_equal(cite_attrs_add(&rec->attrs, &rec->nattrs, bad_attrs[i], "v"), 0);
        char *out = (char *)1;
        assert_int_equal(cite_xmlstore_write(&out, lib), CITE_EINVALID);
        assert_null(out);
        cite_library_free(lib);
    }
    cite_library *lib = example_library();
    assert_int_equal(cite_record_set_type(lib->records[0], "not-a-csl-type"), 0);
    char *out = NULL;
    assert_int_equal(cite_xmlstore_write(&out, lib), CITE_EINVALID);
    assert_null(out);
    cite_library_free(lib);
}

/* ---- what cite does not know survives ------------------------------------------------- */

static void unknown_elements_and_attributes_survive_read_modify_write(void **state)
{
    (void)state;
    static const char xml[] =
        HEAD "<bibliography version=\"1\" xmlns:z=\"urn:zotero\" z:library=\"42\">\n"
             "  <!-- top comment -->\n"
             "  <entry id=\"a\" type=\"book\" z:key=\"ABCD\" color=\"red\">\n"
             "    <title z:lang=\"fr\">Le <i>titre</i></title>\n"
             "    <z:attachment path=\"a b.pdf\">\n      <z:note>café &amp; tea</z:note>\n"
             "    </z:attachment>\n"
             "    <shelf>3rd floor</shelf>\n"
             "    <author x=\"1\"><family>A</family></author>\n"
             "    <author x=\"1\" y=\"2\"><family>B</family></author>\n"
             "  </entry>\n"
             "  <z:collection name=\"Sahel\"><z:item ref=\"a\"/></z:collection>\n"
             "</bibliography>\n";
    cite_library *lib = load_or_fail(xml);
    cite_record *rec = cite_library_find(lib, "a");
    assert_non_null(rec);
    set_text(rec, "title", "New title");
    char *out = write_or_fail(lib);
    static const char expected[] =
        HEAD "<bibliography version=\"1\" xmlns:z=\"urn:zotero\" z:library=\"42\">\n"
             "  <entry id=\"a\" type=\"book\" z:key=\"ABCD\" color=\"red\">\n"
             "    <title z:lang=\"fr\">New title</title>\n"
             "    <author x=\"1\" y=\"2\"><family>A</family></author>\n"
             "    <author><family>B</family></author>\n"
             "    <z:attachment path=\"a b.pdf\">\n      <z:note>café &amp; tea</z:note>\n"
             "    </z:attachment>\n"
             "    <shelf>3rd floor</shelf>\n"
             "  </entry>\n"
             "  <!-- top comment -->\n"
             "  <z:collection name=\"Sahel\"><z:item ref=\"a\"/></z:collection>\n"
             "</bibliography>\n";
    assert_string_equal(out, expected);
    cite_library *again = load_or_fail(out);
    char *second = write_or_fail(again);
    assert_string_equal(second, out);
    cite_free_string(second);
    cite_free_string(out);
    cite_library_free(again);
    cite_library_free(lib);
}

/* What the reader accepts, the writer writes: a type the schema matched as a token (white
 * space collapsed), names with any letters XML allows. */
static void load_keeps_only_what_it_can_write_back(void **state)
{
    (void)state;
    static const char xml[] = HEAD "<bibliography version=\"1\">\n"
                                   "  <entry id=\"a\" type=\"&#13; book\n\" ré˓sumé=\"1\">\n"
                                   "    <ünknown/>\n"
                                   "  </entry>\n"
                                   "</bibliography>\n";
    cite_library *lib = load_or_fail(xml);
    assert_string_equal(cite_record_get_type(cite_library_get(lib, 0)), "book");
    char *out = write_or_fail(lib);
    assert_non_null(strstr(out, "<entry id=\"a\" type=\"book\" ré˓sumé=\"1\">\n"
                                "    <ünknown/>\n"));
    cite_free_string(out);
    cite_library_free(lib);
}

static void conflicting_attributes_of_a_name_list_are_reported(void **state)
{
    (void)state;
    static const char xml[] = HEAD "<bibliography version=\"1\">\n"
                                   "<entry id=\"a\" type=\"book\">\n"
                                   "<author x=\"1\"><family>A</family></author>\n"
                                   "<author x=\"2\"><family>B</family></author>\n"
                                   "</entry></bibliography>";
    cite_library *lib = NULL;
    cite_diag *diag;
    assert_int_equal(load_string(&lib, &diag, xml), 0);
    assert_int_equal(cite_diag_count(diag), 1);
    const cite_diag_item *it = cite_diag_get(diag, 0);
    assert_int_equal(it->severity, CITE_SEV_WARNING);
    assert_int_equal(it->line, 5);
    assert_non_null(strstr(it->message, "attribute 'x'"));
    cite_diag_free(diag);
    cite_library_free(lib);
}

/* ---- refused inputs ------------------------------------------------------------------- */

static void malformed_xml_reports_line_and_column(void **state)
{
    (void)state;
    static const char xml[] = HEAD "<bibliography version=\"1\">\n"
                                   "  <entry id=\"a\" type=\"book\">\n"
                                   "    <title>Unclosed</titel>\n"
                                   "  </entry>\n"
                                   "</bibliography>\n";
    cite_library *lib = (cite_library *)1;
    cite_diag *diag;
    assert_int_equal(load_string(&lib, &diag, xml), CITE_EPARSE);
    assert_null(lib);
    assert_true(cite_diag_count(diag) >= 1);
    const cite_diag_item *it = cite_diag_get(diag, 0);
    assert_int_equal(it->severity, CITE_SEV_ERROR);
    assert_string_equal(it->file, "test.xml");
    assert_int_equal(it->line, 4);
    assert_int_equal(it->col, 28); /* just past "</titel>": where libxml2 notices */
    assert_non_null(strstr(it->message, "opening and ending tag mismatch"));
    assert_true(it->message[strlen(it->message) - 1] != '\n');
    cite_diag_free(diag);

    expect_refused("", 1, "document is empty");
    expect_refused(HEAD "<bibliography version=\"1\">\n<entry id=\"a\" type=\"book\">", 3,
                   "premature end of data");
    expect_refused("<bibliography version=\"1\"><title>a &nbsp; b</title></bibliography>", 1,
                   "entity");
    /* Namespace errors leave libxml2 a tree, but such names could not be written back. */
    expect_refused(HEAD "<bibliography version=\"1\">\n"
                        "  <entry id=\"a\" type=\"book\" z:key=\"1\"/>\n</bibliography>\n",
                   3, "namespace prefix z");
    expect_refused(HEAD "<bibliography version=\"1\">\n"
                        "  <entry id=\"a\" type=\"book\" a:=\"1\"/>\n</bibliography>\n",
                   3, "QName");
}

static void schema_violations_are_reported_at_their_lines(void **state)
{
    (void)state;
    static const char xml[] = HEAD "<bibliography version=\"1\">\n"
                                   "  <entry id=\"a\" type=\"book\">\n"
                                   "    <title>Fine</title>\n"
                                   "  </entry>\n"
                                   "  <entry type=\"book\">\n"
                                   "  </entry>\n"
                                   "</bibliography>\n";
    expect_refused(xml, 6, "entry has no id");
    expect_refused(HEAD "<bibliography version=\"1\">\n"
                        "  <entry id=\"a\" type=\"not-a-type\"/>\n</bibliography>\n",
                   3, "'not-a-type' is not a CSL item type");
    expect_refused(HEAD "<bibliography version=\"1\">\n"
                        "  <entry id=\"a\" type=\"book\">\n"
                        "    <author>Plain text where a person belongs</author>\n"
                        "  </entry>\n</bibliography>\n",
                   4, "element author has extra content: text");
    expect_refused(HEAD "<bibliography version=\"2\"/>\n", 2, "store version '2'");
    expect_refused(HEAD "<bibliography version=\"1\">\n"
                        "  <entry id=\"a\" type=\"book\" bibtype=\"\"/>\n</bibliography>\n",
                   3, "entry 'a' has an empty bibtype");
    expect_refused(HEAD "<bibliography version=\"1\">\n"
                        "  <entry id=\"a\" type=\"book\">\n"
                        "    <source line=\"0\">x</source>\n  </entry>\n</bibliography>\n",
                   4, "<source line=\"0\">");
    expect_refused(HEAD "<library/>\n", 2, NULL);
    expect_refused(HEAD "<bibliography version=\"1\"><entry id=\"a\" type=\"book\">\n"
                        "<title>x <p>para</p></title></entry></bibliography>\n",
                   3, NULL);
}

/* libxml2 reports a problem, then each enclosing element as failing in turn ("element
 * bibliography has extra content: entry", at the line of the first, valid, entry): only the
 * problem is reported. */
static void validity_errors_are_not_repeated_for_enclosing_elements(void **state)
{
    (void)state;
    static const char xml[] = HEAD "<bibliography version=\"1\">\n"
                                   "  <entry id=\"a\" type=\"book\">\n"
                                   "    <title>Fine</title>\n"
                                   "  </entry>\n"
                                   "  <entry type=\"not-a-type\">\n"
                                   "    <author>Plain text where a person belongs</author>\n"
                                   "  </entry>\n"
                                   "</bibliography>\n";
    cite_library *lib = NULL;
    cite_diag *diag;
    assert_int_equal(load_string(&lib, &diag, xml), CITE_EPARSE);
    assert_int_equal(cite_diag_count(diag), 2);
    assert_int_equal(cite_diag_get(diag, 0)->line, 6);
    assert_string_equal(cite_diag_get(diag, 0)->message, "entry has no id");
    assert_int_equal(cite_diag_get(diag, 1)->line, 7);
    assert_int_equal(cite_diag_get(diag, 1)->col, 0); /* RELAX NG gives no column */
    assert_string_equal(cite_diag_get(diag, 1)->message, "element author has extra content: text");
    cite_diag_free(diag);
}

static void semantic_errors_are_reported_at_their_lines(void **state)
{
    (void)state;
    expect_refused(HEAD "<bibliography version=\"1\">\n"
                        "  <entry id=\"a\" type=\"book\"/>\n"
                        "  <entry id=\"a\" type=\"report\"/>\n"
                        "</bibliography>\n",
                   4, "duplicate id 'a'");
    expect_refused(HEAD "<bibliography version=\"1\">\n"
                        "  <entry id=\"a\" type=\"book\">\n"
                        "    <title>One</title>\n"
                        "    <title>Two</title>\n"
                        "  </entry>\n</bibliography>\n",
                   5, "second <title>");
    expect_refused(HEAD "<bibliography version=\"1\">\n"
                        "  <entry id=\"a\" type=\"book\">\n"
                        "    <field name=\"x\">One</field>\n"
                        "    <field name=\"x\">Two</field>\n"
                        "  </entry>\n</bibliography>\n",
                   5, "second <field name=\"x\">");
    expect_refused(HEAD "<bibliography version=\"1\">\n"
                        "  <entry id=\"a\" type=\"book\">\n"
                        "    <field name=\"author\">Levine</field>\n"
                        "  </entry>\n</bibliography>\n",
                   4, "CSL variable");
}

static void external_entities_are_never_loaded(void **state)
{
    (void)state;
    static const char *const payloads[] = {
        HEAD "<!DOCTYPE bibliography [\n"
             "  <!ENTITY xxe SYSTEM \"file:///etc/passwd\">\n]>\n"
             "<bibliography version=\"1\">\n"
             "  <entry id=\"a\" type=\"book\"><title>&xxe;</title></entry>\n"
             "</bibliography>\n",
        HEAD "<!DOCTYPE bibliography SYSTEM \"file:///etc/passwd\">\n"
             "<bibliography version=\"1\"/>\n",
        HEAD "<!DOCTYPE bibliography [\n"
             "  <!ENTITY % p SYSTEM \"file:///etc/passwd\"> %p;\n]>\n"
             "<bibliography version=\"1\"/>\n",
    };
    for (size_t i = 0; i < sizeof(payloads) / sizeof(payloads[0]); i++) {
        cite_library *lib = (cite_library *)1;
        cite_diag *diag;
        assert_int_equal(load_string(&lib, &diag, payloads[i]), CITE_EPARSE);
        assert_null(lib);
        assert_true(cite_diag_count(diag) >= 1);
        for (size_t j = 0; j < cite_diag_count(diag); j++)
            assert_null(strstr(cite_diag_get(diag, j)->message, "root:"));
        cite_diag_free(diag);
    }
    expect_refused(payloads[0], 2, "DOCTYPE");
}

static void missing_file_is_an_io_error(void **state)
{
    (void)state;
    cite_library *lib = (cite_library *)1;
    cite_diag *diag = cite_diag_new();
    assert_int_equal(cite_xmlstore_load(&lib, "/nonexistent/cite/lib.xml", diag), CITE_EIO);
    assert_null(lib);
    assert_int_equal(cite_diag_count(diag), 1);
    const cite_diag_item *it = cite_diag_get(diag, 0);
    assert_string_equal(it->file, "/nonexistent/cite/lib.xml");
    assert_int_equal(it->line, 0);
    assert_string_equal(it->message, "cannot read: No such file or directory");
    cite_diag_free(diag);
}

/* ---- files ---------------------------------------------------------------------------- */

typedef struct tmpdir {
    char path[64];
} tmpdir;

static int tmpdir_setup(void **state)
{
    tmpdir *t = calloc(1, sizeof(*t));
    if (!t)
        return -1;
    strcpy(t->path, "/tmp/cite-xmlstore-XXXXXX");
    if (!mkdtemp(t->path)) {
        free(t);
        return -1;
    }
    *state = t;
    return 0;
}

/* Removes the folder and what the tests left in it (plain files and empty folders). */
static int tmpdir_teardown(void **state)
{
    tmpdir *t = *state;
    DIR *d = opendir(t->path);
    struct dirent *e;
    char p[512];
    chmod(t->path, 0700);
    while (d && (e = readdir(d))) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        snprintf(p, sizeof(p), "%s/%s", t->path, e->d_name);
        if (unlink(p) != 0)
            rmdir(p);
    }
    if (d)
        closedir(d);
    rmdir(t->path);
    free(t);
    return 0;
}

static void path_in(char *out, size_t size, const tmpdir *t, const char *name)
{
    snprintf(out, size, "%s/%s", t->path, name);
}

static void write_plain(const char *path, const char *text, mode_t mode)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
    assert_int_equal(chmod(path, mode), 0);
}

static void expect_contents(const char *path, const char *text)
{
    char *got = NULL;
    size_t len = 0;
    assert_int_equal(cite_read_file(&got, &len, path), 0);
    assert_int_equal(len, strlen(text));
    assert_string_equal(got, text);
    cite_free_string(got);
}

/* Entries whose name starts with "." (our temporary files), "." and ".." aside. */
static int hidden_entries(const tmpdir *t)
{
    int n = 0;
    DIR *d = opendir(t->path);
    assert_non_null(d);
    for (struct dirent *e; (e = readdir(d));)
        n += e->d_name[0] == '.' && strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    closedir(d);
    return n;
}

static void atomic_write_replaces_and_keeps_mode(void **state)
{
    tmpdir *t = *state;
    char path[128], link[128];
    path_in(path, sizeof(path), t, "lib.xml");
    write_plain(path, "old", 0640);
    assert_int_equal(cite_write_file_atomic(path, "new contents", 12), 0);
    expect_contents(path, "new contents");
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0640);
    assert_int_equal(hidden_entries(t), 0);

    /* A new file gets 0644 minus the umask. */
    path_in(path, sizeof(path), t, "fresh.xml");
    mode_t mask = umask(022);
    assert_int_equal(cite_write_file_atomic(path, "", 0), 0);
    umask(mask);
    expect_contents(path, "");
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0644);

    /* A symbolic link is followed: the file it names is replaced, the link stays. */
    path_in(link, sizeof(link), t, "link.xml");
    assert_int_equal(symlink(path, link), 0);
    assert_int_equal(cite_write_file_atomic(link, "via link", 8), 0);
    expect_contents(path, "via link");
    assert_int_equal(lstat(link, &st), 0);
    assert_true(S_ISLNK(st.st_mode));
}

static void atomic_write_onto_a_folder_fails_cleanly(void **state)
{
    tmpdir *t = *state;
    char path[128];
    path_in(path, sizeof(path), t, "sub");
    assert_int_equal(mkdir(path, 0755), 0);
    errno = 0;
    assert_int_equal(cite_write_file_atomic(path, "x", 1), CITE_EIO);
    assert_int_equal(errno, EISDIR);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_true(S_ISDIR(st.st_mode));
    assert_int_equal(hidden_entries(t), 0);

    path_in(path, sizeof(path), t, "");
    assert_int_equal(cite_write_file_atomic(path, "x", 1), CITE_EIO);
    assert_int_equal(cite_write_file_atomic("/nonexistent/cite/dir/f.xml", "x", 1), CITE_EIO);
    assert_int_equal(errno, ENOENT);
}

/* A write that fails half way (here: past the file size limit) leaves the old file whole and
 * no temporary file behind. Run in a child: the limit would also cut our own output. */
static void atomic_write_failing_midway_keeps_old_file(void **state)
{
    tmpdir *t = *state;
    char path[128];
    path_in(path, sizeof(path), t, "lib.xml");
    write_plain(path, "old library", 0644);
    size_t big = 1 << 20;
    char *data = malloc(big);
    assert_non_null(data);
    memset(data, 'x', big);
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        struct rlimit lim = { .rlim_cur = 4096, .rlim_max = RLIM_INFINITY };
        signal(SIGXFSZ, SIG_IGN);
        if (setrlimit(RLIMIT_FSIZE, &lim) != 0)
            _exit(2);
        int rc = cite_write_file_atomic(path, data, big);
        _exit(rc == CITE_EIO && errno == EFBIG ? 0 : 1);
    }
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    free(data);
    expect_contents(path, "old library");
    assert_int_equal(hidden_entries(t), 0);
}

static void atomic_write_in_read_only_folder_keeps_old_file(void **state)
{
    tmpdir *t = *state;
    char path[128];
    if (geteuid() == 0)
        skip(); /* root writes through permission bits */
    path_in(path, sizeof(path), t, "lib.xml");
    write_plain(path, "old library", 0644);
    assert_int_equal(chmod(t->path, 0555), 0);
    assert_int_equal(cite_write_file_atomic(path, "new", 3), CITE_EIO);
    assert_int_equal(errno, EACCES);
    assert_int_equal(chmod(t->path, 0700), 0);
    expect_contents(path, "old library");
    assert_int_equal(hidden_entries(t), 0);
}

static void load_from_file_roundtrips(void **state)
{
    tmpdir *t = *state;
    char path[128];
    path_in(path, sizeof(path), t, "lib.xml");
    cite_library *lib = full_library();
    char *first = write_or_fail(lib);
    assert_int_equal(cite_write_file_atomic(path, first, strlen(first)), 0);
    cite_library *again = NULL;
    cite_diag *diag = cite_diag_new();
    assert_int_equal(cite_xmlstore_load(&again, path, diag), 0);
    assert_int_equal(cite_diag_count(diag), 0);
    char *second = write_or_fail(again);
    assert_string_equal(first, second);

    /* A folder cannot be read as a file. */
    cite_library_free(again);
    assert_int_equal(cite_xmlstore_load(&again, t->path, diag), CITE_EIO);
    assert_null(again);
    assert_int_equal(cite_diag_count(diag), 1);
    assert_non_null(strstr(cite_diag_get(diag, 0)->message, "cannot read: "));
    cite_diag_free(diag);
    cite_free_string(second);
    cite_free_string(first);
    cite_library_free(lib);
}

/* ---- out of memory -------------------------------------------------------------------- */

static void write_survives_every_allocation_failure(void **state)
{
    (void)state;
    cite_library *lib = full_library();
    char *expected = write_or_fail(lib);
    int rc = CITE_ENOMEM;
    long budget;
    for (budget = 0; rc == CITE_ENOMEM && budget < 100000; budget++) {
        char *out = (char *)1;
        failalloc_start(budget);
        rc = cite_xmlstore_write(&out, lib);
        failalloc_stop();
        if (rc == 0) {
            assert_string_equal(out, expected);
            cite_free_string(out);
        } else {
            assert_int_equal(rc, CITE_ENOMEM);
            assert_null(out);
        }
    }
    assert_int_equal(rc, 0);
    assert_true(budget > 1);
    cite_free_string(expected);
    cite_library_free(lib);
}

/* Loads xml with every allocation budget until it succeeds; each failure must be a clean
 * CITE_ENOMEM (or, for an input that is refused anyway, CITE_EPARSE). */
static void load_oom_loop(const char *xml, int final)
{
    int rc = CITE_ENOMEM;
    long budget;
    for (budget = 0; rc == CITE_ENOMEM && budget < 100000; budget++) {
        cite_diag *diag = cite_diag_new();
        cite_library *lib = (cite_library *)1;
        failalloc_start(budget);
        rc = cite_xmlstore_load_memory(&lib, xml, strlen(xml), "oom.xml", diag);
        failalloc_stop();
        assert_true(rc == 0 || rc == CITE_ENOMEM || rc == CITE_EPARSE);
        if (rc == 0)
            assert_non_null(lib);
        else
            assert_null(lib);
        cite_library_free(lib);
        cite_diag_free(diag);
    }
    assert_int_equal(rc, final);
}

static void load_survives_every_allocation_failure(void **state)
{
    (void)state;
    cite_library *lib = full_library();
    char *xml = write_or_fail(lib);
    load_oom_loop(xml, 0);
    load_oom_loop(HEAD
                  "<bibliography version=\"1\">\n"
                  "  <entry id=\"a\" type=\"book\"><title>One</title></entry>\n"
                  "  <entry id=\"a\" type=\"book\"><title>One</title><title>2</title></entry>\n"
                  "</bibliography>\n",
                  CITE_EPARSE);
    cite_free_string(xml);
    cite_library_free(lib);
}

static void read_file_survives_every_allocation_failure(void **state)
{
    tmpdir *t = *state;
    char path[128];
    path_in(path, sizeof(path), t, "f.txt");
    write_plain(path, "some bytes", 0644);
    int rc = CITE_ENOMEM;
    for (long budget = 0; rc == CITE_ENOMEM && budget < 100; budget++) {
        char *out = (char *)1;
        size_t len = 99;
        failalloc_start(budget);
        rc = cite_read_file(&out, &len, path);
        failalloc_stop();
        if (rc == 0) {
            assert_string_equal(out, "some bytes");
            assert_int_equal(len, 10);
            cite_free_string(out);
        } else {
            assert_int_equal(rc, CITE_ENOMEM);
            assert_null(out);
        }
    }
    assert_int_equal(rc, 0);
    for (long budget = 0; budget < 4; budget++) {
        failalloc_start(budget);
        rc = cite_write_file_atomic(path, "other", 5);
        failalloc_stop();
        assert_true(rc == 0 || rc == CITE_ENOMEM);
        expect_contents(path, rc == 0 ? "other" : "some bytes");
        assert_int_equal(hidden_entries(t), 0);
        if (rc == 0)
            write_plain(path, "some bytes", 0644);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(write_follows_the_documented_layout),
        cmocka_unit_test(write_empty_library),
        cmocka_unit_test(load_reads_the_documented_example),
        cmocka_unit_test(roundtrip_of_every_feature_is_byte_identical),
        cmocka_unit_test(write_replaces_what_xml_cannot_carry),
        cmocka_unit_test(write_refuses_what_the_reader_would_refuse),
        cmocka_unit_test(unknown_elements_and_attributes_survive_read_modify_write),
        cmocka_unit_test(load_keeps_only_what_it_can_write_back),
        cmocka_unit_test(conflicting_attributes_of_a_name_list_are_reported),
        cmocka_unit_test(malformed_xml_reports_line_and_column),
        cmocka_unit_test(schema_violations_are_reported_at_their_lines),
        cmocka_unit_test(validity_errors_are_not_repeated_for_enclosing_elements),
        cmocka_unit_test(semantic_errors_are_reported_at_their_lines),
        cmocka_unit_test(external_entities_are_never_loaded),
        cmocka_unit_test(missing_file_is_an_io_error),
        cmocka_unit_test_setup_teardown(atomic_write_replaces_and_keeps_mode, tmpdir_setup,
                                        tmpdir_teardown),
        cmocka_unit_test_setup_teardown(atomic_write_onto_a_folder_fails_cleanly, tmpdir_setup,
                                        tmpdir_teardown),
        cmocka_unit_test_setup_teardown(atomic_write_failing_midway_keeps_old_file, tmpdir_setup,
                                        tmpdir_teardown),
        cmocka_unit_test_setup_teardown(atomic_write_in_read_only_folder_keeps_old_file,
                                        tmpdir_setup, tmpdir_teardown),
        cmocka_unit_test_setup_teardown(load_from_file_roundtrips, tmpdir_setup, tmpdir_teardown),
        cmocka_unit_test(write_survives_every_allocation_failure),
        cmocka_unit_test(load_survives_every_allocation_failure),
        cmocka_unit_test_setup_teardown(read_file_survives_every_allocation_failure, tmpdir_setup,
                                        tmpdir_teardown),
    };
    return cmocka_run_group_tests_name("xmlstore", tests, NULL, NULL);
}
