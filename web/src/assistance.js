// What the 社会救助 screens share: the code lists of the application form
// and the case actions.
//
// A case's buttons come from the server: the case detail's
// `allowed_actions` (the moves this caller may make now) when it carries
// one, else from its status by the first increment's flow (docs/
// assistance.md), filtered by the caller's permissions. Each action kind is
// one entry of ACTIONS: the fields of its small form and the call it makes.
// A new step of the procedure (home visit, town review, publicity, ...)
// plugs in as one more entry; a kind with no entry shows as a disabled
// button, so nothing the server allows is silently hidden.
import { post } from './api.js'
import { can } from './session.js'

export const SCHEMES = ['dibao', 'tekun', 'linshi']
export const STATUSES = ['draft', 'computed', 'approved', 'refused', 'enrolled']
export const RELATIONS = ['self', 'spouse', 'child', 'parent', 'sibling', 'grandchild', 'grandparent', 'other']
export const INCOME_KINDS = [
  'wage', 'business', 'agriculture', 'property', 'pension', 'support', 'unemployment', 'compensation', 'other',
  'resident_pension', 'veteran_benefit', 'family_planning', 'scholarship', 'heroism_reward', 'social_assistance',
  'deduction_medical', 'deduction_work_cost', 'transfer_out',
]
export const ASSET_KINDS = ['deposit', 'securities', 'insurance', 'claim', 'internet_finance', 'house', 'vehicle', 'other']
export const EXPENSE_KINDS = ['medical', 'education', 'rehabilitation', 'other']

// A registry relation to the head, as the assistance form's relation to
// the applicant (the applicant is always "self"; the clerk corrects the rest).
export function relationFromRegistry(rel) {
  return RELATIONS.includes(rel) && rel !== 'self' ? rel : 'other'
}

const casePath = (id, tail) => `/api/v1/assistance/cases/${encodeURIComponent(id)}/${tail}`
const orUndefined = (v) => (v === '' || v === null ? undefined : v)

// fields: {key, kind: 'date' | 'text' | 'textarea', required}; the labels
// are caseActionField.<key>. `type` is the button's look.
export const ACTIONS = {
  compute: {
    perm: 'assistance:case:write', type: 'primary',
    fields: [{ key: 'as_of', kind: 'date' }],
    call: (id, f) => post(casePath(id, 'compute'), { as_of: orUndefined(f.as_of) }),
  },
  approve: {
    perm: 'assistance:case:decide', type: 'success',
    fields: [{ key: 'reason_zh', kind: 'textarea', required: true }, { key: 'decided_on', kind: 'date' }],
    call: (id, f) => post(casePath(id, 'decision'), { decision: 'approve', reason_zh: f.reason_zh.trim(), decided_on: orUndefined(f.decided_on) }),
  },
  refuse: {
    perm: 'assistance:case:decide', type: 'danger',
    fields: [{ key: 'reason_zh', kind: 'textarea', required: true }, { key: 'decided_on', kind: 'date' }],
    call: (id, f) => post(casePath(id, 'decision'), { decision: 'refuse', reason_zh: f.reason_zh.trim(), decided_on: orUndefined(f.decided_on) }),
  },
  enrol: {
    perm: 'assistance:case:decide', type: 'primary',
    fields: [],
    call: (id) => post(casePath(id, 'enrol'), {}),
  },
}

// The first increment's flow, for a case without allowed_actions.
const BY_STATUS = { draft: ['compute'], computed: ['compute', 'approve', 'refuse'], approved: ['enrol'] }

// [{kind, known}] for this case and caller. allowed_actions items may be
// names or objects with a `kind` (or `action`) name.
export function actionsFor(c) {
  if (Array.isArray(c.allowed_actions)) {
    return c.allowed_actions.map((a) => (typeof a === 'string' ? a : a.kind || a.action)).filter(Boolean)
      .map((kind) => ({ kind, known: !!ACTIONS[kind] }))
  }
  return (BY_STATUS[c.status] || []).filter((k) => can(ACTIONS[k].perm)).map((kind) => ({ kind, known: true }))
}

// The case's progress: the server's `steps` when it sends them, else what
// the first increment's detail holds (taken, computed, decided, enrolled).
// Each: {kind, date, due, overdue, by, done}.
export function stepsOf(c) {
  if (Array.isArray(c.steps)) {
    return c.steps.map((s) => ({
      kind: s.kind || s.step || s.name, date: s.date || s.done_on || s.at || '', due: s.due_on || s.due || '',
      overdue: !!(s.overdue || s.is_overdue), by: s.by || s.actor || '', done: s.done !== undefined ? !!s.done : !!(s.date || s.done_on || s.at),
    }))
  }
  const out = [{ kind: 'applied', date: c.applied_on, done: true }]
  if (c.computation) out.push({ kind: 'computed', date: c.computation.computed_on, done: true })
  if (c.decision) out.push({ kind: c.decision.decision === 'approve' ? 'approved' : 'refused', date: c.decision.decided_on, by: c.decision.decided_by, done: true })
  if (c.enrolment) out.push({ kind: 'enrolled', date: c.enrolment.start_period, done: true })
  return out
}
