package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/poyta/poyta/store"
	"github.com/poyta/poyta/store/storetest"
)

// Several poyta serve nodes on one PostgreSQL database (issue 16): real
// processes, a real database, participants spread over the nodes. The
// tests assert correctness (every acknowledged op in the log once, at its
// seq; gapless seqs; every client folding to the same state) and print
// times; they assert no durations, only orders of events that the lease
// rules make certain.

var (
	clusterRounds  = flag.Int("cluster-rounds", 10, "SIGKILL rounds in TestClusterFailover")
	clusterClients = flag.Int("cluster-clients", 300, "participants in TestClusterFailover")
	clusterLogs    = flag.Bool("cluster-logs", false, "print the killed nodes' lease lines and warnings")
	clusterRate    = flag.Float64("cluster-rate", 200, "writes a second, all participants together, in TestClusterFailover")
)

// clusterTTL is the lease the test nodes take: short, so that a round
// takes seconds, long enough for a loaded machine to renew in time.
const clusterTTL = 3 * time.Second

type clusterNode struct {
	addr string // 127.0.0.1:port, the same across restarts
	db   string // the node's --db
	p    *process
	logs func() string // what p has logged so far
}

func (n *clusterNode) url() string { return "http://" + n.addr }

// cluster is three nodes, one table, its participants and what they saw.
type cluster struct {
	t       *testing.T
	bin     string
	db      string    // the database URL the test itself uses
	st      *store.DB // the test's own connection, never through a test proxy
	nodes   []*clusterNode
	table   struct{ ID, Code, FacilitatorSecret string }
	item    string
	clients []*clusterClient
	rate    float64 // writes a second, all clients together
	seqSeen int64   // maxSeq's cursor

	more   atomic.Bool // clients make new ops
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu        sync.Mutex
	lastAck   time.Time // when the newest ack arrived
	watchSeq  int64     // firstNew is the first non-dup ack above this seq
	firstNew  time.Time
	acksAfter func(a ackSeen) // optional: sees every ack (the fencing tests)
}

// ackSeen is one ack as a client received it.
type ackSeen struct {
	at        time.Time
	seq       int64
	dup       bool
	entry     string    // the node the client's connection went to
	connSince time.Time // when that connection was welcomed
}

// The cluster tests share one build of the binary: linking it takes long
// on a loaded machine. TestMain removes it.
var (
	clusterBuild    sync.Once
	clusterBinDir   string
	clusterBin      string
	clusterBuildErr error
)

