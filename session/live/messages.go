package live

import (
	"encoding/json"
	"time"

	"github.com/google/uuid"
	"github.com/poyta/poyta/session"
)

// hello is the first message a client sends on a new connection.
type hello struct {
	Op    string       `json:"op"`
	Table string       `json:"table"`
	Role  session.Role `json:"role"`
	Token string       `json:"token"`
	Since int64        `json:"since"`
}

// decodeHello decodes a hello strictly (session.Decode says how): exactly
// the known fields, a table id that is a UUID, a known role.
func decodeHello(msg []byte, hl *hello) error {
	bad := func(m string) error {
		return &session.Error{Kind: session.KindInvalid, Code: session.CodeBadMessage, Message: m}
	}
	_, _, err := session.DecodeEnvelope(msg, func(op string) (any, error) {
		if op != "hello" {
			return nil, &session.Error{Kind: session.KindInvalid, Code: session.CodeNotJoined, Message: "send hello first"}
		}
		return hl, nil
	})
	if err != nil {
		return err
	}
	if _, err := uuid.Parse(hl.Table); err != nil || len(hl.Table) != 36 {
		return &session.Error{Kind: session.KindNotFound, Code: session.CodeNoTable, Message: "no such table"}
	}
	switch hl.Role {
	case session.RoleFacilitator, session.RoleParticipant, session.RoleScribe, session.RoleScreen, session.RoleInterpreter:
	default:
		return bad("role must be facilitator, participant, scribe, screen or interpreter")
	}
	if hl.Since < 0 {
		return bad("since must not be negative")
	}
	return nil
}

// Server → client messages. Every frame carries one or more of them,
// separated by "\n".

type welcomeMsg struct {
	Type   string         `json:"type"` // "welcome"
	Table  string         `json:"table"`
	Role   session.Role   `json:"role"`
	You    string         `json:"you,omitempty"`
	Seq    int64          `json:"seq"`
	Resume string         `json:"resume"`           // "events" or "snapshot"
	Online []string       `json:"online,omitempty"` // facilitators only
	Counts presenceCounts `json:"counts"`
	// Progress is ideas per group of the running group work: its progress,
	// not its content. Absent when no group work runs.
	Progress map[string]int `json:"progress,omitempty"`
	Server   time.Time      `json:"server"` // for clients to correct their clock when showing timers
}

type snapshotMsg struct {
	Type  string        `json:"type"` // "snapshot"
	Seq   int64         `json:"seq"`
	State *session.View `json:"state"`
}

type eventMsg struct {
	Type  string            `json:"type"` // "event"
	Seq   int64             `json:"seq"`
	At    time.Time         `json:"at"`
	Event string            `json:"event"`
	Data  session.EventData `json:"data"`
}

type ackMsg struct {
	Type string `json:"type"` // "ack"
	ID   string `json:"id"`
	Seq  int64  `json:"seq"`
	Dup  bool   `json:"dup,omitempty"`
}

type errorMsg struct {
	Type    string       `json:"type"` // "error"
	ID      string       `json:"id,omitempty"`
	Code    string       `json:"code"`
	Kind    session.Kind `json:"kind"`
	Message string       `json:"message"`
}

type presenceMsg struct {
	Type    string         `json:"type"`              // "presence"
	Online  []string       `json:"online,omitempty"`  // facilitators only: who came online
	Offline []string       `json:"offline,omitempty"` // facilitators only: who went offline
	Counts  presenceCounts `json:"counts"`
	// Progress is ideas per group of the running group work, as in welcome.
	Progress map[string]int `json:"progress,omitempty"`
}

type presenceCounts struct {
	Participants int            `json:"participants"`
	Facilitators int            `json:"facilitators"`
	Scribes      int            `json:"scribes"`
	Screens      int            `json:"screens"`
	BySector     map[string]int `json:"bySector"`
}

// internalErrorBytes is what a client gets if one of our own messages
// cannot be encoded, which would be a bug; the server keeps running.
var internalErrorBytes = []byte(`{"type":"error","code":"internal","kind":"internal","message":"internal error"}`)

func encode(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		return internalErrorBytes
	}
	return b
}

func errorBytes(id string, err error) []byte {
	e := session.AsError(err)
	return encode(errorMsg{Type: "error", ID: id, Code: e.Code, Kind: e.Kind, Message: e.Message})
}

func eventBytes(e session.Event, data session.EventData) []byte {
	return encode(eventMsg{Type: "event", Seq: e.Seq, At: e.Time, Event: e.Type, Data: data})
}
