/* docread_zip.c: the zip packages of .docx and .odt, read safely. The file must be a zip (an
 * OLE compound file is an encrypted or legacy Word file and gets its own error); an entry is
 * read only when it inflates to at most CITE_DOC_MAX_ENTRY bytes at a ratio of at most
 * CITE_DOC_MAX_RATIO, and never past the size its header gives (libzip checks the CRC at the
 * end); its XML is parsed without network access, DTD loading or entity substitution, under
 * libxml2's default size limits (no XML_PARSE_HUGE). */
#include <ctype.h>
#include <libxml/parser.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <zip.h>

#include "docread.h"

/* Reports why the file cannot be read, at the file; CITE_EPARSE. */
static int fail(cite_diag *diag, const char *file, const char *fmt, ...) CITE_PRINTF(3, 4);
static int fail(cite_diag *diag, const char *file, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    cite_diag_report(diag, CITE_SEV_ERROR, (cite_loc){ .file = file }, "%s", msg);
    return CITE_EPARSE;
}

static bool encryption_error(int code)
{
    return code == ZIP_ER_NOPASSWD || code == ZIP_ER_WRONGPASSWD || code == ZIP_ER_ENCRNOTSUPP;
}

int cite_docread_zip_entry(
    char **out, size_t *len, zip_t *zip, const char *name, const char *file, cite_diag *diag)
{
    *out = NULL;
    zip_int64_t index = zip_name_locate(zip, name, 0);
    zip_stat_t st;
    if (index < 0)
        return CITE_ENOTFOUND;
    if (zip_stat_index(zip, (zip_uint64_t)index, 0, &st) < 0 || !(st.valid & ZIP_STAT_SIZE) ||
        !(st.valid & ZIP_STAT_COMP_SIZE))
        return fail(diag, file, "corrupt zip: no size for %s", name);
    if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE)
        return fail(diag, file, "%s is encrypted; save the document without a password", name);
    if (st.size > CITE_DOC_MAX_ENTRY)
        return fail(diag, file, "%s inflates past the %zu MiB limit; not read", name,
                    CITE_DOC_MAX_ENTRY >> 20);
    if (st.size > CITE_DOC_RATIO_FLOOR &&
        st.size / (st.comp_size ? st.comp_size : 1) > CITE_DOC_MAX_RATIO)
        return fail(diag, file, "%s inflates more than %d times its size (a zip bomb?); not read",
                    name, CITE_DOC_MAX_RATIO);
    zip_file_t *zf = zip_fopen_index(zip, (zip_uint64_t)index, 0);
    if (!zf) {
        int code = zip_error_code_zip(zip_get_error(zip));
        return fail(diag, file,
                    encryption_error(code) ? "%s is encrypted; save the document without a password"
                                           : "corrupt zip: cannot open %s",
                    name);
    }
    size_t cap = (size_t)st.size + 1, got = 0;
    char *buf = cite_malloc(cap + 1);
    int err = buf ? 0 : CITE_ENOMEM;
    while (err == 0) {
        zip_int64_t n = zip_fread(zf, buf + got, cap - got);
        if (n < 0)
            err = fail(diag, file, "corrupt zip: %s", zip_file_strerror(zf));
        else if (n == 0)
            break;
        else if ((got += (size_t)n) == cap) /* more than the header said: not trusted */
            err = fail(diag, file, "corrupt zip: %s is larger than its header says", name);
    }
    zip_fclose(zf);
    if (err < 0) {
        cite_free(buf);
        return err;
    }
    buf[got] = '\0';
    *out = buf;
    *len = got;
    return 0;
}

int cite_docread_zip_open(
    zip_t **out, const char *data, size_t len, const char *file, cite_diag *diag)
{
    static const char OLE_MAGIC[] = "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";
    *out = NULL;
    if (len >= 8 && !memcmp(data, OLE_MAGIC, 8))
        return fail(diag, file,
                    "an encrypted (password-protected) Word file or a legacy .doc, not a .docx; "
                    "save it as .docx without a password");
    if (len < 4 || memcmp(data, "PK\x03\x04", 4))
        return fail(diag, file, "not a zip archive, so not a .docx or .odt");
    zip_error_t zerr;
    zip_error_init(&zerr);
    zip_source_t *src = zip_source_buffer_create(data, len, 0, &zerr);
    zip_t *zip = src ? zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &zerr) : NULL;
    if (!zip) {
        const char *why = zip_error_strerror(&zerr); /* "Not a zip archive": lowercased */
        int err = fail(diag, file, "corrupt zip: %c%s", tolower((unsigned char)why[0]),
                       why[0] ? why + 1 : why);
        zip_source_free(src);
        zip_error_fini(&zerr);
        return err;
    }
    zip_error_fini(&zerr);
    *out = zip;
    return 0;
}

int cite_docread_xml(
    xmlDoc **out, const char *xml, size_t len, const char *entry, const char *file, cite_diag *diag)
{
    int options = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING;
#if LIBXML_VERSION >= 21300
    options |= XML_PARSE_NO_XXE;
#endif
    *out = xmlReadMemory(xml, (int)len, entry, NULL, options);
    if (*out && ((*out)->intSubset || (*out)->extSubset)) {
        /* Office and OpenDocument parts never have one; entities could only do harm */
        xmlFreeDoc(*out);
        *out = NULL;
        return fail(diag, file, "%s has a DTD, which no Word or OpenDocument file has; not read",
                    entry);
    }
    if (*out)
        return 0;
    const xmlError *e = xmlGetLastError();
    cite_diag_report(diag, CITE_SEV_ERROR, (cite_loc){ .file = file },
                     "corrupt document: %s is not well-formed XML (line %d)", entry,
                     e ? e->line : 0);
    return CITE_EPARSE;
}

int cite_docread_package(
    cite_document *doc, const char *data, size_t len, const char *file, cite_diag *diag)
{
    zip_t *zip = NULL;
    int err = cite_docread_zip_open(&zip, data, len, file, diag);
    if (err < 0)
        return err;
    if (zip_name_locate(zip, "word/document.xml", 0) >= 0) {
        doc->format = CITE_DOC_DOCX;
        err = cite_docread_docx(doc, zip, file, diag);
    } else if (zip_name_locate(zip, "content.xml", 0) >= 0) {
        doc->format = CITE_DOC_ODT;
        err = cite_docread_odt(doc, zip, file, diag);
    } else {
        err = fail(diag, file,
                   "not a Word or OpenDocument text: the zip has no "
                   "word/document.xml or content.xml");
    }
    zip_discard(zip);
    return err;
}
