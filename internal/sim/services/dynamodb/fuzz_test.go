package dynamodb

import (
	"bufio"
	"bytes"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The expression parsers and the request decoders read outside input: none may panic, whatever
// it is. Seeds come from the expressions of the unit tests and the SDK's request snapshots.

var exprSeeds = []string{
	"a = :x", "attribute_not_exists(pk)", "a.b[0].c <> :x AND NOT (size(l) > :n OR begins_with(s, :x))",
	"a BETWEEN :x AND :n", "a IN (:x, :n)", "contains(#a, :x)", "attribute_type(a, :x)", "((a = :x))",
	"SET a = a + :n, b = list_append(if_not_exists(b, :l), :l) REMOVE c[0], d ADD e :n DELETE f :ss",
	"pk = :x AND sk BETWEEN :n AND :n", "pk = :x AND begins_with(sk, :x)", "a, b.c, d[1]", "ADD hits : incr",
	"#a.#a[1]", "size(", "a[99999999999999999999] = :x", "NOT NOT NOT a = :x", "", " ", "\x00", "é = :x",
}

func fuzzCtx() *exprCtx {
	return newExprCtx(map[string]string{"#a": "a"}, map[string]Value{
		":x": {k: kindS, s: "x"}, ":n": numValue("1"), ":l": listValue(nil), ":ss": {k: kindSS, ss: []string{"a"}},
	})
}

func FuzzConditionExpression(f *testing.F) {
	for _, s := range exprSeeds {
		f.Add(s)
	}
	it := Item{"a": {k: kindS, s: "x"}, "l": listValue([]Value{numValue("1")})}
	f.Fuzz(func(t *testing.T, src string) {
		c, _, msg := parseCondition(src, fuzzCtx())
		if msg == "" {
			evalCond(c, it)
		}
	})
}

func FuzzKeyConditionExpression(f *testing.F) {
	for _, s := range exprSeeds {
		f.Add(s)
	}
	sc := schema{Hash: keyAttr{Name: "pk", Type: kindS}, Range: &keyAttr{Name: "sk", Type: kindN}}
	f.Fuzz(func(t *testing.T, src string) {
		c, _, msg := parseCondition(src, fuzzCtx())
		if msg != "" {
			return
		}
		if kc, e := buildKeyCond(c, sc); e == nil {
			kc.seek(sc)
			kc.matchRange(numValue("1"))
		}
	})
}

func FuzzUpdateExpression(f *testing.F) {
	for _, s := range exprSeeds {
		f.Add(s)
	}
	old := Item{"pk": {k: kindS, s: "k"}, "a": numValue("1"), "b": listValue([]Value{numValue("1")}), "c": listValue(nil),
		"f": {k: kindSS, ss: []string{"a", "b"}}, "m": mapValue(map[string]Value{"x": numValue("2")})}
	f.Fuzz(func(t *testing.T, src string) {
		u, _, msg := parseUpdate(src, fuzzCtx())
		if msg != "" {
			return
		}
		applyUpdate(old, Item{"pk": old["pk"]}, u)
		applyUpdate(nil, Item{"pk": old["pk"]}, u)
	})
}

func FuzzProjectionExpression(f *testing.F) {
	for _, s := range exprSeeds {
		f.Add(s)
	}
	it := Item{"a": mapValue(map[string]Value{"b": listValue([]Value{numValue("1")})})}
	f.Fuzz(func(t *testing.T, src string) {
		if paths, _, msg := parseProjection(src, fuzzCtx()); msg == "" {
			project(it, paths)
		}
	})
}

// FuzzAttributeValue decodes, validates, encodes and sizes one AttributeValue.
func FuzzAttributeValue(f *testing.F) {
	for _, s := range []string{`{"S":"x"}`, `{"N":"1.5e3"}`, `{"M":{"a":{"L":[{"NULL":true},{"BS":["AQ=="]}]}}}`, `{"NS":["1","1.0"]}`, `{}`, `{"S":"a","N":"1"}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var v Value
		if v.UnmarshalJSON(data) != nil {
			return
		}
		if validateValue(&v) == "" {
			v.MarshalJSON()
			valueSize(v)
			appendKeyValue(nil, v)
			equal(v, v.clone())
		}
	})
}

// FuzzRequests sends request bodies to every operation of both APIs over HTTP: the answer must
// be a 200 or an AWS error, never a panic or a 5xx.
func FuzzRequests(f *testing.F) {
	for _, seed := range snapshotBodies(f) {
		f.Add(seed.op, seed.body)
	}
	h := newHarness(f, "")
	h.createTable("fuzzed", "", "NEW_AND_OLD_IMAGES")
	ops := append(sortedKeys(h.svc.ddbOps()), sortedKeys(h.svc.streamsOps())...)
	f.Fuzz(func(t *testing.T, op string, body []byte) {
		target := TargetPrefix + op
		if _, ok := h.svc.streamsOps()[op]; ok {
			target = StreamsTargetPrefix + op
		}
		if _, ok := h.svc.ddbOps()[op]; !ok && !strings.HasPrefix(target, StreamsTargetPrefix) {
			target = TargetPrefix + ops[len(op)%len(ops)]
		}
		// Any request names the fuzzed table, so that item operations get past the lookup.
		body = bytes.ReplaceAll(body, []byte("__TableName__"), []byte("fuzzed"))
		req := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
		req.Header.Set("X-Amz-Target", target)
		w := httptest.NewRecorder()
		h.svc.ServeHTTP(w, req)
		if w.Code >= 500 {
			t.Fatalf("%s %s: %d %s", target, body, w.Code, w.Body)
		}
	})
}

type snapshotSeed struct {
	op   string
	body []byte
}

// snapshotBodies reads the request bodies of the SDK's request snapshots, with the table name and
// key placeholders adjusted so that some of them reach the operations' logic.
func snapshotBodies(f *testing.F) []snapshotSeed {
	var seeds []snapshotSeed
	for _, mod := range []string{"dynamodb@v1.74.0", "dynamodbstreams@v1.47.0"} {
		dir := filepath.Join(goModCache(f), "github.com/aws/aws-sdk-go-v2/service", mod, "request_snapshot")
		files, _ := filepath.Glob(filepath.Join(dir, "*.request.snap"))
		for _, file := range files {
			data, err := os.ReadFile(file)
			if err != nil {
				continue
			}
			var last string
			sc := bufio.NewScanner(bytes.NewReader(data))
			sc.Buffer(make([]byte, 1<<20), 1<<20)
			for sc.Scan() {
				if line := sc.Text(); line != "" {
					last = line
				}
			}
			op := strings.TrimSuffix(filepath.Base(file), ".request.snap")
			body := strings.ReplaceAll(last, `"key0"`, `"pk"`)
			seeds = append(seeds, snapshotSeed{op, []byte(body)})
		}
	}
	if len(seeds) == 0 {
		seeds = append(seeds, snapshotSeed{"PutItem", []byte(`{"TableName":"fuzzed","Item":{"pk":{"S":"a"}}}`)})
	}
	return seeds
}

func goModCache(f *testing.F) string {
	if dir := os.Getenv("GOMODCACHE"); dir != "" {
		return dir
	}
	out, err := exec.Command("go", "env", "GOMODCACHE").Output()
	if err != nil {
		f.Logf("go env GOMODCACHE: %v", err)
		return ""
	}
	return strings.TrimSpace(string(out))
}
