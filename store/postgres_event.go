package store

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/jackc/pgx/v5"
)

// The PostgreSQL backend's event log and snapshots.
//
// A group commit is two round trips and one disk flush, however many
// batches and events it holds: a pipeline that begins the transaction,
// locks the group's table rows and reads their leases; then a pipeline that
// inserts every event with one statement, updates every table row with one
// statement, writes the snapshots and commits. Deciding on each batch
// (unknown table, fenced, seq conflict) happens in Go between the two, on
// the locked rows.

const (
	// The table rows are locked in id order, so two nodes' groups (which
	// share tables only in a split brain) cannot deadlock on them. FOR NO KEY
	// UPDATE is the lock the UPDATE below takes anyway; it lets other
	// transactions' foreign-key checks through.
	pgLockTablesSQL = `SELECT id, last_seq, status, snapshot_floor FROM tables WHERE id = ANY($1) ORDER BY id FOR NO KEY UPDATE`
	// Read after the lock, so it sees any lease change that committed while
	// we waited for it (lease changes lock the same row: postgres_lease.go).
	pgLeasesSQL = `SELECT table_id, epoch, node = '' FROM leases WHERE table_id = ANY($1)`

	pgInsertEventsSQL = `INSERT INTO events (table_id, seq, at, actor, type, data, op)
		SELECT * FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::text[], $5::text[], $6::text[], $7::text[])`

	pgUpdateTablesSQL = `UPDATE tables AS t SET last_seq = v.last_seq, updated_at = v.updated_at,
			title = COALESCE(v.title, t.title), status = COALESCE(v.status, t.status),
			closed_at = CASE WHEN v.set_closed THEN v.closed_at ELSE t.closed_at END
		FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::text[], $5::text[], $6::bool[], $7::bigint[])
			AS v (id, last_seq, updated_at, title, status, set_closed, closed_at)
		WHERE t.id = v.id`

	pgSaveSnapshotSQL = `INSERT INTO snapshots (table_id, seq, version, data) VALUES ($1, $2, $3, $4)
		ON CONFLICT (table_id, seq) DO UPDATE SET version = excluded.version, data = excluded.data`
	pgTrimSnapshotsSQL = `DELETE FROM snapshots WHERE table_id = $1 AND seq < (
		SELECT MIN(seq) FROM (SELECT seq FROM snapshots WHERE table_id = $1 ORDER BY seq DESC LIMIT $2) AS newest)`
)

// pgRowUpdate is what a group does to one table row.
type pgRowUpdate struct {
	lastSeq, updatedAt int64
	title, status      *string
	setClosed          bool
	closedAt           *int64
}

// appendGroup writes the batches in one transaction on the writer's
// connection, with a context of its own: the transaction serves several
// callers, none of whom may cancel it for the others. BEGIN travels with
// the first pipeline and COMMIT with the second, so the transaction costs
// two round trips.
func (p *pgDB) appendGroup(bs []Batch) (err error) {
	ctx, cancel := context.WithTimeout(context.Background(), pgWriteTimeout)
	defer cancel()
	conn, err := p.writer.Acquire(ctx)
	if err != nil {
		return err
	}
	defer conn.Release()
	defer func() {
		// After a failed statement the server ignores the rest of the
		// pipeline, COMMIT included, and keeps the transaction open,
		// aborted. (If the connection broke instead, the pool drops it.)
		if err != nil && !conn.Conn().IsClosed() {
			conn.Exec(ctx, "ROLLBACK")
		}
		err = pgErr(err)
	}()
	states, err := p.lockTables(ctx, conn.Conn(), bs)
	if err != nil {
		return err
	}
	w, err := planGroup(bs, states)
	if err != nil {
		return err
	}
	w.Queue("COMMIT")
	return conn.SendBatch(ctx, w).Close()
}

