/* common.h: internal macros and the allocator hooks every module allocates through. */
#ifndef CITE_COMMON_H
#define CITE_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cite.h"

#define CITE_MIN(a, b)    ((a) < (b) ? (a) : (b))
#define CITE_MAX(a, b)    ((a) > (b) ? (a) : (b))
#define CITE_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* All library allocation goes through these, so tests can fail the Nth allocation
 * (cite_set_allocator). They return NULL on failure and never abort. */
void *cite_malloc(size_t size);
void *cite_calloc(size_t count, size_t size);
void *cite_realloc(void *ptr, size_t size);
void cite_free(void *ptr);

/* Points jansson's allocation hooks at ours (once; they are process-wide, so a program that
 * sets its own with json_set_alloc_funcs must not also read CSL-JSON through cite) and
 * clears the failure note that cite_json_failed() reads. Call before a batch of jansson
 * calls. */
void cite_json_begin(void);
/* True when jansson asked for memory and did not get it since cite_json_begin(). */
bool cite_json_failed(void);

/* A library's message (libxml2's) as a diagnostic's (STYLE.md §3): on one line (some continue
 * on a second: "Bytes: 0xFF ..."), without the trailing newline, the first letter lowercased
 * unless it starts an acronym ("PCDATA"); "malformed XML" for none. Caller owns it
 * (cite_free); NULL on OOM. */
char *cite_diag_message(const char *text);

/* Copies of a string or of len bytes, NUL-terminated; NULL on OOM (or when s is NULL). */
char *cite_strdup(const char *s);
char *cite_strndup(const char *s, size_t len);

/* Grows *items (an array of *cap elements of elem_size bytes) so that it holds at least
 * need elements. Returns 0 or CITE_ENOMEM, leaving the array as it was on failure. */
int cite_grow_array(void **items, size_t *cap, size_t need, size_t elem_size);
/* Asks the kernel to back the 2 MiB-aligned part of a large block (8 MiB or more) with huge
 * pages where it does so on request: a 32 MB manuscript read whole then costs a few dozen page
 * faults instead of 8,000. Advice only. (The arrays a check builds gain nothing from it.) */
void cite_prefer_huge_pages(void *p, size_t size);

#endif
