/* test_bibnames.c: BibTeX name lists, read (bibtex.web's rules) and written back. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "bibnames.h"
#include "failalloc.h"
#include "latex.h"

/* One expected name. von is the non-dropping particle. */
typedef struct expect_name {
    const char *given, *von, *family, *suffix, *literal;
    bool others;
} expect_name;

#define PERSON(g, v, f, s)                             \
    {                                                  \
        .given = g, .von = v, .family = f, .suffix = s \
    }
#define LITERAL(l)   \
    {                \
        .literal = l \
    }
#define OTHERS         \
    {                  \
        .others = true \
    }
#define MAX_NAMES 8

/* Six names, one of each kind. */
#define SIX_NAMES                                                                          \
    "Kn{\\\"u}th, Donald E. and {World Health Organization} and de la Fontaine, Jean and " \
    "Ludwig van Beethoven and Smith, Jr., John and others"

typedef struct parse_case {
    const char *input;
    expect_name names[MAX_NAMES]; /* ends at the first entry with nothing set */
} parse_case;

static const parse_case cases[] = {
    /* The forms, and the classic examples of btxdoc and "Tame the BeaST" */
    { "Donald E. Knuth", { PERSON("Donald E.", NULL, "Knuth", NULL) } },
    { "Knuth, Donald E.", { PERSON("Donald E.", NULL, "Knuth", NULL) } },
    { "Kn{\\\"u}th, Donald E.", { PERSON("Donald E.", NULL, "Knüth", NULL) } },
    { "Ludwig van Beethoven", { PERSON("Ludwig", "van", "Beethoven", NULL) } },
    { "van Beethoven, Ludwig", { PERSON("Ludwig", "van", "Beethoven", NULL) } },
    { "Charles Louis Xavier Joseph de la Vall{\\'e}e Poussin",
      { PERSON("Charles Louis Xavier Joseph", "de la", "Vallée Poussin", NULL) } },
    { "Jean de La Fontaine", { PERSON("Jean", "de", "La Fontaine", NULL) } },
    { "de La Fontaine, Jean", { PERSON("Jean", "de", "La Fontaine", NULL) } },
    { "De La Fontaine, Jean", { PERSON("Jean", NULL, "De La Fontaine", NULL) } },
    { "De la Fontaine, Jean", { PERSON("Jean", "De la", "Fontaine", NULL) } },
    { "Jean De La Fontaine", { PERSON("Jean De La", NULL, "Fontaine", NULL) } },
    { "jean de la fontaine", { PERSON(NULL, "jean de la", "fontaine", NULL) } },
    { "Jean {de} la fontaine", { PERSON("Jean de", "la", "fontaine", NULL) } },
    { "jean {de} {la} fontaine", { PERSON(NULL, "jean", "de la fontaine", NULL) } },
    { "jean De la fontaine", { PERSON(NULL, "jean De la", "fontaine", NULL) } },
    { "Smith, Jr., John", { PERSON("John", NULL, "Smith", "Jr.") } },
    { "de la Fontaine, III, Jean", { PERSON("Jean", "de la", "Fontaine", "III") } },
    { "A, B, C, D", { PERSON("C, D", NULL, "A", "B") } },
    { "Plato", { PERSON(NULL, NULL, "Plato", NULL) } },
    { ", Plato", { PERSON("Plato", NULL, NULL, NULL) } },
    { "Smith, John,", { PERSON("John", NULL, "Smith", NULL) } },
    { "Smith,", { PERSON(NULL, NULL, "Smith", NULL) } },
    /* Literals and others */
    { "{World Health Organization}", { LITERAL("World Health Organization") } },
    { "{Barnes and Noble, Inc.}", { LITERAL("Barnes and Noble, Inc.") } },
    { "{Robert Bosch GmbH} and {Daimler Chrysler AG} and {Bayerische Motoren Werke AG}",
      { LITERAL("Robert Bosch GmbH"), LITERAL("Daimler Chrysler AG"),
        LITERAL("Bayerische Motoren Werke AG") } },
    { "Bart Childs and others", { PERSON("Bart", NULL, "Childs", NULL), OTHERS } },
    { "Others", { PERSON(NULL, NULL, "Others", NULL) } },
    { SIX_NAMES,
      { PERSON("Donald E.", NULL, "Knüth", NULL), LITERAL("World Health Organization"),
        PERSON("Jean", "de la", "Fontaine", NULL), PERSON("Ludwig", "van", "Beethoven", NULL),
        PERSON("John", NULL, "Smith", "Jr."), OTHERS } },
    /* The "and" that separates names */
    { "A AND B And C and D",
      { PERSON(NULL, NULL, "A", NULL), PERSON(NULL, NULL, "B", NULL), PERSON(NULL, NULL, "C", NULL),
        PERSON(NULL, NULL, "D", NULL) } },
    { "Anderson and Band",
      { PERSON(NULL, NULL, "Anderson", NULL), PERSON(NULL, NULL, "Band", NULL) } },
    { " and Smith\n and  and\tJones and ",
      { PERSON(NULL, NULL, "Smith", NULL), PERSON(NULL, NULL, "Jones", NULL) } },
    { "Smith {and} Jones", { PERSON("Smith and", NULL, "Jones", NULL) } },
    { "Smith~and Jones", { PERSON("Smith", "and", "Jones", NULL) } },
    { "", { { 0 } } },
    { " \t ", { { 0 } } },
    { "and", { { 0 } } },
    { "{} and { }", { { 0 } } },
    /* Case: the first letter at depth 0, special characters, plain groups */
    { "{\\\"u}ber Smith", { PERSON(NULL, "über", "Smith", NULL) } },
    { "{\\\"U}ber Smith", { PERSON("Über", NULL, "Smith", NULL) } },
    { "{\\'E}mile Zola", { PERSON("Émile", NULL, "Zola", NULL) } },
    { "Émile Zola", { PERSON("Émile", NULL, "Zola", NULL) } },
    { "émile Zola", { PERSON(NULL, "émile", "Zola", NULL) } },
    { "{\\O}ystein Ore", { PERSON("Øystein", NULL, "Ore", NULL) } },
    { "{\\o}ystein Ore", { PERSON(NULL, "øystein", "Ore", NULL) } },
    { "Vincent {van} Gogh", { PERSON("Vincent van", NULL, "Gogh", NULL) } },
    { "{Van} Gogh, Vincent", { PERSON("Vincent", NULL, "Van Gogh", NULL) } },
    { "{v}an Gogh, Vincent", { PERSON("Vincent", "van", "Gogh", NULL) } },
    { "{de la} Cruz, Juan", { PERSON("Juan", NULL, "de la Cruz", NULL) } },
    { "Cruz y Rodr{\\'\\i}guez, Juan", { PERSON("Juan", "Cruz y", "Rodríguez", NULL) } },
    { "{Cruz y Rodr{\\'\\i}guez}, Juan", { PERSON("Juan", NULL, "Cruz y Rodríguez", NULL) } },
    /* Ties and hyphens: both separate tokens, as in bibtex.web */
    { "D.~E. Knuth", { PERSON("D. E.", NULL, "Knuth", NULL) } },
    { "Jean-Paul Sartre", { PERSON("Jean-Paul", NULL, "Sartre", NULL) } },
    { "Mary Smith-Jones", { PERSON("Mary", NULL, "Smith-Jones", NULL) } },
    { "Anwar el-Sadat", { PERSON("Anwar", "el", "Sadat", NULL) } },
    { "Ana Mu\\~{n}oz", { PERSON("Ana", NULL, "Muñoz", NULL) } },
    /* Real authors: TUGboat (beebe/tugboat.bib) and biblatex-examples.bib */
    { "C. G. van der Laan", { PERSON("C. G.", "van der", "Laan", NULL) } },
    { "Andrea de Leeuw van Weenen", { PERSON("Andrea", "de Leeuw van", "Weenen", NULL) } },
    { "Eric {van Herwijnen}", { PERSON("Eric", NULL, "van Herwijnen", NULL) } },
    { "Guy L. {Steele Jr.}", { PERSON("Guy L.", NULL, "Steele Jr.", NULL) } },
    { "Frank G. {Bennett, Jr.}", { PERSON("Frank G.", NULL, "Bennett, Jr.", NULL) } },
    { "G. V. Bakhareva and Serge{\\u{\\i}} Pavlovich Luppov and others",
      { PERSON("G. V.", NULL, "Bakhareva", NULL), PERSON("Sergeĭ Pavlovich", NULL, "Luppov", NULL),
        OTHERS } },
    { "Frank Mittelbach and Will Robertson and {{\\LaTeX3} team}",
      { PERSON("Frank", NULL, "Mittelbach", NULL), PERSON("Will", NULL, "Robertson", NULL),
        LITERAL("LaTeX3 team") } },
    { "V{\\'a}zques{ de }Parga, Luis and Lacarra, Jos{\\'e} Mar{\\'i}a and "
      "Ur{\\'i}a R{\\'i}u, Juan",
      { PERSON("Luis", NULL, "Vázques de Parga", NULL), PERSON("José María", NULL, "Lacarra", NULL),
        PERSON("Juan", NULL, "Uría Ríu", NULL) } },
    { "Aks{\\i}n, {\\\"O}zge and {\\c{C}}etinkaya, Bekir",
      { PERSON("Özge", NULL, "Aksın", NULL), PERSON("Bekir", NULL, "Çetinkaya", NULL) } },
    { "Malinowski, Bronis{\\l}aw", { PERSON("Bronisław", NULL, "Malinowski", NULL) } },
    { "O'Meara, Dominic J.", { PERSON("Dominic J.", NULL, "O'Meara", NULL) } },
    { "de Geer, Ingrid", { PERSON("Ingrid", "de", "Geer", NULL) } },
    { "von Brandt, Ahasver and Erich Hoffmann",
      { PERSON("Ahasver", "von", "Brandt", NULL), PERSON("Erich", NULL, "Hoffmann", NULL) } },
    { "Zhong, Chuan-Jian", { PERSON("Chuan-Jian", NULL, "Zhong", NULL) } },
    { "{Hughes Aircraft Company}", { LITERAL("Hughes Aircraft Company") } },
    /* Odd input: never an error */
    { "{Smith", { PERSON(NULL, NULL, "Smith", NULL) } },
    { "Smith}, John", { PERSON("John", NULL, "Smith}", NULL) } },
    { "{a and b", { PERSON(NULL, NULL, "a and b", NULL) } },
};

