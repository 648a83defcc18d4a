/*
 * err.h - the one error convention (libuv's UV_ERRNO_MAP, git's strbuf err).
 *
 * Functions return 0 on success or a negative MS_E* code. Those that fail for
 * a reason a person should read also take `struct ms_err *err` last and fill
 * it with ms_err_set(), which returns the code so the failing line is one
 * statement:
 *
 *     return ms_err_set(err, MS_ENOTFOUND, "user '%s' not found", name);
 *
 * The first error set wins: later calls on a filled err change nothing, so a
 * chain of calls reports its root cause once at the top. `err` may be NULL.
 *
 * The table gives each code its stable API name, HTTP status and default
 * messages. The numbers are stable too: never renumber, only append.
 */
#ifndef MS_ERR_H
#define MS_ERR_H

/* clang-format off */
/*     name         num  stable code               HTTP  Chinese message                 English message */
#define MS_ERRNO_MAP(X) \
    X(EINVAL,        1, "invalid_request",         400, "请求无效",                       "invalid request") \
    X(EJSON,         2, "invalid_json",            400, "请求内容不是合法的 JSON",          "request body is not valid JSON") \
    X(EUTF8,         3, "invalid_utf8",            400, "文本不是合法的 UTF-8 编码",        "text is not valid UTF-8") \
    X(EFIELD,        4, "invalid_field",           400, "字段值不符合要求",                 "invalid field value") \
    X(EMISSING,      5, "missing_field",           400, "缺少必填字段",                     "required field is missing") \
    X(ETOOBIG,       6, "payload_too_large",       413, "请求内容过大",                     "request body too large") \
    X(EMEDIA,        7, "unsupported_media_type",  415, "不支持的内容类型",                 "unsupported content type") \
    X(EAUTH,         8, "unauthenticated",         401, "未登录或会话已过期，请重新登录",   "not logged in or session expired") \
    X(ECRED,         9, "invalid_credentials",     401, "用户名或密码错误",                 "wrong username or password") \
    X(ELOCKED,      10, "account_locked",          423, "登录失败次数过多，账号已临时锁定", "too many failed logins; account temporarily locked") \
    X(EDISABLED,    11, "account_disabled",        403, "账号已停用",                       "account disabled") \
    X(EFORBIDDEN,   12, "forbidden",               403, "没有执行此操作的权限",             "permission denied") \
    X(ENOTFOUND,    13, "not_found",               404, "请求的资源不存在",                 "not found") \
    X(EMETHOD,      14, "method_not_allowed",      405, "不支持该请求方法",                 "method not allowed") \
    X(ECONFLICT,    15, "conflict",                409, "与当前数据冲突",                   "conflict with current state") \
    X(EEXISTS,      16, "already_exists",          409, "记录已存在",                       "already exists") \
    X(ESTALE,       17, "stale_version",           409, "记录已被他人修改，请刷新后重试",   "record changed since it was read") \
    X(ERATE,        18, "rate_limited",            429, "请求过于频繁，请稍后再试",         "too many requests") \
    X(EBUSY,        19, "busy",                    503, "系统繁忙，请稍后再试",             "service busy, try again") \
    X(EDB,          20, "database_error",          500, "数据库错误",                       "database error") \
    X(EIO,          21, "io_error",                500, "读写文件出错",                     "input/output error") \
    X(EINTERNAL,    22, "internal_error",          500, "系统内部错误",                     "internal error") \
    X(EINTEGRITY,   23, "integrity_violation",     500, "数据完整性校验失败",               "integrity check failed") \
    X(EMIGRATE,     24, "migration_required",      503, "数据库结构需要升级",               "database schema needs migration") \
    X(EUSAGE,       25, "usage",                   400, "命令用法错误",                     "usage error") \
    X(EPASSWORD,    26, "weak_password",           400, "密码不符合复杂度要求",             "password does not meet the policy") \
    X(ECSRF,        27, "csrf_check_failed",       403, "请求来源校验失败，请刷新页面后重试", "cross-site request refused") \
    X(ECODE,        28, "invalid_code",            401, "验证码错误或已过期",               "wrong or expired one-time code") \
    X(EATTEMPTS,    29, "too_many_attempts",       429, "验证码错误次数过多，请重新获取",   "too many wrong codes; request a new one")
/* clang-format on */

enum ms_errno {
    MS_OK = 0,
#define MS_ERR_ENUM_(name, num, code, status, zh, en) MS_##name = -(num),
    MS_ERRNO_MAP(MS_ERR_ENUM_)
#undef MS_ERR_ENUM_
};

#define MS_ERR_MSG_MAX 384
#define MS_ERR_FIELD_MAX 96

struct ms_err {
    int code;                        /* 0 or a negative MS_E* */
    char message[MS_ERR_MSG_MAX];    /* English detail, lower-case, no final period */
    char message_zh[MS_ERR_MSG_MAX]; /* optional Chinese text for people; "" if none */
    char field[MS_ERR_FIELD_MAX];    /* the field at fault, "" if none */
};

#define MS_ERR_INIT {0, "", "", ""}

void ms_err_init(struct ms_err *err);

/* Records code and an English detail unless err already holds an error.
 * Returns code. */
int ms_err_set(struct ms_err *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Same, naming the field at fault ("username", "row 1832, column 身份证号"). */
int ms_err_field(struct ms_err *err, int code, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Adds Chinese text for people to the error just set (if it has none). */
void ms_err_zh(struct ms_err *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Table look-ups; unknown codes map to internal_error. */
const char *ms_err_code_name(int code);
int ms_err_http_status(int code);
const char *ms_err_default_zh(int code);
const char *ms_err_default_en(int code);

/* The message to show a person: the specific Chinese text, else the table's
 * Chinese default (is_english: the English detail, else the English default). */
const char *ms_err_display(const struct ms_err *err, int is_english);

#endif
