package invlog

import (
	"testing"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
)

func TestAnnotate(t *testing.T) {
	st, err := store.OpenTemp()
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	l := New(st)
	defer l.Close()
	l.Append(&Record{RequestID: "r", Attempt: 1})
	if err := l.Annotate("r", 1, "function error: Unhandled", ""); err != nil {
		t.Fatal(err)
	}
	l.Flush()
	l.Append(&Record{RequestID: "r", Attempt: 2})
	l.Flush()
	if err := l.Annotate("r", 2, "", "sqs:arn"); err != nil {
		t.Fatal(err)
	}
	recs, _ := l.List(Query{RequestID: "r"})
	if len(recs) != 2 || recs[0].RetryReason != "function error: Unhandled" || recs[1].Destination != "sqs:arn" {
		t.Fatalf("%+v", recs)
	}
	if err := l.Annotate("r", 3, "x", ""); err == nil {
		t.Fatal("no error for a missing record")
	}
}
