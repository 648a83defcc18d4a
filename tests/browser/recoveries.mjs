// recoveries.mjs - 保障变更, 核查提醒 and 追回台账 in a real browser against a
// real server.
//
//   node tests/browser/recoveries.mjs --minsheng build/minsheng --web-root web/dist
//   (scripts/web.sh test BUILD/minsheng runs every tests/browser/*.mjs)
//
// Same harness as console.mjs: `minsheng serve` on 127.0.0.1:0 over a fresh
// SQLite database with the place names, a district caseworker and a 万东镇
// caseworker. Through the API (synthetic people, past dates as in e2e 136):
// a household of two on 低保 from 2026-05, May and June paid and sent to the
// bank at 1040 元. Then:
//   - the district caseworker records the spouse's wage on the case (保障变更,
//     the reasons required on the page): recomputed to 540 元 from May, and
//     the answer says each month's 500 元 above it went to the ledger;
//   - the town caseworker has 追回台账 in the menu and sees both rows, 待追回,
//     with the sum, but no button to decide them;
//   - the district caseworker records one as 免于追回: without reasons the
//     dialog says so under the field; with them it leaves 待追回, and the
//     count and sum go down; the other as 已追回 dated today;
//   - 全部 shows both outcomes with who recorded them; the screen in English
//     carries no raw keys;
//   - 核查提醒 lists the review due since May; it is recorded unchanged
//     (findings required on the page) and leaves the list;
//   - the payee dies: the spouse takes over with her own account (a bad
//     account stopped on the page), shown by its last four digits; her card
//     lost, 变更收款账户 pays the same to a new account; then her
//     death, recorded in the registry, is proposed on 核查提醒 and recorded
//     there, which stops the benefit.
// Screenshots: build/screenshots/recoveries-*.png.
import {
  PASSWORD, idNumber, ok, requirePrerequisites, workdir, prepare, startServer, launchChromium, run, shot,
} from './lib/harness.mjs'

const chromium = requirePrerequisites('index.html')
const work = workdir('ms-recoveries.')
let browser = null
const VILLAGE = '500110101001'

async function apiAs(base, username, method, p, body) {
  const s = await fetch(`${base}/api/v1/session`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username, password: PASSWORD }) })
  const { token } = await s.json()
  const r = await fetch(`${base}${p}`, { method, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: body && JSON.stringify(body) })
  return { status: r.status, body: await r.json().catch(() => null) }
}

async function must(base, username, method, p, body, want) {
  const r = await apiAs(base, username, method, p, body)
  if (r.status !== want) throw new Error(`${method} ${p}: ${r.status} ${JSON.stringify(r.body)}`)
  return r.body
}

// The household, its case through the procedure, two months sent, the change.
async function seed(base) {
  const hh = await must(base, 'civil', 'POST', '/api/v1/households', { number: 'BR0000001', address: { region_code: VILLAGE, detail: '朝阳社区 8 号' } }, 201)
  const codes = []
  for (const [name, id, relation] of [['邹国平', idNumber('50011019760412141'), 'head'], ['邹雪梅', idNumber('50011019790906242'), 'spouse']]) {
    const r = await must(base, 'civil', 'POST', '/api/v1/residents', { name, id_number: id, hukou_type: 'urban', residence: { region_code: VILLAGE }, household_id: hh.id, relation }, 201)
    codes.push(r.code)
  }
  const [a, b] = codes
  const c = await must(base, 'town', 'POST', '/api/v1/assistance/cases', {
    scheme: 'dibao', household_id: hh.id, applicant: a, applied_on: '2026-03-02', bank_account: '6217000031315678', bank_name: '测试银行',
    members: [{ resident: a, relation: 'self' }, { resident: b, relation: 'spouse' }], incomes: [{ resident: a, kind: 'wage', amount_fen: 50000 }],
  }, 201)
  const step = (who, action, body) => must(base, who, 'POST', `/api/v1/assistance/cases/${c.id}/${action}`, body, 200)
  await step('town', 'investigation', { on: '2026-03-03' })
  await step('town', 'visit', { on: '2026-03-03', investigators: ['town', 'civil'], family_signed: true })
  await step('town', 'compute', { as_of: '2026-03-02' })
  await step('town', 'town-review', { on: '2026-03-03', opinion_zh: '拟同意' })
  await step('town', 'publicity', { on: '2026-03-03' })
  await step('town', 'publicity-close', { on: '2026-04-10' })
  await step('civil', 'decision', { decision: 'approve', reason_zh: '经审核，予以批准。', decided_on: '2026-04-10' })
  const enrolled = await step('civil', 'enrol', {})
  for (const period of ['2026-05', '2026-06']) await must(base, 'civil', 'POST', '/api/v1/assistance/payment-runs', { scheme: 'dibao', period }, 201)
  await must(base, 'civil', 'POST', '/api/v1/assistance/bank-files', { scheme: 'dibao', period: '2026-06' }, 201)
  ok(enrolled.enrolment_id > 0, 'seed: enrolled from 2026-05, May and June sent to the bank')
  return { caseId: c.id, spouse: b }
}

