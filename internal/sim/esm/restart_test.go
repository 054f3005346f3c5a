package esm_test

import (
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
