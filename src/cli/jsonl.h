/* jsonl.h: the JSON Lines batch mode of cite check and cite parse (jsonl.c).
 *
 * Input: one JSON object a line, {"id": any, "text": "the document", "name": "paper.md"}; only
 * "text" is required, "name" decides the reader by its extension (as a file name does) and
 * names the document in messages. Blank lines are skipped. Output: one JSON object a line, in
 * input order, each starting with the record's "id"; a line that holds no valid record gives
 * {"id", "input", "line", "error"} instead, and the run goes on. */
#ifndef CITE_CLI_JSONL_H
#define CITE_CLI_JSONL_H

#include <jansson.h>

#include "cli.h"

typedef struct cli_jsonl_source {
    const char *file; /* the input's name ("<stdin>") */
    size_t line;      /* 1-based line of the record */
} cli_jsonl_source;

typedef struct cli_jsonl_record {
    const cli_jsonl_source *source;
    json_t *id;       /* borrowed; NULL when the record has none */
    const char *text; /* borrowed: the document, len bytes (may hold NULs) */
    size_t len;
    const char *name; /* borrowed, or NULL */
} cli_jsonl_record;

/* Handles one record: writes its result line (cli_jsonl_emit) and returns EXIT_CLEAN,
 * EXIT_PROBLEMS (the record has problems: the run's status becomes 1) or EXIT_USAGE (the
 * output cannot be written: the run stops). */
typedef int (*cli_jsonl_fn)(const cli_jsonl_record *r, void *ctx);

/* Runs fn on every record of path ("-": standard input), one line in memory at a time.
 * Returns the exit status: EXIT_CLEAN, EXIT_PROBLEMS when a record had problems or a line
 * held no valid record, EXIT_USAGE when path cannot be read or the output written. */
int cli_jsonl_each(const char *path, cli_jsonl_fn fn, void *ctx);
/* The name a record's messages give its document: its "name", else "FILE:LINE" (in buf). */
const char *cli_jsonl_name(const cli_jsonl_record *r, char *buf, size_t size);
/* The result line of a record that could not be handled. NULL on OOM. */
json_t *cli_jsonl_error(const cli_jsonl_record *r, const char *message);
/* Writes result (taking it) as one compact line. 0, CITE_ENOMEM (result NULL) or CITE_EIO. */
int cli_jsonl_emit(json_t *result);

#endif
