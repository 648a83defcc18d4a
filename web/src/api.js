// The one way the console talks to the server: fetch with the session
// cookie (ms_session is HttpOnly and SameSite=Strict, set by the server at
// login), JSON in and out. No token is ever stored by the page.
//
// Errors come back as ApiError carrying the server's stable `code` and its
// `message` for people (Chinese, or English when the console is in
// English). A 401 anywhere but the login call means the session ended:
// the handler set by the router sends the user back to the login page.
import { locale } from './i18n.js'

export class ApiError extends Error {
  constructor(status, body) {
    const e = (body && body.error) || {}
    super(e.message || `HTTP ${status}`)
    this.status = status
    this.code = e.code || 'http_error'
    this.field = e.field || ''
    this.requestId = e.request_id || ''
  }
}

let onSessionEnded = () => {}
export function setSessionEndedHandler(fn) {
  onSessionEnded = fn
}

// body: an object sent as JSON, or (raw: true) a Blob/File sent as it is,
// as application/octet-stream (the exchange upload). The reply's status
// comes back with the data when the caller asks for it (withStatus), for
// routes whose 200 and 201 mean different things.
export async function api(method, path, { query, body, raw = false, withStatus = false } = {}) {
  const url = new URL(path, window.location.origin)
  for (const [k, v] of Object.entries(query || {})) {
    if (v !== undefined && v !== null && v !== '') url.searchParams.set(k, String(v))
  }
  // X-Requested-With: the server refuses changes made with the session
  // cookie without it (CSRF; docs/security.md).
  const headers = {
    Accept: 'application/json',
    'Accept-Language': locale.value === 'en' ? 'en' : 'zh-CN',
    'X-Requested-With': 'minsheng',
  }
  const init = { method, headers, credentials: 'same-origin' }
  if (body !== undefined && raw) {
    headers['Content-Type'] = 'application/octet-stream'
    init.body = body
  } else if (body !== undefined) {
    headers['Content-Type'] = 'application/json'
    init.body = JSON.stringify(body)
  }
  let res
  try {
    res = await fetch(url, init)
  } catch {
    throw new ApiError(0, { error: { code: 'network', message: locale.value === 'en' ? 'cannot reach the server' : '无法连接服务器' } })
  }
  const data = res.status === 204 ? null : await res.json().catch(() => null)
  if (!res.ok) {
    const err = new ApiError(res.status, data)
    if (res.status === 401 && err.code === 'unauthenticated') onSessionEnded()
    throw err
  }
  return withStatus ? { status: res.status, data } : data
}

export const get = (path, query) => api('GET', path, { query })
export const post = (path, body) => api('POST', path, { body: body || {} })
export const patch = (path, body) => api('PATCH', path, { body: body || {} })
export const del = (path) => api('DELETE', path)
// A file as the request body: {status, data}.
export const upload = (path, query, file) => api('POST', path, { query, body: file, raw: true, withStatus: true })

// A file from a GET route (the Excel export): fetched with the session
// cookie, saved under the server's file name; an error reply comes back as
// an ApiError like any other, so the page can say why.
export async function download(path, query) {
  const url = new URL(path, window.location.origin)
  for (const [k, v] of Object.entries(query || {})) {
    if (v !== undefined && v !== null && v !== '') url.searchParams.set(k, String(v))
  }
  const res = await fetch(url, { credentials: 'same-origin', headers: { 'Accept-Language': locale.value === 'en' ? 'en' : 'zh-CN', 'X-Requested-With': 'minsheng' } })
  if (!res.ok) {
    const err = new ApiError(res.status, await res.json().catch(() => null))
    if (res.status === 401 && err.code === 'unauthenticated') onSessionEnded()
    throw err
  }
  const name = /filename="([^"]+)"/.exec(res.headers.get('Content-Disposition') || '')?.[1] || 'export.xlsx'
  const href = URL.createObjectURL(await res.blob())
  const a = document.createElement('a')
  a.href = href
  a.download = name
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(href), 1000)
  return name
}
