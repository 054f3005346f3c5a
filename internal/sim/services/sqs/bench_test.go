package sqs

import (
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awssqs "github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
)

// Benchmarks over the wire with the real SDK client, against the durable store (fsync on every
// commit, store.Open on a temporary directory) and the in-memory one (store.OpenTemp, no fsync).
// Requests run in parallel (8 per core) so that concurrent commits can be grouped. Report with:
//
//	go test -run '^$' -bench . -benchtime 2000x ./internal/sim/services/sqs/
//
// msgs/s counts messages, so batch and single sends compare directly.

func benchEnv(b *testing.B, durable bool) *env {
	var st *store.Store
	var err error
	if durable {
		st, err = store.Open(b.TempDir())
	} else {
		st, err = store.OpenTemp()
	}
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	return newEnv(b, envOptions{store: st})
}

var benchStores = []struct {
	name    string
	durable bool
}{{"durable", true}, {"memory", false}}

func batchEntries(n int, body string) []sqstypes.SendMessageBatchRequestEntry {
	entries := make([]sqstypes.SendMessageBatchRequestEntry, n)
	for i := range entries {
		entries[i] = sqstypes.SendMessageBatchRequestEntry{Id: aws.String(fmt.Sprint("e", i)), MessageBody: aws.String(body)}
	}
	return entries
}

func BenchmarkSendMessage(b *testing.B) {
	body := fmt.Sprintf("%0256d", 0) // 256 bytes
	for _, st := range benchStores {
		for _, batch := range []int{1, 10} {
			b.Run(fmt.Sprintf("%s/batch=%d", st.name, batch), func(b *testing.B) {
				e := benchEnv(b, st.durable)
				url := aws.String(e.createQueue("bench", nil))
				entries := batchEntries(batch, body)
				b.SetParallelism(8)
				b.ResetTimer()
				b.RunParallel(func(pb *testing.PB) {
					for pb.Next() {
						var err error
						if batch == 1 {
							_, err = e.client.SendMessage(ctx(b), &awssqs.SendMessageInput{QueueUrl: url, MessageBody: aws.String(body)})
						} else {
							_, err = e.client.SendMessageBatch(ctx(b), &awssqs.SendMessageBatchInput{QueueUrl: url, Entries: entries})
						}
						if err != nil {
							b.Error(err)
							return
						}
					}
				})
				b.ReportMetric(float64(b.N*batch)/b.Elapsed().Seconds(), "msgs/s")
			})
		}
	}
}

// BenchmarkReceiveDelete receives and deletes messages sent before the timer started: one
// ReceiveMessage and one DeleteMessage per message (batch=1), or up to 10 messages per
// ReceiveMessage and one DeleteMessageBatch (batch=10).
func BenchmarkReceiveDelete(b *testing.B) {
	body := fmt.Sprintf("%0256d", 0)
	for _, st := range benchStores {
		for _, batch := range []int{1, 10} {
			b.Run(fmt.Sprintf("%s/batch=%d", st.name, batch), func(b *testing.B) {
				e := benchEnv(b, st.durable)
				url := aws.String(e.createQueue("bench", nil))
				total := b.N * batch
				for sent := 0; sent < total; sent += 10 {
					if _, err := e.client.SendMessageBatch(ctx(b), &awssqs.SendMessageBatchInput{QueueUrl: url, Entries: batchEntries(min(10, total-sent), body)}); err != nil {
						b.Fatal(err)
					}
				}
				var received atomic.Int64
				b.SetParallelism(8)
				b.ResetTimer()
				b.RunParallel(func(pb *testing.PB) {
					for pb.Next() {
						out, err := e.client.ReceiveMessage(ctx(b), &awssqs.ReceiveMessageInput{QueueUrl: url, MaxNumberOfMessages: int32(batch)})
						if err != nil {
							b.Error(err)
							return
						}
						received.Add(int64(len(out.Messages)))
						switch {
						case len(out.Messages) == 0:
						case batch == 1:
							_, err = e.client.DeleteMessage(ctx(b), &awssqs.DeleteMessageInput{QueueUrl: url, ReceiptHandle: out.Messages[0].ReceiptHandle})
						default:
							entries := make([]sqstypes.DeleteMessageBatchRequestEntry, len(out.Messages))
							for i, m := range out.Messages {
								entries[i] = sqstypes.DeleteMessageBatchRequestEntry{Id: aws.String(fmt.Sprint("d", i)), ReceiptHandle: m.ReceiptHandle}
							}
							_, err = e.client.DeleteMessageBatch(ctx(b), &awssqs.DeleteMessageBatchInput{QueueUrl: url, Entries: entries})
						}
						if err != nil {
							b.Error(err)
							return
						}
					}
				})
				b.ReportMetric(float64(received.Load())/b.Elapsed().Seconds(), "msgs/s")
			})
		}
	}
}
