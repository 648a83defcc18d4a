// How the portal talks to the server: fetch with the ms_portal cookie
// (HttpOnly, SameSite=Strict, Path=/api/v1/portal; set at login, never
// readable by the page), JSON in and out, X-Requested-With on every call
// (the server's CSRF rule for cookie sessions). Nothing is kept in
// localStorage and no personal data goes into a URL: the ID number and the
// code travel only in POST bodies.
import { locale } from './i18n.js'

export class ApiError extends Error {
  constructor(status, body) {
    const e = (body && body.error) || {}
    super(e.message || `HTTP ${status}`)
    this.status = status
    this.code = e.code || 'http_error'
    this.field = e.field || ''
  }
}

let onSessionEnded = () => {}
export function setSessionEndedHandler(fn) {
  onSessionEnded = fn
}

export async function api(method, path, body) {
  const headers = {
    Accept: 'application/json',
    'Accept-Language': locale.value === 'en' ? 'en' : 'zh-CN',
    'X-Requested-With': 'minsheng-portal',
  }
  const init = { method, headers, credentials: 'same-origin', cache: 'no-store' }
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json'
    init.body = JSON.stringify(body)
  }
  let res
  try {
    res = await fetch(path, init)
  } catch {
    throw new ApiError(0, { error: { code: 'network', message: locale.value === 'en' ? 'cannot reach the server' : '网络异常，请稍后再试' } })
  }
  const data = res.status === 204 ? null : await res.json().catch(() => null)
  if (!res.ok) {
    const err = new ApiError(res.status, data)
    if (res.status === 401 && err.code === 'unauthenticated') onSessionEnded()
    throw err
  }
  return data
}
