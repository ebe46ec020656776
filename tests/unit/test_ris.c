/* test_ris.c: the RIS reader and writer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdio.h>
#include <string.h>

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
    p.rc = cite_ris_read(&p.lib, src, strlen(src), "t.ris", p.diag);
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

static void assert_name(const cite_record *rec,
                        const char *var,
                        size_t i,
                        const char *particle,
                        const char *family,
                        const char *given,
                        const char *literal)
{
    cite_name_parts n;
    assert_true(cite_record_get_name(rec, var, i, &n));
    if (particle)
        assert_string_equal(n.particle, particle);
    else
        assert_null(n.particle);
    if (family)
        assert_string_equal(n.family, family);
    else
        assert_null(n.family);
    if (given)
        assert_string_equal(n.given, given);
    else
        assert_null(n.given);
    if (literal)
        assert_string_equal(n.literal, literal);
    else
        assert_null(n.literal);
}

/* A Zotero-style export: BOM, CRLF, a wrapped abstract, every kind of tag. */
static const char JOURNAL[] = "\xEF\xBB\xBFTY  - JOUR\r\n"
                              "AU  - Boeke, Sergei\r\n"
                              "AU  - de Valk, Giliam\r\n"
                              "AU  - King, Martin Luther, Jr.\r\n"
                              "AU  - International Crisis Group\r\n"
                              "A2  - Omeje, Kenneth\r\n"
                              "PY  - 2019\r\n"
                              "DA  - 2019/10/04/\r\n"
                              "TI  - The Unforeseen 2012 Crisis in Mali\r\n"
                              "T2  - Studies in Conflict & Terrorism\r\n"
                              "J2  - Stud. Confl. Terror.\r\n"
                              "VL  - 44\r\n"
                              "IS  - 10\r\n"
                              "SP  - 835\r\n"
                              "EP  - 854\r\n"
                              "SN  - 1057-610X\r\n"
                              "SN  - 978-3-16-148410-0\r\n"
                              "DO  - 10.1080/1057610X.2019.1592356\r\n"
                              "UR  - https://doi.org/10.1080/1057610X.2019.1592356\r\n"
                              "UR  - https://example.org/mirror\r\n"
                              "KW  - Mali\r\n"
                              "KW  - risk analysis\r\n"
                              "AB  - Two intelligence services\r\n"
                              "read the same signals differently.\r\n"
                              "L1  - file:///papers/boeke.pdf\r\n"
                              "Y2  - 2025/10/30\r\n"
                              "ER  - \r\n";

static void reads_every_kind_of_tag(void **state)
{
    (void)state;
    parsed p = parse(JOURNAL);
    assert_int_equal(p.rc, 0);
    assert_int_equal(cite_diag_count(p.diag), 0);
    const cite_record *r = rec_at(&p, 0);
    assert_string_equal(cite_record_get_type(r), "article-journal");
    assert_string_equal(cite_record_get_id(r), "boeke2019");
    assert_name(r, "author", 0, NULL, "Boeke", "Sergei", NULL);
    assert_name(r, "author", 1, "de", "Valk", "Giliam", NULL);
    assert_name(r, "author", 2, NULL, "King", "Martin Luther", NULL);
    assert_name(r, "author", 3, NULL, NULL, NULL, "International Crisis Group");
    assert_name(r, "editor", 0, NULL, "Omeje", "Kenneth", NULL);
    const cite_field *issued = cite_record_field(r, "issued");
    assert_int_equal(issued->date.from.year, 2019);
    assert_int_equal(issued->date.from.month, 10);
    assert_int_equal(issued->date.from.day, 4);
    assert_string_equal(cite_record_get_text(r, "title"), "The Unforeseen 2012 Crisis in Mali");
    assert_string_equal(cite_record_get_text(r, "container-title"),
                        "Studies in Conflict & Terrorism");
    assert_string_equal(cite_record_get_text(r, "container-title-short"), "Stud. Confl. Terror.");
    assert_string_equal(cite_record_get_text(r, "page"), "835\u2013854");
    assert_string_equal(cite_record_get_text(r, "ISSN"), "1057-610X");
    assert_string_equal(cite_record_get_text(r, "ISBN"), "978-3-16-148410-0");
    assert_string_equal(cite_record_get_text(r, "URL"),
                        "https://doi.org/10.1080/1057610X.2019.1592356");
    assert_string_equal(cite_record_get_text(r, "ris-UR"), "https://example.org/mirror");
    assert_string_equal(cite_record_get_text(r, "keyword"), "Mali, risk analysis");
    assert_string_equal(cite_record_get_text(r, "abstract"),
                        "Two intelligence services read the same signals differently.");
    assert_string_equal(cite_record_get_text(r, "ris-L1"), "file:///papers/boeke.pdf");
    assert_int_equal(cite_record_field(r, "accessed")->date.from.day, 30);
    parsed_free(&p);
}

