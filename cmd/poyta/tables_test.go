package main

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"

	_ "github.com/mattn/go-sqlite3"
)

func TestTablesList(t *testing.T) {
	db := twoTables(t)
	out, _, err := runCmd(t, "", "tables", "list", "--db", db)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 {
		t.Fatalf("%d lines:\n%s", len(lines), out)
	}
	if f := strings.Fields(lines[0]); strings.Join(f, " ") != "ID CODE TITLE DATE PARTICIPANTS IDEAS ACTIONS STATUS" {
		t.Errorf("header %q", lines[0])
	}
	// Newest first; columns aligned.
	if !strings.HasPrefix(lines[1], ahtari.id) || !strings.HasPrefix(lines[2], alavus.id) {
		t.Errorf("order:\n%s", out)
	}
	col := strings.Index(lines[0], "STATUS")
	for _, l := range lines[1:] {
		if len([]rune(l)) < col || !strings.HasSuffix(l, "closed") && !strings.HasSuffix(l, "open") {
			t.Errorf("row %q", l)
		}
	}
	if !strings.Contains(lines[1], "Ähtärin ja Soinin kumppanuuspöytä") || !strings.Contains(lines[1], "2027-02-25") ||
		!strings.Contains(strings.Join(strings.Fields(lines[1]), " "), "3 2 1 closed") {
		t.Errorf("Ähtäri row %q, want 3 participants, 2 ideas, 1 action, closed", lines[1])
	}

	empty := t.TempDir() + "/empty.db"
	mustOpenStore(t, empty).Close()
	if out, _, err := runCmd(t, "", "tables", "list", "--db", empty); err != nil || !strings.Contains(out, "No tables") {
		t.Errorf("empty list: %v %q", err, out)
	}
}

func TestTablesShow(t *testing.T) {
	db := twoTables(t)
	out, _, err := runCmd(t, "", "tables", "show", "kp-4f7k-9qx2", "--db", db)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Ähtärin ja Soinin kumppanuuspöytä", ahtari.id, ahtari.code, "2027-02-25 17:00–19:00",
		"closed since", "Participants:", "3 (municipality 1, association 1, resident 1)", "Keskustelu: järjestöystävällinen kunta"} {
		if !strings.Contains(out, want) {
			t.Errorf("show lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "secret") {
		t.Error("show prints a secret")
	}
}

// TestTablesDelete: without --yes the deletion needs a typed yes; after
// it no row of any SQLite table mentions the table or its people, and
// the other table is untouched.
func TestTablesDelete(t *testing.T) {
	db := twoTables(t)
	before := rowsMentioning(t, db, alavus.id)

	for _, answer := range []string{"", "no\n", "n\n", "joo\n"} {
		out, _, err := runCmd(t, answer, "tables", "delete", ahtari.code, "--db", db)
		if err == nil || !strings.Contains(err.Error(), "not deleted") || !strings.Contains(out, "Type yes") {
			t.Fatalf("answer %q: %v\n%s", answer, err, out)
		}
		if rowsMentioning(t, db, ahtari.id) == 0 {
			t.Fatalf("answer %q deleted the table", answer)
		}
	}
	if _, _, err := runCmd(t, "yes\n", "tables", "delete", ahtari.code, "--db", db); err != nil {
		t.Fatal(err)
	}
	for _, gone := range []string{ahtari.id, ahtari.code, "Riikka Salo", "Eeva Rantala", "Yhteinen tapahtumakalenteri"} {
		if n := rowsMentioningExcept(t, db, gone, alavus.id); n != 0 {
			t.Errorf("%d rows still mention %q", n, gone)
		}
	}
	if after := rowsMentioning(t, db, alavus.id); after != before || after == 0 {
		t.Errorf("the other table's rows: %d before, %d after", before, after)
	}
	if _, _, err := runCmd(t, "", "tables", "delete", alavus.id, "--db", db, "--yes"); err != nil {
		t.Fatal(err)
	}
	if n := rowsMentioning(t, db, alavus.id); n != 0 {
		t.Errorf("%d rows left after delete --yes", n)
	}
	if _, _, err := runCmd(t, "", "tables", "delete", alavus.id, "--db", db, "--yes"); err == nil {
		t.Error("deleting a deleted table succeeded")
	}
}

// rowsMentioning counts, over every table in sqlite_master, the rows with
// any column containing s, so a table added later cannot be forgotten.
func rowsMentioning(t *testing.T, path, s string) int {
	return rowsMentioningExcept(t, path, s, "")
}

// rowsMentioningExcept is rowsMentioning without the rows that also
// contain except: the two seeded tables share names such as "Riikka
// Salo", and the other table's rows carry its own id.
func rowsMentioningExcept(t *testing.T, path, s, except string) int {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	rows, err := db.QueryContext(ctx, "SELECT name FROM sqlite_master WHERE type = 'table'")
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var n string
		rows.Scan(&n)
		tables = append(tables, n)
	}
	rows.Close()
	if len(tables) < 3 {
		t.Fatalf("only tables %v", tables)
	}
	total := 0
	for _, tbl := range tables {
		cols, err := db.QueryContext(ctx, fmt.Sprintf("SELECT name FROM pragma_table_info('%s')", tbl))
		if err != nil {
			t.Fatal(err)
		}
		var has, other []string
		for cols.Next() {
			var c string
			cols.Scan(&c)
			has = append(has, fmt.Sprintf(`instr(CAST("%s" AS TEXT), ?1) > 0`, c))
			other = append(other, fmt.Sprintf(`instr(CAST("%s" AS TEXT), ?2) > 0`, c))
		}
		cols.Close()
		where := "(" + strings.Join(has, " OR ") + ")"
		if except != "" {
			where += " AND NOT (" + strings.Join(other, " OR ") + ")"
		}
		var n int
		q := fmt.Sprintf(`SELECT COUNT(*) FROM "%s" WHERE %s`, tbl, where)
		if err := db.QueryRowContext(ctx, q, s, except).Scan(&n); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		total += n
	}
	return total
}
