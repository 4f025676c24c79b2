package metrics

import "github.com/poyta/poyta/session"

// codes is the closed set of error codes the refusal metric is labelled
// with: every code of the protocol (session/errors.go). A test fails when
// the session package has a code this list lacks, so that a new code gets
// its own label instead of counting as "other".
var codes = []string{
	session.CodeBadMessage,
	session.CodeUnknownOp,
	session.CodeMissingField,
	session.CodeInvalidText,
	session.CodeTooLong,
	session.CodeInvalidValue,
	session.CodeUnauthorized,
	session.CodeForbidden,
	session.CodeNotOwner,
	session.CodeAnonDisabled,
	session.CodeRemoved,
	session.CodeNoTable,
	session.CodeNoItem,
	session.CodeNoIdea,
	session.CodeNoAction,
	session.CodeNoParticipant,
	session.CodeNoGroup,
	session.CodeNoFacilitator,
	session.CodeNoLink,
	session.CodeNoOwner,
	session.CodeGroupWork,
	session.CodeNotInGroup,
	session.CodeNotReporter,
	session.CodeGroupEnded,
	session.CodeWrongPhase,
	session.CodeNotCurrent,
	session.CodeLocked,
	session.CodeClosed,
	session.CodeNotClosed,
	session.CodeNotLocked,
	session.CodeIdeaHidden,
	session.CodeIdeaMerged,
	session.CodeIdeaPending,
	session.CodeIdeaApproved,
	session.CodeAlreadyVoted,
	session.CodeNoVote,
	session.CodeInQueue,
	session.CodeNotInQueue,
	session.CodeItemNotEmpty,
	session.CodeIdeaHasVotes,
	session.CodeSameIdea,
	session.CodeOtherItem,
	session.CodeAlreadyOwner,
	session.CodeNoChange,
	session.CodeTimerRunning,
	session.CodeTimerStopped,
	session.CodeBudget,
	session.CodeTooMany,
	session.CodeTableFull,
	session.CodeRateLimited,
	session.CodeTooLarge,
	session.CodeInternal,
	session.CodeUnavailable,
	session.CodeNotJoined,
	session.CodeAlreadyJoined,
}

// otherCode labels a refusal whose code is not in codes.
const otherCode = "other"
