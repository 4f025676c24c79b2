package minutes

import (
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"strings"
)

//go:embed minutes.html.tmpl
var htmlSource string

//go:embed minutes.css
var htmlCSS string

var htmlTmpl = template.Must(template.New("minutes").Funcs(template.FuncMap{
	"text":     display,
	"lines":    func(s string) []string { return lines(display(s)) },
	"paras":    func(s string) [][]string { return paragraphs(display(s)) },
	"bar":      bar,
	"css":      func() template.CSS { return template.CSS(htmlCSS) },
	"ideaArgs": func(i pageIdea, max int) ideaArgs { return ideaArgs{Idea: i, Max: max} },
}).Parse(htmlSource))

// ideaArgs is what the idea template needs: the idea and the largest
// total of its list, which scales the bars.
type ideaArgs struct {
	Idea pageIdea
	Max  int
}

// WriteHTML writes the minutes as one self-contained HTML file: styles
// inline, vote results drawn as inline SVG bars, no scripts and nothing
// loaded from elsewhere, and print styles for A4. html/template escapes
// every piece of user text for the context it appears in.
func WriteHTML(w io.Writer, m *Minutes) error {
	return writeHTML(w, newPage(m))
}

func writeHTML(w io.Writer, p *page) error {
	if err := htmlTmpl.Execute(w, p); err != nil {
		return fmt.Errorf("minutes: write html: %w", err)
	}
	return nil
}

// barWidth is the width of the longest bar, in SVG user units (px).
const barWidth = 180

// bar draws an idea's dots as a horizontal bar, one segment per source,
// scaled to the item's largest total. The SVG is built from numbers and
// fixed class names only: no user text goes into it. The classes c0…c5
// colour the segments, and the same classes colour the legend.
func bar(i pageIdea, maxTotal int) template.HTML {
	if maxTotal <= 0 || i.Total <= 0 {
		return ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="bar" width="%d" height="14" viewBox="0 0 %d 14" aria-hidden="true" focusable="false">`, barWidth, barWidth)
	fmt.Fprintf(&b, `<rect class="track" x="0" y="0" width="%d" height="14"/>`, barWidth)
	segs := i.Segments
	if len(segs) == 0 {
		segs = []segment{{Dots: i.Total}}
	}
	x := 0.0
	for _, s := range segs {
		wd := float64(s.Dots) * barWidth / float64(maxTotal)
		fmt.Fprintf(&b, `<rect class="c%d" x="%.1f" y="0" width="%.1f" height="14"/>`, s.Color, x, wd)
		x += wd
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}
