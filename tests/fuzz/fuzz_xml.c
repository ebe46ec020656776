/* fuzz_xml.c: libFuzzer target for the XML store reader. Any input must load or be refused
 * with diagnostics, without a crash or leak; what loads must write again. */
#include <stdint.h>
#include <stdlib.h>

#include "cite.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    cite_diag *diag = cite_diag_new();
    cite_library *lib = NULL;
    if (cite_xmlstore_load_memory(&lib, (const char *)data, size, "fuzz.xml", diag) == 0) {
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
