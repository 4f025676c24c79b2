package live

import (
	"testing"

	"github.com/poyta/poyta/session"
)

// FuzzClientMessage feeds arbitrary bytes to everything that reads a
// client's message before the hub sees it: the hello decoder, the HTTP
// body decoder and the command parser. None may panic, and whatever is refused is
// refused with one of our errors and a stable code.
func FuzzClientMessage(f *testing.F) {
	for _, seed := range []string{
		`{"op":"hello","table":"6f1c2b3a-1d2e-4f50-8a9b-0c1d2e3f4a5b","role":"participant","token":"tok","since":12}`,
		`{"id":"c-1","op":"idea.add","item":"i","text":"Yhteinen tapahtumakalenteri","anonymous":true}`,
		`{"id":"c-2","op":"vote.add","idea":"x"}`,
		`{"id":"c-3","op":"action.add","title":"Info-ilta","owners":[{"org":"Ähtärin kaupunki"}],"volunteer":true}`,
		`{"id":"c-4","op":"table.edit","facilitators":["Anu","Sari"],"dots":5}`,
		`{"id":"dup","op":"hand.raise","op":"table.close"}`,
		`{"a":{"b":{"c":{"d":{"e":{"f":{"g":{"h":{"i":1}}}}}}}}}`,
		`{"id":"x","op":"idea.add","text":"\ud800"}`,
		"{\"id\":\"x\",\"op\":\"idea.add\",\"text\":\"\xff\"}",
		`[1,2,3]`, `nul`, `{}`, `{"op":1}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, msg []byte) {
		var hl hello
		if err := decodeHello(msg, &hl); err != nil {
			if e := session.AsError(err); e.Code == "" || e.Kind == session.KindInternal {
				t.Fatalf("hello refused without a code: %v", err)
			}
		}
		var body session.NewTableInput
		if err := session.Decode(msg, &body); err != nil && session.AsError(err).Code != session.CodeBadMessage {
			t.Fatalf("HTTP body refused with %v", err)
		}
		_, _, cmd, err := session.ParseCommand(msg)
		if err != nil {
			if e := session.AsError(err); e.Code == "" || e.Kind == session.KindInternal {
				t.Fatalf("command refused without a code: %v", err)
			}
			return
		}
		if cmd == nil {
			t.Fatal("no command and no error")
		}
	})
}
