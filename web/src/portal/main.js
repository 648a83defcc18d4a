// The resident portal's entry: a second Vite entry (portal.html), so a
// resident's phone loads Vue, the router and the few Element Plus pieces the
// portal uses, never the console's screens, ECharts or its strings. The
// server answers /portal and /portal/... with portal.html (src/http/static.c).
import { createApp } from 'vue'
import 'element-plus/theme-chalk/base.css'
import 'element-plus/theme-chalk/el-message.css'
import './portal.css'
import PortalApp from './PortalApp.vue'
import router from './router.js'
import { locale } from './i18n.js'

document.documentElement.lang = locale.value === 'en' ? 'en' : 'zh-CN'
createApp(PortalApp).use(router).mount('#app')
