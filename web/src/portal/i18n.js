// The portal's strings: Simplified Chinese first, English second. Kept apart
// from the console's table so the portal bundle carries only its own. The
// language choice is a preference (not personal data) and shares the
// console's localStorage key.
import { ref } from 'vue'

const saved = typeof localStorage !== 'undefined' ? localStorage.getItem('ms_locale') : null
export const locale = ref(saved === 'en' ? 'en' : 'zh')

export function setLocale(l) {
  locale.value = l === 'en' ? 'en' : 'zh'
  localStorage.setItem('ms_locale', locale.value)
  document.documentElement.lang = locale.value === 'en' ? 'en' : 'zh-CN'
}

const zh = {
  app: { name: '居民服务', org: '万盛经开区 · 民生服务平台', logout: '退出', lang: '语言' },
  login: {
    title: '居民登录', idNumber: '身份证号', idPlaceholder: '请输入 18 位身份证号', code: '验证码',
    codePlaceholder: '6 位数字', getCode: '获取验证码', resend: '{n} 秒后重新获取', submit: '登录',
    sent: '如该身份证号已在本区登记，验证码已发送至预留手机', expired: '登录已失效，请重新登录',
    demo: '演示环境：验证码不发短信，写在服务器日志中（portal.otp.demo_code）',
    privacy: '登录即表示您同意我们依法处理您的个人信息，仅用于为您办理民生事项。',
    idRequired: '请输入身份证号', idLength: '身份证号应为 18 位（旧 15 位号码亦可）',
    idChars: '前 17 位应为数字，最后一位为数字或 X', idCheck: '身份证号校验位不正确，请核对后重新输入',
    codeRequired: '请输入 6 位数字验证码',
  },
  tabs: { me: '我的档案', apps: '办事进度' },
  me: {
    basic: '基本信息', name: '姓名', sex: '性别', birth: '出生日期', idNumber: '身份证号', phone: '手机号',
    code: '居民码', hukou: '户籍类型', address: '居住地址', household: '家庭成员', events: '生命事件',
    self: '本人', noHousehold: '暂无户信息', noEvents: '暂无记录', masked: '为保护您的隐私，证件号和手机号已部分隐藏',
    wrong: '信息有误？请携带身份证到居住地镇街便民服务中心更正。',
  },
  sex: { M: '男', F: '女' },
  hukou: { urban: '城镇', rural: '农村' },
  relation: { head: '户主', spouse: '配偶', child: '子女', parent: '父母', grandchild: '孙子女', grandparent: '祖父母', sibling: '兄弟姐妹', other: '其他' },
  event: { birth: '出生', marriage: '结婚', divorce: '离婚', death: '死亡', move_in: '迁入', move_out: '迁出' },
  apps: {
    empty: '您还没有社会救助申请', hint: '家庭生活困难的，可以在线申请最低生活保障、特困人员救助供养或临时救助，并在这里逐步查看办理进度。',
    apply: '申请救助', appliedOn: '申请日期 {d}', current: '当前：{s}', due: '办理时限 {d}', online: '网上申请', window: '窗口申请', back: '返回办事进度',
    steps: '办理进度', decision: '办理结果', reason: '理由：{r}', benefits: '救助金额', perMonth: '{a} 元/月', once: '{a} 元（一次性）',
    notice: '书面告知书', notified: '送达日期 {d}', statement: '困难情况说明', contact: '联系电话', bank: '收款账户', notFound: '没有找到这份申请',
    decisions: { approve: '批准', refuse: '不予批准', decline: '不予受理' },
  },
  apply: {
    title: '申请社会救助', intro: '请如实填写。提交后由您所在的乡镇（街道）受理，受理后开始调查核实，您可以在“办事进度”查看每一步。',
    schemes: '申请救助类别', members: '共同生活的家庭成员', counts: '计入共同生活家庭', relation: '与申请人关系', reason: '不计入的理由',
    reasonPlaceholder: '如：在外另户生活、服刑等', incomes: '上月收入（元/月）', incomeKind: '收入类型', amount: '金额（元）', addIncome: '添加收入',
    removeIncome: '删除该项收入', whose: '收入人', noIncome: '无收入可不填', bankAccount: '银行账号（可不填，受理时补充）', bankName: '开户银行',
    phone: '联系电话', statement: '家庭困难情况说明', statementPlaceholder: '请简要说明家庭遇到的困难，如因病、因灾、失业等（不超过 500 字）',
    linshiKind: '临时救助类型', linshiCause: '发生了什么', submit: '提交申请', submitted: '申请已提交，请等待乡镇（街道）受理',
    fix: '请更正标红的项目', needScheme: '请至少选择一个救助类别', needStatement: '请填写家庭困难情况说明', needPhone: '请填写 11 位手机号码',
    needReason: '不计入的成员须填写理由', selfCounts: '申请人本人须计入家庭', badAmount: '请输入不小于 0、最多两位小数的金额',
    badAccount: '银行账号应为 8–30 位数字', needKind: '请选择临时救助类型', needCause: '请选择发生的情况', noHousehold: '您尚未登记户籍家庭，请到乡镇（街道）便民服务中心申请。',
    privacy: '您填写的信息仅用于办理社会救助，银行账号和电话加密保存，页面只显示后四位。',
  },
  scheme: { dibao: '最低生活保障', tekun: '特困人员救助供养', linshi: '临时救助' },
  relationA: { self: '本人', spouse: '配偶', child: '子女', parent: '父母', sibling: '兄弟姐妹', grandchild: '孙子女', grandparent: '祖父母', other: '其他' },
  incomeKind: { wage: '工资性收入', business: '经营收入', agriculture: '农业收入（12 个月合计）', pension: '养老金', support: '赡养（抚养）费', unemployment: '失业保险金', other: '其他收入' },
  linshiKind: { emergency: '急难型（遭遇意外事故、重大疾病等）', expenditure: '支出型（医疗、教育等支出过大）' },
  linshiCause: { fire: '火灾', traffic_accident: '交通事故', other_accident: '其他意外', major_illness: '重大疾病', medical: '医疗支出', education: '教育支出', other: '其他' },
  common: { loading: '加载中…', none: '未登记' },
}