func clusterBinary(t *testing.T) string {
	t.Helper()
	clusterBuild.Do(func() {
		clusterBinDir, clusterBuildErr = os.MkdirTemp("", "poyta-cluster-")
		if clusterBuildErr != nil {
			return
		}
		clusterBin = clusterBinDir + "/poyta"
		out, err := exec.Command("go", "build", "-o", clusterBin, ".").CombinedOutput()
		if err != nil {
			clusterBuildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if clusterBuildErr != nil {
		t.Fatal(clusterBuildErr)
	}
	return clusterBin
}

func TestMain(m *testing.M) {
	code := m.Run()
	if clusterBinDir != "" {
		os.RemoveAll(clusterBinDir)
	}
	os.Exit(code)
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// newCluster starts n nodes on db (each node's own --db may be changed by
// dbFor) and makes a table with nClients participants, joined through the
// nodes in turn.
func newCluster(t *testing.T, db string, n, nClients int, rate float64, dbFor func(i int) string) *cluster {
	t.Helper()
	if testing.Short() {
		t.Skip("runs a cluster of real servers")
	}
	t0 := time.Now()
	cl := &cluster{t: t, bin: clusterBinary(t), db: db, rate: rate}
	defer func() {
		t.Logf("%d nodes up and %d participants joined in %v", n, nClients, time.Since(t0).Round(time.Millisecond))
	}()
	cl.ctx, cl.cancel = context.WithCancel(context.Background())
	st, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	cl.st = st
	t.Cleanup(func() {
		cl.cancel()
		cl.wg.Wait()
		st.Close()
	})
	for i := range n {
		nd := &clusterNode{addr: freeAddr(t), db: db}
		if dbFor != nil {
			nd.db = dbFor(i)
		}
		cl.nodes = append(cl.nodes, nd)
	}
	// Start the nodes one after the other: the first migrates.
	for _, nd := range cl.nodes {
		cl.start(nd)
	}
	post(t, cl.nodes[0].url()+"/api/tables", `{"title":"Järjestöt mukana muutoksessa","agenda":[{"title":"Yhteistyö"}]}`, &cl.table)
	cl.clients = make([]*clusterClient, nClients)
	var jwg sync.WaitGroup
	jobs := make(chan int)
	for range 48 { // many at once: the owner commits them in a few batches
		jwg.Add(1)
		go func() {
			defer jwg.Done()
			for i := range jobs {
				var j struct{ Participant, Token string }
				// Through every node: a join on a node that does not serve
				// the table is forwarded to the one that does (or takes it).
				if err := postJSON(cl.nodes[i%n].url()+"/api/join", fmt.Sprintf(`{"code":%q,"name":"Osallistuja %d","sector":"association"}`, cl.table.Code, i+1), &j); err != nil {
					t.Error(err)
					continue
				}
				cl.clients[i] = &clusterClient{cl: cl, name: fmt.Sprintf("c%d", i), home: i % n, token: j.Token,
					actor: "p:" + j.Participant, pending: map[string]*clusterOp{}, acked: map[string]int64{}, ideas: map[string]string{}}
			}
		}()
	}
	for i := range nClients {
		jobs <- i
	}
	close(jobs)
	jwg.Wait()
	if t.Failed() {
		t.FailNow()
	}
	cl.item = firstItem(t, cl.nodes[1%n].addr, cl.table.ID, cl.table.FacilitatorSecret)
	return cl
}

// start runs a node (again) on its address.
func (cl *cluster) start(nd *clusterNode) {
	t := cl.t
	t.Helper()
	args := []string{"serve", "--addr", nd.addr, "--db", nd.db, "--node", nd.url(), "--peer", "127.0.0.1",
		"--lease-ttl", clusterTTL.String(), "--tables-per-hour", "0", "--log-level", "info"}
	var p *process
	for try := 0; ; try++ {
		p, nd.logs = startProcess(t, cl.bin, args...)
		if p != nil || try == 20 {
			break
		}
		time.Sleep(100 * time.Millisecond) // the port of a killed node may linger
	}
	if p == nil {
		t.Fatalf("node %s did not start", nd.addr)
	}
	nd.p = p
}

// startProcess runs bin with args and waits until it says it serves; nil
// if it exits first. logs returns what it has logged so far (p.logs is
// written by another goroutine).
func startProcess(t *testing.T, bin string, args ...string) (p *process, logs func() string) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p = &process{cmd: cmd, logs: &bytes.Buffer{}, done: make(chan error, 1)}
	var logMu sync.Mutex
	logs = func() string {
		logMu.Lock()
		defer logMu.Unlock()
		return p.logs.String()
	}
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			line := sc.Text()
			logMu.Lock()
			p.logs.WriteString(line + "\n")
			logMu.Unlock()
			if m := servingRe.FindStringSubmatch(line); m != nil {
				addr <- m[1]
			}
		}
		p.done <- cmd.Wait()
		close(addr)
	}()
	t.Cleanup(func() { cmd.Process.Kill() })
	select {
	case a, ok := <-addr:
		if !ok {
			return nil, logs
		}
		p.addr = a
	case <-time.After(30 * time.Second):
		t.Fatalf("poyta serve did not start:\n%s", logs())
	}
	return p, logs
}

// owner is the index of the node that holds the table's lease, or -1.
func (cl *cluster) owner() int {
	o, _ := cl.ownerEpoch()
	return o
}

// ownerEpoch is owner with the lease's epoch.
func (cl *cluster) ownerEpoch() (int, int64) {
	l, err := cl.st.Lease(context.Background(), cl.table.ID)
	if err != nil || !l.Held {
		return -1, l.Epoch
	}
	for i, nd := range cl.nodes {
		if nd.url() == l.Node {
			return i, l.Epoch
		}
	}
	return -1, l.Epoch
}

// awaitOwner waits until some node other than not holds the lease.
func (cl *cluster) awaitOwner(not int, within time.Duration) int {
	deadline := time.Now().Add(within)
	for time.Now().Before(deadline) {
		if o := cl.owner(); o >= 0 && o != not {
			return o
		}
		time.Sleep(20 * time.Millisecond)
	}
	for i, nd := range cl.nodes {
		lines := strings.Split(strings.TrimSpace(nd.logs()), "\n")
		for _, line := range lines[max(0, len(lines)-15):] {
			cl.t.Logf("node %d: %s", i, line)
		}
	}
	cl.t.Fatalf("no node other than %d took the table within %v", not, within)
	return -1
}

// maxSeq is the newest seq in the log. It reads only what is newer than
// the last time: the whole log, decoded under the race detector, takes
// seconds.
func (cl *cluster) maxSeq() int64 {
	for {
		evs, err := cl.st.Events(context.Background(), cl.table.ID, cl.seqSeen, 1000)
		if err != nil {
			cl.t.Fatal(err)
		}
		if len(evs) == 0 {
			return cl.seqSeen
		}
		cl.seqSeen = evs[len(evs)-1].Seq
	}
}

// run starts the participants.
func (cl *cluster) run() {
	cl.more.Store(true)
	for _, c := range cl.clients {
		cl.wg.Add(1)
		go func() {
			defer cl.wg.Done()
			c.run()
		}()
	}
	cl.watch(0)
	cl.awaitNewAck(60 * time.Second)
}

func (cl *cluster) noteAck(a ackSeen) {
	cl.mu.Lock()
	defer cl.mu.Unlock()
	if a.at.After(cl.lastAck) {
		cl.lastAck = a.at
	}
	if !a.dup && a.seq > cl.watchSeq && cl.firstNew.IsZero() {
		cl.firstNew = a.at
	}
	if cl.acksAfter != nil {
		cl.acksAfter(a)
	}
}

// watch starts looking for the first non-dup ack above seq, and returns the
// time of the newest ack so far.
func (cl *cluster) watch(seq int64) time.Time {
	cl.mu.Lock()
	defer cl.mu.Unlock()
	cl.watchSeq, cl.firstNew = seq, time.Time{}
	return cl.lastAck
}

// awaitNewAck waits for the first non-dup ack above the watched seq.
func (cl *cluster) awaitNewAck(within time.Duration) time.Time {
	deadline := time.Now().Add(within)
	for time.Now().Before(deadline) {
		cl.mu.Lock()
		at := cl.firstNew
		cl.mu.Unlock()
		if !at.IsZero() {
			return at
		}
		time.Sleep(10 * time.Millisecond)
	}
	cl.t.Fatalf("no new op was acknowledged within %v", within)
	return time.Time{}
}

// verify stops new ops, waits for every pending op to be acknowledged and
// every client to fold the whole log, then checks the log and the states.
func (cl *cluster) verify() {
	t := cl.t
	t.Helper()
	cl.more.Store(false)
	deadline := time.Now().Add(60 * time.Second)
	for _, c := range cl.clients {
		for c.pendingCount() > 0 && time.Now().Before(deadline) {
			time.Sleep(20 * time.Millisecond)
		}
	}
	evs, err := cl.st.Events(context.Background(), cl.table.ID, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	byOp := map[string]int64{}
	for i, e := range evs {
		if e.Seq != int64(i+1) {
			t.Fatalf("seq %d at position %d: a gap", e.Seq, i+1)
		}
		if e.Op != "" {
			if s, dup := byOp[e.Op]; dup {
				t.Fatalf("op %q is in the log twice, at %d and %d", e.Op, s, e.Seq)
			}
			byOp[e.Op] = e.Seq
		}
	}
	last := int64(len(evs))
	total, dups := 0, 0
	for _, c := range cl.clients {
		c.mu.Lock()
		dups += c.dups
		if len(c.pending) > 0 {
			t.Errorf("%s: %d ops never acknowledged", c.name, len(c.pending))
		}
		for id, seq := range c.acked {
			total++
			if got, ok := byOp[c.actor+" "+id]; !ok || got != seq {
				t.Fatalf("%s: op %s acknowledged with seq %d, in the log at %d (present %v)", c.name, id, seq, got, ok)
			}
		}
		c.mu.Unlock()
	}
	// Every client folds to the log's end and to the same ideas.
	for _, c := range cl.clients {
		for c.folded() < last && time.Now().Before(deadline) {
			time.Sleep(20 * time.Millisecond)
		}
	}
	want := ""
	for i, nd := range cl.nodes {
		if nd.p == nil {
			continue
		}
		// The join-code lookup answers the same through every node
		// (forwarded to the owner by the nodes that do not serve it).
		var look struct{ ID string }
		if err := getJSON(nd.url()+"/api/join/"+cl.table.Code, &look); err != nil || look.ID != cl.table.ID {
			t.Errorf("node %d: join-code lookup: %v, table %q", i, err, look.ID)
		}
		h := snapshotHash(t, nd.addr, cl.table.ID, cl.table.FacilitatorSecret)
		if want == "" {
			want = h
		} else if h != want {
			t.Errorf("node %d shows the facilitator state %s, another node %s", i, h, want)
		}
	}
	for _, c := range cl.clients {
		c.mu.Lock()
		seq, h, gaps := c.seq, ideasHash(c.ideas), c.gaps
		c.mu.Unlock()
		if seq != last || h != want || gaps > 0 {
			t.Errorf("%s: at seq %d (log %d), state %s (want %s), %d gaps", c.name, seq, last, h, want, gaps)
		}
	}
	t.Logf("%d acknowledged ops checked (%d retries answered as duplicates), %d events, %d clients at one state %s",
		total, dups, last, len(cl.clients), want[:12])
}

func ideasHash(ideas map[string]string) string {
	keys := make([]string, 0, len(ideas))
	for k := range ideas {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	h := sha256.New()
	for _, k := range keys {
		fmt.Fprintf(h, "%s\x00%s\x00", k, ideas[k])
	}
	return fmt.Sprintf("%x", h.Sum(nil))
}

// snapshotHash is the hash of the ideas in a facilitator's snapshot, read
// through the node at addr.
func snapshotHash(t *testing.T, addr, table, secret string) string {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		h, err := trySnapshotHash(addr, table, secret)
		if err == nil {
			return h
		}
		if time.Now().After(deadline) {
			t.Fatalf("snapshot through %s: %v", addr, err)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func trySnapshotHash(addr, table, secret string) (string, error) {
	d := websocket.Dialer{HandshakeTimeout: 5 * time.Second}
	conn, _, err := d.Dial("ws://"+addr+"/ws", nil)
	if err != nil {
		return "", err
	}
	defer conn.Close()
	conn.SetReadDeadline(time.Now().Add(20 * time.Second))
	conn.WriteJSON(map[string]any{"op": "hello", "table": table, "role": "facilitator", "token": secret})
	for {
		_, frame, err := conn.ReadMessage()
		if err != nil {
			return "", err
		}
		for _, line := range bytes.Split(frame, []byte("\n")) {
			var m struct {
				Type, Code string
				State      struct{ Ideas []struct{ ID, Text string } }
			}
			json.Unmarshal(line, &m)
			switch m.Type {
			case "error":
				return "", fmt.Errorf("refused: %s", m.Code)
			case "snapshot":
				ideas := map[string]string{}
				for _, i := range m.State.Ideas {
					ideas[i.ID] = i.Text
				}
				return ideasHash(ideas), nil
			}
		}
	}
}

// clusterOp is an op a client made.
type clusterOp struct {
	add  bool
	text string
}

// clusterClient is a participant that connects to its home node (or, when
// that does not answer, the next), keeps writing at its share of the rate,
// retries what was not acknowledged with the same op ids, and folds the
// ideas it is sent.
type clusterClient struct {
	cl          *cluster
	name, token string
	actor, idea string
	home        int
	mu          sync.Mutex
	n           int
	pending     map[string]*clusterOp
	order       []string // op ids in the order made
	acked       map[string]int64
	dups        int
	seq         int64             // the last seq folded
	ideas       map[string]string // idea id → text, folded
	gaps        int               // events that did not follow the last seq
	inflight    int
}

func (c *clusterClient) pendingCount() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.pending)
}

func (c *clusterClient) folded() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.seq
}

func (c *clusterClient) run() {
	ctx := c.cl.ctx
	attempt := 0
	for ctx.Err() == nil {
		nd := c.cl.nodes[(c.home+attempt)%len(c.cl.nodes)]
		if c.session(ctx, nd.addr) {
			attempt = 0
		} else {
			attempt++
		}
		select {
		case <-ctx.Done():
		case <-time.After(time.Duration(20+rand.IntN(80)) * time.Millisecond):
		}
	}
}

// session is one connection; it reports whether it was welcomed.
func (c *clusterClient) session(ctx context.Context, addr string) bool {
	t := c.cl.t
	d := websocket.Dialer{HandshakeTimeout: 3 * time.Second}
	conn, _, err := d.DialContext(ctx, "ws://"+addr+"/ws", nil)
	if err != nil {
		return false
	}
	defer conn.Close()
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()
	c.mu.Lock()
	since := c.seq
	c.mu.Unlock()
	if conn.WriteJSON(map[string]any{"op": "hello", "table": c.cl.table.ID, "role": "participant", "token": c.token, "since": since}) != nil {
		return false
	}
	var welcomedAt time.Time
	welcomed := make(chan struct{})
	done := make(chan struct{})
	var wmu sync.Mutex // one writer at a time: the sender and the reader's resends
	send := func(id string) bool {
		op := c.pending[id]
		msg := map[string]any{"id": id, "op": "idea.edit", "idea": c.idea, "text": op.text}
		if op.add {
			msg = map[string]any{"id": id, "op": "idea.add", "item": c.cl.item, "text": op.text}
		}
		wmu.Lock()
		defer wmu.Unlock()
		conn.SetWriteDeadline(time.Now().Add(5 * time.Second))
		return conn.WriteJSON(msg) == nil
	}
	var retry []string // ops refused as unavailable: sent again on the next tick
	go func() {
		defer close(done)
		for {
			_, frame, err := conn.ReadMessage()
			if err != nil {
				return
			}
			now := time.Now()
			for _, line := range bytes.Split(frame, []byte("\n")) {
				if c.foldFast(line) {
					continue
				}
				var m struct {
					Type, ID, Code, Event, Resume string
					Seq                           int64
					Dup                           bool
					Data                          struct{ Idea, Author, Text string }
					State                         struct{ Ideas []struct{ ID, Text string } }
				}
				json.Unmarshal(line, &m)
				c.mu.Lock()
				switch m.Type {
				case "welcome":
					welcomedAt = now
					close(welcomed)
				case "snapshot":
					clear(c.ideas)
					for _, i := range m.State.Ideas {
						c.ideas[i.ID] = i.Text
					}
					c.seq = m.Seq
				case "event":
					switch {
					case m.Seq <= c.seq:
					case m.Seq != c.seq+1:
						c.gaps++
						t.Errorf("%s: event %d after %d", c.name, m.Seq, c.seq)
						fallthrough
					default:
						c.seq = m.Seq
						switch m.Event {
						case "idea.added", "idea.edited":
							c.ideas[m.Data.Idea] = m.Data.Text
						}
						if m.Event == "idea.added" && "p:"+m.Data.Author == c.actor && c.idea == "" {
							c.idea = m.Data.Idea
						}
					}
				case "ack":
					if _, ok := c.pending[m.ID]; ok {
						if m.Dup {
							c.dups++
						}
						c.acked[m.ID] = m.Seq
						delete(c.pending, m.ID)
						c.inflight--
						c.cl.noteAck(ackSeen{at: now, seq: m.Seq, dup: m.Dup, entry: addr, connSince: welcomedAt})
					}
				case "error":
					if _, ok := c.pending[m.ID]; ok {
						c.inflight--
						if m.Code == "unavailable" {
							retry = append(retry, m.ID)
						} else {
							t.Errorf("%s: op %s refused: %s", c.name, m.ID, m.Code)
							delete(c.pending, m.ID)
						}
					}
				}
				c.mu.Unlock()
			}
		}
	}()
	defer func() {
		conn.Close()
		<-done
		c.mu.Lock()
		c.inflight = 0
		c.mu.Unlock()
	}()
	select {
	case <-welcomed:
	case <-done:
		return false
	case <-time.After(30 * time.Second):
		return false
	}
	c.mu.Lock()
	// Retry what is pending, oldest first, with the same op ids.
	c.order = slices.DeleteFunc(c.order, func(id string) bool { _, ok := c.pending[id]; return !ok })
	for _, id := range c.order {
		c.inflight++
		if !send(id) {
			c.mu.Unlock()
			return true
		}
	}
	c.mu.Unlock()
	period := time.Duration(float64(len(c.cl.clients)) / c.cl.rate * float64(time.Second))
	tick := time.NewTicker(period/2 + rand.N(period))
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return true
		case <-done:
			return true
		case <-tick.C:
		}
		c.mu.Lock()
		for _, id := range retry {
			if _, ok := c.pending[id]; ok {
				c.inflight++
				send(id)
			}
		}
		retry = retry[:0]
		if !c.cl.more.Load() || c.inflight >= 4 || (c.idea == "" && len(c.acked)+len(c.pending) > 0) {
			c.mu.Unlock()
			continue
		}
		c.n++
		id := fmt.Sprintf("%s-%d", c.name, c.n)
		op := &clusterOp{text: fmt.Sprintf("%s versio %d", c.name, c.n)}
		if c.idea == "" {
			op = &clusterOp{add: true, text: c.name + " alkuperäinen idea"}
		}
		c.pending[id] = op
		c.order = append(c.order, id)
		c.inflight++
		ok := send(id)
		c.mu.Unlock()
		if !ok {
			return true
		}
	}
}

