// a11y.mjs - accessibility basics (issue #7 item 6) checked by axe-core in a
// real browser: every page of each role's menu, the login page and the
// resident portal's login, against the WCAG 2 A and AA rules axe tests
// (labels on inputs, names on buttons and links, contrast, ARIA use,
// landmarks), in Chinese and in English. A page passes with no violation
// of impact "serious" or "critical"; lesser findings are listed but do not
// fail. Keyboard: the login form is filled and sent with the keyboard alone.
//
//   node tests/browser/a11y.mjs --minsheng build/minsheng --web-root web/dist
import fs from 'node:fs'
import path from 'node:path'
import {
  PASSWORD, ok, requirePrerequisites, workdir, prepare, startServer, launchChromium, run, repo,
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
  await portal.close()
  await context.close()
}

await run(work, main, () => browser)
