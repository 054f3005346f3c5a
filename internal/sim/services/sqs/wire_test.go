package sqs

import (
	"encoding/base64"
	"encoding/json"
	"encoding/xml"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// post sends a raw request and answers status, headers and body.
func post(t *testing.T, target, contentType string, header map[string]string, body string) (int, http.Header, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, target, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", contentType)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, data
}

func postJSON(t *testing.T, e *env, op, body string) (int, http.Header, map[string]any) {
	t.Helper()
	status, h, data := post(t, e.srv.URL+"/", "application/x-amz-json-1.0",
		map[string]string{"X-Amz-Target": "AmazonSQS." + op, "X-Amzn-Query-Mode": "true"}, body)
	var out map[string]any
	if err := json.Unmarshal(data, &out); err != nil {
		t.Fatalf("%s answered non-JSON %q", op, data)
	}
	return status, h, out
}

// The JSON error shape as AWS documents it (sqs-json-api-responses): __type with the namespace,
// "message", and x-amzn-query-error "<query code>;Sender".
func TestSQS_jsonErrorShape(t *testing.T) {
	e := newEnv(t, envOptions{})
	status, h, out := postJSON(t, e, "GetQueueUrl", `{"QueueName":"nope"}`)
	if status != 400 || out["__type"] != "com.amazonaws.sqs#QueueDoesNotExist" || out["message"] != "The specified queue does not exist." {
		t.Fatalf("%d %v", status, out)
	}
	if got := h.Get("x-amzn-query-error"); got != "AWS.SimpleQueueService.NonExistentQueue;Sender" {
		t.Fatalf("x-amzn-query-error = %q", got)
	}
	if h.Get("Content-Type") != "application/x-amz-json-1.0" || h.Get("X-Amzn-Requestid") == "" {
		t.Fatalf("headers %v", h)
	}
	status, h, out = postJSON(t, e, "ReceiveMessage", `{"QueueUrl":"http://x/000000000000/nope","MaxNumberOfMessages":1}`)
	if status != 400 || h.Get("x-amzn-query-error") != "AWS.SimpleQueueService.NonExistentQueue;Sender" {
		t.Fatalf("%d %v", status, out)
	}
	// Receipt handles: 404 ReceiptHandleIsInvalid, as the model says.
	e.createQueue("q", nil)
	status, h, out = postJSON(t, e, "DeleteMessage", `{"QueueUrl":"http://x/000000000000/q","ReceiptHandle":"bogus"}`)
	if status != 404 || out["__type"] != "com.amazonaws.sqs#ReceiptHandleIsInvalid" || h.Get("x-amzn-query-error") != "ReceiptHandleIsInvalid;Sender" {
		t.Fatalf("%d %v %v", status, out, h)
	}
	// Unknown operations: 400, never 200.
	status, _, out = postJSON(t, e, "StartMessageMoveTask", `{}`)
	if status != 400 || !strings.Contains(out["__type"].(string), "UnknownOperation") {
		t.Fatalf("%d %v", status, out)
	}
	status, _, out = postJSON(t, e, "SendMessage", `{"QueueUrl": 5}`)
	if status != 400 || !strings.Contains(out["__type"].(string), "SerializationException") {
		t.Fatalf("%d %v", status, out)
	}
	// An empty receive has no Messages member; empty results are {}.
	status, _, out = postJSON(t, e, "ReceiveMessage", `{"QueueUrl":"http://x/000000000000/q"}`)
	if status != 200 || len(out) != 0 {
		t.Fatalf("%d %v", status, out)
	}
}

type xmlAttr struct {
	Name  string `xml:"Name"`
	Value string `xml:"Value"`
}

type xmlReceive struct {
	XMLName xml.Name `xml:"ReceiveMessageResponse"`
	Result  struct {
		Messages []struct {
			MessageID              string    `xml:"MessageId"`
			ReceiptHandle          string    `xml:"ReceiptHandle"`
			MD5OfBody              string    `xml:"MD5OfBody"`
			Body                   string    `xml:"Body"`
			Attributes             []xmlAttr `xml:"Attribute"`
			MD5OfMessageAttributes string    `xml:"MD5OfMessageAttributes"`
			MessageAttributes      []struct {
				Name  string `xml:"Name"`
				Value struct {
					StringValue string `xml:"StringValue"`
					BinaryValue string `xml:"BinaryValue"`
					DataType    string `xml:"DataType"`
				} `xml:"Value"`
			} `xml:"MessageAttribute"`
		} `xml:"Message"`
	} `xml:"ReceiveMessageResult"`
	RequestID string `xml:"ResponseMetadata>RequestId"`
}

type xmlError struct {
	XMLName xml.Name `xml:"ErrorResponse"`
	Type    string   `xml:"Error>Type"`
	Code    string   `xml:"Error>Code"`
	Message string   `xml:"Error>Message"`
}

// The awsQuery protocol over plain net/http: forms in, XML out, with the member names of the
// model's query traits.
func TestSQS_queryProtocol(t *testing.T) {
	e := newEnv(t, envOptions{})
	form := func(action string, kv ...string) string {
		v := url.Values{"Action": {action}, "Version": {"2012-11-05"}}
		for i := 0; i < len(kv); i += 2 {
			v.Add(kv[i], kv[i+1])
		}
		return v.Encode()
	}
	call := func(target, body string) (int, []byte) {
		status, _, data := post(t, target, "application/x-www-form-urlencoded; charset=utf-8", map[string]string{
			"Authorization": "AWS4-HMAC-SHA256 Credential=test/20260301/us-east-1/sqs/aws4_request, SignedHeaders=host, Signature=0",
		}, body)
		return status, data
	}

	status, data := call(e.srv.URL+"/", form("CreateQueue", "QueueName", "legacy",
		"Attribute.1.Name", "VisibilityTimeout", "Attribute.1.Value", "40", "Tag.1.Key", "team", "Tag.1.Value", "x"))
	var created struct {
		URL string `xml:"CreateQueueResult>QueueUrl"`
		ID  string `xml:"ResponseMetadata>RequestId"`
	}
	if err := xml.Unmarshal(data, &created); err != nil || status != 200 || created.URL != e.srv.URL+"/000000000000/legacy" || created.ID == "" {
		t.Fatalf("CreateQueue: %d %s", status, data)
	}
	if !strings.Contains(string(data), `xmlns="http://queue.amazonaws.com/doc/2012-11-05/"`) {
		t.Errorf("no SQS namespace: %s", data)
	}

	status, data = call(e.srv.URL+"/", form("SendMessage", "QueueUrl", created.URL, "MessageBody", "héllo <xml> & co",
		"MessageAttribute.1.Name", "color", "MessageAttribute.1.Value.DataType", "String", "MessageAttribute.1.Value.StringValue", "blue",
		"MessageAttribute.2.Name", "blob", "MessageAttribute.2.Value.DataType", "Binary", "MessageAttribute.2.Value.BinaryValue", base64.StdEncoding.EncodeToString([]byte{1, 2, 3})))
	var sent struct {
		MD5Body  string `xml:"SendMessageResult>MD5OfMessageBody"`
		MD5Attrs string `xml:"SendMessageResult>MD5OfMessageAttributes"`
		ID       string `xml:"SendMessageResult>MessageId"`
	}
	if err := xml.Unmarshal(data, &sent); err != nil || status != 200 || sent.MD5Body != md5Hex("héllo <xml> & co") || sent.ID == "" {
		t.Fatalf("SendMessage: %d %s", status, data)
	}
	wantAttrs := MessageBodyAttributeMap{"color": {DataType: "String", StringValue: "blue"}, "blob": {DataType: "Binary", BinaryValue: []byte{1, 2, 3}}}
	if sent.MD5Attrs != md5OfAttributes(wantAttrs) {
		t.Fatalf("MD5OfMessageAttributes %s", sent.MD5Attrs)
	}

	status, data = call(e.srv.URL+"/", form("ReceiveMessage", "QueueUrl", created.URL, "MaxNumberOfMessages", "5",
		"AttributeName.1", "All", "MessageAttributeName.1", "All"))
	var recv xmlReceive
	if err := xml.Unmarshal(data, &recv); err != nil || status != 200 || len(recv.Result.Messages) != 1 {
		t.Fatalf("ReceiveMessage: %d %s", status, data)
	}
	m := recv.Result.Messages[0]
	if m.Body != "héllo <xml> & co" || m.MD5OfBody != sent.MD5Body || m.MessageID != sent.ID || m.MD5OfMessageAttributes != sent.MD5Attrs || len(m.MessageAttributes) != 2 {
		t.Fatalf("message: %+v", m)
	}
	attrs := map[string]string{}
	for _, a := range m.Attributes {
		attrs[a.Name] = a.Value
	}
	if attrs["ApproximateReceiveCount"] != "1" || attrs["SenderId"] == "" || attrs["SentTimestamp"] == "" {
		t.Fatalf("system attributes: %v", attrs)
	}
	for _, a := range m.MessageAttributes {
		if a.Name == "blob" && a.Value.BinaryValue != "AQID" {
			t.Errorf("binary attribute in XML: %+v", a)
		}
	}

	// Older clients post to the queue URL without a QueueUrl member.
	status, data = call(created.URL, form("DeleteMessage", "ReceiptHandle", m.ReceiptHandle))
	if status != 200 || !strings.Contains(string(data), "<DeleteMessageResponse") {
		t.Fatalf("DeleteMessage to the queue URL: %d %s", status, data)
	}
	status, data = call(created.URL, form("GetQueueAttributes", "AttributeName.1", "ApproximateNumberOfMessages", "AttributeName.2", "VisibilityTimeout"))
	var got struct {
		Attrs []xmlAttr `xml:"GetQueueAttributesResult>Attribute"`
	}
	if err := xml.Unmarshal(data, &got); err != nil || status != 200 || len(got.Attrs) != 2 {
		t.Fatalf("GetQueueAttributes: %d %s", status, data)
	}

	status, data = call(e.srv.URL+"/", form("SendMessageBatch", "QueueUrl", created.URL,
		"SendMessageBatchRequestEntry.1.Id", "a", "SendMessageBatchRequestEntry.1.MessageBody", "one",
		"SendMessageBatchRequestEntry.2.Id", "b", "SendMessageBatchRequestEntry.2.MessageBody", "two",
		"SendMessageBatchRequestEntry.2.MessageAttribute.1.Name", "n", "SendMessageBatchRequestEntry.2.MessageAttribute.1.Value.DataType", "Number",
		"SendMessageBatchRequestEntry.2.MessageAttribute.1.Value.StringValue", "7",
		"SendMessageBatchRequestEntry.3.Id", "c", "SendMessageBatchRequestEntry.3.MessageBody", "", // fails alone
	))
	var batch struct {
		OK []struct {
			ID string `xml:"Id"`
		} `xml:"SendMessageBatchResult>SendMessageBatchResultEntry"`
		Failed []struct {
			ID   string `xml:"Id"`
			Code string `xml:"Code"`
		} `xml:"SendMessageBatchResult>BatchResultErrorEntry"`
	}
	if err := xml.Unmarshal(data, &batch); err != nil || status != 200 || len(batch.OK) != 2 || len(batch.Failed) != 1 || batch.Failed[0].Code != "MissingParameter" {
		t.Fatalf("SendMessageBatch: %d %s", status, data)
	}

	status, data = call(e.srv.URL+"/", form("ListQueueTags", "QueueUrl", created.URL))
	if status != 200 || !strings.Contains(string(data), "<Tag><Key>team</Key><Value>x</Value></Tag>") {
		t.Fatalf("ListQueueTags: %d %s", status, data)
	}
	status, data = call(e.srv.URL+"/", form("ListQueues"))
	if status != 200 || !strings.Contains(string(data), "<QueueUrl>"+created.URL+"</QueueUrl>") {
		t.Fatalf("ListQueues: %d %s", status, data)
	}

	// Errors: the query code in <Code>, the longer query text.
	status, data = call(e.srv.URL+"/", form("GetQueueUrl", "QueueName", "missing"))
	var qe xmlError
	if err := xml.Unmarshal(data, &qe); err != nil || status != 400 || qe.Code != "AWS.SimpleQueueService.NonExistentQueue" || qe.Type != "Sender" ||
		qe.Message != "The specified queue does not exist for this wsdl version." {
		t.Fatalf("error: %d %s", status, data)
	}
	status, data = call(e.srv.URL+"/", form("CreateQueue", "QueueName", "legacy", "Attribute.1.Name", "VisibilityTimeout", "Attribute.1.Value", "41"))
	if err := xml.Unmarshal(data, &qe); err != nil || status != 400 || qe.Code != "QueueAlreadyExists" {
		t.Fatalf("conflict: %d %s", status, data)
	}
	status, data = call(e.srv.URL+"/", form("FlyToTheMoon"))
	if err := xml.Unmarshal(data, &qe); err != nil || status != 400 || qe.Code != "InvalidAction" {
		t.Fatalf("unknown action: %d %s", status, data)
	}
}
