/*
 * seal.c - the libsodium back end of seal.h: the key file, XChaCha20-Poly1305
 * for sealed values and keyed BLAKE2b for blind indexes.
 *
 * The master key lives in sodium_malloc()ed memory (guard pages, no core
 * dumps of it on systems that honour MADV_DONTDUMP), made read-only once the
 * subkeys are derived, and wiped by ms_seal_free().
 */
#include "seal.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "banned.h"

#define KEY_BYTES     32
#define INDEX_BYTES   32
#define FILE_MAGIC    "minsheng-seal-v1 "
#define FILE_BYTES    (sizeof(FILE_MAGIC) - 1 + KEY_BYTES * 2 + 1)
#define SEALED_PREFIX "x1."
#define KDF_CONTEXT   "msseal01" /* crypto_kdf contexts are 8 bytes */
#define SUBKEY_AEAD   1
#define SUBKEY_INDEX  2

#define NONCE_BYTES crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
#define TAG_BYTES   crypto_aead_xchacha20poly1305_ietf_ABYTES

struct ms_seal {
    unsigned char aead_key[crypto_aead_xchacha20poly1305_ietf_KEYBYTES];
    unsigned char index_key[crypto_generichash_KEYBYTES];
};

int ms_seal_key_path(const char *option, const char *sqlite_file, char *out, size_t size,
                     struct ms_err *err)
{
    const char *env = getenv("MINSHENG_KEY_FILE");
    int n;
    if (option && *option)
        n = snprintf(out, size, "%s", option);
    else if (env && *env)
        n = snprintf(out, size, "%s", env);
    else if (sqlite_file && *sqlite_file)
        n = snprintf(out, size, "%s.key", sqlite_file);
    else {
        int ret = ms_err_field(err, MS_EINVAL, "key_file",
                               "a PostgreSQL or in-memory database needs an explicit key file: "
                               "give --key-file or set MINSHENG_KEY_FILE");
        ms_err_zh(err, "使用 PostgreSQL 或内存数据库时须指定密钥文件（--key-file 或环境变量 "
                       "MINSHENG_KEY_FILE）");
        return ret;
    }
    if (n < 0 || (size_t)n >= size)
        return ms_err_field(err, MS_EINVAL, "key_file", "key file path too long");
    return 0;
}

/* Writes a new key file at path, atomically: a private temporary file, then
 * link(2), which fails if another process created path first (that one wins
 * and both then read its key). */
static int create_key_file(const char *path, struct ms_err *err)
{
    char tmp[MS_SEAL_PATH_MAX + 32];
    unsigned char key[KEY_BYTES];
    char text[FILE_BYTES + 1];
    char hex[KEY_BYTES * 2 + 1];

    snprintf(tmp, sizeof(tmp), "%s.tmp%ld", path, (long)getpid());
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0)
        return ms_err_field(err, MS_EIO, "key_file", "cannot create key file '%s': %s", path,
                            strerror(errno));
    randombytes_buf(key, sizeof(key));
    sodium_bin2hex(hex, sizeof(hex), key, sizeof(key));
    snprintf(text, sizeof(text), "%s%s\n", FILE_MAGIC, hex);
    ssize_t w = write(fd, text, FILE_BYTES);
    int ok = w == (ssize_t)FILE_BYTES && fsync(fd) == 0;
    ok = close(fd) == 0 && ok;
    sodium_memzero(key, sizeof(key));
    sodium_memzero(hex, sizeof(hex));
    sodium_memzero(text, sizeof(text));
    if (ok && link(tmp, path) != 0 && errno != EEXIST)
        ok = 0;
    int saved = errno;
    unlink(tmp);
    if (!ok)
        return ms_err_field(err, MS_EIO, "key_file", "cannot create key file '%s': %s", path,
                            strerror(saved));
    return 0;
}

/* Reads the master key from an existing file, refusing a file others can
 * read or write. */
static int read_key_file(const char *path, unsigned char key[KEY_BYTES], struct ms_err *err)
{
    char text[FILE_BYTES + 8];
    struct stat sb;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return errno == ENOENT ? 1
                               : ms_err_field(err, MS_EIO, "key_file", "cannot open key file '%s': %s",
                                              path, strerror(errno));
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        close(fd);
        return ms_err_field(err, MS_EIO, "key_file", "key file '%s' is not a regular file", path);
    }
    if (sb.st_mode & (S_IRWXG | S_IRWXO)) {
        close(fd);
        int ret = ms_err_field(err, MS_EIO, "key_file",
                               "key file '%s' is accessible by group or others (mode %04o); "
                               "run chmod 600 on it",
                               path, (unsigned)(sb.st_mode & 07777));
        ms_err_zh(err, "密钥文件“%s”的权限过宽（%04o），请执行 chmod 600", path,
                  (unsigned)(sb.st_mode & 07777));
        return ret;
    }
    ssize_t n = read(fd, text, sizeof(text));
    close(fd);
    size_t magic = sizeof(FILE_MAGIC) - 1;
    size_t hex_end = 0;
    int ok = n == (ssize_t)FILE_BYTES && memcmp(text, FILE_MAGIC, magic) == 0 &&
             text[FILE_BYTES - 1] == '\n' &&
             sodium_hex2bin(key, KEY_BYTES, text + magic, KEY_BYTES * 2, NULL, &hex_end, NULL) == 0 &&
             hex_end == KEY_BYTES;
    sodium_memzero(text, sizeof(text));
    if (!ok)
        return ms_err_field(err, MS_EINTEGRITY, "key_file", "'%s' is not a minsheng key file",
                            path);
    return 0;
}

