package tables

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/poyta/poyta/session"
	"github.com/poyta/poyta/store"
)

// codeAlphabet has no vowels (no words by accident) and no look-alikes
// (0/O, 1/I/L): 27 symbols, so an 8-symbol code has 2.8·10¹¹ values.
const codeAlphabet = "23456789BCDFGHJKMNPQRSTVWXZ"

// newCode makes a join code like "KP-4F7K-9QX2".
func newCode() string {
	b := make([]byte, 8)
	rand.Read(b)
	for i := range b {
		// 256 % 27 leaves a slight bias; rejecting values ≥ 243 removes it.
		for b[i] >= 243 {
			var one [1]byte
			rand.Read(one[:])
			b[i] = one[0]
		}
		b[i] = codeAlphabet[int(b[i])%len(codeAlphabet)]
	}
	return "KP-" + string(b[:4]) + "-" + string(b[4:])
}

// NormalizeCode turns what a person typed ("kp 4f7k9qx2", "4F7K-9QX2")
// into the stored form, or "" if it cannot be a code.
func NormalizeCode(s string) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		if (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
		}
	}
	c := b.String()
	if len(c) == 10 && strings.HasPrefix(c, "KP") {
		c = c[2:]
	}
	if len(c) != 8 {
		return ""
	}
	for _, r := range c {
		if !strings.ContainsRune(codeAlphabet, r) {
			return ""
		}
	}
	return "KP-" + c[:4] + "-" + c[4:]
}

// NewToken makes a credential: 128 random bits, base64url.
func NewToken() string {
	b := make([]byte, 16)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// Created is the answer to creating a table. FacilitatorSecret is shown
// once: it is the key to the table and is stored only as a hash.
type Created struct {
	ID                string `json:"id"`
	Code              string `json:"code"`
	FacilitatorSecret string `json:"facilitatorSecret"`
	FacilitatorLink   string `json:"facilitatorLink"`
	JoinLink          string `json:"joinLink"`
	ScreenLink        string `json:"screenLink"`
	FollowUps         int    `json:"followUps,omitempty"` // earlier actions brought for review
}

// Links are relative to the server's address. Credentials travel in the
// fragment, which browsers never send to a server or put in a Referer.

// FacilitatorLink is the page a facilitator runs the table from.
func FacilitatorLink(id, secret string) string { return "/f/" + id + "#" + secret }

// JoinLink is the page participants join from.
func JoinLink(code string) string { return "/j/" + code }

// ScreenLink is the room screen's page.
func ScreenLink(id, token string) string { return "/s/" + id + "#" + token }

// Creator stores new tables.
type Creator interface {
	CreateTable(ctx context.Context, info store.TableInfo, first store.Event) error
}

// Create makes a new table from a facilitator's input and stores it.
// With prev, the new table continues prev's series: see session.NewTableFrom.
func Create(ctx context.Context, st Creator, in session.NewTableInput, prev *session.Table) (Created, error) {
	now := time.Now()
	for attempt := 0; ; attempt++ {
		sec := session.Secrets{ID: uuid.NewString(), Code: newCode(), Key: make([]byte, 32), FacilitatorSecret: NewToken()}
		rand.Read(sec.Key)
		env := session.Env{Now: now, NewID: uuid.NewString}
		var ev session.Event
		var err error
		if prev != nil {
			ev, err = session.NewTableFrom(in, sec, prev, env)
		} else {
			ev, err = session.NewTable(in, sec, env)
		}
		if err != nil {
			return Created{}, err
		}
		first, err := ToStore(sec.ID, ev)
		if err != nil {
			return Created{}, err
		}
		var t session.Table
		t.Apply(ev)
		info := store.TableInfo{ID: sec.ID, Code: sec.Code, Title: t.Title, Status: Status(&t), CreatedAt: ev.Time, UpdatedAt: ev.Time, Series: t.Series}
		err = st.CreateTable(ctx, info, first)
		if errors.Is(err, store.ErrConflict) && attempt < 5 {
			continue // a join code collision: draw another
		}
		if err != nil {
			return Created{}, err
		}
		return Created{ID: sec.ID, Code: sec.Code, FacilitatorSecret: sec.FacilitatorSecret,
			FacilitatorLink: FacilitatorLink(sec.ID, sec.FacilitatorSecret), JoinLink: JoinLink(sec.Code),
			ScreenLink: ScreenLink(sec.ID, t.ScreenToken()), FollowUps: len(t.FollowUps)}, nil
	}
}
