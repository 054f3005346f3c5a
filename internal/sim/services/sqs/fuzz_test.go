package sqs

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
)

// Seeds from sqs@v1.53.0 request_snapshot/*.request.snap (the SDK's exact request bodies), with
// the placeholders pointed at a queue that exists.
var jsonSeeds = map[string]string{
	"CreateQueue":                  `{"Attributes":{"key0":"__Value__"},"QueueName":"__QueueName__","tags":{"key0":"__Value__"}}`,
	"GetQueueUrl":                  `{"QueueName":"__QueueName__","QueueOwnerAWSAccountId":"__QueueOwnerAWSAccountId__"}`,
	"ListQueues":                   `{"MaxResults":1,"NextToken":"__NextToken__","QueueNamePrefix":"__QueueNamePrefix__"}`,
	"GetQueueAttributes":           `{"AttributeNames":["All","All"],"QueueUrl":"http://h/000000000000/fuzz"}`,
	"SetQueueAttributes":           `{"Attributes":{"key0":"__Value__"},"QueueUrl":"http://h/000000000000/fuzz"}`,
	"SendMessage":                  `{"DelaySeconds":1,"MessageAttributes":{"key0":{"BinaryListValues":["YmxvYg==","YmxvYg=="],"BinaryValue":"YmxvYg==","DataType":"__DataType__","StringListValues":["__Member__","__Member__"],"StringValue":"__StringValue__"}},"MessageBody":"__MessageBody__","MessageDeduplicationId":"__MessageDeduplicationId__","MessageGroupId":"__MessageGroupId__","MessageSystemAttributes":{"key0":{"BinaryListValues":["YmxvYg==","YmxvYg=="],"BinaryValue":"YmxvYg==","DataType":"__DataType__","StringListValues":["__Member__","__Member__"],"StringValue":"__StringValue__"}},"QueueUrl":"http://h/000000000000/fuzz"}`,
	"SendMessageBatch":             `{"Entries":[{"DelaySeconds":1,"Id":"__Id__","MessageBody":"__MessageBody__","MessageGroupId":"__MessageGroupId__"},{"Id":"b","MessageBody":"x"}],"QueueUrl":"http://h/000000000000/fuzz"}`,
	"ReceiveMessage":               `{"AttributeNames":["All","All"],"MaxNumberOfMessages":1,"MessageAttributeNames":["__Member__","__Member__"],"MessageSystemAttributeNames":["All","All"],"QueueUrl":"http://h/000000000000/fuzz","ReceiveRequestAttemptId":"__ReceiveRequestAttemptId__","VisibilityTimeout":1,"WaitTimeSeconds":1}`,
	"DeleteMessage":                `{"QueueUrl":"http://h/000000000000/fuzz","ReceiptHandle":"__ReceiptHandle__"}`,
	"DeleteMessageBatch":           `{"Entries":[{"Id":"__Id__","ReceiptHandle":"__ReceiptHandle__"},{"Id":"__Id__","ReceiptHandle":"__ReceiptHandle__"}],"QueueUrl":"http://h/000000000000/fuzz"}`,
	"ChangeMessageVisibility":      `{"QueueUrl":"http://h/000000000000/fuzz","ReceiptHandle":"__ReceiptHandle__","VisibilityTimeout":1}`,
	"ChangeMessageVisibilityBatch": `{"Entries":[{"Id":"__Id__","ReceiptHandle":"__ReceiptHandle__","VisibilityTimeout":1}],"QueueUrl":"http://h/000000000000/fuzz"}`,
	"TagQueue":                     `{"QueueUrl":"http://h/000000000000/fuzz","Tags":{"key0":"__Value__"}}`,
	"UntagQueue":                   `{"QueueUrl":"http://h/000000000000/fuzz","TagKeys":["__Member__","__Member__"]}`,
	"ListQueueTags":                `{"QueueUrl":"http://h/000000000000/fuzz"}`,
	"ListDeadLetterSourceQueues":   `{"MaxResults":1,"NextToken":"__NextToken__","QueueUrl":"http://h/000000000000/fuzz"}`,
	"PurgeQueue":                   `{"QueueUrl":"http://h/000000000000/fuzz"}`,
	"DeleteQueue":                  `{"QueueUrl":"http://h/000000000000/other"}`,
}

// fuzzServe sends one request to a service with queues "fuzz" and "fuzz.fifo" and checks that it
// answers in AWS's shape and never fails inside.
func fuzzServe(t *testing.T, e *env, req *http.Request) {
	c, cancel := context.WithTimeout(req.Context(), 50*time.Millisecond) // long polls end
	defer cancel()
	rec := httptest.NewRecorder()
	awswire.WithRequestID(e.svc).ServeHTTP(rec, req.WithContext(c))
	if rec.Code >= 500 {
		t.Fatalf("%s answered %d: %s", req.Header.Get("X-Amz-Target"), rec.Code, rec.Body.String())
	}
	if rec.Code == 200 && rec.Body.Len() == 0 {
		t.Fatal("empty 200 answer")
	}
}

func fuzzEnv(t *testing.T) *env {
	e := newEnv(t, envOptions{})
	e.createQueue("fuzz", nil)
	e.createQueue("other", nil)
	e.createQueue("fuzz.fifo", map[string]string{"FifoQueue": "true"})
	e.send(e.srv.URL+"/000000000000/fuzz", "seed")
	return e
}

