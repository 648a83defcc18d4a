// A list that shows the answer to its latest request only: a reply to an
// older one (the first page still loading when the user changed a filter)
// is dropped. fetchPage() returns the API's {items, ...}; run() resolves to
// that reply, or null when it failed or was overtaken.
import { ref } from 'vue'

export function useLatest(fetchPage) {
  const rows = ref([])
  const loading = ref(false)
  const error = ref('')
  let seq = 0
  async function run() {
    const mine = ++seq
    loading.value = true
    error.value = ''
    try {
      const r = await fetchPage()
      if (mine !== seq) return null
      rows.value = r.items
      return r
    } catch (e) {
      if (mine !== seq) return null
      error.value = e.message
      rows.value = []
      return null
    } finally {
      if (mine === seq) loading.value = false
    }
  }
  return { rows, loading, error, run }
}
