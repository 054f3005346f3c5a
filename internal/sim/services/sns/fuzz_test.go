package sns

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/clock"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
)

// snapshotBodies are request bodies from the aws-sdk-go-v2 sns module's request_snapshot/*.snap
// (v1.48.0), the seeds of the decoder fuzz targets.
var snapshotBodies = []string{
	"Action=CreateTopic&Attributes.entry.1.key=key0&Attributes.entry.1.value=__Value__&DataProtectionPolicy=__DataProtectionPolicy__&Name=__Name__&Tags.member.1.Key=__Key__&Tags.member.1.Value=__Value__&Tags.member.2.Key=__Key__&Tags.member.2.Value=__Value__&Version=2010-03-31",
	"Action=Publish&Message=__Message__&MessageAttributes.entry.1.Name=key0&MessageAttributes.entry.1.Value.BinaryValue=YmxvYg%3D%3D&MessageAttributes.entry.1.Value.DataType=__DataType__&MessageAttributes.entry.1.Value.StringValue=__StringValue__&MessageDeduplicationId=__MessageDeduplicationId__&MessageGroupId=__MessageGroupId__&MessageStructure=__MessageStructure__&PhoneNumber=__PhoneNumber__&Subject=__Subject__&TargetArn=__TargetArn__&TopicArn=__TopicArn__&Version=2010-03-31",
	"Action=PublishBatch&PublishBatchRequestEntries.member.1.Id=__Id__&PublishBatchRequestEntries.member.1.Message=__Message__&PublishBatchRequestEntries.member.1.MessageAttributes.entry.1.Name=key0&PublishBatchRequestEntries.member.1.MessageAttributes.entry.1.Value.BinaryValue=YmxvYg%3D%3D&PublishBatchRequestEntries.member.1.MessageAttributes.entry.1.Value.DataType=__DataType__&PublishBatchRequestEntries.member.1.MessageAttributes.entry.1.Value.StringValue=__StringValue__&PublishBatchRequestEntries.member.1.MessageDeduplicationId=__MessageDeduplicationId__&PublishBatchRequestEntries.member.1.MessageGroupId=__MessageGroupId__&PublishBatchRequestEntries.member.1.MessageStructure=__MessageStructure__&PublishBatchRequestEntries.member.1.Subject=__Subject__&PublishBatchRequestEntries.member.2.Id=__Id__&PublishBatchRequestEntries.member.2.Message=__Message__&TopicArn=__TopicArn__&Version=2010-03-31",
	"Action=Subscribe&Attributes.entry.1.key=key0&Attributes.entry.1.value=__Value__&Endpoint=__Endpoint__&Protocol=__Protocol__&ReturnSubscriptionArn=true&TopicArn=__TopicArn__&Version=2010-03-31",
	"Action=SetSubscriptionAttributes&AttributeName=__AttributeName__&AttributeValue=__AttributeValue__&SubscriptionArn=__SubscriptionArn__&Version=2010-03-31",
	"Action=TagResource&ResourceArn=__ResourceArn__&Tags.member.1.Key=__Key__&Tags.member.1.Value=__Value__&Tags.member.2.Key=__Key__&Tags.member.2.Value=__Value__&Version=2010-03-31",
	"Action=ListTopics&NextToken=__NextToken__&Version=2010-03-31",
	"Action=ConfirmSubscription&AuthenticateOnUnsubscribe=__AuthenticateOnUnsubscribe__&Token=__Token__&TopicArn=__TopicArn__&Version=2010-03-31",
	"Action=UntagResource&ResourceArn=__ResourceArn__&TagKeys.member.1=__member__&TagKeys.member.2=__member__&Version=2010-03-31",
	// Realistic values, so the fuzzer starts from requests that get past validation.
	"Action=CreateTopic&Name=t.fifo&Attributes.entry.1.key=FifoTopic&Attributes.entry.1.value=true&Version=2010-03-31",
	"Action=Subscribe&TopicArn=arn%3Aaws%3Asns%3Aus-east-1%3A000000000000%3At&Protocol=sqs&Endpoint=arn%3Aaws%3Asqs%3Aus-east-1%3A000000000000%3Aq&Attributes.entry.1.key=FilterPolicy&Attributes.entry.1.value=%7B%22a%22%3A%5B%22b%22%5D%7D&Version=2010-03-31",
	"Action=Publish&TopicArn=arn%3Aaws%3Asns%3Aus-east-1%3A000000000000%3At&Message=hi&MessageAttributes.entry.1.Name=a&MessageAttributes.entry.1.Value.DataType=String.Array&MessageAttributes.entry.1.Value.StringValue=%5B1%2C%22x%22%5D&Version=2010-03-31",
}