func FuzzJSONRequests(f *testing.F) {
	for op, body := range jsonSeeds {
		f.Add(op, body)
		f.Add(op, strings.ReplaceAll(body, "/fuzz", "/fuzz.fifo"))
	}
	f.Fuzz(func(t *testing.T, op, body string) {
		e := fuzzEnv(t)
		req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
		req.Header.Set("X-Amz-Target", "AmazonSQS."+op)
		req.Header.Set("Content-Type", "application/x-amz-json-1.0")
		fuzzServe(t, e, req)
	})
}

func FuzzQueryRequests(f *testing.F) {
	seeds := []string{
		"Action=CreateQueue&QueueName=q&Attribute.1.Name=VisibilityTimeout&Attribute.1.Value=10&Tag.1.Key=k&Tag.1.Value=v",
		"Action=SendMessage&QueueUrl=http://h/000000000000/fuzz&MessageBody=x&MessageAttribute.1.Name=a&MessageAttribute.1.Value.DataType=Binary&MessageAttribute.1.Value.BinaryValue=AQID",
		"Action=SendMessageBatch&QueueUrl=http://h/000000000000/fuzz.fifo&SendMessageBatchRequestEntry.1.Id=a&SendMessageBatchRequestEntry.1.MessageBody=x&SendMessageBatchRequestEntry.1.MessageGroupId=g&SendMessageBatchRequestEntry.1.MessageDeduplicationId=d",
		"Action=ReceiveMessage&QueueUrl=http://h/000000000000/fuzz&AttributeName.1=All&MessageAttributeName.1=All&MaxNumberOfMessages=10&WaitTimeSeconds=1",
		"Action=DeleteMessageBatch&QueueUrl=http://h/000000000000/fuzz&DeleteMessageBatchRequestEntry.1.Id=a&DeleteMessageBatchRequestEntry.1.ReceiptHandle=x",
		"Action=ChangeMessageVisibilityBatch&QueueUrl=http://h/000000000000/fuzz&ChangeMessageVisibilityBatchRequestEntry.1.Id=a&ChangeMessageVisibilityBatchRequestEntry.1.ReceiptHandle=x&ChangeMessageVisibilityBatchRequestEntry.1.VisibilityTimeout=3",
		"Action=GetQueueAttributes&AttributeName.1=All",
		"Action=TagQueue&QueueUrl=http://h/000000000000/fuzz&Tags.1.Key=a&Tags.1.Value=b",
		"Action=UntagQueue&QueueUrl=http://h/000000000000/fuzz&TagKey.1=a",
		"Action=ListQueues&MaxResults=1&NextToken=zz",
	}
	for _, s := range seeds {
		f.Add("/", s)
		f.Add("/000000000000/fuzz", s)
	}
	f.Fuzz(func(t *testing.T, path, body string) {
		u := &url.URL{Scheme: "http", Host: "sim", Path: "/" + strings.TrimPrefix(path, "/")}
		req, err := http.NewRequest(http.MethodPost, u.String(), strings.NewReader(body+"&Version=2012-11-05"))
		if err != nil {
			return
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		fuzzServe(t, fuzzEnv(t), req)
	})
}

// The decoders on their own are cheap enough for many more inputs.
func FuzzQueryDecoders(f *testing.F) {
	f.Add("SendMessageBatchRequestEntry.1.Id=a&SendMessageBatchRequestEntry.1.MessageAttribute.1.Name=n&SendMessageBatchRequestEntry.1.MessageAttribute.1.Value.StringListValue.1=x")
	f.Add("MessageAttribute.1.Name=a&MessageAttribute.1.Value.BinaryValue=%%%&MaxNumberOfMessages=99999999999")
	f.Add("Attribute.0.Name=x&Attribute.-1.Value=y&Tag.1.Key=k&TagKey.1=k")
	f.Fuzz(func(t *testing.T, raw string) {
		form, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		_, _ = decodeCreateQueue(form)
		_, _ = decodeListQueues(form)
		_, _ = decodeSendMessage(form)
		_, _ = decodeSendMessageBatch(form)
		_, _ = decodeReceiveMessage(form)
		_, _ = decodeDeleteMessageBatch(form)
		_, _ = decodeChangeMessageVisibility(form)
		_, _ = decodeChangeMessageVisibilityBatch(form)
		_, _ = decodeTagQueue(form)
		_, _ = decodeUntagQueue(form)
		_, _ = decodeSetQueueAttributes(form)
		_, _ = decodeGetQueueAttributes(form)
	})
}

func FuzzReceiptHandle(f *testing.F) {
	f.Add(encodeHandle(receipt{queueID: "0123456789abcdef", seq: 7, tok: 99}))
	f.Add("AQEBzbVv")
	f.Add("bHQxOjo6Og==")
	f.Fuzz(func(t *testing.T, h string) {
		r, ok := decodeHandle(h)
		if !ok {
			return
		}
		back, ok := decodeHandle(encodeHandle(r))
		if !ok || back != r {
			t.Fatalf("%q: decoded %+v, re-encoded to %+v", h, r, back)
		}
	})
}

func FuzzQueueURL(f *testing.F) {
	f.Add("http://127.0.0.1:4566/000000000000/q")
	f.Add("https://sqs.us-east-1.amazonaws.com/123456789012/q.fifo")
	f.Add("/000000000000/q")
	f.Add("http://[::1/x")
	f.Fuzz(func(t *testing.T, raw string) {
		account, name, ok := parseQueueURL(raw)
		if ok && (!validAccountID(account) || name == "" || strings.Contains(name, "/")) {
			t.Fatalf("%q parsed to %q %q", raw, account, name)
		}
	})
}