static bool expect_empty(const expect_name *e)
{
    return !e->given && !e->von && !e->family && !e->suffix && !e->literal && !e->others;
}

static size_t expect_count(const parse_case *c)
{
    size_t n = 0;
    while (n < MAX_NAMES && !expect_empty(&c->names[n]))
        n++;
    return n;
}

static void free_names(cite_name *names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        cite_name_dispose(&names[i]);
    cite_free(names);
}

static void
check_part(const char *input, size_t i, const char *what, const char *got, const char *want)
{
    if (got == want || (got && want && strcmp(got, want) == 0))
        return;
    print_error("input \"%s\", name %zu, %s: got \"%s\", want \"%s\"\n", input, i, what,
                got ? got : "(null)", want ? want : "(null)");
    fail();
}

static void check_names(
    const char *input, const cite_name *names, size_t n, const expect_name *want, size_t nwant)
{
    if (n != nwant) {
        print_error("input \"%s\": got %zu names, want %zu\n", input, n, nwant);
        fail();
    }
    for (size_t i = 0; i < n; i++) {
        check_part(input, i, "given", names[i].given, want[i].given);
        check_part(input, i, "von", names[i].non_dropping_particle, want[i].von);
        check_part(input, i, "family", names[i].family, want[i].family);
        check_part(input, i, "suffix", names[i].suffix, want[i].suffix);
        check_part(input, i, "literal", names[i].literal, want[i].literal);
        assert_null(names[i].dropping_particle);
        assert_int_equal(names[i].others, want[i].others);
    }
}

