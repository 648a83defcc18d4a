// caseform.mjs - the application form's 特困 and 临时救助 parts in a real
// browser against a real server (issue #5 items 1 and 5).
//
//   node tests/browser/caseform.mjs --minsheng build/minsheng --web-root web/dist
//   (scripts/web.sh test BUILD/minsheng runs every tests/browser/*.mjs)
//
// Same harness as casework.mjs: `minsheng serve` on 127.0.0.1:0 over a fresh
// SQLite database, synthetic residents made through the API (ID numbers
// with computed check characters). At 1366 px, as the town caseworker:
//   - 特困 for a woman of 85 living alone: the six daily-living items as
//     Chinese checkboxes, the care level hint following the items ticked
//     (one: 部分失能, four: 完全失能); a supporter without an age stopped
//     inline, then a son of 50 in prison; the body sends her items and the
//     supporter, and no 临时救助 part; the detail shows 完全失能 and the
//     supporter; investigated and visited (API), computed from the drawer:
//     1001 元 basic + 600 元 care subsidy (placeholder) = 1,601.00;
//   - 临时救助, emergency (a fire), paid first: an expense line without its
//     receipt and the event left empty are stopped inline, nothing sent;
//     then fixed and taken; the body sends the linshi part and the receipt,
//     no 特困 part; the detail shows the event and 待补齐材料; 先行救助 sends
//     it to the district; computed there, 1,540.00 within the town's
//     limit; 补齐材料 records the documents;
//   - the API's errors on these fields (`supporters[0].age`,
//     `members[1].adl_not_met[0]`, `linshi.kind`, `expenses[0].receipt_ref`,
//     answered by a stubbed POST) show on the right input, with 特困 and
//     临时救助 both as further schemes of a 低保 application;
//   - the form in English carries no raw keys.
// Screenshots: build/screenshots/caseform-*.png.
import {
  PASSWORD, idNumber, ok, requirePrerequisites, workdir, startServer, run, launchChromium, prepare, shot as harnessShot,
} from './lib/harness.mjs'

const chromium = requirePrerequisites('index.html')
const work = workdir('ms-caseform.')
let browser = null
const shot = (page, name, full = true) => harnessShot(page, `caseform-${name}`, full)

const USERS = [['civil', 'civil_caseworker'], ['town', 'town_caseworker', '500110101']]
const VILLAGE = '500110101005'
const OLD = { name: '韦秀英', id: idNumber('50011019410305286'), hukou: 'rural', relation: 'head' }
const FIRE_A = { name: '韦建国', id: idNumber('50011019850612331'), hukou: 'urban', relation: 'head' }
const FIRE_B = { name: '韦丽华', id: idNumber('50011019870921342'), hukou: 'urban', relation: 'spouse' }

async function apiAs(base, username, method, p, body) {
  const s = await fetch(`${base}/api/v1/session`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username, password: PASSWORD }) })
  const { token } = await s.json()
  const r = await fetch(`${base}${p}`, { method, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: body && JSON.stringify(body) })
  return { status: r.status, body: await r.json().catch(() => null) }
}

async function household(base, number, people) {
  const hh = await apiAs(base, 'civil', 'POST', '/api/v1/households', { number, address: { region_code: VILLAGE, detail: '测试路 8 号' } })
  if (!ok(hh.status === 201, `registers household ${number}`, JSON.stringify(hh.body))) throw new Error('no household')
  for (const r of people) {
    const res = await apiAs(base, 'civil', 'POST', '/api/v1/residents', {
      name: r.name, id_number: r.id, hukou_type: r.hukou, residence: { region_code: VILLAGE, detail: '测试路 8 号' }, household_id: hh.body.id, relation: r.relation,
    })
    if (!ok(res.status === 201, `registers ${r.name}`, JSON.stringify(res.body))) throw new Error('no resident')
    r.code = res.body.code
  }
}

const option = (page, text) => page.locator('.el-select-dropdown__item:visible', { hasText: text }).first()
async function choose(page, selector, text) {
  // An id names the select's input, which its selected label covers: click the wrapper.
  await (selector.startsWith('#') ? page.locator('.el-select', { has: page.locator(selector) }) : page.locator(selector)).click()
  await option(page, text).click()
}
// The error shown under the form item holding the element.
const errorOf = (page, selector) => page.locator('.el-form-item', { has: page.locator(selector) }).last().locator('.el-form-item__error')

async function openForm(page, applicant) {
  await page.goto('/assistance/cases')
  await page.locator('[data-test=ac-new]').click()
  await page.locator('[data-test=case-new]').waitFor()
  await page.locator('[data-test=cn-applicant] input').fill(applicant.name)
  await option(page, applicant.name).click()
  await page.locator(`[data-test=cn-counted-${applicant.code}]`).waitFor()
}