func percentile(ds []time.Duration, p float64) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[min(len(s)-1, int(float64(len(s))*p))]
}

// TestClusterFailover: three nodes, one table, participants spread over
// the nodes; the owner is killed with SIGKILL and restarted, round after
// round. Every acknowledged op is in the log once at its seq, the seqs
// have no gaps, and every client folds the same state. The failover time
// (the last ack before the kill to the first ack of a new op after it) is
// printed.
func TestClusterFailover(t *testing.T) {
	url, _ := storetest.Postgres(t)
	cl := newCluster(t, url, 3, *clusterClients, *clusterRate, nil)
	start := time.Now()
	cl.run()
	t.Logf("the participants write; %v", time.Since(start).Round(time.Millisecond))
	var times []time.Duration
	for round := range *clusterRounds {
		time.Sleep(time.Duration(1000+rand.IntN(1000)) * time.Millisecond)
		o, epoch := cl.ownerEpoch()
		if o < 0 {
			o = cl.awaitOwner(-1, 2*clusterTTL+10*time.Second)
			_, epoch = cl.ownerEpoch()
		}
		nd := cl.nodes[o]
		cl.mu.Lock()
		last := cl.lastAck // the last ack before the kill
		cl.mu.Unlock()
		killedAt := time.Now()
		nd.p.cmd.Process.Signal(syscall.SIGKILL)
		<-nd.p.done
		// The dead owner committed at most this much; a non-dup ack above
		// it comes from the next owner.
		cl.watch(cl.maxSeq())
		first := cl.awaitNewAck(2*clusterTTL + 30*time.Second)
		now, epochNow := cl.ownerEpoch()
		note := ""
		if epochNow == epoch+1 {
			times = append(times, first.Sub(last))
		} else {
			// The lease changed hands more than once: the owner lost it
			// (a renewal too slow on a loaded machine) around the kill.
			note = fmt.Sprintf(" (epoch %d to %d: not a failover time)", epoch, epochNow)
		}
		restart := time.Now()
		t.Logf("round %d: node %d killed at %s; the first new ack came %v after the last before the kill; node %d owns the table%s",
			round+1, o, killedAt.UTC().Format("15:04:05.000"), first.Sub(last).Round(time.Millisecond), now, note)
		if *clusterLogs {
			for i, n := range cl.nodes {
				for _, line := range strings.Split(n.logs(), "\n") {
					if strings.Contains(line, "lease lost") || strings.Contains(line, "renewal failed") || strings.Contains(line, "level=ERROR") {
						t.Logf("node %d: %s", i, line)
					}
				}
			}
		}
		cl.start(nd)
		if d := time.Since(restart); d > 5*time.Second {
			t.Logf("restarting node %d took %v", o, d.Round(time.Millisecond))
		}
	}
	elapsed := time.Since(start)
	cl.verify()
	if len(times) > 0 {
		t.Logf("failover over %d rounds with a %v lease: p50 %v, p99 %v, max %v; %.0f s of meeting",
			len(times), clusterTTL, percentile(times, 0.5).Round(time.Millisecond), percentile(times, 0.99).Round(time.Millisecond),
			slices.Max(times).Round(time.Millisecond), elapsed.Seconds())
	}
}

