package esm

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/pattern"
)

// compileFilters compiles a mapping's filters (validated when the mapping was written).
func compileFilters(f *FilterCriteria) []*pattern.Pattern {
	if f == nil {
		return nil
	}
	var out []*pattern.Pattern
	for _, flt := range f.Filters {
		if flt.Pattern == nil {
			continue
		}
		if p, err := pattern.Compile(*flt.Pattern); err == nil {
			out = append(out, p)
		}
	}
	return out
}

// matchAny reports whether any filter matches (filters are OR-ed).
func matchAny(filters []*pattern.Pattern, v any) bool {
	for _, p := range filters {
		if p.MatchValue(v) {
			return true
		}
	}
	return false
}

// decodeJSON decodes one JSON value keeping number literals, as the pattern matcher needs.
func decodeJSON(b []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("data after the JSON value")
	}
	return v, nil
}

func jsonMarshal(v any) ([]byte, error) { return json.Marshal(v) }