// Submits a form the page must stop: waits for the inline error on the
// element, and says whether an application was sent meanwhile.
async function submitStopped(page, selector) {
  let sent = false
  const watch = (r) => { if (r.url().endsWith('/api/v1/assistance/cases') && r.method() === 'POST') sent = true }
  page.on('request', watch)
  await page.locator('[data-test=cn-submit]').click()
  await errorOf(page, selector).waitFor()
  page.off('request', watch)
  return sent
}

const posted = (page) => page.waitForResponse((r) => r.url().endsWith('/api/v1/assistance/cases') && r.request().method() === 'POST')

async function tekunCase(page, base) {
  await openForm(page, OLD)
  await choose(page, '#cn-scheme', '特困人员供养')
  const part = page.locator('[data-test=cn-tekun]')
  await part.waitFor()
  const text = await part.innerText()
  ok(['自主吃饭', '穿衣', '上下床', '如厕', '室内行走', '洗澡', '残疾类别', '法定赡养、抚养、扶养义务人'].every((w) => text.includes(w)), '特困: the six daily-living items and the supporters, labelled in Chinese', text.slice(0, 300))
  const hint = page.locator(`[data-test=cn-care-${OLD.code}]`)
  ok((await hint.innerText()) === '生活自理', 'no item ticked: the hint says 生活自理')
  await page.locator(`[data-test=cn-adl-${OLD.code}-feeding]`).click()
  ok((await hint.innerText()) === '部分失能', 'one item: 部分失能')
  for (const a of ['dressing', 'toilet', 'bathing']) await page.locator(`[data-test=cn-adl-${OLD.code}-${a}]`).click()
  ok((await hint.innerText()) === '完全失能', 'four items: 完全失能')
  await page.locator('.el-switch', { has: page.locator('#cn-single') }).click()
  await page.locator('[data-test=cn-add-supporter]').click()
  await choose(page, '[data-test=cn-supporter-0] .el-select', '子女')
  const sent = await submitStopped(page, '[data-test=cn-supporter-0-age]')
  ok((await errorOf(page, '[data-test=cn-supporter-0-age]').innerText()).includes('请填写年龄'), 'a supporter without an age is stopped on its input')
  ok(!sent, 'and nothing is sent')
  await page.locator('[data-test=cn-supporter-0-age] input').fill('50')
  await page.locator('[data-test=cn-supporter-0-age] input').press('Tab')
  await page.locator('[data-test=cn-supporter-0-in_prison]').click()
  await page.locator('[data-test=cn-account]').fill('6217000012800009')
  await shot(page, 'tekun')
  const res = posted(page)
  await page.locator('[data-test=cn-submit]').click()
  const cr = await res
  const body = cr.request().postDataJSON()
  ok(cr.status() === 201, 'the 特困 application is taken (201)', `${cr.status()} ${await cr.text()}`)
  ok(body.scheme === 'tekun' && JSON.stringify(body.members[0].adl_not_met) === '["feeding","dressing","toilet","bathing"]', 'the body sends the items not met, in the assessment\'s order', JSON.stringify(body.members))
  const s = body.supporters && body.supporters[0]
  ok(s && s.relation === 'child' && s.age === 50 && s.in_prison === true && s.missing === false && !('annual_income_fen' in s), 'and the supporter: a son of 50 in prison', JSON.stringify(body.supporters))
  ok(!('linshi' in body), 'and no 临时救助 part', JSON.stringify(Object.keys(body)))
  const id = (await cr.json()).id
  await page.locator('[data-test=case-tekun]').waitFor()
  ok((await page.locator('[data-test=case-tekun]').innerText()).includes('自主吃饭、穿衣、如厕、洗澡'), 'the detail lists the items she cannot do')
  ok((await page.locator('[data-test=case-supporters]').innerText()).includes('正在服刑'), 'and the supporter in prison')
  for (const [tail, b] of [['investigation', {}], ['visit', { investigators: ['town', 'civil'], family_signed: true }]]) {
    const r = await apiAs(base, 'town', 'POST', `/api/v1/assistance/cases/${id}/${tail}`, b)
    ok(r.status === 200, `特困 case: ${tail} through the API`, JSON.stringify(r.body))
  }
  await page.reload()
  await page.locator('[data-test=case-act-compute]').click()
  await page.locator('[data-test=case-act-confirm]').click()
  await page.locator('[data-test=case-act-dialog]').waitFor({ state: 'hidden' })
  await page.locator('[data-test=case-amount]').waitFor()
  ok((await page.locator('[data-test=case-amount]').innerText()) === '1,601.00', 'computed: 1001 元 basic + 600 元 care subsidy = 1,601.00 a month', await page.locator('[data-test=case-amount]').innerText())
  ok((await page.locator(`[data-test=case-care-${OLD.code}]`).getAttribute('data-level')) === 'full', 'computed: the detail shows her care level, 完全失能')
  ok((await page.locator('[data-test=case-tekun]').innerText()).includes('600.00'), 'the 特困 table shows her care subsidy')
  await page.locator('[data-test=case-tekun]').scrollIntoViewIfNeeded()
  await shot(page, 'tekun-detail', false)
}