// TestClusterFencing: the owner is frozen (SIGSTOP) for twice its lease;
// another node takes the table over; the old owner is let go (SIGCONT) and
// acknowledges nothing on any connection it had: they were all open before
// the freeze, and any ack on them after it would come from an owner that
// lost its lease. Its clients move over, and nothing acknowledged is lost.
func TestClusterFencing(t *testing.T) {
	url, _ := storetest.Postgres(t)
	cl := newCluster(t, url, 3, 60, 60, nil)
	var stopped, resumed atomic.Int64 // unix nanos
	var frozenNode string
	var late []ackSeen
	cl.acksAfter = func(a ackSeen) {
		if r := resumed.Load(); r != 0 && a.at.UnixNano() > r && a.connSince.UnixNano() < stopped.Load() && a.entry == frozenNode {
			late = append(late, a)
		}
	}
	cl.run()
	time.Sleep(2 * time.Second)
	o := cl.awaitOwner(-1, 10*time.Second)
	nd := cl.nodes[o]
	cl.mu.Lock()
	frozenNode = nd.addr
	cl.mu.Unlock()
	cl.mu.Lock()
	last := cl.lastAck // the last ack before the freeze
	cl.mu.Unlock()
	stopped.Store(time.Now().UnixNano())
	nd.p.cmd.Process.Signal(syscall.SIGSTOP)
	next := cl.awaitOwner(o, 2*clusterTTL+30*time.Second)
	cl.watch(cl.maxSeq())
	first := cl.awaitNewAck(30 * time.Second)
	if d := time.Until(time.Unix(0, stopped.Load()).Add(2 * clusterTTL)); d > 0 {
		time.Sleep(d)
	}
	resumed.Store(time.Now().UnixNano())
	nd.p.cmd.Process.Signal(syscall.SIGCONT)
	t.Logf("node %d frozen; node %d took the table over; first new ack %v after the last before the freeze",
		o, next, first.Sub(last).Round(time.Millisecond))
	time.Sleep(3 * time.Second) // the old owner runs again among its old connections
	cl.verify()
	cl.mu.Lock()
	defer cl.mu.Unlock()
	for _, a := range late {
		t.Errorf("the old owner acknowledged seq %d (dup %v) %v after it was let go, on a connection from before its freeze",
			a.seq, a.dup, a.at.Sub(time.Unix(0, resumed.Load())))
	}
	if strings.Contains(nd.logs(), "lease") {
		for _, line := range strings.Split(nd.logs(), "\n") {
			if strings.Contains(line, "lease") {
				t.Logf("old owner: %s", line)
			}
		}
	}
}

