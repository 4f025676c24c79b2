package tables

import "testing"

// TestJoinCodes: what a person types normalises to the stored form, and a
// new code is already in it.
func TestJoinCodes(t *testing.T) {
	if c := NormalizeCode("kp 4f7k 9qx2"); c != "KP-4F7K-9QX2" {
		t.Fatalf("NormalizeCode: %q", c)
	}
	if c := newCode(); NormalizeCode(c) != c {
		t.Fatalf("a new code %q does not normalise to itself", c)
	}
}
