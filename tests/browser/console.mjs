// console.mjs - the web console in a real browser against a real server.
//
//   node tests/browser/console.mjs --minsheng build/minsheng --web-root web/dist
//   (scripts/web.sh test BUILD/minsheng builds web/dist first; ctest runs that)
//
// Starts `minsheng serve` on 127.0.0.1:0 over a temporary SQLite database
// (migrated, place names imported, one user per role, two residents created
// through the API by a civil-affairs caseworker: one in 万东镇, one in
// 东林街道), then drives Debian's chromium with playwright-core:
//   - each role logs in and sees exactly its menu;
//   - a resident is found by pinyin; the full ID is revealed with a purpose,
//     and the auditor finds that reveal, with its purpose, in the audit log;
//   - a town caseworker (scope 500110101) never sees the other town's resident;
//   - a lost session sends the user back to the login page;
//   - the lock-out message is the API's own;
//   - static serving: hashed assets cached for a year, history fallback;
//   - data exchange: an exchange officer (policy set so that rows without an
//     ID number go to review) sees the uploaded cremation file's batch and
//     its quarantine reasons, re-uploads it ("already imported"), corrects
//     a quarantined row (a bad 死亡日期: first still wrong, refused on that
//     input; then right, and it leaves the open list), accepts a review
//     pair (it leaves the queue) and meets a 409 when a civil-affairs
//     caseworker decided the other pair first; the screens in English;
//   - system screens: the security administrator sees 在线用户 and forces
//     another user's session (a second browser context) to log out, and
//     that context is sent back to login on its next action; the auditor
//     finds a failed login in 登录日志 and the forced logout in 操作日志 by
//     its Chinese name; the system administrator sees 服务监控's charts.
// Screenshots of the main pages go to build/screenshots/. Everything the test
// starts is stopped and waited for, also on failure. The closing line is
// "N passed, M failed"; a missing chromium is a failure, not a skip.
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import {
  PASSWORD, idNumber, ok, bail, requirePrerequisites, workdir, cli as cliOn,
  startServer as startOn, run, launchChromium, prepare, shot, shotDir, repo,
} from './lib/harness.mjs'

// --- preconditions: fail clearly ------------------------------------------
const chromium = requirePrerequisites('index.html')
const fonts = execFileSync('fc-list', [':lang=zh'], { encoding: 'utf8' })
if (!fonts.trim()) bail('no CJK font (fc-list :lang=zh is empty): install fonts-wqy-microhei (scripts/deps.sh web)')

const work = workdir('ms-browser.')
let browser = null
const cli = (args, input) => cliOn(work.db, args, input)
const startServer = () => startOn(work)

async function tokenFor(base, username) {
  const s = await fetch(`${base}/api/v1/session`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username, password: PASSWORD }) })
  return (await s.json()).token
}

async function apiAs(base, username, method, p, body) {
  const token = await tokenFor(base, username)
  const r = await fetch(`${base}${p}`, { method, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: body && JSON.stringify(body) })
  return { status: r.status, body: await r.json().catch(() => null) }
}

const USERS = [
  ['admin', 'admin'], ['secadmin', 'security_admin'], ['auditor', 'auditor'], ['civil', 'civil_caseworker'],
  ['town', 'town_caseworker', '500110101'], ['hrss', 'hrss_officer'], ['health', 'health_officer'], ['locky', 'hrss_officer'],
  ['exchange', 'exchange_officer'], ['kicked', 'hrss_officer'],
]
const EXCHANGE_PAGES = ['exchangeFeeds', 'exchangeBatches', 'exchangeQuarantine', 'exchangeReviews']
// What each role's menu must hold (data-test="menu-*"), and nothing else.
const MENUS = {
  admin: ['home', 'policy', 'jobs', 'monitor'],
  secadmin: ['home', 'users', 'roles', 'policy', 'online'],
  auditor: ['home', 'policy', 'audit', 'loginLog'],
  civil: ['home', 'residents', 'assistanceCases', 'assistancePayments', 'assistanceReviews', 'assistanceRecoveries', 'monitorTasks', 'policy', ...EXCHANGE_PAGES],
  exchange: ['home', 'residents', 'policy', ...EXCHANGE_PAGES],
  town: ['home', 'residents', 'assistanceCases', 'assistanceReviews', 'assistanceRecoveries', 'monitorTasks', 'policy'],
  hrss: ['home', 'residents', 'policy'],
  health: ['home', 'residents', 'policy'],
}
const DEPTS = { admin: 'dept-system', secadmin: 'dept-system', civil: 'dept-civil', town: 'dept-civil', hrss: 'dept-hrss', health: 'dept-health', auditor: 'dept-system', exchange: 'dept-exchange' }

