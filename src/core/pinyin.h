/*
 * pinyin.h - toneless pinyin of names and place names, stored for search.
 *
 * The registry stores, next to each name, three search keys computed at
 * write time (docs/pinyin.md):
 *
 *     张三丰      full "zhang san feng"   joined "zhangsanfeng"   initials "zsf"
 *     欧阳娜娜    full "ou yang na na"    joined "ouyangnana"     initials "oynn"
 *     吕布        full "lv bu"            joined "lvbu"           initials "lb"
 *
 * Output is lower-case ASCII without tones. In `full` the syllables are
 * separated by single spaces, so the fuzzy comparison for Chongqing speech
 * (n/l, f/h, z/zh, ...) can work syllable by syllable. ü is written "v"
 * (吕 -> "lv", 女 -> "nv"), as pinyin input methods do; finding 吕 by "lu" is
 * the fuzzy layer's job.
 *
 * Where readings come from, in order:
 *  1. Names only, when the name has no middle dot: a compound surname at the
 *     start (欧阳, 尉迟 yu chi, 万俟 mo qi, ...; names of 3+ characters), else
 *     a single-character surname with a special reading (单 shan, 仇 qiu,
 *     朴 piao, ...), else ICU's Han-Latin/Names reading of the first character
 *     as a surname. The tables and their sources are in pinyin.c and
 *     docs/pinyin.md.
 *  2. Names: every other character gets ICU's Han-Latin/Names reading in the
 *     middle of a name (长 -> chang, 曾 -> zeng). Names with a middle dot
 *     (transliterated names such as 阿依古丽·买买提) get this reading for
 *     every character, with no surname rules: 查干·巴特尔 is "cha gan ...".
 *  3. Text (place names): ICU's plain Han-Latin reading of each character,
 *     plus a short phrase table for place names that ICU 72 reads wrongly
 *     character by character (重庆 chong qing, 长寿 chang shou, 丰都 feng du).
 * Every reading then goes through ü -> v and ICU's Latin-ASCII.
 *
 * Characters accepted: Han characters that have a reading, ASCII letters and
 * digits (passed through lower-cased; a run of them counts as one syllable),
 * and separators: in names the middle dot U+00B7 between parts, in text also
 * the ASCII space and '-'. Anything else is refused with MS_EFIELD and a
 * Chinese message naming the character. Separators produce no output: they
 * only end a syllable.
 *
 * Cost: ICU is opened on first use (about 100 ms and 7 MB) and only consulted
 * for characters not seen before; each reading is cached per code point in a
 * table that is read without locks, so converting a name of known characters
 * takes no lock and never calls ICU (docs/pinyin.md has the speed).
 *
 * Thread-safety: ms_pinyin_name() and ms_pinyin_text() may be called from
 * any number of threads at once. ms_pinyin_release_all() may not.
 */
#ifndef MS_PINYIN_H
#define MS_PINYIN_H

#include <stddef.h>

#include "err.h"

/* Longest name accepted, in Unicode characters, middle dots included. */
#define MS_PINYIN_NAME_MAX 16

/* Longest text ms_pinyin_text() accepts, in Unicode characters. */
#define MS_PINYIN_TEXT_MAX 128

/* Longest reading of one character in bytes (a few rare characters read as
 * two syllables); readings are at most 6 bytes per syllable ("zhuang"). */
#define MS_PINYIN_READING_MAX 15

/* Bytes, NUL included, that always hold the output for n input characters:
 * each character yields at most one reading plus one separator. */
#define MS_PINYIN_SIZE_FOR(n) ((size_t)(n) * (MS_PINYIN_READING_MAX + 1) + 1)

/* Size of each buffer in struct ms_pinyin. */
#define MS_PINYIN_BUF_SIZE MS_PINYIN_SIZE_FOR(MS_PINYIN_NAME_MAX)

/* Which search key ms_pinyin_text() writes. */
enum ms_pinyin_form {
    MS_PINYIN_FULL,     /* "chong qing shi" */
    MS_PINYIN_JOINED,   /* "chongqingshi" */
    MS_PINYIN_INITIALS, /* "cqs" */
};

struct ms_pinyin {
    char full[MS_PINYIN_BUF_SIZE];     /* syllables separated by single spaces */
    char joined[MS_PINYIN_BUF_SIZE];   /* the same without spaces */
    char initials[MS_PINYIN_BUF_SIZE]; /* first letter of each syllable */
    int surname_syllables;             /* leading syllables of full that are the
                                        * surname: 1, 2 (欧阳), 0 for names with a
                                        * middle dot or not starting with Han */
};

/*
 * Converts a person's name (UTF-8, at most MS_PINYIN_NAME_MAX characters)
 * into *out, which is written only on success. Errors, with field "name"
 * and English and Chinese text: MS_EMISSING (NULL or empty), MS_EUTF8
 * (invalid UTF-8 or a NUL byte), MS_EFIELD (too long; a character that is
 * neither Han with a reading, an ASCII letter or digit, nor a middle dot
 * between two parts), MS_EINTERNAL (ICU could not be opened).
 */
int ms_pinyin_name(const char *name, struct ms_pinyin *out, struct ms_err *err);

/*
 * Converts non-name text such as a place name or street (UTF-8, at most
 * MS_PINYIN_TEXT_MAX characters) and writes the chosen form to out, a
 * buffer of out_size bytes; MS_PINYIN_SIZE_FOR(characters) always suffices.
 * No surname rules apply. Errors as for ms_pinyin_name(), with field
 * "text"; MS_EFIELD also if out is NULL or out_size too small, and
 * MS_EINVAL for a form outside enum ms_pinyin_form. On any
 * error out is "" (if out_size > 0).
 */
int ms_pinyin_text(const char *text, enum ms_pinyin_form form, char *out, size_t out_size,
                   struct ms_err *err);

/* Counters for tests and metrics; reading them takes the module lock. */
struct ms_pinyin_stats {
    size_t icu_lookups;   /* characters that had to be asked of ICU */
    size_t cache_entries; /* readings held in the per-character cache */
};

void ms_pinyin_stats(struct ms_pinyin_stats *out);

/*
 * Closes the transliterators, frees the cache and calls ICU's u_cleanup(),
 * so leak checkers see nothing left. Call it once at shutdown, after every
 * thread has stopped using this module and any other ICU service (u_cleanup()
 * is process-wide and not thread-safe). A later conversion opens ICU again.
 */
void ms_pinyin_release_all(void);

#endif
