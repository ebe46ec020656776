/* fold.h: the keys that in-text names are linked by (citations/GRAMMAR.md §4). "Müller",
 * "MÜLLER" and "Muller" share a key; so do "O'Neil" and "O’Neil", "van der Berg" and "Van der
 * Berg", "Lévi‑Strauss" and "Levi-Strauss". Internal header. */
#ifndef CITE_FOLD_H
#define CITE_FOLD_H

#include "buf.h"

typedef enum cite_fold_mode {
    CITE_FOLD_KEY,      /* case folded, marks stripped, letters that do not decompose mapped
                           (ł->l, ø->o, æ->ae...), everything but letters and digits dropped */
    CITE_FOLD_TRANSLIT, /* as KEY, with German ä ö ü written ae oe ue first (Müller = Mueller) */
    CITE_FOLD_CASE,     /* case folded and NFC only, marks kept, non-letters dropped: two names
                           with one KEY and different CASE keys differ in diacritics only */
} cite_fold_mode;

/* Appends the key of s[0..len) (UTF-8; invalid bytes are dropped) to out. */
void cite_fold(cite_buf *out, const char *s, size_t len, cite_fold_mode mode);

/* Damerau (optimal string alignment) distance between two byte strings, or max + 1 when it
 * exceeds max. Strings longer than 63 bytes are never close: max + 1. */
unsigned cite_edit_distance(const char *a, size_t alen, const char *b, size_t blen, unsigned max);

#endif
