/* reports/out.c - output sinks: temp-file-and-rename files, memory buffers, failing buffers.
 * The only place in reports/ that touches the file system; writers never see a FILE*. */
#include "out.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

typedef enum { OUT_FILE, OUT_MEMORY, OUT_NULL } out_kind;

#define FNV_OFFSET 0xcbf29ce484222325ULL
#define FNV_PRIME 0x100000001b3ULL

struct rep_out {
    out_kind kind;
    int failed;
    int err;       /* errno of the failure; 0 gives "write failed" */
    int committed; /* file sinks: renamed into place (or commit tried) */
    /* file sinks */
    FILE *fp;
    char *iobuf;
    char *tmp_path, *final_path;
    /* memory sinks: data[0..len) plus a NUL; limit is the byte budget */
    char *data;
    size_t len, cap, limit;
    int limit_err; /* errno of a write past limit */
    uint64_t hash; /* FNV-1a 64 of every byte accepted */
};

static void fail(rep_out *o, int err)
{
    if (!o->failed) {
        o->failed = 1;
        o->err = err;
    }
}

/* "DIR/PREFIX NAME SUFFIX" in a new string; NULL when memory ran out. */
static char *join_path(const char *dir, const char *prefix, const char *name, const char *suffix)
{
    size_t n = strlen(dir) + 1 + strlen(prefix) + strlen(name) + strlen(suffix) + 1;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s/%s%s%s", dir, prefix, name, suffix);
    return p;
}

rep_out *rep_out_file(const char *dir, const char *name)
{
    rep_out *o = calloc(1, sizeof *o);
    if (!o)
        return NULL;
    o->kind = OUT_FILE;
    o->hash = FNV_OFFSET;
    o->tmp_path = join_path(dir, ".", name, ".tmp");
    o->final_path = join_path(dir, "", name, "");
    o->iobuf = malloc(REP_OUT_FILE_BUFFER);
    if (!o->tmp_path || !o->final_path || !o->iobuf) {
        rep_out_free(o);
        return NULL;
    }
    o->fp = fopen(o->tmp_path, "wb");
    if (!o->fp) {
        fail(o, errno);
        return o;
    }
    /* a large buffer: report files are written in many small pieces */
    if (setvbuf(o->fp, o->iobuf, _IOFBF, REP_OUT_FILE_BUFFER) != 0) {
        free(o->iobuf); /* stdio keeps its own buffer */
        o->iobuf = NULL;
    }
    return o;
}

static rep_out *memory_sink(size_t limit)
{
    rep_out *o = calloc(1, sizeof *o);
    if (!o)
        return NULL;
    o->hash = FNV_OFFSET;
    o->kind = OUT_MEMORY;
    o->limit = limit;
    o->limit_err = ENOMEM;
    o->cap = 256;
    o->data = malloc(o->cap);
    if (!o->data) {
        free(o);
        return NULL;
    }
    o->data[0] = '\0';
    return o;
}

rep_out *rep_out_null(void)
{
    rep_out *o = calloc(1, sizeof *o);
    if (o) {
        o->kind = OUT_NULL;
        o->hash = FNV_OFFSET;
    }
    return o;
}

uint64_t rep_out_hash(const rep_out *o)
{
    return o->hash;
}

rep_out *rep_out_memory(void)
{
    return memory_sink(REP_OUT_MEMORY_MAX);
}

rep_out *rep_out_failing(size_t after_bytes)
{
    rep_out *o = memory_sink(after_bytes < REP_OUT_MEMORY_MAX ? after_bytes : REP_OUT_MEMORY_MAX);
    if (o && after_bytes < REP_OUT_MEMORY_MAX)
        o->limit_err = ENOSPC;
    return o;
}

const char *rep_out_data(const rep_out *o, size_t *len)
{
    if (o->kind != OUT_MEMORY) {
        if (len)
            *len = 0;
        return "";
    }
    if (len)
        *len = o->len;
    return o->data;
}

static void memory_write(rep_out *o, const void *p, size_t n)
{
    if (n > o->limit - o->len) {
        fail(o, o->limit_err);
        return;
    }
    if (o->len + n + 1 > o->cap) {
        size_t cap = o->cap;
        while (cap < o->len + n + 1)
            cap = cap > SIZE_MAX / 2 ? SIZE_MAX : cap * 2;
        char *d = realloc(o->data, cap);
        if (!d) {
            fail(o, ENOMEM);
            return;
        }
        o->data = d;
        o->cap = cap;
    }
    memcpy(o->data + o->len, p, n);
    o->len += n;
    o->data[o->len] = '\0';
}

