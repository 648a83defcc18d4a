// Routes (history mode: the server answers every console path with
// index.html) and the menu, which is the same table: a page shows in the
// menu, and may be opened, only if the user holds its permission.
//
// A page with a `parent` is a detail page reached by URL or from its list
// (/residents/:code, /assistance/cases/:id): not in the menu; its
// breadcrumb runs through the parent.
//
// Departments group the pages. The residents screen belongs to the
// department of the user's role (民政 for civil-affairs and town
// caseworkers, 人社, 卫健; 数据交换 for the exchange officer); system pages
// sit under 系统管理, in 若依's order: 用户管理, 角色管理, 参数设置, 在线用户
// (security admin), 定时任务 (system admin), 操作日志 and 登录日志 (auditor),
// 服务监控 (system admin). The
// 数据交换 group (feeds, batches, quarantine, review queue) shows to
// whoever holds exchange:batch:read or exchange:review:read. 社会救助,
// 救助金发放, 核查提醒, 追回台账 and 预警与核实 sit under 民政.
import { createRouter, createWebHistory } from 'vue-router'
import { session, loadMe, can, forget } from './session.js'
import { setSessionEndedHandler } from './api.js'

const ROLE_DEPT = { hrss_officer: 'hrss', health_officer: 'health', exchange_officer: 'exchange' }

export const pages = [
  { name: 'home', path: '/', component: () => import('./views/Dashboard.vue') },
  { name: 'residents', path: '/residents', perm: 'registry:resident:read', dept: 'role', component: () => import('./views/Residents.vue') },
  { name: 'residentDetail', path: '/residents/:code', perm: 'registry:resident:read', dept: 'role', parent: 'residents', component: () => import('./views/Residents.vue') },
  { name: 'assistanceCases', path: '/assistance/cases', perm: 'assistance:case:read', dept: 'civil', component: () => import('./views/AssistanceCases.vue') },
  { name: 'assistanceCase', path: '/assistance/cases/:id', perm: 'assistance:case:read', dept: 'civil', parent: 'assistanceCases', component: () => import('./views/AssistanceCases.vue') },
  { name: 'assistancePayments', path: '/assistance/payments', perm: 'assistance:payment:run', dept: 'civil', component: () => import('./views/AssistancePayments.vue') },
  { name: 'assistanceReviews', path: '/assistance/reviews', perm: 'assistance:case:read', dept: 'civil', component: () => import('./views/AssistanceReviews.vue') },
  { name: 'assistanceRecoveries', path: '/assistance/recoveries', perm: 'assistance:case:read', dept: 'civil', component: () => import('./views/AssistanceRecoveries.vue') },
  { name: 'monitorTasks', path: '/monitor/tasks', perm: 'monitor:alert:read', dept: 'civil', component: () => import('./views/MonitorTasks.vue') },
  { name: 'exchangeFeeds', path: '/exchange/feeds', perm: 'exchange:batch:read', dept: 'exchange', component: () => import('./views/ExchangeFeeds.vue') },
  { name: 'exchangeBatches', path: '/exchange/batches', perm: 'exchange:batch:read', dept: 'exchange', component: () => import('./views/ExchangeBatches.vue') },
  { name: 'exchangeQuarantine', path: '/exchange/quarantine', perm: 'exchange:batch:read', dept: 'exchange', component: () => import('./views/ExchangeQuarantine.vue') },
  { name: 'exchangeReviews', path: '/exchange/reviews', perm: 'exchange:review:read', dept: 'exchange', component: () => import('./views/ExchangeReviews.vue') },
  { name: 'users', path: '/system/users', perm: 'system:user:read', dept: 'system', component: () => import('./views/Users.vue') },
  { name: 'roles', path: '/system/roles', perm: 'system:role:read', dept: 'system', component: () => import('./views/Roles.vue') },
  { name: 'policy', path: '/system/policy', perm: 'policy:read', dept: 'system', component: () => import('./views/Policy.vue') },
  { name: 'online', path: '/system/online', perm: 'system:session:read', dept: 'system', component: () => import('./views/Online.vue') },
  { name: 'jobs', path: '/system/jobs', perm: 'system:job:read', dept: 'system', component: () => import('./views/Jobs.vue') },
  { name: 'audit', path: '/system/audit', perm: 'audit:read', dept: 'system', component: () => import('./views/Audit.vue') },
  { name: 'loginLog', path: '/system/logins', perm: 'audit:read', dept: 'system', component: () => import('./views/LoginLog.vue') },
  { name: 'monitor', path: '/system/monitor', perm: 'system:monitor', dept: 'system', component: () => import('./views/Monitor.vue') },
]

export const pageNamed = (name) => pages.find((p) => p.name === name)

// The menu pages a permission opens (角色管理 shows them beside each
// permission). Detail pages (those with a parent) open through their list.
export function menusOf(permission) {
  return pages.filter((p) => p.perm === permission && !p.parent)
}

export function deptOf(page) {
  if (page.dept !== 'role') return page.dept || null
  return ROLE_DEPT[session.user?.role] || 'civil'
}

// [{dept: null, pages: [home]}, {dept: 'civil', pages: [...]}, ...] for the user.
export function menuFor() {
  const order = [null, 'civil', 'hrss', 'health', 'exchange', 'system']
  const groups = order.map((dept) => ({ dept, pages: [] }))
  for (const p of pages) {
    if (p.parent || (p.perm && !can(p.perm))) continue
    groups[order.indexOf(deptOf(p))].pages.push(p)
  }
  return groups.filter((g) => g.pages.length)
}

const router = createRouter({
  history: createWebHistory(),
  routes: [
    { path: '/login', name: 'login', component: () => import('./views/Login.vue'), meta: { isPublic: true } },
    {
      path: '/',
      component: () => import('./layouts/ConsoleLayout.vue'),
      children: [
        ...pages.map((p) => ({ path: p.path.slice(1), name: p.name, component: p.component, meta: { page: p } })),
        { path: ':rest(.*)*', name: 'notFound', component: () => import('./views/NotFound.vue') },
      ],
    },
  ],
})

router.beforeEach(async (to) => {
  if (!session.checked) await loadMe()
  if (to.meta.isPublic) return session.user && to.name === 'login' ? { name: 'home' } : true
  if (!session.user) return { name: 'login', query: to.fullPath !== '/' ? { redirect: to.fullPath } : {} }
  const page = to.meta.page
  if (page?.perm && !can(page.perm)) return { name: 'home' }
  return true
})

// A 401 from any call: the session expired or was revoked. Back to the
// login page, once, remembering where the user was.
setSessionEndedHandler(() => {
  if (!session.user) return
  forget()
  const here = router.currentRoute.value
  if (here.name !== 'login') router.replace({ name: 'login', query: { redirect: here.fullPath, expired: '1' } })
})

export default router
