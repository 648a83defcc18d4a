// portal.mjs - the resident portal (/portal) on a phone-sized screen, in a
// real browser against a real server.
//
//   node tests/browser/portal.mjs --minsheng build/minsheng --web-root web/dist
//   (scripts/web.sh test BUILD/minsheng runs it after console.mjs)
//
// Same harness as console.mjs: `minsheng serve` on 127.0.0.1:0 over a fresh
// SQLite database (place names imported, a civil-affairs caseworker who
// registers a synthetic household of two through the API), Debian's
// chromium through playwright-core, at 375x812 (a common phone). Then:
//   - /portal sends a stranger to the login page; a mistyped ID number gets
//     the Chinese check-character message and nothing is sent;
//   - 获取验证码 starts the 60-second countdown; the code is read from the
//     server log, where the demo's log sender writes it
//     (event portal.otp.demo_code) - the same place a person running the
//     demo reads it, so the test walks the documented path;
//   - the resident logs in and sees 我的档案: ID and phone masked, the
//     spouse's name masked, the timeline; 办事进度 shows its empty state;
//   - 申请救助 opens the mobile form with the household prefilled; a missing
//     statement gets its Chinese message under the field and nothing is
//     sent; the application for 低保 lands on its progress, 已提交 done and
//     已受理 current; the town (a town caseworker, through the API) accepts
//     it and starts the investigation, and the page then shows 已受理 done
//     and 调查核实 current;
//   - the URL, localStorage and sessionStorage never hold the ID number,
//     the phone or the code, and the session cookie is HttpOnly;
//   - logging out returns to the login page and the record is gone.
// Screenshots: build/screenshots/portal-*.png.
import fs from 'node:fs'
import path from 'node:path'
import {
  PASSWORD, CHROMIUM, idNumber, ok, requirePrerequisites, workdir, cli as cliOn,
  startServer as startOn, run, shot as harnessShot, shotDir, repo, otpFromLog,
} from './lib/harness.mjs'

const chromium = requirePrerequisites('portal.html')

// A synthetic household of two in 万东镇.
const HEAD = { name: '赵春华', id: idNumber('50011019720418162'), phone: '13912345678' }
const SPOUSE = { name: '孙丽萍', id: idNumber('50011019750923164') }
const VILLAGE = '500110101001'

const work = workdir('ms-portal.')
const { logPath } = work
let browser = null
const cli = (args, input) => cliOn(work.db, args, input)
const startServer = () => startOn(work)
const shot = (page, name) => harnessShot(page, name, true) // the whole phone page

async function staff(base, method, p, body, username = 'civil') {
  const s = await fetch(`${base}/api/v1/session`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username, password: PASSWORD }) })
  const { token } = await s.json()
  const r = await fetch(`${base}${p}`, { method, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: body && JSON.stringify(body) })
  return { status: r.status, body: await r.json().catch(() => null) }
}

