/* alloc.c: the allocator hooks (STYLE.md §4.9). */
#define _DEFAULT_SOURCE /* madvise's MADV_HUGEPAGE (Linux) */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <jansson.h>

#include "common.h"

static cite_allocator allocator = { .malloc = malloc, .realloc = realloc, .free = free };

void cite_set_allocator(const cite_allocator *a)
{
    if (a) {
        allocator = *a;
    } else {
        allocator = (cite_allocator){ .malloc = malloc, .realloc = realloc, .free = free };
    }
}

/* jansson allocates through process-wide hooks of its own. They forward to ours, so that its
 * allocations obey cite_set_allocator too, and they note a failure: jansson 2.14 reports an
 * allocation failure inside its parser as a syntax error ("invalid token"), or as no error
 * at all, so the note is the only way to tell the two apart. */
static _Thread_local bool json_failed;

static void *json_alloc(size_t size)
{
    void *p = cite_malloc(size);
    if (!p)
        json_failed = true;
    return p;
}

static void json_release(void *p)
{
    cite_free(p);
}

void cite_json_begin(void)
{
    static bool installed;
    if (!installed) {
        json_set_alloc_funcs(json_alloc, json_release);
        installed = true;
    }
    json_failed = false;
}

bool cite_json_failed(void)
{
    return json_failed;
}

void *cite_malloc(size_t size)
{
    return allocator.malloc(size ? size : 1);
}

void *cite_calloc(size_t count, size_t size)
{
    if (size && count > SIZE_MAX / size)
        return NULL;
    void *p = cite_malloc(count * size);
    if (p)
        memset(p, 0, count * size);
    return p;
}

void *cite_realloc(void *ptr, size_t size)
{
    return allocator.realloc(ptr, size ? size : 1);
}

void cite_free(void *ptr)
{
    if (ptr)
        allocator.free(ptr);
}

char *cite_strndup(const char *s, size_t len)
{
    if (!s || len == SIZE_MAX)
        return NULL;
    char *p = cite_malloc(len + 1);
    if (!p)
        return NULL;
    memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

char *cite_strdup(const char *s)
{
    return s ? cite_strndup(s, strlen(s)) : NULL;
}

void cite_prefer_huge_pages(void *p, size_t size)
{
#ifdef MADV_HUGEPAGE
    const uintptr_t huge = (uintptr_t)2 << 20;
    uintptr_t start = ((uintptr_t)p + huge - 1) & ~(huge - 1);
    uintptr_t end = ((uintptr_t)p + size) & ~(huge - 1);
    if (size >= 4 * huge && end > start)
        (void)madvise((void *)start, end - start, MADV_HUGEPAGE);
#else
    (void)p;
    (void)size;
#endif
}

int cite_grow_array(void **items, size_t *cap, size_t need, size_t elem_size)
{
    if (need <= *cap)
        return 0;
    size_t n = *cap ? *cap : 8;
    while (n < need) {
        if (n > SIZE_MAX / 2)
            return CITE_ENOMEM;
        n *= 2;
    }
    if (n > SIZE_MAX / elem_size)
        return CITE_ENOMEM;
    void *p = cite_realloc(*items, n * elem_size);
    if (!p)
        return CITE_ENOMEM;
    *items = p;
    *cap = n;
    return 0;
}
