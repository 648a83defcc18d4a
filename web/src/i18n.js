// A small translation table: Simplified Chinese first, English second.
// (vue-i18n 11 needs Node 22; the console needs a few hundred strings and
// one reactive switch, which this is.) t('a.b', {n: 1}) fills {n}.
import { ref } from 'vue'

const saved = typeof localStorage !== 'undefined' ? localStorage.getItem('ms_locale') : null
export const locale = ref(saved === 'en' ? 'en' : 'zh')

export function setLocale(l) {
  locale.value = l === 'en' ? 'en' : 'zh'
  localStorage.setItem('ms_locale', locale.value) // a preference, not a secret
  document.documentElement.lang = locale.value === 'en' ? 'en' : 'zh-CN'
}

const zh = {
  app: { name: '民生服务平台', district: '万盛经开区', lang: '语言', logout: '退出登录', skip: '跳到主要内容' },
  login: {
    title: '登录', username: '用户名', password: '密码', submit: '登录', expired: '会话已过期，请重新登录',
    required: '请输入用户名和密码', hint: '政务内网专用，操作全程记入审计日志',
  },
  dept: { system: '系统管理', civil: '民政', hrss: '人社', health: '卫健', exchange: '数据交换' },
  page: { home: '首页', residents: '居民查询', audit: '操作日志', loginLog: '登录日志', online: '在线用户', jobs: '定时任务', monitor: '服务监控', policy: '参数设置', users: '用户管理', notFound: '页面不存在',
    exchangeFeeds: '数据源', exchangeBatches: '导入批次', exchangeQuarantine: '问题数据', exchangeReviews: '人工核对' },
  role: {
    admin: '系统管理员', security_admin: '安全管理员', auditor: '安全审计员', civil_caseworker: '民政经办人',
    town_caseworker: '镇街经办人', hrss_officer: '人社经办人', health_officer: '卫健经办人', exchange_officer: '数据交换专员',
  },
  common: {
    search: '查询', reset: '重置', cancel: '取消', confirm: '确定', save: '保存', detail: '详情', all: '全部',
    loading: '加载中…', noData: '暂无数据', total: '共 {n} 条', more: '加载更多', actions: '操作', scope: '数据范围',
    wholeDistrict: '全区', yes: '是', no: '否',
  },
  home: {
    welcome: '欢迎，{name}', role: '角色', scope: '数据范围', perms: '权限数',
    mapTitle: '镇街分布', mapIndicator: '下辖村（社区）数', mapPlaceholder: '占位指标：按下辖村（社区）数着色，待居民统计指标上线后替换',
    mapNoPermission: '当前角色无权查看地名数据（places:read），不显示地图', towns: '镇街数', villages: '村（社区）数',
  },
  residents: {
    q: '关键词', qPlaceholder: '姓名 / 拼音 / 首字母 / 居民码 / 电话', town: '镇街', status: '状态',
    code: '居民码', name: '姓名', sex: '性别', age: '年龄', idNumber: '身份证号', phone: '电话', residence: '居住地区划',
    matchedBy: '匹配方式：{m}', capped: '结果超过 1000 条，仅显示前 1000 条，请缩小查询条件', birthDate: '出生日期', ethnicity: '民族', hukouType: '户口性质', household: '户号', relation: '与户主关系',
    reveal: '显示完整身份证号', revealTitle: '查看完整身份证号', purpose: '查询用途', purposePlaceholder: '例如：低保审核核对身份',
    purposeRequired: '请填写查询用途（将记入审计日志）', revealNote: '查看完整身份证号将记录查询人、时间和用途。', timeline: '生命事件',
    noEvents: '暂无事件', drawerTitle: '居民档案',
  },
  status: { alive: '正常', deceased: '已故', moved_out: '已迁出' },
  sex: { M: '男', F: '女' },
  hukou: { urban: '城镇', rural: '农村' },
  event: { birth: '出生', marriage: '结婚', divorce: '离婚', death: '死亡', move_in: '迁入', move_out: '迁出' },
  audit: {
    actor: '操作人', action: '操作', objectType: '对象类型', objectId: '对象', from: '开始日期', to: '结束日期',
    ts: '时间', ip: 'IP', subject: '当事人', purpose: '用途', result: '结果', seq: '序号',
  },
  auditResult: { ok: '成功', failed: '失败', denied: '拒绝' },
  actionName: {
    'session.login': '登录', 'session.logout': '退出登录', 'session.revoke': '强制退出', 'session.list': '查看在线用户',
    'user.add': '新增用户', 'user.disable': '停用用户', 'user.passwd': '重置密码', 'user.change_own_password': '修改本人密码', 'user.read': '查看用户',
    'policy.set': '设置政策参数', 'audit.query': '查询审计日志', 'job.update': '修改定时任务', 'job.run': '执行定时任务',
    'resident.create': '登记居民', 'resident.update': '修改居民信息', 'resident.read': '查看居民档案', 'resident.search': '查询居民',
    'resident.reveal_id': '查看完整身份证号', 'resident.event': '登记生命事件', 'resident.events': '查看生命事件',
    'household.create': '新建户', 'household.read': '查看户', 'registry.export': '导出居民数据', 'registry.generate': '生成演示数据',
    'place.add': '新增地名', 'place.update': '修改地名', 'place.import': '导入地名',
    'exchange.import': '导入部门数据', 'exchange.dedup': '居民查重', 'exchange.quarantine.read': '查看问题数据',
    'exchange.quarantine.resubmit': '重新提交问题数据', 'exchange.quarantine.dismiss': '作废问题数据',
    'exchange.review.list': '查看核对队列', 'exchange.review.read': '查看核对事项', 'exchange.review.accept': '确认同一人', 'exchange.review.reject': '否定比对结果',
  },
  logins: {
    user: '用户名', event: '事件', result: '结果', range: '时间范围', from: '开始日期', to: '结束日期', ts: '时间', ip: '登录地址',
    reason: '说明', by: '操作人', session: '会话',
    events: { login: '登录', logout: '退出', revoke: '被强制退出' },
    results: { ok: '成功', failed: '失败', locked: '锁定' },
    shown: { ok: '成功', failed: '失败', denied: '拒绝' },
    reasons: { unknown_user: '用户不存在', bad_password: '密码错误', locked: '账号已锁定', disabled: '账号已停用' },
    lockout: '此次失败导致账号锁定',
  },
  online: {
    user: '用户名', id: '会话编号', name: '姓名', role: '角色', ip: '登录地址', agent: '浏览器', loginAt: '登录时间', lastSeen: '最近活动',
    expires: '到期时间', current: '当前会话', revoke: '强制退出', revokeConfirm: '确定强制退出“{u}”的会话（{ip}，{at} 登录）？该会话将立即失效，对方需重新登录。',
    revoked: '已强制退出', note: '最近活动时间精确到分钟。强制退出立即生效并记入审计日志；退出自己的会话请使用右上角“退出登录”。',
  },
  jobs: {
    title: '任务', schedule: '执行计划', enabled: '启用', enabledFor: '启用“{job}”', nextRun: '下次执行', lastRun: '最近一次执行', never: '尚未执行',
    run: '立即执行', edit: '修改计划', log: '执行日志', runConfirm: '确定立即执行“{job}”？执行完成前页面会等待。', runOk: '执行成功', runFailed: '执行失败',
    enabledOk: '已启用', disabledOk: '已停用', saved: '已保存执行计划', editTitle: '修改执行计划：{job}', logTitle: '执行日志：{job}',
    scheduleHint: '五个字段：分 时 日 月 星期，按北京时间。例：“0 2 * * *” 每天 2:00；“0 3 5 * *” 每月 5 日 3:00；“*/30 * * * *” 每 30 分钟；“0 9 * * 1-5” 工作日 9:00。',
    note: '定时任务由各业务模块提供，新装系统默认全部停用。启用后由服务进程按计划执行；同一任务不会同时执行两次。每次修改和执行都记入审计日志。',
    runId: '编号', kind: '触发方式', kinds: { schedule: '按计划', manual: '手动' }, statusLabel: '状态',
    status: { succeeded: '成功', failed: '失败', running: '执行中', interrupted: '已中断' },
    startedAt: '开始时间', duration: '耗时', startedBy: '执行者', result: '结果', noRuns: '暂无执行记录', more: '加载更多',
  },
  monitor: {
    version: '版本', engine: '数据库', uptime: '运行时长', startedAt: '启动于 {t}', threads: '工作线程', memory: '内存占用（RSS）',
    dbSize: '数据库大小', requests: '请求总数', errors4xx: '客户端错误（4xx）', errors5xx: '服务端错误（5xx）', busy: '数据库繁忙',
    retries: '事务重试', storeErrors: '语句失败', inFlight: '处理中请求', byRoute: '各接口请求数', latency: '各接口响应时间（毫秒）',
    route: '接口', count: '请求数', mean: '平均', p50: 'P50', p95: 'P95', p99: 'P99', refresh: '刷新', auto: '每 10 秒自动刷新',
    note: '响应时间分位数按直方图区间估算。数据自服务启动起累计。', days: '{d} 天 {h} 小时', hours: '{h} 小时 {m} 分', minutes: '{m} 分 {s} 秒',
    table: '接口明细', ok: '成功（2xx/3xx）', unmatched: '静态文件及未知路径',
  },
  policy: {
    key: '参数', title: '名称', value: '现行值', unit: '单位', effectiveFrom: '生效日期', source: '依据',
    addValue: '新增取值', addTitle: '新增参数取值：{key}', note: '备注', added: '已新增取值', kind: '类型',
  },
  users: {
    username: '用户名', displayName: '姓名', role: '角色', scope: '数据范围（区划代码前缀）', status: '状态',
    active: '正常', disabled: '已停用', locked: '已锁定', lastLogin: '最近登录', create: '新增用户',
    password: '初始密码', disable: '停用', disableConfirm: '确定停用用户“{u}”？其会话将立即失效。', created: '已新增用户', disabledOk: '已停用',
    scopeHint: '留空表示全区；如 500110101 表示万东镇',
  },
  exchange: {
    feed: '数据源', feedName: '标识', title: '名称', department: '来源部门', format: '格式', encoding: '编码', fact: '事实类型',
    columns: '字段', columnCount: '字段数', source: '源字段名', field: '存储字段', required: '必填', colFormat: '格式要求',
    feedsNote: '各部门数据文件的格式定义（随系统发布，只读）。展开一行可查看其字段。',
    batch: '批次', batchId: '批次号', file: '文件', importedAt: '导入时间', importedBy: '导入人', finishedAt: '完成时间', status: '状态',
    rowsRead: '读取', accepted: '接收', duplicate: '重复', quarantined: '隔离', linkedExact: '精确', linkedProb: '概率',
    toReview: '待核对', notLinked: '未关联', spread: '分布', groupRows: '行数', groupLinks: '关联居民',
    rowsReadLong: '读取行数', acceptedLong: '接收行数', duplicateLong: '重复（已存在，跳过）', quarantinedLong: '隔离（问题数据）',
    linkedExactLong: '精确关联（身份证号）', linkedProbLong: '概率关联（多字段比对）', toReviewLong: '送人工核对', notLinkedLong: '未关联',
    batchDetail: '批次详情', byReason: '隔离原因', reason: '原因', count: '行数', noQuarantine: '本批次没有问题数据', viewQuarantine: '查看本批次的问题数据',
    upload: '上传导入', uploadTitle: '上传部门数据文件', chooseFeed: '请选择数据源', chooseFile: '请选择文件', fileLabel: '数据文件',
    fileHint: '按数据源定义的格式和编码（如 GBK 的 CSV）原样上传；文件不超过 1 MB，更大的文件请用命令行 minsheng import。',
    uploadSubmit: '上传并导入', uploaded: '导入完成：批次 #{id}', alreadyImported: '该文件已导入过（批次 #{id}），本次未重复导入任何数据',
    resumed: '该文件上次导入中断，已从中断处继续完成', fileSize: '{n} KB', close: '关闭',
    statusOf: { loading: '导入中', linking: '关联中', done: '已完成' },
    qStatus: { open: '待处理', resubmitted: '已重新提交', dismissed: '已作废' },
    rowNo: '行号', column: '问题字段', handle: '处理', view: '查看', qDetail: '问题数据处理', qWhere: '{feed} · 文件 {file} · 第 {row} 行',
    qNote: '修改有问题的字段后重新提交：数据将按导入时的同样规则检查，通过后存入原批次并立即关联居民。',
    resubmit: '重新提交', dismiss: '作废', dismissTitle: '作废问题数据', dismissReason: '作废理由', dismissReasonRequired: '请填写作废理由（将记入审计日志）',
    dismissPlaceholder: '例如：来源部门已另行报送更正数据', resubmitted: '已重新提交，关联结果：{m}', dismissed: '已作废',
    resolvedBy: '处理人', resolvedAt: '处理时间', note: '备注', noChange: '没有修改任何字段；请先更正标红的字段',
    needWrite: '当前角色无权处理问题数据（exchange:quarantine:write）',
    linkMethod: { exact: '精确关联', probabilistic: '概率关联', review: '已送人工核对', none: '未关联', clerical: '人工确认' },
    kind: '类型', kinds: { feed: '部门数据—居民', duplicate: '疑似重复居民' },
    rStatus: { open: '待核对', accepted: '已确认同一人', rejected: '已否定' },
    left: '部门数据', right: '居民档案', pair: '比对对象', weight: '匹配权重', created: '生成时间', review: '核对',
    reviewTitle: '人工核对 #{id}', recordSide: '部门数据：{feed} 第 {row} 行', residentSide: '居民档案 {code}', leftResident: '居民档案 {code}（疑似重复）',
    evidence: '比对结果', fieldWeight: '权重', totalWeight: '合计权重', attr: '项目', factDate: '事实日期', address: '住址', residentStatus: '居民状态',
    accept: '确认为同一人', reject: '不是同一人', acceptConfirm: '确认部门数据第 {row} 行与居民 {name}（{code}）是同一人？确认后该行将关联到此居民，并记入审计日志。',
    rejectTitle: '否定比对结果', rejectReason: '否定理由', rejectReasonRequired: '请填写否定理由（将记入审计日志）', rejectPlaceholder: '例如：出生日期相同但身份证号、住址均不同',
    acceptedOk: '已确认为同一人并关联', rejectedOk: '已否定该比对结果', decided: '该事项已处理：{s}（{by}，{at}）',
    conflict: '他人已先作出结论：队列已刷新，下方为该事项现有的结论', legend: '绿色：一致；黄色：部分一致；红色：不一致；灰色：缺失',
    noReview: '没有待核对的事项', reviewNote: '请逐项比对两侧信息后作出结论。身份证号和电话已脱敏显示。',
    level: { agree: '一致', partial: '部分一致', disagree: '不一致', missing: '缺失' },
  },
  reason: {
    missing_value: '必填值为空', bad_date: '日期无效', date_in_future: '日期晚于今天', bad_month: '月份无效', bad_money: '金额无效',
    negative_amount: '金额为负数', bad_enum: '取值不在代码表内', bad_uscc: '统一社会信用代码无效', bad_code: '编码无效', text_too_long: '文本过长',
    bad_id_number: '身份证号无效', bad_identity: '身份信息无效', bad_encoding: '含无法识别的字符（编码错误）', wrong_field_count: '字段个数与表头不符',
    bad_json: '不是有效的 JSON 对象', bad_value: '取值无效',
  },
  linkField: {
    name: '姓名', family_name: '姓', given_name: '名', id_number: '身份证号', birth_date: '出生日期', sex: '性别', region: '区划',
    town: '镇街', postcode: '邮编', address: '住址', phone: '电话',
  },
  deptName: {},
}

