// The logged-in resident's record, in memory only (a reload asks the
// server again; the HttpOnly cookie is the session).
import { reactive } from 'vue'
import { api } from './api.js'

export const portal = reactive({ me: null, checked: false })

export async function loadMe() {
  try {
    portal.me = await api('GET', '/api/v1/portal/me')
  } catch (e) {
    portal.me = null
    if (e.status !== 401) throw e
  } finally {
    portal.checked = true
  }
  return portal.me
}

export async function logout() {
  try {
    await api('DELETE', '/api/v1/portal/session')
  } finally {
    portal.me = null
  }
}