// cutProxy is a TCP proxy in front of PostgreSQL that can be cut: after
// cut, whatever either side sends is swallowed and new connections hang,
// as in a network partition.
type cutProxy struct {
	ln     net.Listener
	target string
	cut    atomic.Bool
	mu     sync.Mutex
	conns  map[net.Conn]bool
}

// heal ends the partition: the connections it broke are reset, as the
// operating system would after its timeouts, and new ones pass again.
func (p *cutProxy) heal() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.cut.Store(false)
	for c := range p.conns {
		c.Close()
	}
	clear(p.conns)
}

func (p *cutProxy) track(c net.Conn, on bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if on {
		p.conns[c] = true
	} else {
		delete(p.conns, c)
	}
}

func newCutProxy(t *testing.T, target string) *cutProxy {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &cutProxy{ln: ln, target: target, conns: map[net.Conn]bool{}}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go p.serve(c)
		}
	}()
	return p
}

func (p *cutProxy) serve(c net.Conn) {
	defer c.Close()
	p.track(c, true)
	defer p.track(c, false)
	if p.cut.Load() {
		drain(c)
		return
	}
	up, err := net.Dial("tcp", p.target)
	if err != nil {
		return
	}
	defer up.Close()
	p.track(up, true)
	defer p.track(up, false)
	done := make(chan struct{}, 2)
	pipe := func(dst, src net.Conn) {
		buf := make([]byte, 32<<10)
		for {
			n, err := src.Read(buf)
			if err != nil {
				break
			}
			if p.cut.Load() {
				continue // swallowed
			}
			if _, err := dst.Write(buf[:n]); err != nil {
				break
			}
		}
		done <- struct{}{}
	}
	go pipe(up, c)
	go pipe(c, up)
	<-done
}

