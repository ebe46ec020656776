/* bytescan.h: skipping the bytes of a text that cannot matter to the citation scanner, sixty-four
 * at a time (four SSE2 vectors where the compiler has them, a byte loop elsewhere). Internal
 * header. */
#ifndef CITE_BYTESCAN_H
#define CITE_BYTESCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum cite_byte_filter {
    /* A byte the bracket pass acts on: ( ) [ ] a line feed, or 0xEF (the lead byte of （ ）). */
    CITE_BYTES_BRACKETS,
    /* Where a date token may start: a digit not after a digit and before one ("2025" but not
     * its "025", nor the "5" of "5 mice"), or, not after an ASCII letter and in either case,
     * n before '.' or o, i before n, f before o ("n.d.", "no date", "in press",
     * "forthcoming"). */
    CITE_BYTES_DATES,
} cite_byte_filter;

/* Walks the positions a filter flags. The flags of the current sixty-four bytes are kept between
 * calls, so each block is tested once however many positions it holds. */
typedef struct cite_byte_cursor {
    const char *s; /* borrowed */
    size_t len;
    cite_byte_filter filter;
    size_t base;   /* the current block s[base, base + 64) */
    uint64_t mask; /* its flags */
    bool have;     /* whether there is a current block */
} cite_byte_cursor;

void cite_byte_cursor_init(cite_byte_cursor *c, const char *s, size_t len, cite_byte_filter filter);

/* The first flagged position >= from, or len when there is none. from must not decrease from
 * one call to the next. */
size_t cite_byte_cursor_next(cite_byte_cursor *c, size_t from);

#endif
