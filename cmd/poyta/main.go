// Command poyta runs partnership tables: live meetings over websockets with
// their record in SQLite, and the minutes afterwards.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := newRootCmd().ExecuteContext(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "poyta:", err)
		os.Exit(1)
	}
}
