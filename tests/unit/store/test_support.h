/*
 * test_support.h - a fresh, empty database for each test, on the engine the
 * environment selects, so one test binary runs on SQLite and on PostgreSQL.
 *
 *   MS_TEST_ENGINE       unset or "sqlite": SQLite; "pg": PostgreSQL
 *   MS_TEST_PG_DSN_FILE  a file holding the libpq URL of a throwaway cluster
 *                        (ctest's `pg` fixture writes it); or
 *   MS_TEST_PG_DSN       the URL itself
 *
 * SQLite databases are ":memory:", or a temporary file when other
 * connections must reach the same database (test_store_open_shared()).
 * PostgreSQL databases are created on the cluster as t_<pid>_<n>, so test
 * binaries running side by side never meet, and are dropped again by
 * test_store_close().
 *
 * Header-only and static, so any test binary can include it without an
 * extra source file. Failures print why to stderr and return NULL.
 */
#ifndef MS_TEST_STORE_SUPPORT_H
#define MS_TEST_STORE_SUPPORT_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/store.h"

#define TEST_STORE_MAX_OPEN 16
#define TEST_STORE_URL_MAX  512

struct test_store__db {
    struct store *st;
    char pg_name[64];                     /* database to drop, or "" */
    char sqlite_path[TEST_STORE_URL_MAX]; /* temporary file to remove, or "" */
};

static inline struct test_store__db *test_store__dbs(void)
{
    static struct test_store__db dbs[TEST_STORE_MAX_OPEN];
    return dbs;
}

/* 1 when the tests run on PostgreSQL. */
static inline int test_store_is_pg(void)
{
    const char *engine = getenv("MS_TEST_ENGINE");
    return engine && (strcmp(engine, "pg") == 0 || strcmp(engine, "postgres") == 0);
}

/* The cluster's URL (its maintenance database), or NULL. */
static inline const char *test_store__pg_dsn(void)
{
    static char dsn[TEST_STORE_URL_MAX];
    if (dsn[0])
        return dsn;
    const char *env = getenv("MS_TEST_PG_DSN");
    const char *file = getenv("MS_TEST_PG_DSN_FILE");
    if (env && *env) {
        snprintf(dsn, sizeof(dsn), "%s", env);
    } else if (file && *file) {
        FILE *f = fopen(file, "r");
        if (!f || !fgets(dsn, sizeof(dsn), f)) {
            fprintf(stderr, "test_support: cannot read %s\n", file);
            dsn[0] = '\0';
        }
        if (f)
            fclose(f);
        dsn[strcspn(dsn, "\r\n")] = '\0';
    }
    if (!dsn[0]) {
        fprintf(stderr, "test_support: MS_TEST_ENGINE=pg needs MS_TEST_PG_DSN_FILE or "
                        "MS_TEST_PG_DSN\n");
        return NULL;
    }
    return dsn;
}

/* dsn with its database replaced by name, into url. */
static inline void test_store__pg_url(const char *dsn, const char *name, char *url, size_t size)
{
    const char *host = strstr(dsn, "://");
    host = host ? host + 3 : dsn;
    size_t host_len = strcspn(host, "/?");
    const char *query = strchr(host + host_len, '?');
    snprintf(url, size, "%.*s/%s%s", (int)(host - dsn + (long)host_len), dsn, name,
             query ? query : "");
}

/* Runs one parameterless statement on the cluster's maintenance database. */
static inline int test_store__pg_admin(const char *sql)
{
    struct store *admin;
    struct ms_err err = MS_ERR_INIT;
    const char *dsn = test_store__pg_dsn();
    if (!dsn)
        return -1;
    if (store_open(dsn, 0, &admin, &err) < 0) {
        fprintf(stderr, "test_support: %s\n", err.message);
        return -1;
    }
    int rc = store_exec(admin, sql, &err);
    if (rc < 0)
        fprintf(stderr, "test_support: %s: %s\n", sql, err.message);
    store_close(admin);
    return rc;
}

