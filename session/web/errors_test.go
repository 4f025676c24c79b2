package web

import (
	"net/http"
	"testing"

	"github.com/poyta/poyta/session"
)

// TestErrorStatus: the one table from error codes and kinds to HTTP statuses.
func TestErrorStatus(t *testing.T) {
	tests := []struct {
		err  session.Error
		want int
	}{
		{session.Error{Kind: session.KindInvalid, Code: session.CodeTooLong}, http.StatusBadRequest},
		{session.Error{Kind: session.KindForbidden, Code: session.CodeForbidden}, http.StatusForbidden},
		{session.Error{Kind: session.KindNotFound, Code: session.CodeNoIdea}, http.StatusNotFound},
		{session.Error{Kind: session.KindConflict, Code: session.CodeWrongPhase}, http.StatusConflict},
		{session.Error{Kind: session.KindLimit, Code: session.CodeBudget}, http.StatusConflict},
		{session.Error{Kind: session.KindLimit, Code: session.CodeRateLimited}, http.StatusTooManyRequests},
		{session.Error{Kind: session.KindLimit, Code: session.CodeTooLarge}, http.StatusRequestEntityTooLarge},
		{session.Error{Kind: session.KindInternal, Code: session.CodeInternal}, http.StatusInternalServerError},
		{session.Error{Kind: session.KindInternal, Code: session.CodeUnavailable}, http.StatusServiceUnavailable},
		{session.Error{Kind: "", Code: "mystery"}, http.StatusInternalServerError},
	}
	for _, tc := range tests {
		if got := status(&tc.err); got != tc.want {
			t.Errorf("%s/%s status = %d, want %d", tc.err.Kind, tc.err.Code, got, tc.want)
		}
	}
}