// drain reads and drops everything until the peer gives up.
func drain(c net.Conn) {
	buf := make([]byte, 4<<10)
	for {
		if _, err := c.Read(buf); err != nil {
			return
		}
	}
}

// TestClusterOwnerCutFromDatabase: the owner's connections to PostgreSQL
// go through a proxy that the test cuts. The owner stops acknowledging
// before another node can take the table (its last ack arrives before the
// new owner's first), and nothing acknowledged is lost.
func TestClusterOwnerCutFromDatabase(t *testing.T) {
	url, _ := storetest.Postgres(t)
	pgAddr, proxied := proxiedURL(t, url)
	proxy := newCutProxy(t, pgAddr)
	cl := newCluster(t, url, 3, 60, 60, func(i int) string {
		if i == 0 {
			return proxied(proxy.ln.Addr().String())
		}
		return url
	})
	// The table must be node 0's, the one behind the proxy.
	cl.run()
	time.Sleep(time.Second)
	o := cl.awaitOwner(-1, 10*time.Second)
	if o != 0 {
		// Move the table to node 0: kill its owner until node 0 has it.
		for tries := 0; o != 0 && tries < 6; tries++ {
			nd := cl.nodes[o]
			nd.p.cmd.Process.Signal(syscall.SIGKILL)
			<-nd.p.done
			o = cl.awaitOwner(o, 2*clusterTTL+30*time.Second)
			cl.start(nd)
		}
		if o != 0 {
			t.Skip("node 0 never took the table over")
		}
	}
	time.Sleep(time.Second)
	var lastOld, firstNew time.Time
	var s0 int64
	var cutAt atomic.Int64
	cl.mu.Lock()
	cl.acksAfter = func(a ackSeen) {
		if c := cutAt.Load(); c == 0 || a.at.UnixNano() < c || a.dup {
			return
		}
		if a.seq <= s0 {
			lastOld = a.at
		} else if firstNew.IsZero() {
			firstNew = a.at
		}
	}
	cl.mu.Unlock()
	proxy.cut.Store(true)
	cl.mu.Lock()
	s0 = cl.maxSeq()
	cl.mu.Unlock()
	cutAt.Store(time.Now().UnixNano())
	next := cl.awaitOwner(0, 2*clusterTTL+30*time.Second)
	last := cl.watch(s0)
	first := cl.awaitNewAck(30 * time.Second)
	t.Logf("node 0 cut from PostgreSQL; node %d took over; the first new ack came %v after the last before the cut", next, first.Sub(last).Round(time.Millisecond))
	cl.mu.Lock()
	cut := time.Unix(0, cutAt.Load())
	if lastOld.IsZero() {
		t.Logf("the cut owner acknowledged nothing after the cut; the new owner's first ack came %v after it", firstNew.Sub(cut).Round(time.Millisecond))
	} else {
		t.Logf("the cut owner's last ack arrived %v after the cut, the new owner's first %v after it", lastOld.Sub(cut).Round(time.Millisecond), firstNew.Sub(cut).Round(time.Millisecond))
		if !lastOld.Before(firstNew) {
			t.Errorf("the cut owner acknowledged after the new owner did")
		}
	}
	cl.mu.Unlock()
	// The partition ends: node 0 serves again, and shows the same state.
	proxy.heal()
	cl.verify()
}

