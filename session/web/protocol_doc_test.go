package web

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/poyta/poyta/session"
)

// protocolDoc is the protocol document, relative to this package.
const protocolDoc = "../../docs/protocol.md"

var (
	// eventTypeRe finds the name each event data type reports, e.g.
	// func (*IdeaAdded) eventType() string { return "idea.added" }
	eventTypeRe = regexp.MustCompile(`eventType\(\)\s+string\s*\{\s*return\s+"([^"]+)"\s*\}`)
	// eventTypeDeclRe counts every eventType method, so a declaration the
	// regexp above cannot read fails the test instead of being skipped.
	eventTypeDeclRe = regexp.MustCompile(`\)\s*eventType\(\)\s+string`)
	// errorCodeRe finds the error code constants, e.g. CodeNoIdea = "no_such_idea".
	errorCodeRe = regexp.MustCompile(`\bCode\w+\s*=\s*"([^"]+)"`)
)

// TestProtocolDocIsComplete fails when an op, an event type or an error
// code is missing from docs/protocol.md, so that whoever adds one to the
// protocol also documents it. Each must appear in backticks, e.g. `idea.add`.
func TestProtocolDocIsComplete(t *testing.T) {
	b, err := os.ReadFile(protocolDoc)
	if err != nil {
		t.Fatalf("read the protocol document: %v", err)
	}
	doc := string(b)

	ops := session.Ops()
	if len(ops) == 0 {
		t.Fatal("session.Ops() is empty")
	}
	events := protocolEventTypes(t)
	codes := protocolErrorCodes(t)

	for _, group := range []struct {
		what  string
		names []string
	}{
		{"op", ops},
		{"event type", events},
		{"error code", codes},
	} {
		slices.Sort(group.names)
		for _, name := range group.names {
			if !strings.Contains(doc, "`"+name+"`") {
				t.Errorf("%s %q is not documented in %s (write it in backticks: `%s`)", group.what, name, protocolDoc, name)
			}
		}
	}
}

// protocolEventTypes reads the event type names from the session package's
// source, where each event data type declares its name.
func protocolEventTypes(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("../../session/*.go")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	decls := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		decls += len(eventTypeDeclRe.FindAll(src, -1))
		for _, m := range eventTypeRe.FindAllSubmatch(src, -1) {
			names = append(names, string(m[1]))
		}
	}
	if len(names) == 0 {
		t.Fatal("found no event types in ../../session/*.go")
	}
	if len(names) != decls {
		t.Fatalf("found %d eventType methods but could read the name of only %d; keep them in the form `eventType() string { return \"…\" }`", decls, len(names))
	}
	// Each name must be one the event decoder knows, so the regexp cannot
	// pick up something that is not an event type.
	for _, name := range names {
		if _, err := session.DecodeEvent(1, time.Unix(0, 0), "facilitator", name, "", []byte("{}")); err != nil {
			t.Errorf("%q looks like an event type but does not decode: %v", name, err)
		}
	}
	return names
}

// protocolErrorCodes reads the values of the Code… constants of the session package.
func protocolErrorCodes(t *testing.T) []string {
	t.Helper()
	src, err := os.ReadFile("../../session/errors.go")
	if err != nil {
		t.Fatal(err)
	}
	var codes []string
	for _, m := range errorCodeRe.FindAllSubmatch(src, -1) {
		codes = append(codes, string(m[1]))
	}
	if len(codes) == 0 {
		t.Fatal("found no error codes in ../../session/errors.go")
	}
	return codes
}
