/* fuzz_ris.c: libFuzzer target for the RIS reader and writer. Any input must read without a
 * crash or leak; what was read must write as RIS that reads back with the same records and
 * writes the same text again (RIS -> cite -> RIS is a fixed point after one pass). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cite.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Reads ris, writes it back (*count: the records read); NULL when nothing could be read. */
static char *round_trip(const char *ris, size_t len, size_t *count, cite_diag *diag)
{
    cite_library *lib = NULL;
    char *out = NULL;
    cite_ris_read(&lib, ris, len, "fuzz.ris", diag);
    if (lib && cite_ris_write(&out, lib) < 0)
        abort(); /* only OOM may fail, and the fuzzer does not fail allocations */
    *count = lib ? cite_library_count(lib) : 0;
    cite_library_free(lib);
    return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    cite_diag *diag = cite_diag_new();
    size_t n1, n2, n3;
    char *once = round_trip((const char *)data, size, &n1, diag);
    char *twice = once ? round_trip(once, strlen(once), &n2, diag) : NULL;
    char *thrice = twice ? round_trip(twice, strlen(twice), &n3, diag) : NULL;
    if (once && (!twice || !thrice || n1 != n2 || n2 != n3 || strcmp(twice, thrice) != 0))
        abort();
    cite_free_string(thrice);
    cite_free_string(twice);
    cite_free_string(once);
    cite_diag_free(diag);
    return 0;
}
