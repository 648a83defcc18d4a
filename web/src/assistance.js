// What the 社会救助 screens share: the code lists of the application form
// and the case actions.
//
// A case's buttons come from the server: the case detail's
// `allowed_actions` (the moves this caller may make now, docs/
// assistance.md "The procedure"). Each action kind is one entry of ACTIONS:
// the fields of its small form and the call it makes. A kind the server
// allows with no entry shows as a disabled button, so nothing the server
// allows is silently hidden.
import { get, post } from './api.js'
import { can, session } from './session.js'

export const SCHEMES = ['dibao', 'tekun', 'linshi']
export const STATUSES = ['submitted', 'draft', 'investigating', 'visited', 'town_reviewed', 'publicity', 'reinvestigating', 'district_review', 'computed', 'approved', 'refused', 'enrolled', 'stopped', 'declined']
// How an application came: taken at the town's window, or sent from the resident portal.
export const CHANNELS = ['window', 'online']
export const RELATIONS = ['self', 'spouse', 'child', 'parent', 'sibling', 'grandchild', 'grandparent', 'other']
export const INCOME_KINDS = [
  'wage', 'business', 'agriculture', 'property', 'pension', 'support', 'unemployment', 'compensation', 'other',
  'resident_pension', 'veteran_benefit', 'family_planning', 'scholarship', 'heroism_reward', 'social_assistance',
  'deduction_medical', 'deduction_work_cost', 'transfer_out',
]
export const ASSET_KINDS = ['deposit', 'securities', 'insurance', 'claim', 'internet_finance', 'house', 'vehicle', 'other']
export const EXPENSE_KINDS = ['medical', 'education', 'rehabilitation', 'other']

// The parts of 特困 and 临时救助 an application declares (docs/assistance.md
// "特困", "临时救助"); the server checks each against the same lists.
// The six daily-living items (生活自理能力评估), in the assessment's order.
export const ADL_ITEMS = ['feeding', 'dressing', 'bed_transfer', 'toilet', 'indoor_walking', 'bathing']
export const DISABILITY_TYPES = ['intellectual', 'mental', 'physical', 'visual', 'hearing', 'speech', 'multiple']
// 法定赡养、抚养、扶养义务人: their relation to the applicant, and what makes
// one unable to support (each a boolean of the supporter).
export const SUPPORTER_RELATIONS = RELATIONS.filter((r) => r !== 'self')
export const SUPPORTER_FLAGS = ['tekun', 'dibao', 'severely_disabled', 'low_assets', 'incapacitated', 'missing', 'in_prison']
export const LINSHI_CAUSES = {
  emergency: ['fire', 'traffic_accident', 'other_accident', 'major_illness', 'other'],
  expenditure: ['medical', 'education', 'other'],
}
export const LINSHI_SEVERITIES = ['general', 'serious', 'critical']

// The care level a number of items not met implies (0: self, below
// fullMin: partial, else full), as a hint only: the server decides on the
// policy value in force (assistance.tekun.adl_full_loss_min).
export function careLevel(itemsNotMet, fullMin) {
  if (!itemsNotMet) return 'self'
  return itemsNotMet < fullMin ? 'partial' : 'full'
}

// Policy values in force (GET /api/v1/policy, policy:read) for the keys
// asked, as numbers; {} for a user without the permission or on an error
// (the form then falls back to its hint defaults; the server decides).
export async function policyNumbers(keys) {
  if (!can('policy:read')) return {}
  try {
    const items = (await get('/api/v1/policy')).items
    return Object.fromEntries(items.filter((p) => keys.includes(p.key) && p.current).map((p) => [p.key, Number(p.current.value)]))
  } catch {
    return {}
  }
}

// A registry relation to the head, as the assistance form's relation to
// the applicant (the applicant is always "self"; the clerk corrects the rest).
export function relationFromRegistry(rel) {
  return RELATIONS.includes(rel) && rel !== 'self' ? rel : 'other'
}

const casePath = (id, tail) => `/api/v1/assistance/cases/${encodeURIComponent(id)}/${tail}`
const orUndefined = (v) => (v === '' || v === null ? undefined : v)

// Ways a written notice is delivered (送达方式); sent as the notice step's note_zh.
export const DELIVERY = ['direct', 'post', 'left', 'electronic']

// Each field: {key, kind, required, label, check}. kind: 'date' | 'text' |
// 'textarea' | 'staff' (usernames, a multi-select that also takes typed
// names) | 'signed' (a checkbox that must be ticked) | 'delivery' (DELIVERY).
// The label is caseActionField.<label or key>; check(value) returns the
// caseActionCheck.<key> of an error or ''. `type` is the button's look.
// The keys are the server's action names (allowed_actions[].action).
const on = (label) => ({ key: 'on', kind: 'date', label })
const text = (key, required = true) => ({ key, kind: 'textarea', required })
const investigators = { key: 'investigators', kind: 'staff', required: true, check: (v) => (new Set(v || []).size < 2 ? 'twoInvestigators' : '') }
const trimmed = (v) => (typeof v === 'string' ? orUndefined(v.trim()) : v)
// The body of a step: every field, dates left empty mean today (server).
const stepBody = (fields, f) => Object.fromEntries(fields.map((x) => [x.key, x.kind === 'delivery' ? undefined : trimmed(f[x.key])]))
function step(tail, fields, extra = {}) {
  return {
    perm: 'assistance:case:write', type: 'primary', fields, ...extra,
    call: (id, f) => post(casePath(id, tail), { ...stepBody(fields, f), ...(extra.body ? extra.body(f) : {}) }),
  }
}
const decision = (decision, type) => ({
  perm: 'assistance:case:decide', type,
  fields: [{ key: 'reason_zh', kind: 'textarea', required: true, label: 'decision_reason' }, { key: 'decided_on', kind: 'date' }],
  call: (id, f) => post(casePath(id, 'decision'), { decision, reason_zh: f.reason_zh.trim(), decided_on: orUndefined(f.decided_on) }),
})

