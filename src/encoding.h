/* encoding.h: text that is not UTF-8, read as what it most likely is. Internal.
 *
 * cite works in UTF-8. Files from elsewhere are sometimes UTF-16 (Windows' "Unicode", with a
 * byte order mark; other tools' without) or Windows-1252 (old Windows and Mac exports, Latin-1's superset):
 * rather than refuse them, the readers re-encode them, with a warning that says so. */
#ifndef CITE_ENCODING_H
#define CITE_ENCODING_H

#include "common.h"

typedef enum cite_encoding {
    CITE_ENC_UTF8,
    CITE_ENC_UTF16LE,
    CITE_ENC_UTF16BE,
    CITE_ENC_CP1252,
} cite_encoding;

/* Is s[0..len) valid UTF-8? (U+FFFD written as such is valid.) */
bool cite_utf8_valid(const char *s, size_t len);
/* The encoding of s[0..len): UTF-16 when it starts with a UTF-16 byte order mark or its first
 * 4 KiB look like UTF-16 (every other byte 0), UTF-8 when it is valid UTF-8, else
 * Windows-1252. */
cite_encoding cite_encoding_detect(const char *s, size_t len);
/* "UTF-16", "Windows-1252 (Latin-1)"... for messages. */
const char *cite_encoding_name(cite_encoding enc);
/* s[0..len), in enc, as UTF-8: a UTF-16 byte order mark dropped, an unpaired surrogate, an odd
 * last byte or a UTF-16 NUL as U+FFFD. *out is NUL-terminated, *out_len bytes, the caller's
 * (cite_free). 0 or CITE_ENOMEM. */
int cite_to_utf8(char **out, size_t *out_len, const char *s, size_t len, cite_encoding enc);

#endif