// 核查提醒: the review scheduled at enrolment (an able-bodied member without
// work: monthly) is due; the district records it unchanged, with findings.
async function recordReview(page) {
  await page.goto('/assistance/reviews')
  const row = page.locator('[data-test=rv-table] .el-table__row', { hasText: 'BR0000001' })
  await row.waitFor()
  ok((await row.innerText()).includes('定期核查') && (await row.innerText()).includes('2026-05-10'), 'reviews: the review due since 2026-05-10 is listed', await row.innerText())
  await shot(page, 'recoveries-reviews-due')
  await row.locator('[data-test^=rv-review-]').click()
  await page.locator('[data-test=rv-dialog]').waitFor()
  await page.locator('[data-test=rv-confirm]').click()
  await page.locator('[data-test=rv-dialog] .el-form-item__error', { hasText: '请填写核查情况' }).waitFor()
  ok(true, 'reviews: the findings are required, said under the field')
  await page.locator('#rv-reason').fill('入户核查，家庭情况与变更后一致。')
  await page.locator('[data-test=rv-confirm]').click()
  const msg = page.locator('.el-message--success', { hasText: '下次核查' })
  await msg.waitFor()
  await row.waitFor({ state: 'detached' })
  ok(true, `reviews: recorded, the next one scheduled (${await msg.innerText()}), the row gone`)
  await shot(page, 'recoveries-reviews')
}

// 变更收款账户: the payee's card is lost; the same amount to a new account.
async function newAccount(page, caseId) {
  await page.goto(`/assistance/cases/${caseId}`)
  await page.locator('[data-test=enrolment-change]').click()
  await page.locator('[data-test=change-dialog]').waitFor()
  await pick(page, '[data-test=ch-kind]', '变更收款账户')
  await page.locator('#ch-account').fill('6217000031317777')
  await page.locator('#ch-bank').fill('测试邮储银行')
  await page.locator('#ch-reason').fill('原银行卡挂失，改用新账户。')
  await page.locator('[data-test=ch-submit]').click()
  const result = page.locator('[data-test=change-result]')
  await result.waitFor()
  ok((await result.innerText()).includes('已变更收款账户'), 'new account: the answer says the account changed', await result.innerText())
  await page.locator('[data-test=ch-close]').click()
  await page.locator('[data-test=case-enrolment]', { hasText: '**** **** 7777' }).waitFor()
  ok((await page.locator('[data-test=enrolment-payee]').innerText()) === '邹雪梅', 'new account: the same payee, paid to the new account')
}

// The new payee dies too: the registry records it, 核查提醒 proposes the
// change, the district records it, and the benefit stops.
async function recordDeath(base, page, spouse) {
  await must(base, 'civil', 'POST', `/api/v1/residents/${spouse}/events`, { kind: 'death', date: '2026-11-20' }, 201)
  await page.goto('/assistance/reviews')
  const row = page.locator('[data-test=rv-table] .el-table__row', { hasText: '成员已死亡' })
  await row.waitFor()
  ok((await row.innerText()).includes('BR0000001') && (await row.innerText()).includes('2026-11-20'), 'reviews: the death the registry recorded is proposed', await row.innerText())
  await row.locator('[data-test^=rv-death-]').click()
  await page.locator('[data-test=rv-dialog]').waitFor()
  ok((await page.locator('#rv-reason').inputValue()).includes('2026-11-20'), 'reviews: the death change comes with its reason written out')
  await page.locator('[data-test=rv-confirm]').click()
  await page.locator('.el-message--success', { hasText: '自 2026-12 起停止发放' }).waitFor()
  await row.waitFor({ state: 'detached' })
  ok(true, 'reviews: the death recorded stops the benefit from December, and leaves the list')
}

