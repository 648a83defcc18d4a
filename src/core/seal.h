/*
 * seal.h - field-level encryption and blind indexes for personal data (ID
 * numbers, phone numbers), behind one small interface.
 *
 * A seal holds one 32-byte master key, read from a key file. From it two
 * subkeys are derived (crypto_kdf): one encrypts, one computes blind indexes.
 *
 *   sealed value  "x1." base64url(nonce || ciphertext || tag), no padding:
 *                 XChaCha20-Poly1305 (IETF) with a random 24-byte nonce, the
 *                 field name as associated data, so a value sealed as
 *                 "phone" does not open as "id_number" (a swapped column is
 *                 caught, not silently shown).
 *   blind index   64 hex digits: keyed BLAKE2b-256 of field name, NUL and the
 *                 value. Equal values give equal indexes (exact look-up and
 *                 UNIQUE constraints work); without the key, the index of a
 *                 guessed ID number cannot be computed, so the index does
 *                 not make the 10^9-ish space of ID numbers searchable by
 *                 someone holding only the database.
 *
 * The algorithms are named in the sealed text ("x1."), so a second back end
 * (SM4-GCM and HMAC-SM3 for a 密评 deployment, rules.md §12.2) can be added
 * behind the same functions with its own prefix, and old values still open.
 * Callers never see a key or an algorithm.
 *
 * The key file holds "minsheng-seal-v1 " and 64 hex digits and a newline.
 * ms_seal_open() creates it on first use with mode 0600 (written to a
 * temporary file and linked into place, so two processes starting at once
 * agree on one key), and refuses a file that its group or others may read or
 * write. Losing the file loses every sealed value: back it up apart from the
 * database (docs/registry.md).
 *
 * Values are hashed and sealed as given: normalise first (upper-case X in ID
 * numbers, digits only in phone numbers). Errors never repeat a value.
 *
 * Ownership: a seal is made by ms_seal_open() and freed by ms_seal_free();
 * once open it is read-only and may be used by many threads at once. Texts
 * returned by ms_seal_encrypt()/ms_seal_decrypt() live in the given arena.
 */
#ifndef MS_SEAL_H
#define MS_SEAL_H

#include <stddef.h>

#include "arena.h"
#include "err.h"

#define MS_SEAL_INDEX_BUF 65 /* 64 hex digits and the NUL */
#define MS_SEAL_PATH_MAX  4096

struct ms_seal;

/*
 * The key file to use: `option` (a --key-file argument) if set, else the
 * environment's MINSHENG_KEY_FILE, else "<sqlite_file>.key" next to the
 * SQLite database. sqlite_file is NULL or "" for PostgreSQL and for an
 * in-memory database, which need an explicit path: MS_EINVAL (field
 * "key_file") saying so. Writes the path into out (size bytes).
 */
int ms_seal_key_path(const char *option, const char *sqlite_file, char *out, size_t size,
                     struct ms_err *err);

/*
 * Opens the key file at path, creating it with a new random key (mode 0600)
 * if it does not exist. Errors: MS_EIO (cannot read or create it; readable
 * or writable by group or others, with the fix in the message), MS_EINTEGRITY
 * (not a key file). *out is set only on success.
 */
int ms_seal_open(const char *path, struct ms_seal **out, struct ms_err *err);

/* Wipes and frees the key. ms_seal_free(NULL) does nothing. */
void ms_seal_free(struct ms_seal *seal);

/* Seals plain (NUL-terminated) for field; *out is the sealed text in arena.
 * Cannot fail except on out-of-memory, which aborts. */
void ms_seal_encrypt(const struct ms_seal *seal, const char *field, const char *plain,
                     struct ms_arena *arena, const char **out);

/*
 * Opens a sealed text for field; *out is the plain text in arena. Errors:
 * MS_EINTEGRITY if the text is malformed, was sealed for another field or
 * with another key, or was altered.
 */
int ms_seal_decrypt(const struct ms_seal *seal, const char *field, const char *sealed,
                    struct ms_arena *arena, const char **out, struct ms_err *err);

/* The blind index of value for field, as 64 lower-case hex digits. */
void ms_seal_blind_index(const struct ms_seal *seal, const char *field, const char *value,
                         char out[MS_SEAL_INDEX_BUF]);

#endif
