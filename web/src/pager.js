// v-pager-label: Element Plus gives the pagination's page-size select no
// label of its own (axe rule "label", critical: a screen reader announces an
// unnamed combo box). The directive names it with the console's words each
// time the pagination renders, so it follows the language switch.
import { t } from './i18n.js'

function label(el) {
  for (const input of el.querySelectorAll('.el-pagination__sizes input')) input.setAttribute('aria-label', t('common.pageSize'))
  for (const input of el.querySelectorAll('.el-pagination__jump input')) input.setAttribute('aria-label', t('common.goToPage'))
}

export const pagerLabel = { mounted: label, updated: label }
