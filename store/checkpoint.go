package store

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"time"

	"github.com/mattn/go-sqlite3"
)

// Checkpoints. In WAL mode a commit appends to the -wal file, and every so
// often the pages there must be copied into the database file and synced
// (a checkpoint). By default SQLite does that inside the commit that takes
// the WAL past 1000 pages: that commit then takes 50 to 300 ms instead of
// one, and every table waiting behind the single writer waits with it. So
// the writer connection never checkpoints (wal_autocheckpoint=0, set on
// every connection of its pool by the connect hook of its connector), and a
// goroutine of the store checkpoints in the background, PASSIVE, on a
// connection of its own, while commits go on. Durability does not change:
// each commit still syncs the WAL before Append returns.

// writerConnector opens the writer pool's connections: the SQLite driver
// with a connect hook that turns automatic checkpoints off on each.
type writerConnector struct {
	dsn string
	drv *sqlite3.SQLiteDriver
}

func newWriterConnector(dsn string) writerConnector {
	return writerConnector{dsn: dsn, drv: &sqlite3.SQLiteDriver{ConnectHook: func(c *sqlite3.SQLiteConn) error {
		_, err := c.Exec("PRAGMA wal_autocheckpoint=0", nil)
		return err
	}}}
}

func (w writerConnector) Connect(context.Context) (driver.Conn, error) { return w.drv.Open(w.dsn) }
func (w writerConnector) Driver() driver.Driver                        { return w.drv }

// checkpointEvery is how often the background checkpoint runs. A run with
// nothing to copy costs next to nothing.
const checkpointEvery = 200 * time.Millisecond

// runCheckpoints checkpoints until stop is closed; it closes done when it
// has returned.
func (s *sqliteDB) runCheckpoints(stop <-chan struct{}, done chan<- struct{}) {
	defer close(done)
	t := time.NewTicker(checkpointEvery)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
			s.checkpoint()
		}
	}
}

// checkpoint copies what it can from the WAL into the database file
// without waiting for readers or the writer. A failure is left for the
// next run; the WAL only grows meanwhile.
func (s *sqliteDB) checkpoint() {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var busy, frames, copied int
	if err := s.ckpt.QueryRowContext(ctx, "PRAGMA wal_checkpoint(PASSIVE)").Scan(&busy, &frames, &copied); err == nil {
		s.checkpoints.Add(1)
	}
}

// scrubTimeout bounds how long scrub waits for readers to leave the WAL.
const scrubTimeout = 15 * time.Second

// scrub makes what a delete removed unrecoverable from the database's
// files. secure_delete zeroes deleted rows in the pages the delete writes,
// but the earlier versions of those pages stay readable in the -wal file
// until SQLite happens to overwrite them, which on a quiet server is never
// (issue 10: names of an "erased" table still in the WAL after 90 s). So
// after a delete commits, the WAL is checkpointed into the database file
// and truncated to zero bytes. The checkpoint waits for readers, here or
// in another process, to finish with the WAL; it is retried until it
// completes or scrubTimeout passes.
func (s *sqliteDB) scrub(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, scrubTimeout)
	defer cancel()
	for {
		var busy, frames, copied int
		err := s.ckpt.QueryRowContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)").Scan(&busy, &frames, &copied)
		if err == nil && busy == 0 {
			return nil
		}
		select {
		case <-ctx.Done():
			if err == nil {
				err = errors.New("readers kept it busy")
			}
			return fmt.Errorf("the write-ahead log could not be truncated, so deleted data may stay in it until it is overwritten: %w", err)
		case <-time.After(50 * time.Millisecond):
		}
	}
}
