package deliver

import (
	"context"
	"errors"
	"testing"
)

type recorder struct{ got []Message }

func (r *recorder) Receive(_ context.Context, m Message) error {
	r.got = append(r.got, m)
	return nil
}

func TestBus_routesByTheARNsService(t *testing.T) {
	b := NewBus()
	q, fn := &recorder{}, &recorder{}
	b.Register("sqs", q)
	b.Register("lambda", fn)
	ctx := context.Background()
	if err := b.Deliver(ctx, Message{TargetARN: "arn:aws:sqs:us-east-1:000000000000:q", Body: []byte("1")}); err != nil {
		t.Fatal(err)
	}
	if err := b.Deliver(ctx, Message{TargetARN: "arn:aws:lambda:us-east-1:000000000000:function:f:1", Body: []byte("2")}); err != nil {
		t.Fatal(err)
	}
	if len(q.got) != 1 || string(q.got[0].Body) != "1" || len(fn.got) != 1 || string(fn.got[0].Body) != "2" {
		t.Fatalf("sqs got %v, lambda got %v", q.got, fn.got)
	}
	for _, arn := range []string{"arn:aws:kinesis:us-east-1:000000000000:stream/s", "not-an-arn", ""} {
		if err := b.Deliver(ctx, Message{TargetARN: arn}); !errors.Is(err, ErrNoTarget) {
			t.Errorf("Deliver to %q = %v, want ErrNoTarget", arn, err)
		}
	}
}
