package s3

import (
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awss3 "github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/clock"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
)

// TestS3_restart: buckets, objects, configurations and a notification still waiting for its
// receiver survive a restart, and the notification is delivered by the new run's worker when its
// retry comes due.
func TestS3_restart(t *testing.T) {
	dir := t.TempDir()
	clk := clock.NewManual(testStart)
	st, err := store.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, withStore(st), withClock(clk))
	mustCreateBucket(t, e.client, "durable")
	e.putNotification(t, "durable", `<QueueConfiguration><Id>q</Id><Queue>`+queueARN+`</Queue><Event>s3:ObjectCreated:*</Event></QueueConfiguration>`)
	e.recorder("sqs").set(func(r *recorder) { r.failNext = 1 << 30 })
	if _, err := e.client.PutObject(ctx(), &awss3.PutObjectInput{Bucket: aws.String("durable"), Key: aws.String("kept.txt"), Body: strings.NewReader("still here")}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the first retry timer", func() bool { return clk.Pending() == 1 })
	e.srv.Close()
	if err := e.svc.Close(); err != nil {
		t.Fatal(err)
	}
	if clk.Pending() != 0 {
		t.Fatal("Close left a timer behind")
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}

	st2, err := store.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer st2.Close()
	e2 := newEnv(t, withStore(st2), withClock(clk))
	if got, _ := getBody(t, e2.client, "durable", "kept.txt"); got != "still here" {
		t.Fatalf("object after restart: %q", got)
	}
	conf, err := e2.client.GetBucketNotificationConfiguration(ctx(), &awss3.GetBucketNotificationConfigurationInput{Bucket: aws.String("durable")})
	if err != nil || len(conf.QueueConfigurations) != 1 || aws.ToString(conf.QueueConfigurations[0].Id) != "q" {
		t.Fatalf("configuration after restart: %v %+v", err, conf)
	}
	// The resumed worker waits for the entry's retry time (1 s after the failure) on the clock.
	waitFor(t, "the resumed worker's timer", func() bool { return clk.Pending() == 1 })
	if len(e2.recorder("sqs").objectEvents()) != 0 {
		t.Fatal("delivered before its retry time")
	}
	clk.Advance(time.Second)
	waitFor(t, "the resumed delivery", func() bool { return len(e2.recorder("sqs").objectEvents()) == 1 })
	rec := decodeEvent(t, e2.recorder("sqs").objectEvents()[0])
	if rec.S3.Object.Key != "kept.txt" || rec.S3.ConfigurationID != "q" || rec.EventName != "ObjectCreated:Put" {
		t.Fatalf("event %+v", rec)
	}
	waitFor(t, "an empty outbox", func() bool { return e2.outboxLen() == 0 })
}
