// What the portal's 办事进度 screens share: the colour of a status tag and
// the amount in yuan. The words come from the server (status_zh/status_en,
// steps' title_zh/title_en), so the console and the portal name a state the
// same way only where the server says so.
const DONE_WELL = ['approved', 'enrolled']
const DONE_BADLY = ['refused', 'declined', 'stopped']

export function statusType(status) {
  if (DONE_WELL.includes(status)) return 'success'
  if (DONE_BADLY.includes(status)) return 'info'
  if (status === 'submitted') return 'warning'
  return 'primary'
}

export function yuan(fen) {
  return (Number(fen || 0) / 100).toFixed(2)
}

// 12.5 -> 1250; null for anything that is not an amount of at least 0 with
// at most two decimals ('' is 0: no such income).
export function toFen(text) {
  const s = String(text ?? '').trim()
  if (s === '') return 0
  if (!/^\d{1,9}(\.\d{1,2})?$/.test(s)) return null
  const [a, b = ''] = s.split('.')
  return Number(a) * 100 + Number((b + '00').slice(0, 2))
}
