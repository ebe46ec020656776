/* markup.c: recognising the inline tags of markup.h. */
#include <string.h>

#include "buf.h"
#include "markup.h"

static const char *const tag_names[] = {
    [CITE_TAG_I] = "i",       [CITE_TAG_B] = "b",     [CITE_TAG_SC] = "sc",
    [CITE_TAG_SUP] = "sup",   [CITE_TAG_SUB] = "sub", [CITE_TAG_NOCASE] = "nocase",
    [CITE_TAG_MATH] = "math", [CITE_TAG_TEX] = "tex",
};

const char *cite_markup_tag_name(cite_tag tag)
{
    return tag > CITE_TAG_NONE && tag <= CITE_TAG_TEX ? tag_names[tag] : NULL;
}

cite_tag cite_markup_tag_lookup(const char *name)
{
    for (int t = CITE_TAG_I; t <= CITE_TAG_TEX; t++)
        if (strcmp(name, tag_names[t]) == 0)
            return (cite_tag)t;
    return CITE_TAG_NONE;
}

cite_tag cite_markup_tag_at(const char *s, size_t n, bool *closing, size_t *len)
{
    if (n < 3 || s[0] != '<')
        return CITE_TAG_NONE;
    size_t i = 1;
    *closing = s[1] == '/';
    if (*closing)
        i++;
    for (int t = CITE_TAG_I; t <= CITE_TAG_TEX; t++) {
        size_t k = strlen(tag_names[t]);
        if (i + k < n && memcmp(s + i, tag_names[t], k) == 0 && s[i + k] == '>') {
            *len = i + k + 1;
            return (cite_tag)t;
        }
    }
    return CITE_TAG_NONE;
}

void cite_markup_strip(cite_buf *out, const char *s)
{
    size_t n = strlen(s), from = 0;
    for (size_t i = 0; i < n;) {
        bool closing;
        size_t len;
        if (s[i] == '<' && cite_markup_tag_at(s + i, n - i, &closing, &len)) {
            cite_buf_put(out, s + from, i - from);
            i += len;
            from = i;
        } else {
            i++;
        }
    }
    cite_buf_put(out, s + from, n - from);
}
