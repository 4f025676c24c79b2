package minutes

import (
	"encoding/json"
	"fmt"
	"io"
)

// SchemaVersion names the JSON format of the minutes, documented in
// docs/minutes-json.md. A change that breaks readers gets a new version.
const SchemaVersion = "poyta.minutes/1"

// WriteJSON writes the complete record, ids and timestamps included, as
// indented JSON. <, > and & in text are written as \u escapes, so the
// JSON is safe to embed in HTML as well; decoding gives the text back
// exactly as written.
func WriteJSON(w io.Writer, m *Minutes) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	doc := struct {
		Schema string `json:"schema"`
		*Minutes
	}{SchemaVersion, m}
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("minutes: write json: %w", err)
	}
	return nil
}
