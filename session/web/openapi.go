package web

import (
	_ "embed"
	"net/http"
)

// openAPI is the OpenAPI 3.1 description of these routes. This file is
// the one to edit; docs/openapi.yaml is a copy for readers of the docs,
// which a test keeps equal to it (the docs directory is in no Go package,
// so it cannot be embedded from there). openapi_test.go checks the
// document against the real server's requests and answers.
//
//go:embed openapi.yaml
var openAPI []byte

func (s *Server) handleOpenAPI(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Type", "application/yaml")
	h.Set("Cache-Control", "no-cache")
	w.Write(openAPI)
}
