package s3

import (
	"encoding/xml"
	"reflect"
	"testing"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
)

// FuzzNotificationConfiguration feeds arbitrary documents to PutBucketNotificationConfiguration's
// decoder and validator. Whatever is accepted must render (as GetBucketNotificationConfiguration
// answers) to a document that decodes and validates to the same configuration.
func FuzzNotificationConfiguration(f *testing.F) {
	// The SDK's request snapshot (request_snapshot/PutBucketNotificationConfiguration.request.snap)
	// with its placeholders made valid, and the shapes the CLI and Terraform send.
	f.Add(`<NotificationConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><EventBridgeConfiguration></EventBridgeConfiguration>` +
		`<CloudFunctionConfiguration><Event>s3:ReducedRedundancyLostObject</Event><Filter><S3Key><FilterRule><Name>prefix</Name><Value>a/</Value></FilterRule></S3Key></Filter>` +
		`<Id>fn</Id><CloudFunction>arn:aws:lambda:us-east-1:123456789012:function:f</CloudFunction></CloudFunctionConfiguration>` +
		`<QueueConfiguration><Event>s3:ObjectCreated:*</Event><Id>q</Id><Queue>arn:aws:sqs:us-east-1:123456789012:q</Queue></QueueConfiguration>` +
		`<TopicConfiguration><Event>s3:ObjectRemoved:*</Event><Filter><S3Key><FilterRule><Name>suffix</Name><Value>.log</Value></FilterRule></S3Key></Filter>` +
		`<Id>t</Id><Topic>arn:aws:sns:us-east-1:123456789012:t</Topic></TopicConfiguration></NotificationConfiguration>`)
	f.Add(`<NotificationConfiguration/>`)
	f.Add(`<NotificationConfiguration><QueueConfiguration><Queue>arn:aws:sqs:us-east-1:1:q</Queue><Event>s3:ObjectCreated:Put</Event>` +
		`<Filter><S3Key><FilterRule><Name>Prefix</Name><Value>x</Value></FilterRule><FilterRule><Name>Suffix</Name><Value>y</Value></FilterRule></S3Key></Filter></QueueConfiguration>` +
		`<QueueConfiguration><Queue>arn:aws:sqs:us-east-1:1:q</Queue><Event>s3:ObjectCreated:Put</Event><Filter><S3Key><FilterRule><Name>prefix</Name><Value>z</Value></FilterRule></S3Key></Filter></QueueConfiguration></NotificationConfiguration>`)
	f.Add(`<NotificationConfiguration><CloudFunctionConfiguration><CloudFunction>arn:aws:lambda:r:1:function:f:live</CloudFunction><Event>s3:ObjectRemoved:Delete</Event><Event>s3:ObjectCreated:Copy</Event></CloudFunctionConfiguration></NotificationConfiguration>`)
	f.Fuzz(func(t *testing.T, doc string) {
		var in NotificationConfiguration
		if err := awswire.DecodeXML([]byte(doc), &in); err != nil {
			return
		}
		conf, e := validateNotification(&in)
		if e != nil {
			if e.Status != 400 {
				t.Fatalf("status %d for a bad document", e.Status)
			}
			return
		}
		out, err := xml.Marshal(conf.document())
		if err != nil {
			t.Fatal(err)
		}
		var back NotificationConfiguration
		if err := awswire.DecodeXML(out, &back); err != nil {
			t.Fatalf("rendered document does not decode: %v\n%s", err, out)
		}
		again, e := validateNotification(&back)
		if e != nil {
			t.Fatalf("rendered document is refused: %v\n%s", e, out)
		}
		// Rendering groups configurations by kind; compare kind by kind.
		if !reflect.DeepEqual(byKind(conf), byKind(again)) || conf.EventBridge != again.EventBridge {
			t.Fatalf("round trip changed the configuration\n%+v\n%+v", conf, again)
		}
	})
}

func byKind(c *notificationConfig) map[string][]destination {
	out := map[string][]destination{}
	for _, d := range c.Destinations {
		out[d.Kind] = append(out[d.Kind], d)
	}
	return out
}
