// harness.mjs - what the browser tests share (tests/browser/*.mjs; this
// folder is not run as a test): the command-line arguments, the TAP-like
// tally, clear failures for missing prerequisites, a fresh database folder,
// `minsheng serve` on 127.0.0.1:0 started and stopped, and screenshots.
import { spawn, execFileSync } from 'node:child_process'
import { createRequire } from 'node:module'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..')
export const CHROMIUM = '/usr/bin/chromium'
export const PASSWORD = 'Browser-Test-Passw0rd-42'

function arg(name, dflt) {
  const i = process.argv.indexOf(name)
  return i > 0 ? process.argv[i + 1] : dflt
}
export const minsheng = path.resolve(arg('--minsheng', path.join(repo, 'build/minsheng')))
export const webRoot = path.resolve(arg('--web-root', path.join(repo, 'web/dist')))
export const shotDir = path.resolve(arg('--screenshots', path.join(repo, 'build/screenshots')))

// The tally; the closing line is "N passed, M failed".
export const tally = { passed: 0, failed: 0 }
export function ok(cond, what, extra = '') {
  if (cond) {
    tally.passed++
    console.log(`ok ${tally.passed + tally.failed} - ${what}`)
  } else {
    tally.failed++
    console.log(`not ok ${tally.passed + tally.failed} - ${what}${extra ? `\n${String(extra).replace(/^/gm, '# ')}` : ''}`)
  }
  return cond
}
export function bail(msg) {
  console.log(`not ok 1 - ${msg}`)
  console.log('0 passed, 1 failed')
  process.exit(1)
}

// Chromium, the binary and the page (index.html or portal.html) must be
// there; a missing one is a failure with its remedy, not a skip.
export function requirePrerequisites(page) {
  if (!fs.existsSync(CHROMIUM)) bail(`${CHROMIUM} not found: install it with scripts/deps.sh web`)
  if (!fs.existsSync(minsheng)) bail(`${minsheng} not found: build it first`)
  if (!fs.existsSync(path.join(webRoot, page))) bail(`${webRoot}/${page} not found: run scripts/web.sh build`)
  try {
    return createRequire(path.join(repo, 'web/package.json'))('playwright-core').chromium
  } catch {
    bail('playwright-core is not installed: run scripts/web.sh build (npm ci in web/)')
  }
  return null
}

// An 18-digit ID number with a valid check character (GB 11643).
export function idNumber(first17) {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
  const sum = [...first17].reduce((s, c, i) => s + Number(c) * w[i], 0)
  return first17 + '10X98765432'[sum % 11]
}

// The last one-time code the portal's demo sender wrote to the server log
// for a resident code (event portal.otp.demo_code), or null.
export function otpFromLog(logPath, residentCode) {
  let code = null
  for (const l of fs.readFileSync(logPath, 'utf8').trim().split('\n')) {
    if (!l.includes('"portal.otp.demo_code"')) continue
    const j = JSON.parse(l)
    if (j.resident === residentCode) code = j.otp
  }
  return code
}

// A fresh folder with the database and the server's log.
export function workdir(prefix) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), prefix))
  return { tmp, db: path.join(tmp, 'test.db'), logPath: path.join(tmp, 'server.log') }
}

export function cli(db, args, input) {
  return execFileSync(minsheng, [...args, '--db', db], { input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] })
}

// The screenshot folder, and a migrated database with the place names and
// these users ([name, role, scope?]; display name 测试<name>, PASSWORD).
export function prepare(work, users) {
  fs.mkdirSync(shotDir, { recursive: true })
  cli(work.db, ['migrate'])
  cli(work.db, ['places', 'import', '--file', path.join(repo, 'data/wansheng/placenames.csv')])
  for (const [name, role, scope] of users) {
    cli(work.db, ['user', 'add', name, '--role', role, '--display-name', `测试${name}`, '--password-stdin', ...(scope ? ['--scope', scope] : [])], `${PASSWORD}\n`)
  }
}

// `minsheng serve` on a free port; returns its base URL once /healthz answers.
let server = null
export async function startServer(work) {
  const portFile = path.join(work.tmp, 'port')
  const log = fs.openSync(work.logPath, 'w')
  server = spawn(minsheng, ['serve', '--db', work.db, '--listen', '127.0.0.1:0', '--port-file', portFile, '--threads', '2', '--web-root', webRoot], { stdio: ['ignore', log, log] })
  server.exited = new Promise((resolve) => server.on('exit', (code, sig) => resolve({ code, sig })))
  for (let i = 0; i < 100; i++) {
    if (server.exitCode !== null) throw new Error(`server exited: ${fs.readFileSync(work.logPath, 'utf8')}`)
    if (fs.existsSync(portFile)) {
      const base = `http://127.0.0.1:${fs.readFileSync(portFile, 'utf8').trim()}`
      const r = await fetch(`${base}/healthz`).catch(() => null)
      if (r && r.ok) return base
    }
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error('server did not come up in 10 s')
}

// SIGTERM, and a check that it exits 0 within 12 s (else SIGKILL).
export async function stopServer() {
  if (!server || server.exitCode !== null) return
  server.kill('SIGTERM')
  const timeout = new Promise((r) => setTimeout(() => r(null), 12000))
  const done = await Promise.race([server.exited, timeout])
  if (!done) {
    server.kill('SIGKILL')
    await server.exited
  }
  ok(done && done.code === 0, 'server stops cleanly on SIGTERM', JSON.stringify(done))
}

export async function shot(page, name, fullPage = false) {
  await page.waitForTimeout(400) // let transitions settle
  await page.screenshot({ path: path.join(shotDir, `${name}.png`), fullPage })
}

// Debian's chromium, headless, without what would reach the network.
export function launchChromium(chromium) {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  })
}

// Runs a test's main(); whatever happens, closes the browser (the getter's,
// if main got that far), stops the server and finishes. A throw is one
// failure with its stack.
export async function run(work, main, getBrowser) {
  let crashed = null
  try {
    await main()
  } catch (e) {
    crashed = e
    ok(false, 'the run completed', e.stack || String(e))
  } finally {
    const browser = getBrowser()
    if (browser) await browser.close().catch(() => {})
    await stopServer()
  }
  finish(work, crashed)
}

// The end of a run: the log's last lines if anything failed, the folder
// removed, the closing line and the exit status.
export function finish(work, crashed) {
  if (tally.failed && fs.existsSync(work.logPath)) {
    const lines = fs.readFileSync(work.logPath, 'utf8').trim().split('\n').slice(-15)
    for (const l of lines) console.log(`# ${l}`)
  }
  fs.rmSync(work.tmp, { recursive: true, force: true })
  console.log(`screenshots in ${shotDir}`)
  console.log(`${tally.passed} passed, ${tally.failed} failed`)
  process.exit(tally.failed || crashed ? 1 : 0)
}
