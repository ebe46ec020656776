/* cmd_format.c: cite format, a library rendered through a CSL style (DESIGN.md, Styles). */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

void cmd_format_usage(FILE *out)
{
    fprintf(out,
            "usage: cite format LIB --style STYLE [--to text|html|markdown] [--locale LANG]\n"
            "                   [--locale-dir DIR] [--cite KEY[,KEY...]]... [--bibliography]\n\n"
            "Render the reference list of LIB (an XML library, BibTeX or CSL-JSON; '-' reads\n"
            "standard input) through a CSL 1.0.2 style, sorted as the style says. With\n"
            "--cite, print the in-text citation of each group of keys instead, one a line,\n"
            "disambiguated against the whole library; --bibliography then prints the reference\n"
            "list after them, as a document needs both.\n\n"
            "options:\n"
            "  --style STYLE      a .csl file, or a style's name: cite's own 'harvard' (Cite Them\n"
            "                     Right) and 'apa' (APA 7th edition) come first, then the\n"
            "                     official styles of Debian's citation-style-language-styles\n"
            "                     (" CLI_SYSTEM_STYLES ")\n"
            "  --to FORMAT        text (default), html (as citeproc-js writes it) or markdown\n"
            "  --locale LANG      the language of terms and dates (en-GB, de-DE...); default:\n"
            "                     the style's default-locale, else en-US\n"
            "  --locale-dir DIR   where locales-LANG.xml files are; searched before the\n"
            "                     style's folder, " CLI_SYSTEM_LOCALES "\n"
            "                     and cite's own en-US and en-GB\n"
            "  --cite KEYS        a citation of the comma-separated keys (repeatable)\n"
            "  --bibliography     with --cite, also print the reference list (after a blank\n"
            "                     line)\n"
            "  -h, --help         show this help\n\n"
            "environment:\n"
            "  CITE_STYLE_DIR     the folder of cite's own styles and locales (default: styles/\n"
            "                     beside the build tree, else the installed share/cite/styles)\n"
            "  CITE_LOCALE_DIR    searched for locales after --locale-dir\n\n"
            "Exit status: 0 clean, 1 problems in the input or the style, 2 usage or unreadable\n"
            "input.\n");
}

/* Splits "a,b,c" into cite items (ids point into keys, which is modified). */
static size_t split_keys(cite_cite_item **out, char *keys)
{
    size_t n = 1;
    for (const char *p = keys; *p; p++)
        n += *p == ',';
    cite_cite_item *items = calloc(n, sizeof(cite_cite_item));
    *out = items;
    if (!items)
        return 0;
    size_t k = 0;
    for (char *tok = strtok(keys, ","); tok; tok = strtok(NULL, ",")) {
        while (*tok == ' ')
            tok++;
        if (*tok)
            items[k++].id = tok;
    }
    return k;
}

