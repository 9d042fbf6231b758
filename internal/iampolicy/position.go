package iampolicy

import (
	"bytes"
	"encoding/json"
	"strings"
	"unicode/utf8"
)

// Position is a place in a policy document, as IAM's policy simulator reports the statements
// it matched (StartPosition, EndPosition): a line and a column in characters, both from 1.
type Position struct {
	Line   int
	Column int
}

// locateStatements sets the Start and End of each statement to where it is written in doc.
// The positions are for explanations only; a document whose statements cannot be located
// (which Parse has already accepted, so this does not happen) keeps zero positions.
func locateStatements(doc []byte, statements []Statement) {
	spans := statementSpans(doc)
	if len(spans) != len(statements) {
		return
	}
	for i, span := range spans {
		statements[i].Start = position(doc, span[0])
		statements[i].End = position(doc, span[1]-1)
	}
}

// statementSpans returns the byte offsets [start, end) of each statement object of the
// document's Statement element (the last one, as encoding/json keeps the last of duplicates).
func statementSpans(doc []byte) [][2]int {
	dec := json.NewDecoder(bytes.NewReader(doc))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil
	}
	var spans [][2]int
	for dec.More() {
		key, err := dec.Token()
		if err != nil {
			return nil
		}
		if key != "Statement" {
			var skip json.RawMessage
			if dec.Decode(&skip) != nil {
				return nil
			}
			continue
		}
		if spans, err = valueSpans(dec, doc); err != nil {
			return nil
		}
	}
	return spans
}

// valueSpans reads the Statement element's value, one object or an array of them, and
// returns the span of each object.
func valueSpans(dec *json.Decoder, doc []byte) ([][2]int, error) {
	start := skipSeparators(doc, int(dec.InputOffset()))
	if start >= len(doc) || doc[start] != '[' {
		end, err := skipValue(dec)
		return [][2]int{{start, end}}, err
	}
	if _, err := dec.Token(); err != nil {
		return nil, err
	}
	var spans [][2]int
	for dec.More() {
		s := skipSeparators(doc, int(dec.InputOffset()))
		end, err := skipValue(dec)
		if err != nil {
			return nil, err
		}
		spans = append(spans, [2]int{s, end})
	}
	_, err := dec.Token()
	return spans, err
}

func skipValue(dec *json.Decoder) (int, error) {
	var raw json.RawMessage
	err := dec.Decode(&raw)
	return int(dec.InputOffset()), err
}

// skipSeparators returns the offset of the next value at or after i: past white space and
// the ':' and ',' between JSON values.
func skipSeparators(doc []byte, i int) int {
	for i < len(doc) && strings.IndexByte(" \t\r\n:,", doc[i]) >= 0 {
		i++
	}
	return i
}

func position(doc []byte, offset int) Position {
	before := doc[:offset]
	line := bytes.Count(before, []byte("\n")) + 1
	lineStart := bytes.LastIndexByte(before, '\n') + 1
	return Position{Line: line, Column: utf8.RuneCount(before[lineStart:]) + 1}
}
