package dynamodb

import (
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// BenchmarkPutItemWithStream measures acknowledged PutItems on a table with a NEW_AND_OLD_IMAGES
// stream, over HTTP with the real SDK client, on the durable store (an fsync per group commit)
// and on the temporary one (no fsync), with one client and with 8 concurrent clients.
func BenchmarkPutItemWithStream(b *testing.B) {
	for _, durable := range []bool{true, false} {
		for _, clients := range []int{1, 8} {
			name := fmt.Sprintf("store=temp/clients=%d", clients)
			if durable {
				name = fmt.Sprintf("store=durable/clients=%d", clients)
			}
			b.Run(name, func(b *testing.B) {
				dir := ""
				if durable {
					dir = b.TempDir()
				}
				h := newHarness(b, dir)
				h.createTable("bench", "", types.StreamViewTypeNewAndOldImages)
				var seq atomic.Int64
				b.SetParallelism(clients)
				b.ReportAllocs()
				b.ResetTimer()
				b.RunParallel(func(pb *testing.PB) {
					for pb.Next() {
						i := seq.Add(1)
						_, err := h.db.PutItem(ctx(), &dynamodb.PutItemInput{TableName: aws.String("bench"), Item: map[string]types.AttributeValue{
							"pk": s(fmt.Sprint("item-", i%1000)), "n": n(fmt.Sprint(i)), "payload": s("0123456789abcdef0123456789abcdef"),
						}})
						if err != nil {
							b.Error(err)
							return
						}
					}
				})
				b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "puts/s")
			})
		}
	}
}
