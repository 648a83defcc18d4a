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
// which the monitoring scan turns into an alert and a task for 万东镇. Then:
//   - the town caseworker takes an application through the form: the
//     applicant found by pinyin, the household's members filled in; a member
//     left out without a reason is stopped on the page, a future application
//     date comes back from the API and is shown on that input; the case is
//     taken and computed from the detail drawer's buttons;
//   - the district caseworker opens the case by its URL, approves it (the
//     decision text is required) and enrols it; the payment-run screen shows
//     a month's run reconciled;
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
//   - the new screens in English carry no raw keys.
// Screenshots: build/screenshots/casework-*.png.
import { execFileSync } from 'node:child_process'
import path from 'node:path'
import fs from 'node:fs'
import {
  PASSWORD, idNumber, ok, requirePrerequisites, workdir, cli as cliOn,
  startServer as startOn, run, launchChromium, prepare, shot as harnessShot, shotDir, repo,
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
  for (const [r, region] of [[DONGLIN, '500110002001'], [DISABLED, VILLAGE]]) {
    const res = await apiAs(base, 'civil', 'POST', '/api/v1/residents', { name: r.name, id_number: r.id, hukou_type: 'urban', residence: { region_code: region, detail: '测试地址 1 号' } })
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
}

// The town caseworker takes and computes an application through the screens.
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
  await page.locator('[data-test=cn-submit]').click()
  await form.getByText('不计入家庭的成员须填写理由').waitFor()
  ok(true, 'new application: a member left out without a reason is stopped inline')
  await page.locator(`[data-test=cn-reason-${CHILD.code}]`).fill('在外地服兵役（测试）')
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
  await page.getByLabel('申请日期').fill(daysFromNow(0))
  await page.getByLabel('申请日期').press('Enter')
  const created = page.waitForResponse((r) => r.url().endsWith('/api/v1/assistance/cases') && r.request().method() === 'POST')
  await page.locator('[data-test=cn-submit]').click()
  const cr = await created
  const caseId = (await cr.json()).id
  ok(cr.status() === 201 && caseId > 0, 'the application is taken (201)', String(cr.status()))
  await page.waitForURL(new RegExp(`/assistance/cases/${caseId}$`))
  const status = page.locator('[data-test=case-status]')
  await status.waitFor()
  ok((await status.getAttribute('data-status')) === 'draft', 'the case opens in its drawer, 已受理')
  ok(!(await page.locator('#app').innerText()).includes('6217000099998888'), 'the bank account is never shown in full')
  ok((await page.locator('[data-test=case-act-approve]').count()) === 0, 'a town caseworker gets no approve button')
  await page.locator('[data-test=case-act-compute]').click()
  await page.locator('[data-test=case-act-confirm]').click()
  await page.locator('[data-test=case-status][data-status=computed]').waitFor()
  ok(/\d/.test(await page.locator('[data-test=case-amount]').innerText()), 'computed: the monthly amount is shown')
  ok((await page.locator('[data-test=case-steps] .el-timeline-item').count()) === 2, 'the progress shows taken and computed')
  await shot(page, 'case-computed-town')
  await context.close()
  return caseId
}

async function approveApplication(base, caseId) {
  const { context, page } = await newPage(base)
  await loginUi(page, 'civil')
  await page.goto(`/assistance/cases/${caseId}`)
  await page.locator('[data-test=case-status][data-status=computed]').waitFor()
  ok((await page.locator('.el-breadcrumb').innerText()).includes('社会救助'), 'a case URL opens the drawer over 社会救助')
  await page.locator('[data-test=case-act-approve]').click()
  await page.locator('[data-test=case-act-confirm]').click()
  await page.locator('[data-test=case-act-dialog] .el-form-item__error').waitFor()
  ok(true, 'approving without the decision text is stopped inline')
  await page.getByLabel('审批意见（书面告知申请人）').fill('经审核，家庭人均收入低于农村低保标准，予以批准。（测试）')
  await page.locator('[data-test=case-act-confirm]').click()
  await page.locator('[data-test=case-status][data-status=approved]').waitFor()
  ok((await page.locator('[data-test=case-decision]').innerText()).includes('予以批准'), 'approved: the decision text is shown')
  await page.locator('[data-test=case-act-enrol]').click()
  await page.locator('[data-test=case-act-confirm]').click()
  await page.locator('[data-test=case-status][data-status=enrolled]').waitFor()
  ok(true, 'enrolled from the detail drawer')
  await shot(page, 'case-enrolled-civil')
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
  await context.close()
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
  await page.locator('[data-test=mt-table] .el-table__row', { hasText: DISABLED.code }).waitFor()
  ok(true, '预警列表 shows the alert')
  await shot(page, 'alerts-town')
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

async function english(base) {
  const { context, page } = await newPage(base)
  await loginUi(page, 'civil')
  await page.getByText('English', { exact: true }).click()
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

async function main() {
  prepare(work, USERS)
  const base = await startOn(work)
  await seed(base)
  browser = await launchChromium(chromium)
  const caseId = await takeApplication(base)
  await approveApplication(base, caseId)
  await handleAlert(base)
  await townScope(base)
  await roles(base)
  await exportExcel(base)
  await english(base)
}

await run(work, main, () => browser)
