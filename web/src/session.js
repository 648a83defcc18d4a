// Who is logged in: the user from GET /api/v1/me (or the login reply),
// with the permissions that decide the menu and the routes. Kept in memory
// only; a reload asks the server again (the cookie is the session).
import { reactive } from 'vue'
import { get, post, del } from './api.js'

export const session = reactive({ user: null, checked: false })

export function can(permission) {
  return !!session.user && session.user.permissions.includes(permission)
}

export async function loadMe() {
  try {
    session.user = await get('/api/v1/me')
  } catch (e) {
    if (e.status !== 401) throw e
    session.user = null
  }
  session.checked = true
  return session.user
}

export async function login(username, password) {
  const r = await post('/api/v1/session', { username, password })
  session.user = r.user
  session.checked = true
  return r.user
}

export async function logout() {
  try {
    await del('/api/v1/session')
  } finally {
    session.user = null
  }
}

export function forget() {
  session.user = null
}
