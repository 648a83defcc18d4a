// jobs.mjs - 定时任务 in a real browser against a real server.
//
//   node tests/browser/jobs.mjs --minsheng build/minsheng --web-root web/dist
//   (scripts/web.sh test BUILD/minsheng runs every tests/browser/*.mjs)
//
// Same harness as console.mjs: `minsheng serve` on 127.0.0.1:0 over a fresh
// SQLite database with a system administrator and a caseworker. Then:
//   - the caseworker has no 定时任务 in the menu, and /system/jobs sends
//     them home;
//   - the administrator sees every job, off, with its Chinese title;
//   - a schedule that does not parse is refused with the server's Chinese
//     message under the field, and the old schedule stays;
//   - a good schedule is saved; 启用 shows the next run;
//   - 立即执行 runs the monitoring scan and shows its summary; the run log
//     lists it as 手动, 成功, by admin;
//   - the screen in English has no Chinese labels.
// Screenshots: build/screenshots/jobs-*.png.
import {
  PASSWORD, ok, requirePrerequisites, workdir, prepare, startServer, launchChromium, run, shot,
} from './lib/harness.mjs'

const chromium = requirePrerequisites('index.html')
const work = workdir('ms-jobs.')
let browser = null

async function login(page, username) {
  await page.goto('/login')
  await page.getByLabel('用户名').fill(username)
  await page.getByLabel('密码').fill(PASSWORD)
  await page.getByRole('button', { name: '登录' }).click()
  await page.waitForURL((u) => !u.pathname.startsWith('/login'))
}

async function main() {
  prepare(work, [['admin', 'admin'], ['civil', 'civil_caseworker']])
  const base = await startServer(work)
  browser = await launchChromium(chromium)

  // A caseworker neither sees nor reaches the screen.
  {
    const context = await browser.newContext({ viewport: { width: 1366, height: 860 }, locale: 'zh-CN', baseURL: base })
    const page = await context.newPage()
    await login(page, 'civil')
    ok((await page.locator('[data-test=menu-jobs]').count()) === 0, 'caseworker: no 定时任务 in the menu')
    await page.goto('/system/jobs')
    await page.waitForURL((u) => u.pathname === '/')
    ok(true, 'caseworker: /system/jobs goes back home')
    await context.close()
  }

  const context = await browser.newContext({ viewport: { width: 1366, height: 860 }, locale: 'zh-CN', baseURL: base })
  const page = await context.newPage()
  page.on('pageerror', (e) => ok(false, 'no page error', e.message))
  await login(page, 'admin')
  await page.locator('[data-test=dept-system]').click().catch(() => {})
  await page.locator('[data-test=menu-jobs]').click()
  const table = page.locator('[data-test=jobs-table]')
  await table.locator('.el-table__row', { hasText: 'monitor.scan' }).waitFor()
  const text = await table.innerText()
  ok(['全量监测扫描', '按月发放', '死亡后发放追回核查', '户籍人口疑似重复查找'].every((s) => text.includes(s)), 'admin: every job is listed with its Chinese title', text.slice(0, 300))
  ok((await table.locator('.el-switch.is-checked').count()) === 0, 'admin: every job starts off')
  ok(text.includes('尚未执行'), 'admin: a job never run says so')

  // A bad schedule: the server's message under the field; nothing saved.
  await page.locator('[data-test="job-edit-monitor.scan"]').click()
  await page.locator('#job-schedule').fill('0 25 * * *')
  await page.locator('[data-test=job-save]').click()
  const fieldError = page.locator('.el-form-item__error')
  await fieldError.waitFor()
  ok((await fieldError.innerText()).includes('小时'), 'a bad schedule shows the Chinese error under the field', await fieldError.innerText())
  await shot(page, 'jobs-bad-schedule')
  await page.locator('#job-schedule').fill('30 1 * * *')
  await page.locator('[data-test=job-save]').click()
  await table.locator('.el-table__row', { hasText: '30 1 * * *' }).waitFor()
  ok(true, 'a good schedule is saved and shown')

  // 启用: the next run appears.
  const row = table.locator('.el-table__row', { hasText: 'monitor.scan' })
  await page.locator('[data-test="job-enable-monitor.scan"]').click()
  await row.locator('.el-switch.is-checked').waitFor()
  ok(/\d{4}-\d{2}-\d{2} \d{2}:30:00/.test(await row.innerText()), 'enabled: the next run is shown', await row.innerText())

  // 立即执行, then the log.
  await page.locator('[data-test="job-run-monitor.scan"]').click()
  await page.locator('.el-message-box').getByRole('button', { name: '确定' }).click()
  const msg = page.locator('.el-message--success', { hasText: '执行成功' })
  await msg.waitFor()
  ok((await msg.innerText()).includes('条规则'), 'run now: the summary is shown', await msg.innerText())
  await row.locator('.el-tag', { hasText: '成功' }).waitFor()
  ok(true, 'run now: the last run shows 成功')
  await page.locator('[data-test="job-log-monitor.scan"]').click()
  const runs = page.locator('[data-test=job-runs] .el-table__row')
  await runs.first().waitFor()
  const runText = await runs.first().innerText()
  ok(runText.includes('手动') && runText.includes('成功') && runText.includes('admin'), 'the run log lists the manual run by admin', runText)
  await shot(page, 'jobs-log-admin')
  await page.keyboard.press('Escape')
  await shot(page, 'jobs-admin')

  await page.getByText('English', { exact: true }).click()
  await table.locator('.el-table__row', { hasText: 'monitor.scan' }).waitFor()
  const en = await page.locator('#main').innerText()
  ok(!/\bjobs\.[a-zA-Z]/.test(en) && !/[\u4e00-\u9fff]{2,}/.test(en.replace(/扫描 \d+：.*$/gm, '')), 'jobs in English: no raw keys, no Chinese labels', en.slice(0, 400))
  await shot(page, 'jobs-admin-en')
  await page.getByText('中文', { exact: true }).click()
  await context.close()
}

await run(work, main, () => browser)
