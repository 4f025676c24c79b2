package main

import (
	"math/bits"
	"sync/atomic"
)

// A log-linear histogram in the manner of HdrHistogram: values below 128
// are counted exactly, larger ones in 128 sub-buckets per power of two, so
// every recorded value is off by less than 1%. Values are microseconds.
const (
	subBits    = 7
	subCount   = 1 << subBits
	maxShift   = 32 // values up to 2^39 µs; larger ones land in the last bucket
	numBuckets = (maxShift + 2) * subCount
)

func bucketOf(v uint64) int {
	if v < subCount {
		return int(v)
	}
	shift := bits.Len64(v) - subBits - 1
	if shift > maxShift {
		return numBuckets - 1
	}
	return (shift+1)*subCount + int(v>>uint(shift)) - subCount
}

// valueOf returns the middle of bucket b.
func valueOf(b int) uint64 {
	if b < subCount {
		return uint64(b)
	}
	shift := b/subCount - 1
	idx := uint64(b%subCount + subCount)
	lo := idx << uint(shift)
	return lo + (uint64(1)<<uint(shift))/2
}

// hist is safe for concurrent recording: every counter is atomic, so the
// receive path records without locks and without allocating.
type hist struct {
	counts [numBuckets]atomic.Uint64
	max    atomic.Uint64
	n      atomic.Uint64
}

func (h *hist) record(us int64) {
	if us < 0 {
		us = 0
	}
	v := uint64(us)
	h.counts[bucketOf(v)].Add(1)
	h.n.Add(1)
	for {
		m := h.max.Load()
		if v <= m || h.max.CompareAndSwap(m, v) {
			return
		}
	}
}

// shardedHist spreads recorders over several histograms so that thousands
// of reading goroutines do not all hit the same cache lines.
type shardedHist struct {
	shards [16]hist
}

func (s *shardedHist) record(shard int, us int64) { s.shards[shard&15].record(us) }

// reset empties the histogram; nothing may record meanwhile.
func (s *shardedHist) reset() {
	for i := range s.shards {
		h := &s.shards[i]
		for b := range h.counts {
			h.counts[b].Store(0)
		}
		h.n.Store(0)
		h.max.Store(0)
	}
}

// snapshot merges the shards into plain counts.
func (s *shardedHist) snapshot() histSnap {
	var out histSnap
	out.counts = make([]uint64, numBuckets)
	for i := range s.shards {
		h := &s.shards[i]
		for b := range h.counts {
			out.counts[b] += h.counts[b].Load()
		}
		out.n += h.n.Load()
		out.max = max(out.max, h.max.Load())
	}
	return out
}

// histSnap is a merged, read-only histogram.
type histSnap struct {
	counts []uint64
	n      uint64
	max    uint64
}

// quantile returns the value (µs) at quantile q in [0, 1].
func (h histSnap) quantile(q float64) uint64 {
	if h.n == 0 {
		return 0
	}
	rank := uint64(q*float64(h.n) + 0.5)
	rank = max(1, min(rank, h.n))
	var seen uint64
	for b, c := range h.counts {
		seen += c
		if seen >= rank {
			return min(valueOf(b), h.max)
		}
	}
	return h.max
}

// latency is a histogram summarised in milliseconds, as reported.
type latency struct {
	Count uint64  `json:"count"`
	P50   float64 `json:"p50"`
	P95   float64 `json:"p95"`
	P99   float64 `json:"p99"`
	Max   float64 `json:"max"`
}

func (h histSnap) summary() latency {
	ms := func(us uint64) float64 { return float64(us) / 1000 }
	return latency{Count: h.n, P50: ms(h.quantile(0.50)), P95: ms(h.quantile(0.95)),
		P99: ms(h.quantile(0.99)), Max: ms(h.max)}
}
