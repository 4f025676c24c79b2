// enums.js: the closed lists of values the server defines, in the server's
// order: sectors, languages (session/state.go), an item's phases, an
// action's statuses and a follow-up's outcomes (session/series.go). The
// views offer them and translate them (sector.*, phase.*, status.*…).
// static/enums_test.go reads the Go lists and fails when these differ.

export const SECTORS = ['municipality', 'wellbeing', 'association', 'business', 'resident', 'education', 'other'];
export const LANGS = ['fi', 'sv', 'en'];
export const PHASES = ['collect', 'vote', 'actions', 'closed'];
export const STATUSES = ['open', 'in_progress', 'done'];
export const OUTCOMES = ['done', 'carried', 'dropped'];