int ms_seal_open(const char *path, struct ms_seal **out, struct ms_err *err)
{
    unsigned char key[KEY_BYTES];
    if (sodium_init() < 0)
        return ms_err_set(err, MS_EINTERNAL, "libsodium failed to initialise");
    if (strlen(path) >= MS_SEAL_PATH_MAX)
        return ms_err_field(err, MS_EINVAL, "key_file", "key file path too long");
    int rc = read_key_file(path, key, err);
    if (rc == 1) {
        if (create_key_file(path, err) < 0)
            return err->code;
        rc = read_key_file(path, key, err);
    }
    if (rc != 0)
        return rc < 0 ? rc : ms_err_field(err, MS_EIO, "key_file", "key file '%s' vanished", path);

    struct ms_seal *s = sodium_malloc(sizeof(*s));
    if (!s) {
        sodium_memzero(key, sizeof(key));
        return ms_err_set(err, MS_EINTERNAL, "cannot allocate protected memory for the key");
    }
    crypto_kdf_derive_from_key(s->aead_key, sizeof(s->aead_key), SUBKEY_AEAD, KDF_CONTEXT, key);
    crypto_kdf_derive_from_key(s->index_key, sizeof(s->index_key), SUBKEY_INDEX, KDF_CONTEXT,
                               key);
    sodium_memzero(key, sizeof(key));
    sodium_mprotect_readonly(s);
    *out = s;
    return 0;
}

void ms_seal_free(struct ms_seal *seal)
{
    if (seal)
        sodium_free(seal); /* wipes before freeing */
}

void ms_seal_encrypt(const struct ms_seal *seal, const char *field, const char *plain,
                     struct ms_arena *arena, const char **out)
{
    size_t plain_len = strlen(plain);
    size_t raw_len = NONCE_BYTES + plain_len + TAG_BYTES;
    unsigned char *raw = ms_arena_alloc(arena, raw_len);
    unsigned long long clen = 0;
    randombytes_buf(raw, NONCE_BYTES);
    crypto_aead_xchacha20poly1305_ietf_encrypt(
        raw + NONCE_BYTES, &clen, (const unsigned char *)plain, plain_len,
        (const unsigned char *)field, strlen(field), NULL, raw, seal->aead_key);
    size_t prefix = sizeof(SEALED_PREFIX) - 1;
    size_t b64 = sodium_base64_encoded_len(raw_len, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    char *text = ms_arena_alloc(arena, prefix + b64);
    memcpy(text, SEALED_PREFIX, prefix);
    sodium_bin2base64(text + prefix, b64, raw, raw_len, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    *out = text;
}

int ms_seal_decrypt(const struct ms_seal *seal, const char *field, const char *sealed,
                    struct ms_arena *arena, const char **out, struct ms_err *err)
{
    size_t prefix = sizeof(SEALED_PREFIX) - 1;
    size_t len = sealed ? strlen(sealed) : 0;
    if (len <= prefix || memcmp(sealed, SEALED_PREFIX, prefix) != 0)
        return ms_err_field(err, MS_EINTEGRITY, field, "sealed %s has an unknown form", field);
    size_t max_raw = (len - prefix) / 4 * 3 + 3;
    unsigned char *raw = ms_arena_alloc(arena, max_raw);
    size_t raw_len = 0;
    if (sodium_base642bin(raw, max_raw, sealed + prefix, len - prefix, NULL, &raw_len, NULL,
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
        raw_len < NONCE_BYTES + TAG_BYTES)
        return ms_err_field(err, MS_EINTEGRITY, field, "sealed %s is malformed", field);
    size_t clen = raw_len - NONCE_BYTES;
    char *plain = ms_arena_alloc(arena, clen - TAG_BYTES + 1);
    unsigned long long plen = 0;
    if (crypto_aead_xchacha20poly1305_ietf_decrypt(
            (unsigned char *)plain, &plen, NULL, raw + NONCE_BYTES, clen,
            (const unsigned char *)field, strlen(field), raw, seal->aead_key) != 0)
        return ms_err_field(err, MS_EINTEGRITY, field,
                            "sealed %s does not open: altered, moved from another field, or "
                            "sealed with another key",
                            field);
    plain[plen] = '\0';
    *out = plain;
    return 0;
}

void ms_seal_blind_index(const struct ms_seal *seal, const char *field, const char *value,
                         char out[MS_SEAL_INDEX_BUF])
{
    crypto_generichash_state st;
    unsigned char h[INDEX_BYTES];
    crypto_generichash_init(&st, seal->index_key, sizeof(seal->index_key), sizeof(h));
    crypto_generichash_update(&st, (const unsigned char *)field, strlen(field) + 1);
    crypto_generichash_update(&st, (const unsigned char *)value, strlen(value));
    crypto_generichash_final(&st, h, sizeof(h));
    sodium_bin2hex(out, MS_SEAL_INDEX_BUF, h, sizeof(h));
}