async function linshiCase(page) {
  await openForm(page, FIRE_A)
  await choose(page, '#cn-scheme', '临时救助')
  await page.locator('[data-test=cn-linshi]').waitFor()
  ok((await page.locator('[data-test=cn-tekun]').count()) === 0, '临时救助 alone: no 特困 part')
  await page.locator('[data-test=cn-add-expenses]').click()
  await page.locator('[data-test=cn-expenses-0-yuan]').fill('300')
  const sent = await submitStopped(page, '[data-test=cn-expenses-0-receipt]')
  ok((await errorOf(page, '[data-test=cn-expenses-0-receipt]').innerText()).includes('票据号'), 'an expense without its receipt number is stopped on that input')
  ok((await errorOf(page, '#cn-linshi-kind').innerText()).includes('请选择临时救助类型'), 'and the kind left empty on its select')
  ok(!sent, 'nothing is sent')
  await shot(page, 'linshi-invalid')
  await choose(page, '#cn-linshi-kind', '急难型')
  await choose(page, '#cn-linshi-cause', '火灾')
  await page.locator('#cn-linshi-months').fill('2')
  await page.locator('#cn-linshi-months').press('Tab')
  await page.locator('[data-test=cn-linshi-payfirst]').click()
  await page.locator('[data-test=cn-expenses-0-receipt]').fill('R-FIRE-0001')
  await page.locator('[data-test=cn-account]').fill('6217000012800010')
  const res = posted(page)
  await page.locator('[data-test=cn-submit]').click()
  const cr = await res
  const body = cr.request().postDataJSON()
  ok(cr.status() === 201, 'fixed: the 临时救助 application is taken (201)', `${cr.status()} ${await cr.text()}`)
  ok(JSON.stringify(body.linshi) === JSON.stringify({ kind: 'emergency', cause: 'fire', severity: 'general', months: 2, pay_first: true }), 'the body sends the event', JSON.stringify(body.linshi))
  ok(body.expenses[0].receipt_ref === 'R-FIRE-0001' && body.expenses[0].amount_fen === 30000, 'and the expense with its receipt, in fen', JSON.stringify(body.expenses))
  ok(!('supporters' in body) && body.members.every((m) => !('adl_not_met' in m) && !('disability_type' in m)), 'and no 特困 part', JSON.stringify(body.members))
  const detail = page.locator('[data-test=case-linshi]')
  await detail.waitFor()
  const text = await detail.innerText()
  ok(text.includes('急难型') && text.includes('火灾') && text.includes('2 个月'), 'the detail shows the event', text)
  ok((await page.locator('[data-test=case-documents]').getAttribute('data-owed')) === 'true', 'paid first: 待补齐材料')
  await page.locator('[data-test=case-act-pay_first]').click()
  await page.locator('[data-test=case-act-confirm]').click()
  await page.locator('[data-test=case-status][data-status=district_review]').waitFor()
  ok(true, '先行救助 from the drawer sends it to the district')
  await page.locator('[data-test=case-act-compute]').click()
  await page.locator('[data-test=case-act-confirm]').click()
  await page.locator('[data-test=case-linshi-limits]').waitFor()
  ok((await page.locator('[data-test=case-amount]').innerText()) === '1,540.00', 'computed: 1 × 770 元 × 2 months = 1,540.00 (placeholder tier)', await page.locator('[data-test=case-amount]').innerText())
  ok((await page.locator('[data-test=case-linshi-limits]').innerText()) === '在乡镇审批限额内', 'within the town\'s limit, said in the 临时救助 part', await page.locator('[data-test=case-linshi-limits]').innerText())
  await page.locator('[data-test=case-documents-complete]').click()
  await page.locator('.el-message-box').getByRole('button', { name: '确定' }).click()
  await page.locator('[data-test=case-documents][data-owed=false]').waitFor()
  ok((await page.locator('[data-test=case-documents]').innerText()).includes('补齐'), '补齐材料 records the documents', await page.locator('[data-test=case-documents]').innerText())
  await detail.scrollIntoViewIfNeeded()
  await shot(page, 'linshi-detail', false)
}

