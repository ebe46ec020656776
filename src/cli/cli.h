/* cli.h: what the subcommands of the cite tool share: option parsing, diagnostics printing,
 * reading any library format, writing output. */
#ifndef CITE_CLI_H
#define CITE_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "cite.h"

/* Exit statuses (DESIGN.md, Command line). */
enum { EXIT_CLEAN = 0, EXIT_PROBLEMS = 1, EXIT_USAGE = 2 };

typedef struct cli_command {
    const char *name;
    const char *summary;
    int (*run)(int argc, char **argv); /* argv[0] is the command name */
    void (*usage)(FILE *out);
} cli_command;

int cmd_import(int argc, char **argv);
void cmd_import_usage(FILE *out);
int cmd_export(int argc, char **argv);
void cmd_export_usage(FILE *out);
int cmd_parse(int argc, char **argv);
void cmd_parse_usage(FILE *out);
int cmd_check(int argc, char **argv);
void cmd_check_usage(FILE *out);
int cmd_link(int argc, char **argv);
void cmd_link_usage(FILE *out);
int cmd_format(int argc, char **argv);
void cmd_format_usage(FILE *out);
int cmd_reformat(int argc, char **argv);
void cmd_reformat_usage(FILE *out);

/* Prints every diagnostic in compiler form (file:line:col: severity: message), with a caret
 * excerpt where the source line is known. */
void cli_print_diagnostics(const cite_diag *diag);
/* Prints "cite: error: ..." to stderr. */
void cli_error(const char *fmt, ...) CITE_PRINTF(1, 2);

/* FMT_AUTO: any library, by extension and content; FMT_SOURCE: what import reads, CSL-JSON
 * (.json, or text starting with '[' or '{'), RIS (.ris, or text starting with "TY  -") or
 * else BibTeX. */
typedef enum cli_format {
    FMT_AUTO,
    FMT_SOURCE,
    FMT_XML,
    FMT_BIBTEX,
    FMT_BIBLATEX,
    FMT_CSLJSON,
    FMT_RIS,
    FMT_MODS, /* written only */
    FMT_JSONL /* cite parse's batch mode (jsonl.h): not a library format */
} cli_format;
/* Parses a --to/--from value; false when unknown. */
bool cli_parse_format(const char *s, cli_format *out);
/* "<stdin>" for "-", else path: the name diagnostics give an input. */
const char *cli_input_name(const char *path);
/* Reads path ("-" for standard input) whole into a NUL-terminated *out (free with
 * cite_free_string()). CITE_EIO (reported to diag) when it cannot be read, or CITE_ENOMEM. */
int cli_read_input(char **out, size_t *len, const char *path, cite_diag *diag);
/* Reads the document at path ("-" for standard input) with the reader its name and bytes call
 * for (cite_document_detect). Returns 0, CITE_EIO (unreadable), CITE_EPARSE (the reader
 * refused it: corrupt, encrypted, too large) with the reason in diag, or CITE_ENOMEM. Caller
 * owns *out; free with cite_document_free(). */
int cli_read_document(cite_document **out, const char *path, cite_diag *diag);
/* Where a location reported on the document's text (a cite_loc of the check or of the
 * reference parser) is in the original file named doc_name; a location in another file (a
 * --bib library) is returned as it is. */
cite_doc_place cli_place(const cite_document *doc, const char *doc_name, cite_loc at);
/* Prints "file:line:col: " (or "file:line: ", "file: " as far as the place is known). */
void cli_print_place(FILE *out, const char *file, const cite_doc_place *at);
/* Like cli_print_diagnostics, with the places of the document's text mapped to the original
 * (doc NULL: no mapping), and for DOCX a note naming the paragraph. */
void cli_print_document_diagnostics(const cite_diag *diag,
                                    const cite_document *doc,
                                    const char *doc_name);

/* Writes the findings of ck on the document doc (read from doc_path, as given on the command
 * line; bib_path names the --bib library or is NULL) as SARIF 2.1.0 for GitHub code scanning
 * (sarif.c), leaving out those silenced(flag, ctx) says to. 0, CITE_ENOMEM or CITE_EIO. */
int cli_write_sarif(FILE *out,
                    const cite_check *ck,
                    const cite_document *doc,
                    const char *doc_path,
                    const char *bib_path,
                    bool (*silenced)(const char *flag, const void *ctx),
                    const void *ctx);

/* Loads a library from path ("-" for standard input): an XML store, a .bib file or CSL-JSON,
 * by extension and content when fmt is FMT_AUTO or FMT_SOURCE. Returns 0, CITE_EPARSE (diagnostics
 * say why; *out may still hold what could be read), CITE_EIO (unreadable), CITE_ENOMEM. */
int cli_load_library(cite_library **out, const char *path, cli_format fmt, cite_diag *diag);
/* Serialises lib in fmt and writes it to path atomically, or to stdout when path is NULL or
 * "-". Returns an exit status, printing the error itself. */
int cli_write_library(const cite_library *lib, cli_format fmt, const char *path);

/* Where Debian's citation-style-language-styles and -locales install. */
#define CLI_SYSTEM_STYLES  "/usr/share/citation-style-language/styles"
#define CLI_SYSTEM_LOCALES "/usr/share/citation-style-language/locales"

/* A CSL style with the locales it renders with: lang's file, its primary dialect's, en-US's. */
typedef struct cli_style {
    cite_style *style;
    cite_locale *locales[3];
    size_t nlocales;
    const char *lang; /* borrowed: the caller's, or the style's default-locale, or "en-US" */
    char *path;       /* the style file */
} cli_style;

/* Finds the style name stands for (a .csl file, else NAME.csl among cite's own styles, else
 * among the official styles), loads it and the locales for lang (NULL: the style's
 * default-locale, else en-US), searched in locale_dir (may be NULL), $CITE_LOCALE_DIR, the
 * style's folder, the system locales and cite's own. cite's own styles are in $CITE_STYLE_DIR,
 * else styles/ beside the build tree of the binary, else $(PREFIX)/share/cite/styles.
 * Problems go to diag or, when nothing was found, to stderr. Returns EXIT_CLEAN, EXIT_USAGE
 * (not found, unreadable) or EXIT_PROBLEMS (a file that does not load). Always release *s
 * with cli_style_close(). */
int cli_style_open(
    cli_style *s, const char *name, const char *lang, const char *locale_dir, cite_diag *diag);
void cli_style_close(cli_style *s);

/* The arguments of a converting command: INPUT [-o FILE] [--to FORMAT] [--help]. */
typedef struct cli_io {
    const char *input;  /* "-" for standard input */
    const char *output; /* NULL: standard output */
    cli_format to;
} cli_io;

/* Parses argv (argv[0] is the command) into *io. Returns -1 to go on, or the exit status
 * after printing the help (EXIT_CLEAN) or a usage error (EXIT_USAGE). need_to: --to is
 * required. */
int cli_io_args(
    cli_io *io, int argc, char **argv, cli_format default_to, bool need_to, void (*usage)(FILE *));

#endif
