/* cli/rundir.c - build a run directory beside its target, swap it in, clean up after a
 * failure or a signal. */
#include "rundir.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/syscall.h>
#endif

#include "gnuplot.h"
#include "reports/charts.h"
#include "reports/out.h"

#define PATH_CAP 4300
#define MAX_CREATED 32

static struct {
    int active, committed;
    char dir[PATH_CAP], tmp[PATH_CAP + 40], old[PATH_CAP + 40];
    char created[MAX_CREATED][PATH_CAP]; /* parents begin made, deepest first */
    int ncreated;
    struct sigaction old_int, old_term;
} R;

/* Every name a run writes in its directory, and the temporaries of reports/out.c. */
static const char *const top_names[] = {"trace.jsonl", "trace.csv", "timeline.txt", "summary.json", "report.html",
                                         "series.csv"};
static const char *const chart_exts[] = {".dat", ".gp", ".png", ".svg"};

/* dst = a + b + c, cut at PATH_CAP; async-signal-safe (no stdio). */
static void join3(char *dst, const char *a, const char *b, const char *c)
{
    size_t n = 0;
    for (const char *const *p = (const char *const[]){a, b, c, NULL}; *p; p++)
        for (const char *q = *p; *q && n + 1 < PATH_CAP; q++)
            dst[n++] = *q;
    dst[n] = '\0';
}

/* Removes the files a run may have left in R.tmp, then its charts/ and itself; only unlink
 * and rmdir, so a signal handler may call it. Files it does not know stay (and so does the
 * directory). */
static void remove_known(void)
{
    static char p[PATH_CAP], q[PATH_CAP], name[PATH_CAP];
    for (size_t i = 0; i < sizeof top_names / sizeof *top_names; i++) {
        join3(p, R.tmp, "/", top_names[i]);
        unlink(p);
        join3(p, R.tmp, "/.", top_names[i]);
        join3(q, p, ".tmp", "");
        unlink(q);
    }
    for (size_t i = 0; i < REP_CHARTS_COUNT; i++)
        for (size_t e = 0; e < sizeof chart_exts / sizeof *chart_exts; e++) {
            join3(name, rep_chart_names[i], chart_exts[e], "");
            join3(p, R.tmp, "/charts/", name);
            unlink(p);
            join3(p, R.tmp, "/charts/.", name);
            join3(q, p, ".tmp", "");
            unlink(q);
        }
    join3(p, R.tmp, "/charts", "");
    rmdir(p);
    rmdir(R.tmp);
}

static void on_signal(int sig)
{
    pid_t child = cli_gnuplot_child();
    if (child > 0)
        kill(child, SIGKILL);
    if (R.active) {
        remove_known();
        if (!R.committed)
            for (int i = 0; i < R.ncreated; i++)
                rmdir(R.created[i]);
    }
    signal(sig, SIG_DFL);
    raise(sig);
}

/* rm -rf path (not following symbolic links); errors are ignored: what cannot be removed stays. */
static void remove_tree(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return;
    if (S_ISDIR(st.st_mode)) {
        DIR *d = opendir(path);
        if (d) {
            struct dirent *e;
            while ((e = readdir(d))) {
                if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                    continue;
                char *sub = malloc(strlen(path) + strlen(e->d_name) + 2);
                if (!sub)
                    continue;
                strcpy(sub, path);
                strcat(sub, "/");
                strcat(sub, e->d_name);
                remove_tree(sub);
                free(sub);
            }
            closedir(d);
        }
        rmdir(path);
    } else {
        unlink(path);
    }
}

const char *cli_rundir_begin(const char *dir, FILE *err)
{
    struct stat st;
    size_t len = strlen(dir);
    while (len > 1 && dir[len - 1] == '/')
        len--;
    if (len + 32 >= PATH_CAP) {
        fprintf(err, "cspsim: the output directory name is too long\n");
        return NULL;
    }
    memset(&R, 0, sizeof R);
    memcpy(R.dir, dir, len);
    R.dir[len] = '\0';
    if (stat(R.dir, &st) == 0 && !S_ISDIR(st.st_mode)) {
        fprintf(err, "cspsim: cannot create %s: %s\n", R.dir, strerror(ENOTDIR));
        return NULL;
    }
    /* the parents that do not exist yet, deepest first, to remove them when nothing is written */
    char parent[PATH_CAP];
    strcpy(parent, R.dir);
    for (;;) {
        char *slash = strrchr(parent, '/');
        if (!slash || slash == parent)
            break;
        *slash = '\0';
        if (stat(parent, &st) == 0 || R.ncreated == MAX_CREATED)
            break;
        strcpy(R.created[R.ncreated++], parent);
    }
    if (R.ncreated && rep_mkdirs(R.created[0])) {
        int e = errno;
        if (e == ENOMEM)
            fprintf(err, "cspsim: out of memory\n");
        else
            fprintf(err, "cspsim: cannot create %s: %s\n", R.dir, strerror(e));
        errno = e;
        return NULL;
    }
    snprintf(R.tmp, sizeof R.tmp, "%s.tmp-%ld", R.dir, (long)getpid());
    snprintf(R.old, sizeof R.old, "%s.old-%ld", R.dir, (long)getpid());
    remove_tree(R.tmp); /* a leftover of an earlier process with this pid */
    R.active = 1;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &R.old_int);
    sigaction(SIGTERM, &sa, &R.old_term);
    if (mkdir(R.tmp, 0777) != 0) {
        fprintf(err, "cspsim: cannot create %s: %s\n", R.tmp, strerror(errno));
        cli_rundir_end();
        return NULL;
    }
    return R.tmp;
}

int cli_rundir_commit(FILE *err)
{
    struct stat st;
    if (lstat(R.dir, &st) != 0) {
        if (rename(R.tmp, R.dir) != 0) {
            fprintf(err, "cspsim: cannot rename %s to %s: %s\n", R.tmp, R.dir, strerror(errno));
            return -1;
        }
        R.committed = 1;
        return 0;
    }
#if defined(__linux__) && defined(SYS_renameat2)
    /* one step: DIR holds the new set and DIR.tmp-PID the old one, removed by cli_rundir_end */
    if (syscall(SYS_renameat2, AT_FDCWD, R.tmp, AT_FDCWD, R.dir, 1 << 1 /* RENAME_EXCHANGE */) == 0) {
        R.committed = 1;
        return 0;
    }
#endif
    remove_tree(R.old);
    if (rename(R.dir, R.old) != 0) {
        fprintf(err, "cspsim: cannot rename %s to %s: %s\n", R.dir, R.old, strerror(errno));
        return -1;
    }
    if (rename(R.tmp, R.dir) != 0) {
        int e = errno;
        rename(R.old, R.dir);
        fprintf(err, "cspsim: cannot rename %s to %s: %s\n", R.tmp, R.dir, strerror(e));
        return -1;
    }
    R.committed = 1;
    remove_tree(R.old);
    return 0;
}

void cli_rundir_end(void)
{
    if (!R.active)
        return;
    remove_tree(R.tmp);
    if (!R.committed)
        for (int i = 0; i < R.ncreated; i++)
            rmdir(R.created[i]);
    sigaction(SIGINT, &R.old_int, NULL);
    sigaction(SIGTERM, &R.old_term, NULL);
    R.active = 0;
}
