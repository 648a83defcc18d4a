/*
 * banned.h - functions we do not use, after git's banned.h.
 *
 * Each is either unbounded (strcpy, strcat, sprintf), keeps hidden state
 * (strtok) or is not thread-safe (gmtime, localtime). Include this last in
 * every .c file so a use fails to compile.
 */
#ifndef MS_BANNED_H
#define MS_BANNED_H

#define BANNED(func) sorry_##func##_is_a_banned_function

#undef strcpy
#define strcpy(x, y) BANNED(strcpy)
#undef strcat
#define strcat(x, y) BANNED(strcat)
#undef strncpy
#define strncpy(x, y, n) BANNED(strncpy)
#undef sprintf
#define sprintf(...) BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) BANNED(vsprintf)
#undef strtok
#define strtok(x, y) BANNED(strtok)
#undef gmtime
#define gmtime(t) BANNED(gmtime)
#undef localtime
#define localtime(t) BANNED(localtime)

#endif
