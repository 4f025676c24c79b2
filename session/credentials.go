package session

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
)

// HashSecret is how credentials are stored: a hex SHA-256. The secrets are
// 128-bit random, so a plain hash is enough to make a stolen database
// useless for impersonation.
func HashSecret(secret string) string {
	h := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(h[:])
}

// derive makes a credential from the table key, so scribe and screen links
// can be shown again to a facilitator without storing them.
func (t *Table) derive(purpose string) string { return deriveToken(t.Key, purpose) }

func deriveToken(key []byte, purpose string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(purpose))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:16])
}

// ScreenToken is the credential of the table's read-only room screen.
func (t *Table) ScreenToken() string { return t.derive("screen") }

// ScribeToken is the credential of a room group's scribe.
func (t *Table) ScribeToken(group string) string { return t.derive("scribe:" + group) }

// Authenticate checks a credential for a role and returns who it is.
func (t *Table) Authenticate(role Role, credential string) (Who, error) {
	bad := errf(KindForbidden, CodeUnauthorized, "wrong or missing credential")
	if credential == "" || len(credential) > 200 {
		return Who{}, bad
	}
	eq := func(a, b string) bool { return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1 }
	switch role {
	case RoleFacilitator:
		if eq(HashSecret(credential), t.FacilitatorHash) {
			return Who{Role: RoleFacilitator}, nil
		}
		for _, f := range t.CoFacilitators {
			if eq(t.CoFacilitatorToken(f.ID), credential) {
				if f.Removed {
					return Who{}, errf(KindForbidden, CodeRemoved, "your facilitator link was removed")
				}
				return Who{Role: RoleFacilitator, ID: f.ID}, nil
			}
		}
	case RoleParticipant:
		if p := t.participantByHash(HashSecret(credential)); p != nil {
			if p.Removed {
				return Who{}, errf(KindForbidden, CodeRemoved, "you were removed from this table")
			}
			return Who{Role: RoleParticipant, ID: p.ID}, nil
		}
	case RoleScribe:
		for _, g := range t.Groups {
			if !g.Removed && eq(t.ScribeToken(g.ID), credential) {
				return Who{Role: RoleScribe, ID: g.ID}, nil
			}
		}
	case RoleScreen:
		if eq(t.ScreenToken(), credential) {
			return Who{Role: RoleScreen}, nil
		}
	case RoleInterpreter:
		if eq(t.InterpreterToken(), credential) {
			return Who{Role: RoleInterpreter}, nil
		}
	}
	return Who{}, bad
}