const WANDONG = { name: '王建国', pinyin: 'wangjianguo', id: idNumber('50011019800315123'), region: '500110101001', detail: '朝阳社区 8 号' }
const DONGLIN = { name: '李秀英', pinyin: 'lixiuying', id: idNumber('50011019900708224'), region: '500110002001', detail: '华庭社区 3 栋' }

// A funeral home's file (feed "cremation", docs/exchange.md), all synthetic:
// H001 has 王建国's ID number (linked exactly); H002 and H004 have no ID
// number and a homophone name (汪/王, 瑛/英), so with the thresholds set
// below they go to review; H003 has a 死亡日期 that is no date (quarantined).
const CREMATION_FILE = 'cremation-2025-10.csv'
const CREMATION = [
  '火化证号,逝者姓名,证件号码,性别,出生日期,死亡日期,火化日期,家属联系电话',
  `H001,王建国,${WANDONG.id},男,1980-03-15,2025-10-01,2025-10-03,`,
  'H002,汪建国,,男,1980-03-15,2025-10-02,2025-10-04,13800138000',
  `H003,李秀英,${DONGLIN.id},女,1990-07-08,2025-13-01,,`,
  'H004,李秀瑛,,女,1990-07-08,2025-10-05,,',
  '',
].join('\n')

async function newPage(base) {
  const context = await browser.newContext({ viewport: { width: 1366, height: 860 }, locale: 'zh-CN', baseURL: base })
  const page = await context.newPage()
  page.on('pageerror', (e) => ok(false, `no page error`, e.message))
  return { context, page }
}

async function loginUi(page, username, password = PASSWORD) {
  await page.goto('/login')
  await page.getByLabel('用户名').fill(username)
  await page.getByLabel('密码', { exact: true }).fill(password)
  await page.locator('[data-test=login-submit]').click()
}

// Clicks 查询 and waits for the answer to that very search (the table may
// still show the previous list until it arrives).
async function searchFor(page, q) {
  const answered = page.waitForResponse((r) => r.url().includes('/api/v1/residents?') && new URL(r.url()).searchParams.get('q') === q)
  await page.locator('[data-test=res-search]').click()
  await answered
  await page.locator('[data-test=res-table] .el-loading-mask').waitFor({ state: 'hidden' }).catch(() => {})
}