/* Written out and read again, a record keeps every field RIS holds, kept tags included. */
static void writes_what_it_reads(void **state)
{
    (void)state;
    parsed p = parse(JOURNAL);
    char *ris = NULL;
    assert_int_equal(cite_ris_write(&ris, p.lib), 0);
    assert_non_null(strstr(ris, "TY  - JOUR\nID  - boeke2019\nAU  - Boeke, Sergei\n"
                                "AU  - de Valk, Giliam\nAU  - King, Martin Luther, Jr.\n"));
    assert_non_null(strstr(ris, "PY  - 2019\nDA  - 2019/10/04\n"));
    assert_non_null(strstr(ris, "SP  - 835\nEP  - 854\n"));
    assert_non_null(strstr(ris, "UR  - https://example.org/mirror\nL1  - file:///papers/"));
    assert_non_null(strstr(ris, "ER  - \n\n"));
    parsed again = parse(ris);
    assert_int_equal(again.rc, 0);
    const cite_record *a = rec_at(&p, 0), *b = rec_at(&again, 0);
    assert_int_equal(a->nfields, b->nfields);
    for (size_t i = 0; i < a->nfields; i++) {
        const cite_field *fb = cite_record_field(b, a->fields[i].name);
        assert_non_null(fb);
        if (a->fields[i].kind == CITE_VAR_NAMES)
            for (size_t k = 0; k < a->fields[i].nnames; k++)
                assert_true(cite_name_equal(&a->fields[i].names[k], &fb->names[k]));
        else if (a->fields[i].kind == CITE_VAR_DATE)
            assert_true(cite_date_equal(&a->fields[i].date, &fb->date));
        else
            assert_string_equal(a->fields[i].text, fb->text);
    }
    cite_free_string(ris);
    parsed_free(&again);
    parsed_free(&p);
}

/* Markup is dropped, line breaks become spaces, a literal date stays, a page list stays whole,
 * and an "and others" is no author. */
static void writes_plain_one_line_values(void **state)
{
    (void)state;
    cite_library *lib = cite_library_new();
    cite_record *rec = cite_record_new("x1", "book");
    cite_name n = { .family = "Smith", .given = "A." }, others = { .others = true };
    cite_date nd = { .literal = "n.d." };
    assert_int_equal(cite_record_set_text(rec, "title", "A <i>Short</i>\nHistory"), 0);
    assert_int_equal(cite_record_set_text(rec, "page", "3, 7-9"), 0);
    assert_int_equal(cite_record_add_name(rec, "author", &n), 0);
    assert_int_equal(cite_record_add_name(rec, "author", &others), 0);
    assert_int_equal(cite_record_set_date(rec, "issued", &nd), 0);
    assert_int_equal(cite_library_add(lib, rec), 0);
    char *ris = NULL;
    assert_int_equal(cite_ris_write(&ris, lib), 0);
    assert_string_equal(ris, "TY  - BOOK\nID  - x1\nAU  - Smith, A.\nPY  - n.d.\n"
                             "TI  - A Short History\nSP  - 3, 7-9\nER  - \n\n");
    cite_free_string(ris);
    cite_library_free(lib);
}

