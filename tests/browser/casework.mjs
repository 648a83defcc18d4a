// casework.mjs - the console's casework screens in a real browser against a
// real server: 社会救助, 救助金发放, 预警与核实, 角色管理 and the residents'
// Excel export and deep links.
//
//   node tests/browser/casework.mjs --minsheng build/minsheng --web-root web/dist
//   (scripts/web.sh test BUILD/minsheng runs every tests/browser/*.mjs)
//
// Same harness as console.mjs: `minsheng serve` on 127.0.0.1:0 over a fresh
// SQLite database (place names imported, one user per role), all data
// synthetic and created through the API: a household of three in 万东镇, a
// resident of 东林街道, and a 万东镇 resident with a new grade-1 disability
// certificate (uploaded as the 残联 feed, GBK, by the exchange officer),
// which the monitoring scan turns into an alert and a task for 万东镇; after
// the scan, a 医保 settlement and two 不动产 houses of the head. Then:
//   - the town caseworker takes an application through the form: the
//     applicant found by pinyin, the household's members filled in, 特困 as
//     a further scheme and a near relative declared; a member left out
//     without a reason and a near relative without a note are stopped on
//     the page, a future application date comes back from the API and is
//     shown on that input; then, with 120's dates, the town's part of the
//     procedure from the drawer's buttons: investigation, home visit (one
//     investigator and no signature stopped inline), computation (one
//     determination per scheme), town review, publicity, an objection and
//     its re-investigation, the publicity's close; the case is overdue in
//     the detail and under the list's overdue filter;
//   - the district caseworker opens the case by its URL: the means check
//     shows the head's self-paid medical costs (noted) and houses (flagged);
//     the decision is
//     refused until the spot visit the near relative requires; then the
//     spot visit, approval, the written notice read in its dialog and its
//     delivery recorded with how, enrolment, the timeline; the
//     payment-run screen shows a month's run reconciled;
//   - a second application, brought to the district through the API, is
//     refused on the screen: the notice gives the reasons, the case is
//     overdue (the refusal notice is due in 3 working days) and under the
//     overdue filter until the delivery is recorded; the drawer in English
//     carries no raw keys;
//   - the town caseworker decides the task to an outcome with a reason (none
//     is refused on the form), and it moves from 我的任务 to decided;
//   - the town caseworker opens the 东林街道 resident's URL and gets the
//     not-found state, and their own town's resident by URL;
//   - 角色管理 is the security administrator's alone (menu and URL); it
//     shows the menus a permission opens and the button permissions, and a
//     business role gains a permission with a reason; the system roles
//     cannot be edited;
//   - 导出 Excel asks a purpose and downloads the server's workbook; a role
//     without registry:resident:export has no button;
//   - the new screens in English carry no raw keys;
//   - an online application (冯志强 through the portal's API, code read
//     from the log) is found under 申请渠道 网上申请 with its tag, shows
//     the resident's statement, and the town caseworker accepts it (受理)
//     from the drawer.
// Screenshots: build/screenshots/casework-*.png.
import { execFileSync } from 'node:child_process'
import path from 'node:path'
import fs from 'node:fs'
import {
  PASSWORD, idNumber, ok, requirePrerequisites, workdir, cli as cliOn,
  startServer as startOn, run, launchChromium, prepare, shot as harnessShot, shotDir, repo, otpFromLog,
} from './lib/harness.mjs'

const chromium = requirePrerequisites('index.html')
const work = workdir('ms-casework.')
let browser = null
const cli = (args, input) => cliOn(work.db, args, input)
const shot = (page, name) => harnessShot(page, `casework-${name}`)

const USERS = [
  ['civil', 'civil_caseworker'], ['town', 'town_caseworker', '500110101'], ['secadmin', 'security_admin'],
  ['admin', 'admin'], ['exchange', 'exchange_officer'], ['hrss', 'hrss_officer'],
]
const VILLAGE = '500110101001'
const HEAD = { name: '周建军', pinyin: 'zhoujianjun', id: idNumber('50011019780211131'), relation: 'head' }
const SPOUSE = { name: '吴桂兰', id: idNumber('50011019800507132'), relation: 'spouse' }
const CHILD = { name: '周小雨', id: idNumber('50011020100903142'), relation: 'child' }
const DONGLIN = { name: '郑永红', id: idNumber('50011019650120152') }
const DISABLED = { name: '冯志强', id: idNumber('50011019590814171') }
const REFUSED = { name: '褚立新', id: idNumber('50011019660315161') }

