package session_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/poyta/poyta/session"
)

func TestOps(t *testing.T) {
	ops := session.Ops()
	want := []string{
		"table.edit", "table.lock", "table.unlock", "table.close", "table.reopen",
		"participant.update", "participant.remove", "participant.forget",
		"item.add", "item.edit", "item.move", "item.remove", "item.open", "item.phase", "item.notes", "item.voting", "item.reveal",
		"timer.start", "timer.pause", "timer.reset",
		"idea.add", "idea.edit", "idea.delete", "idea.hide", "idea.unhide", "idea.merge",
		"vote.add", "vote.remove", "room.dots",
		"action.add", "action.edit", "action.assign", "action.unassign", "action.volunteer", "action.unvolunteer", "action.remove",
		"idea.approve", "facilitator.add", "facilitator.remove",
		"caption.add", "ideas.import", "action.link", "action.unlink", "action.update", "groups.start", "groups.broadcast", "groups.end", "group.move", "group.reporter", "group.summary", "group.pick", "group.help", "group.video",
		"hand.raise", "hand.lower", "floor.give", "queue.clear",
		"group.add", "group.rename", "group.remove",
		"followup.mark",
	}
	slices.Sort(ops)
	slices.Sort(want)
	if !slices.Equal(ops, want) {
		t.Fatalf("Ops() = %v\nwant %v", ops, want)
	}
	// Every op parses from its bare envelope and gives back id and op.
	for _, op := range ops {
		id, gotOp, cmd, err := session.ParseCommand([]byte(fmt.Sprintf(`{"id":"c-%s","op":%q}`, op, op)))
		if err != nil || cmd == nil || id != "c-"+op || gotOp != op {
			t.Errorf("ParseCommand(%s) = %q %q %T %v", op, id, gotOp, cmd, err)
		}
	}
}

func TestParseCommandFields(t *testing.T) {
	id, op, cmd, err := session.ParseCommand([]byte(`{"id":"c1","op":"idea.add","item":"id-2","text":"Liikuntapaikat maksutta","anonymous":true}`))
	if err != nil || id != "c1" || op != "idea.add" {
		t.Fatalf("ParseCommand = %q %q %v", id, op, err)
	}
	add, ok := cmd.(*session.AddIdea)
	if !ok || add.Item != "id-2" || add.Text != "Liikuntapaikat maksutta" || !add.Anonymous {
		t.Fatalf("command = %#v", cmd)
	}

	// The op decides the fixed parts a client cannot set.
	fixed := []struct {
		msg   string
		check func(session.Command) bool
	}{
		{`{"op":"vote.add","idea":"x"}`, func(c session.Command) bool { v, ok := c.(*session.Vote); return ok && v.Delta == 1 && v.Idea == "x" }},
		{`{"op":"vote.remove","idea":"x"}`, func(c session.Command) bool { v, ok := c.(*session.Vote); return ok && v.Delta == -1 }},
		{`{"op":"table.lock"}`, func(c session.Command) bool { v, ok := c.(*session.LockTable); return ok && v.Locked }},
		{`{"op":"table.unlock"}`, func(c session.Command) bool { v, ok := c.(*session.LockTable); return ok && !v.Locked }},
		{`{"op":"table.close"}`, func(c session.Command) bool { v, ok := c.(*session.CloseTable); return ok && v.Closed }},
		{`{"op":"table.reopen"}`, func(c session.Command) bool { v, ok := c.(*session.CloseTable); return ok && !v.Closed }},
		{`{"op":"idea.hide","idea":"x"}`, func(c session.Command) bool { v, ok := c.(*session.HideIdea); return ok && v.Hidden }},
		{`{"op":"idea.unhide","idea":"x"}`, func(c session.Command) bool { v, ok := c.(*session.HideIdea); return ok && !v.Hidden }},
		{`{"op":"item.add","title":"Kahvi","question":"Mitä?","timebox":5,"after":"id-1"}`, func(c session.Command) bool {
			v, ok := c.(*session.AddItem)
			return ok && v.Title == "Kahvi" && v.Question == "Mitä?" && v.Timebox == 5 && v.After == "id-1"
		}},
		{`{"op":"action.assign","action":"a","participant":"p","org":"o"}`, func(c session.Command) bool {
			v, ok := c.(*session.AssignOwner)
			return ok && v.Action == "a" && v.Participant == "p" && v.Org == "o"
		}},
		{`{"op":"timer.start","item":"i","seconds":90}`, func(c session.Command) bool {
			v, ok := c.(*session.TimerCommand)
			return ok && v.Item == "i" && v.Seconds != nil && *v.Seconds == 90
		}},
	}
	for _, tc := range fixed {
		_, _, cmd, err := session.ParseCommand([]byte(tc.msg))
		if err != nil || !tc.check(cmd) {
			t.Errorf("ParseCommand(%s) = %#v, %v", tc.msg, cmd, err)
		}
	}
}

