/* tests/fuzz/replay.c - replays fuzz inputs without libFuzzer: a main that reads each file
 * named on the command line (or each file of each directory named) and gives its bytes to
 * LLVMFuzzerTestOneInput. Linked with a target by the sanitizer build (gcc), so that
 * `make check` replays tests/fuzz/corpus/ under ASan/UBSan. Prints "replayed N inputs";
 * exits 1 when a file cannot be read (a finding aborts by itself). */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int replay_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        return -1;
    }
    size_t cap = 4096, len = 0, n;
    uint8_t *buf = malloc(cap);
    while (buf && (n = fread(buf + len, 1, cap - len, f)) > 0) {
        len += n;
        if (len == cap) {
            uint8_t *b = realloc(buf, cap *= 2);
            if (!b) {
                free(buf);
                buf = NULL;
            }
            buf = b;
        }
    }
    int bad = !buf || ferror(f);
    fclose(f);
    if (bad) {
        fprintf(stderr, "%s: cannot read\n", path);
        free(buf);
        return -1;
    }
    /* an exact-size copy, so that ASan sees a read past the input's end */
    uint8_t *exact = malloc(len ? len : 1);
    if (!exact) {
        free(buf);
        return -1;
    }
    memcpy(exact, buf, len);
    free(buf);
    LLVMFuzzerTestOneInput(exact, len);
    free(exact);
    return 0;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
    size_t count = 0;
    int rc = 0;
    for (int i = 1; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode)) {
            DIR *dir = opendir(argv[i]);
            struct dirent *e;
            char **names = NULL;
            size_t n = 0, cap = 0;
            while (dir && (e = readdir(dir))) {
                if (e->d_name[0] == '.')
                    continue;
                if (n == cap) {
                    char **m = realloc(names, (cap = cap ? cap * 2 : 256) * sizeof *names);
                    if (!m)
                        return 1;
                    names = m;
                }
                size_t len = strlen(argv[i]) + strlen(e->d_name) + 2;
                if (!(names[n] = malloc(len)))
                    return 1;
                snprintf(names[n++], len, "%s/%s", argv[i], e->d_name);
            }
            if (dir)
                closedir(dir);
            else
                rc = 1, perror(argv[i]);
            qsort(names, n, sizeof *names, cmp_names); /* the same order on every machine */
            for (size_t j = 0; j < n; j++) {
                rc |= replay_file(names[j]) != 0;
                count++;
                free(names[j]);
            }
            free(names);
        } else {
            rc |= replay_file(argv[i]) != 0;
            count++;
        }
    }
    printf("replayed %zu inputs\n", count);
    return rc;
}
