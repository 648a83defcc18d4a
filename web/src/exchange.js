// What the four 数据交换 screens share: the feed list (for their filters;
// fetched once per page load), titles and reasons in the console's
// language, the colour of a field's linkage evidence, and times shown in
// China Standard Time whatever the browser's zone.
import { ref } from 'vue'
import { get } from './api.js'
import { can } from './session.js'
import { t, tv, locale } from './i18n.js'

export const feeds = ref([])
let feedsLoading = null

// GET /api/v1/exchange/feeds, once; [] when the role may not read feeds.
export function loadFeeds() {
  if (!can('exchange:batch:read')) return Promise.resolve([])
  if (!feedsLoading) {
    feedsLoading = get('/api/v1/exchange/feeds')
      .then((r) => (feeds.value = r.items))
      .catch((e) => {
        feedsLoading = null // try again next time
        throw e
      })
  }
  return feedsLoading
}

// An item with feed_title_zh / feed_title_en (batches, quarantined rows,
// review records, feeds themselves with title_*).
export function feedTitle(o) {
  if (!o) return ''
  const zh = o.feed_title_zh ?? o.title_zh
  const en = o.feed_title_en ?? o.title_en
  return (locale.value === 'en' ? en : zh) || o.feed || o.name || ''
}

export const reasonLabel = (code) => tv('reason', code)

// Evidence level → agree / partial / disagree / missing, from the labels
// of linkage.c: every field's top level is "exact", its bottom "different",
// and a value absent on either side is "missing".
export function evidenceClass(ev) {
  if (!ev || ev.level === null || ev.level === undefined || ev.label === 'missing') return 'missing'
  if (ev.label === 'exact') return 'agree'
  if (ev.label === 'different') return 'disagree'
  return 'partial'
}

export function evidenceLabel(ev) {
  if (!ev) return t('exchange.level.missing')
  return locale.value === 'en' ? ev.label.replace(/_/g, ' ') : ev.label_zh
}

// "2026-11-29T07:17:16.657Z" → "2026-11-29 15:17" (UTC+8, no DST).
export function cst(ts) {
  if (!ts) return '—'
  const d = new Date(Date.parse(ts) + 8 * 3600 * 1000)
  if (Number.isNaN(d.getTime())) return ts
  return d.toISOString().slice(0, 16).replace('T', ' ')
}

export function weight(w) {
  return typeof w === 'number' ? w.toFixed(1) : '—'
}
