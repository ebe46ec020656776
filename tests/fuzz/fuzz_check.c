/* fuzz_check.c: libFuzzer target for cite check (citation scanner, linker, diagnostics). Any
 * document must check without a crash or leak, and every citation and finding must point
 * inside it. */
#include <stdint.h>
#include <stdlib.h>

#include "cite.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    cite_diag *diag = cite_diag_new();
    cite_check *ck = NULL;
    if (cite_check_run(&ck, (const char *)data, size, "fuzz.txt", NULL, NULL, diag) == 0) {
        for (size_t i = 0; i < cite_check_citation_count(ck); i++) {
            const cite_citation *c = cite_check_get_citation(ck, i);
            if (c->at.offset > size || c->at.line == 0 || !c->text || !c->year)
                abort();
            if (c->open > c->close || c->close > size || (c->close > c->open && !c->group))
                abort();
            if (c->reference != SIZE_MAX &&
                c->reference >= cite_library_count(cite_check_get_library(ck)))
                abort();
        }
        size_t start, end;
        if (cite_check_reference_span(ck, &start, &end) && (start > end || end > size))
            abort();
        for (size_t i = 0; i < cite_check_finding_count(ck); i++)
            if (cite_check_get_finding(ck, i)->at.offset > size)
                abort();
    }
    cite_check_free(ck);
    cite_diag_free(diag);
    return 0;
}
