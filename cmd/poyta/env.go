package main

import (
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// envPrefix starts the name of every environment variable poyta reads for
// its flags: --max-conns-per-ip is POYTA_MAX_CONNS_PER_IP.
const envPrefix = "POYTA_"

// notFromEnv are the flags the environment never sets: help and version
// are questions, not settings, and --yes is the confirmation of a
// deletion, which a variable left in a shell must not give.
var notFromEnv = map[string]bool{"help": true, "version": true, "yes": true}

// envName is the environment variable that sets flag name.
func envName(name string) string {
	return envPrefix + strings.ToUpper(strings.ReplaceAll(name, "-", "_"))
}

// flagsFromEnv sets every flag of cmd (its own and those it inherits) that
// was not given on the command line from its environment variable, if set.
// A repeatable flag takes a comma-separated list. It runs after the command
// line is parsed, so an explicit flag always wins over the environment. An
// empty variable counts as unset, so a configuration file can list every
// variable with the ones not in use left empty.
func flagsFromEnv(cmd *cobra.Command, getenv func(string) (string, bool)) error {
	var errs []error
	cmd.Flags().VisitAll(func(f *pflag.Flag) {
		if f.Changed || notFromEnv[f.Name] {
			return
		}
		v, ok := getenv(envName(f.Name))
		if !ok || strings.TrimSpace(v) == "" {
			return
		}
		vals := []string{v}
		if repeatable(f) {
			vals = splitList(v)
		}
		for _, val := range vals {
			if err := f.Value.Set(val); err != nil {
				errs = append(errs, fmt.Errorf("%s=%q (for --%s): %w", envName(f.Name), v, f.Name, err))
				return
			}
		}
		f.Changed = true
	})
	if len(errs) > 0 {
		return errs[0]
	}
	return nil
}

// repeatable tells the flags that take several values (--allowed-origin,
// --trusted-proxy, --acme-host, --item).
func repeatable(f *pflag.Flag) bool {
	_, ok := f.Value.(pflag.SliceValue)
	return ok
}

// splitList reads a comma-separated list, ignoring blanks around items and
// empty items.
func splitList(v string) []string {
	var out []string
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// osEnv is flagsFromEnv's view of the process environment.
func osEnv(name string) (string, bool) { return os.LookupEnv(name) }
