// Command poyta-load drives a running "poyta serve" on this machine with
// browser-like websocket clients playing a scripted meeting, and measures
// how quickly every event reaches every connection. See docs/performance.md.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := newRootCmd().ExecuteContext(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "poyta-load:", err)
		os.Exit(1)
	}
}

func newRootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:   "poyta-load",
		Short: "Load generator and latency meter for poyta serve",
		Long: `poyta-load drives a running "poyta serve" on this machine over real
websockets, as browsers do, and measures event latency, throughput, drops and
the server's memory and CPU. "run" plays a meeting; "plot" draws latency
against participants from the JSON lines of several runs.`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.AddCommand(newRunCmd(), newPlotCmd())
	return root
}
