/* fuzz_parse.c: libFuzzer target for cite parse (reference-list finder and reference parser).
 * Any document must parse without a crash or leak; what it gives must serialise. */
#include <stdint.h>
#include <stdlib.h>

#include "cite.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    cite_diag *diag = cite_diag_new();
    cite_library *lib = NULL;
    cite_parse_references(&lib, (const char *)data, size, "fuzz.txt", diag);
    if (lib) {
        char *out = NULL;
        cite_xmlstore_write(&out, lib);
        cite_free_string(out);
        cite_bibtex_write(&out, lib, CITE_BIBTEX);
        cite_free_string(out);
    }
    cite_library_free(lib);
    cite_diag_free(diag);
    return 0;
}
