package web

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"time"

	"github.com/poyta/poyta/session"
	"github.com/poyta/poyta/session/live"
	"github.com/poyta/poyta/session/tables"
)

// Forwarding a table's HTTP calls to the node that serves it (with several
// nodes on one database; live/route.go has the rules). A route about one
// table is wrapped in owned, which finds the table (by the id in the path,
// the join code in the path or the join code in the body), asks the live
// runtime to serve it here or say who does (Claim) and, if another node does, hands the request to
// it with a reverse proxy: the same method, path, query, body and headers,
// the original Host, and X-Forwarded-For set to the client's address as
// this node counts it, which the owner believes only from a configured
// peer (Config.Peers). A request that arrives forwarded is never forwarded
// again. What the owner answers goes back unchanged. If the owner cannot
// even be connected to, the node waits for its lease to lapse and serves
// the request itself.

// maxForwardBody is the largest body a forwarded request may carry: the
// largest any table route takes (an import). A bigger one is served here,
// where its route refuses it.
const maxForwardBody = maxImportBody

// tableKey finds the table a request is about, or reports false.
type tableKey func(s *Server, r *http.Request) (string, bool)

// byID: the table id in the path.
func byID(_ *Server, r *http.Request) (string, bool) {
	id := r.PathValue("id")
	return id, id != ""
}

// byCode: the join code in the path. An unknown code is not forwarded:
// the route here answers it and counts the failure.
func byCode(s *Server, r *http.Request) (string, bool) {
	return s.idOfCode(r.Context(), r.PathValue("code"))
}

// byBodyCode: the join code in a JSON body (a join). The body is read for
// routing only, leniently; the route decodes it strictly wherever it runs.
func byBodyCode(s *Server, r *http.Request) (string, bool) {
	body, ok := bufferBody(r)
	if !ok {
		return "", false
	}
	var in struct {
		Code string `json:"code"`
	}
	if json.Unmarshal(body, &in) != nil {
		return "", false
	}
	return s.idOfCode(r.Context(), in.Code)
}

func (s *Server) idOfCode(ctx context.Context, code string) (string, bool) {
	norm := tables.NormalizeCode(code)
	if norm == "" {
		return "", false
	}
	info, err := s.cfg.Store.TableByCode(ctx, norm)
	if err != nil {
		return "", false
	}
	return info.ID, true
}

// bufferBody reads the request's body into memory, up to maxForwardBody,
// and puts it back so that it can be read again (by the route, or by a
// proxy, once per attempt). A body over the limit is put back whole and
// reported as not buffered.
func bufferBody(r *http.Request) ([]byte, bool) {
	if r.Body == nil || r.Body == http.NoBody {
		return nil, true
	}
	if r.GetBody != nil {
		if rc, err := r.GetBody(); err == nil {
			b, err := io.ReadAll(rc)
			return b, err == nil
		}
	}
	b, err := io.ReadAll(io.LimitReader(r.Body, maxForwardBody+1))
	if err != nil || len(b) > maxForwardBody {
		r.Body = struct {
			io.Reader
			io.Closer
		}{io.MultiReader(bytes.NewReader(b), r.Body), r.Body}
		return nil, false
	}
	r.Body.Close()
	r.Body = io.NopCloser(bytes.NewReader(b))
	r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil }
	r.ContentLength = int64(len(b))
	return b, true
}

// owned serves a table's route where the table is served.
func (s *Server) owned(key tableKey, next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if s.live.Node() == "" || r.Header.Get(live.ForwardedHeader) != "" {
			next(w, r)
			return
		}
		id, ok := key(s, r)
		if !ok {
			next(w, r)
			return
		}
		ctx, cancel := context.WithTimeout(r.Context(), s.live.ForwardPatience())
		defer cancel()
		for {
			owner, err := s.live.Claim(ctx, id)
			var se *session.Error
			switch {
			case err == nil && owner == "", errors.Is(err, tables.ErrNoTable):
				next(w, r) // served here, or refused here as unknown
				return
			case errors.As(err, &se):
				s.writeError(w, se)
				return
			case err != nil:
				// The database cannot be read (or the table loaded): say so
				// as the websocket does, not as an internal error.
				s.log.Warn("a table's route cannot be served", "table", id, "err", err)
				s.writeError(w, cannotOpen)
				return
			}
			if _, ok := bufferBody(r); !ok {
				next(w, r) // too big to forward: refused here
				return
			}
			if s.proxy(w, r, owner) {
				return
			}
			s.log.Info("the table's node does not answer; waiting for its lease to lapse", "table", id, "node", owner)
			wctx, wcancel := context.WithTimeout(ctx, s.live.ForwardPatience()/2)
			err = s.live.AwaitLapse(wctx, id, owner)
			wcancel()
			if ctx.Err() != nil || errors.Is(err, tables.ErrNoTable) {
				s.writeError(w, unavailable)
				return
			}
		}
	}
}

var cannotOpen = &session.Error{Kind: session.KindInternal, Code: session.CodeUnavailable, Message: "the table could not be opened; try again"}

var unavailable = &session.Error{Kind: session.KindInternal, Code: session.CodeUnavailable, Message: "the table is moving to another server; try again"}

// proxy hands the request to owner and copies its answer back. It returns
// false, having written nothing, if the owner could not be connected to.
func (s *Server) proxy(w http.ResponseWriter, r *http.Request, owner string) bool {
	target, err := url.Parse(owner)
	if err != nil || (target.Scheme != "http" && target.Scheme != "https") {
		s.log.Error("a lease names a node that is not a URL", "node", owner)
		s.writeError(w, unavailable)
		return true
	}
	if r.GetBody != nil {
		if r.Body, err = r.GetBody(); err != nil {
			s.writeError(w, unavailable)
			return true
		}
	}
	ip, proto := s.remoteIP(r), "http"
	if r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https" {
		proto = "https"
	}
	// The owner sets the security headers of its answer: ours would be
	// added to them (a second CSP would tighten the minutes' own).
	ours := w.Header().Clone()
	clear(w.Header())
	unreachable := false
	rp := &httputil.ReverseProxy{
		Rewrite: func(pr *httputil.ProxyRequest) {
			pr.SetURL(target)
			pr.Out.Host = pr.In.Host
			pr.Out.Header.Set("X-Forwarded-For", ip)
			pr.Out.Header.Set("X-Forwarded-Proto", proto)
			pr.Out.Header.Set(live.ForwardedHeader, s.live.Node())
		},
		Transport: s.forwarder,
		ErrorHandler: func(w http.ResponseWriter, r *http.Request, err error) {
			var oe *net.OpError
			if errors.As(err, &oe) && oe.Op == "dial" {
				unreachable = true
				return
			}
			s.log.Warn("forwarding to the table's node failed", "node", owner, "err", err)
			for k, v := range ours {
				w.Header()[k] = v
			}
			s.writeError(w, unavailable)
		},
	}
	rp.ServeHTTP(w, r)
	if unreachable {
		for k, v := range ours {
			w.Header()[k] = v
		}
		return false
	}
	return true
}

// newForwarder is the HTTP client for forwarded requests: short connect
// timeouts, since an owner that cannot be reached is waited out rather
// than waited on.
func newForwarder() *http.Transport {
	return &http.Transport{
		DialContext:           (&net.Dialer{Timeout: 2 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConnsPerHost:   32,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   5 * time.Second,
		ResponseHeaderTimeout: 60 * time.Second,
	}
}
