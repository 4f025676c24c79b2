package live

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/poyta/poyta/session/tables"
	"github.com/poyta/poyta/store"
)

// Routing between nodes. A table is served by the node that holds its
// lease. A node asked for a table it does not serve finds the holder in
// the store and forwards the request there (the websocket in forward.go,
// HTTP in package web); if nobody holds the lease, or its holder's lease
// has lapsed, the node takes the lease and serves the table itself. A
// forwarded request carries ForwardedHeader and is never forwarded again,
// so a request makes at most one hop and no loop is possible: a node that
// gets a forwarded request for a table someone else has taken meanwhile
// answers "unavailable", and the client tries again.

// ForwardedHeader marks a request one node forwards to another, with the
// forwarding node's URL. Whoever sends it, a request that carries it is
// served where it arrives or refused, never forwarded; the client address
// in X-Forwarded-For is believed only from a configured peer (package web).
const ForwardedHeader = "X-Poyta-Forwarded-By"

// lapsePoll is how often a node waiting for an unreachable owner's lease to
// lapse reads it.
const lapsePoll = 200 * time.Millisecond

// Node is the URL other nodes reach this server at, "" without leases.
func (s *Server) Node() string { return s.cfg.Node }

// Owner says which node serves table: "" for this one (it is loaded here,
// or nobody holds its lease, so this node may take it), otherwise the URL
// of the node that holds its lease. A server without leases serves
// everything itself. An unknown table is tables.ErrNoTable.
func (s *Server) Owner(ctx context.Context, table string) (string, error) {
	if s.cfg.Node == "" {
		return "", nil
	}
	s.mu.Lock()
	_, here := s.hubs[table]
	s.mu.Unlock()
	if here {
		return "", nil
	}
	l, err := s.cfg.Leases.Lease(ctx, table)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return "", tables.ErrNoTable
	case err != nil:
		return "", fmt.Errorf("live: who serves %s: %w", table, err)
	case l.Held && l.Node != s.cfg.Node:
		return l.Node, nil
	}
	return "", nil
}

// Claim makes sure table is served: by this node, which takes its lease
// and loads it if nobody serves it ("" returned), or by the node whose URL
// it returns. The HTTP layer calls it before serving a table's route, so
// that two nodes that both find the table unserved do not both try to
// serve the request: the one that loses the lease forwards it.
func (s *Server) Claim(ctx context.Context, table string) (string, error) {
	if s.cfg.Node == "" {
		return "", nil
	}
	h, owner, err := s.locate(ctx, table, false)
	if h != nil {
		s.release(h)
	}
	return owner, err
}

// AwaitLapse waits, until ctx ends, for table's lease to be no longer
// owner's: lapsed, released or taken by another node. A node whose
// forward to owner could not even connect calls it before it tries again:
// the owner is gone, and its lease will lapse within its ttl.
func (s *Server) AwaitLapse(ctx context.Context, table, owner string) error {
	t := time.NewTicker(lapsePoll)
	defer t.Stop()
	for {
		l, err := s.cfg.Leases.Lease(ctx, table)
		switch {
		case errors.Is(err, store.ErrNotFound):
			return tables.ErrNoTable
		case err == nil && (!l.Held || l.Node != owner):
			return nil
		case err != nil && ctx.Err() == nil:
			s.log.Debug("reading a lease", "table", table, "err", err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
}

// locate finds where a client's table is served: a hub here (to be
// released by the caller), or the URL of the node that holds its lease. A
// forwarded request is never sent on: it gets errMoved instead.
func (s *Server) locate(ctx context.Context, table string, forwarded bool) (*hub, string, error) {
	owner, err := s.Owner(ctx, table)
	if err != nil {
		return nil, "", err
	}
	if owner == "" {
		h, err := s.acquire(ctx, table)
		var el *Elsewhere
		if !errors.As(err, &el) {
			return h, "", err
		}
		owner = el.Node // taken by another node meanwhile
	}
	if forwarded {
		return nil, "", errMoved
	}
	return nil, owner, nil
}
