/* cli/gnuplot.c - runs gnuplot on chart scripts: fork, chdir and execvp in the child, its
 * stderr through a pipe, the exit status read with waitpid. A missing gnuplot is told apart
 * from a failing script by the child's exit code CLI_GNUPLOT_NOT_FOUND (exec failed with
 * ENOENT); the alternative, a close-on-exec pipe carrying errno, is exact but not needed:
 * gnuplot itself does not exit 127. */
#include "gnuplot.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

typedef struct {
    char text[CLI_GNUPLOT_STDERR_MAX + 1];
    size_t n;
} captured;

/* The gnuplot running now (0: none), for a signal handler to kill (cli_gnuplot_child). */
static volatile pid_t running;

pid_t cli_gnuplot_child(void)
{
    return running;
}

/* A monotonic clock in milliseconds. */
static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

const char *cli_signal_name(int sig)
{
    switch (sig) {
    case SIGHUP: return "SIGHUP";
    case SIGINT: return "SIGINT";
    case SIGQUIT: return "SIGQUIT";
    case SIGILL: return "SIGILL";
    case SIGABRT: return "SIGABRT";
    case SIGBUS: return "SIGBUS";
    case SIGFPE: return "SIGFPE";
    case SIGKILL: return "SIGKILL";
    case SIGSEGV: return "SIGSEGV";
    case SIGPIPE: return "SIGPIPE";
    case SIGALRM: return "SIGALRM";
    case SIGTERM: return "SIGTERM";
    default: return "an unnamed signal";
    }
}

/* Runs one script; fills *cap with the start of its stderr. Returns the exit code, 128 + the
 * signal number when killed, -2 when it outlived timeout_s (>0) seconds and was killed
 * (SIGKILL, by its pid), or -1 when the process could not be started. */
static int run_one(const char *dir, const char *script, int timeout_s, captured *cap)
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
    running = pid;
    close(fds[1]);
    char buf[4096];
    long long deadline = timeout_s > 0 ? now_ms() + 1000LL * timeout_s : 0;
    int timed_out = 0;
    for (;;) {
        /* the deadline is watched on the stderr pipe: a gnuplot that hangs keeps it open */
        if (deadline) {
            struct pollfd pf = {fds[0], POLLIN, 0};
            long long left = deadline - now_ms();
            int r = left > 0 ? poll(&pf, 1, left > 1000 ? 1000 : (int)left) : 0;
            if (r < 0 && errno == EINTR)
                continue;
            if (r == 0) {
                if (now_ms() < deadline)
                    continue;
                kill(pid, SIGKILL);
                timed_out = 1;
                break;
            }
        }
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
        if (errno != EINTR) {
            running = 0;
            return -1;
        }
    }
    running = 0;
    if (timed_out)
        return -2;
    if (WIFEXITED(status))
        return WEXITSTATUS(status);
    if (WIFSIGNALED(status))
        return 128 + WTERMSIG(status);
    return -1;
}

int cli_gnuplot_render(const char *dir, const char *const *scripts, size_t n, FILE *err)
{
    return cli_gnuplot_render_timed(dir, scripts, n, CLI_GNUPLOT_TIMEOUT, err);
}

int cli_gnuplot_render_timed(const char *dir, const char *const *scripts, size_t n, int timeout_s, FILE *err)
{
    static captured cap; /* 8 KiB: not on the stack */
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        int code = run_one(dir, scripts[i], timeout_s, &cap);
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
        if (code == -2)
            fprintf(err, "cspsim: gnuplot on %s/%s did not finish in %d s (--chart-timeout): killed it\n", dir, scripts[i],
                    timeout_s);
        else if (code < 0)
            fprintf(err, "cspsim: gnuplot failed on %s/%s: cannot start it: %s\n", dir, scripts[i], strerror(errno));
        else if (code > 128 && code < 128 + 65)
            fprintf(err, "cspsim: gnuplot on %s/%s was killed by %s (signal %d)\n%s%s", dir, scripts[i],
                    cli_signal_name(code - 128), code - 128, cap.text, cap.n > 0 && cap.text[cap.n - 1] != '\n' ? "\n" : "");
        else
            fprintf(err, "cspsim: gnuplot failed on %s/%s:\n%s%s", dir, scripts[i], cap.text,
                    cap.n > 0 && cap.text[cap.n - 1] != '\n' ? "\n" : "");
        rc = -1;
    }
    return rc;
}

int cli_png_check(const char *path, FILE *err)
{
    static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    unsigned char head[8];
    struct stat st;
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        fprintf(err, "cspsim: gnuplot did not write %s: %s\n", path, strerror(errno));
        return -1;
    }
    ssize_t got = read(fd, head, sizeof head);
    int ok = fstat(fd, &st) == 0 && got == (ssize_t)sizeof head && memcmp(head, sig, sizeof sig) == 0 &&
             st.st_size >= CLI_PNG_MIN_BYTES;
    close(fd);
    if (!ok) {
        fprintf(err, "cspsim: gnuplot wrote a broken %s (%lld bytes, not a PNG image)\n", path,
                (long long)st.st_size);
        return -1;
    }
    return 0;
}
