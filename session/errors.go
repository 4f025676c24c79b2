package session

import (
	"errors"
	"fmt"
)

// Kind is the category of an error: it decides the HTTP status (in the
// HTTP layer's one table) and lets a client treat a family of refusals
// alike without knowing every code.
type Kind string

// The kinds of error. Every refusal belongs to exactly one.
const (
	KindInvalid   Kind = "invalid"   // the request is malformed or a value is out of range
	KindForbidden Kind = "forbidden" // the caller's role or identity does not allow it
	KindNotFound  Kind = "not_found" // a referenced table, item, idea … does not exist here
	KindConflict  Kind = "conflict"  // not possible in the current state (phase, lock, …)
	KindLimit     Kind = "limit"     // a budget, cap or rate was exceeded
	KindInternal  Kind = "internal"  // our fault; details go to the log, never to the user
)

// Error is a refusal with a stable machine-readable Code and a human
// message. Clients translate by Code; Message is English and for logs and
// developers.
type Error struct {
	Kind    Kind
	Code    string
	Message string
}

func (e *Error) Error() string { return e.Code + ": " + e.Message }

func errf(kind Kind, code, format string, args ...any) *Error {
	return &Error{Kind: kind, Code: code, Message: fmt.Sprintf(format, args...)}
}

// AsError returns err as an *Error. Anything that is not already one becomes
// an internal error whose message says nothing about the cause.
func AsError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return &Error{Kind: KindInternal, Code: CodeInternal, Message: "internal error"}
}

// Stable error codes. They are part of the protocol (docs/protocol.md):
// never rename one, only add.
const (
	CodeBadMessage    = "bad_message"   // not valid JSON or wrong field types
	CodeUnknownOp     = "unknown_op"    // op is not one the server knows
	CodeMissingField  = "missing_field" // a required field is empty
	CodeInvalidText   = "invalid_text"  // not valid UTF-8, or contains NUL or control characters
	CodeTooLong       = "too_long"      // text longer than its limit (counted in characters)
	CodeInvalidValue  = "invalid_value" // a number, date, enum or URL is out of range
	CodeUnauthorized  = "unauthorized"  // missing or wrong credential
	CodeForbidden     = "forbidden"     // the role may not do this
	CodeNotOwner      = "not_owner"     // a participant touching someone else's idea or action
	CodeAnonDisabled  = "anonymous_disabled"
	CodeRemoved       = "removed" // the participant was removed by the facilitator
	CodeNoTable       = "no_such_table"
	CodeNoItem        = "no_such_item"
	CodeNoIdea        = "no_such_idea"
	CodeNoAction      = "no_such_action"
	CodeNoParticipant = "no_such_participant"
	CodeNoGroup       = "no_such_group"
	CodeNoFacilitator = "no_such_facilitator"
	CodeNoLink        = "no_such_link"
	CodeGroupWork     = "group_work"       // not possible with the group work as it is (none running, one already, …)
	CodeNotInGroup    = "not_in_group"     // the caller or the participant named is not in the group
	CodeNotReporter   = "not_reporter"     // only the group's reporter (or a facilitator) does this
	CodeGroupEnded    = "group_work_ended" // the group's ideas are a record now: the group work has ended
	CodeNoOwner       = "no_such_owner"
	CodeWrongPhase    = "wrong_phase"
	CodeNotCurrent    = "not_current_item"
	CodeLocked        = "table_locked"
	CodeClosed        = "table_closed"
	CodeNotClosed     = "table_not_closed"
	CodeNotLocked     = "table_not_locked"
	CodeIdeaHidden    = "idea_hidden"
	CodeIdeaMerged    = "idea_merged"
	CodeIdeaPending   = "idea_pending"  // the idea waits for a facilitator's review (pre-moderation)
	CodeIdeaApproved  = "idea_approved" // at a moderated table, an approved idea is changed by a facilitator
	CodeAlreadyVoted  = "already_voted"
	CodeNoVote        = "no_vote"
	CodeInQueue       = "already_in_queue"
	CodeNotInQueue    = "not_in_queue"
	CodeItemNotEmpty  = "item_not_empty"
	CodeIdeaHasVotes  = "idea_has_votes"
	CodeSameIdea      = "same_idea"
	CodeOtherItem     = "different_items"
	CodeAlreadyOwner  = "already_owner"
	CodeNoChange      = "no_change"
	CodeTimerRunning  = "timer_running"
	CodeTimerStopped  = "timer_not_running"
	CodeBudget        = "budget_exhausted"
	CodeTooMany       = "too_many"
	CodeTableFull     = "table_full"
	CodeRateLimited   = "rate_limited"
	CodeTooLarge      = "message_too_large"
	CodeInternal      = "internal"
	CodeUnavailable   = "unavailable"    // storage failed; nothing was written, try again
	CodeNotJoined     = "not_joined"     // a command before a successful hello
	CodeAlreadyJoined = "already_joined" // a second hello on one connection
)
