package main

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/poyta/poyta/store"
)

// retention is the --retention flag of serve: how long closed tables are
// kept. It takes Go durations ("720h") and whole days ("365d"); 0 keeps
// tables forever.
type retention time.Duration

func (r *retention) String() string {
	d := time.Duration(*r)
	if d == 0 {
		return "0"
	}
	if d%(24*time.Hour) == 0 {
		return strconv.FormatInt(int64(d/(24*time.Hour)), 10) + "d"
	}
	return d.String()
}

func (r *retention) Set(s string) error {
	d, err := parseRetention(s)
	if err != nil {
		return err
	}
	*r = retention(d)
	return nil
}

func (r *retention) Type() string { return "duration" }

func parseRetention(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if days, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.ParseInt(days, 10, 64)
		if err != nil || n < 0 || n > 100*365 {
			return 0, fmt.Errorf("%q: want whole days such as 365d, or a duration such as 720h", s)
		}
		return time.Duration(n) * 24 * time.Hour, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return 0, fmt.Errorf("%q: want whole days such as 365d, or a duration such as 720h", s)
	}
	return d, nil
}

// purger deletes closed tables older than the retention.
type purger interface {
	PurgeClosedBefore(ctx context.Context, t time.Time) ([]string, error)
}

// purgeOld deletes every table closed longer ago than keep.
func purgeOld(ctx context.Context, db purger, log *slog.Logger, keep time.Duration, now time.Time) {
	// Tables purged come back even with an error that followed the purge.
	ids, err := db.PurgeClosedBefore(ctx, now.Add(-keep))
	for _, id := range ids {
		log.Info("closed table purged", "table", id, "retention", (*retention)(&keep).String())
	}
	if err != nil && ctx.Err() == nil {
		log.Warn("retention purge failed", "err", err)
	}
}

// startRetention purges once now and then every interval until ctx ends
// or the returned stop is called; stop waits for a purge in progress.
// With keep 0 it does nothing.
func startRetention(ctx context.Context, db *store.DB, log *slog.Logger, keep, every time.Duration) (stop func()) {
	if keep <= 0 {
		return func() {}
	}
	if every <= 0 {
		every = time.Hour
	}
	purgeOld(ctx, db, log, keep, time.Now())
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		tick := time.NewTicker(every)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case now := <-tick.C:
				purgeOld(ctx, db, log, keep, now)
			}
		}
	}()
	var once sync.Once
	return func() {
		once.Do(func() {
			cancel()
			<-done
		})
	}
}