static void parse_gives_the_parts_bibtex_gives(void **state)
{
    (void)state;
    for (size_t k = 0; k < CITE_ARRAY_LEN(cases); k++) {
        const parse_case *c = &cases[k];
        cite_name *names;
        size_t n;
        assert_int_equal(cite_bibtex_names_parse(&names, &n, c->input, strlen(c->input)), 0);
        check_names(c->input, names, n, c->names, expect_count(c));
        if (n == 0)
            assert_null(names);
        free_names(names, n);
    }
}

/* parse(write(L)) == L for flags; fails with both texts shown. */
static void check_round_trip(const char *input, const cite_name *names, size_t n, unsigned flags)
{
    cite_buf out = CITE_BUF_INIT;
    cite_bibtex_names_write(&out, names, n, flags);
    assert_false(cite_buf_oom(&out));
    cite_name *back;
    size_t nback;
    assert_int_equal(cite_bibtex_names_parse(&back, &nback, out.ptr, out.len), 0);
    bool same = nback == n;
    for (size_t i = 0; same && i < n; i++)
        same = cite_name_equal(&names[i], &back[i]);
    if (!same) {
        print_error("input \"%s\" (flags %u) was written \"%s\", which reads back otherwise\n",
                    input, flags, out.ptr);
        fail();
    }
    free_names(back, nback);
    cite_buf_dispose(&out);
}