// proxiedURL returns the host:port of url and a function that makes url
// point at another host:port.
func proxiedURL(t *testing.T, url string) (string, func(addr string) string) {
	i := strings.Index(url, "@")
	j := strings.IndexAny(url[i+1:], "/?")
	host := url[i+1 : i+1+j]
	return host, func(addr string) string { return url[:i+1] + addr + url[i+1+j:] }
}

// TestClusterDatabaseRestart: PostgreSQL itself stops mid-meeting and comes
// back. While it is away nothing new is acknowledged and the nodes say why
// (readiness, the API's errors); when it is back the meeting goes on, and
// nothing acknowledged is lost.
func TestClusterDatabaseRestart(t *testing.T) {
	storetest.Server(t) // skips without a PostgreSQL unless CI is set
	pg := startPrivatePostgres(t)
	cl := newCluster(t, pg.url, 3, 60, 60, nil)
	cl.run()
	time.Sleep(2 * time.Second)
	cl.awaitOwner(-1, 10*time.Second)
	s0 := cl.maxSeq() // acks of what is committed from now until the stop may still come
	last := cl.watch(1 << 62)
	pg.stop(t)
	downAt := time.Now()
	time.Sleep(2*clusterTTL + time.Second)
	cl.mu.Lock()
	lastAck := cl.lastAck
	cl.mu.Unlock()
	if lastAck.After(downAt.Add(2 * clusterTTL)) {
		t.Errorf("an ack arrived %v after PostgreSQL stopped", lastAck.Sub(downAt))
	}
	// Clear errors: not ready, and the API says it is unavailable.
	for i, nd := range cl.nodes {
		resp, err := http.Get(nd.url() + "/readyz")
		if err != nil {
			t.Fatalf("node %d: %v", i, err)
		}
		var body struct{ Status, Reason string }
		json.NewDecoder(resp.Body).Decode(&body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusServiceUnavailable || body.Reason == "" {
			t.Errorf("node %d /readyz with PostgreSQL down: %d %+v", i, resp.StatusCode, body)
		}
		resp, err = http.Get(nd.url() + "/api/join/" + cl.table.Code)
		if err != nil {
			t.Fatalf("node %d: %v", i, err)
		}
		var e struct {
			Error struct{ Code, Message string }
		}
		json.NewDecoder(resp.Body).Decode(&e)
		resp.Body.Close()
		if resp.StatusCode != http.StatusServiceUnavailable || e.Error.Code != "unavailable" {
			t.Errorf("node %d: join lookup with PostgreSQL down: %d %+v", i, resp.StatusCode, e)
		} else {
			t.Logf("node %d with PostgreSQL down: /api/join: %d %s: %s", i, resp.StatusCode, e.Error.Code, e.Error.Message)
		}
	}
	pg.start(t)
	cl.watch(s0)
	first := cl.awaitNewAck(2*clusterTTL + 60*time.Second)
	t.Logf("PostgreSQL down for %v; the first new ack came %v after it was back (%v after the last before it stopped)",
		pg.upAt.Sub(downAt).Round(time.Millisecond), first.Sub(pg.upAt).Round(time.Millisecond), first.Sub(last).Round(time.Millisecond))
	time.Sleep(2 * time.Second)
	cl.verify()
}

// privatePostgres is a PostgreSQL server of this test's own, started with
// .ci/postgres and restarted with pg_ctl.
type privatePostgres struct {
	dir, url, bin string
	upAt          time.Time
	startOpts     string
}

func startPrivatePostgres(t *testing.T) *privatePostgres {
	t.Helper()
	// Not under t.TempDir, whose parent only this user may enter: as
	// root, the server runs as postgres.
	dir, err := os.MkdirTemp("", "poyta-pg-")
	if err != nil {
		t.Fatal(err)
	}
	os.Chmod(dir, 0o755)
	t.Cleanup(func() { os.RemoveAll(dir) })
	var stderr bytes.Buffer
	cmd := exec.Command("../../.ci/postgres", "start", dir)
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf(".ci/postgres start: %v\n%s", err, stderr.Bytes())
	}
	pg := &privatePostgres{dir: dir, url: strings.TrimSpace(string(out))}
	t.Cleanup(func() { exec.Command("../../.ci/postgres", "stop", dir).Run() })
	bins, _ := exec.Command("sh", "-c", "ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1").Output()
	pg.bin = strings.TrimSpace(string(bins))
	port := pg.url[strings.LastIndex(pg.url, ":")+1:]
	port = port[:strings.IndexAny(port, "/?")]
	pg.startOpts = fmt.Sprintf("-c listen_addresses=127.0.0.1 -p %s -c unix_socket_directories=%s -c max_connections=300", port, dir)
	return pg
}