const pad = (n) => String(n).padStart(2, '0')
const ymd = (d) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`
const daysFromNow = (n) => { const d = new Date(); d.setDate(d.getDate() + n); return ymd(d) }

async function tokenFor(base, username) {
  const s = await fetch(`${base}/api/v1/session`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username, password: PASSWORD }) })
  return (await s.json()).token
}

async function apiAs(base, username, method, p, body, raw) {
  const token = await tokenFor(base, username)
  const headers = { Authorization: `Bearer ${token}`, 'Content-Type': raw ? 'application/octet-stream' : 'application/json' }
  const r = await fetch(`${base}${p}`, { method, headers, body: raw || (body && JSON.stringify(body)) })
  return { status: r.status, body: await r.json().catch(() => null) }
}

async function newPage(base) {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN', baseURL: base, acceptDownloads: true })
  const page = await context.newPage()
  page.on('pageerror', (e) => ok(false, 'no page error', e.message))
  return { context, page }
}

async function loginUi(page, username) {
  await page.goto('/login')
  await page.getByLabel('用户名').fill(username)
  await page.getByLabel('密码', { exact: true }).fill(PASSWORD)
  await page.locator('[data-test=login-submit]').click()
  await page.locator('[data-test=who]').waitFor()
}

// A dropdown option of the select open now.
const option = (page, text) => page.locator('.el-select-dropdown__item:visible', { hasText: text }).first()

async function seed(base) {
  const hh = await apiAs(base, 'civil', 'POST', '/api/v1/households', { number: 'BT0000001', address: { region_code: VILLAGE, detail: '朝阳社区 12 号' } })
  if (!ok(hh.status === 201, 'civil caseworker registers a household in 万东镇', JSON.stringify(hh.body))) throw new Error('no household')
  for (const r of [HEAD, SPOUSE, CHILD]) {
    const res = await apiAs(base, 'civil', 'POST', '/api/v1/residents', {
      name: r.name, id_number: r.id, hukou_type: 'rural', residence: { region_code: VILLAGE, detail: '朝阳社区 12 号' }, household_id: hh.body.id, relation: r.relation,
    })
    if (!ok(res.status === 201, `registers ${r.name} in the household`, JSON.stringify(res.body))) throw new Error('no member')
    r.code = res.body.code
  }
  // 冯志强 lives alone in a household of his own (for 一户一条救助链).
  const lone = await apiAs(base, 'civil', 'POST', '/api/v1/households', { number: 'BTD0001', address: { region_code: VILLAGE, detail: '测试地址 1 号' } })
  if (!ok(lone.status === 201, 'registers 冯志强\'s household', JSON.stringify(lone.body))) throw new Error('no household')
  for (const [r, region, household] of [[DONGLIN, '500110002001', null], [DISABLED, VILLAGE, lone.body.id]]) {
    const res = await apiAs(base, 'civil', 'POST', '/api/v1/residents', { name: r.name, id_number: r.id, hukou_type: 'urban', residence: { region_code: region, detail: '测试地址 1 号' }, ...(household ? { household_id: household, relation: 'head' } : {}) })
    if (!ok(res.status === 201, `registers ${r.name}`, JSON.stringify(res.body))) throw new Error('no resident')
    r.code = res.body.code
  }
  // 残联's file, in its GBK: one new grade-1 certificate, issued 10 days ago.
  const csv = ['残疾人证号,姓名,身份证号,性别,出生日期,残疾类别,残疾等级,发证日期,联系电话,户籍地区划代码',
    `D0001,${DISABLED.name},${DISABLED.id},男,1959-08-14,肢体,一级,${daysFromNow(-10)},,${VILLAGE}`, ''].join('\r\n')
  const gbk = execFileSync('iconv', ['-f', 'UTF-8', '-t', 'GBK'], { input: csv })
  const up = await apiAs(base, 'exchange', 'POST', '/api/v1/exchange/batches?feed=disability_certificate&file_name=disability.csv', null, gbk)
  if (!ok(up.status === 201 && up.body.linked_exact === 1, 'the disability file links its row exactly', JSON.stringify(up.body))) throw new Error('no feed')
  const scan = await apiAs(base, 'civil', 'POST', '/api/v1/monitor/scans', { as_of: daysFromNow(0) })
  const rule = scan.body?.rules?.find((x) => x.rule === 'disability_severe_new')
  if (!ok(scan.status === 201 && rule && rule.alerts_new === 1, 'the scan raises one disability alert', JSON.stringify(scan.body))) throw new Error('no alert')
  // After the scan (so no rule reads them): 医保's settlement of 6,000 yuan
  // self-paid and 不动产登记's two houses in force for the head, which the
  // case's means check shows (approveApplication()).
  const settle = JSON.stringify({ settle_no: 'BT-M1', name: HEAD.name, id_number: HEAD.id, sex: '1', birth_date: '1978-02-11', settle_date: '2026-03-10',
    visit_type: 'inpatient', total: '15000.00', fund_paid: '9000.00', self_paid: '6000.00', hospital: '渝南第一人民医院' }) + '\n'
  const med = await apiAs(base, 'exchange', 'POST', '/api/v1/exchange/batches?feed=medical_settlement&file_name=settle.jsonl', null, Buffer.from(settle))
  if (!ok(med.status === 201 && med.body.linked_exact === 1, 'the medical settlement links to the head', JSON.stringify(med.body))) throw new Error('no feed')
  const estate = ['不动产权证书号,权利人,证件号码,坐落,规划用途,权利类型,建筑面积（平方米）,登记时间,权属状态',
    `渝（2019）万盛区不动产权第0000001号,${HEAD.name},${HEAD.id},万东镇朝阳社区12号,住宅,宅基地使用权/房屋所有权,120.00,2019-04-02,现势`,
    `渝（2023）万盛区不动产权第0000002号,${HEAD.name},${HEAD.id},万盛经开区新华路8号2单元3-1,住宅,国有建设用地使用权/房屋所有权,88.00,2023-06-18,现势`, ''].join('\r\n')
  const houses = await apiAs(base, 'exchange', 'POST', '/api/v1/exchange/batches?feed=real_estate&file_name=estate.csv', null,
    execFileSync('iconv', ['-f', 'UTF-8', '-t', 'GBK'], { input: estate }))
  if (!ok(houses.status === 201 && houses.body.linked_exact === 2, 'the real-estate file (GBK) links both houses to the head', JSON.stringify(houses.body))) throw new Error('no feed')
}

// A resident applies through the portal's API; the town finds the
// application by its channel and accepts it from the drawer.
async function onlineApplication(base) {
  await fetch(`${base}/api/v1/portal/otp`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ id_number: DISABLED.id }) })
  const otp = otpFromLog(work.logPath, DISABLED.code)
  const login = await fetch(`${base}/api/v1/portal/session`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ id_number: DISABLED.id, code: otp }) })
  const { token } = await login.json()
  const app = await fetch(`${base}/api/v1/portal/assistance/applications`, {
    method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ scheme: 'dibao', household_size: 1, members: [{ member: 0, relation: 'self' }], statement_zh: '新办残疾证一级，无劳动能力', contact_phone: '13900001111' }),
  })
  const { id } = await app.json()
  ok(app.status === 201 && id, 'a resident applies online through the portal', String(id))
  const { context, page } = await newPage(base)
  await loginUi(page, 'town')
  await page.locator('[data-test=menu-assistanceCases]').click()
  await page.locator('[data-test=ac-table]').waitFor()
  // The unfiltered list may already show the case: wait for the filtered
  // answer, then for the table to hold it alone.
  const filtered = page.waitForResponse((r) => r.url().includes('/api/v1/assistance/cases?') && new URL(r.url()).searchParams.get('channel') === 'online')
  await page.locator('[data-test=ac-channel]').click()
  await option(page, '网上申请').click()
  await page.locator('[data-test=ac-search]').click()
  await filtered
  await page.locator(`[data-test=ac-online-${id}]`).waitFor()
  await page.waitForFunction(() => document.querySelectorAll('[data-test=ac-table] .el-table__row').length === 1, null, { timeout: 10000 }).catch(() => {})
  ok((await page.locator('[data-test=ac-table] .el-table__row').count()) === 1, '申请渠道 网上申请 lists the online application, tagged')
  await page.locator(`[data-test=ac-open-${id}]`).click()
  await page.locator('[data-test=case-status][data-status=submitted]').waitFor()
  ok((await page.locator('[data-test=case-statement]').textContent()).includes('无劳动能力'), 'the drawer shows the resident\'s statement')
  ok((await page.locator('[data-test=case-act-investigate]').count()) === 0, 'nothing but accept or decline before the acceptance')
  await shot(page, 'online-submitted')
  await step(page, 'accept', { status: 'draft', path: 'accept' })
  ok(true, 'the town accepts it (受理) from the drawer')
  await context.close()
}

// One step from the case drawer: the button, its small form (dates typed
// into their pickers, texts, investigators typed into the staff picker, the
// family's signature), confirm; the request the page sends is checked to
// carry what was typed, and the case reaches `status`.
async function step(page, kind, { dates = {}, texts = {}, staff = [], signed = false, status, path } = {}) {
  await page.locator(`[data-test=case-act-${kind}]`).click()
  const dialog = page.locator('[data-test=case-act-dialog]')
  await dialog.waitFor()
  for (const [label, value] of Object.entries(dates)) {
    await dialog.getByLabel(label).fill(value)
    await dialog.getByLabel(label).press('Tab')
  }
  for (const [label, value] of Object.entries(texts)) await dialog.getByLabel(label).fill(value)
  for (const name of staff) {
    await dialog.locator('[data-test=act-investigators] input').fill(name)
    await dialog.locator('[data-test=act-investigators] input').press('Enter')
  }
  if (signed) await dialog.locator('[data-test=act-family_signed]').click()
  const sent = page.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith(`/${path}`))
  await page.locator('[data-test=case-act-confirm]').click()
  const body = (await sent).postDataJSON()
  for (const value of Object.values(dates)) ok(Object.values(body).includes(value), `${kind}: the date typed is sent`, JSON.stringify(body))
  if (status) await page.locator(`[data-test=case-status][data-status=${status}]`).waitFor()
  await dialog.waitFor({ state: 'hidden' })
  return body
}

const stepCount = (page) => page.locator('[data-test=case-steps] .el-timeline-item[data-step]:not([data-step=awaiting])').count()

// The town caseworker takes an application through the form (two schemes,
// a declared near relative) and walks it through the town's part of the
// procedure, with 120's dates: investigation, home visit (two
// investigators, the family's signature: both stopped inline when missing),
// computation, town review, publicity, an objection and its
// re-investigation with the further notice, and the publicity's close.
async function takeApplication(base) {
  const { context, page } = await newPage(base)
  await loginUi(page, 'town')
  await page.locator('[data-test=menu-assistanceCases]').click()
  await page.locator('[data-test=ac-table]').waitFor()
  await page.locator('[data-test=ac-new]').click()
  const form = page.locator('[data-test=case-new]')
  await form.waitFor()
  await page.locator('[data-test=cn-applicant] input').fill(HEAD.pinyin)
  await option(page, HEAD.name).click()
  await page.locator(`[data-test=cn-counted-${CHILD.code}]`).waitFor()
  ok((await page.locator('[data-test=cn-members] .el-table__row').count()) === 3, 'new application: the applicant\'s household fills the members (3)')
  // The child is left out without a reason: stopped on the page.
  await page.locator(`[data-test=cn-counted-${CHILD.code}]`).click()
  await page.locator('[data-test=cn-add-incomes]').click()
  await page.locator('[data-test=cn-incomes-0-yuan]').fill('600')
  await page.locator('[data-test=cn-account]').fill('6217000099998888')
  await page.locator('[data-test=cn-bank]').fill('测试银行万盛支行')
  // 社会救助一件事: 特困 as a further scheme; a near relative declared (the note is required).
  await page.locator('[data-test=cn-more-tekun]').click()
  await page.locator('[data-test=cn-near]').click()
  await page.locator('[data-test=cn-submit]').click()
  await form.getByText('不计入家庭的成员须填写理由').waitFor()
  ok(true, 'new application: a member left out without a reason is stopped inline')
  ok(await form.getByText('请说明近亲属关系及任职情况').isVisible(), 'new application: a near relative without a note is stopped inline')
  await page.locator(`[data-test=cn-reason-${CHILD.code}]`).fill('在外地服兵役（测试）')
  await page.locator('[data-test=cn-near-staff] input').fill('civil')
  await page.locator('[data-test=cn-near-staff] input').press('Enter')
  await page.locator('[data-test=cn-near-note]').fill('申请人之弟为村委会委员（测试）')
  // A future application date: the API's invalid_field lands on that input.
  await page.getByLabel('申请日期').fill(daysFromNow(30))
  await page.getByLabel('申请日期').press('Enter')
  const refused = page.waitForResponse((r) => r.url().endsWith('/api/v1/assistance/cases') && r.request().method() === 'POST')
  await page.locator('[data-test=cn-submit]').click()
  const rr = await refused
  ok(rr.status() === 400, 'a future application date is refused by the API (400)', String(rr.status()))
  const dateItem = form.locator('.el-form-item', { has: page.getByLabel('申请日期') })
  ok(await dateItem.locator('.el-form-item__error').waitFor({ timeout: 5000 }).then(() => true, () => false), 'and the API\'s message shows on the 申请日期 input')
  await shot(page, 'application-invalid')
  await page.getByLabel('申请日期').fill('2026-08-03')
  await page.getByLabel('申请日期').press('Enter')
  const created = page.waitForResponse((r) => r.url().endsWith('/api/v1/assistance/cases') && r.request().method() === 'POST')
  await page.locator('[data-test=cn-submit]').click()
  const cr = await created
  const sent = cr.request().postDataJSON()
  ok(JSON.stringify(sent.schemes) === '["dibao","tekun"]' && sent.near_relative === true && sent.near_relative_note === 'civil：申请人之弟为村委会委员（测试）',
    'the form sends both schemes and the near relative with its note', JSON.stringify({ schemes: sent.schemes, n: sent.near_relative_note }))
  const caseId = (await cr.json()).id
  ok(cr.status() === 201 && caseId > 0, 'the application is taken (201)', String(cr.status()))
  await page.waitForURL(new RegExp(`/assistance/cases/${caseId}$`))
  const status = page.locator('[data-test=case-status]')
  await status.waitFor()
  ok((await status.getAttribute('data-status')) === 'draft', 'the case opens in its drawer, 已受理')
  ok(!(await page.locator('#app').innerText()).includes('6217000099998888'), 'the bank account is never shown in full')
  ok((await page.locator('[data-test=case-act-approve]').count()) === 0, 'a town caseworker gets no approve button')
  ok((await page.locator('[data-test=case-act-compute]').count()) === 0, 'no computing before the investigation starts')
  ok((await page.locator('[data-test=case-near-relative]').innerText()).includes('村委会委员'), 'the detail shows the near relative declared')
  ok(await page.locator('[data-test=case-det-tekun][data-status=pending]').isVisible(), 'the detail lists a determination per scheme (特困 pending)')

  await step(page, 'investigate', { dates: { 调查开始日期: '2026-08-04' }, status: 'investigating', path: 'investigation' })
  // The visit: one investigator and no signature are stopped on the page.
  await page.locator('[data-test=case-act-visit]').click()
  const dialog = page.locator('[data-test=case-act-dialog]')
  await dialog.waitFor()
  await page.locator('[data-test=case-act-confirm]').click()
  await dialog.getByText('入户调查人员不得少于 2 人，且不能重复').waitFor()
  ok(await dialog.getByText('入户调查须由在场家庭成员签字').isVisible(), 'visit: one investigator and no family signature are stopped inline')
  await shot(page, 'visit-invalid')
  await page.keyboard.press('Escape')
  await dialog.waitFor({ state: 'hidden' })
  const visit = await step(page, 'visit', {
    dates: { 入户调查日期: '2026-08-05' }, texts: { 调查情况: '入户核实，家庭成员在场签字（测试）' }, staff: ['civil'], signed: true, status: 'visited', path: 'visit',
  })
  ok(JSON.stringify(visit.investigators) === '["town","civil"]' && visit.family_signed === true, 'visit: two investigators and the signature are sent', JSON.stringify(visit))
  await step(page, 'compute', { dates: { '核算日期（默认今天）': '2026-08-03' }, status: 'visited', path: 'compute' })
  ok(/\d/.test(await page.locator('[data-test=case-amount]').innerText()), 'computed: the monthly amount is shown')
  ok(await page.locator('[data-test=case-det-dibao][data-status=computed]').isVisible(), 'the 低保 determination is computed')
  ok(await page.locator('[data-test=case-det-tekun][data-status=computed]').isVisible(), 'the 特困 determination, a further scheme, is computed too')
  await step(page, 'town_review', { dates: { 初审日期: '2026-08-06' }, texts: { 初审意见: '经调查核实，符合低保条件，拟同意。（测试）' }, status: 'town_reviewed', path: 'town-review' })
  await step(page, 'publish', { dates: { '公示开始日期（公示 7 天）': '2026-08-07' }, status: 'publicity', path: 'publicity' })
  await step(page, 'object', { dates: { 异议登记日期: '2026-08-10' }, texts: { 异议内容: '群众反映申请人有经营收入（测试）' }, status: 'reinvestigating', path: 'objection' })
  await step(page, 'republish', { dates: { '复查完毕日期（再次公示自该日起）': '2026-08-11' }, texts: { 复查结论: '经复查，经营活动已停止（测试）' }, status: 'publicity', path: 'reinvestigation' })
  ok((await page.locator('[data-test=case-detail]').innerText()).includes('第 2 次公示'), 'the further notice is the second publicity')
  await step(page, 'close_publicity', { dates: { '报送区县日期（公示期满后）': '2026-09-14' }, status: 'district_review', path: 'publicity-close' })
  ok((await stepCount(page)) === 9, 'the timeline holds the application and its eight steps', String(await stepCount(page)))
  ok(await page.locator('[data-test=case-overdue]').isVisible(), 'the district\'s limit ran out long ago: the detail shows 已逾期')
  await shot(page, 'case-sent-town')
  await page.keyboard.press('Escape')
  await page.waitForURL(/\/assistance\/cases$/)
  await page.locator('[data-test=ac-overdue]').click()
  await page.locator(`[data-test=ac-overdue-${caseId}]`).waitFor()
  ok((await page.locator('[data-test=ac-table] .el-table__row').count()) === 1, 'the overdue filter lists the case, with 已逾期')
  await context.close()
  return caseId
}

// The district: the decision is refused until the spot visit a near
// relative requires; then the visit, approval, the written notice read and
// its delivery recorded, enrolment and the first payment run.
async function approveApplication(base, caseId) {
  const { context, page } = await newPage(base)
  await loginUi(page, 'civil')
  await page.goto(`/assistance/cases/${caseId}`)
  await page.locator('[data-test=case-status][data-status=district_review]').waitFor()
  ok((await page.locator('.el-breadcrumb').innerText()).includes('社会救助'), 'a case URL opens the drawer over 社会救助')
  const means = page.locator('[data-test=case-means]')
  await means.scrollIntoViewIfNeeded()
  const meansText = await means.innerText()
  ok(meansText.includes('医疗自付费用') && meansText.includes('合计 6,000.00') && meansText.includes('自付较高且未申报'),
    'the means check shows the head\'s self-paid medical costs, noted as not declared', meansText.slice(0, 400))
  ok(meansText.includes('不动产（住房）') && meansText.includes('全户 2 套') && meansText.includes('住房多于申报') &&
    (await means.locator('.flagged', { hasText: '不动产（住房）' }).count()) === 1, 'and the two houses against none declared, flagged', meansText.slice(0, 400))
  await shot(page, 'case-means')
  await page.locator('[data-test=case-act-approve]').click()
  await page.locator('[data-test=case-act-confirm]').click()
  await page.locator('[data-test=case-act-dialog] .el-form-item__error').waitFor()
  ok(true, 'approving without the decision text is stopped inline')
  await page.getByLabel('审批意见（书面告知申请人）').fill('经审核，家庭人均收入低于农村低保标准，予以批准。（测试）')
  await page.getByLabel('审批日期（默认今天）').fill('2026-09-15')
  await page.getByLabel('审批日期（默认今天）').press('Tab')
  await page.locator('[data-test=case-act-confirm]').click()
  await page.locator('[data-test=case-act-error]').waitFor()
  ok(true, 'a near relative declared: the decision before the spot visit is refused and said in the dialog')
  await page.keyboard.press('Escape')
  await step(page, 'spot_visit', { dates: { 入户调查日期: '2026-09-15' }, texts: { 调查情况: '区县入户抽查（测试）' }, staff: ['town'], status: 'district_review', path: 'spot-visit' })
  await step(page, 'approve', { dates: { '审批日期（默认今天）': '2026-09-15' }, texts: { '审批意见（书面告知申请人）': '经审核，家庭人均收入低于农村低保标准，予以批准。（测试）' }, status: 'approved', path: 'decision' })
  ok((await page.locator('[data-test=case-decision]').innerText()).includes('予以批准'), 'approved: the decision text is shown')
  await page.locator('[data-test=case-notice]').click()
  await page.locator('[data-test=notice-text]').waitFor()
  ok((await page.locator('[data-test=notice-text]').innerText()).includes(HEAD.name), 'the written notice names the applicant')
  await shot(page, 'notice')
  await page.keyboard.press('Escape')
  await page.locator('[data-test=notice-dialog]').waitFor({ state: 'hidden' })
  const notify = await step(page, 'notify', { dates: { 送达日期: '2026-09-16' }, texts: { '送达说明（如签收人）': '申请人签收' }, status: 'approved', path: 'notice' })
  ok(notify.note_zh === '直接送达（申请人签收）', 'the notice delivery is recorded with how it was given', JSON.stringify(notify))
  ok((await page.locator('[data-test=case-act-notify]').count()) === 0, 'the notice is recorded once: no button any more')
  // Enrolment is dated today (its start month follows the decision date).
  await step(page, 'enrol', { status: 'enrolled', path: 'enrol' })
  ok((await stepCount(page)) === 13, 'the timeline runs from the application to the enrolment (13)', String(await stepCount(page)))
  ok((await page.locator('[data-test=case-steps]').innerText()).includes('调查人员：town、civil'), 'the timeline shows the investigators')
  await shot(page, 'case-enrolled-civil')
  await page.locator('[data-test=case-steps]').scrollIntoViewIfNeeded()
  await shot(page, 'case-timeline-civil')
  await page.keyboard.press('Escape')
  await page.waitForURL(/\/assistance\/cases$/)
  await page.locator(`[data-test=ac-open-${caseId}]`).waitFor()
  ok((await page.locator('[data-test=ac-table] .el-table__row', { hasText: '已纳入发放' }).count()) === 1, 'the list shows the case enrolled')
  await shot(page, 'cases-civil')

  await page.locator('[data-test=menu-assistancePayments]').click()
  await page.locator('[data-test=pr-show]').click()
  await page.locator('[data-test=pr-empty]').waitFor()
  ok(true, 'payments: a month without a run shows the empty state')
  await page.locator('[data-test=pr-run]').click()
  const ran = page.waitForResponse((r) => r.url().includes('/api/v1/assistance/payment-runs') && r.request().method() === 'POST')
  await page.locator('.el-message-box').getByRole('button', { name: '确定' }).click()
  const rn = await ran
  ok(rn.status() === 200 || rn.status() === 201, 'payment run for last month answers', String(rn.status()))
  await page.locator('[data-test=pr-reconciled]').waitFor()
  ok((await page.locator('[data-test=pr-reconciled]').innerText()).includes('已平'), 'the run summary is reconciled')
  await shot(page, 'payments-civil')
  await bankFiles(page)
  // 首页: the towns coloured by the households assisted, and the trend.
  await page.locator('[data-test=menu-home]').click()
  await page.locator('[data-test=assist-trend] canvas').waitFor()
  const home = await page.locator('#main').innerText()
  ok(home.includes('低保、特困在保户数') && home.includes('近 12 个月在保户数'), 'home: the map and the trend show the households assisted', home.slice(0, 300))
  await shot(page, 'home-civil')
  await context.close()
}

// A refusal and its notice: a second household's application brought to
// the district through the API (120's dates), refused on the screen; the
// notice reads 不予批准 with the reasons; the refusal, not notified within 3
// working days, is under the overdue filter until its delivery is recorded.
async function refuseApplication(base) {
  const hh = await apiAs(base, 'civil', 'POST', '/api/v1/households', { number: 'BT0000002', address: { region_code: VILLAGE, detail: '朝阳社区 14 号' } })
  const r = await apiAs(base, 'civil', 'POST', '/api/v1/residents', {
    name: REFUSED.name, id_number: REFUSED.id, hukou_type: 'rural', residence: { region_code: VILLAGE, detail: '朝阳社区 14 号' }, household_id: hh.body.id, relation: 'head',
  })
  const c = await apiAs(base, 'town', 'POST', '/api/v1/assistance/cases', {
    scheme: 'dibao', household_id: hh.body.id, applicant: r.body.code, applied_on: '2026-08-03',
    members: [{ resident: r.body.code, relation: 'self' }], incomes: [{ resident: r.body.code, kind: 'wage', amount_fen: 30000 }],
  })
  const id = c.body.id
  for (const [tail, body] of [['investigation', { on: '2026-08-04' }], ['visit', { on: '2026-08-05', investigators: ['town', 'civil'], family_signed: true }],
    ['compute', { as_of: '2026-08-03' }], ['town-review', { on: '2026-08-06', opinion_zh: '拟同意（测试）' }], ['publicity', { on: '2026-08-07' }],
    ['publicity-close', { on: '2026-09-14' }]]) {
    const res = await apiAs(base, 'town', 'POST', `/api/v1/assistance/cases/${id}/${tail}`, body)
    if (!ok(res.status === 200, `second case: ${tail} through the API`, JSON.stringify(res.body))) throw new Error('no second case')
  }
  const { context, page } = await newPage(base)
  await loginUi(page, 'civil')
  await page.goto(`/assistance/cases/${id}`)
  await page.locator('[data-test=case-status][data-status=district_review]').waitFor()
  ok((await page.locator('[data-test=case-act-spot_visit]').count()) === 1, 'the district may spot-visit, even without a near relative')
  await step(page, 'refuse', { dates: { '审批日期（默认今天）': '2026-09-15' }, texts: { '审批意见（书面告知申请人）': '经抽查，家庭经营收入超过标准。（测试）' }, status: 'refused', path: 'decision' })
  await page.locator('[data-test=case-notice]').click()
  await page.locator('[data-test=notice-text]').waitFor()
  const text = await page.locator('[data-test=notice-text]').innerText()
  ok(text.includes('不予批准') && text.includes('家庭经营收入超过标准') && text.includes(REFUSED.name), 'the refusal notice gives the reasons', text.slice(0, 200))
  await shot(page, 'notice-refusal')
  await page.keyboard.press('Escape')
  await page.locator('[data-test=notice-dialog]').waitFor({ state: 'hidden' })
  ok(await page.locator('[data-test=case-overdue]').isVisible(), 'refused, not yet notified: overdue')
  await page.keyboard.press('Escape')
  await page.waitForURL(/\/assistance\/cases$/)
  await page.locator('[data-test=ac-overdue]').click()
  await page.locator(`[data-test=ac-overdue-${id}]`).waitFor()
  ok(true, 'the overdue filter lists the refusal not yet notified')
  await page.locator(`[data-test=ac-open-${id}]`).click()
  await step(page, 'notify', { dates: { 送达日期: '2026-09-16' }, status: 'refused', path: 'notice' })
  ok(!(await page.locator('[data-test=case-overdue]').isVisible()), 'notified: no longer overdue')
  await page.keyboard.press('Escape')
  await page.waitForURL(/\/assistance\/cases$/)
  await page.locator('[data-test=ac-search]').click()
  await page.locator(`[data-test=ac-open-${id}]`).waitFor({ state: 'detached' })
  ok(true, 'and it leaves the overdue list')
  await context.close()
  return id
}

async function handleAlert(base) {
  const { context, page } = await newPage(base)
  await loginUi(page, 'town')
  await page.locator('[data-test=menu-monitorTasks]').click()
  const row = page.locator('[data-test=mt-table] .el-table__row', { hasText: '新办一、二级残疾人证' })
  await row.waitFor()
  ok((await row.innerText()).includes('待核实'), '我的任务: the disability task is open')
  await shot(page, 'tasks-town')
  await row.getByRole('button', { name: '详情' }).click()
  await page.locator('[data-test=mt-subject]').waitFor()
  await page.locator('[data-test=mt-decide]').click()
  await page.locator('[data-test=mt-drawer]').getByText('请填写处置理由').waitFor()
  ok(true, 'deciding without a reason is stopped inline')
  await page.getByLabel('理由').fill('已入户核实，残疾人证属实，已告知可申请两项补贴（测试）')
  const decided = page.waitForResponse((r) => r.url().includes('/outcome'))
  await page.locator('[data-test=mt-decide]').click()
  ok((await decided).status() === 200, 'the outcome is recorded (200)')
  await row.waitFor({ state: 'detached' })
  ok(true, 'the decided task leaves 我的任务')
  await page.getByRole('tab', { name: '本镇任务' }).click()
  const done = page.locator('[data-test=mt-table] .el-table__row', { hasText: '排除（误报）' })
  await done.waitFor()
  ok((await done.innerText()).includes('已处置'), '本镇任务 shows it decided, with its outcome')
  await page.getByRole('tab', { name: '预警列表' }).click()
  const alertRow = page.locator('[data-test=mt-table] .el-table__row', { hasText: DISABLED.code })
  await alertRow.waitFor()
  ok(true, '预警列表 shows the alert')
  await shot(page, 'alerts-town')
  // 一户一条救助链: the household's alert and what the town decided.
  await alertRow.getByRole('button', { name: '详情' }).click()
  await page.locator('[data-test=mt-chain]').click()
  const chain = page.locator('[data-test=mt-chain-drawer]')
  await chain.getByText('一户一条救助链：BTD0001').waitFor()
  const chainText = await chain.innerText()
  ok(chainText.includes('新办一、二级残疾人证') && chainText.includes('排除（误报）') && chainText.includes('救助经过'), '救助链: the alert, its outcome and the (empty) assistance history', chainText.slice(0, 300))
  await shot(page, 'chain-town')
  await context.close()
}

async function townScope(base) {
  const { context, page } = await newPage(base)
  await loginUi(page, 'town')
  await page.goto(`/residents/${DONGLIN.code}`)
  await page.locator('[data-test=res-not-found]').waitFor()
  ok(!(await page.locator('[data-test=res-drawer]').innerText()).includes(DONGLIN.name), 'town caseworker: the other town\'s resident URL shows not-found, no data')
  await shot(page, 'resident-other-town')
  await page.goto(`/residents/${HEAD.code}`)
  await page.locator('[data-test=res-drawer]').getByText(HEAD.name).first().waitFor()
  ok(true, 'town caseworker: their own town\'s resident opens by URL')
  await context.close()
}

async function roles(base) {
  for (const user of ['admin', 'civil']) {
    const { context, page } = await newPage(base)
    await loginUi(page, user)
    ok((await page.locator('[data-test=menu-roles]').count()) === 0, `${user}: no 角色管理 in the menu`)
    await page.goto('/system/roles')
    await page.waitForURL((u) => new URL(u).pathname === '/')
    ok(true, `${user}: /system/roles sends them home`)
    await context.close()
  }
  const { context, page } = await newPage(base)
  await loginUi(page, 'secadmin')
  await page.locator('[data-test=menu-roles]').click()
  await page.locator('[data-test=ro-table] .el-table__row').first().waitFor()
  ok((await page.locator('[data-test=ro-table] .el-table__row').count()) === 8, 'roles: the eight roles are listed')
  ok(await page.locator('[data-test=ro-edit-auditor]').isDisabled(), 'roles: a system role cannot be edited')
  ok((await page.locator('[data-test=ro-table] .el-table__row', { hasText: 'town_caseworker' }).innerText()).includes('500110101'), 'roles: the town role shows its users\' scope')
  await shot(page, 'roles-secadmin')
  await page.locator('[data-test=ro-view-town_caseworker]').click()
  const drawer = page.locator('[data-test=ro-drawer]')
  await drawer.locator('[data-test="ro-menus-registry:resident:read"]').waitFor()
  ok((await drawer.locator('[data-test="ro-menus-registry:resident:read"]').innerText()).includes('居民查询'), 'roles: a permission shows the menu it opens')
  ok((await drawer.locator('.el-table__row', { hasText: 'registry:resident:export' }).innerText()).includes('按钮权限'), 'roles: registry:resident:export is a button permission')
  await shot(page, 'role-drawer-secadmin')
  await page.keyboard.press('Escape')
  await page.locator('[data-test=ro-edit-health_officer]').click()
  await page.locator('[data-test="ro-perm-registry:resident:export"]').click()
  ok((await page.locator('[data-test="ro-perm-audit:read"]').count()) === 0, 'roles: reserved permissions are not offered to a business role')
  await page.locator('[data-test=ro-save]').click()
  await page.locator('[data-test=ro-edit-dialog]').getByText('请填写修改理由').waitFor()
  await page.getByLabel('修改理由').fill('卫健需导出居民名单（测试）')
  const saved = page.waitForResponse((r) => r.url().includes('/api/v1/roles/health_officer/permissions'))
  await page.locator('[data-test=ro-save]').click()
  ok((await saved).status() === 200, 'roles: the change is saved (200)')
  const r = await apiAs(base, 'secadmin', 'GET', '/api/v1/roles')
  ok(r.body.items.find((x) => x.name === 'health_officer').permissions.includes('registry:resident:export'), 'roles: the server holds the new permission')
  await context.close()
}

async function exportExcel(base) {
  const { context, page } = await newPage(base)
  await loginUi(page, 'civil')
  await page.locator('[data-test=menu-residents]').click()
  await page.locator('[data-test=res-table] .el-table__row').first().waitFor()
  await page.locator('[data-test=res-export]').click()
  await page.locator('[data-test=export-confirm]').click()
  await page.locator('[data-test=export-dialog]').getByText('请填写导出用途').waitFor()
  ok(true, 'export: the purpose is required')
  await page.getByLabel('导出用途').fill('低保年度复核名单（测试）')
  const dl = page.waitForEvent('download')
  await page.locator('[data-test=export-confirm]').click()
  const file = await dl
  const saved = path.join(work.tmp, file.suggestedFilename())
  await file.saveAs(saved)
  ok(/^residents-\d{8}\.xlsx$/.test(file.suggestedFilename()) && fs.readFileSync(saved).subarray(0, 2).toString() === 'PK', 'export: the server\'s workbook is downloaded', file.suggestedFilename())
  await context.close()
  const other = await newPage(base)
  await loginUi(other.page, 'hrss')
  await other.page.locator('[data-test=menu-residents]').click()
  await other.page.locator('[data-test=res-table]').waitFor()
  ok((await other.page.locator('[data-test=res-export]').count()) === 0, 'export: no button without registry:resident:export')
  await other.context.close()
}

async function english(base, caseId) {
  const { context, page } = await newPage(base)
  await loginUi(page, 'civil')
  await page.getByText('English', { exact: true }).click()
  await page.goto(`/assistance/cases/${caseId}`)
  await page.locator('[data-test=case-status][data-status=refused]').waitFor()
  const drawer = await page.locator('[data-test=case-drawer]').innerText()
  ok(!/\b(assistance|caseStatus|caseAction|caseActionField|step|determination|delivery|scheme)\.[a-zA-Z]/.test(drawer) && drawer.includes('Refused'), 'the case drawer in English: no raw keys', drawer.slice(0, 300))
  await shot(page, 'case-en')
  await page.keyboard.press('Escape')
  for (const name of ['assistanceCases', 'assistancePayments', 'monitorTasks']) {
    await page.locator(`[data-test=menu-${name}]`).click()
    await page.locator('#main .el-card').first().waitFor()
    await page.locator('.el-loading-mask').first().waitFor({ state: 'hidden' }).catch(() => {})
    const text = await page.locator('#main').innerText()
    ok(!/\b(assistance|tasks|caseStatus|scheme|roles|taskStatus|outcome|page)\.[a-zA-Z]/.test(text), `${name} in English: no raw keys`, text.slice(0, 300))
  }
  await shot(page, 'tasks-en')
  await page.getByText('中文', { exact: true }).click()
  await context.close()
}

// 银行代发文件 on 救助金发放 (the month's run is there): make the file, which
// downloads with the full account number; the bank's return file pays its
// line; a bad return file names its line; the file can be fetched again.
async function bankFiles(page) {
  let dl = page.waitForEvent('download')
  await page.locator('[data-test=bank-make]').click()
  await page.locator('.el-message-box').getByRole('button', { name: '确定' }).click()
  const made = await dl
  const saved = path.join(work.tmp, made.suggestedFilename())
  await made.saveAs(saved)
  const csv = fs.readFileSync(saved, 'utf8')
  const rows = csv.trim().split('\n')
  ok(/^bank-dibao-\d{4}-\d{2}-\d+\.csv$/.test(made.suggestedFilename()) && rows[0].startsWith('reference,household,payee,account') && csv.includes(',6217000099998888,'),
    'bank file: made and downloaded, with the full account number', `${made.suggestedFilename()} ${rows.length} rows`)
  const listed = page.locator('[data-test=bank-files] .el-table__row')
  await listed.first().waitFor()
  ok(!(await page.locator('#app').innerText()).includes('6217000099998888'), 'bank file: the page itself never shows the account number')
  await shot(page, 'bank-files-civil')

  const bad = path.join(work.tmp, 'return-bad.csv')
  fs.writeFileSync(bad, '999999999,paid,\n')
  await page.locator('[data-test=bank-return-file]').setInputFiles(bad)
  await page.locator('[data-test=pr-error]', { hasText: '回盘文件第 1 行' }).waitFor()
  ok(true, 'bank return: a line naming no payment refuses the file and says which line')

  const good = path.join(work.tmp, 'return.csv')
  const refs = rows.slice(1).map((r) => r.split(',')[0])
  fs.writeFileSync(good, `reference,result,reason\n${refs.map((r) => `${r},paid,`).join('\n')}\n`)
  await page.locator('[data-test=bank-return-file]').setInputFiles(good)
  await page.locator('[data-test=bank-result]', { hasText: `成功 ${refs.length} 笔` }).waitFor()
  ok(true, `bank return: the ${refs.length} line(s) are paid`)

  dl = page.waitForEvent('download')
  await page.locator('[data-test^=bank-get-]').first().click()
  const again = await dl
  const saved2 = path.join(work.tmp, `again-${again.suggestedFilename()}`)
  await again.saveAs(saved2)
  ok(fs.readFileSync(saved2, 'utf8') === csv, 'bank file: downloaded again, it is the same file')
}

async function main() {
  prepare(work, USERS)
  const base = await startOn(work)
  await seed(base)
  browser = await launchChromium(chromium)
  const caseId = await takeApplication(base)
  await approveApplication(base, caseId)
  const refusedId = await refuseApplication(base)
  await handleAlert(base)
  await townScope(base)
  await roles(base)
  await exportExcel(base)
  await english(base, refusedId)
  await onlineApplication(base)
}

await run(work, main, () => browser)
