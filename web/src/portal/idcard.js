// Checks an ID number as the resident types it, before anything is sent
// (GB 11643-1999, rules.md §11.1): 18 characters with the ISO 7064
// MOD 11-2 check character, or an old 15-digit number (the server upgrades
// it). Returns '' when it looks right, else the key of the message to show.
const W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]

export function checkChar(first17) {
  let s = 0
  for (let i = 0; i < 17; i++) s += Number(first17[i]) * W[i]
  return '10X98765432'[s % 11]
}

export function idProblem(text) {
  const v = (text || '').trim().toUpperCase()
  if (!v) return 'login.idRequired'
  if (v.length === 15) return /^\d{15}$/.test(v) ? '' : 'login.idChars'
  if (v.length !== 18) return 'login.idLength'
  if (!/^\d{17}[\dX]$/.test(v)) return 'login.idChars'
  return checkChar(v) === v[17] ? '' : 'login.idCheck'
}
