/* main.c: the cite command line: a table of subcommands, each with --help. */
#include <libxml/parser.h>
#include <string.h>

#include "cli.h"

static const cli_command commands[] = {
    { "check", "link every in-text citation of a document to its reference list", cmd_check,
      cmd_check_usage },
    { "link", "print the map from a document's citations to its reference list's entries", cmd_link,
      cmd_link_usage },
    { "import", "convert a BibTeX/biblatex or CSL-JSON file into an XML library", cmd_import,
      cmd_import_usage },
    { "export", "write a library as BibTeX, biblatex, CSL-JSON or XML", cmd_export,
      cmd_export_usage },
    { "parse", "turn a document's reference list into structured entries", cmd_parse,
      cmd_parse_usage },
    { "format", "render a library's reference list or citations through a CSL style", cmd_format,
      cmd_format_usage },
    { "reformat", "rewrite a document's citations and reference list in another style",
      cmd_reformat, cmd_reformat_usage },
};

static void usage(FILE *out)
{
    fprintf(out, "usage: cite [--version] [--help] COMMAND [ARGS]\n\n"
                 "cite parses, checks and formats bibliographies.\n\ncommands:\n");
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fprintf(out, "\n'cite COMMAND --help' describes a command.\n"
                 "Exit status: 0 clean, 1 problems in the input, 2 usage or unreadable input.\n");
}

static const cli_command *find_command(const char *name)
{
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    return NULL;
}

int main(int argc, char **argv)
{
    LIBXML_TEST_VERSION
    if (argc < 2) {
        usage(stderr);
        return EXIT_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        usage(stdout);
        return EXIT_CLEAN;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("cite %s\n", CITE_VERSION);
        return EXIT_CLEAN;
    }
    if (strcmp(argv[1], "help") == 0 && argc > 2 && find_command(argv[2])) {
        find_command(argv[2])->usage(stdout);
        return EXIT_CLEAN;
    }
    const cli_command *cmd = find_command(argv[1]);
    if (!cmd) {
        cli_error("'%s' is not a cite command; see 'cite --help'", argv[1]);
        return EXIT_USAGE;
    }
    return cmd->run(argc - 1, argv + 1);
}
