package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
)

type plotOptions struct {
	out     string
	title   string
	targets []string
}

func newPlotCmd() *cobra.Command {
	o := &plotOptions{}
	cmd := &cobra.Command{
		Use:   "plot FILE...",
		Short: "Draw event latency (p50, p99) against participants per table as SVG",
		Long: `Plot reads the JSON lines that "run --json-out FILE" appends and draws the
p50 and p99 event latency against participants per table, one series per
--label of the runs, on logarithmic axes.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var runs []result
			for _, path := range args {
				rs, err := readResults(path)
				if err != nil {
					return err
				}
				runs = append(runs, rs...)
			}
			targets, err := parseTargets(o.targets)
			if err != nil {
				return err
			}
			f, err := os.Create(o.out)
			if err != nil {
				return err
			}
			if err := writePlot(f, o.title, runs, targets); err != nil {
				f.Close()
				return err
			}
			return f.Close()
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.out, "out", "latency.svg", "SVG file to write")
	f.StringVar(&o.title, "title", "Event latency against participants per table", "title of the plot")
	f.StringArrayVar(&o.targets, "target", nil, "a p99 target to mark, PARTICIPANTS=MS, e.g. 1000=50 (repeatable)")
	return cmd
}

func readResults(path string) ([]result, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []result
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		var r result
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", path, n, err)
		}
		if r.Latency.Count > 0 {
			out = append(out, r)
		}
	}
	return out, sc.Err()
}

type target struct{ x, y float64 }

func parseTargets(vals []string) ([]target, error) {
	var out []target
	for _, v := range vals {
		a, b, ok := strings.Cut(v, "=")
		x, err1 := strconv.ParseFloat(a, 64)
		y, err2 := strconv.ParseFloat(b, 64)
		if !ok || err1 != nil || err2 != nil || x <= 0 || y <= 0 {
			return nil, fmt.Errorf("--target %q: want PARTICIPANTS=MS, e.g. 1000=50", v)
		}
		out = append(out, target{x, y})
	}
	return out, nil
}

type point struct{ x, p50, p99 float64 }

// writePlot draws one p99 line (solid) and one p50 line (dashed) per label.
func writePlot(w io.Writer, title string, runs []result, targets []target) error {
	if len(runs) == 0 {
		return fmt.Errorf("plot: no runs with latency figures")
	}
	series := map[string][]point{}
	var labels []string
	for _, r := range runs {
		label := r.Label
		if label == "" {
			label = fmt.Sprintf("%g ideas/s, %g votes/s", r.IdeasPerS, r.VotesPerS)
		}
		if _, ok := series[label]; !ok {
			labels = append(labels, label)
		}
		series[label] = append(series[label], point{x: float64(r.Participants) / float64(max(1, r.Tables)),
			p50: r.Latency.P50, p99: r.Latency.P99})
	}
	xmin, xmax, ymin, ymax := math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	for _, l := range labels {
		slices.SortFunc(series[l], func(a, b point) int { return int(a.x - b.x) })
		for _, p := range series[l] {
			xmin, xmax = math.Min(xmin, p.x), math.Max(xmax, p.x)
			ymin, ymax = math.Min(ymin, math.Max(p.p50, 0.1)), math.Max(ymax, p.p99)
		}
	}
	for _, t := range targets {
		xmin, xmax = math.Min(xmin, t.x), math.Max(xmax, t.x)
		ymin, ymax = math.Min(ymin, t.y), math.Max(ymax, t.y)
	}
	// Whole decades around the data.
	xlo, xhi := math.Floor(math.Log10(xmin)), math.Ceil(math.Log10(xmax))
	ylo, yhi := math.Floor(math.Log10(ymin)), math.Ceil(math.Log10(ymax))
	if xhi == xlo {
		xhi++
	}
	if yhi == ylo {
		yhi++
	}
	const W, H, left, right, top, bottom = 760, 440, 70, 230, 44, 56
	pw, ph := float64(W-left-right), float64(H-top-bottom)
	px := func(x float64) float64 { return left + (math.Log10(x)-xlo)/(xhi-xlo)*pw }
	py := func(y float64) float64 { return top + ph - (math.Log10(math.Max(y, 1e-3))-ylo)/(yhi-ylo)*ph }

	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="sans-serif" font-size="12">`+"\n", W, H, W, H)
	fmt.Fprintf(&b, `<rect width="%d" height="%d" fill="white"/>`+"\n", W, H)
	fmt.Fprintf(&b, `<text x="%d" y="24" font-size="15" font-weight="bold">%s</text>`+"\n", left, html.EscapeString(title))
	// Grid at 1, 2, 5 × 10^k; the powers of ten darker.
	for _, t := range ticks(xlo, xhi) {
		X := px(t.v)
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%d" x2="%.1f" y2="%.1f" stroke="%s"/>`+"\n", X, top, X, top+ph, t.stroke)
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="middle" fill="#444">%s</text>`+"\n", X, top+ph+16, num(t.v))
	}
	for _, t := range ticks(ylo, yhi) {
		Y := py(t.v)
		fmt.Fprintf(&b, `<line x1="%d" y1="%.1f" x2="%.1f" y2="%.1f" stroke="%s"/>`+"\n", left, Y, left+pw, Y, t.stroke)
		fmt.Fprintf(&b, `<text x="%d" y="%.1f" text-anchor="end" fill="#444">%s</text>`+"\n", left-6, Y+4, num(t.v))
	}
	fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%.0f" height="%.0f" fill="none" stroke="#888"/>`+"\n", left, top, pw, ph)
	fmt.Fprintf(&b, `<text x="%.0f" y="%d" text-anchor="middle">participants per table</text>`+"\n", left+pw/2, H-14)
	fmt.Fprintf(&b, `<text transform="translate(18 %.0f) rotate(-90)" text-anchor="middle">event latency, ms (send → received)</text>`+"\n", top+ph/2)

	palette := []string{"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"}
	ly := float64(top + 8)
	for i, l := range labels {
		color := palette[i%len(palette)]
		for _, q := range []struct {
			name string
			dash string
			v    func(point) float64
		}{{"p99", "", func(p point) float64 { return p.p99 }}, {"p50", ` stroke-dasharray="5 4"`, func(p point) float64 { return p.p50 }}} {
			var pts []string
			for _, p := range series[l] {
				pts = append(pts, fmt.Sprintf("%.1f,%.1f", px(p.x), py(q.v(p))))
			}
			fmt.Fprintf(&b, `<polyline points="%s" fill="none" stroke="%s" stroke-width="2"%s/>`+"\n", strings.Join(pts, " "), color, q.dash)
			for _, p := range series[l] {
				fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="3" fill="%s"><title>%s: %s %.1f ms at %s</title></circle>`+"\n",
					px(p.x), py(q.v(p)), color, html.EscapeString(l), q.name, q.v(p), num(p.x))
			}
			fmt.Fprintf(&b, `<line x1="%.0f" y1="%.0f" x2="%.0f" y2="%.0f" stroke="%s" stroke-width="2"%s/>`+"\n", left+pw+12, ly, left+pw+36, ly, color, q.dash)
			fmt.Fprintf(&b, `<text x="%.0f" y="%.0f">%s %s</text>`+"\n", left+pw+42, ly+4, q.name, html.EscapeString(l))
			ly += 18
		}
	}
	if len(targets) > 0 {
		for _, t := range targets {
			X, Y := px(t.x), py(t.y)
			fmt.Fprintf(&b, `<path d="M%.1f %.1fl6 6m0 -6l-6 6" transform="translate(-3 -3)" stroke="black" stroke-width="2"><title>target p99 ≤ %s ms at %s</title></path>`+"\n", X, Y, num(t.y), num(t.x))
		}
		fmt.Fprintf(&b, `<path d="M%.0f %.0fl6 6m0 -6l-6 6" transform="translate(-3 -3)" stroke="black" stroke-width="2"/>`+"\n", left+pw+24, ly)
		fmt.Fprintf(&b, `<text x="%.0f" y="%.0f">p99 target</text>`+"\n", left+pw+42, ly+4)
	}
	b.WriteString("</svg>\n")
	_, err := io.WriteString(w, b.String())
	return err
}

func num(v float64) string {
	switch {
	case v >= 1000 && math.Mod(v, 1000) == 0:
		return strconv.FormatFloat(v/1000, 'f', -1, 64) + "k"
	default:
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
}

// tick is a grid line of a logarithmic axis.
type tick struct {
	v      float64
	stroke string
}

// ticks are the grid lines 1, 2 and 5 × 10^d for d from lo to hi (log10
// bounds of the axis), those at powers of ten darker.
func ticks(lo, hi float64) []tick {
	var ts []tick
	for d := lo; d <= hi; d++ {
		for _, m := range []float64{1, 2, 5} {
			v := m * math.Pow(10, d)
			if math.Log10(v) > hi+1e-9 {
				break
			}
			t := tick{v: v, stroke: "#eee"}
			if m == 1 {
				t.stroke = "#ccc"
			}
			ts = append(ts, t)
		}
	}
	return ts
}