const en = {
  app: { name: 'Resident services', org: 'Wansheng · Livelihood services', logout: 'Log out', lang: 'Language' },
  login: {
    title: 'Resident login', idNumber: 'ID number', idPlaceholder: '18-character ID number', code: 'Code',
    codePlaceholder: '6 digits', getCode: 'Get code', resend: 'Again in {n} s', submit: 'Log in',
    sent: 'If this ID number is registered here, a code has been sent to its phone', expired: 'Your session ended; please log in again',
    demo: 'Demo: codes are not texted but written to the server log (portal.otp.demo_code)',
    privacy: 'By logging in you agree that we process your personal information lawfully, only to serve you.',
    idRequired: 'Enter your ID number', idLength: 'An ID number has 18 characters (or an old 15-digit one)',
    idChars: 'The first 17 must be digits, the last a digit or X', idCheck: 'The check character is wrong; please check the number',
    codeRequired: 'Enter the 6-digit code',
  },
  tabs: { me: 'My record', apps: 'Applications' },
  me: {
    basic: 'Basic information', name: 'Name', sex: 'Sex', birth: 'Date of birth', idNumber: 'ID number', phone: 'Phone',
    code: 'Resident code', hukou: 'Hukou', address: 'Address', household: 'Household', events: 'Life events',
    self: 'You', noHousehold: 'No household on file', noEvents: 'Nothing yet', masked: 'ID and phone numbers are partly hidden to protect your privacy',
    wrong: 'Something wrong? Bring your ID card to your town service centre to correct it.',
  },
  sex: { M: 'Male', F: 'Female' },
  hukou: { urban: 'Urban', rural: 'Rural' },
  relation: { head: 'Head', spouse: 'Spouse', child: 'Child', parent: 'Parent', grandchild: 'Grandchild', grandparent: 'Grandparent', sibling: 'Sibling', other: 'Other' },
  event: { birth: 'Birth', marriage: 'Marriage', divorce: 'Divorce', death: 'Death', move_in: 'Moved in', move_out: 'Moved out' },
  apps: {
    empty: 'You have no social assistance application', hint: 'If your household is in hardship you can apply online for the minimum living allowance, extreme-poverty support or temporary assistance, and follow each step here.',
    apply: 'Apply for assistance', appliedOn: 'Applied {d}', current: 'Now: {s}', due: 'Due {d}', online: 'Online', window: 'At the window', back: 'Back to applications',
    steps: 'Progress', decision: 'Outcome', reason: 'Reason: {r}', benefits: 'Amount', perMonth: '{a} yuan a month', once: '{a} yuan (once)',
    notice: 'Written notice', notified: 'Delivered {d}', statement: 'Your statement', contact: 'Contact phone', bank: 'Account', notFound: 'No such application',
    decisions: { approve: 'Approved', refuse: 'Refused', decline: 'Declined' },
  },
  apply: {
    title: 'Apply for social assistance', intro: 'Please answer truthfully. Your town accepts the application, then investigates; follow each step under Applications.',
    schemes: 'Schemes', members: 'Household members living with you', counts: 'Counts in the household', relation: 'Relation to you', reason: 'Why not counted',
    reasonPlaceholder: 'e.g. lives apart, in prison', incomes: 'Last month\'s income (yuan)', incomeKind: 'Kind', amount: 'Amount (yuan)', addIncome: 'Add income',
    removeIncome: 'Remove this income', whose: 'Whose', noIncome: 'Leave empty if none', bankAccount: 'Bank account (optional, can be given later)', bankName: 'Bank',
    phone: 'Contact phone', statement: 'Your hardship', statementPlaceholder: 'Say briefly what happened: illness, disaster, job loss... (at most 500 characters)',
    linshiKind: 'Kind of temporary assistance', linshiCause: 'What happened', submit: 'Submit', submitted: 'Submitted: your town will accept it soon',
    fix: 'Please correct the fields marked in red', needScheme: 'Choose at least one scheme', needStatement: 'Describe your hardship', needPhone: 'Enter an 11-digit mobile number',
    needReason: 'A member not counted needs a reason', selfCounts: 'You must count in the household', badAmount: 'Enter an amount of at least 0 with at most two decimals',
    badAccount: 'The account has 8–30 digits', needKind: 'Choose the kind', needCause: 'Choose what happened', noHousehold: 'You have no household on file; please apply at your town service centre.',
    privacy: 'What you enter is used only for your application; the account and phone are stored encrypted and shown by their last four digits.',
  },
  scheme: { dibao: 'Minimum living allowance', tekun: 'Extreme-poverty support', linshi: 'Temporary assistance' },
  relationA: { self: 'Self', spouse: 'Spouse', child: 'Child', parent: 'Parent', sibling: 'Sibling', grandchild: 'Grandchild', grandparent: 'Grandparent', other: 'Other' },
  incomeKind: { wage: 'Wages', business: 'Business', agriculture: 'Farming (12 months)', pension: 'Pension', support: 'Support received', unemployment: 'Unemployment benefit', other: 'Other' },
  linshiKind: { emergency: 'Emergency (accident, serious illness)', expenditure: 'Spending (medical, education)' },
  linshiCause: { fire: 'Fire', traffic_accident: 'Traffic accident', other_accident: 'Other accident', major_illness: 'Serious illness', medical: 'Medical costs', education: 'Education costs', other: 'Other' },
  common: { loading: 'Loading…', none: 'Not on file' },
}

export function t(key, vars) {
  const table = locale.value === 'en' ? en : zh
  let v = key.split('.').reduce((o, k) => (o && o[k] !== undefined ? o[k] : undefined), table)
  if (typeof v !== 'string') return key
  for (const [k, x] of Object.entries(vars || {})) v = v.replaceAll(`{${k}}`, String(x))
  return v
}