// lockTables begins the transaction, locks the row of every table the
// batches write to and reads what deciding on them needs.
func (p *pgDB) lockTables(ctx context.Context, conn *pgx.Conn, bs []Batch) (map[string]tableState, error) {
	ids := make([]string, 0, len(bs))
	for _, b := range bs {
		ids = append(ids, b.Table)
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)

	var q pgx.Batch
	q.Queue("BEGIN")
	q.Queue(pgIdleInTxSQL)
	if p.syncOn {
		q.Queue("SET LOCAL synchronous_commit TO on")
	}
	q.Queue(pgLockTablesSQL, ids)
	q.Queue(pgLeasesSQL, ids)
	res := conn.SendBatch(ctx, &q)
	defer res.Close()
	if _, err := res.Exec(); err != nil { // BEGIN
		return nil, err
	}
	if _, err := res.Exec(); err != nil { // pgIdleInTxSQL
		return nil, err
	}
	if p.syncOn {
		if _, err := res.Exec(); err != nil {
			return nil, err
		}
	}
	states := make(map[string]tableState, len(ids))
	rows, err := res.Query()
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var id string
		var st tableState
		if err := rows.Scan(&id, &st.lastSeq, &st.status, &st.floor); err != nil {
			return nil, err
		}
		states[id] = st
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if rows, err = res.Query(); err != nil {
		return nil, err
	}
	for rows.Next() {
		var id string
		var epoch int64
		var released bool
		if err := rows.Scan(&id, &epoch, &released); err != nil {
			return nil, err
		}
		if st, ok := states[id]; ok {
			st.epoch, st.released = epoch, released
			states[id] = st
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return states, res.Close()
}

// planGroup decides on each batch in order, against the table states read
// under lock and what the batches before it did, and returns the writes of
// the whole group as one pipeline. The first batch refused fails the group.
func planGroup(bs []Batch, states map[string]tableState) (*pgx.Batch, error) {
	n := 0
	for _, b := range bs {
		n += len(b.Events)
	}
	// The events as columns, one array each, for pgInsertEventsSQL.
	var (
		tables, actors = make([]string, 0, n), make([]string, 0, n)
		types, data    = make([]string, 0, n), make([]string, 0, n)
		seqs, ats      = make([]int64, 0, n), make([]int64, 0, n)
		ops            = make([]*string, 0, n) // nil: no op key (NULL)
		updates        = make(map[string]*pgRowUpdate)
		snaps          []Batch
		w              = &pgx.Batch{}
	)
	for _, b := range bs {
		st, ok := states[b.Table]
		if !ok {
			return nil, fmt.Errorf("table %s: %w", b.Table, ErrNotFound)
		}
		next, err := st.admit(b)
		if err != nil {
			return nil, err
		}
		if len(b.Events) > 0 {
			for _, e := range b.Events {
				tables = append(tables, b.Table)
				seqs = append(seqs, e.Seq)
				ats = append(ats, micros(e.Time))
				actors = append(actors, e.Actor)
				types = append(types, e.Type)
				data = append(data, string(e.Data))
				if e.Op != "" {
					ops = append(ops, &e.Op)
				} else {
					ops = append(ops, nil)
				}
			}
			u := updates[b.Table]
			if u == nil {
				u = &pgRowUpdate{}
				updates[b.Table] = u
			}
			end := b.Events[len(b.Events)-1]
			u.lastSeq, u.updatedAt = end.Seq, micros(end.Time)
			if b.Title != "" {
				u.title = &b.Title
			}
			if b.Status != "" {
				u.status = &b.Status
			}
			var change bool
			var closedAt *int64
			change, closedAt, next.status = closedAtChange(b, st.status)
			if change {
				u.setClosed, u.closedAt = true, closedAt
			}
		}
		if b.Snapshot != nil {
			snaps = append(snaps, b)
		}
		states[b.Table] = next
	}
	if n > 0 {
		w.Queue(pgInsertEventsSQL, tables, seqs, ats, actors, types, data, ops)
	}
	if len(updates) > 0 {
		ids := make([]string, 0, len(updates))
		for id := range updates {
			ids = append(ids, id)
		}
		slices.Sort(ids)
		var (
			last, upd        = make([]int64, len(ids)), make([]int64, len(ids))
			titles, statuses = make([]*string, len(ids)), make([]*string, len(ids))
			setClosed        = make([]bool, len(ids))
			closedAt         = make([]*int64, len(ids))
		)
		for i, id := range ids {
			u := updates[id]
			last[i], upd[i], titles[i], statuses[i], setClosed[i], closedAt[i] =
				u.lastSeq, u.updatedAt, u.title, u.status, u.setClosed, u.closedAt
		}
		w.Queue(pgUpdateTablesSQL, ids, last, upd, titles, statuses, setClosed, closedAt)
	}
	for _, b := range snaps {
		s := b.Snapshot
		w.Queue(pgSaveSnapshotSQL, b.Table, s.Seq, s.Version, s.Data)
		w.Queue(pgTrimSnapshotsSQL, b.Table, keepSnapshots)
	}
	return w, nil
}

func (p *pgDB) events(ctx context.Context, table string, afterSeq int64, limit int) ([]Event, error) {
	var lim *int64 // NULL: no limit
	if limit > 0 {
		l := int64(limit)
		lim = &l
	}
	rows, err := p.pool.Query(ctx, `SELECT seq, at, actor, type, data, op FROM events
		WHERE table_id = $1 AND seq > $2 ORDER BY seq LIMIT $3::bigint`, table, afterSeq, lim)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Event{}
	for rows.Next() {
		e := Event{Table: table}
		var at int64
		var data string
		var op *string
		if err := rows.Scan(&e.Seq, &at, &e.Actor, &e.Type, &data, &op); err != nil {
			return nil, err
		}
		e.Time = fromMicros(at)
		e.Data = []byte(data)
		if op != nil {
			e.Op = *op
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

func (p *pgDB) ops(ctx context.Context, table string, afterSeq int64) (map[string]int64, error) {
	rows, err := p.pool.Query(ctx, `SELECT op, seq FROM events
		WHERE table_id = $1 AND seq > $2 AND op IS NOT NULL`, table, afterSeq)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make(map[string]int64)
	for rows.Next() {
		var op string
		var seq int64
		if err := rows.Scan(&op, &seq); err != nil {
			return nil, err
		}
		out[op] = seq
	}
	return out, rows.Err()
}

func (p *pgDB) latestSnapshot(ctx context.Context, table string) (Snapshot, error) {
	out := Snapshot{Table: table}
	err := p.pool.QueryRow(ctx, `SELECT seq, version, data FROM snapshots
		WHERE table_id = $1 ORDER BY seq DESC LIMIT 1`, table).Scan(&out.Seq, &out.Version, &out.Data)
	if errors.Is(err, pgx.ErrNoRows) {
		return Snapshot{}, ErrNotFound
	}
	if err != nil {
		return Snapshot{}, err
	}
	return out, nil
}
