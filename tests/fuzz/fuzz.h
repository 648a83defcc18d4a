/*
 * fuzz.h - what every fuzz target in tests/fuzz shares.
 *
 * Each fuzz_<parser>.c defines LLVMFuzzerTestOneInput(). The same object is
 * linked either with libFuzzer (clang, -DMS_FUZZ=ON) or with replay_main.c,
 * which feeds it every file of a corpus directory (the fuzz-replay tests).
 *
 * FUZZ_CHECK is for invariants of our own code, not for input checks: unlike
 * assert() it stays in NDEBUG builds (RelWithDebInfo), and abort() is what
 * libFuzzer and ctest both see as a failure.
 */
#ifndef MS_FUZZ_H
#define MS_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond)                                                               \
    do {                                                                               \
        if (!(cond)) {                                                                 \
            fprintf(stderr, "%s:%d: fuzz invariant failed: %s\n", __FILE__, __LINE__, \
                    #cond);                                                            \
            abort();                                                                   \
        }                                                                              \
    } while (0)

/* A NUL-terminated malloc'd copy of the input; the parsers take C strings.
 * An embedded NUL simply ends the string early, as it would in a caller. */
static inline char *fuzz_cstr(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s)
        abort();
    if (size)
        memcpy(s, data, size);
    s[size] = '\0';
    return s;
}

#endif