static void check_parse_round_trip(const char *input, size_t len)
{
    cite_name *names;
    size_t n;
    assert_int_equal(cite_bibtex_names_parse(&names, &n, input, len), 0);
    check_round_trip(input, names, n, 0);
    check_round_trip(input, names, n, CITE_LATEX_ASCII);
    free_names(names, n);
}

static void written_names_read_back_the_same(void **state)
{
    (void)state;
    for (size_t k = 0; k < CITE_ARRAY_LEN(cases); k++)
        check_parse_round_trip(cases[k].input, strlen(cases[k].input));
}

static void check_write(const cite_name *names, size_t n, unsigned flags, const char *want)
{
    cite_buf out = CITE_BUF_INIT;
    cite_bibtex_names_write(&out, names, n, flags);
    assert_string_equal(out.ptr, want);
    cite_buf_dispose(&out);
    check_round_trip(want, names, n, flags);
}

static void write_uses_the_comma_form_and_braces_only_where_needed(void **state)
{
    (void)state;
    cite_name plain[] = {
        { .given = "Jean", .non_dropping_particle = "de la", .family = "Fontaine" },
        { .given = "John", .family = "Smith", .suffix = "Jr." },
        { .literal = "Barnes and Noble, Inc." },
        { .others = true },
    };
    check_write(plain, 4, 0,
                "de la Fontaine, Jean and Smith, Jr., John and {Barnes and Noble, Inc.} and "
                "others");
    cite_name accented = { .given = "Émile", .family = "Zola" };
    check_write(&accented, 1, 0, "Zola, Émile");
    check_write(&accented, 1, CITE_LATEX_ASCII, "Zola, {\\'E}mile");
    cite_name cruz = { .given = "Juan", .family = "Cruz y Rodríguez" };
    check_write(&cruz, 1, 0, "{Cruz y Rodríguez}, Juan");
    cite_name robbia = { .family = "Della Robbia" };
    check_write(&robbia, 1, 0, "{Della Robbia}{}");
    cite_name aristotle = { .family = "Aristotle" };
    check_write(&aristotle, 1, 0, "Aristotle");
    cite_name plato = { .given = "Plato" };
    check_write(&plato, 1, 0, "{}, Plato");
    cite_name jr = { .family = "Smith", .suffix = "Jr." };
    check_write(&jr, 1, 0, "Smith, Jr., {}");
    cite_name von_only = { .non_dropping_particle = "van", .family = "Gogh" };
    check_write(&von_only, 1, 0, "van Gogh");
}

static void write_protects_what_would_read_back_otherwise(void **state)
{
    (void)state;
    cite_name others = { .family = "others" };
    check_write(&others, 1, 0, "other{s}");
    cite_name and_word = { .given = "Marks and", .family = "Spencer" };
    check_write(&and_word, 1, 0, "Spencer, Marks an{d}");
    cite_name comma = { .given = "Frank G.", .family = "Bennett, Jr." };
    check_write(&comma, 1, 0, "Bennett{,} Jr., Frank G.");
    cite_name lower = { .given = "Juan", .family = "de la Cruz" };
    check_write(&lower, 1, 0, "{de la Cruz}, Juan");
    /* a von part that does not start lowercase: {V}an still reads as von */
    cite_name van = { .given = "Martin", .non_dropping_particle = "Van", .family = "Buren" };
    check_write(&van, 1, 0, "{V}an Buren, Martin");
    cite_name dash = { .given = "A -", .family = "B" };
    check_write(&dash, 1, 0, "B, A {-}");
}