// 申请救助 through the form, then follow it while the town moves it on.
async function applyOnline(page, base, urls) {
  await page.locator('[data-test=portal-apply]').click()
  await page.waitForURL('**/portal/apps/new')
  await page.locator('[data-test=portal-apply-form]').waitFor()
  const formText = await page.locator('[data-test=portal-apply-form]').textContent()
  ok(formText.includes('孙**') && formText.includes('赵**'), 'the form lists the household from 我的档案, names masked', formText.slice(0, 200))
  ok(await page.getByLabel('与申请人关系').first().isDisabled(), 'the applicant is "本人" and counts')
  const relSpouse = await page.locator('#apply-rel-1').inputValue()
  ok(relSpouse === 'spouse', 'the spouse is prefilled as 配偶', relSpouse)
  await page.locator('[data-test=apply-add-income]').click()
  await page.getByLabel('金额（元）').fill('300')
  await page.getByLabel('联系电话').fill(HEAD.phone)
  const posts = () => urls.filter((u) => u.includes('/portal/assistance/applications')).length
  const before = posts()
  await page.locator('[data-test=apply-submit]').click()
  const stErr = page.locator('[data-test=apply-statement-error]')
  await stErr.filter({ hasText: '困难情况' }).waitFor()
  ok((await stErr.textContent()).includes('请填写家庭困难情况说明'), 'a missing statement gets its message under the field', await stErr.textContent())
  ok(posts() === before, 'and nothing is sent')
  const fwidth = await page.evaluate(() => document.documentElement.scrollWidth)
  ok(fwidth <= 375, 'the form fits 375 px', `scrollWidth ${fwidth}`)
  await shot(page, 'portal-apply-invalid')
  await page.getByLabel('家庭困难情况说明', { exact: true }).fill('丈夫因病住院，家中无稳定收入')
  await page.locator('[data-test=apply-submit]').click()
  await page.waitForURL(/\/portal\/apps\/\d+$/)
  await page.locator('[data-test=portal-progress]').waitFor()
  const id = page.url().split('/').pop()
  const st = async (step) => page.locator(`[data-test=portal-step-${step}]`).getAttribute('data-state')
  ok((await page.locator('[data-test=portal-progress-status]').textContent()).includes('已提交'), 'the new application shows 已提交')
  ok((await st('submitted')) === 'done' && (await st('accepted')) === 'current', '已提交 done, 已受理 current')
  await shot(page, 'portal-submitted')

  const accept = await staff(base, 'POST', `/api/v1/assistance/cases/${id}/accept`, {}, 'wandong')
  const inv = await staff(base, 'POST', `/api/v1/assistance/cases/${id}/investigation`, {}, 'wandong')
  ok(accept.status === 200 && inv.status === 200, 'the town accepts it and starts the investigation', JSON.stringify([accept.body, inv.body]))
  await page.reload()
  await page.locator('[data-test=portal-progress]').waitFor()
  ok((await st('accepted')) === 'done' && (await st('investigation')) === 'current', 'the page shows 已受理 done and 调查核实 current')
  const ptext = await page.locator('body').textContent()
  ok(ptext.includes('调查核实') && ptext.includes('办理时限'), 'with the current step\'s due date', ptext.slice(0, 300))
  ok(!ptext.includes('wandong') && !ptext.includes(HEAD.id) && !ptext.includes(HEAD.phone), 'no staff name, ID number or phone on the page')
  const pwidth = await page.evaluate(() => document.documentElement.scrollWidth)
  ok(pwidth <= 375, 'the progress page fits 375 px', `scrollWidth ${pwidth}`)
  await shot(page, 'portal-progress')
  await page.locator('.back').click()
  await page.locator(`[data-test=portal-app-${id}]`).waitFor()
  ok((await page.locator(`[data-test=portal-app-${id}]`).textContent()).includes('调查核实'), '办事进度 lists it with its status')
}

