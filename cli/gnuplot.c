/* cli/gnuplot.c - runs gnuplot on chart scripts: fork, chdir and execvp in the child, its
 * stderr through a pipe, the exit status read with waitpid. A missing gnuplot is told apart
 * from a failing script by the child's exit code CLI_GNUPLOT_NOT_FOUND (exec failed with
 * ENOENT); the alternative, a close-on-exec pipe carrying errno, is exact but not needed:
 * gnuplot itself does not exit 127. */
#include "gnuplot.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

typedef struct {
    char text[CLI_GNUPLOT_STDERR_MAX + 1];
    size_t n;
} captured;

/* Runs one script; fills *cap with the start of its stderr. Returns the exit code, 128 + the
 * signal number when killed, or -1 when the process could not be started. */
static int run_one(const char *dir, const char *script, captured *cap)
{
    int fds[2];
    cap->n = 0;
    cap->text[0] = '\0';
    if (pipe(fds) < 0)
        return -1;
    fflush(NULL); /* nothing buffered is written twice by the child */
    pid_t pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        return -1;
    }
    if (pid == 0) {
        close(fds[0]);
        if (dup2(fds[1], STDERR_FILENO) < 0)
            _exit(126);
        close(fds[1]);
        int devnull = open("/dev/null", O_RDWR);
        if (devnull >= 0) {
            dup2(devnull, STDIN_FILENO);
            dup2(devnull, STDOUT_FILENO);
            if (devnull > STDERR_FILENO)
                close(devnull);
        }
        if (chdir(dir) < 0) {
            const char *e = strerror(errno);
            (void)!write(STDERR_FILENO, "cannot enter the directory: ", 28);
            (void)!write(STDERR_FILENO, e, strlen(e));
            (void)!write(STDERR_FILENO, "\n", 1);
            _exit(126);
        }
        char *const argv[] = {(char *)"gnuplot", (char *)script, NULL};
        execvp("gnuplot", argv);
        _exit(errno == ENOENT ? CLI_GNUPLOT_NOT_FOUND : 126);
    }
    close(fds[1]);
    char buf[4096];
    for (;;) {
        ssize_t got = read(fds[0], buf, sizeof buf);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            break;
        size_t k = (size_t)got;
        if (k > CLI_GNUPLOT_STDERR_MAX - cap->n)
            k = CLI_GNUPLOT_STDERR_MAX - cap->n;
        memcpy(cap->text + cap->n, buf, k);
        cap->n += k;
        cap->text[cap->n] = '\0';
    }
    close(fds[0]);
    int status;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR)
            return -1;
    }
    if (WIFEXITED(status))
        return WEXITSTATUS(status);
    if (WIFSIGNALED(status))
        return 128 + WTERMSIG(status);
    return -1;
}

int cli_gnuplot_render(const char *dir, const char *const *scripts, size_t n, FILE *err)
{
    static captured cap; /* 8 KiB: not on the stack */
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        int code = run_one(dir, scripts[i], &cap);
        if (code == 0)
            continue;
        if (code == CLI_GNUPLOT_NOT_FOUND) {
            fprintf(err, "cspsim: gnuplot not found; the chart data and scripts are in %s: run 'cd %s && gnuplot", dir,
                    dir);
            for (size_t k = 0; k < n; k++)
                fprintf(err, " %s", scripts[k]);
            fprintf(err, "' to render them\n");
            return 1;
        }
        if (code < 0)
            fprintf(err, "cspsim: gnuplot failed on %s/%s: cannot start it: %s\n", dir, scripts[i], strerror(errno));
        else
            fprintf(err, "cspsim: gnuplot failed on %s/%s:\n%s%s", dir, scripts[i], cap.text,
                    cap.n > 0 && cap.text[cap.n - 1] != '\n' ? "\n" : "");
        rc = -1;
    }
    return rc;
}
