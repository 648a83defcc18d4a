/*
 * replay_main.c - runs a fuzz target over saved inputs without libFuzzer.
 *
 *     fuzz_replay_json DIR_OR_FILE...
 *
 * Every regular file in each directory (not recursive, in name order) and
 * every file named directly is read and passed to LLVMFuzzerTestOneInput().
 * A target that finds a broken invariant aborts, which fails the test. Prints
 * how many inputs ran; exits 1 if there were none or a path could not be read,
 * so an empty or misplaced corpus does not pass silently.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/pinyin.h"
#include "fuzz.h"

#include "core/banned.h"

static int run_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "replay: cannot open '%s': %s\n", path, strerror(errno));
        return -1;
    }
    size_t cap = 4096, len = 0;
    uint8_t *buf = malloc(cap);
    if (!buf)
        abort();
    for (;;) {
        if (len == cap) {
            cap *= 2;
            uint8_t *nb = realloc(buf, cap);
            if (!nb)
                abort();
            buf = nb;
        }
        size_t n = fread(buf + len, 1, cap - len, f);
        len += n;
        if (n == 0)
            break;
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        fprintf(stderr, "replay: cannot read '%s'\n", path);
        free(buf);
        return -1;
    }
    /* An exact-size copy, so ASan catches a read one past the input. */
    uint8_t *exact = malloc(len ? len : 1);
    if (!exact)
        abort();
    if (len)
        memcpy(exact, buf, len);
    free(buf);
    LLVMFuzzerTestOneInput(exact, len);
    free(exact);
    return 0;
}

static int only_visible(const struct dirent *d)
{
    return d->d_name[0] != '.';
}

int main(int argc, char **argv)
{
    long ran = 0;
    int failed = 0;
    for (int i = 1; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) != 0) {
            fprintf(stderr, "replay: '%s': %s\n", argv[i], strerror(errno));
            failed = 1;
            continue;
        }
        if (!S_ISDIR(st.st_mode)) {
            if (run_file(argv[i]) == 0)
                ran++;
            else
                failed = 1;
            continue;
        }
        struct dirent **names;
        int n = scandir(argv[i], &names, only_visible, alphasort);
        if (n < 0) {
            fprintf(stderr, "replay: cannot list '%s': %s\n", argv[i], strerror(errno));
            failed = 1;
            continue;
        }
        for (int k = 0; k < n; k++) {
            char path[4096];
            int w = snprintf(path, sizeof(path), "%s/%s", argv[i], names[k]->d_name);
            if (w > 0 && (size_t)w < sizeof(path) && stat(path, &st) == 0 &&
                S_ISREG(st.st_mode)) {
                if (run_file(path) == 0)
                    ran++;
                else
                    failed = 1;
            }
            free(names[k]);
        }
        free(names);
    }
    /* Leak checkers should see nothing of ICU left (a no-op if unused). */
    ms_pinyin_release_all();
    printf("replay: ran %ld input%s\n", ran, ran == 1 ? "" : "s");
    return ran == 0 || failed ? 1 : 0;
}