async function main() {
  fs.mkdirSync(shotDir, { recursive: true })
  cli(['migrate'])
  cli(['places', 'import', '--file', path.join(repo, 'data/wansheng/placenames.csv')])
  cli(['user', 'add', 'civil', '--role', 'civil_caseworker', '--password-stdin'], `${PASSWORD}\n`)
  cli(['user', 'add', 'wandong', '--role', 'town_caseworker', '--scope', '500110101', '--password-stdin'], `${PASSWORD}\n`)
  const base = await startServer()

  const hh = await staff(base, 'POST', '/api/v1/households', { number: 'PB001', address: { region_code: VILLAGE, detail: '3 栋 2 单元 501' } })
  ok(hh.status === 201, 'a household is registered', JSON.stringify(hh.body))
  const head = await staff(base, 'POST', '/api/v1/residents', { name: HEAD.name, id_number: HEAD.id, phone: HEAD.phone, hukou_type: 'rural', residence: { region_code: VILLAGE, detail: '3 栋 2 单元 501' }, household_id: hh.body.id, relation: 'head' })
  const spouse = await staff(base, 'POST', '/api/v1/residents', { name: SPOUSE.name, id_number: SPOUSE.id, hukou_type: 'rural', residence: { region_code: VILLAGE }, household_id: hh.body.id, relation: 'spouse' })
  ok(head.status === 201 && spouse.status === 201, 'the residents are registered', JSON.stringify([head.body, spouse.body]))
  await staff(base, 'POST', `/api/v1/residents/${head.body.code}/events`, { kind: 'marriage', date: '1996-10-01' })

  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] })
  const context = await browser.newContext({ viewport: { width: 375, height: 812 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN', baseURL: base })
  const page = await context.newPage()
  page.on('pageerror', (e) => ok(false, 'no page error', e.message))
  const urls = []
  page.on('request', (r) => urls.push(r.url()))

  await page.goto('/portal')
  await page.waitForURL('**/portal/login')
  ok(true, 'a stranger at /portal is sent to /portal/login')
  const width = await page.evaluate(() => document.documentElement.scrollWidth)
  ok(width <= 375, 'the login page fits 375 px without sideways scrolling', `scrollWidth ${width}`)

  // A slip in the last character: refused on the page, nothing sent.
  const wrong = HEAD.id.slice(0, 17) + (HEAD.id[17] === '0' ? '1' : '0')
  await page.getByLabel('身份证号').fill(wrong)
  const before = urls.filter((u) => u.includes('/portal/otp')).length
  await page.locator('[data-test=portal-get-code]').click()
  const idErr = page.locator('[data-test=portal-id-error]')
  await idErr.filter({ hasText: '校验位' }).waitFor()
  ok((await idErr.textContent()).includes('身份证号校验位不正确'), 'a wrong check character gets the Chinese message', await idErr.textContent())
  ok(urls.filter((u) => u.includes('/portal/otp')).length === before, 'and no code is requested')
  await shot(page, 'portal-login-invalid')

  await page.getByLabel('身份证号').fill(HEAD.id)
  await page.locator('[data-test=portal-get-code]').click()
  await page.locator('[data-test=portal-notice]').waitFor()
  const btn = await page.locator('[data-test=portal-get-code]').textContent()
  ok(/\d+ 秒后重新获取/.test(btn), 'the button counts down before a new code', btn.trim())
  ok(await page.locator('[data-test=portal-get-code]').isDisabled(), 'and is disabled meanwhile')
  const code = otpFromLog(logPath, head.body.code)
  ok(/^\d{6}$/.test(code || ''), 'the log sender wrote a 6-digit code for the resident', String(code))
  await page.getByLabel('验证码').fill(code)
  await shot(page, 'portal-login')
  await page.locator('[data-test=portal-submit]').click()
  await page.waitForURL('**/portal/me')
  await page.locator('[data-test=portal-me]').waitFor()
  ok(true, 'the resident logs in and lands on 我的档案')

  const idShown = await page.locator('[data-test=me-id]').textContent()
  const phoneShown = await page.locator('[data-test=me-phone]').textContent()
  ok(idShown === `${HEAD.id.slice(0, 6)}********${HEAD.id.slice(14)}`, 'the ID number is masked 6+4', idShown)
  ok(phoneShown === '139****5678', 'the phone is masked 3+4', phoneShown)
  ok((await page.locator('[data-test=me-name]').textContent()) === HEAD.name, 'the resident sees their own name')
  const household = await page.locator('[data-test=me-household]').textContent()
  ok(household.includes('孙**') && !household.includes(SPOUSE.name), 'the spouse shows masked', household)
  const body = await page.locator('body').textContent()
  ok(!body.includes(HEAD.id) && !body.includes(SPOUSE.id) && !body.includes(HEAD.phone), 'no full number anywhere on the page')
  ok(body.includes('结婚') && body.includes('万东镇'), 'the timeline and the place name show', body.slice(0, 300))
  const mwidth = await page.evaluate(() => document.documentElement.scrollWidth)
  ok(mwidth <= 375, '我的档案 fits 375 px', `scrollWidth ${mwidth}`)
  await shot(page, 'portal-me')

  await page.locator('[data-test=tab-apps]').click()
  await page.locator('[data-test=portal-apps]').waitFor()
  await page.getByText('您还没有社会救助申请').waitFor()
  ok(true, '办事进度 shows its empty state')
  await shot(page, 'portal-apps')
  await applyOnline(page, base, urls)

  // No personal data in URLs or web storage; the cookie is HttpOnly.
  const secrets = [HEAD.id, HEAD.phone, code, SPOUSE.id]
  ok(!urls.some((u) => secrets.some((s) => u.includes(s))), 'no ID number, phone or code in any URL')
  const storage = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }))
  ok(!secrets.some((s) => storage.includes(s)) && !storage.includes('r.'), 'nothing personal or secret in web storage', storage)
  const cookies = await context.cookies()
  const pc = cookies.find((c) => c.name === 'ms_portal')
  ok(pc && pc.httpOnly && pc.sameSite === 'Strict' && pc.path === '/api/v1/portal', 'the portal cookie is HttpOnly, SameSite=Strict, for /api/v1/portal only', JSON.stringify(cookies))
  ok(!(await page.evaluate(() => document.cookie)).includes('ms_portal'), 'and the page cannot read it')

  await page.locator('[data-test=portal-logout]').click()
  await page.waitForURL('**/portal/login')
  await page.goto('/portal/me')
  await page.waitForURL('**/portal/login')
  ok(true, 'after logging out, 我的档案 leads back to login')

  // English switch.
  await page.getByRole('button', { name: '语言' }).click()
  await page.getByText('Resident login').waitFor()
  ok(true, 'the English switch works')
  await context.close()
}

await run(work, main, () => browser)