static void write_folds_what_bibtex_cannot_say(void **state)
{
    (void)state;
    /* CSL's dropping particle has no BibTeX part: it joins the von part */
    cite_name dropping = { .given = "Jean", .dropping_particle = "de", .family = "La Fontaine" };
    cite_buf out = CITE_BUF_INIT;
    cite_bibtex_names_write(&out, &dropping, 1, 0);
    assert_string_equal(out.ptr, "de La Fontaine, Jean");
    cite_buf_dispose(&out);
    /* a name with nothing in it reads back as no name at all */
    cite_name empty = { .given = "" };
    cite_bibtex_names_write(&out, &empty, 1, 0);
    cite_name *names;
    size_t n;
    assert_int_equal(cite_bibtex_names_parse(&names, &n, out.ptr, out.len), 0);
    assert_int_equal(n, 0);
    assert_null(names);
    cite_buf_dispose(&out);
}

/* A small deterministic generator (xorshift64*), so that a failure can be replayed. */
static uint64_t rng_state = 0x9E3779B97F4A7C15u;

static uint32_t rng(uint32_t bound)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return (uint32_t)((rng_state * 0x2545F4914F6CDD1Du) >> 33) % bound;
}

/* Name-like text with balanced braces: every such list must survive a round trip. */
static void append_namelike(cite_buf *b, int depth)
{
    static const char *const words[] = {
        "and",       "AND",
        "van",       "der",
        "De",        "la",
        "x",         "Y",
        "é",         "É",
        "ß",         "Ω",
        "ω",         "ǅ",
        "others",    "Jr.",
        "1",         ".",
        "'",         "`",
        "--",        "\\'e",
        "{\\\"u}",   "{\\'E}",
        "{\\ss}",    "{\\O}",
        "{\\i}",     "\\&",
        "\\%",       "\\,",
        "\\~{n}",    "$x$",
        "\\emph{A}", "{\\relax Ch}",
    };
    static const char *const seps[] = { " ", " ", " ", ",", ", ", "~", "-", "\t", "\xC2\xA0" };
    int parts = 1 + (int)rng(6);
    for (int i = 0; i < parts; i++) {
        if (depth < 2 && rng(6) == 0) {
            cite_buf_putc(b, '{');
            append_namelike(b, depth + 1);
            cite_buf_putc(b, '}');
        } else {
            cite_buf_puts(b, words[rng(CITE_ARRAY_LEN(words))]);
        }
        if (rng(3) > 0)
            cite_buf_puts(b, seps[rng(CITE_ARRAY_LEN(seps))]);
    }
}

static void name_like_input_survives_a_round_trip(void **state)
{
    (void)state;
    cite_buf input = CITE_BUF_INIT;
    for (int k = 0; k < 5000; k++) {
        cite_buf_clear(&input);
        append_namelike(&input, 0);
        check_parse_round_trip(input.ptr, input.len);
    }
    cite_buf_dispose(&input);
}

/* Any bytes at all: no crash, no overread (ASan), no error, no empty name, and writing
 * whatever came out works. Unbalanced braces cannot always round-trip, so that is not
 * checked here. */
static void garbage_is_read_without_failing(void **state)
{
    (void)state;
    static const char alphabet[] = "{}{}\\\\,,~-  aAnNdDeExX'\"`$%&\t\n\x00\xC2\xA0\xC3\xA9\xFF";
    char input[96];
    for (int k = 0; k < 20000; k++) {
        size_t len = rng(sizeof(input));
        for (size_t i = 0; i < len; i++)
            input[i] = k % 4 == 0 ? (char)rng(256) : alphabet[rng(sizeof(alphabet) - 1)];
        cite_name *names;
        size_t n;
        assert_int_equal(cite_bibtex_names_parse(&names, &n, input, len), 0);
        for (size_t i = 0; i < n; i++)
            assert_true(names[i].others || names[i].literal || names[i].family || names[i].given ||
                        names[i].non_dropping_particle || names[i].suffix);
        cite_buf out = CITE_BUF_INIT;
        cite_bibtex_names_write(&out, names, n, k % 2 ? CITE_LATEX_ASCII : 0);
        assert_false(cite_buf_oom(&out));
        free_names(names, n);
        cite_buf_dispose(&out);
    }
}

