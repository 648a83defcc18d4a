/*
 * mask.h - masked display of ID numbers, phone numbers and names.
 *
 * There is no national standard for masking (rules.md §11.5); these are the
 * screen conventions rules.md recommends. One rule holds throughout: input
 * that does not have the expected shape is masked completely (one '*' per
 * character, up to the buffer), never shown partly, so a malformed or
 * unexpected value cannot leak.
 *
 * Each function writes a NUL-terminated string into a caller buffer of the
 * size its macro gives and never allocates. NULL input gives "". Thread-safe.
 */
#ifndef MS_MASK_H
#define MS_MASK_H

#define MS_MASK_ID_BUF    19 /* 18 characters and the NUL */
#define MS_MASK_PHONE_BUF 24 /* 23 characters and the NUL */
#define MS_MASK_NAME_BUF  64 /* bytes, with the NUL */

/*
 * ID numbers: an 18-character number (17 digits and a digit, X or x) keeps
 * its first 6 and last 4 characters: "500110********123X" (region kept,
 * birth date hidden, sequence and check kept; a lower-case x is shown as X).
 * A 15-digit number keeps its first 6 and last 3, hiding the 6-digit birth
 * date: "500110******123". Anything else becomes asterisks, one per
 * character, at most 18.
 */
void ms_mask_id_number(const char *id, char out[MS_MASK_ID_BUF]);

/*
 * Phone numbers: a mainland mobile (11 digits starting with 1) keeps the
 * first 3 and last 4: "138****5678". A landline written with its area code,
 * "0" and 2-3 more digits, a '-', and 7-8 digits ("023-12345678"), keeps the
 * area code, the '-' and the last 2: "023-******78". Anything else (other
 * spellings, extensions, "+86" prefixes) becomes asterisks, one per
 * character, at most 23.
 */
void ms_mask_phone(const char *phone, char out[MS_MASK_PHONE_BUF]);

/*
 * Names: the first character (UTF-8), then one '*' per further character:
 * "张三丰" -> "张**", "欧阳娜娜" -> "欧***". A one-character name becomes "*"
 * (showing it would show the whole name). Text that is not valid UTF-8
 * becomes asterisks, one per byte. The asterisks stop when the buffer is
 * full, so a very long name is cut, never shown.
 */
void ms_mask_name(const char *name, char out[MS_MASK_NAME_BUF]);

#endif
