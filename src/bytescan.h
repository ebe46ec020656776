/* bytescan.h: skipping the bytes of a text that cannot matter to the citation scanner, sixteen
 * at a time (SSE2 where the compiler has it, a byte loop elsewhere). Both searches return the
 * first position >= from that qualifies, or len when none does. Internal header. */
#ifndef CITE_BYTESCAN_H
#define CITE_BYTESCAN_H

#include <stddef.h>

/* A byte the bracket pass acts on: ( ) [ ] a line feed, or 0xEF (the lead byte of （ ）). */
size_t cite_next_bracket_byte(const char *s, size_t len, size_t from);

/* Where a date token may start: a digit not after a digit ("2025" but not its "025"), or
 * n, i, f in either case not after an ASCII letter ("n.d.", "in press", "forthcoming"). */
size_t cite_next_date_start(const char *s, size_t len, size_t from);

#endif
