package pattern

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
)

// maxPatternDepth bounds how deeply a pattern may nest. AWS documents no such
// limit; this one only protects the compiler's recursion from hostile input and
// is far beyond any pattern a person writes.
const maxPatternDepth = 256

// jkind is the JSON type of a jvalue.
type jkind uint8

const (
	jNull jkind = iota
	jBool
	jNumber
	jString
	jArray
	jObject
)

// jvalue is a decoded pattern document that, unlike map[string]any, keeps the
// order of object keys and any duplicated keys (AWS documents what duplicated
// keys mean), and keeps number literals as written.
type jvalue struct {
	kind  jkind
	s     string // string value, or the number literal as written
	b     bool
	keys  []string // object keys, in document order, duplicates kept
	vals  []*jvalue
	elems []*jvalue // array elements
}

// parseDocument decodes one JSON value and rejects trailing data.
func parseDocument(src string) (*jvalue, error) {
	dec := json.NewDecoder(bytes.NewReader([]byte(src)))
	dec.UseNumber()
	v, err := readValue(dec, 0)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("unexpected data after the JSON value")
	}
	return v, nil
}

func readValue(dec *json.Decoder, depth int) (*jvalue, error) {
	if depth > maxPatternDepth {
		return nil, errors.New("document is nested too deeply")
	}
	tok, err := dec.Token()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, errors.New("unexpected end of JSON input")
		}
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			v := &jvalue{kind: jObject}
			for dec.More() {
				ktok, err := dec.Token()
				if err != nil {
					return nil, err
				}
				key, ok := ktok.(string)
				if !ok {
					return nil, errors.New("object key is not a string")
				}
				val, err := readValue(dec, depth+1)
				if err != nil {
					return nil, err
				}
				v.keys = append(v.keys, key)
				v.vals = append(v.vals, val)
			}
			if _, err := dec.Token(); err != nil { // the closing '}'
				return nil, err
			}
			return v, nil
		case '[':
			v := &jvalue{kind: jArray}
			for dec.More() {
				el, err := readValue(dec, depth+1)
				if err != nil {
					return nil, err
				}
				v.elems = append(v.elems, el)
			}
			if _, err := dec.Token(); err != nil { // the closing ']'
				return nil, err
			}
			return v, nil
		default:
			return nil, errors.New("unexpected " + t.String())
		}
	case string:
		return &jvalue{kind: jString, s: t}, nil
	case json.Number:
		return &jvalue{kind: jNumber, s: string(t)}, nil
	case bool:
		return &jvalue{kind: jBool, b: t}, nil
	case nil:
		return &jvalue{kind: jNull}, nil
	}
	return nil, errors.New("unexpected JSON token")
}

// text renders a scalar for use in an error message.
func (v *jvalue) text() string {
	switch v.kind {
	case jNull:
		return "null"
	case jBool:
		if v.b {
			return "true"
		}
		return "false"
	case jNumber:
		return v.s
	case jString:
		b, _ := json.Marshal(v.s)
		return string(b)
	case jArray:
		return "an array"
	default:
		return "an object"
	}
}
