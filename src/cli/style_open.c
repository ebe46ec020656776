/* style_open.c: find a CSL style by file or name, load it and the chain of locales it needs.
 * Shared by the commands that render (format, reformat). */
#define _XOPEN_SOURCE 700 /* realpath is XSI; glibc hides it under plain _POSIX_C_SOURCE */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

static bool readable(const char *path)
{
    return access(path, R_OK) == 0;
}

#ifndef CITE_STYLES_INSTALLED
#define CITE_STYLES_INSTALLED "/usr/local/share/cite/styles" /* the Makefile sets $(PREFIX)'s */
#endif

static bool is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The styles/ folder of the source tree this binary was built in: build/cite ->
 * build/../styles. NULL when the binary does not live in a build tree (it is installed). */
static char *styles_beside_build(void)
{
    char exe[4096];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    if (n <= 0)
        return NULL;
    exe[n] = '\0';
    char *slash = strrchr(exe, '/');
    if (!slash)
        return NULL;
    *slash = '\0';
    char beside[4096 + sizeof("/../styles")];
    snprintf(beside, sizeof(beside), "%s/../styles", exe);
    char *dir = realpath(beside, NULL); /* malloc'd; NULL when the folder does not exist */
    if (dir && is_dir(dir))
        return dir;
    free(dir);
    return NULL;
}

/* The folder of cite's own styles and locales (styles/harvard.csl, apa.csl, locales-en-*.xml):
 * $CITE_STYLE_DIR when set, else styles/ beside the build tree, else the installed copy.
 * NULL when none exists. Caller frees. */
static char *own_styles_dir(void)
{
    const char *env = getenv("CITE_STYLE_DIR");
    if (env && *env)
        return strdup(env);
    char *dir = styles_beside_build();
    if (dir)
        return dir;
    return is_dir(CITE_STYLES_INSTALLED) ? strdup(CITE_STYLES_INSTALLED) : NULL;
}

/* dir/name.csl when it is readable, else NULL. Caller frees. */
static char *style_in(const char *dir, const char *name)
{
    if (!dir)
        return NULL;
    size_t n = strlen(dir) + strlen(name) + sizeof("/.csl");
    char *path = malloc(n);
    if (!path)
        return NULL;
    snprintf(path, n, "%s/%s.csl", dir, name);
    if (readable(path))
        return path;
    free(path);
    return NULL;
}

/* The style file STYLE names: itself when it is a file path, else NAME.csl among our own
 * styles (own_dir), then among the official ones. Caller frees. */
static char *resolve_style(const char *name, const char *own_dir)
{
    if (readable(name) && (strchr(name, '/') || strstr(name, ".csl")))
        return strdup(name);
    if (!strchr(name, '/')) {
        char *path = style_in(own_dir, name);
        if (!path)
            path = style_in(CLI_SYSTEM_STYLES, name);
        if (path)
            return path;
    }
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
    char *own_dir = own_styles_dir();
    int status = EXIT_CLEAN;
    s->path = resolve_style(name, own_dir);
    if (!s->path) {
        cli_error("style '%s' not found: neither a file, nor one of cite's own styles (%s), "
                  "nor an official one in %s",
                  name, own_dir ? "harvard, apa" : "not installed", CLI_SYSTEM_STYLES);
        status = EXIT_USAGE;
        goto cleanup;
    }
    int err = cite_style_load(&s->style, s->path, diag);
    if (err < 0) {
        if (err == CITE_ENOMEM)
            cli_error("out of memory");
        status = err == CITE_EIO ? EXIT_USAGE : EXIT_PROBLEMS;
        goto cleanup;
    }
    s->lang = lang ? lang : cite_style_get_default_locale(s->style);
    if (!s->lang)
        s->lang = "en-US";
    /* The style's own folder comes before the system's (our styles find our locales); our
     * locales come last, so official styles keep Debian's and still render without them. */
    char *style_dir = folder_of(s->path);
    const char *dirs[] = { locale_dir, getenv("CITE_LOCALE_DIR"), style_dir, CLI_SYSTEM_LOCALES,
                           own_dir };
    err = load_locales(s, s->lang, dirs, sizeof(dirs) / sizeof(dirs[0]), diag);
    free(style_dir);
    if (err < 0)
        status = EXIT_PROBLEMS;
cleanup:
    free(own_dir);
    return status;
}

void cli_style_close(cli_style *s)
{
    for (size_t i = 0; i < s->nlocales; i++)
        cite_locale_free(s->locales[i]);
    cite_style_free(s->style);
    free(s->path);
    *s = (cli_style){ .nlocales = 0 };
}
