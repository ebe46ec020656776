/* jsonl.c: the JSON Lines batch mode (DESIGN.md, "Scale"): cite run as a mapper under GNU
 * parallel, Hadoop Streaming or Spark's RDD.pipe reads one record a line and writes one result
 * a line, so a corpus of any size streams through a fixed amount of memory (one line at a
 * time) and a bad record costs its own line, never the run. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "jsonl.h"

static bool is_blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!strchr(" \t\r\n", s[i]))
            return false;
    return true;
}

/* One line: the record it holds, or a result line saying why it holds none. */
static int one_line(const char *line,
                    size_t n,
                    const cli_jsonl_source *src,
                    cli_jsonl_fn fn,
                    void *ctx,
                    bool *problems)
{
    json_error_t jerr;
    json_t *rec = json_loadb(line, n, JSON_REJECT_DUPLICATES, &jerr);
    cli_jsonl_record r = { .source = src, .id = rec ? json_object_get(rec, "id") : NULL };
    const char *why = NULL;
    char buf[256];
    if (!rec) {
        snprintf(buf, sizeof buf, "column %d: %s", jerr.column, jerr.text);
        why = buf;
    } else if (!json_is_object(rec)) {
        why = "a record is a JSON object";
    } else if (!json_is_string(json_object_get(rec, "text"))) {
        why = "a record needs \"text\", a string";
    } else if (json_object_get(rec, "name") && !json_is_string(json_object_get(rec, "name"))) {
        why = "\"name\" must be a string";
    }
    int rc = 0;
    if (why) {
        *problems = true;
        rc = cli_jsonl_emit(cli_jsonl_error(&r, why));
    } else {
        r.text = json_string_value(json_object_get(rec, "text"));
        r.len = json_string_length(json_object_get(rec, "text"));
        r.name = json_string_value(json_object_get(rec, "name"));
        rc = fn(&r, ctx);
        if (rc == EXIT_PROBLEMS)
            *problems = true;
        rc = rc == EXIT_USAGE ? CITE_EIO : 0;
    }
    json_decref(rec);
    return rc;
}

/* Progress on standard error, when it is a terminal (DESIGN.md: never into a log): the
 * records read so far, at most once a second; done clears the line. */
static void progress(const cli_jsonl_source *src, size_t records, bool done)
{
    static time_t last;
    time_t now = time(NULL);
    if (!isatty(STDERR_FILENO) || (!done && now == last))
        return;
    last = now;
    if (done)
        fputs("\r\033[K", stderr);
    else
        fprintf(stderr, "\r%s: %zu record%s, line %zu", src->file, records, records == 1 ? "" : "s",
                src->line);
}

int cli_jsonl_each(const char *path, cli_jsonl_fn fn, void *ctx)
{
    FILE *in = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
    if (!in) {
        cli_error("cannot read %s: %s", path, strerror(errno));
        return EXIT_USAGE;
    }
    cli_jsonl_source src = { .file = cli_input_name(path) };
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    bool problems = false;
    int err = 0;
    size_t records = 0;
    while (err == 0 && (n = getline(&line, &cap, in)) >= 0) {
        src.line++;
        if (!is_blank(line, (size_t)n)) {
            err = one_line(line, (size_t)n, &src, fn, ctx, &problems);
            progress(&src, ++records, false);
        }
    }
    progress(&src, records, true);
    bool unread = ferror(in);
    free(line);
    if (in != stdin)
        fclose(in);
    if (unread) {
        cli_error("cannot read %s", src.file);
        return EXIT_USAGE;
    }
    if (err < 0 || fflush(stdout) == EOF) {
        cli_error("cannot write the results");
        return EXIT_USAGE;
    }
    return problems ? EXIT_PROBLEMS : EXIT_CLEAN;
}

const char *cli_jsonl_name(const cli_jsonl_record *r, char *buf, size_t size)
{
    if (r->name)
        return r->name;
    snprintf(buf, size, "%s:%zu", r->source->file, r->source->line);
    return buf;
}

json_t *cli_jsonl_error(const cli_jsonl_record *r, const char *message)
{
    return json_pack("{s:O?, s:s, s:I, s:s}", "id", r->id, "input", r->source->file, "line",
                     (json_int_t)r->source->line, "error", message);
}

int cli_jsonl_emit(json_t *result)
{
    if (!result)
        return CITE_ENOMEM;
    int rc = json_dumpf(result, stdout, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(result);
    if (rc == 0 && putchar('\n') == EOF)
        rc = -1;
    return rc ? CITE_EIO : 0;
}
