package events

import (
	"bytes"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
)

// What a target receives is the event itself, a constant (Input), a part of the event
// (InputPath) or a template filled from the event (InputTransformer):
// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-transform-target-input.html
//
// The template rules followed here, from that page and API_InputTransformer:
//   - a variable is <name>, where name is a key of InputPathsMap or a predefined variable
//     (aws.events.rule-arn, aws.events.rule-name, aws.events.event.ingestion-time,
//     aws.events.event (the event without detail), aws.events.event.json (the whole event));
//   - in a JSON template (one that starts with '{', '[' or '"'), a variable outside a JSON string
//     becomes its JSON value (a string is quoted); inside a JSON string a string value is inserted
//     without quotes (escaped so the JSON stays valid) and an object or array loses its inner
//     quotes ("{key:value}"), as AWS documents;
//   - a template that is not JSON is plain text: strings are inserted as they are, other
//     values as JSON text;
//   - a path that matches nothing creates no variable: the simulator writes null outside a
//     JSON string and nothing elsewhere, so JSON templates stay valid;
//   - a JSON result is minified ("The JSON that is passed to the target is minified").
// <name> that is not a variable is left as written.

// jsonPath is the subset of JSONPath EventBridge evaluates: $, .name, ['name'], [n] and
// the wildcards .* and [*] (which collect an array).
type jsonPath []pathStep

type pathStep struct {
	name     string
	index    int
	isIndex  bool
	wildcard bool
}

var errPath = errors.New("invalid JSON path")

// parseJSONPath parses an InputPath or an InputPathsMap value.
func parseJSONPath(p string) (jsonPath, error) {
	if !strings.HasPrefix(p, "$") {
		return nil, errPath
	}
	var out jsonPath
	rest := p[1:]
	for rest != "" {
		switch rest[0] {
		case '.':
			rest = rest[1:]
			end := strings.IndexAny(rest, ".[")
			if end < 0 {
				end = len(rest)
			}
			name := rest[:end]
			rest = rest[end:]
			switch {
			case name == "":
				return nil, errPath
			case name == "*":
				out = append(out, pathStep{wildcard: true})
			default:
				out = append(out, pathStep{name: name})
			}
		case '[':
			end := strings.IndexByte(rest, ']')
			if end < 0 {
				return nil, errPath
			}
			inner := rest[1:end]
			rest = rest[end+1:]
			switch {
			case inner == "*":
				out = append(out, pathStep{wildcard: true})
			case len(inner) >= 2 && (inner[0] == '\'' || inner[0] == '"') && inner[len(inner)-1] == inner[0]:
				out = append(out, pathStep{name: inner[1 : len(inner)-1]})
			default:
				n, err := strconv.Atoi(inner)
				if err != nil || n < 0 {
					return nil, errPath
				}
				out = append(out, pathStep{index: n, isIndex: true})
			}
		default:
			return nil, errPath
		}
	}
	return out, nil
}

// eval returns the value at the path in v (decoded with UseNumber), or ok=false.
func (p jsonPath) eval(v any) (any, bool) {
	cur := []any{v}
	multi := false
	for _, st := range p {
		var next []any
		for _, c := range cur {
			switch {
			case st.wildcard:
				switch x := c.(type) {
				case map[string]any:
					for _, k := range sortedKeys(x) {
						next = append(next, x[k])
					}
				case []any:
					next = append(next, x...)
				}
			case st.isIndex:
				if arr, ok := c.([]any); ok && st.index < len(arr) {
					next = append(next, arr[st.index])
				}
			default:
				if obj, ok := c.(map[string]any); ok {
					if val, ok := obj[st.name]; ok {
						next = append(next, val)
					}
				}
			}
		}
		if st.wildcard {
			multi = true
		}
		cur = next
	}
	if multi {
		if cur == nil {
			cur = []any{}
		}
		return cur, true
	}
	if len(cur) == 0 {
		return nil, false
	}
	return cur[0], true
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	// Deterministic order; Go maps are unordered.
	for i := 1; i < len(keys); i++ {
		for j := i; j > 0 && keys[j] < keys[j-1]; j-- {
			keys[j], keys[j-1] = keys[j-1], keys[j]
		}
	}
	return keys
}

func decodeEvent(event []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(event))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return v, nil
}

