package invlog

import (
	"fmt"
	"strings"
	"testing"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
)

func newLog(t *testing.T) *Log {
	st, err := store.OpenTemp()
	if err != nil {
		t.Fatal(err)
	}
	l := New(st)
	t.Cleanup(func() { l.Close(); st.Close() })
	return l
}

func TestLog_appendAndFilter(t *testing.T) {
	l := newLog(t)
	for i := 0; i < 4; i++ {
		fn := "a"
		if i%2 == 1 {
			fn = "b"
		}
		rec := &Record{RequestID: fmt.Sprint("r", i), FunctionName: fn, Outcome: OutcomeSuccess}
		if err := l.Append(rec); err != nil {
			t.Fatal(err)
		}
	}
	all, _ := l.List(Query{})
	for i, rec := range all {
		if rec.Seq != uint64(i+1) || rec.RequestID != fmt.Sprint("r", i) {
			t.Fatalf("record %d: seq %d, request %s", i, rec.Seq, rec.RequestID)
		}
	}
	b, _ := l.List(Query{FunctionName: "b"})
	if len(b) != 2 || b[0].RequestID != "r1" || b[1].RequestID != "r3" {
		t.Fatalf("function b: %+v", b)
	}
	after, _ := l.List(Query{After: 2})
	if len(after) != 2 || after[0].Seq != 3 {
		t.Fatalf("after 2: %+v", after)
	}
	one, _ := l.List(Query{RequestID: "r2"})
	if len(one) != 1 || one[0].FunctionName != "a" {
		t.Fatalf("by request id: %+v", one)
	}
	limited, _ := l.List(Query{Limit: 1})
	if len(limited) != 1 || limited[0].Seq != 1 {
		t.Fatalf("limit 1: %+v", limited)
	}
}

func TestLog_bodiesAreCutAndFlagged(t *testing.T) {
	var r Record
	r.SetPayload([]byte(strings.Repeat("x", MaxBody+10)))
	r.SetResponse([]byte("ok"))
	if len(r.Payload) != MaxBody || !r.PayloadCut || r.ResponseCut || r.Response != "ok" {
		t.Fatalf("payload %d cut=%v, response %q cut=%v", len(r.Payload), r.PayloadCut, r.Response, r.ResponseCut)
	}
}

func TestLog_retentionDropsTheOldest(t *testing.T) {
	l := newLog(t)
	l.retention = 1500
	for i := 0; i < 3000; i++ {
		if err := l.Append(&Record{FunctionName: "f"}); err != nil {
			t.Fatal(err)
		}
	}
	all, _ := l.List(Query{Limit: 10000})
	if len(all) > 1500+1000 || len(all) < 1500 {
		t.Fatalf("kept %d records with retention 1500", len(all))
	}
	if all[len(all)-1].Seq != 3000 {
		t.Fatalf("newest record is %d, want 3000", all[len(all)-1].Seq)
	}
}

func TestLog_closeCommitsWhatIsQueuedAndRefusesMore(t *testing.T) {
	dir := t.TempDir()
	st, err := store.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	l := New(st)
	for i := 0; i < 100; i++ {
		l.Append(&Record{FunctionName: "f"})
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	if err := l.Append(&Record{}); err == nil {
		t.Fatal("Append after Close succeeded")
	}
	st.Close()

	st, err = store.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	l = New(st)
	defer l.Close()
	recs, _ := l.List(Query{})
	if len(recs) != 100 {
		t.Fatalf("%d records survived Close and reopen, want 100", len(recs))
	}
}
