// The portal's routes, under /portal/ (history mode: the server answers any
// /portal/... path with portal.html). Whether a resident is logged in is
// asked of the server (GET /api/v1/portal/me), never read from storage.
import { createRouter, createWebHistory } from 'vue-router'
import { setSessionEndedHandler } from './api.js'
import { portal, loadMe } from './session.js'

const routes = [
  { path: '/', redirect: '/me' },
  { path: '/login', component: () => import('./views/Login.vue'), meta: { public: true } },
  { path: '/me', component: () => import('./views/Me.vue') },
  { path: '/apps', component: () => import('./views/Apps.vue') },
  { path: '/apps/new', component: () => import('./views/Apply.vue') },
  { path: '/apps/:id(\\d+)', component: () => import('./views/AppDetail.vue'), props: true },
  { path: '/:rest(.*)*', redirect: '/me' },
]

const router = createRouter({ history: createWebHistory('/portal/'), routes })

router.beforeEach(async (to) => {
  if (to.meta.public) return true
  if (!portal.checked) await loadMe().catch(() => null)
  return portal.me ? true : { path: '/login' }
})

setSessionEndedHandler(() => {
  const was = !!portal.me
  portal.me = null
  if (router.currentRoute.value.path !== '/login') router.replace({ path: '/login', query: was ? { expired: '1' } : {} })
})

export default router
