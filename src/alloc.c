/* alloc.c: the allocator hooks (STYLE.md §4.9). */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "common.h"

static cite_allocator allocator = { .malloc = malloc, .realloc = realloc, .free = free };

/* jansson (the CSL-JSON reader) allocates through hooks of its own, process-wide. They are
 * pointed at ours here, and only here: a program that never sets an allocator leaves jansson
 * on malloc and free, which are ours too, and one that does set it has promised to do so
 * once, before any other call (cite.h), so no jansson value outlives the hooks that made
 * it. A program that also uses jansson itself shares these hooks. */
void cite_set_allocator(const cite_allocator *a)
{
    if (a) {
        allocator = *a;
    } else {
        allocator = (cite_allocator){ .malloc = malloc, .realloc = realloc, .free = free };
    }
    json_set_alloc_funcs(allocator.malloc, allocator.free);
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
