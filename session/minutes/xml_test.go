package minutes_test

import (
	"archive/zip"
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"testing"
	"time"
)

var testStart = time.Date(2027, 2, 25, 14, 30, 0, 0, time.UTC)

// parseXML reads a DOCX part to the end with encoding/xml, failing the
// test if it is not well-formed.
func parseXML(t *testing.T, f *zip.File) {
	t.Helper()
	rc, err := f.Open()
	if err != nil {
		t.Fatalf("open %s: %v", f.Name, err)
	}
	defer rc.Close()
	dec := xml.NewDecoder(rc)
	for {
		_, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			t.Fatalf("%s is not well-formed XML: %v", f.Name, err)
		}
	}
}

const wNS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

// docxTables reads the text of every cell of every table in document.xml:
// tables, rows, cells. Line breaks and paragraphs in a cell read as "\n".
func docxTables(t *testing.T, doc []byte) [][][]string {
	t.Helper()
	var tables [][][]string
	var cell strings.Builder
	var inText bool
	dec := xml.NewDecoder(strings.NewReader(string(doc)))
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return tables
		}
		if err != nil {
			t.Fatalf("document.xml: %v", err)
		}
		switch e := tok.(type) {
		case xml.StartElement:
			if e.Name.Space != wNS {
				continue
			}
			switch e.Name.Local {
			case "tbl":
				tables = append(tables, nil)
			case "tr":
				tables[len(tables)-1] = append(tables[len(tables)-1], nil)
			case "tc":
				cell.Reset()
			case "p":
				if cell.Len() > 0 {
					cell.WriteString("\n")
				}
			case "t":
				inText = true
			case "br":
				cell.WriteString("\n")
			case "tab":
				cell.WriteString("\t")
			}
		case xml.EndElement:
			switch e.Name.Local {
			case "t":
				inText = false
			case "tc":
				tb := tables[len(tables)-1]
				tb[len(tb)-1] = append(tb[len(tb)-1], cell.String())
			}
		case xml.CharData:
			if inText {
				cell.Write(e)
			}
		}
	}
}

// docxText is all the text of document.xml, paragraphs on lines of their own.
func docxText(t *testing.T, doc []byte) string {
	t.Helper()
	var b strings.Builder
	var inText bool
	dec := xml.NewDecoder(strings.NewReader(string(doc)))
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return b.String()
		}
		if err != nil {
			t.Fatalf("document.xml: %v", err)
		}
		switch e := tok.(type) {
		case xml.StartElement:
			switch e.Name.Local {
			case "t":
				inText = true
			case "br":
				b.WriteString("\n")
			case "tab":
				b.WriteString("\t")
			}
		case xml.EndElement:
			switch e.Name.Local {
			case "t":
				inText = false
			case "p":
				b.WriteString("\n")
			}
		case xml.CharData:
			if inText {
				b.Write(e)
			}
		}
	}
}
