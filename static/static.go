// Package static holds the web UI, embedded in the binary.
package static

import (
	"embed"
	"io/fs"
)

//go:embed web
var files embed.FS

// FS returns the web UI's files, rooted at the site root.
func FS() fs.FS {
	sub, err := fs.Sub(files, "web")
	if err != nil {
		// "web" is embedded at build time; it cannot be missing.
		panic(err)
	}
	return sub
}
