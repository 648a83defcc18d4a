// The console's entry: Vue, the router, and the few Element Plus pieces that
// are called as functions (ElMessage, ElMessageBox), whose styles the
// on-demand resolver cannot see in templates.
import { createApp } from 'vue'
import 'element-plus/theme-chalk/base.css'
import 'element-plus/theme-chalk/el-message.css'
import 'element-plus/theme-chalk/el-message-box.css'
import 'element-plus/theme-chalk/el-overlay.css'
import './style.css'
import App from './App.vue'
import router from './router.js'
import { locale } from './i18n.js'
import { pagerLabel } from './pager.js'

document.documentElement.lang = locale.value === 'en' ? 'en' : 'zh-CN'
createApp(App).use(router).directive('pager-label', pagerLabel).mount('#app')