/* Text before the first record and a tag outside one are errors at their lines (a run of
 * stray lines once); a record cut short by the next TY or by the end is kept with a warning;
 * an unknown type reads as a document; a taken ID gets a letter. */
static void reports_what_it_cannot_read(void **state)
{
    (void)state;
    parsed p = parse("Exported from somewhere\n"
                     "on a Tuesday\n"
                     "\n"
                     "TY  - CHAP\n"
                     "ID  - a1\n"
                     "TI  - First\n"
                     "TY  - WEIRD\n"
                     "ID  - a1\n"
                     "TI  - Second\n"
                     "ER  -\n"
                     "VL  - 3\n"
                     "TY  - BOOK\n"
                     "TI  - Third\n");
    assert_int_equal(p.rc, CITE_EPARSE);
    assert_int_equal(cite_library_count(p.lib), 3);
    assert_string_equal(cite_record_get_type(rec_at(&p, 0)), "chapter");
    assert_string_equal(cite_record_get_type(rec_at(&p, 1)), "document");
    assert_string_equal(cite_record_get_id(rec_at(&p, 1)), "a1a");
    assert_string_equal(cite_record_get_text(rec_at(&p, 2), "title"), "Third");
    const char *want[][2] = {
        { "1", "expected 'TY  - ' to start a record" },
        { "4", "record without 'ER  - '; it ends where the next begins" },
        { "7", "unknown RIS type 'WEIRD'; read as 'document'" },
        { "7", "duplicate ID 'a1'; this record is kept as 'a1a'" },
        { "11", "tag 'VL' outside a record (expected 'TY  - ')" },
        { "12", "record without 'ER  - ' at the end of the file" },
    };
    assert_int_equal(cite_diag_count(p.diag), sizeof want / sizeof *want);
    for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
        const cite_diag_item *d = cite_diag_get(p.diag, i);
        char line[8];
        snprintf(line, sizeof line, "%u", d->line);
        assert_string_equal(line, want[i][0]);
        assert_string_equal(d->message, want[i][1]);
    }
    parsed_free(&p);
}

/* A name with nothing before its comma, or a one-word name, is kept whole. */
static void odd_names_are_kept_whole(void **state)
{
    (void)state;
    parsed p = parse("TY  - GEN\nAU  - , Anonymous\nAU  - Aristotle\nAU  - van  der\tBerg, J.\n"
                     "ER  - \n");
    assert_int_equal(p.rc, 0);
    const cite_record *r = rec_at(&p, 0);
    assert_name(r, "author", 0, NULL, NULL, NULL, ", Anonymous");
    assert_name(r, "author", 1, NULL, "Aristotle", NULL, NULL);
    assert_name(r, "author", 2, "van der", "Berg", "J.", NULL);
    parsed_free(&p);
}

static void survives_every_failed_allocation(void **state)
{
    (void)state;
    int rc = CITE_ENOMEM;
    for (long budget = 0; rc == CITE_ENOMEM && budget < 100000; budget++) {
        cite_diag *diag = cite_diag_new();
        cite_library *lib = NULL;
        char *out = NULL;
        failalloc_start(budget);
        rc = cite_ris_read(&lib, JOURNAL, strlen(JOURNAL), "t.ris", diag);
        if (rc == 0)
            rc = cite_ris_write(&out, lib);
        failalloc_stop();
        assert_true(rc == 0 || rc == CITE_ENOMEM);
        cite_free_string(out);
        cite_library_free(lib);
        cite_diag_free(diag);
    }
    assert_int_equal(rc, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(reads_every_kind_of_tag),
        cmocka_unit_test(writes_what_it_reads),
        cmocka_unit_test(writes_plain_one_line_values),
        cmocka_unit_test(reports_what_it_cannot_read),
        cmocka_unit_test(odd_names_are_kept_whole),
        cmocka_unit_test(survives_every_failed_allocation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