static void out_of_memory_frees_everything(void **state)
{
    (void)state;
    const char *input = SIX_NAMES;
    cite_name *want;
    size_t nwant;
    assert_int_equal(cite_bibtex_names_parse(&want, &nwant, input, strlen(input)), 0);
    cite_buf ref = CITE_BUF_INIT;
    cite_bibtex_names_write(&ref, want, nwant, CITE_LATEX_ASCII);
    bool parsed = false, written = false;
    for (long budget = 0; !(parsed && written); budget++) {
        static cite_name sentinel;
        cite_name *names = &sentinel; /* must be reset to NULL on failure */
        size_t n = 99;
        failalloc_start(budget);
        int rc = cite_bibtex_names_parse(&names, &n, input, strlen(input));
        failalloc_stop();
        if (rc == CITE_ENOMEM) {
            assert_null(names);
            assert_int_equal(n, 0);
        } else {
            assert_int_equal(rc, 0);
            check_round_trip(input, names, n, 0);
            free_names(names, n);
            parsed = true;
        }
        cite_buf out = CITE_BUF_INIT;
        failalloc_start(budget);
        cite_bibtex_names_write(&out, want, nwant, CITE_LATEX_ASCII);
        failalloc_stop();
        if (!cite_buf_oom(&out)) {
            assert_string_equal(out.ptr, ref.ptr);
            written = true;
        }
        cite_buf_dispose(&out);
    }
    free_names(want, nwant);
    cite_buf_dispose(&ref);
}

/* The end of the field value that starts with the delimiter at v ('{' or '"'), or NULL. */
static const char *value_end(const char *v, const char *end)
{
    size_t depth = 0;
    for (const char *q = v + 1; q < end; q++) {
        if (*q == '{')
            depth++;
        else if (*q == '}' && depth-- == 0)
            return *v == '{' ? q : NULL;
        else if (*q == '"' && depth == 0 && *v == '"')
            return q;
    }
    return NULL;
}

/* The author fields of a real .bib file, when texlive has it, survive a round trip. */
static void round_trip_file_names(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return;
    cite_buf text = CITE_BUF_INIT;
    char chunk[8192];
    size_t got;
    while ((got = fread(chunk, 1, sizeof(chunk), f)) > 0)
        cite_buf_put(&text, chunk, got);
    fclose(f);
    const char *end = text.ptr + text.len;
    size_t fields = 0;
    for (const char *p = text.ptr; (p = strstr(p, "author")) != NULL; p++) {
        const char *v = p + 6, *close;
        bool equals = false;
        for (; v < end && (*v == ' ' || *v == '\t' || *v == '='); v++)
            equals |= *v == '=';
        if (equals && v < end && (*v == '{' || *v == '"') && (close = value_end(v, end))) {
            check_parse_round_trip(v + 1, (size_t)(close - v - 1));
            fields++;
        }
    }
    cite_buf_dispose(&text);
    assert_true(fields > 0);
}

static void real_author_fields_survive_a_round_trip(void **state)
{
    (void)state;
    round_trip_file_names("/usr/share/texlive/texmf-dist/bibtex/bib/beebe/tugboat.bib");
    round_trip_file_names(
        "/usr/share/texlive/texmf-dist/bibtex/bib/biblatex/biblatex/biblatex-examples.bib");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parse_gives_the_parts_bibtex_gives),
        cmocka_unit_test(written_names_read_back_the_same),
        cmocka_unit_test(write_uses_the_comma_form_and_braces_only_where_needed),
        cmocka_unit_test(write_protects_what_would_read_back_otherwise),
        cmocka_unit_test(write_folds_what_bibtex_cannot_say),
        cmocka_unit_test(name_like_input_survives_a_round_trip),
        cmocka_unit_test(garbage_is_read_without_failing),
        cmocka_unit_test(out_of_memory_frees_everything),
        cmocka_unit_test(real_author_fields_survive_a_round_trip),
    };
    return cmocka_run_group_tests_name("bibnames", tests, NULL, NULL);
}