// 保障变更 on the case: the spouse's wage found (dated April, so from May);
// the reasons are required on the page; the answer names the recoveries.
async function recordChange(page, caseId) {
  await page.goto(`/assistance/cases/${caseId}`)
  await page.locator('[data-test=enrolment-amount]', { hasText: '1,040.00' }).waitFor()
  ok((await page.locator('[data-test=enrolment-payee]').innerText()) === '邹国平', 'case: the benefit shows its amount and payee')
  await page.locator('[data-test=enrolment-change]').click()
  const dialog = page.locator('[data-test=change-dialog]')
  await dialog.waitFor()
  await page.locator('#ch-on').fill('2026-04-20')
  await page.locator('#ch-on').press('Enter')
  await page.locator('[data-test=ch-income-0]').fill('500')
  await page.locator('[data-test=ch-income-1]').fill('500')
  await page.locator('[data-test=ch-submit]').click()
  await dialog.locator('.el-form-item__error', { hasText: '请填写变更理由' }).waitFor()
  ok(true, 'change: the reasons are required, said under the field')
  await page.locator('#ch-reason').fill('核实配偶四月起有工资收入，重新核定。')
  await page.locator('[data-test=ch-submit]').click()
  const result = page.locator('[data-test=change-result]')
  await result.waitFor()
  const text = await result.innerText()
  ok(text.includes('已重新核定') && text.includes('2026-05') && text.includes('540.00') && text.includes('记入追回台账 2 笔，共 1,000.00 元'),
    'change: the answer says the new amount, from when, and what goes to the ledger', text)
  await shot(page, 'recoveries-change')
  await page.locator('[data-test=ch-close]').click()
  await page.locator('[data-test=enrolment-amount]', { hasText: '540.00' }).waitFor()
  ok(true, 'change: the case shows the new amount')

  // 救助金发放 for May: its run still shows its own line (1,040), and what the
  // month holds after the change (540, the rest in the ledger), reconciled.
  await page.goto('/assistance/payments')
  await page.locator('#pr-period').fill('2026-05')
  await page.locator('#pr-period').press('Enter')
  await page.locator('[data-test=pr-show]').click()
  const held = page.locator('[data-test=pr-held]')
  await held.waitFor()
  ok((await held.innerText()).includes('1 户，540.00 元') && (await page.locator('[data-test=pr-reconciled]').innerText()) === '已平',
    'payments: May shows what it holds after the change, reconciled', await held.innerText())
}

// The payee dies: the spouse takes over with her own account.
async function newPayee(page, caseId) {
  await page.goto(`/assistance/cases/${caseId}`)
  await page.locator('[data-test=enrolment-change]').click()
  const dialog = page.locator('[data-test=change-dialog]')
  await dialog.waitFor()
  await pick(page, '[data-test=ch-kind]', '成员死亡')
  await pick(page, '[data-test=ch-resident]', '邹国平')
  await dialog.getByText('银行账户随其本人').waitFor()
  await page.locator('[data-test=ch-new-payee]').click()
  await pick(page, '[data-test=ch-payee]', '邹雪梅')
  await page.locator('#ch-account').fill('62x')
  await page.locator('#ch-bank').fill('测试农商银行')
  await page.locator('#ch-reason').fill('户主去世，由配偶接替领取。')
  await page.locator('[data-test=ch-submit]').click()
  await dialog.locator('.el-form-item__error', { hasText: '8–30 位数字' }).waitFor()
  ok(true, 'new payee: a bad account is stopped under the field')
  await page.locator('#ch-account').fill('6217000031319999')
  await page.locator('[data-test=ch-submit]').click()
  await page.locator('[data-test=change-result]').waitFor()
  await page.locator('[data-test=ch-close]').click()
  await page.locator('[data-test=enrolment-payee]', { hasText: '邹雪梅' }).waitFor()
  const bank = await page.locator('[data-test=case-enrolment]').innerText()
  ok(bank.includes('**** **** 9999') && !bank.includes('6217000031319999'), 'new payee: the spouse is paid, her account shown by its last four digits', bank)
  await shot(page, 'recoveries-new-payee')
}

async function login(page, username) {
  await page.goto('/login')
  await page.getByLabel('用户名').fill(username)
  await page.getByLabel('密码', { exact: true }).fill(PASSWORD)
  await page.locator('[data-test=login-submit]').click()
  await page.locator('[data-test=who]').waitFor()
}

// Picks an option of the select behind trigger, once no other dropdown is open.
async function pick(page, trigger, text) {
  await page.waitForFunction(() => ![...document.querySelectorAll('.el-select-dropdown')].some((d) => d.offsetParent !== null))
  await page.locator(trigger).click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: text }).first().click()
}

