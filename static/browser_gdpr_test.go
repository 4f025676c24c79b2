package static_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestForgetParticipant is issue 14's part 6 as the facilitator meets it:
// from a person's menu in the participant list, their data downloads as a
// file (GDPR access), and "Unohda" forgets them after a confirmation that
// says what it does; their name and organisation are gone from the list
// and from every view, also after a reload, while their idea stays,
// anonymous.
func TestForgetParticipant(t *testing.T) {
	const (
		name  = "Liisa Virtanen"
		org   = "Ähtärin Urheilijat ry"
		other = "Matti Meikäläinen"
		idea  = "Koulujen salivuorot yhdistyksille maksutta arki-iltaisin"
	)
	s := startSite(t)
	tb := s.createTable(t, `{"title":"Ähtärin kumppanuuspöytä","lang":"fi","agenda":[{"title":"Yhdistysten tilat"}]}`)
	item := tb.item(0)
	liisa := tb.join(name, org, "association")
	tb.join(other, "Soinin kunta", "municipality")
	liisa.do("idea.add", map[string]any{"item": item, "text": idea})

	b := newBrowser(t, s)
	b.axe = axeSource(t)
	f := b.tab("facilitator", false)
	f.open(tb.created.FacilitatorLink)
	f.until(`document.querySelectorAll('.people-list li').length === 2`)
	f.until(`(document.querySelector('.people').open = true)`)
	f.has(".people-list", name+", "+org)
	f.has(".idea-list .idea-src", name)

	// Her data, as a file.
	dir := f.downloads()
	f.menuPick(".people-list li", name, f.s("people.download"))
	file, data := f.downloaded(dir, ".json")
	var got struct {
		Participant struct{ Name, Org string }
		Ideas       []struct{ Text string }
	}
	if err := json.Unmarshal([]byte(data), &got); err != nil {
		t.Fatalf("%s: %v\n%s", file, err, data)
	}
	if got.Participant.Name != name || got.Participant.Org != org || len(got.Ideas) != 1 || got.Ideas[0].Text != idea {
		t.Errorf("%s: %+v", file, got)
	}
	if strings.Contains(data, liisa.token) {
		t.Errorf("%s holds her token", file)
	}

	// Forgotten, after a confirmation that names her and says what stays;
	// the page says it is done (a toast, kept here as it comes and goes).
	f.until(`(window.__toasts = [], new MutationObserver((ms) => ms.forEach((m) => m.addedNodes.forEach((n) => window.__toasts.push(n.textContent)))).observe(document.getElementById('toasts'), { childList: true }), true)`)
	f.menuPick(".people-list li", name, f.s("people.forget"))
	f.until(`document.querySelectorAll('.people-list li').length === 1`)
	want := "confirm: " + strings.Replace(f.s("people.forgetConfirm"), "{name}", name+", "+org, 1)
	f.mu.Lock()
	dialogs := strings.Join(f.dialogs, "\n")
	f.mu.Unlock()
	if !strings.Contains(dialogs, want) {
		t.Errorf("the confirmation: %q, want %q", dialogs, want)
	}
	for _, w := range []string{"pysyvästi", "lopullisesti", "nimettöminä"} {
		if !strings.Contains(want, w) {
			t.Errorf("the confirmation does not say %q: %q", w, want)
		}
	}
	f.until(`window.__toasts.includes(%s)`, js(f.s("people.forgotten")))
	f.has(".people-list", other)
	f.has(".idea-list .idea-text", idea)
	f.has(".idea-list .idea-src", f.s("idea.anonymous"))
	gone := func(when string) {
		t.Helper()
		body := f.text("body")
		for _, w := range []string{name, org} {
			if strings.Contains(body, w) {
				t.Errorf("%s: the facilitator's view still says %q", when, w)
			}
		}
	}
	gone("after forgetting")
	f.noMissingKeys("participant list after forgetting")
	f.axe("participant list after forgetting")

	// After a reload, from the rewritten log.
	f.do(chromedp.Reload())
	f.until(`document.querySelectorAll('.people-list li').length === 1 && document.querySelector('.idea-list .idea-text')`)
	f.has(".idea-list .idea-text", idea)
	gone("after a reload")
}
