/* fuzz_csljson.c: libFuzzer target for the CSL-JSON reader and writer. Any input must read
 * without a crash or leak; whatever was read must write as JSON that reads back to a library
 * writing the same JSON (CSL-JSON -> cite -> CSL-JSON is a fixed point after one pass), and
 * must survive the XML store too. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cite.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Reads json, writes it back; NULL when nothing could be read. */
static char *round_trip(const char *json, size_t len, cite_diag *diag)
{
    cite_library *lib = NULL;
    char *out = NULL;
    cite_csljson_read(&lib, json, len, "fuzz.json", diag);
    if (lib && cite_csljson_write(&out, lib) < 0)
        abort(); /* only OOM may fail, and the fuzzer does not fail allocations */
    cite_library_free(lib);
    return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    cite_diag *diag = cite_diag_new();
    cite_library *lib = NULL;
    cite_csljson_read(&lib, (const char *)data, size, "fuzz.json", diag);
    if (lib) {
        char *once = NULL;
        if (cite_csljson_write(&once, lib) < 0)
            abort();
        char *twice = round_trip(once, strlen(once), diag);
        char *thrice = twice ? round_trip(twice, strlen(twice), diag) : NULL;
        if (!twice || !thrice || strcmp(twice, thrice) != 0)
            abort();
        cite_free_string(thrice);
        cite_free_string(twice);
        cite_free_string(once);
        char *xml = NULL;
        if (cite_xmlstore_write(&xml, lib) == 0) {
            cite_library *back = NULL;
            cite_xmlstore_load_memory(&back, xml, strlen(xml), "fuzz.xml", diag);
            cite_library_free(back);
        }
        cite_free_string(xml);
    }
    cite_library_free(lib);
    cite_diag_free(diag);
    return 0;
}
