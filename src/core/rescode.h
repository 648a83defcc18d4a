/*
 * rescode.h - the public resident code (居民码): one opaque code per person.
 *
 * A resident code is 12 symbols from Crockford's base32 alphabet
 *
 *     0 1 2 3 4 5 6 7 8 9 A B C D E F G H J K M N P Q R S T V W X Y Z
 *
 * (no I, L, O or U): 11 random symbols, 55 bits, then one check symbol. It
 * carries no personal data (unlike the ID-card number), it is safe as it
 * stands in a URL path or query and in a QR code's alphanumeric mode, and it
 * is read aloud without "is that an O or a zero?". People see it in groups of
 * four, "7K3M-Q9PX-2D4R"; the stored form has no hyphens.
 *
 * The check symbol. Symbol values are their index in the alphabet, taken as
 * elements of GF(32), the finite field with 32 elements (modulus
 * x^5 + x^2 + 1). A code d0 ... d11 is valid when
 *
 *     sum over i of  a^(11 - i) * d_i  =  0        (in GF(32), a = x)
 *
 * so the check symbol is d11 = sum over i < 11 of a^(11 - i) * d_i. This is
 * a "pure" check system in the sense of ISO 7064, built over a field of 32
 * elements instead of ISO 7064's prime moduli, so the check symbol is always
 * one of the 32 symbols (ISO 7064 MOD 37-2 would need '*' and the letters
 * I L O U). Because every weight is non-zero and a has order 31 (a prime), it
 * detects every single substitution, every transposition of two symbols at
 * any distance (not only adjacent ones) and every twin error (aa -> bb);
 * tests/unit/names/test_rescode.c checks the first two exhaustively on a
 * sample. Two unrelated substitutions pass with probability 1/32.
 *
 * With 55 random bits, two of a million residents share a code with
 * probability about 1.4e-5: the store must still hold the code UNIQUE and
 * draw again on a clash.
 *
 * Nothing here allocates; all functions are thread-safe.
 */
#ifndef MS_RESCODE_H
#define MS_RESCODE_H

#include <stdint.h>

#include "err.h"

#define MS_RESCODE_LEN         12 /* stored form, without hyphens */
#define MS_RESCODE_DISPLAY_LEN 14 /* "XXXX-XXXX-XXXX" */

/*
 * Writes a new random code (MS_RESCODE_LEN symbols and a NUL) to out. The
 * randomness comes from getrandom(2); if the kernel cannot provide it the
 * process aborts (there is no sensible fallback for identifiers).
 */
void ms_rescode_new(char out[MS_RESCODE_LEN + 1]);

/*
 * Deterministic variant for synthetic data: draws the 55 bits from a
 * splitmix64 generator whose 64-bit state the caller owns and seeds, and
 * advances *state. The same seed gives the same sequence of codes on every
 * platform. Never use it for real residents' codes.
 */
void ms_rescode_from_seed(uint64_t *state, char out[MS_RESCODE_LEN + 1]);

/*
 * Validates text as typed by a person and writes the stored form to
 * normalised (if not NULL; written only on success). Accepted: lower case;
 * Crockford's confusables i, I, l, L (read as 1) and o, O (read as 0); a
 * hyphen or a space between groups of four ("7k3m-q9px-2d4r"). Errors, all
 * with field "resident_code" and English and Chinese text: MS_EMISSING (NULL
 * or empty), MS_EFIELD for a separator elsewhere, a symbol outside the
 * alphabet (naming it and its position), the wrong number of symbols, and a
 * check symbol that does not match (most likely a typing error).
 */
int ms_rescode_check(const char *text, char normalised[MS_RESCODE_LEN + 1], struct ms_err *err);

/*
 * Writes code, which must be a stored-form code (MS_RESCODE_LEN upper-case
 * symbols, as ms_rescode_new() or ms_rescode_check() produce), as
 * "XXXX-XXXX-XXXX" to out.
 */
void ms_rescode_format(const char *code, char out[MS_RESCODE_DISPLAY_LEN + 1]);

/*
 * The check symbol for the first MS_RESCODE_LEN - 1 symbols of first11
 * (upper case, stored form), or '\0' if one of them is outside the alphabet.
 */
char ms_rescode_check_char(const char *first11);

#endif
