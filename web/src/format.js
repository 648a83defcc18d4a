// Small display helpers shared by the system screens.

// An API timestamp (UTC, ISO) in the browser's time zone, "2026-11-29 15:40:07".
export function fmtTime(iso) {
  if (!iso) return ''
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  const p = (n) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`
}

// Today in the browser's time zone, "2026-11-29" (a date input's default).
export function today() {
  const d = new Date()
  const p = (n) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`
}

// The API's `to` is exclusive; a date picker's end date means "through that
// day", so the query asks for the day after it.
export function dayAfter(ymd) {
  if (!ymd) return undefined
  const d = new Date(`${ymd}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + 1)
  return d.toISOString().slice(0, 10)
}

export function fmtBytes(n) {
  if (!n && n !== 0) return ''
  const units = ['B', 'KB', 'MB', 'GB', 'TB']
  let i = 0
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024
    i++
  }
  return `${n.toFixed(i ? 1 : 0)} ${units[i]}`
}

// Money: the API counts fen (integers); people read and type yuan.
export function yuan(fen) {
  if (fen === null || fen === undefined || fen === '') return ''
  const neg = fen < 0
  const a = Math.abs(Math.trunc(fen))
  const s = `${Math.floor(a / 100).toLocaleString('en-US')}.${String(a % 100).padStart(2, '0')}`
  return neg ? `-${s}` : s
}

// "1234.5" → 123450; anything else (negative, three decimals, text) → NaN.
// Parsed as text, never through a float, so 0.29 stays 29 fen.
export function toFen(text) {
  const m = /^\s*(\d{1,13})(?:\.(\d{1,2}))?\s*$/.exec(String(text ?? ''))
  if (!m) return NaN
  return Number(m[1]) * 100 + Number((m[2] || '').padEnd(2, '0'))
}