// FuzzDecoders feeds arbitrary forms to every request decoder and to the validation that follows
// decoding; none may panic.
func FuzzDecoders(f *testing.F) {
	for _, b := range snapshotBodies {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, body string) {
		form, err := url.ParseQuery(body)
		if err != nil {
			return
		}
		decodeCreateTopic(form)
		decodeDeleteTopic(form)
		decodeListTopics(form)
		decodeGetTopicAttributes(form)
		decodeSetTopicAttributes(form)
		if in, e := decodeSubscribe(form); e == nil {
			checkEndpoint(in.Protocol, in.Endpoint)
			sub := &subscription{Protocol: in.Protocol, TopicARN: in.TopicARN, Attributes: map[string]string{}}
			for k, v := range in.Attributes {
				validateSubscriptionAttribute(sub, k, v)
			}
		}
		decodeConfirmSubscription(form)
		decodeUnsubscribe(form)
		decodeListSubscriptions(form)
		decodeListSubscriptionsByTopic(form)
		decodeGetSubscriptionAttributes(form)
		decodeSetSubscriptionAttributes(form)
		if in, e := decodePublish(form); e == nil {
			publishTarget(in)
			entry := publishEntry{Message: in.Message, Subject: in.Subject, HasSubject: in.HasSubject, MessageStructure: in.MessageStructure,
				MessageAttributes: in.MessageAttributes, MessageGroupID: in.MessageGroupID, MessageDeduplicationID: in.MessageDeduplicationID}
			if validateEntry(&entry) == nil {
				m := &message{Body: in.Message, Structure: in.MessageStructure, Attrs: in.MessageAttributes}
				messageFor(m, "sqs")
				attributesForFilter(in.MessageAttributes)
				attributesJSON(in.MessageAttributes)
			}
		}
		decodePublishBatch(form)
		decodeTagResource(form)
		decodeUntagResource(form)
		decodeListTagsForResource(form)
	})
}

// FuzzServeHTTP sends arbitrary form bodies through the whole service: the answer is always an
// XML document with a 2xx or 4xx status, never a 5xx or a panic.
func FuzzServeHTTP(f *testing.F) {
	for _, b := range snapshotBodies {
		f.Add(b)
	}
	st, err := store.OpenTemp()
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { st.Close() })
	svc, err := New(Config{Store: st, Clock: clock.NewManual(testStart), Logger: testLogger()})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { svc.Close() })
	// Fuzzed subscriptions may name loopback ports of other programs: send them nothing.
	svc.http = &http.Client{Transport: refuseTransport{}}
	handler := awswire.WithRequestID(svc)
	f.Fuzz(func(t *testing.T, body string) {
		req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		rec := httptest.NewRecorder()
		handler.ServeHTTP(rec, req)
		if rec.Code >= 500 || !strings.HasPrefix(rec.Body.String(), "<?xml") {
			t.Fatalf("%q -> %d %s", body, rec.Code, rec.Body.String())
		}
	})
}

// FuzzQuoteJSON: envelope strings are valid JSON that decode to the original text.
func FuzzQuoteJSON(f *testing.F) {
	for _, s := range []string{"", "plain", "quote \" backslash \\ newline \n tab \t", "\x00\x1f\x7f", "<a&b>/é€😀", "\u2028"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return
		}
		var back string
		if err := json.Unmarshal([]byte(quoteJSON(s)), &back); err != nil || back != s {
			t.Fatalf("quoteJSON(%q) = %s: %v, decoded %q", s, quoteJSON(s), err, back)
		}
	})
}

type refuseTransport struct{}

func (refuseTransport) RoundTrip(*http.Request) (*http.Response, error) {
	return nil, errors.New("the fuzz target sends no HTTP requests")
}
