// a11y.mjs - accessibility basics (issue #7 item 6) checked by axe-core in a
// real browser: every page of each role's menu, the login page and the
// resident portal's login, 办事进度, application form and progress page, and
// the console's 新增申请 form with its 特困 and 临时救助 parts, against the WCAG 2 A and AA rules axe tests
// (labels on inputs, names on buttons and links, contrast, ARIA use,
// landmarks), in Chinese and in English. A page passes with no violation
// of impact "serious" or "critical"; lesser findings are listed but do not
// fail. Keyboard: the login form is filled and sent with the keyboard alone.
//
//   node tests/browser/a11y.mjs --minsheng build/minsheng --web-root web/dist
import fs from 'node:fs'
import path from 'node:path'
import {
  PASSWORD, ok, requirePrerequisites, workdir, prepare, startServer, launchChromium, run, repo, idNumber, otpFromLog,
} from './lib/harness.mjs'

const chromium = requirePrerequisites('index.html')
const work = workdir('ms-a11y.')
let browser = null
const AXE = fs.readFileSync(path.join(repo, 'web/node_modules/axe-core/axe.min.js'), 'utf8')
const USERS = [
  ['admin', 'admin'], ['secadmin', 'security_admin'], ['auditor', 'auditor'], ['civil', 'civil_caseworker'],
  ['town', 'town_caseworker', '500110101'], ['exchange', 'exchange_officer'],
]

// The serious and critical violations on the page as it is now.
async function audit(page, where) {
  await page.waitForTimeout(300)
  if (!(await page.evaluate(() => !!window.axe))) await page.addScriptTag({ content: AXE })
  const r = await page.evaluate(() => window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] } }))
  const bad = r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
  const text = bad.map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => `${n.target.join(' ')} ${n.html.slice(0, 200)}`).join(' | ')}`).join('\n')
  ok(bad.length === 0, `${where}: no serious accessibility violation`, text)
  const minor = r.violations.filter((v) => !bad.includes(v))
  if (minor.length) console.log(`# ${where}: minor: ${minor.map((v) => v.id).join(', ')}`)
}

async function api(base, method, p, body, token) {
  const r = await fetch(`${base}${p}`, { method, headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), 'Content-Type': 'application/json' }, body: body && JSON.stringify(body) })
  return { status: r.status, body: await r.json().catch(() => null) }
}

// A synthetic resident with one online application; logs the portal page in
// with the code the demo's log sender wrote.
async function portalPages(base, pp) {
  const { body: { token } } = await api(base, 'POST', '/api/v1/session', { username: 'civil', password: PASSWORD })
  const hh = await api(base, 'POST', '/api/v1/households', { number: 'A11Y1', address: { region_code: '500110101001' } }, token)
  const id = idNumber('50011019690203132')
  const r = await api(base, 'POST', '/api/v1/residents', { name: '钱无障', id_number: id, hukou_type: 'rural', residence: { region_code: '500110101001' }, household_id: hh.body.id, relation: 'head' }, token)
  await api(base, 'POST', '/api/v1/portal/otp', { id_number: id })
  await pp.getByLabel('身份证号').fill(id)
  await pp.getByLabel('验证码').fill(otpFromLog(work.logPath, r.body.code))
  await pp.locator('[data-test=portal-submit]').click()
  await pp.locator('[data-test=portal-me]').waitFor()
  await pp.goto('/portal/apps/new')
  await pp.locator('[data-test=portal-apply-form]').waitFor()
  await pp.locator('[data-test=apply-scheme-linshi]').click()
  await pp.locator('[data-test=apply-add-income]').click()
  await pp.locator('[data-test=apply-submit]').click() /* the inline errors shown */
  await audit(pp, 'portal application form')
  await pp.getByLabel('家庭困难情况说明', { exact: true }).fill('无障碍检查')
  await pp.locator('[data-test=apply-scheme-linshi]').click()
  await pp.getByLabel('联系电话').fill('13900000000')
  await pp.locator('[data-test=apply-submit]').click()
  await pp.locator('[data-test=portal-progress]').waitFor()
  await audit(pp, 'portal progress')
  await pp.goto('/portal/apps')
  await pp.locator('[data-test=portal-apps] .app').first().waitFor()
  await audit(pp, 'portal applications')
}

// The application form with 特困 and 临时救助 chosen: their parts' inputs
// and inline errors (the town caseworker; 钱无障, made for the portal above).
async function caseForm(page) {
  await page.context().clearCookies()
  await page.goto('/login')
  await page.getByLabel('用户名').fill('town')
  await page.getByLabel('密码', { exact: true }).fill(PASSWORD)
  await page.locator('[data-test=login-submit]').click()
  await page.locator('[data-test=who]').waitFor()
  await page.goto('/assistance/cases')
  await page.locator('[data-test=ac-new]').click()
  await page.locator('[data-test=cn-applicant] input').fill('钱无障')
  await page.locator('.el-select-dropdown__item:visible', { hasText: '钱无障' }).first().click()
  await page.locator('[data-test=cn-more-tekun]').click()
  await page.locator('[data-test=cn-more-linshi]').click()
  await page.locator('[data-test=cn-add-supporter]').click()
  await page.locator('[data-test=cn-add-expenses]').click()
  await page.locator('[data-test=cn-submit]').click() /* the inline errors shown */
  await page.locator('[data-test=cn-linshi] .el-form-item__error').first().waitFor()
  await page.mouse.move(0, 0) /* the submit button's hover tint is a passing state */
  await audit(page, 'application form with 特困 and 临时救助')
}

async function main() {
  prepare(work, USERS)
  const base = await startServer(work)
  browser = await launchChromium(chromium)
  // bypassCSP: the console's CSP (script-src 'self') rightly refuses the
  // injected axe script; the pages themselves are unchanged.
  const context = await browser.newContext({ viewport: { width: 1366, height: 860 }, locale: 'zh-CN', baseURL: base, bypassCSP: true })
  const page = await context.newPage()

  await page.goto('/login')
  await audit(page, 'login')
  // The keyboard alone: tab to the fields, type, Enter.
  await page.getByLabel('用户名').focus()
  await page.keyboard.type('admin')
  await page.keyboard.press('Tab')
  await page.keyboard.type(PASSWORD)
  await page.keyboard.press('Enter')
  await page.locator('[data-test=who]').waitFor()
  ok(true, 'login with the keyboard alone')

  for (const [user] of USERS) {
    if (user !== 'admin') {
      await context.clearCookies()
      await page.goto('/login')
      await page.getByLabel('用户名').fill(user)
      await page.getByLabel('密码', { exact: true }).fill(PASSWORD)
      await page.locator('[data-test=login-submit]').click()
      await page.locator('[data-test=who]').waitFor()
    }
    const links = await page.locator('[data-test^=menu-]').evaluateAll((els) => els.map((e) => e.getAttribute('data-test')))
    for (const link of links) {
      await page.locator(`[data-test=${link}]`).click()
      await page.waitForLoadState('networkidle')
      await audit(page, `${user} ${link.slice(5)}`)
    }
  }
  // English, once.
  await page.getByText('English', { exact: true }).click()
  await audit(page, 'English')
  await page.getByText('中文', { exact: true }).click()

  const portal = await browser.newContext({ viewport: { width: 375, height: 812 }, isMobile: true, locale: 'zh-CN', baseURL: base, bypassCSP: true })
  const pp = await portal.newPage()
  await pp.goto('/portal')
  await pp.waitForLoadState('networkidle')
  await audit(pp, 'portal login')
  await portalPages(base, pp)
  await portal.close()
  await caseForm(page)
  await context.close()
}

await run(work, main, () => browser)