// The API's field errors land on the input they name: a 低保 application
// with 特困 and 临时救助 as further schemes, the POST answered by a stub.
async function apiErrors(page) {
  await openForm(page, FIRE_A)
  await page.locator('[data-test=cn-more-tekun]').click()
  await page.locator('[data-test=cn-more-linshi]').click()
  await page.locator('[data-test=cn-linshi]').waitFor()
  ok((await page.locator('[data-test=cn-tekun]').isVisible()), '特困 as a further scheme shows its part too')
  await page.locator('[data-test=cn-add-supporter]').click()
  await page.locator('[data-test=cn-supporter-0-age] input').fill('45')
  await page.locator('[data-test=cn-supporter-0-age] input').press('Tab')
  await page.locator('[data-test=cn-add-expenses]').click()
  await page.locator('[data-test=cn-expenses-0-yuan]').fill('100')
  await page.locator('[data-test=cn-expenses-0-receipt]').fill('R-1')
  await choose(page, '#cn-linshi-kind', '支出型')
  await choose(page, '#cn-linshi-cause', '医疗支出')
  await page.locator(`[data-test=cn-adl-${FIRE_B.code}-bathing]`).click()
  let field = ''
  await page.route('**/api/v1/assistance/cases', (route) => (route.request().method() === 'POST'
    ? route.fulfill({ status: 400, contentType: 'application/json', body: JSON.stringify({ error: { code: 'invalid_field', field, message: `服务端拒绝：${field}` } }) })
    : route.continue()))
  const cases = [
    ['supporters[0].age', '[data-test=cn-supporter-0-age]'],
    ['members[1].adl_not_met[0]', `[data-test=cn-adl-${FIRE_B.code}]`],
    ['linshi.kind', '#cn-linshi-kind'],
    ['expenses[0].receipt_ref', '[data-test=cn-expenses-0-receipt]'],
  ]
  let body = null
  for (const [f, selector] of cases) {
    field = f
    const req = page.waitForRequest((r) => r.url().endsWith('/api/v1/assistance/cases') && r.method() === 'POST')
    await page.locator('[data-test=cn-submit]').click()
    body = (await req).postDataJSON()
    const e = errorOf(page, selector)
    await e.waitFor({ timeout: 5000 }).catch(() => {})
    ok((await e.count()) === 1 && (await e.innerText()).includes(f), `the API's error on ${f} shows on its input`)
  }
  await shot(page, 'api-error')
  await page.unroute('**/api/v1/assistance/cases')
  ok(JSON.stringify(body.schemes) === '["dibao","tekun","linshi"]' && body.linshi && body.linshi.kind === 'expenditure' && body.supporters.length === 1
    && JSON.stringify(body.members[1].adl_not_met) === '["bathing"]', 'as further schemes, both parts are sent', JSON.stringify(body))
  // The same form in English (the switch sits under the drawer's mask): no raw keys.
  await page.getByText('English', { exact: true }).dispatchEvent('click')
  await page.locator('[data-test=case-new]', { hasText: 'Legal supporters' }).waitFor()
  const text = await page.locator('[data-test=case-new]').innerText()
  ok(!/\b(caseForm|adl|careLevel|disabilityType|supporterFlag|linshiKind|linshiCause|linshiSeverity|assistance)\.[a-zA-Z]/.test(text) && text.includes('Legal supporters') && text.includes('Walking indoors'), 'the form in English: no raw keys', text.slice(0, 400))
  await page.getByText('中文', { exact: true }).dispatchEvent('click')
}

async function main() {
  prepare(work, USERS)
  const base = await startServer(work)
  await household(base, 'CF0000001', [OLD])
  await household(base, 'CF0000002', [FIRE_A, FIRE_B])
  browser = await launchChromium(chromium)
  const context = await browser.newContext({ viewport: { width: 1366, height: 860 }, locale: 'zh-CN', baseURL: base })
  const page = await context.newPage()
  page.on('pageerror', (e) => ok(false, 'no page error', e.message))
  await page.goto('/login')
  await page.getByLabel('用户名').fill('town')
  await page.getByLabel('密码', { exact: true }).fill(PASSWORD)
  await page.locator('[data-test=login-submit]').click()
  await page.locator('[data-test=who]').waitFor()
  await tekunCase(page, base)
  await linshiCase(page)
  await apiErrors(page)
  await context.close()
}

await run(work, main, () => browser)