async function main() {
  prepare(work, USERS)
  // No automatic probabilistic link, and any plausible candidate to review: a row
  // without an ID number then always lands in the queue (docs/exchange.md).
  cli(['policy', 'set', 'exchange.link_match_probability', '2', '--from', '2020-01-01', '--source', 'browser test'])
  cli(['policy', 'set', 'exchange.link_review_probability', '0.05', '--from', '2020-01-01', '--source', 'browser test'])
  const base = await startServer()

  // Static serving, as a browser sees it.
  const index = await fetch(`${base}/residents/some/deep/link`)
  ok(index.status === 200 && index.headers.get('content-type').startsWith('text/html') && index.headers.get('cache-control') === 'no-cache', 'history fallback: a console path gets index.html, no-cache')
  const asset = (await index.text()).match(/\/assets\/[^"]+\.js/)[0]
  const a = await fetch(`${base}${asset}`)
  ok(a.status === 200 && a.headers.get('content-type').startsWith('text/javascript') && a.headers.get('cache-control') === 'public, max-age=31536000, immutable', `hashed asset ${asset} is cached for a year`)
  const api404 = await fetch(`${base}/api/v1/no-such-route`)
  ok(api404.status === 404 && (await api404.json()).error.code === 'not_found', 'an unknown API path stays a JSON 404')

  // Residents, created through the API by a civil-affairs caseworker.
  for (const r of [WANDONG, DONGLIN]) {
    const res = await apiAs(base, 'civil', 'POST', '/api/v1/residents', {
      name: r.name, id_number: r.id, hukou_type: 'rural', phone: '13800138000', residence: { region_code: r.region, detail: r.detail },
    })
    if (!ok(res.status === 201, `civil caseworker registers ${r.name}`, JSON.stringify(res.body))) throw new Error('cannot create residents')
    r.code = res.body.code
  }

  // The cremation file, uploaded through the API by the exchange officer.
  const exToken = await tokenFor(base, 'exchange')
  const up = await fetch(`${base}/api/v1/exchange/batches?feed=cremation&file_name=${CREMATION_FILE}`, {
    method: 'POST', headers: { Authorization: `Bearer ${exToken}`, 'Content-Type': 'application/octet-stream' }, body: Buffer.from(CREMATION),
  })
  const batch = await up.json()
  if (!ok(up.status === 201 && batch.quarantined === 1 && batch.sent_to_review === 2 && batch.linked_exact === 1, 'exchange officer imports the cremation file: 1 quarantined, 2 to review, 1 exact', JSON.stringify(batch))) {
    throw new Error('cannot set up the exchange data')
  }

  browser = await launchChromium(chromium)

  // Each role sees its menu.
  for (const [user, want] of Object.entries(MENUS)) {
    const { context, page } = await newPage(base)
    await loginUi(page, user)
    await page.locator('[data-test=who]').waitFor()
    const have = await page.locator('[data-test^=menu-]').evaluateAll((els) => els.map((e) => e.getAttribute('data-test').slice(5)))
    ok(JSON.stringify([...have].sort()) === JSON.stringify([...want].sort()), `${user}: menu is ${want.join(', ')}`, `got ${have.join(', ')}`)
    if (DEPTS[user]) ok(await page.locator(`[data-test=${DEPTS[user]}]`).isVisible(), `${user}: department group ${DEPTS[user]}`)
    if (user === 'admin') {
      await page.locator('[data-test=town-map] canvas').waitFor()
      ok(true, 'admin: the dashboard draws the town map')
      await shot(page, 'dashboard-admin')
      await page.locator('[data-test=menu-policy]').click()
      await page.locator('[data-test=po-table] .el-table__row').first().waitFor()
      ok((await page.locator('[data-test=po-table] .el-table__row').count()) > 5, 'admin: policy parameters are listed')
      await shot(page, 'policy-admin')
    }
    if (user === 'secadmin') {
      await page.locator('[data-test=menu-users]').click()
      await page.locator('[data-test=user-table] .el-table__row').first().waitFor()
      ok((await page.locator('[data-test=user-table] .el-table__row').count()) === USERS.length, 'secadmin: every user is listed')
      await shot(page, 'users-secadmin')
    }
    await context.close()
  }

  // Search by pinyin, open the record, reveal the full ID with a purpose.
  const purpose = `低保审核核对身份-${Date.now()}`
  {
    const { context, page } = await newPage(base)
    await loginUi(page, 'civil')
    await page.locator('[data-test=menu-residents]').click()
    await page.getByLabel('关键词').fill(WANDONG.pinyin)
    await searchFor(page, WANDONG.pinyin)
    const row = page.locator('[data-test=res-table] .el-table__row', { hasText: WANDONG.name })
    await row.waitFor()
    ok((await page.locator('[data-test=res-table] .el-table__row').count()) === 1, `pinyin "${WANDONG.pinyin}" finds ${WANDONG.name} only`)
    const masked = await row.locator('td').nth(4).innerText()
    ok(masked.includes('*') && !masked.includes(WANDONG.id), 'the list shows the ID masked', masked)
    await shot(page, 'residents-civil')
    await page.locator(`[data-test=res-detail-${WANDONG.code}]`).click()
    await page.locator('[data-test=res-reveal]').click()
    await page.locator('[data-test=reveal-confirm]').click()
    const refused = await page.getByText('请填写查询用途').waitFor({ timeout: 5000 }).then(() => true, () => false)
    ok(refused, 'reveal without a purpose is refused in the form')
    await page.getByLabel('查询用途').fill(purpose)
    await page.locator('[data-test=reveal-confirm]').click()
    await page.locator('[data-test=res-id-number]', { hasText: WANDONG.id }).waitFor()
    ok(true, 'the full ID number is shown after stating a purpose')
    await shot(page, 'resident-drawer-civil')

    // The session ends (cookie gone): the next call brings the login page.
    await page.keyboard.press('Escape')
    await context.clearCookies()
    await page.locator('[data-test=res-search]').click()
    await page.waitForURL(/\/login\?/)
    ok(await page.getByText('会话已过期，请重新登录').isVisible(), 'a 401 sends the user back to login with a notice')
    await context.close()
  }

  // The auditor finds the reveal, with its purpose.
  {
    const { context, page } = await newPage(base)
    await loginUi(page, 'auditor')
    await page.locator('[data-test=menu-audit]').click()
    await page.getByLabel('操作', { exact: true }).fill('resident.reveal_id')
    await page.locator('[data-test=au-search]').click()
    const row = page.locator('[data-test=au-table] .el-table__row', { hasText: purpose })
    await row.waitFor()
    ok((await row.innerText()).includes('civil'), 'the auditor sees the reveal, its purpose and who did it')
    await shot(page, 'audit-auditor')
    await context.close()
  }

  // A town caseworker sees only their own town.
  {
    const { context, page } = await newPage(base)
    await loginUi(page, 'town')
    await page.locator('[data-test=menu-residents]').click()
    await page.locator('[data-test=res-table] .el-table__row').first().waitFor()
    const names = await page.locator('[data-test=res-table] .el-table__row').allInnerTexts()
    ok(names.some((n) => n.includes(WANDONG.name)) && !names.some((n) => n.includes(DONGLIN.name)), 'town caseworker lists 万东镇 only', names.join(' | '))
    await page.getByLabel('关键词').fill(DONGLIN.pinyin)
    await searchFor(page, DONGLIN.pinyin)
    ok((await page.locator('[data-test=res-table] .el-table__row').count()) === 0, `town caseworker's search for "${DONGLIN.pinyin}" finds nothing`)
    const direct = await page.evaluate((code) => fetch(`/api/v1/residents/${code}`, { credentials: 'same-origin' }).then((r) => r.status), DONGLIN.code)
    ok(direct === 404, 'and the record of the other town is a 404 even by code', String(direct))
    await context.close()
  }

  // Lock-out: the API's message, as it is.
  {
    const { context, page } = await newPage(base)
    for (let i = 0; i < 6; i++) {
      await loginUi(page, 'locky', 'wrong-password')
      await page.locator('[data-test=login-error]').waitFor()
    }
    const msg = await page.locator('[data-test=login-error]').innerText()
    ok(msg.includes('锁定'), 'after repeated failures the lock-out message is shown', msg)
    await shot(page, 'login-locked')
    // English switch on the login page.
    await page.getByText('English', { exact: true }).click()
    ok(await page.getByRole('button', { name: 'Log in' }).isVisible(), 'the language switch turns the page to English')
    await context.close()
  }

  await systemScreens(base)
  await exchangeScreens(base, batch.id)
}

async function systemScreens(base) {
  // 在线用户: the security administrator ends another user's session.
  const victim = await newPage(base)
  await loginUi(victim.page, 'kicked')
  await victim.page.locator('[data-test=who]').waitFor()
  await victim.page.locator('[data-test=menu-residents]').click()
  await victim.page.locator('[data-test=res-table]').waitFor()

  const { context, page } = await newPage(base)
  await loginUi(page, 'secadmin')
  await page.locator('[data-test=menu-online]').click()
  const row = page.locator('[data-test=ol-table] .el-table__row', { hasText: 'kicked' })
  await row.waitFor()
  const mine = page.locator('[data-test=ol-table] .el-table__row', { hasText: '当前会话' })
  ok((await mine.count()) === 1 && (await mine.getByRole('button').count()) === 0, 'online: the own session is marked and has no force-logout button')
  ok((await row.innerText()).includes('人社经办人') && (await row.innerText()).includes('127.0.0.1'), 'online: the other session shows its role and address', await row.innerText())
  ok(!(await page.locator('#main').innerText()).match(/[A-Za-z0-9_-]{43}/), 'online: no token on the page')
  await shot(page, 'online-secadmin')
  await page.locator('[data-test=ol-revoke-kicked]').click()
  const revoked = page.waitForResponse((r) => r.request().method() === 'DELETE' && r.url().includes('/api/v1/sessions/'))
  await page.locator('.el-message-box').getByRole('button', { name: '确定' }).click()
  ok((await revoked).status() === 204, 'online: force logout succeeds (204)')
  await row.waitFor({ state: 'detached' })
  ok(true, 'online: the ended session leaves the list')
  await context.close()

  // The victim's next action brings the login page, cleanly.
  await victim.page.locator('[data-test=res-search]').click()
  await victim.page.waitForURL(/\/login\?/)
  ok(await victim.page.getByText('会话已过期，请重新登录').isVisible(), 'the revoked session goes back to login with a notice on its next action')
  await victim.context.close()

  // 登录日志: a failed login, found by the auditor, by keyboard.
  const bad = await fetch(`${base}/api/v1/session`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: 'kicked', password: 'not-the-password-1' }) })
  ok(bad.status === 401, 'a wrong password for kicked is refused')
  {
    const { context, page } = await newPage(base)
    await loginUi(page, 'auditor')
    await page.locator('[data-test=menu-loginLog]').click()
    await page.locator('[data-test=ll-table] .el-table__row').first().waitFor()
    await page.locator('[data-test=ll-result]').click()
    await page.locator('.el-select-dropdown__item:visible', { hasText: '失败' }).click()
    await page.getByLabel('用户名').fill('kicked')
    const answered = page.waitForResponse((r) => r.url().includes('/api/v1/audit/logins?') && r.url().includes('user=kicked'))
    await page.getByLabel('用户名').press('Enter')
    await answered
    const failedRow = page.locator('[data-test=ll-table] .el-table__row', { hasText: '密码错误' })
    await failedRow.waitFor()
    ok((await page.locator('[data-test=ll-table] .el-table__row').count()) === 1 && (await failedRow.innerText()).includes('失败'), 'login log: the failed login is listed, filtered by user and result (Enter searches)')
    await shot(page, 'login-log-auditor')
    await page.locator('[data-test=ll-result]').click()
    await page.locator('.el-select-dropdown__item:visible', { hasText: '锁定' }).click()
    await page.getByLabel('用户名').fill('locky')
    await page.locator('[data-test=ll-search]').click()
    await page.locator('[data-test=ll-table] .el-table__row', { hasText: '此次失败导致账号锁定' }).waitFor()
    ok(true, 'login log: the failure that locked an account says so')
    await page.getByRole('button', { name: '重置' }).click()
    await page.locator('[data-test=ll-table] .el-table__row', { hasText: '被强制退出' }).first().waitFor()
    ok((await page.locator('[data-test=ll-table] .el-table__row', { hasText: '被强制退出' }).first().innerText()).includes('secadmin'), 'login log: the forced logout shows who did it')

    // 操作日志: the same revocation, by its Chinese name.
    await page.locator('[data-test=menu-audit]').click()
    await page.locator('[data-test=au-table] .el-table__row').first().waitFor()
    ok((await page.locator('.el-breadcrumb').innerText()).includes('系统管理') && (await page.locator('.el-breadcrumb').innerText()).includes('操作日志'), 'the audit log is 操作日志 under 系统管理')
    await page.getByLabel('操作', { exact: true }).fill('session.revoke')
    await page.locator('[data-test=au-search]').click()
    const rv = page.locator('[data-test=au-table] .el-table__row', { hasText: '强制退出' })
    await rv.waitFor()
    ok((await rv.first().innerText()).includes('session.revoke') && (await rv.first().innerText()).includes('kicked'), 'operation log: session.revoke shows as 强制退出 with its subject')
    await shot(page, 'operation-log-auditor')
    await context.close()
  }

  // 服务监控: cards, two charts and the route table.
  {
    const { context, page } = await newPage(base)
    await loginUi(page, 'admin')
    await page.locator('[data-test=menu-monitor]').click()
    await page.locator('[data-test=mo-req-chart] canvas').waitFor()
    await page.locator('[data-test=mo-lat-chart] canvas').waitFor()
    ok(true, 'monitor: both charts are drawn')
    ok((await page.locator('[data-test=mo-table] .el-table__row').count()) > 3, 'monitor: the routes called so far are listed')
    ok((await page.locator('[data-test=mo-version]').innerText()).includes('sqlite'), 'monitor: the version card names the engine')
    ok(/\d/.test(await page.locator('[data-test=mo-memory]').innerText()), 'monitor: memory is shown')
    await shot(page, 'monitor-admin')
    await page.getByText('English', { exact: true }).click()
    await page.locator('[data-test=mo-req-chart] canvas').waitFor()
    const text = await page.locator('#main').innerText()
    ok(!/\bmonitor\.[a-zA-Z]/.test(text) && !/[\u4e00-\u9fff]{2,}/.test(text), 'monitor in English: no raw keys, no Chinese labels', text.slice(0, 300))
    await shot(page, 'monitor-admin-en')
    await page.getByText('中文', { exact: true }).click()
    await context.close()
  }
}

