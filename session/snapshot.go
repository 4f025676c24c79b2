package session

import (
	"encoding/json"
	"fmt"
)

// SnapshotVersion is the format of Table snapshots. Bump it whenever Table's
// serialised form changes incompatibly: old snapshots are then ignored and
// the table is rebuilt from its events, which are the source of truth.
const SnapshotVersion = 2

// MarshalSnapshot serialises the whole table state, secrets included, for
// the store only.
func (t *Table) MarshalSnapshot() ([]byte, error) {
	b, err := json.Marshal(t)
	if err != nil {
		return nil, fmt.Errorf("session: marshal snapshot: %w", err)
	}
	return b, nil
}

// RestoreSnapshot rebuilds a table from a snapshot made by MarshalSnapshot.
func RestoreSnapshot(data []byte) (*Table, error) {
	t := new(Table)
	if err := json.Unmarshal(data, t); err != nil {
		return nil, fmt.Errorf("session: restore snapshot: %w", err)
	}
	t.rebuild()
	return t, nil
}
