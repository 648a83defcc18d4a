/*
 * audit_cli.c - `minsheng audit verify`: walks the hash chain.
 */
#include "modules/audit/audit.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "modules/audit/audit_int.h"
#include "store/store.h"
#include "core/banned.h"

static int usage(FILE *f, int code)
{
    fprintf(f, "usage: minsheng audit verify [--db URL]\n"
               "\n"
               "  Checks every entry of the audit log against the hash chain and exits 0 if\n"
               "  it is intact, 3 naming the first bad entry if a row was edited, deleted or\n"
               "  inserted (校验审计日志是否被篡改).\n");
    return code;
}

static int cmd_audit(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'}, {"help", no_argument, NULL, 'h'}, {0, 0, 0, 0}};
    const char *db = NULL;
    int c;

    if (argc < 2 || strcmp(argv[1], "verify") != 0)
        return usage(argc >= 2 && strcmp(argv[1], "--help") == 0 ? stdout : stderr,
                     argc >= 2 && strcmp(argv[1], "--help") == 0 ? CLI_OK : CLI_USAGE);
    argc--;
    argv++;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (c == 'd')
            db = optarg;
        else if (c == 'h')
            return usage(stdout, CLI_OK);
        else
            return usage(stderr, CLI_USAGE);
    }
    if (optind != argc)
        return usage(stderr, CLI_USAGE);

    struct store *st;
    int rc = cli_open_store(db, 0, &st);
    if (rc)
        return rc;
    struct audit_verify_result res;
    struct ms_err err = MS_ERR_INIT;
    rc = audit_verify(st, &res, &err);
    store_close(st);
    if (rc == MS_EINTEGRITY) {
        fprintf(stderr,
                "minsheng: audit log TAMPERED: first bad entry seq %lld: %s\n"
                "minsheng: 审计日志已被篡改：第一条异常记录序号 %lld\n",
                (long long)res.first_bad, res.reason, (long long)res.first_bad);
        return CLI_INTEGRITY;
    }
    if (rc < 0)
        return cli_error(&err);
    printf("audit log intact: %lld entries (审计日志完整)\n", (long long)res.entries);
    return CLI_OK;
}

const struct cli_command audit_cli_commands[] = {
    {"audit", cmd_audit, "Verify the audit log's hash chain", "校验审计日志哈希链"},
    {NULL, NULL, NULL, NULL},
};
