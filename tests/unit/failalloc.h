/* failalloc.h: an allocator for tests that fails once a budget of allocations is spent, to
 * walk every out-of-memory path (STYLE.md §9, OOM loops). Header-only: each test binary gets
 * its own copy. */
#ifndef CITE_TEST_FAILALLOC_H
#define CITE_TEST_FAILALLOC_H

#include <stdlib.h>

#include "cite.h"

static long failalloc_budget = -1; /* allocations left before failing; -1 = unlimited */

static void *failalloc_malloc(size_t n)
{
    if (failalloc_budget == 0)
        return NULL;
    if (failalloc_budget > 0)
        failalloc_budget--;
    return malloc(n);
}

static void *failalloc_realloc(void *p, size_t n)
{
    if (failalloc_budget == 0)
        return NULL;
    if (failalloc_budget > 0)
        failalloc_budget--;
    return realloc(p, n);
}

/* Installs the failing allocator with budget allocations to spend (-1: never fail). */
static inline void failalloc_start(long budget)
{
    static const cite_allocator a = { .malloc = failalloc_malloc,
                                      .realloc = failalloc_realloc,
                                      .free = free };
    failalloc_budget = budget;
    cite_set_allocator(&a);
}

static inline void failalloc_stop(void)
{
    failalloc_budget = -1;
    cite_set_allocator(NULL);
}

#endif