// Reserved variable names of input templates.
const (
	varRuleARN       = "aws.events.rule-arn"
	varRuleName      = "aws.events.rule-name"
	varIngestionTime = "aws.events.event.ingestion-time"
	varEvent         = "aws.events.event"
	varEventJSON     = "aws.events.event.json"
)

func reservedVariable(name string) bool {
	switch name {
	case varRuleARN, varRuleName, varIngestionTime, varEvent, varEventJSON:
		return true
	}
	return false
}

// transformContext is what the predefined variables read.
type transformContext struct {
	RuleARN       string
	RuleName      string
	IngestionTime string // ISO 8601
}

// applyTransformer fills template from event. paths are InputPathsMap, already validated.
func applyTransformer(template string, paths map[string]string, event []byte, tc transformContext) (string, error) {
	doc, err := decodeEvent(event)
	if err != nil {
		return "", err
	}
	vars := map[string]any{}
	for name, p := range paths {
		jp, err := parseJSONPath(p)
		if err != nil {
			return "", err
		}
		if v, ok := jp.eval(doc); ok {
			vars[name] = v
		} else {
			vars[name] = missing{}
		}
	}
	vars[varRuleARN] = tc.RuleARN
	vars[varRuleName] = tc.RuleName
	vars[varIngestionTime] = tc.IngestionTime
	vars[varEventJSON] = rawJSON(event)
	if obj, ok := doc.(map[string]any); ok {
		without := make(map[string]any, len(obj))
		for k, v := range obj {
			if k != "detail" {
				without[k] = v
			}
		}
		b, _ := json.Marshal(without)
		vars[varEvent] = rawJSON(b)
	}
	return fillTemplate(template, vars), nil
}

// missing marks a variable whose path matched nothing.
type missing struct{}

// rawJSON is a value inserted as JSON text without re-encoding.
type rawJSON []byte

func fillTemplate(template string, vars map[string]any) string {
	trimmed := strings.TrimSpace(template)
	isJSON := strings.HasPrefix(trimmed, "{") || strings.HasPrefix(trimmed, "[") || strings.HasPrefix(trimmed, "\"")
	var b strings.Builder
	inString, escaped := false, false
	for i := 0; i < len(template); {
		c := template[i]
		if c == '<' {
			if end := strings.IndexByte(template[i+1:], '>'); end >= 0 {
				name := template[i+1 : i+1+end]
				if v, ok := vars[name]; ok {
					switch {
					case !isJSON:
						b.WriteString(textValue(v))
					case inString:
						b.WriteString(inStringValue(v))
					default:
						b.WriteString(jsonValue(v))
					}
					i += end + 2
					continue
				}
			}
		}
		if isJSON {
			switch {
			case escaped:
				escaped = false
			case inString && c == '\\':
				escaped = true
			case c == '"':
				inString = !inString
			}
		}
		b.WriteByte(c)
		i++
	}
	out := b.String()
	if isJSON {
		var buf bytes.Buffer
		if json.Compact(&buf, []byte(out)) == nil {
			return buf.String()
		}
	}
	return out
}

func jsonValue(v any) string {
	switch x := v.(type) {
	case missing:
		return "null"
	case rawJSON:
		return string(x)
	}
	b, _ := json.Marshal(v)
	return string(b)
}

func inStringValue(v any) string {
	switch x := v.(type) {
	case missing:
		return ""
	case string:
		b, _ := json.Marshal(x)
		return string(b[1 : len(b)-1])
	case rawJSON:
		return strings.ReplaceAll(string(x), `"`, "")
	case map[string]any, []any:
		b, _ := json.Marshal(x)
		return strings.ReplaceAll(string(b), `"`, "")
	}
	b, _ := json.Marshal(v)
	return string(b)
}

func textValue(v any) string {
	switch x := v.(type) {
	case missing:
		return ""
	case string:
		return x
	case rawJSON:
		return string(x)
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// applyInputPath returns the part of event at path as JSON; a path that matches nothing
// gives null.
func applyInputPath(path string, event []byte) (string, error) {
	jp, err := parseJSONPath(path)
	if err != nil {
		return "", err
	}
	doc, err := decodeEvent(event)
	if err != nil {
		return "", err
	}
	v, ok := jp.eval(doc)
	if !ok {
		return "null", nil
	}
	b, err := json.Marshal(v)
	return string(b), err
}
