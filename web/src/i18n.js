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
  dept: { system: '系统管理', civil: '民政', hrss: '人社', health: '卫健' },
  page: { home: '首页', residents: '居民查询', audit: '审计日志', policy: '参数设置', users: '用户管理', notFound: '页面不存在' },
  role: {
    admin: '系统管理员', security_admin: '安全管理员', auditor: '安全审计员', civil_caseworker: '民政经办人',
    town_caseworker: '镇街经办人', hrss_officer: '人社经办人', health_officer: '卫健经办人',
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
}

const en = {
  app: { name: 'Livelihood Services', district: 'Wansheng', lang: 'Language', logout: 'Log out', skip: 'Skip to main content' },
  login: {
    title: 'Log in', username: 'Username', password: 'Password', submit: 'Log in', expired: 'Your session has expired; please log in again',
    required: 'Enter your username and password', hint: 'For the government network only; every action is audited',
  },
  dept: { system: 'System', civil: 'Civil affairs', hrss: 'HR & social security', health: 'Health' },
  page: { home: 'Home', residents: 'Residents', audit: 'Audit log', policy: 'Parameters', users: 'Users', notFound: 'Page not found' },
  role: {
    admin: 'System administrator', security_admin: 'Security administrator', auditor: 'Security auditor',
    civil_caseworker: 'Civil-affairs caseworker', town_caseworker: 'Town caseworker', hrss_officer: 'HR & social-security officer',
    health_officer: 'Health officer',
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
