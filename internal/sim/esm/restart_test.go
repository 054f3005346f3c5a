package esm_test

import (
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/esm"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
	"time"

	lambdatypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	lambdasdk "github.com/aws/aws-sdk-go-v2/service/lambda"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/testfn"
)

func TestRestart_mappingsResumeAndNoMessageIsLost(t *testing.T) {
	dir := t.TempDir()
	h := start(t, dir)
	h.createFunction(t, "fn", testfn.ESMBatch)
	url, arn := h.createQueue(t, "q", map[string]string{"VisibilityTimeout": "30"})
	_, arn2 := h.createQueue(t, "q2", nil)
	m := h.mapping(t, &lambdasdk.CreateEventSourceMappingInput{EventSourceArn: aws.String(arn), FunctionName: aws.String("fn"), BatchSize: aws.Int32(5)})
	h.send(t, url, `{"n":1}`)
	h.waitLogged(t, "sqs:"+arn, 1)
	h.waitCounts(t, url, 0, 0)
	// One mapping is still Creating when the simulator stops.
	creating, err := h.lc.CreateEventSourceMapping(ctx, &lambdasdk.CreateEventSourceMappingInput{EventSourceArn: aws.String(arn2), FunctionName: aws.String("fn")})
	if err != nil {
		t.Fatal(err)
	}
	h.close()

	h = start(t, dir)
	h.waitState(t, *creating.UUID, "Enabled")
	g := h.waitState(t, *m.UUID, "Enabled")
	if *g.BatchSize != 5 {
		t.Fatalf("after restart: %+v", g)
	}
	h.send(t, url, `{"n":2}`)
	got := h.waitBatches(t, arn, 1)
	if bodies(got)[0] != `{"n":2}` {
		t.Fatalf("after restart the function got %q", bodies(got))
	}
	h.waitCounts(t, url, 0, 0)
}

func TestRestart_kinesisResumesFromCheckpoint(t *testing.T) {
	dir := t.TempDir()
	h := start(t, dir)
	h.createFunction(t, "fn", testfn.ESMBatch)
	arn := h.stream(t, "s")
	seqs := h.put(t, "s", `{"n":1}`, `{"n":2}`)
	m := h.mapping(t, &lambdasdk.CreateEventSourceMappingInput{EventSourceArn: aws.String(arn), FunctionName: aws.String("fn"),
		StartingPosition: lambdatypes.EventSourcePositionTrimHorizon})
	h.advanceUntil(t, "the first batch", func() bool { return len(h.kinesisBatches(t, arn)) >= 1 })
	h.waitLogged(t, "kinesis:"+arn, 1)
	// The checkpoint is written after the invocation returns.
	deadline := time.Now().Add(waitFor)
	for {
		var cp struct {
			Seq string `json:"seq"`
		}
		h.st.View(func(tx *store.Tx) error { return tx.Get(esm.CheckpointBucket, *m.UUID+"/shardId-000000000000", &cp) })
		if cp.Seq == seqs[1] {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("checkpoint %q, want %q", cp.Seq, seqs[1])
		}
		time.Sleep(2 * time.Millisecond)
	}
	h.close()

	h = start(t, dir)
	h.put(t, "s", `{"n":3}`)
	h.advanceUntil(t, "the batch after the restart", func() bool { return len(h.kinesisBatches(t, arn)) >= 1 })
	if d := kinesisData(h.kinesisBatches(t, arn)); d[0] != `{"n":3}` {
		t.Fatalf("after restart the function got %q, want only the new record", d)
	}
}