int cmd_format(int argc, char **argv)
{
    const char *input = NULL, *style_name = NULL, *lang = NULL, *locale_dir = NULL;
    cite_output to = CITE_OUTPUT_TEXT;
    char **cites = calloc((size_t)argc, sizeof(char *));
    size_t ncites = 0;
    bool with_bib = false;
    int status = EXIT_CLEAN;
    if (!cites) {
        cli_error("out of memory");
        return EXIT_PROBLEMS;
    }
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *val = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            cmd_format_usage(stdout);
            free(cites);
            return EXIT_CLEAN;
        }
        bool takes = strcmp(a, "--style") == 0 || strcmp(a, "--to") == 0 ||
                     strcmp(a, "--locale") == 0 || strcmp(a, "--locale-dir") == 0 ||
                     strcmp(a, "--cite") == 0;
        if (takes && !val) {
            cli_error("option '%s' needs a value", a);
            free(cites);
            return EXIT_USAGE;
        }
        if (strcmp(a, "--bibliography") == 0) {
            with_bib = true;
        } else if (strcmp(a, "--style") == 0) {
            style_name = argv[++i];
        } else if (strcmp(a, "--locale") == 0) {
            lang = argv[++i];
        } else if (strcmp(a, "--locale-dir") == 0) {
            locale_dir = argv[++i];
        } else if (strcmp(a, "--cite") == 0) {
            cites[ncites++] = argv[++i];
        } else if (strcmp(a, "--to") == 0) {
            const char *t = argv[++i];
            if (strcmp(t, "text") == 0) {
                to = CITE_OUTPUT_TEXT;
            } else if (strcmp(t, "html") == 0) {
                to = CITE_OUTPUT_HTML;
            } else if (strcmp(t, "markdown") == 0 || strcmp(t, "md") == 0) {
                to = CITE_OUTPUT_MARKDOWN;
            } else {
                cli_error("unknown output format '%s' (text, html or markdown)", t);
                free(cites);
                return EXIT_USAGE;
            }
        } else if (a[0] == '-' && a[1] != '\0') {
            cli_error("unknown option '%s'; see 'cite format --help'", a);
            free(cites);
            return EXIT_USAGE;
        } else if (!input) {
            input = a;
        } else {
            cli_error("more than one library given ('%s' and '%s')", input, a);
            free(cites);
            return EXIT_USAGE;
        }
    }
    if (!input || !style_name) {
        cli_error(!input ? "no library given; see 'cite format --help'"
                         : "no style given: --style FILE.csl or the name of an official style");
        free(cites);
        return EXIT_USAGE;
    }
    cite_diag *diag = cite_diag_new();
    cite_library *lib = NULL;
    cite_formatter *f = NULL;
    cli_style style = { .nlocales = 0 };
    if (!diag) {
        cli_error("out of memory");
        status = EXIT_PROBLEMS;
        goto cleanup;
    }
    status = cli_style_open(&style, style_name, lang, locale_dir, diag);
    if (status != EXIT_CLEAN)
        goto cleanup;
    int err = cli_load_library(&lib, input, FMT_AUTO, diag);
    if (!lib) {
        status = err == CITE_EIO ? EXIT_USAGE : EXIT_PROBLEMS;
        goto cleanup;
    }
    if (err < 0)
        status = EXIT_PROBLEMS;
    if (cite_formatter_new(&f, style.style, style.locales, style.nlocales, style.lang, lib) < 0) {
        cli_error("out of memory");
        status = EXIT_PROBLEMS;
        goto cleanup;
    }
    for (size_t c = 0; c < ncites; c++) {
        cite_cite_item *items = NULL;
        size_t n = split_keys(&items, cites[c]);
        char *s = NULL;
        const cite_record *rec;
        const char *missing = NULL;
        for (size_t k = 0; k < n && !missing; k++)
            if (cite_library_lookup(&rec, lib, items[k].id) < 0)
                missing = items[k].id;
        int rc = !items    ? CITE_ENOMEM
                 : missing ? CITE_ENOTFOUND
                           : cite_format_citation(&s, f, items, n, 0, to);
        if (rc == CITE_ENOTFOUND) {
            cli_error("--cite: no entry '%s' in %s", missing, input);
            status = EXIT_PROBLEMS;
        } else if (rc < 0) {
            cli_error("out of memory");
            status = EXIT_PROBLEMS;
        } else {
            printf("%s\n", s);
        }
        cite_free_string(s);
        free(items);
    }
    if (ncites == 0 || with_bib) {
        char *s = NULL;
        if (cite_format_bibliography(&s, f, to) < 0) {
            cli_error("out of memory");
            status = EXIT_PROBLEMS;
            goto cleanup;
        }
        if (ncites)
            fputc('\n', stdout);
        fputs(s, stdout);
        if (to == CITE_OUTPUT_HTML)
            fputc('\n', stdout);
        cite_free_string(s);
    }
cleanup:
    if (diag)
        cli_print_diagnostics(diag);
    cite_formatter_free(f);
    cli_style_close(&style);
    cite_library_free(lib);
    cite_diag_free(diag);
    free(cites);
    return status;
}