void rep_write(rep_out *o, const void *data, size_t n)
{
    if (!o || o->failed || n == 0)
        return;
    uint64_t h = o->hash;
    for (const unsigned char *p = data, *end = p + n; p < end; p++)
        h = (h ^ *p) * FNV_PRIME;
    o->hash = h;
    if (o->kind == OUT_NULL)
        return;
    if (o->kind == OUT_MEMORY) {
        memory_write(o, data, n);
        return;
    }
    if (!o->fp) { /* committed already */
        fail(o, EBADF);
        return;
    }
    errno = 0;
    if (fwrite(data, 1, n, o->fp) != n)
        fail(o, errno);
}

void rep_puts(rep_out *o, const char *s)
{
    rep_write(o, s, strlen(s));
}

void rep_printf(rep_out *o, const char *fmt, ...)
{
    if (!o || o->failed)
        return;
    char small[256];
    va_list ap, again;
    va_start(ap, fmt);
    va_copy(again, ap);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) {
        fail(o, errno);
    } else if ((size_t)n < sizeof small) {
        rep_write(o, small, (size_t)n);
    } else {
        /* rare: long text (a description); format again into a buffer of the right size */
        char *big = malloc((size_t)n + 1);
        if (!big) {
            fail(o, ENOMEM);
        } else {
            vsnprintf(big, (size_t)n + 1, fmt, again);
            rep_write(o, big, (size_t)n);
            free(big);
        }
    }
    va_end(again);
}

void rep_out_fail(rep_out *o, int err)
{
    fail(o, err);
}

int rep_out_failed(const rep_out *o)
{
    return o->failed;
}

int rep_out_errno(const rep_out *o)
{
    return o->failed ? o->err : 0;
}

const char *rep_out_error(const rep_out *o)
{
    if (!o->failed)
        return "";
    return o->err ? strerror(o->err) : "write failed";
}

/* Closes the temporary file, recording the first error; removes it when the sink failed. */
static void close_file(rep_out *o)
{
    if (o->fp) {
        errno = 0;
        if (fflush(o->fp) != 0 || ferror(o->fp))
            fail(o, errno);
        errno = 0;
        if (fclose(o->fp) != 0)
            fail(o, errno);
        o->fp = NULL;
    }
    free(o->iobuf);
    o->iobuf = NULL;
}

int rep_out_commit(rep_out *o)
{
    if (!o)
        return -1;
    if (o->kind == OUT_MEMORY)
        return o->failed ? -1 : 0;
    if (o->committed)
        return o->failed ? -1 : 0;
    o->committed = 1;
    close_file(o);
    if (!o->failed && rename(o->tmp_path, o->final_path) != 0)
        fail(o, errno);
    if (o->failed) {
        int saved = errno;
        unlink(o->tmp_path); /* may not exist (open failed): nothing to report */
        errno = saved;
        return -1;
    }
    return 0;
}

void rep_out_free(rep_out *o)
{
    if (!o)
        return;
    if (o->kind == OUT_FILE && !o->committed && o->tmp_path) {
        int had_file = o->fp != NULL;
        close_file(o);
        if (had_file)
            unlink(o->tmp_path);
    }
    free(o->iobuf);
    free(o->tmp_path);
    free(o->final_path);
    free(o->data);
    free(o);
}

/* mkdir of one path, 0 when it is a directory afterwards. */
static int mkdir_one(const char *path)
{
    if (mkdir(path, 0777) == 0)
        return 0;
    int err = errno;
    struct stat st;
    if (err == EEXIST) {
        if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
            return 0;
        errno = ENOTDIR;
        return -1;
    }
    errno = err;
    return -1;
}

int rep_mkdirs(const char *dir)
{
    if (!dir || !*dir) {
        errno = ENOENT;
        return -1;
    }
    size_t n = strlen(dir);
    char *p = malloc(n + 1);
    if (!p) {
        errno = ENOMEM;
        return -1;
    }
    memcpy(p, dir, n + 1);
    while (n > 1 && p[n - 1] == '/') /* "a/b/" is "a/b" */
        p[--n] = '\0';
    int rc = 0;
    /* each prefix ending before a '/', then the whole path; "/" and "//" prefixes are skipped */
    for (size_t i = 1; i <= n && rc == 0; i++) {
        if (i < n && p[i] != '/')
            continue;
        if (i < n && p[i - 1] == '/')
            continue;
        char c = p[i];
        p[i] = '\0';
        rc = mkdir_one(p);
        p[i] = c;
    }
    int err = errno;
    free(p);
    errno = err;
    return rc;
}

int rep_grow_slow(void **v, size_t *cap, size_t n, size_t size)
{
    if (n <= *cap)
        return 0;
    size_t c = *cap ? *cap : 64;
    while (c < n) {
        if (c > SIZE_MAX / 2)
            return -1;
        c *= 2;
    }
    if (c > SIZE_MAX / size)
        return -1;
    void *p = realloc(*v, c * size);
    if (!p)
        return -1;
    memset((char *)p + *cap * size, 0, (c - *cap) * size);
    *v = p;
    *cap = c;
    return 0;
}
