/* input.c: a document to read whole, mapped from its file when it can be (cli.h). A regular
 * file is mapped read-only: its bytes are the page cache's own, so there is nothing to copy and
 * no fresh page to clear, which for a large manuscript is a tenth of what cite check costs.
 * The price, as for every tool that maps its input: a file cut short by another process while
 * it is being checked ends the run with SIGBUS. */
#define _DEFAULT_SOURCE /* MAP_POPULATE */
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

/* Bytes of zeros the mapping must have after the text: the NUL that cli_read_input's text has,
 * and room for the vector loads of pcre2's JIT, which may read a little past the end of a
 * subject (harmless in malloc'd memory, a fault past the last mapped page). */
enum { SLACK = 64 };

/* Maps path when it is a regular file whose last page has SLACK bytes to spare after the text
 * (the rest of a mapped page reads as zeros); other files (one in sixty-four) are read. */
static bool map_file(cli_input *in, const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    struct stat st;
    long page = sysconf(_SC_PAGESIZE);
    bool ok = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 && page > 0 &&
              (uintmax_t)st.st_size < SIZE_MAX && st.st_size % page != 0 &&
              page - st.st_size % page >= SLACK;
    if (ok) {
        int flags = MAP_PRIVATE;
#ifdef MAP_POPULATE
        flags |= MAP_POPULATE; /* one call fills the mapping instead of a fault per page */
#endif
        void *p = mmap(NULL, (size_t)st.st_size, PROT_READ, flags, fd, 0);
        ok = p != MAP_FAILED;
        if (ok)
            *in = (cli_input){ .text = p, .len = (size_t)st.st_size, .mapped = true };
    }
    close(fd);
    return ok;
}

int cli_input_open(cli_input *in, const char *path, cite_diag *diag)
{
    *in = (cli_input){ .text = "" };
    if (strcmp(path, "-") != 0 && map_file(in, path))
        return 0;
    char *text = NULL;
    size_t len = 0;
    int err = cli_read_input(&text, &len, path, diag);
    if (err == 0)
        *in = (cli_input){ .text = text, .len = len, .owned = text };
    return err;
}

void cli_input_close(cli_input *in)
{
    if (in->mapped)
        munmap((void *)in->text, in->len);
    cite_free_string(in->owned);
    *in = (cli_input){ .text = "" };
}
