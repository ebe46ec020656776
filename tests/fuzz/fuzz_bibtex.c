/* fuzz_bibtex.c: libFuzzer target for the BibTeX reader and writer. Any input must read
 * without a crash or leak, and whatever was read must write and read back. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cite.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    cite_diag *diag = cite_diag_new();
    cite_library *lib = NULL;
    cite_bibtex_read(&lib, (const char *)data, size, "fuzz.bib", diag);
    if (lib) {
        for (int dialect = CITE_BIBTEX; dialect <= CITE_BIBLATEX; dialect++) {
            char *out = NULL;
            if (cite_bibtex_write(&out, lib, (cite_bibtex_dialect)dialect) == 0) {
                cite_library *again = NULL;
                cite_bibtex_read(&again, out, strlen(out), "again.bib", diag);
                cite_library_free(again);
            }
            cite_free_string(out);
        }
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
