package main

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/poyta/poyta/store/storetest"
)

// startLimitNodes starts n nodes of a cluster on db, each creating at most
// tablesPerHour tables an address, and returns their URLs.
func startLimitNodes(t *testing.T, db string, n, tablesPerHour int) []string {
	t.Helper()
	if testing.Short() {
		t.Skip("runs a cluster of real servers")
	}
	bin := clusterBinary(t)
	var urls []string
	for range n {
		addr := freeAddr(t)
		url := "http://" + addr
		p, logs := startProcess(t, bin, "serve", "--addr", addr, "--db", db, "--node", url, "--peer", "127.0.0.1",
			"--lease-ttl", clusterTTL.String(), "--tables-per-hour", fmt.Sprint(tablesPerHour), "--log-level", "info")
		if p == nil {
			t.Fatalf("node %s did not start:\n%s", addr, logs())
		}
		urls = append(urls, url)
	}
	return urls
}

// status sends a request and returns the response's status and body.
func status(t *testing.T, method, url, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestClusterTableLimit: tables created from one address, alternately on
// two nodes, are refused once the address's budget is spent, on both
// nodes: the budget is the cluster's, not each node's.
func TestClusterTableLimit(t *testing.T) {
	url, _ := storetest.Postgres(t)
	const perHour = 3
	nodes := startLimitNodes(t, url, 2, perHour)
	body := `{"title":"Kylätoimikunta","agenda":[{"title":"Talkoot"}]}`
	for i := range perHour {
		if code, b := status(t, "POST", nodes[i%2]+"/api/tables", body); code != http.StatusCreated {
			t.Fatalf("table %d of %d, on node %d: %d %s", i+1, perHour, i%2, code, b)
		}
	}
	for i := range 4 {
		code, b := status(t, "POST", nodes[(perHour+i)%2]+"/api/tables", body)
		if code != http.StatusTooManyRequests || !strings.Contains(b, "rate_limited") {
			t.Fatalf("table %d beyond the cluster's %d an hour, on node %d: %d %s", i+1, perHour, (perHour+i)%2, code, b)
		}
	}
}

// TestClusterFailureBudget: wrong join codes from one address, alternately
// on two nodes, run out of one failure budget (20 at once, then 30 a
// minute), not one a node.
func TestClusterFailureBudget(t *testing.T) {
	url, _ := storetest.Postgres(t)
	nodes := startLimitNodes(t, url, 2, 0)
	wrong := 0
	for i := range 60 {
		code, b := status(t, "GET", nodes[i%2]+fmt.Sprintf("/api/join/%06d", 100000+i), "")
		if code == http.StatusTooManyRequests {
			break
		}
		if code != http.StatusNotFound {
			t.Fatalf("wrong code %d, on node %d: %d %s", i+1, i%2, code, b)
		}
		wrong++
	}
	// 20 at once; a slow machine may have earned a few more by now.
	if wrong < 20 || wrong > 25 {
		t.Fatalf("%d wrong codes answered before the first refusal, want 20 (a few more on a slow machine)", wrong)
	}
	for i := range 2 {
		if code, b := status(t, "GET", nodes[i]+"/api/join/999999", ""); code != http.StatusTooManyRequests {
			t.Errorf("node %d after the budget was spent: %d %s", i, code, b)
		}
	}
	t.Logf("%d wrong codes over two nodes before the first refusal", wrong)
}
