/* fileio.c: reading a whole file, and replacing a file atomically (DESIGN.md: "Writes are
 * atomic (temporary file, fsync, rename)"; a library that fails to write is never damaged). */
#define _XOPEN_SOURCE 700 /* realpath is XSI; glibc hides it under plain _POSIX_C_SOURCE */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"

/* Reads f to its end into b; size_hint (the file's size, or 0 when unknown) lets a regular
 * file be read into one allocation with one copy. */
static int read_all(cite_buf *b, FILE *f, size_t size_hint)
{
    if (size_hint && cite_buf_grow(b, size_hint + 1) < 0)
        return CITE_ENOMEM;
    cite_prefer_huge_pages(b->ptr, b->cap);
    for (;;) {
        /* more room only when the buffer is full: a regular file, read into a buffer of at
         * least its hinted size, then ends without a second, doubling growth */
        if (b->cap - b->len <= 1 && cite_buf_grow(b, 65536) < 0)
            return CITE_ENOMEM;
        size_t n = fread(b->ptr + b->len, 1, b->cap - b->len - 1, f);
        b->len += n;
        b->ptr[b->len] = '\0';
        if (n == 0 || feof(f) || ferror(f))
            return ferror(f) ? CITE_EIO : 0;
    }
}

static int read_stream(char **out, size_t *len_out, FILE *in, size_t size_hint)
{
    cite_buf b = CITE_BUF_INIT;
    *out = NULL;
    *len_out = 0;
    int rc = read_all(&b, in, size_hint);
    int saved = errno;
    if (rc == 0) {
        *len_out = b.len;
        *out = cite_buf_detach(&b);
        rc = *out ? 0 : CITE_ENOMEM;
    }
    cite_buf_dispose(&b);
    errno = rc == CITE_ENOMEM ? ENOMEM : saved;
    return rc;
}

int cite_read_stream(char **out, size_t *len_out, FILE *in)
{
    return read_stream(out, len_out, in, 0);
}

int cite_read_file(char **out, size_t *len_out, const char *path)
{
    *out = NULL;
    *len_out = 0;
    FILE *f = fopen(path, "rb");
    if (!f)
        return CITE_EIO;
    struct stat st;
    size_t hint = fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) ? (size_t)st.st_size : 0;
    int rc = read_stream(out, len_out, f, hint);
    int saved = errno; /* fclose must not hide why the read failed */
    if (fclose(f) != 0 && rc == 0) {
        saved = errno;
        rc = CITE_EIO;
        cite_free(*out);
        *out = NULL;
        *len_out = 0;
    }
    errno = saved;
    return rc;
}

/* Writes all of data to fd, through short writes and interruptions. 0 or -1 (errno set). */
static int write_all(int fd, const char *data, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, data, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        data += n;
        len -= (size_t)n;
    }
    return 0;
}

/* The mode of the new file: the old file's permission bits when it exists, else 0644 minus
 * the umask (what open(2) would give a new file created with 0644). */
static mode_t new_mode(const char *path)
{
    struct stat st;
    if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
        return st.st_mode & 07777;
    mode_t mask = umask(0); /* umask can only be read by setting it; not thread-safe */
    umask(mask);
    return 0644 & ~mask;
}

/* Splits path into its folder ("." when it has none) and the temporary file name
 * "DIR/.NAME.XXXXXX" for mkstemp. CITE_EIO (EISDIR) when path names no file. */
static int temp_names(char **dir, char **tmp, const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    size_t dirlen = slash ? (size_t)(slash - path) : 0;
    cite_buf b = CITE_BUF_INIT;
    *tmp = NULL;
    if (!*base || strcmp(base, ".") == 0 || strcmp(base, "..") == 0) {
        errno = EISDIR;
        return CITE_EIO;
    }
    *dir = slash ? cite_strndup(path, dirlen == 0 ? 1 : dirlen) : cite_strdup(".");
    cite_buf_printf(&b, "%s/.%s.XXXXXX", *dir ? *dir : "", base);
    *tmp = cite_buf_detach(&b);
    if (!*dir || !*tmp) {
        cite_free(*dir);
        cite_free(*tmp);
        *dir = *tmp = NULL;
        errno = ENOMEM;
        return CITE_ENOMEM;
    }
    return 0;
}

/* Makes the rename durable: fsync the folder that holds the entry. Best effort where the
 * system cannot do it: a folder we may write but not read cannot be opened, and some file
 * systems refuse fsync on a folder (EINVAL). A real failure of fsync is reported. */
static int sync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY);
    if (fd < 0)
        return 0;
    int rc = fsync(fd) == 0 || errno == EINVAL || errno == EROFS ? 0 : -1;
    int saved = errno;
    close(fd);
    errno = saved;
    return rc;
}

/* Writes data into the new temporary file fd, then flushes and closes it. 0 or -1. fd is
 * closed either way. */
static int fill_temp(int fd, const char *data, size_t len, mode_t mode)
{
    int rc = fchmod(fd, mode) == 0 && write_all(fd, data, len) == 0 && fsync(fd) == 0 ? 0 : -1;
    int saved = errno;
    if (close(fd) != 0 && rc == 0)
        return -1; /* a deferred write error (NFS) shows up here */
    errno = saved;
    return rc;
}

/* A symbolic link is followed, so that the file it points at is replaced rather than the
 * link; a path that does not exist yet (or a dangling link) is written as it is. */
int cite_write_file_atomic(const char *path, const char *data, size_t len)
{
    char *dir = NULL, *tmp = NULL;
    char *real = realpath(path, NULL); /* libc's malloc: freed with free() below */
    const char *target = real ? real : path;
    int fd, saved;
    int rc = temp_names(&dir, &tmp, target);
    if (rc < 0)
        goto cleanup;
    rc = CITE_EIO;
    mode_t mode = new_mode(target);
    if ((fd = mkstemp(tmp)) < 0)
        goto cleanup; /* nothing to undo: no temporary file exists */
    if (fill_temp(fd, data, len, mode) < 0 || rename(tmp, target) < 0) {
        saved = errno;
        unlink(tmp); /* the old file was never touched */
        errno = saved;
        goto cleanup;
    }
    /* The new contents are in place; a failed folder sync only means they might not survive
     * a crash, which is still worth reporting. */
    rc = sync_dir(dir) == 0 ? 0 : CITE_EIO;
cleanup:
    saved = errno;
    cite_free(tmp);
    cite_free(dir);
    free(real);
    errno = saved;
    return rc;
}