async function newPage(base) {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN', baseURL: base })
  const page = await context.newPage()
  page.on('pageerror', (e) => ok(false, 'no page error', e.message))
  return { context, page }
}

const rowsOf = (page) => page.locator('[data-test=rc-table] .el-table__body-wrapper .el-table__row')

async function main() {
  prepare(work, [['civil', 'civil_caseworker'], ['town', 'town_caseworker', '500110101']])
  const base = await startServer(work)
  browser = await launchChromium(chromium)
  const { caseId, spouse } = await seed(base)
  {
    const { context, page } = await newPage(base)
    await login(page, 'civil')
    await recordChange(page, caseId)
    await recordReview(page)
    await context.close()
  }

  // The town reads the ledger, and may not decide it.
  {
    const { context, page } = await newPage(base)
    await login(page, 'town')
    await page.locator('[data-test=menu-assistanceRecoveries]').click()
    await page.locator('[data-test=rc-sum]', { hasText: '共 2 笔' }).waitFor()
    const text = await page.locator('[data-test=rc-table]').innerText()
    ok(text.includes('BR0000001') && text.includes('2026-05') && text.includes('2026-06') && text.includes('变更后多发') && text.includes('待追回'),
      'town: both rows, with the reason in Chinese', text.slice(0, 300))
    ok((await page.locator('[data-test=rc-sum]').innerText()).includes('1,000.00') || (await page.locator('[data-test=rc-sum]').innerText()).includes('1000.00'),
      'town: the sum of what is open', await page.locator('[data-test=rc-sum]').innerText())
    ok((await page.locator('[data-test^=rc-resolve-]').count()) === 0, 'town: no button to decide a recovery')
    await shot(page, 'recoveries-town')
    await context.close()
  }

  const { context, page } = await newPage(base)
  await login(page, 'civil')
  await page.locator('[data-test=menu-assistanceRecoveries]').click()
  await page.locator('[data-test=rc-sum]', { hasText: '共 2 笔' }).waitFor()
  const buttons = page.locator('[data-test^=rc-resolve-]')
  await buttons.first().waitFor()
  ok((await buttons.count()) === 2, 'district: a button for each open row')

  // 免于追回 needs its reasons: said under the field, nothing sent.
  await buttons.first().click()
  const dialog = page.locator('[data-test=rc-dialog]')
  await dialog.waitFor()
  await dialog.getByText('免于追回', { exact: true }).click()
  await page.locator('[data-test=rc-confirm]').click()
  await dialog.locator('.el-form-item__error', { hasText: '免于追回须写明理由' }).waitFor()
  ok(true, 'a waiver without reasons is stopped under the field')
  await shot(page, 'recoveries-waive-no-reason')
  await page.locator('#rc-note').fill('经区民政局批准，家庭确有困难，免于追回。')
  await page.locator('[data-test=rc-confirm]').click()
  await page.locator('[data-test=rc-sum]', { hasText: '共 1 笔' }).waitFor()
  ok((await rowsOf(page).count()) === 1, 'waived: the row leaves 待追回, the count and sum go down')

  await buttons.first().click()
  await dialog.waitFor()
  await page.locator('[data-test=rc-confirm]').click() // 已追回, today
  await page.locator('[data-test=rc-sum]', { hasText: '共 0 笔' }).waitFor()
  ok(true, 'recovered: nothing left open')

  await pick(page, '[data-test=rc-status]', '全部')
  await page.locator('[data-test=rc-sum]', { hasText: '共 2 笔' }).waitFor()
  const all = await page.locator('[data-test=rc-table]').innerText()
  ok(all.includes('已追回') && all.includes('免于追回') && all.includes('经区民政局批准') && all.includes('civil'),
    'all: both outcomes, the reasons and who recorded them', all.slice(0, 400))
  ok((await page.locator('[data-test^=rc-resolve-]').count()) === 0, 'all: a row followed up has no button any more')
  await shot(page, 'recoveries-civil')

  await page.getByText('English', { exact: true }).click()
  await page.locator('[data-test=rc-sum]', { hasText: '2 rows' }).waitFor()
  const en = await page.locator('#main').innerText()
  ok(!/\brecovery\.[a-zA-Z]/.test(en) && en.includes('Paid above a cut amount') && en.includes('Waived'), 'recoveries in English: no raw keys', en.slice(0, 400))
  await shot(page, 'recoveries-civil-en')
  await page.getByText('中文', { exact: true }).click()
  await newPayee(page, caseId)
  await newAccount(page, caseId)
  await recordDeath(base, page, spouse)
  await context.close()
}

await run(work, main, () => browser)