export const ACTIONS = {
  // An online application (网上申请) is accepted (受理: its time limits start) or declined with reasons.
  accept: step('accept', [on('accept_on')], { type: 'success' }),
  decline: step('decline', [on('decline_on'), text('reason_zh')], { type: 'danger' }),
  investigate: step('investigation', [on('investigate_on')]),
  // 小金额先行救助: an emergency 临时救助 declared pay-first goes straight to the district.
  pay_first: step('pay-first', [on('pay_first_on')], { type: 'warning' }),
  compute: {
    perm: 'assistance:case:write', type: 'primary',
    fields: [{ key: 'as_of', kind: 'date' }],
    call: (id, f) => post(casePath(id, 'compute'), { as_of: orUndefined(f.as_of) }),
  },
  visit: step('visit', [on('visit_on'), investigators, { key: 'family_signed', kind: 'signed', required: true, check: (v) => (v ? '' : 'familySigned') }, text('note_zh', false)]),
  town_review: step('town-review', [on('review_on'), text('opinion_zh')]),
  publish: step('publicity', [on('publicity_on')]),
  object: step('objection', [on('objection_on'), text('objection_zh')], { type: 'warning' }),
  republish: step('reinvestigation', [on('reinvestigation_on'), text('finding_zh')]),
  close_publicity: step('publicity-close', [on('close_on')]),
  spot_visit: step('spot-visit', [on('visit_on'), investigators, text('note_zh', false)], { perm: 'assistance:case:decide' }),
  return: step('return', [text('reason_zh')], { type: 'warning' }),
  extend: step('extension', [text('reason_zh')], { perm: 'assistance:case:decide', type: 'default' }),
  approve: decision('approve', 'success'),
  refuse: decision('refuse', 'danger'),
  enrol: {
    perm: 'assistance:case:decide', type: 'primary',
    fields: [],
    call: (id) => post(casePath(id, 'enrol'), {}),
  },
  notify: step('notice', [on('notice_on'), { key: 'how', kind: 'delivery', required: true }, { key: 'note_zh', kind: 'text', label: 'delivery_note' }], {
    perm: 'assistance:case:decide', type: 'default',
    // how and the free note travel as the step's note_zh: 直接送达（申请人签收）.
    body: (f) => ({ note_zh: deliveryNote(f.how, f.note_zh) }),
  }),
}

// The notice step's note: the delivery way in Chinese, then the clerk's words.
export function deliveryNote(how, note) {
  const ways = { direct: '直接送达', post: '邮寄送达', left: '留置送达', electronic: '电子送达' }
  const extra = (note || '').trim()
  return (ways[how] || '') + (extra ? `（${extra}）` : '')
}

// The notice can be read once the district has decided.
export const NOTICE_STATES = ['approved', 'enrolled', 'refused', 'stopped']

// [{kind, known, title_zh, title_en}]: the case's allowed_actions (the
// moves this caller may make now, already filtered by the server by
// permission); items may be names or objects with an `action` (or `kind`).
export function actionsFor(c) {
  return (Array.isArray(c.allowed_actions) ? c.allowed_actions : [])
    .map((a) => (typeof a === 'string' ? { action: a } : a))
    .map((a) => ({ kind: a.action || a.kind, title_zh: a.title_zh, title_en: a.title_en }))
    .filter((a) => a.kind)
    .map((a) => ({ ...a, known: !!ACTIONS[a.kind] }))
}

// The case's timeline from the detail's `steps` (each {action, from, to,
// on, due_on, late, note, by, at, detail}), after the application itself,
// and, while a time limit runs, the step now awaited with its due date.
// A note written as key=value (the computation's) is the server's record,
// not words for people: the step's detail says it instead.
// Each: {kind, to, date, due, overdue, by, note, detail, done}.
export function stepsOf(c) {
  const steps = Array.isArray(c.steps) ? c.steps : []
  const out = steps.some((s) => s.action === 'create' || s.action === 'submit') ? [] : [{ kind: 'applied', date: c.applied_on, done: true }]
  for (const s of steps) {
    out.push({
      kind: s.action, to: s.to, date: s.on || '', due: s.due_on || '', overdue: !!s.late, by: s.by || '',
      note: /^\w+=/.test(s.note || '') ? '' : s.note || '', detail: s.detail && typeof s.detail === 'object' ? s.detail : {}, done: true,
    })
  }
  if (c.due_on) out.push({ kind: 'awaiting', to: c.status, date: '', due: c.due_on, overdue: !!c.overdue, done: false })
  return out
}

// Staff usernames to pick investigators or a near relative from: the users
// list for those who may read it (system:user:read), else the caller alone;
// the pickers also take a typed username, and the server checks each is an
// active staff account.
export async function staffOptions() {
  const me = session.user ? [{ value: session.user.username, label: session.user.display_name || session.user.username }] : []
  if (!can('system:user:read')) return me
  try {
    const users = (await get('/api/v1/users')).items.filter((u) => !u.is_disabled)
    return users.map((u) => ({ value: u.username, label: u.display_name ? `${u.display_name}（${u.username}）` : u.username }))
  } catch {
    return me
  }
}