const en = {
  app: { name: 'Livelihood Services', district: 'Wansheng', lang: 'Language', logout: 'Log out', skip: 'Skip to main content' },
  login: {
    title: 'Log in', username: 'Username', password: 'Password', submit: 'Log in', expired: 'Your session has expired; please log in again',
    required: 'Enter your username and password', hint: 'For the government network only; every action is audited',
  },
  dept: { system: 'System', civil: 'Civil affairs', hrss: 'HR & social security', health: 'Health', exchange: 'Data exchange' },
  page: { home: 'Home', residents: 'Residents', audit: 'Operation log', loginLog: 'Login log', online: 'Online sessions', jobs: 'Scheduled jobs', monitor: 'Service monitor', policy: 'Parameters', users: 'Users', notFound: 'Page not found',
    exchangeFeeds: 'Feeds', exchangeBatches: 'Batches', exchangeQuarantine: 'Quarantine', exchangeReviews: 'Review queue' },
  role: {
    admin: 'System administrator', security_admin: 'Security administrator', auditor: 'Security auditor',
    civil_caseworker: 'Civil-affairs caseworker', town_caseworker: 'Town caseworker', hrss_officer: 'HR & social-security officer',
    health_officer: 'Health officer', exchange_officer: 'Data exchange officer',
  },
  common: {
    search: 'Search', reset: 'Reset', cancel: 'Cancel', confirm: 'OK', save: 'Save', detail: 'Details', all: 'All',
    loading: 'Loading…', noData: 'No data', total: '{n} in all', more: 'Load more', actions: 'Actions', scope: 'Data scope',
    wholeDistrict: 'Whole district', yes: 'Yes', no: 'No',
  },
  home: {
    welcome: 'Welcome, {name}', role: 'Role', scope: 'Data scope', perms: 'Permissions',
    mapTitle: 'Towns and streets', mapIndicator: 'Villages / communities', mapPlaceholder: 'Placeholder indicator: coloured by the number of villages and communities until a resident-count indicator exists',
    mapNoPermission: 'Your role may not read place names (places:read), so no map is shown', towns: 'Towns', villages: 'Villages / communities',
  },
  residents: {
    q: 'Keyword', qPlaceholder: 'Name / pinyin / initials / resident code / phone', town: 'Town', status: 'Status',
    code: 'Resident code', name: 'Name', sex: 'Sex', age: 'Age', idNumber: 'ID number', phone: 'Phone', residence: 'Residence region',
    matchedBy: 'Matched by: {m}', capped: 'More than 1,000 matches; only the first 1,000 are shown. Narrow the search.', birthDate: 'Birth date', ethnicity: 'Ethnicity', hukouType: 'Hukou type', household: 'Household', relation: 'Relation to head',
    reveal: 'Show full ID number', revealTitle: 'Show the full ID number', purpose: 'Purpose', purposePlaceholder: 'e.g. identity check for an assistance review',
    purposeRequired: 'State the purpose (it is written to the audit log)', revealNote: 'Who looked, when and why is recorded in the audit log.', timeline: 'Life events',
    noEvents: 'No events', drawerTitle: 'Resident record',
  },
  status: { alive: 'Alive', deceased: 'Deceased', moved_out: 'Moved out' },
  sex: { M: 'Male', F: 'Female' },
  hukou: { urban: 'Urban', rural: 'Rural' },
  event: { birth: 'Birth', marriage: 'Marriage', divorce: 'Divorce', death: 'Death', move_in: 'Moved in', move_out: 'Moved out' },
  audit: {
    actor: 'Actor', action: 'Action', objectType: 'Object type', objectId: 'Object', from: 'From', to: 'To',
    ts: 'Time', ip: 'IP', subject: 'Subject', purpose: 'Purpose', result: 'Result', seq: 'Seq.',
  },
  auditResult: { ok: 'OK', failed: 'Failed', denied: 'Denied' },
  actionName: {
    'session.login': 'Log in', 'session.logout': 'Log out', 'session.revoke': 'Forced logout', 'session.list': 'List online sessions',
    'user.add': 'Add user', 'user.disable': 'Disable user', 'user.passwd': 'Reset password', 'user.change_own_password': 'Change own password', 'user.read': 'Read user',
    'policy.set': 'Set parameter', 'audit.query': 'Search audit log', 'job.update': 'Change a scheduled job', 'job.run': 'Run a scheduled job',
    'resident.create': 'Register resident', 'resident.update': 'Update resident', 'resident.read': 'Read resident record', 'resident.search': 'Search residents',
    'resident.reveal_id': 'Reveal full ID number', 'resident.event': 'Record life event', 'resident.events': 'Read life events',
    'household.create': 'Create household', 'household.read': 'Read household', 'registry.export': 'Export residents', 'registry.generate': 'Generate demo data',
    'place.add': 'Add place', 'place.update': 'Update place', 'place.import': 'Import places',
    'exchange.import': 'Import department file', 'exchange.dedup': 'De-duplicate residents', 'exchange.quarantine.read': 'Read quarantined row',
    'exchange.quarantine.resubmit': 'Resubmit quarantined row', 'exchange.quarantine.dismiss': 'Dismiss quarantined row',
    'exchange.review.list': 'List review queue', 'exchange.review.read': 'Read review item', 'exchange.review.accept': 'Accept pair', 'exchange.review.reject': 'Reject pair',
  },
  logins: {
    user: 'Username', event: 'Event', result: 'Result', range: 'Time range', from: 'From', to: 'To', ts: 'Time', ip: 'Address',
    reason: 'Detail', by: 'By', session: 'Session',
    events: { login: 'Log in', logout: 'Log out', revoke: 'Forced out' },
    results: { ok: 'Succeeded', failed: 'Failed', locked: 'Locked' },
    shown: { ok: 'OK', failed: 'Failed', denied: 'Denied' },
    reasons: { unknown_user: 'Unknown user', bad_password: 'Wrong password', locked: 'Account locked', disabled: 'Account disabled' },
    lockout: 'This failure locked the account',
  },
  online: {
    user: 'Username', id: 'Session', name: 'Name', role: 'Role', ip: 'Address', agent: 'Browser', loginAt: 'Logged in', lastSeen: 'Last active',
    expires: 'Expires', current: 'This session', revoke: 'Force logout', revokeConfirm: 'Force "{u}" ({ip}, logged in {at}) to log out? The session ends at once.',
    revoked: 'Session ended', note: 'Last activity is exact to the minute. A forced logout takes effect at once and is audited; to end your own session, use Log out.',
  },
  jobs: {
    title: 'Job', schedule: 'Schedule', enabled: 'On', enabledFor: 'Enable "{job}"', nextRun: 'Next run', lastRun: 'Last run', never: 'Never run',
    run: 'Run now', edit: 'Schedule', log: 'Runs', runConfirm: 'Run "{job}" now? The page waits until it ends.', runOk: 'Succeeded', runFailed: 'Failed',
    enabledOk: 'Enabled', disabledOk: 'Disabled', saved: 'Schedule saved', editTitle: 'Schedule of {job}', logTitle: 'Runs of {job}',
    scheduleHint: 'Five fields: minute hour day month weekday, China time. "0 2 * * *" daily at 02:00; "0 3 5 * *" the 5th at 03:00; "*/30 * * * *" every 30 minutes; "0 9 * * 1-5" weekdays at 09:00.',
    note: 'The modules offer these jobs; a new install has them all off. Enabled jobs run in the server on their schedule, never twice at once. Every change and run is audited.',
    runId: 'Run', kind: 'Started', kinds: { schedule: 'Scheduled', manual: 'By hand' }, statusLabel: 'Status',
    status: { succeeded: 'Succeeded', failed: 'Failed', running: 'Running', interrupted: 'Interrupted' },
    startedAt: 'Started', duration: 'Took', startedBy: 'By', result: 'Result', noRuns: 'No runs yet', more: 'More',
  },
  monitor: {
    version: 'Version', engine: 'Database', uptime: 'Uptime', startedAt: 'Started {t}', threads: 'Worker threads', memory: 'Memory (RSS)',
    dbSize: 'Database size', requests: 'Requests', errors4xx: 'Client errors (4xx)', errors5xx: 'Server errors (5xx)', busy: 'Database busy',
    retries: 'Transaction retries', storeErrors: 'Failed statements', inFlight: 'In flight', byRoute: 'Requests by route', latency: 'Latency by route (ms)',
    route: 'Route', count: 'Requests', mean: 'Mean', p50: 'P50', p95: 'P95', p99: 'P99', refresh: 'Refresh', auto: 'Refreshes every 10 s',
    note: 'Latency quantiles are estimated from histogram buckets. Counts run from the server\'s start.', days: '{d} d {h} h', hours: '{h} h {m} min', minutes: '{m} min {s} s',
    table: 'Routes', ok: 'OK (2xx/3xx)', unmatched: 'Console files and unknown paths',
  },
  policy: {
    key: 'Key', title: 'Title', value: 'Value in force', unit: 'Unit', effectiveFrom: 'Effective from', source: 'Source',
    addValue: 'Add a value', addTitle: 'New value for {key}', note: 'Note', added: 'Value added', kind: 'Kind',
  },
  users: {
    username: 'Username', displayName: 'Name', role: 'Role', scope: 'Data scope (region-code prefix)', status: 'Status',
    active: 'Active', disabled: 'Disabled', locked: 'Locked', lastLogin: 'Last login', create: 'New user',
    password: 'Initial password', disable: 'Disable', disableConfirm: 'Disable user "{u}"? Their sessions end at once.', created: 'User created', disabledOk: 'Disabled',
    scopeHint: 'Empty means the whole district; 500110101 is Wandong town',
  },
  exchange: {
    feed: 'Feed', feedName: 'Name', title: 'Title', department: 'Department', format: 'Format', encoding: 'Encoding', fact: 'Fact',
    columns: 'Columns', columnCount: 'Columns', source: 'Source column', field: 'Stored as', required: 'Required', colFormat: 'Format',
    feedsNote: 'How each department\'s files are laid out (shipped with the system, read-only). Expand a row for its columns.',
    batch: 'Batch', batchId: 'Batch', file: 'File', importedAt: 'Imported', importedBy: 'Imported by', finishedAt: 'Finished', status: 'Status',
    rowsRead: 'Read', accepted: 'Stored', duplicate: 'Dup.', quarantined: 'Quar.', linkedExact: 'Exact', linkedProb: 'Prob.',
    toReview: 'Review', notLinked: 'None', spread: 'Spread', groupRows: 'Rows', groupLinks: 'Linked to residents',
    rowsReadLong: 'Rows read', acceptedLong: 'Accepted (stored)', duplicateLong: 'Duplicates (already stored, skipped)', quarantinedLong: 'Quarantined',
    linkedExactLong: 'Linked exactly (ID number)', linkedProbLong: 'Linked probabilistically', toReviewLong: 'Sent to review', notLinkedLong: 'Not linked',
    batchDetail: 'Batch details', byReason: 'Quarantined by reason', reason: 'Reason', count: 'Rows', noQuarantine: 'No quarantined rows in this batch', viewQuarantine: 'Show this batch\'s quarantined rows',
    upload: 'Upload', uploadTitle: 'Upload a department file', chooseFeed: 'Choose the feed', chooseFile: 'Choose a file', fileLabel: 'File',
    fileHint: 'Upload the file as the department sent it (format and encoding as the feed defines, e.g. CSV in GBK); at most 1 MB — larger files go through minsheng import.',
    uploadSubmit: 'Upload and import', uploaded: 'Imported: batch #{id}', alreadyImported: 'This file was imported before (batch #{id}); nothing was imported again',
    resumed: 'The last import of this file was interrupted; it has been completed from where it stopped', fileSize: '{n} KB', close: 'Close',
    statusOf: { loading: 'Loading', linking: 'Linking', done: 'Done' },
    qStatus: { open: 'Open', resubmitted: 'Resubmitted', dismissed: 'Dismissed' },
    rowNo: 'Row', column: 'Column', handle: 'Correct', view: 'View', qDetail: 'Quarantined row', qWhere: '{feed} · file {file} · row {row}',
    qNote: 'Correct the faulty values and submit the row again: it is checked by the same rules as an import, stored in its batch and linked at once.',
    resubmit: 'Resubmit', dismiss: 'Dismiss', dismissTitle: 'Dismiss the row', dismissReason: 'Reason', dismissReasonRequired: 'Give a reason (it is written to the audit log)',
    dismissPlaceholder: 'e.g. the department has sent a corrected row separately', resubmitted: 'Resubmitted; link: {m}', dismissed: 'Dismissed',
    resolvedBy: 'Resolved by', resolvedAt: 'Resolved at', note: 'Note', noChange: 'Nothing was changed; correct the field marked in red first',
    needWrite: 'Your role may not correct quarantined rows (exchange:quarantine:write)',
    linkMethod: { exact: 'exact', probabilistic: 'probabilistic', review: 'sent to review', none: 'not linked', clerical: 'clerical' },
    kind: 'Kind', kinds: { feed: 'Feed row – resident', duplicate: 'Possible duplicate residents' },
    rStatus: { open: 'Open', accepted: 'Same person', rejected: 'Rejected' },
    left: 'Department record', right: 'Resident', pair: 'Pair', weight: 'Weight', created: 'Created', review: 'Review',
    reviewTitle: 'Review #{id}', recordSide: 'Feed record: {feed}, row {row}', residentSide: 'Resident {code}', leftResident: 'Resident {code} (possible duplicate)',
    evidence: 'Comparison', fieldWeight: 'Weight', totalWeight: 'Total weight', attr: 'Field', factDate: 'Fact date', address: 'Address', residentStatus: 'Resident status',
    accept: 'Same person', reject: 'Not the same person', acceptConfirm: 'Confirm that row {row} of the feed and resident {name} ({code}) are the same person? The row is then linked to this resident, and the decision is audited.',
    rejectTitle: 'Reject the pair', rejectReason: 'Reason', rejectReasonRequired: 'Give a reason (it is written to the audit log)', rejectPlaceholder: 'e.g. same birth date, but ID number and address differ',
    acceptedOk: 'Accepted and linked', rejectedOk: 'Pair rejected', decided: 'Already decided: {s} ({by}, {at})',
    conflict: 'Someone else decided first: the queue has been refreshed, and their decision is shown below', legend: 'Green: agree; amber: partly agree; red: disagree; grey: missing',
    noReview: 'Nothing to review', reviewNote: 'Compare the two sides field by field, then decide. ID and phone numbers are masked.',
    level: { agree: 'agree', partial: 'partly agree', disagree: 'disagree', missing: 'missing' },
  },
  reason: {
    missing_value: 'Required value missing', bad_date: 'Not a valid date', date_in_future: 'Date after today', bad_month: 'Not a valid month', bad_money: 'Not a valid amount',
    negative_amount: 'Negative amount', bad_enum: 'Value not in the code list', bad_uscc: 'Invalid unified social credit code', bad_code: 'Invalid code', text_too_long: 'Text too long',
    bad_id_number: 'Invalid ID number', bad_identity: 'Invalid identity value', bad_encoding: 'Bytes not valid in the file\'s encoding', wrong_field_count: 'Field count differs from the header',
    bad_json: 'Not a JSON object', bad_value: 'Invalid value',
  },
  linkField: {
    name: 'Name', family_name: 'Family name', given_name: 'Given name', id_number: 'ID number', birth_date: 'Birth date', sex: 'Sex', region: 'Region',
    town: 'Town', postcode: 'Postcode', address: 'Address', phone: 'Phone',
  },
  deptName: {
    公安局: 'Police', 卫生健康委: 'Health commission', 民政局: 'Civil affairs', 人力社保局: 'HR & social security', 医疗保障局: 'Healthcare security',
    残联: "Disabled Persons' Federation", 市场监管局: 'Market regulation', 公安交管: 'Traffic police', 教育局: 'Education',
  },
}

const messages = { zh, en }

export function t(key, params) {
  let v = key.split('.').reduce((o, k) => (o == null ? o : o[k]), messages[locale.value])
  if (v == null) v = key.split('.').reduce((o, k) => (o == null ? o : o[k]), messages.zh)
  if (v == null) return key
  return params ? v.replace(/\{(\w+)\}/g, (_, k) => (params[k] ?? '')) : v
}

// t() for a value that may be missing from the table: the raw value then.
export function tv(group, value) {
  const s = t(`${group}.${value}`)
  return s === `${group}.${value}` ? value : s
}

// An audit action's name for people ('resident.reveal_id' → 查看完整身份证号);
// the keys hold dots, so they are looked up whole, not as a path. Unknown
// actions come back as they are.
export function actionName(action) {
  return messages[locale.value].actionName[action] || messages.zh.actionName[action] || action
}
export const knownActions = Object.keys(zh.actionName)
