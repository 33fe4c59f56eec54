/* tests/fault_hook.c - fault injection for the fault build (make fault, build-fault/), SQLite
 * style: linked with -Wl,--wrap=SYMBOL for the allocators and the output calls, it makes the
 * N-th allocation or the K-th output operation of the process fail, once, without a line of
 * the simulator changed. Never linked into the ordinary builds.
 *
 *   CSPSIM_FAULT_ALLOC=N   the N-th call of malloc, calloc, realloc, strdup, strndup or
 *                          posix_memalign (counted from 1) fails as if memory ran out
 *   CSPSIM_FAULT_WRITE=K   the K-th output operation fails as a full disk would (ENOSPC).
 *                          Counted are the operations that reach the file system: fopen for
 *                          writing, fflush, fclose, rename, mkdir, the renameat2 system call
 *                          (the run directory's swap), every write to stdout, and, of the
 *                          writes to a file (fwrite, fputs, fputc, putc, fprintf, vfprintf),
 *                          the first one after its fopen and each one that fills another
 *                          REP_OUT_FILE_BUFFER (64 KiB) of it: where the stdio buffer goes to
 *                          the disk. (Counting every small write would be 88,000 runs for the
 *                          demo; a full disk fails a buffer's write, not a buffered call.)
 *                          Writes to stderr are neither counted nor failed (the messages
 *                          must get out).
 *   CSPSIM_FAULT_BREACH=M  the M-th invariant check after a step (model/invariants.c's
 *                          invariants_after_step, counted over every world and thread of the
 *                          process) reports a breach, as a bug of the simulator would: the
 *                          exit-70 path (tests/breach.sh). Only when the run checks
 *                          invariants (`test`, `sweep` in this build, `run --check-invariants`).
 *   CSPSIM_FAULT_LOG=PATH  at exit, appends "allocs A writes W" (the calls counted) and, when a
 *                          fault was injected, "injected alloc N" or "injected write K WHAT
 *                          stdout|file" to PATH, so tests/fault_loop.sh knows when to stop and
 *                          what the failure hit.
 *
 * Only the calls of cspsim's own objects are wrapped: libc's internal allocations (fopen's
 * FILE, stdio buffers, open_memstream, getline) and libyaml's (a shared library calling its own
 * malloc) are not reached by --wrap; the loader's libyaml failures are covered by its own
 * error path (a failed yaml_parser_parse is a load error). A forked gnuplot child inherits the
 * counters but only calls exec-safe functions before exec.
 * The FILE error flag is set by hand (glibc's _IO_ERR_SEEN) so that ferror sees a failed
 * write, as it would after a real one.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>

#include "model/store.h"
#include "reports/out.h"

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t n);
char *__real_strdup(const char *s);
char *__real_strndup(const char *s, size_t n);
int __real_posix_memalign(void **p, size_t align, size_t n);
FILE *__real_fopen(const char *path, const char *mode);
size_t __real_fwrite(const void *p, size_t size, size_t n, FILE *f);
int __real_fputs(const char *s, FILE *f);
int __real_fputc(int c, FILE *f);
int __real_putc(int c, FILE *f);
int __real_putchar(int c);
int __real_puts(const char *s);
int __real_vfprintf(FILE *f, const char *fmt, va_list ap);
int __real_fflush(FILE *f);
int __real_fclose(FILE *f);
int __real_rename(const char *from, const char *to);
int __real_mkdir(const char *path, mode_t mode);
long __real_syscall(long nr, long a, long b, long c, long d, long e, long f);
void __real_invariants_after_step(model_world *w, sim_time t);

void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *p, size_t n);
char *__wrap_strdup(const char *s);
char *__wrap_strndup(const char *s, size_t n);
int __wrap_posix_memalign(void **p, size_t align, size_t n);
FILE *__wrap_fopen(const char *path, const char *mode);
size_t __wrap_fwrite(const void *p, size_t size, size_t n, FILE *f);
int __wrap_fputs(const char *s, FILE *f);
int __wrap_fputc(int c, FILE *f);
int __wrap_putc(int c, FILE *f);
int __wrap_putchar(int c);
int __wrap_puts(const char *s);
int __wrap_printf(const char *fmt, ...);
int __wrap_fprintf(FILE *f, const char *fmt, ...);
int __wrap_vfprintf(FILE *f, const char *fmt, va_list ap);
int __wrap_fflush(FILE *f);
int __wrap_fclose(FILE *f);
int __wrap_rename(const char *from, const char *to);
int __wrap_mkdir(const char *path, mode_t mode);
long __wrap_syscall(long nr, ...);
void __wrap_invariants_after_step(model_world *w, sim_time t);

static struct {
    int ready;
    unsigned long long alloc_at, write_at; /* 0: never */
    unsigned long long allocs, writes;
    unsigned long long breach_at, checks; /* checks: atomic (run --jobs checks in threads) */
    char injected[96];
} H;

