package web

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"

	"github.com/poyta/poyta/session"
	"github.com/poyta/poyta/session/metrics"
	"github.com/poyta/poyta/store"
)

// status is the one table from error codes and kinds to HTTP statuses.
// A few codes have a status of their own; the rest go by their kind.
func status(e *session.Error) int {
	switch e.Code {
	case session.CodeUnavailable:
		return http.StatusServiceUnavailable
	case session.CodeTooLarge:
		return http.StatusRequestEntityTooLarge
	case session.CodeRateLimited:
		return http.StatusTooManyRequests
	}
	switch e.Kind {
	case session.KindInvalid:
		return http.StatusBadRequest
	case session.KindForbidden:
		return http.StatusForbidden
	case session.KindNotFound:
		return http.StatusNotFound
	case session.KindConflict:
		return http.StatusConflict
	case session.KindLimit:
		// A cap or budget reached: the request is fine, the state does not allow it.
		return http.StatusConflict
	default:
		return http.StatusInternalServerError
	}
}

// The refusals the HTTP layer words itself.
var (
	tooLarge      = &session.Error{Kind: session.KindLimit, Code: session.CodeTooLarge, Message: "request body too large"}
	unreadable    = &session.Error{Kind: session.KindInvalid, Code: session.CodeBadMessage, Message: "could not read the body"}
	tooManyTables = &session.Error{Kind: session.KindLimit, Code: session.CodeRateLimited, Message: "too many tables created from this address; try again later"}
	// denied is every failed facilitator credential, whatever the cause, so
	// that the answer tells nothing to someone without the secret.
	denied = &session.Error{Kind: session.KindForbidden, Code: session.CodeUnauthorized, Message: "wrong or missing credential"}
)

// decodeBody reads a JSON request body of at most limit bytes strictly
// into v (session.Decode).
func decodeBody(w http.ResponseWriter, r *http.Request, limit int64, v any) error {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	if err != nil {
		var mb *http.MaxBytesError
		if errors.As(err, &mb) {
			return tooLarge
		}
		return unreadable
	}
	return session.Decode(body, v)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

type errorBody struct {
	Error struct {
		Code    string       `json:"code"`
		Kind    session.Kind `json:"kind"`
		Message string       `json:"message"`
	} `json:"error"`
}

// writeError answers with the error's status and code; internal causes go
// to the log only.
func (s *Server) writeError(w http.ResponseWriter, err error) {
	e := session.AsError(err)
	if e.Kind == session.KindInternal && e.Code == session.CodeInternal {
		if store.Unreachable(err) {
			// The database does not answer: the client should try again.
			s.log.Warn("request failed: the database cannot be reached", "err", err)
			e = dbUnreachable
		} else {
			s.log.Error("request failed", "err", err)
		}
	}
	s.metrics.Refused(metrics.HTTP, e.Code)
	var b errorBody
	b.Error.Code, b.Error.Kind, b.Error.Message = e.Code, e.Kind, e.Message
	writeJSON(w, status(e), b)
}

var dbUnreachable = &session.Error{Kind: session.KindInternal, Code: session.CodeUnavailable, Message: "the database cannot be reached; try again shortly"}
