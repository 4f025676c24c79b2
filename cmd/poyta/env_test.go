package main

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestEnvName(t *testing.T) {
	for flag, want := range map[string]string{
		"addr": "POYTA_ADDR", "db": "POYTA_DB", "log-level": "POYTA_LOG_LEVEL",
		"max-conns-per-ip": "POYTA_MAX_CONNS_PER_IP", "allowed-origin": "POYTA_ALLOWED_ORIGIN",
	} {
		if got := envName(flag); got != want {
			t.Errorf("envName(%q) = %q, want %q", flag, got, want)
		}
	}
}

// TestDBFromEnv: POYTA_DB names the database of every command, and an
// explicit --db wins over it.
func TestDBFromEnv(t *testing.T) {
	path := twoTables(t)
	missing := filepath.Join(t.TempDir(), "missing.db")

	t.Setenv("POYTA_DB", path)
	out, _, err := runCmd(t, "", "tables", "list")
	if err != nil || !strings.Contains(out, ahtari.title) {
		t.Fatalf("tables list with POYTA_DB: %v\n%s", err, out)
	}
	out, _, err = runCmd(t, "", "export", ahtari.code)
	if err != nil || !strings.Contains(out, "# Muistio: "+ahtari.title) {
		t.Fatalf("export with POYTA_DB: %v\n%s", err, out)
	}
	if _, _, err := runCmd(t, "", "tables", "list", "--db", missing); err == nil || !strings.Contains(err.Error(), missing) {
		t.Fatalf("--db did not win over POYTA_DB: %v", err)
	}

	t.Setenv("POYTA_DB", missing)
	if out, _, err := runCmd(t, "", "tables", "list", "--db="+path); err != nil || !strings.Contains(out, ahtari.title) {
		t.Fatalf("--db did not win over POYTA_DB: %v\n%s", err, out)
	}
	t.Setenv("POYTA_DB", "")
	if _, _, err := runCmd(t, "", "tables", "list"); err == nil || !strings.Contains(err.Error(), "no database at poyta.db") {
		t.Fatalf("an empty POYTA_DB should count as unset: %v", err)
	}
}

// TestServeFlagsFromEnv reads every kind of serve flag from a fake
// environment: strings, numbers, durations, the retention's days, and
// repeatable flags as comma-separated lists.
func TestServeFlagsFromEnv(t *testing.T) {
	env := map[string]string{
		"POYTA_ADDR":             "127.0.0.1:9999",
		"POYTA_MAX_PARTICIPANTS": "50",
		"POYTA_SHUTDOWN_TIMEOUT": "3s",
		"POYTA_RETENTION":        "365d",
		"POYTA_LOG_FORMAT":       "json",
		"POYTA_ALLOWED_ORIGIN":   "https://a.example, https://b.example,",
		"POYTA_TRUSTED_PROXY":    "127.0.0.1",
		"POYTA_HELP":             "true",
	}
	getenv := func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	cmd := newServeCmd()
	cmd.InitDefaultHelpFlag()
	if err := cmd.ParseFlags([]string{"--max-participants", "70", "--trusted-proxy", "10.0.0.0/8"}); err != nil {
		t.Fatal(err)
	}
	if err := flagsFromEnv(cmd, getenv); err != nil {
		t.Fatal(err)
	}
	f := cmd.Flags()
	for name, want := range map[string]string{
		"addr": "127.0.0.1:9999", "max-participants": "70", "shutdown-timeout": "3s", "retention": "365d",
		"log-format": "json", "allowed-origin": "[https://a.example,https://b.example]", "trusted-proxy": "[10.0.0.0/8]",
		"help": "false", "db": "poyta.db",
	} {
		if got := f.Lookup(name).Value.String(); got != want {
			t.Errorf("--%s = %s, want %s", name, got, want)
		}
	}

	env = map[string]string{"POYTA_MAX_PARTICIPANTS": "many"}
	cmd = newServeCmd()
	err := flagsFromEnv(cmd, getenv)
	if err == nil || !strings.Contains(err.Error(), "POYTA_MAX_PARTICIPANTS") {
		t.Fatalf("a bad value in the environment: %v", err)
	}
}

// TestYesNeverFromEnv: a POYTA_YES left in a shell does not confirm a
// deletion.
func TestYesNeverFromEnv(t *testing.T) {
	path := twoTables(t)
	t.Setenv("POYTA_YES", "true")
	_, _, err := runCmd(t, "no\n", "tables", "delete", ahtari.code, "--db", path)
	if err == nil || !strings.Contains(err.Error(), "not confirmed") {
		t.Fatalf("POYTA_YES confirmed a deletion: %v", err)
	}
}