static unsigned long long env_count(const char *name)
{
    const char *v = getenv(name);
    return v && *v ? strtoull(v, NULL, 10) : 0;
}

static void setup(void)
{
    if (!H.ready) {
        H.ready = 1;
        H.alloc_at = env_count("CSPSIM_FAULT_ALLOC");
        H.write_at = env_count("CSPSIM_FAULT_WRITE");
        H.breach_at = env_count("CSPSIM_FAULT_BREACH");
    }
}

/* Appends the counts (and the injection) to $CSPSIM_FAULT_LOG with open/write: no stdio,
 * no allocation, so it works whatever failed. */
__attribute__((destructor)) static void report(void)
{
    const char *path = getenv("CSPSIM_FAULT_LOG");
    if (!path || !*path)
        return;
    int fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0666);
    if (fd < 0)
        return;
    char line[200];
    int n = snprintf(line, sizeof line, "allocs %llu writes %llu\n%s", H.allocs, H.writes, H.injected);
    if (n > 0)
        (void)!write(fd, line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
    close(fd);
}

/* The real check, then, at the M-th check, a breach as invariants.c records one (the first
 * breach stops the world's run). */
void __wrap_invariants_after_step(model_world *w, sim_time t)
{
    setup();
    __real_invariants_after_step(w, t);
    if (!H.breach_at || w->broken || __atomic_add_fetch(&H.checks, 1, __ATOMIC_RELAXED) != H.breach_at)
        return;
    w->broken = 1;
    w->run.stop = 1;
    w->breach.invariant = "injected by CSPSIM_FAULT_BREACH";
    w->breach.time = t;
    w->breach.after_record = w->seq;
    w->breach.subscription = w->touched;
    snprintf(w->breach.detail, sizeof w->breach.detail, "check %llu", H.breach_at);
}

/* 1 when this allocation is the one to fail. */
static int alloc_fails(void)
{
    setup();
    if (++H.allocs != H.alloc_at)
        return 0;
    snprintf(H.injected, sizeof H.injected, "injected alloc %llu\n", H.allocs);
    errno = ENOMEM;
    return 1;
}

/* The bytes written to each open file since its fopen (a small table: a run has a few
 * files open at once). */
#define STREAMS 64
static struct {
    FILE *f;
    unsigned long long bytes;
} S[STREAMS];

static unsigned long long *stream_bytes(FILE *f)
{
    for (int i = 0; i < STREAMS; i++)
        if (S[i].f == f)
            return &S[i].bytes;
    for (int i = 0; i < STREAMS; i++)
        if (!S[i].f) {
            S[i].f = f;
            S[i].bytes = 0;
            return &S[i].bytes;
        }
    return NULL; /* more open than the table holds: every write counts */
}

/* 1 when f was an output (opened for writing or written to); it is forgotten. */
static int stream_forget(FILE *f)
{
    for (int i = 0; i < STREAMS; i++)
        if (S[i].f == f) {
            S[i].f = NULL;
            return 1;
        }
    return 0;
}

/* 1 when this output operation is the one to fail. f is NULL for fopen, rename and mkdir;
 * n is the bytes a data write gives (SIZE_MAX for the other operations). */
static int write_fails(const char *what, FILE *f, size_t n)
{
    if (f == stderr)
        return 0;
    if (f && f != stdout && n != SIZE_MAX) {
        unsigned long long *b = stream_bytes(f), before = b ? *b : 0;
        if (b)
            *b += n;
        if (b && before > 0 && before / REP_OUT_FILE_BUFFER == (before + n) / REP_OUT_FILE_BUFFER)
            return 0; /* stays in the stdio buffer */
    }
    setup();
    if (++H.writes != H.write_at)
        return 0;
    snprintf(H.injected, sizeof H.injected, "injected write %llu %s %s\n", H.writes, what,
             f == stdout ? "stdout" : "file");
    if (f)
        f->_flags |= _IO_ERR_SEEN; /* glibc: what a failed write leaves for ferror */
    errno = ENOSPC;
    return 1;
}