static inline struct test_store__db *test_store__slot(void)
{
    struct test_store__db *dbs = test_store__dbs();
    for (int i = 0; i < TEST_STORE_MAX_OPEN; i++)
        if (!dbs[i].st && !dbs[i].pg_name[0] && !dbs[i].sqlite_path[0])
            return &dbs[i];
    fprintf(stderr, "test_support: more than %d databases open\n", TEST_STORE_MAX_OPEN);
    return NULL;
}

/* Opens one more connection to url (from test_store_open_shared()); close
 * it with store_close(). */
static inline struct store *test_store_connect(const char *url)
{
    struct store *st;
    struct ms_err err = MS_ERR_INIT;
    if (store_open(url, 0, &st, &err) < 0) {
        fprintf(stderr, "test_support: %s\n", err.message);
        return NULL;
    }
    return st;
}

/*
 * Opens a fresh, empty database that other connections can reach too, and
 * copies its URL to url (size bytes) for test_store_connect(). url may be
 * NULL when no other connection is needed; then SQLite uses ":memory:".
 */
static inline struct store *test_store_open_shared(char *url, size_t size)
{
    static unsigned counter;
    char own_url[TEST_STORE_URL_MAX];
    struct test_store__db *db = test_store__slot();
    struct ms_err err = MS_ERR_INIT;
    if (!db)
        return NULL;
    if (test_store_is_pg()) {
        const char *dsn = test_store__pg_dsn();
        char sql[128];
        if (!dsn)
            return NULL;
        snprintf(db->pg_name, sizeof(db->pg_name), "t_%ld_%u", (long)getpid(), ++counter);
        /* template0 is always empty; FILE_COPY (PostgreSQL 15+) makes a
         * database in ~15 ms instead of ~90 ms on the fsync-less cluster. */
        snprintf(sql, sizeof(sql), "CREATE DATABASE %s TEMPLATE template0 STRATEGY = FILE_COPY",
                 db->pg_name);
        if (test_store__pg_admin(sql) < 0) {
            db->pg_name[0] = '\0';
            return NULL;
        }
        test_store__pg_url(dsn, db->pg_name, own_url, sizeof(own_url));
    } else if (url) {
        const char *tmp = getenv("TMPDIR");
        snprintf(db->sqlite_path, sizeof(db->sqlite_path), "%s/ms-test-XXXXXX",
                 tmp && *tmp ? tmp : "/tmp");
        int fd = mkstemp(db->sqlite_path);
        if (fd < 0) {
            perror("test_support: mkstemp");
            db->sqlite_path[0] = '\0';
            return NULL;
        }
        close(fd);
        snprintf(own_url, sizeof(own_url), "%s", db->sqlite_path);
    } else {
        snprintf(own_url, sizeof(own_url), ":memory:");
    }
    if (store_open(own_url, STORE_CREATE, &db->st, &err) < 0) {
        fprintf(stderr, "test_support: %s\n", err.message);
        db->st = NULL;
        return NULL;
    }
    if (url)
        snprintf(url, size, "%s", own_url);
    return db->st;
}

/* Opens a fresh, empty database on the selected engine. */
static inline struct store *test_store_open(void)
{
    return test_store_open_shared(NULL, 0);
}

/* Closes st and removes its database. Connections from test_store_connect()
 * must be closed first (PostgreSQL drops the database by force anyway). */
static inline void test_store_close(struct store *st)
{
    struct test_store__db *dbs = test_store__dbs();
    if (!st)
        return;
    store_close(st);
    for (int i = 0; i < TEST_STORE_MAX_OPEN; i++) {
        struct test_store__db *db = &dbs[i];
        if (db->st != st)
            continue;
        if (db->pg_name[0]) {
            char sql[128];
            snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS %s WITH (FORCE)", db->pg_name);
            test_store__pg_admin(sql);
        }
        if (db->sqlite_path[0]) {
            char path[TEST_STORE_URL_MAX + 8];
            unlink(db->sqlite_path);
            snprintf(path, sizeof(path), "%s-wal", db->sqlite_path);
            unlink(path);
            snprintf(path, sizeof(path), "%s-shm", db->sqlite_path);
            unlink(path);
        }
        memset(db, 0, sizeof(*db));
        return;
    }
}

#endif
