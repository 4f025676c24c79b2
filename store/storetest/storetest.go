// Package storetest gives tests a PostgreSQL database of their own.
//
// The server comes from the environment: POYTA_TEST_POSTGRES holds the URL
// of a server the tests may create schemas on (.ci/run starts a throwaway
// one with .ci/postgres). Without it, tests that need PostgreSQL are
// skipped, unless CI is set: then they fail, so CI can never pass by
// skipping them.
package storetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// EnvVar names the environment variable with the test server's URL.
const EnvVar = "POYTA_TEST_POSTGRES"

// Server returns the URL of the test server, skipping the test if there is
// none (failing it if CI is set).
func Server(t testing.TB) string {
	t.Helper()
	u := os.Getenv(EnvVar)
	if u == "" {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s is not set, but CI is: .ci/run starts a PostgreSQL server for these tests", EnvVar)
		}
		t.Skipf("no PostgreSQL: set %s to a server's URL (.ci/postgres starts one)", EnvVar)
	}
	return u
}

// Postgres creates an empty schema on the test server for this test alone
// and returns a URL whose connections use it (search_path) and carry an
// application_name of their own, which it also returns. The schema is
// dropped when the test ends.
func Postgres(t testing.TB) (dbURL, appName string) {
	t.Helper()
	server := Server(t)
	var b [6]byte
	rand.Read(b[:])
	schema := "test_" + hex.EncodeToString(b[:])
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	admin, err := pgx.Connect(ctx, server)
	if err != nil {
		t.Fatalf("connect to the test PostgreSQL: %v", err)
	}
	defer admin.Close(ctx)
	if _, err := admin.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		c, err := pgx.Connect(ctx, server)
		if err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
			return
		}
		defer c.Close(ctx)
		if _, err := c.Exec(ctx, "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	u, err := url.Parse(server)
	if err != nil {
		t.Fatalf("%s: %v", EnvVar, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	q.Set("application_name", schema)
	u.RawQuery = q.Encode()
	return u.String(), schema
}