func (pg *privatePostgres) ctl(t *testing.T, args ...string) {
	t.Helper()
	cmd := exec.Command(pg.bin+"/pg_ctl", append([]string{"-D", pg.dir + "/data"}, args...)...)
	if syscall.Getuid() == 0 {
		cmd = exec.Command("runuser", append([]string{"-u", "postgres", "--", pg.bin + "/pg_ctl", "-D", pg.dir + "/data"}, args...)...)
	}
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("pg_ctl %v: %v\n%s", args, err, out)
	}
}

func (pg *privatePostgres) stop(t *testing.T) {
	pg.ctl(t, "stop", "-m", "fast", "-w")
}

func (pg *privatePostgres) start(t *testing.T) {
	pg.ctl(t, "start", "-w", "-t", "60", "-l", pg.dir+"/server.log", "-o", pg.startOpts)
	pg.upAt = time.Now()
}

// postJSON is post for other goroutines than the test's.
func postJSON(url, body string, out any) error {
	resp, err := http.Post(url, "application/json", strings.NewReader(body))
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode >= 300 {
		return fmt.Errorf("POST %s: %d %s", url, resp.StatusCode, b)
	}
	return json.Unmarshal(b, out)
}

// foldFast folds an idea event without reflection, which 300 clients
// under the race detector cannot afford for every event; it reports false
// for anything else (and for text it cannot read plainly), which the
// caller decodes.
func (c *clusterClient) foldFast(line []byte) bool {
	rest, ok := bytes.CutPrefix(line, []byte(`{"type":"event","seq":`))
	if !ok {
		return false
	}
	end := bytes.IndexByte(rest, ',')
	if end < 0 {
		return false
	}
	seq, err := strconv.ParseInt(string(rest[:end]), 10, 64)
	if err != nil {
		return false
	}
	str := func(key string) (string, bool) {
		_, v, ok := bytes.Cut(rest, []byte(`"`+key+`":"`))
		if !ok {
			return "", false
		}
		end := bytes.IndexByte(v, '"')
		if end < 0 || bytes.IndexByte(v[:end], '\\') >= 0 {
			return "", false
		}
		return string(v[:end]), true
	}
	ev, ok := str("event")
	if !ok || (ev != "idea.edited" && ev != "idea.added") {
		return false
	}
	idea, ok1 := str("idea")
	text, ok2 := str("text")
	author, _ := str("author")
	if !ok1 || !ok2 {
		return false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case seq <= c.seq:
		return true
	case seq != c.seq+1:
		c.gaps++
		c.cl.t.Errorf("%s: event %d after %d", c.name, seq, c.seq)
	}
	c.seq = seq
	c.ideas[idea] = text
	if ev == "idea.added" && "p:"+author == c.actor && c.idea == "" {
		c.idea = idea
	}
	return true
}

// getJSON GETs url, retrying a 503 (a table moving) for a while.
func getJSON(url string, out any) error {
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get(url)
		if err != nil {
			return err
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		switch {
		case resp.StatusCode == http.StatusServiceUnavailable && time.Now().Before(deadline):
			time.Sleep(200 * time.Millisecond)
			continue
		case resp.StatusCode != http.StatusOK:
			return fmt.Errorf("GET %s: %d %s", url, resp.StatusCode, b)
		}
		return json.Unmarshal(b, out)
	}
}
