/* reports/out.h - the output sink every report writer goes through: a file written to a
 * temporary name and renamed into place on commit, a growable memory buffer (tests), or a
 * memory buffer that fails after a byte budget (fault injection).
 *
 * Ownership: the caller owns a rep_out and frees it with rep_out_free; writers borrow it.
 * Errors are sticky: after the first failed write every later write does nothing,
 * rep_out_failed is nonzero and rep_out_error says why, so a writer may write a whole report
 * and check once at the end. Nothing here prints or exits.
 */
#ifndef REPORTS_OUT_H
#define REPORTS_OUT_H

#include <stddef.h>
#include <stdint.h>

typedef struct rep_out rep_out;

/* The largest memory sink: a write past it fails (ENOMEM) instead of growing further. */
#define REP_OUT_MEMORY_MAX ((size_t)1 << 30)
/* The stdio buffer of a file sink. */
#define REP_OUT_FILE_BUFFER ((size_t)1 << 16)

/* A file sink writing DIR/.NAME.tmp; rep_out_commit renames it to DIR/NAME. When the
 * temporary file cannot be created the sink is returned already failed (rep_out_error
 * tells why, rep_out_commit returns -1), so callers handle one kind of failure. NULL only
 * when memory ran out. */
rep_out *rep_out_file(const char *dir, const char *name);

/* A sink that keeps nothing but the hash of what it was given (a trace's fingerprint
 * without writing the trace). NULL when memory ran out. */
rep_out *rep_out_null(void);

/* FNV-1a 64 (offset 0xcbf29ce484222325, prime 0x100000001b3) of every byte accepted so far.
 * Of trace.jsonl it is the run's fingerprint. */
uint64_t rep_out_hash(const rep_out *o);

/* A sink collecting everything in memory (up to REP_OUT_MEMORY_MAX). NULL when memory ran out. */
rep_out *rep_out_memory(void);

/* A memory sink that accepts after_bytes bytes in total: the write that would go past them
 * writes nothing and fails (as a full disk would, ENOSPC). NULL when memory ran out. */
rep_out *rep_out_failing(size_t after_bytes);

/* The bytes written so far to a memory or failing sink, NUL-terminated (the NUL is not
 * counted in *len; len may be NULL). A file sink gives "" and 0. Valid until the next write
 * or rep_out_free. */
const char *rep_out_data(const rep_out *o, size_t *len);

/* Writes n bytes / a NUL-terminated string / printf-formatted text. Nothing happens once the
 * sink failed, or when o is NULL (a sink that memory ran out for: its commit fails). Formats must not use floating point (locale): money goes through rep_money. */
void rep_write(rep_out *o, const void *data, size_t n);
void rep_puts(rep_out *o, const char *s);
void rep_printf(rep_out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Marks the sink failed with errno err (0: "write failed") unless it failed already; a
 * writer uses it for failures of its own (memory ran out) so that the sink is not
 * committed even by a caller that checks only the sink. */
void rep_out_fail(rep_out *o, int err);

/* Nonzero once a write, the open, or a commit failed. */
int rep_out_failed(const rep_out *o);

/* The errno the sink failed with (ENOMEM when memory ran out, ENOSPC for a full disk), 0
 * while not failed or when no errno was given. */
int rep_out_errno(const rep_out *o);

/* Why the sink failed: strerror of the saved errno, or "write failed"; "" while not failed.
 * The text is a constant or strerror's buffer: copy it before the next libc call. */
const char *rep_out_error(const rep_out *o);

/* NULL: -1. File sink: flushes and closes the temporary file and renames it to DIR/NAME (atomic on
 * POSIX file systems, an older DIR/NAME is replaced). Returns 0, or -1 when the sink had
 * failed or the flush, close or rename failed; on -1 the temporary file is removed and no
 * DIR/NAME is created. Memory sinks: 0, or -1 when the sink failed. Writes after a commit
 * fail. */
int rep_out_commit(rep_out *o);

/* Frees the sink. A file sink that was not committed is closed and its temporary file
 * removed, so no half-written report remains. NULL is allowed. */
void rep_out_free(rep_out *o);

/* Grows the array *v (of *cap elements of size bytes) to hold at least n, doubling, the new
 * elements zeroed. 0, or -1 when memory ran out or n * size overflows (*v is kept). Shared
 * by the writers that collect records before writing; inline for the case with room (a call
 * per record), rep_grow_slow is its growth. */
int rep_grow_slow(void **v, size_t *cap, size_t n, size_t size);
static inline int rep_grow(void **v, size_t *cap, size_t n, size_t size)
{
    return n <= *cap ? 0 : rep_grow_slow(v, cap, n, size); /* inline: writers call it per record */
}

/* The order the per-tenant writers (timeline, report) list records in: tenant index, the
 * records without a tenant (MODEL_NONE, the general section) last, then seq. -1, 0 or 1. */
static inline int rep_order_tenant_seq(uint32_t ta, uint64_t sa, uint32_t tb, uint64_t sb)
{
    if (ta != tb)
        return ta < tb ? -1 : 1;
    return sa < sb ? -1 : sa > sb;
}

/* mkdir -p: creates dir and its missing parents (mode 0777 less the umask). 0 when dir is a
 * directory afterwards, -1 with errno set otherwise (ENOTDIR when a component is a file). */
int rep_mkdirs(const char *dir);

#endif