void *__wrap_malloc(size_t n)
{
    return alloc_fails() ? NULL : __real_malloc(n);
}

void *__wrap_calloc(size_t n, size_t size)
{
    return alloc_fails() ? NULL : __real_calloc(n, size);
}

void *__wrap_realloc(void *p, size_t n)
{
    return alloc_fails() ? NULL : __real_realloc(p, n);
}

char *__wrap_strdup(const char *s)
{
    return alloc_fails() ? NULL : __real_strdup(s);
}

char *__wrap_strndup(const char *s, size_t n)
{
    return alloc_fails() ? NULL : __real_strndup(s, n);
}

int __wrap_posix_memalign(void **p, size_t align, size_t n)
{
    return alloc_fails() ? ENOMEM : __real_posix_memalign(p, align, n);
}

FILE *__wrap_fopen(const char *path, const char *mode)
{
    if (strpbrk(mode, "wa+") && write_fails("fopen", NULL, SIZE_MAX))
        return NULL;
    FILE *f = __real_fopen(path, mode);
    if (f && strpbrk(mode, "wa+"))
        (void)stream_bytes(f); /* known as an output from now on, 0 bytes written */
    return f;
}

size_t __wrap_fwrite(const void *p, size_t size, size_t n, FILE *f)
{
    return write_fails("fwrite", f, size * n) ? 0 : __real_fwrite(p, size, n, f);
}

int __wrap_fputs(const char *s, FILE *f)
{
    return write_fails("fputs", f, strlen(s)) ? EOF : __real_fputs(s, f);
}

int __wrap_fputc(int c, FILE *f)
{
    return write_fails("fputc", f, 1) ? EOF : __real_fputc(c, f);
}

int __wrap_putc(int c, FILE *f)
{
    return write_fails("putc", f, 1) ? EOF : __real_putc(c, f);
}

int __wrap_putchar(int c)
{
    return write_fails("putchar", stdout, 1) ? EOF : __real_putchar(c);
}

int __wrap_puts(const char *s)
{
    return write_fails("puts", stdout, strlen(s) + 1) ? EOF : __real_puts(s);
}

int __wrap_vfprintf(FILE *f, const char *fmt, va_list ap)
{
    va_list len;
    va_copy(len, ap);
    int n = vsnprintf(NULL, 0, fmt, len);
    va_end(len);
    return write_fails("fprintf", f, n > 0 ? (size_t)n : 0) ? -1 : __real_vfprintf(f, fmt, ap);
}

int __wrap_printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = __wrap_vfprintf(stdout, fmt, ap);
    va_end(ap);
    return n;
}

int __wrap_fprintf(FILE *f, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = __wrap_vfprintf(f, fmt, ap);
    va_end(ap);
    return n;
}

int __wrap_fflush(FILE *f)
{
    return f && write_fails("fflush", f, SIZE_MAX) ? EOF : __real_fflush(f);
}

int __wrap_fclose(FILE *f)
{
    if (stream_forget(f) && write_fails("fclose", f, SIZE_MAX)) { /* input files do not count */
        __real_fclose(f); /* the stream is gone either way, as after a failed close */
        errno = ENOSPC;
        return EOF;
    }
    return __real_fclose(f);
}

int __wrap_rename(const char *from, const char *to)
{
    return write_fails("rename", NULL, SIZE_MAX) ? -1 : __real_rename(from, to);
}

int __wrap_mkdir(const char *path, mode_t mode)
{
    return write_fails("mkdir", NULL, SIZE_MAX) ? -1 : __real_mkdir(path, mode);
}

/* Only renameat2 (cli/rundir.c's exchange, the one system call cspsim makes by number, with
 * five arguments) is counted; the arguments are passed on as longs (x86-64 and aarch64
 * pass int and pointer arguments in the same registers). */
long __wrap_syscall(long nr, ...)
{
    va_list ap;
    va_start(ap, nr);
    long a[5];
    for (int i = 0; i < 5; i++)
        a[i] = va_arg(ap, long);
    va_end(ap);
#ifdef SYS_renameat2
    if (nr == SYS_renameat2 && write_fails("renameat2", NULL, SIZE_MAX))
        return -1;
#endif
    return __real_syscall(nr, a[0], a[1], a[2], a[3], a[4], 0);
}
