package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"

	"github.com/poyta/poyta/store"
	"github.com/spf13/cobra"
)

type copyOptions struct {
	from, to string
}

// copyChunk is how many events copy reads and appends at a time.
const copyChunk = 2000

func newCopyCmd() *cobra.Command {
	o := &copyOptions{}
	cmd := &cobra.Command{
		Use:   "copy --from DB --to DB",
		Short: "Copy every table to another database, e.g. from SQLite to PostgreSQL",
		Long: `Copy moves an installation to another database: every table of --from, with
its whole event log, index entry and newest snapshot, is written to --to,
then each table is checked: the same index entry, the same events one by one,
and the same state (rebuilt from each database and hashed). Either side may
be a SQLite file or a postgres:// URL; --to is created (SQLite) or migrated
(PostgreSQL) if needed. Stop poyta serve on --from first, so the copy is
complete.

Tables already in --to are not written twice: one copied whole is only
checked, one cut short by an earlier, interrupted copy is completed. A
different table under the same id or join code is an error. Tables of --to
that --from does not have are left alone, so several SQLite files can be
copied into one PostgreSQL database. Table leases are not copied.`,
		Example: `  poyta copy --from /var/lib/poyta/poyta.db --to 'postgres://poyta@db.example.fi/poyta'`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runCopy(cmd.Context(), cmd.OutOrStdout(), o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.from, "from", defaultDB, "the database to copy: SQLite file or postgres:// URL")
	f.StringVar(&o.to, "to", "", "the database to copy into: SQLite file or postgres:// URL (required)")
	cmd.MarkFlagRequired("to")
	return cmd
}

func runCopy(ctx context.Context, out io.Writer, o *copyOptions) error {
	if o.to == "" {
		return errors.New("--to is required")
	}
	if o.from == o.to {
		return errors.New("--from and --to are the same database")
	}
	src, err := openExisting(ctx, o.from)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := store.Open(ctx, o.to)
	if err != nil {
		return err
	}
	defer dst.Close()

	tables, err := src.Tables(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "Copying %d tables from %s to %s.\n", len(tables), store.Redact(o.from), store.Redact(o.to))
	var events int64
	for _, info := range tables {
		what, err := copyTable(ctx, src, dst, info)
		if err != nil {
			return fmt.Errorf("table %s (%s): %w", info.ID, info.Code, err)
		}
		fmt.Fprintf(out, "  %-8s %s  %s  %d events\n", what, info.ID, info.Code, info.LastSeq)
		events += info.LastSeq
	}
	var failed int
	for _, info := range tables {
		if err := verifyTable(ctx, src, dst, info.ID); err != nil {
			fmt.Fprintf(out, "  DIFFERS  %s  %s: %v\n", info.ID, info.Code, err)
			failed++
		}
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d tables differ between %s and %s (was poyta serve still running on --from? stop it and run poyta copy again)",
			failed, len(tables), store.Redact(o.from), store.Redact(o.to))
	}
	fmt.Fprintf(out, "Verified: %d tables, %d events; the index entries, every event and every table's state hash are the same in both.\n",
		len(tables), events)
	return nil
}

// copyTable writes one table of src to dst and says what it did: "copied",
// "resumed" (the first part was already there) or "present".
func copyTable(ctx context.Context, src, dst *store.DB, info store.TableInfo) (string, error) {
	what := "copied"
	var after int64
	have, err := dst.Table(ctx, info.ID)
	switch {
	case errors.Is(err, store.ErrNotFound):
		first, err := src.Events(ctx, info.ID, 0, 1)
		if err != nil {
			return "", err
		}
		if len(first) != 1 {
			return "", errors.New("no first event")
		}
		// The index entry as it is at the end, so the events appended after
		// the first (without a title or status) leave it as the source has it.
		if err := dst.CreateTable(ctx, info, first[0]); err != nil {
			return "", err
		}
		after = 1
	case err != nil:
		return "", err
	case have.Code != info.Code:
		return "", fmt.Errorf("the destination has a table with this id and the join code %s", have.Code)
	case have.LastSeq > info.LastSeq:
		return "", fmt.Errorf("the destination's copy has %d events, more than the source's %d", have.LastSeq, info.LastSeq)
	case have.LastSeq == info.LastSeq:
		what = "present"
		after = have.LastSeq
	default:
		what = "resumed"
		after = have.LastSeq
	}
	for after < info.LastSeq {
		evs, err := src.Events(ctx, info.ID, after, copyChunk)
		if err != nil {
			return "", err
		}
		if len(evs) == 0 {
			return "", fmt.Errorf("the source's log ends at %d, its index at %d", after, info.LastSeq)
		}
		if err := dst.Append(ctx, store.Batch{Table: info.ID, Events: evs}); err != nil {
			return "", err
		}
		after = evs[len(evs)-1].Seq
	}
	snap, err := src.LatestSnapshot(ctx, info.ID)
	switch {
	case errors.Is(err, store.ErrNotFound):
	case err != nil:
		return "", err
	default:
		if err := dst.Append(ctx, store.Batch{Table: info.ID, Snapshot: &snap}); err != nil {
			return "", err
		}
	}
	return what, nil
}

// verifyTable checks that dst holds table id as src does: the same index
// entry, the same events, the same newest snapshot and the same state
// rebuilt by the loader the server uses.
func verifyTable(ctx context.Context, src, dst *store.DB, id string) error {
	a, err := src.Table(ctx, id)
	if err != nil {
		return err
	}
	b, err := dst.Table(ctx, id)
	if err != nil {
		return err
	}
	if a != b {
		return fmt.Errorf("index entries differ: %+v and %+v", a, b)
	}
	for after := int64(0); after < a.LastSeq; {
		ea, err := src.Events(ctx, id, after, copyChunk)
		if err != nil {
			return err
		}
		eb, err := dst.Events(ctx, id, after, copyChunk)
		if err != nil {
			return err
		}
		if len(ea) != len(eb) || len(ea) == 0 {
			return fmt.Errorf("after seq %d: %d events and %d", after, len(ea), len(eb))
		}
		for i := range ea {
			x, y := ea[i], eb[i]
			if x.Seq != y.Seq || !x.Time.Equal(y.Time) || x.Actor != y.Actor || x.Type != y.Type || x.Op != y.Op || !bytes.Equal(x.Data, y.Data) {
				return fmt.Errorf("event %d differs", x.Seq)
			}
		}
		after = ea[len(ea)-1].Seq
	}
	sa, errA := src.LatestSnapshot(ctx, id)
	sb, errB := dst.LatestSnapshot(ctx, id)
	if (errA == nil) != (errB == nil) || sa.Seq != sb.Seq || sa.Version != sb.Version || !bytes.Equal(sa.Data, sb.Data) {
		return fmt.Errorf("newest snapshots differ (seq %d: %v; seq %d: %v)", sa.Seq, errA, sb.Seq, errB)
	}
	ha, err := stateHash(ctx, src, id)
	if err != nil {
		return err
	}
	hb, err := stateHash(ctx, dst, id)
	if err != nil {
		return err
	}
	if ha != hb {
		return fmt.Errorf("state hashes differ: %x and %x", ha, hb)
	}
	return nil
}

// stateHash rebuilds a table with the server's loader and hashes its whole
// state (the snapshot encoding, whose maps are in key order).
func stateHash(ctx context.Context, db *store.DB, id string) ([32]byte, error) {
	t, err := loadTable(ctx, db, id)
	if err != nil {
		return [32]byte{}, err
	}
	data, err := t.MarshalSnapshot()
	if err != nil {
		return [32]byte{}, err
	}
	return sha256.Sum256(data), nil
}
