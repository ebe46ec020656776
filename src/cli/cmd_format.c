/* cmd_format.c: cite format, a library rendered through a CSL style (DESIGN.md, Styles). */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

/* Where Debian's citation-style-language-styles and -locales install. */
#define SYSTEM_STYLES  "/usr/share/citation-style-language/styles"
#define SYSTEM_LOCALES "/usr/share/citation-style-language/locales"

void cmd_format_usage(FILE *out)
{
    fprintf(out,
            "usage: cite format LIB --style STYLE [--to text|html|markdown] [--locale LANG]\n"
            "                   [--locale-dir DIR] [--cite KEY[,KEY...]]...\n\n"
            "Render the reference list of LIB (an XML library, BibTeX or CSL-JSON; '-' reads\n"
            "standard input) through a CSL 1.0.2 style, sorted as the style says. With\n"
            "--cite, print the in-text citation of each group of keys instead, one a line,\n"
            "disambiguated against the whole library.\n\n"
            "options:\n"
            "  --style STYLE      a .csl file, or the name of an official style installed by\n"
            "                     Debian's citation-style-language-styles (" SYSTEM_STYLES ")\n"
            "  --to FORMAT        text (default), html (as citeproc-js writes it) or markdown\n"
            "  --locale LANG      the language of terms and dates (en-GB, de-DE...); default:\n"
            "                     the style's default-locale, else en-US\n"
            "  --locale-dir DIR   where locales-LANG.xml files are; searched before the\n"
            "                     style's folder and " SYSTEM_LOCALES "\n"
            "  --cite KEYS        a citation of the comma-separated keys (repeatable)\n"
            "  -h, --help         show this help\n\n"
            "Exit status: 0 clean, 1 problems in the input or the style, 2 usage or unreadable\n"
            "input.\n");
}

static bool readable(const char *path)
{
    return access(path, R_OK) == 0;
}

/* The style file STYLE names: itself when it is a file, else NAME.csl among the official
 * styles. Caller frees. */
static char *resolve_style(const char *name)
{
    if (readable(name) && (strchr(name, '/') || strstr(name, ".csl")))
        return strdup(name);
    size_t n = strlen(SYSTEM_STYLES) + strlen(name) + 8;
    char *path = malloc(n);
    if (!path)
        return NULL;
    snprintf(path, n, "%s/%s.csl", SYSTEM_STYLES, name);
    if (readable(path))
        return path;
    free(path);
    return readable(name) ? strdup(name) : NULL;
}

typedef struct locale_set {
    cite_locale *locs[3];
    size_t n;
} locale_set;

/* Loads locales-LANG.xml from the first folder that has it; NULL when none does. A file
 * that exists and does not load is reported. */
static cite_locale *
load_locale(const char *lang, const char *const *dirs, size_t ndirs, cite_diag *diag, bool *bad)
{
    for (size_t i = 0; i < ndirs; i++) {
        if (!dirs[i])
            continue;
        char path[4096];
        snprintf(path, sizeof(path), "%s/locales-%s.xml", dirs[i], lang);
        if (!readable(path))
            continue;
        cite_locale *loc = NULL;
        if (cite_locale_load(&loc, path, diag) < 0) {
            *bad = true;
            return NULL;
        }
        return loc;
    }
    return NULL;
}

/* The chain of locales for lang: lang itself, its primary dialect, en-US. */
static int load_locales(
    locale_set *set, const char *lang, const char *const *dirs, size_t ndirs, cite_diag *diag)
{
    const char *want[3] = { lang, NULL, "en-US" };
    char base[32];
    const char *dash = strchr(lang, '-');
    snprintf(base, sizeof(base), "%.*s", dash ? (int)(dash - lang) : (int)strlen(lang), lang);
    want[1] = cite_locale_primary_dialect(base);
    bool bad = false;
    for (size_t i = 0; i < 3; i++) {
        bool dup = false;
        for (size_t k = 0; k < i; k++)
            dup |= want[k] && strcmp(want[k], want[i]) == 0;
        if (dup || !want[i])
            continue;
        cite_locale *l = load_locale(want[i], dirs, ndirs, diag, &bad);
        if (l)
            set->locs[set->n++] = l;
    }
    if (bad)
        return CITE_EPARSE;
    if (set->n == 0) {
        cite_loc at = { 0 };
        cite_diag_report(diag, CITE_SEV_WARNING, at,
                         "no locale file for %s found; terms and dates will be missing "
                         "(install citation-style-language-locales or give --locale-dir)",
                         lang);
    }
    return 0;
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
        if (strcmp(a, "--style") == 0) {
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
    cite_style *style = NULL;
    cite_formatter *f = NULL;
    locale_set locales = { .n = 0 };
    char *style_path = resolve_style(style_name);
    char *style_dir = NULL;
    if (!diag) {
        cli_error("out of memory");
        status = EXIT_PROBLEMS;
        goto cleanup;
    }
    if (!style_path) {
        cli_error("style '%s' not found (neither a file nor in %s)", style_name, SYSTEM_STYLES);
        status = EXIT_USAGE;
        goto cleanup;
    }
    int err = cite_style_load(&style, style_path, diag);
    if (err < 0) {
        status = err == CITE_EIO ? EXIT_USAGE : EXIT_PROBLEMS;
        if (err == CITE_ENOMEM)
            cli_error("out of memory");
        goto cleanup;
    }
    err = cli_load_library(&lib, input, FMT_AUTO, diag);
    if (!lib) {
        status = err == CITE_EIO ? EXIT_USAGE : EXIT_PROBLEMS;
        goto cleanup;
    }
    if (err < 0)
        status = EXIT_PROBLEMS;
    if (!lang)
        lang = cite_style_get_default_locale(style);
    if (!lang)
        lang = "en-US";
    style_dir = strdup(style_path);
    if (style_dir && strrchr(style_dir, '/'))
        *strrchr(style_dir, '/') = '\0';
    else if (style_dir)
        strcpy(style_dir, ".");
    const char *dirs[4] = { locale_dir, getenv("CITE_LOCALE_DIR"), style_dir, SYSTEM_LOCALES };
    if (load_locales(&locales, lang, dirs, 4, diag) < 0) {
        status = EXIT_PROBLEMS;
        goto cleanup;
    }
    if (cite_formatter_new(&f, style, locales.locs, locales.n, lang, lib) < 0) {
        cli_error("out of memory");
        status = EXIT_PROBLEMS;
        goto cleanup;
    }
    if (ncites == 0) {
        char *s = NULL;
        if (cite_format_bibliography(&s, f, to) < 0) {
            cli_error("out of memory");
            status = EXIT_PROBLEMS;
            goto cleanup;
        }
        fputs(s, stdout);
        if (to == CITE_OUTPUT_HTML)
            fputc('\n', stdout);
        cite_free_string(s);
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
cleanup:
    if (diag)
        cli_print_diagnostics(diag);
    cite_formatter_free(f);
    for (size_t i = 0; i < locales.n; i++)
        cite_locale_free(locales.locs[i]);
    cite_style_free(style);
    cite_library_free(lib);
    cite_diag_free(diag);
    free(style_path);
    free(style_dir);
    free(cites);
    return status;
}