// The text of an open review pair whose feed row has this name: its id.
async function reviewIdFor(base, name) {
  const r = await apiAs(base, 'exchange', 'GET', '/api/v1/exchange/reviews?status=open')
  const it = r.body.items.find((x) => x.record && x.record.name === name)
  return it ? it.id : 0
}

async function exchangeScreens(base, batchId) {
  const { context, page } = await newPage(base)
  await loginUi(page, 'exchange')
  await page.locator('[data-test=who]').waitFor()

  // 导入批次: the batch, its reasons, and the same file again.
  await page.locator('[data-test=menu-exchangeBatches]').click()
  const batchRow = page.locator('[data-test=bt-table] .el-table__row', { hasText: CREMATION_FILE })
  await batchRow.waitFor()
  ok((await batchRow.innerText()).includes('殡仪馆火化信息'), 'batches: the cremation batch is listed with its feed title')
  await shot(page, 'exchange-batches')
  await page.locator(`[data-test=bt-detail-${batchId}]`).click()
  await page.locator('[data-test=bt-reasons]').getByText('日期无效').waitFor()
  ok(true, 'batch drawer: the quarantine reason is shown in Chinese')
  await shot(page, 'exchange-batch-drawer')
  await page.keyboard.press('Escape')
  await page.locator('[data-test=bt-drawer]').waitFor({ state: 'hidden' })
  await page.locator('[data-test=bt-upload]').click()
  await page.locator('[data-test=up-submit]').click()
  // The message, not the select's placeholder of the same words (which
  // may or may not be rendered yet).
  ok(await page.locator('.el-form-item__error', { hasText: '请选择数据源' }).waitFor({ timeout: 5000 }).then(() => true, () => false), 'upload: the feed is required, said on the form')
  await page.locator('[data-test=up-feed]').click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: '殡仪馆火化信息' }).click()
  await page.locator('[data-test=up-file]').setInputFiles({ name: CREMATION_FILE, mimeType: 'text/csv', buffer: Buffer.from(CREMATION) })
  await page.locator('[data-test=up-submit]').click()
  await page.locator('[data-test=upload-already]').waitFor()
  ok((await page.locator('[data-test=upload-already]').innerText()).includes(`批次 #${batchId}`), 'upload: the same file again is "already imported", with its batch')
  await shot(page, 'exchange-upload-again')
  await page.keyboard.press('Escape')

  // 数据源: the feeds, one expanded.
  await page.locator('[data-test=menu-exchangeFeeds]').click()
  const feedRow = page.locator('[data-test=fd-table] .el-table__row', { hasText: 'cremation' }).first()
  await feedRow.waitFor()
  ok((await page.locator('[data-test=fd-table] > .el-table__inner-wrapper > .el-table__body-wrapper .el-table__row').count()) >= 10, 'feeds: the built-in feeds are listed')
  await feedRow.locator('.el-table__expand-icon').click()
  await page.locator('[data-test=fd-cols-cremation]').getByText('死亡日期').waitFor()
  ok(true, 'feeds: a feed expands to its columns')
  await shot(page, 'exchange-feeds')

  // 问题数据: correct the bad 死亡日期.
  await page.locator('[data-test=menu-exchangeQuarantine]').click()
  const qRow = page.locator('[data-test=qt-table] .el-table__row', { hasText: '死亡日期' })
  await qRow.waitFor()
  ok((await qRow.innerText()).includes('不是有效日期'), 'quarantine: the row shows its column and reason', await qRow.innerText())
  await qRow.getByRole('button', { name: '处理' }).click()
  const deathField = page.locator('[data-test="qt-field-死亡日期"]')
  await deathField.locator('.el-form-item__error').waitFor()
  ok((await page.getByLabel('死亡日期').inputValue()) === '2025-13-01', 'quarantine drawer: the row\'s values fill the form, inputs labelled by source column')
  ok((await deathField.locator('.el-form-item__error').innerText()).includes('不是有效日期'), 'quarantine drawer: the faulty column carries the reason')
  await shot(page, 'exchange-quarantine-drawer')
  await page.getByLabel('死亡日期').fill('2025-02-30')
  const refused = page.waitForResponse((r) => r.url().includes('/resubmit'))
  await page.locator('[data-test=qt-resubmit]').click()
  ok((await refused).status() === 400, 'a correction that is still wrong is refused (400)')
  await deathField.locator('.el-form-item__error', { hasText: '不是有效日期' }).waitFor()
  ok(await page.getByLabel('死亡日期').evaluate((el) => el.getAttribute('aria-invalid') === 'true'), 'the refusal is shown on the 死亡日期 input')
  await page.getByLabel('死亡日期').fill('2025-11-01')
  const accepted = page.waitForResponse((r) => r.url().includes('/resubmit'))
  const relisted = page.waitForResponse((r) => r.url().includes('/api/v1/exchange/quarantine?'))
  await page.locator('[data-test=qt-resubmit]').click()
  ok((await accepted).status() === 200, 'the corrected row is accepted')
  await relisted
  await page.locator('[data-test=qt-table] .el-table__empty-text').waitFor()
  ok((await page.locator('[data-test=qt-table] .el-table__row').count()) === 0, 'the corrected row leaves the open list')
  await shot(page, 'exchange-quarantine-empty')

  // 人工核对: accept 汪建国 = 王建国.
  const otherId = await reviewIdFor(base, '李秀瑛')
  ok(otherId > 0, 'the second no-ID row (李秀瑛) waits for review too')
  await page.locator('[data-test=menu-exchangeReviews]').click()
  const pair = page.locator('[data-test=rv-table] .el-table__row', { hasText: '汪建国' })
  await pair.waitFor()
  ok((await pair.innerText()).includes(WANDONG.name), 'review queue: the pair 汪建国 / 王建国 is listed')
  await shot(page, 'exchange-reviews')
  await pair.getByRole('button', { name: '核对' }).click()
  await page.locator('[data-test=rv-compare]').waitFor()
  const level = (key) => page.locator(`[data-test=rv-row-${key}] .lv`).first().getAttribute('data-level')
  ok((await level('name')) === 'partial' && (await level('birth_date')) === 'agree' && (await level('id_number')) === 'missing',
    'review drawer: name partly agrees (homophone), birth date agrees, ID number missing')
  const idCell = await page.locator('[data-test=rv-row-id_number] td').nth(1).innerText()
  ok(idCell.includes('*') && !idCell.includes(WANDONG.id), 'review drawer: the resident\'s ID number is masked', idCell)
  await shot(page, 'exchange-review-drawer')
  await page.locator('[data-test=rv-accept]').click()
  const decided = page.waitForResponse((r) => r.url().includes('/decision'))
  const requeued = page.waitForResponse((r) => r.url().includes('/api/v1/exchange/reviews?'))
  await page.locator('.el-message-box').getByRole('button', { name: '确定' }).click()
  ok((await decided).status() === 200, 'accepting the pair succeeds')
  await requeued
  await pair.waitFor({ state: 'detached' })
  ok((await page.locator('[data-test=rv-table] .el-table__row', { hasText: '李秀瑛' }).count()) === 1, 'the accepted pair leaves the open queue; the other stays')

  // Someone else decides the other pair first: 409, said plainly.
  await page.locator(`[data-test=rv-open-${otherId}]`).click()
  await page.locator('[data-test=rv-compare]').waitFor()
  const behind = await apiAs(base, 'civil', 'POST', `/api/v1/exchange/reviews/${otherId}/decision`, { decision: 'reject', reason: '出生日期相同但不是同一人（测试）' })
  ok(behind.status === 200, 'a civil-affairs caseworker rejects the other pair meanwhile', JSON.stringify(behind.body))
  await page.locator('[data-test=rv-reject]').click()
  await page.locator('[data-test=reject-confirm]').click()
  ok(await page.getByText('请填写否定理由').waitFor({ timeout: 5000 }).then(() => true, () => false), 'rejecting without a reason is refused in the form')
  await page.getByLabel('否定理由').fill('出生日期相同但住址不同')
  await page.locator('[data-test=reject-confirm]').click()
  await page.locator('[data-test=rv-error]').waitFor()
  ok((await page.locator('[data-test=rv-error]').innerText()).includes('已有核对结论'), 'the 409 is shown in the drawer', await page.locator('[data-test=rv-error]').innerText())
  await page.locator('[data-test=rv-decided]').waitFor()
  ok((await page.locator('[data-test=rv-decided]').innerText()).includes('civil'), 'and the drawer shows who decided it')
  await shot(page, 'exchange-review-conflict')
  await page.keyboard.press('Escape')
  await page.locator('[data-test=rv-table] .el-table__empty-text').waitFor()
  ok(await page.getByText('没有待核对的事项').isVisible(), 'the empty queue says so')
  const rv = await apiAs(base, 'exchange', 'GET', '/api/v1/exchange/reviews?status=accepted')
  ok(rv.body.total === 1 && rv.body.items[0].record.name === '汪建国', 'the server holds the acceptance', JSON.stringify(rv.body.items.map((x) => x.record?.name)))

  // In English: no untranslated keys on any of the four screens.
  await page.getByText('English', { exact: true }).click()
  for (const name of EXCHANGE_PAGES) {
    await page.locator(`[data-test=menu-${name}]`).click()
    await page.locator('.el-table').first().waitFor()
    await page.locator('.el-loading-mask').first().waitFor({ state: 'hidden' }).catch(() => {})
    const text = await page.locator('#main').innerText()
    ok(!/\b(exchange|reason|linkField|deptName|page)\.[a-zA-Z]/.test(text) && !/[\u4e00-\u9fff]{2,}/.test(text.replace(/殡仪馆火化信息|王建国|汪建国|李秀英|李秀瑛|cremation\S*/g, '')),
      `${name} in English: no raw keys, no Chinese labels`, text.slice(0, 300))
    if (name === 'exchangeBatches') await shot(page, 'exchange-batches-en')
  }
  await page.locator('[data-test=rv-status]').click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: 'Same person' }).click()
  await page.locator('[data-test=rv-search]').click()
  await page.locator('[data-test=rv-table] .el-table__row', { hasText: '汪建国' }).getByRole('button').click()
  await page.locator('[data-test=rv-compare]').waitFor()
  await shot(page, 'exchange-review-en')
  await context.close()
}

await run(work, main, () => browser)