func TestParseCommandRefusals(t *testing.T) {
	long := strings.Repeat("x", 65)
	tests := []struct {
		name   string
		msg    string
		code   string
		wantID string
	}{
		{"unknown op", `{"id":"c7","op":"idea.upvote","idea":"x"}`, session.CodeUnknownOp, "c7"},
		{"missing op", `{"id":"c8","text":"x"}`, session.CodeUnknownOp, "c8"},
		{"join is not an op", `{"id":"c9","op":"join","name":"Matti"}`, session.CodeUnknownOp, "c9"},
		{"hello is not an op", `{"id":"c10","op":"hello"}`, session.CodeUnknownOp, "c10"},
		{"null", `null`, session.CodeBadMessage, ""},
		{"unknown field", `{"id":"c2","op":"idea.add","item":"i","text":"x","author":"id-7"}`, session.CodeBadMessage, "c2"},
		{"locked on table.lock", `{"id":"c3","op":"table.lock","locked":false}`, session.CodeBadMessage, "c3"},
		{"closed on table.reopen", `{"id":"c3","op":"table.reopen","closed":true}`, session.CodeBadMessage, "c3"},
		{"delta on vote.add", `{"id":"c4","op":"vote.add","idea":"x","delta":5}`, session.CodeBadMessage, "c4"},
		{"Delta on vote.remove", `{"id":"c4","op":"vote.remove","idea":"x","Delta":1}`, session.CodeBadMessage, "c4"},
		{"hidden on idea.unhide", `{"id":"c5","op":"idea.unhide","idea":"x","hidden":true}`, session.CodeBadMessage, "c5"},
		{"action on timer.pause", `{"id":"c6","op":"timer.pause","item":"i","action":"start"}`, session.CodeBadMessage, "c6"},
		{"tokenHash on participant.update", `{"id":"c6","op":"participant.update","name":"M","tokenHash":"x"}`, session.CodeBadMessage, "c6"},
		{"wrong type string for int", `{"id":"c11","op":"room.dots","idea":"x","dots":"7"}`, session.CodeBadMessage, "c11"},
		{"wrong type number for string", `{"id":"c12","op":"idea.add","item":5,"text":"x"}`, session.CodeBadMessage, "c12"},
		{"wrong type bool", `{"id":"c13","op":"idea.add","item":"i","text":"x","anonymous":"yes"}`, session.CodeBadMessage, "c13"},
		{"wrong type list", `{"id":"c14","op":"action.add","title":"x","ideas":"a,b"}`, session.CodeBadMessage, "c14"},
		{"wrong type id", `{"id":5,"op":"hand.raise"}`, session.CodeBadMessage, ""},
		{"wrong type op", `{"id":"c15","op":["hand.raise"]}`, session.CodeBadMessage, "c15"},
		// Keys match exactly: encoding/json alone would fill Text from "TEXT"
		// (issue 10), so that a proxy reading "text" saw another value.
		{"key in other case beside the key", `{"id":"c20","op":"idea.add","item":"i","text":"lower","TEXT":"UPPER"}`, session.CodeBadMessage, "c20"},
		{"key in other case alone", `{"id":"c21","op":"idea.add","item":"i","Text":"x"}`, session.CodeBadMessage, "c21"},
		{"op in other case", `{"id":"c22","OP":"idea.add","ITEM":"i","Text":"x"}`, session.CodeUnknownOp, "c22"},
		{"id in other case", `{"ID":"c23","op":"hand.raise"}`, session.CodeBadMessage, ""},
		{"nested key in other case", `{"id":"c24","op":"table.edit","facilitators":["a"],"MultiDot":true}`, session.CodeBadMessage, "c24"},
		{"trailing object", `{"id":"c16","op":"hand.raise"}{"op":"queue.clear"}`, session.CodeBadMessage, ""},
		{"trailing garbage", `{"id":"c17","op":"hand.raise"} x`, session.CodeBadMessage, ""},
		{"truncated", `{"id":"c18","op":"idea.add","text":"Liikuntapai`, session.CodeBadMessage, ""},
		{"truncated object", `{"id":"c18","op":"hand.raise"`, session.CodeBadMessage, ""},
		{"empty", ``, session.CodeBadMessage, ""},
		{"array", `["hand.raise"]`, session.CodeBadMessage, ""},
		{"string", `"hand.raise"`, session.CodeBadMessage, ""},
		{"syntax", `{"id":"c19" "op":"hand.raise"}`, session.CodeBadMessage, ""},
		{"id too long", `{"id":"` + long + `","op":"hand.raise"}`, session.CodeInvalidValue, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			id, _, cmd, err := session.ParseCommand([]byte(tc.msg))
			var se *session.Error
			if !errors.As(err, &se) {
				t.Fatalf("ParseCommand error = %v (%T), want a *session.Error", err, err)
			}
			if se.Code != tc.code || se.Kind != session.KindInvalid {
				t.Fatalf("ParseCommand = %s/%s (%s), want invalid/%s", se.Kind, se.Code, se.Message, tc.code)
			}
			if cmd != nil {
				t.Fatalf("a refused message still gave a command %T", cmd)
			}
			if id != tc.wantID {
				t.Fatalf("id = %q, want %q", id, tc.wantID)
			}
		})
	}
}

