package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// apiError is the server's error body.
type apiError struct {
	Error struct {
		Code string `json:"code"`
	} `json:"error"`
}

// post sends a JSON body and decodes the answer; a refusal is returned as
// an error named by the server's error code.
func (r *runState) post(ctx context.Context, path string, in, out any) error {
	body, err := json.Marshal(in)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, r.baseURL+path, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := r.http.Do(req)
	if err != nil {
		r.countError("http")
		return err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		r.countError("http")
		return err
	}
	if resp.StatusCode/100 != 2 {
		var e apiError
		json.Unmarshal(b, &e)
		code := e.Error.Code
		if code == "" {
			code = fmt.Sprintf("http_%d", resp.StatusCode)
		}
		r.countError(code)
		return fmt.Errorf("POST %s: %d %s", path, resp.StatusCode, code)
	}
	return json.Unmarshal(b, out)
}

type createdTable struct {
	ID                string `json:"id"`
	Code              string `json:"code"`
	FacilitatorSecret string `json:"facilitatorSecret"`
	ScreenLink        string `json:"screenLink"`
}

// createTable creates a table with an agenda of n items, every item with
// the given dots per person and several dots per idea allowed.
func (r *runState) createTable(ctx context.Context, i, items, dots int) (createdTable, error) {
	type item struct {
		Title    string `json:"title"`
		Question string `json:"question"`
		Timebox  int    `json:"timebox"`
	}
	agenda := make([]item, items)
	for k := range agenda {
		agenda[k] = item{Title: fmt.Sprintf("Keskustelu %d", k+1),
			Question: "Mikä tekisi kunnastamme järjestöystävällisemmän?", Timebox: 20}
	}
	in := map[string]any{
		"title":          fmt.Sprintf("Kuormituskoe %d", i+1),
		"theme":          "Millainen on järjestöystävällinen kunta?",
		"lang":           "fi",
		"facilitator":    "Kuormituskoe",
		"allowAnonymous": true,
		"dots":           dots,
		"multiDot":       true,
		"agenda":         agenda,
	}
	var out createdTable
	err := r.post(ctx, "/api/tables", in, &out)
	return out, err
}

type joined struct {
	Table       string `json:"table"`
	Participant string `json:"participant"`
	Token       string `json:"token"`
}

var sectors = []string{"municipality", "wellbeing", "association", "association", "business", "resident", "education", "other"}

// join joins participant i to a table by its join code, as the join page does.
func (r *runState) join(ctx context.Context, code string, i int) (joined, error) {
	in := map[string]string{
		"code":   strings.ToLower(code),
		"name":   fmt.Sprintf("Osallistuja %d", i+1),
		"org":    fmt.Sprintf("Yhdistys %d ry", i%97+1),
		"sector": sectors[i%len(sectors)],
	}
	var out joined
	err := r.post(ctx, "/api/join", in, &out)
	return out, err
}

// screenToken takes the token out of a screen link "/s/{id}#{token}".
func screenToken(link string) string {
	_, tok, _ := strings.Cut(link, "#")
	return tok
}
