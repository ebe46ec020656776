/* style_open.c: find a CSL style by file or name, load it and the chain of locales it needs.
 * Shared by the commands that render (format, reformat). */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

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
    size_t n = strlen(CLI_SYSTEM_STYLES) + strlen(name) + 8;
    char *path = malloc(n);
    if (!path)
        return NULL;
    snprintf(path, n, "%s/%s.csl", CLI_SYSTEM_STYLES, name);
    if (readable(path))
        return path;
    free(path);
    return readable(name) ? strdup(name) : NULL;
}

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
static int
load_locales(cli_style *s, const char *lang, const char *const *dirs, size_t ndirs, cite_diag *diag)
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
            s->locales[s->nlocales++] = l;
    }
    if (bad)
        return CITE_EPARSE;
    if (s->nlocales == 0) {
        cite_loc at = { 0 };
        cite_diag_report(diag, CITE_SEV_WARNING, at,
                         "no locale file for %s found; terms and dates will be missing "
                         "(install citation-style-language-locales or give --locale-dir)",
                         lang);
    }
    return 0;
}

/* The folder of path ("." when it has none). Caller frees. */
static char *folder_of(const char *path)
{
    char *dir = strdup(path);
    if (!dir)
        return NULL;
    char *slash = strrchr(dir, '/');
    if (slash)
        *slash = '\0';
    else
        strcpy(dir, ".");
    return dir;
}

int cli_style_open(
    cli_style *s, const char *name, const char *lang, const char *locale_dir, cite_diag *diag)
{
    *s = (cli_style){ .nlocales = 0 };
    s->path = resolve_style(name);
    if (!s->path) {
        cli_error("style '%s' not found (neither a file nor in %s)", name, CLI_SYSTEM_STYLES);
        return EXIT_USAGE;
    }
    int err = cite_style_load(&s->style, s->path, diag);
    if (err < 0) {
        if (err == CITE_ENOMEM)
            cli_error("out of memory");
        return err == CITE_EIO ? EXIT_USAGE : EXIT_PROBLEMS;
    }
    s->lang = lang ? lang : cite_style_get_default_locale(s->style);
    if (!s->lang)
        s->lang = "en-US";
    char *style_dir = folder_of(s->path);
    const char *dirs[] = { locale_dir, getenv("CITE_LOCALE_DIR"), style_dir, CLI_SYSTEM_LOCALES };
    err = load_locales(s, s->lang, dirs, sizeof(dirs) / sizeof(dirs[0]), diag);
    free(style_dir);
    return err < 0 ? EXIT_PROBLEMS : EXIT_CLEAN;
}

void cli_style_close(cli_style *s)
{
    for (size_t i = 0; i < s->nlocales; i++)
        cite_locale_free(s->locales[i]);
    cite_style_free(s->style);
    free(s->path);
    *s = (cli_style){ .nlocales = 0 };
}