func TestParseCommandLimits(t *testing.T) {
	id := strings.Repeat("a", 64)
	got, _, _, err := session.ParseCommand([]byte(`{"id":"` + id + `","op":"hand.raise"}`))
	if err != nil || got != id {
		t.Fatalf("a 64-byte id: %q %v", got, err)
	}
	// Whitespace around the object is fine.
	if _, _, _, err := session.ParseCommand([]byte(" \n{\"op\":\"hand.raise\"}\n\t ")); err != nil {
		t.Fatalf("whitespace around the message: %v", err)
	}
	// A message that is refused does not echo the client's data back.
	_, _, _, err = session.ParseCommand([]byte(`{"op":"idea.add","item":"i","text":["<script>alert(1)</script>"]}`))
	if err == nil || strings.Contains(err.Error(), "<script>") {
		t.Fatalf("wrong-type error echoes the value: %v", err)
	}
	_, _, _, err = session.ParseCommand([]byte(`{"op":"` + strings.Repeat("z", 500) + `"}`))
	if se := session.AsError(err); se.Code != session.CodeUnknownOp || len(se.Message) > 100 {
		t.Fatalf("unknown op error = %v (%d bytes)", err, len(se.Message))
	}
}

func TestParseCommandLongUnknownField(t *testing.T) {
	field := strings.Repeat("f", 5000)
	id, _, _, err := session.ParseCommand([]byte(`{"id":"c1","op":"hand.raise","` + field + `":1}`))
	se := session.AsError(err)
	if se.Code != session.CodeBadMessage || id != "c1" {
		t.Fatalf("ParseCommand = %q %v", id, err)
	}
	if len(se.Message) > 200 {
		t.Fatalf("the error echoes %d bytes of the client's message", len(se.Message))
	}
}
