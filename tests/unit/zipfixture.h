/* zipfixture.h: builds small zip archives in memory with libzip, so that the DOCX tests and
 * the DOCX fuzz target make their fixtures at run time instead of committing binaries. */
#ifndef CITE_TEST_ZIPFIXTURE_H
#define CITE_TEST_ZIPFIXTURE_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

typedef struct zip_member {
    const char *name;
    const char *data;
    size_t len;           /* 0: strlen(data) */
    const char *password; /* non-NULL: AES-256 encrypted */
} zip_member;

/* The bytes of a zip holding the members (deflated), malloc'd, length in *len; NULL on
 * failure (or when libzip cannot encrypt and a member asks for it). */
static char *zip_build(size_t *len, const zip_member *members, size_t n)
{
    zip_error_t err;
    zip_error_init(&err);
    char *out = NULL;
    zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &err);
    if (!src)
        return NULL;
    zip_source_keep(src);
    zip_t *z = zip_open_from_source(src, ZIP_TRUNCATE, &err);
    bool ok = z != NULL;
    for (size_t i = 0; ok && i < n; i++) {
        size_t mlen = members[i].len ? members[i].len : strlen(members[i].data);
        zip_source_t *s = zip_source_buffer(z, members[i].data, mlen, 0);
        zip_int64_t idx = s ? zip_file_add(z, members[i].name, s, ZIP_FL_OVERWRITE) : -1;
        ok = idx >= 0;
        if (ok && members[i].password)
            ok = zip_file_set_encryption(z, (zip_uint64_t)idx, ZIP_EM_AES_256,
                                         members[i].password) == 0;
    }
    if (z && (!ok || zip_close(z) < 0)) {
        zip_discard(z);
        ok = false;
    }
    zip_stat_t st;
    if (ok && zip_source_stat(src, &st) == 0 && zip_source_open(src) == 0) {
        out = malloc(st.size ? st.size : 1);
        *len = out ? (size_t)zip_source_read(src, out, st.size) : 0;
        zip_source_close(src);
    }
    zip_source_free(src);
    zip_error_fini(&err);
    return out;
}

/* A .docx whose word/document.xml has body (the children of <w:body>), with footnotes (the
 * children of <w:footnotes>) when not NULL. */
#define DOCX_NS                                                                 \
    "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" " \
    "xmlns:mc=\"http://schemas.openxmlformats.org/markup-compatibility/2006\""

/* As docx_build, with word/styles.xml holding styles (the children of <w:styles>) when not
 * NULL. */
static char *
docx_build_styled(size_t *len, const char *body, const char *footnotes, const char *styles)
{
    static const char head[] = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
                               "<w:document " DOCX_NS "><w:body>";
    static const char fhead[] =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<w:footnotes " DOCX_NS ">";
    static const char shead[] =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<w:styles " DOCX_NS ">";
    size_t dn = sizeof head + strlen(body) + 32,
           fn = footnotes ? sizeof fhead + strlen(footnotes) + 32 : 1,
           sn = styles ? sizeof shead + strlen(styles) + 32 : 1;
    char *doc = malloc(dn), *notes = malloc(fn), *sty = malloc(sn);
    snprintf(doc, dn, "%s%s</w:body></w:document>", head, body);
    if (footnotes)
        snprintf(notes, fn, "%s%s</w:footnotes>", fhead, footnotes);
    if (styles)
        snprintf(sty, sn, "%s%s</w:styles>", shead, styles);
    zip_member m[4] = {
        { .name = "[Content_Types].xml", .data = "<Types/>" },
        { .name = "word/document.xml", .data = doc },
    };
    size_t n = 2;
    if (footnotes)
        m[n++] = (zip_member){ .name = "word/footnotes.xml", .data = notes };
    if (styles)
        m[n++] = (zip_member){ .name = "word/styles.xml", .data = sty };
    char *out = zip_build(len, m, n);
    free(doc);
    free(notes);
    free(sty);
    return out;
}

static char *docx_build(size_t *len, const char *body, const char *footnotes)
{
    return docx_build_styled(len, body, footnotes, NULL);
}

#endif
