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
  apps: { empty: '社会救助申请即将开放', hint: '开放后，您可以在这里在线申请并逐步查看办理进度。' },
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
  apps: { empty: 'Social assistance applications open soon', hint: 'You will be able to apply here and follow each step.' },
  common: { loading: 'Loading…', none: 'Not on file' },
}

export function t(key, vars) {
  const table = locale.value === 'en' ? en : zh
  let v = key.split('.').reduce((o, k) => (o && o[k] !== undefined ? o[k] : undefined), table)
  if (typeof v !== 'string') return key
  for (const [k, x] of Object.entries(vars || {})) v = v.replaceAll(`{${k}}`, String(x))
  return v
}
