package sqs

import (
	"context"
	"encoding/base64"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
)

// The awsQuery protocol, which older SDKs and the AWS CLI before the 2023 JSON switch speak: a form
// "Action=<Op>&Version=2012-11-05&..." posted to the endpoint or to the queue URL itself, answered
// in XML. Member names follow the awsQuery traits of the model (flattened lists and maps:
// AttributeName.N, Attribute.N.Name/Value, MessageAttribute.N.Name/Value.DataType,
// SendMessageBatchRequestEntry.N.Id, ...).

type queryOp func(ctx context.Context, form url.Values) (any, *awswire.Error)

// queryCall decodes a form into the operation's typed input and runs the same operation the JSON
// protocol runs. Operations without output answer no Result element.
func queryCall[In any, Out any](decode func(url.Values) (*In, *awswire.Error), op func(context.Context, *In) (*Out, *awswire.Error)) queryOp {
	return func(ctx context.Context, form url.Values) (any, *awswire.Error) {
		in, e := decode(form)
		if e != nil {
			return nil, e
		}
		out, e := op(ctx, in)
		if e != nil {
			return nil, e
		}
		if out == nil {
			return nil, nil
		}
		if _, empty := any(out).(*struct{}); empty {
			return nil, nil
		}
		return out, nil
	}
}

func (s *Service) queryOps() map[string]queryOp {
	return map[string]queryOp{
		"CreateQueue":                  queryCall(decodeCreateQueue, s.CreateQueue),
		"GetQueueUrl":                  queryCall(decodeGetQueueUrl, s.GetQueueUrl),
		"ListQueues":                   queryCall(decodeListQueues, s.ListQueues),
		"ListDeadLetterSourceQueues":   queryCall(decodeListDeadLetterSourceQueues, s.ListDeadLetterSourceQueues),
		"DeleteQueue":                  queryCall(decodeQueueURL[DeleteQueueInput], s.DeleteQueue),
		"PurgeQueue":                   queryCall(decodeQueueURL[PurgeQueueInput], s.PurgeQueue),
		"GetQueueAttributes":           queryCall(decodeGetQueueAttributes, s.GetQueueAttributes),
		"SetQueueAttributes":           queryCall(decodeSetQueueAttributes, s.SetQueueAttributes),
		"TagQueue":                     queryCall(decodeTagQueue, s.TagQueue),
		"UntagQueue":                   queryCall(decodeUntagQueue, s.UntagQueue),
		"ListQueueTags":                queryCall(decodeQueueURL[ListQueueTagsInput], s.ListQueueTags),
		"SendMessage":                  queryCall(decodeSendMessage, s.SendMessage),
		"SendMessageBatch":             queryCall(decodeSendMessageBatch, s.SendMessageBatch),
		"ReceiveMessage":               queryCall(decodeReceiveMessage, s.ReceiveMessage),
		"DeleteMessage":                queryCall(decodeDeleteMessage, s.DeleteMessage),
		"DeleteMessageBatch":           queryCall(decodeDeleteMessageBatch, s.DeleteMessageBatch),
		"ChangeMessageVisibility":      queryCall(decodeChangeMessageVisibility, s.ChangeMessageVisibility),
		"ChangeMessageVisibilityBatch": queryCall(decodeChangeMessageVisibilityBatch, s.ChangeMessageVisibilityBatch),
	}
}

func (s *Service) serveQuery(w http.ResponseWriter, r *http.Request) {
	reqID := awswire.RequestID(r.Context())
	form, e := awswire.ReadQueryForm(r, maxRequestBody)
	if e != nil {
		awswire.WriteQueryError(w, reqID, e)
		return
	}
	action := form.Get("Action")
	op := s.query[action]
	if op == nil {
		awswire.WriteQueryError(w, reqID, errUnknownOperation(action))
		return
	}
	// Older clients post to the queue URL and leave QueueUrl out of the form.
	if form.Get("QueueUrl") == "" {
		if _, _, ok := parseQueueURL(r.URL.Path); ok {
			form.Set("QueueUrl", r.URL.Path)
		}
	}
	result, e := op(r.Context(), form)
	if e != nil {
		if e.QueryCode == queueDoesNotExistQuery {
			qe := *e
			qe.Message = "The specified queue does not exist for this wsdl version."
			e = &qe
		}
		awswire.WriteQueryError(w, reqID, e)
		return
	}
	awswire.WriteQueryResult(w, reqID, action, xmlns, result)
}

// queueURLInput is every input that is only a QueueUrl.
type queueURLInput interface {
	DeleteQueueInput | PurgeQueueInput | ListQueueTagsInput
}

func decodeQueueURL[In queueURLInput](form url.Values) (*In, *awswire.Error) {
	in := new(In)
	switch v := any(in).(type) {
	case *DeleteQueueInput:
		v.QueueURL = form.Get("QueueUrl")
	case *PurgeQueueInput:
		v.QueueURL = form.Get("QueueUrl")
	case *ListQueueTagsInput:
		v.QueueURL = form.Get("QueueUrl")
	}
	return in, nil
}

func decodeCreateQueue(form url.Values) (*CreateQueueInput, *awswire.Error) {
	return &CreateQueueInput{
		QueueName:  form.Get("QueueName"),
		Attributes: queryMap(form, "Attribute", "Name"),
		Tags:       queryMap(form, "Tag", "Key"),
	}, nil
}

func decodeGetQueueUrl(form url.Values) (*GetQueueUrlInput, *awswire.Error) {
	return &GetQueueUrlInput{QueueName: form.Get("QueueName"), QueueOwnerAWSAccountID: form.Get("QueueOwnerAWSAccountId")}, nil
}

func decodeListQueues(form url.Values) (*ListQueuesInput, *awswire.Error) {
	n, e := queryInt(form, "MaxResults")
	if e != nil {
		return nil, e
	}
	return &ListQueuesInput{QueueNamePrefix: form.Get("QueueNamePrefix"), NextToken: form.Get("NextToken"), MaxResults: n}, nil
}

func decodeListDeadLetterSourceQueues(form url.Values) (*ListDeadLetterSourceQueuesInput, *awswire.Error) {
	n, e := queryInt(form, "MaxResults")
	if e != nil {
		return nil, e
	}
	return &ListDeadLetterSourceQueuesInput{QueueURL: form.Get("QueueUrl"), NextToken: form.Get("NextToken"), MaxResults: n}, nil
}

func decodeGetQueueAttributes(form url.Values) (*GetQueueAttributesInput, *awswire.Error) {
	return &GetQueueAttributesInput{QueueURL: form.Get("QueueUrl"), AttributeNames: awswire.QueryList(form, "AttributeName")}, nil
}

func decodeSetQueueAttributes(form url.Values) (*SetQueueAttributesInput, *awswire.Error) {
	return &SetQueueAttributesInput{QueueURL: form.Get("QueueUrl"), Attributes: queryMap(form, "Attribute", "Name")}, nil
}

func decodeTagQueue(form url.Values) (*TagQueueInput, *awswire.Error) {
	// The model names the flattened map "Tag"; botocore's query serializer sends "Tags".
	tags := queryMap(form, "Tag", "Key")
	for k, v := range queryMap(form, "Tags", "Key") {
		if tags == nil {
			tags = map[string]string{}
		}
		tags[k] = v
	}
	return &TagQueueInput{QueueURL: form.Get("QueueUrl"), Tags: tags}, nil
}

func decodeUntagQueue(form url.Values) (*UntagQueueInput, *awswire.Error) {
	keys := awswire.QueryList(form, "TagKey")
	keys = append(keys, awswire.QueryList(form, "TagKeys")...)
	return &UntagQueueInput{QueueURL: form.Get("QueueUrl"), TagKeys: keys}, nil
}

func decodeSendMessage(form url.Values) (*SendMessageInput, *awswire.Error) {
	p, e := decodeSendMembers(form)
	if e != nil {
		return nil, e
	}
	return &SendMessageInput{
		QueueURL: form.Get("QueueUrl"), MessageBody: p.body, DelaySeconds: p.delay, MessageAttributes: p.attrs,
		MessageSystemAttributes: p.sysAttrs, MessageDeduplicationID: p.dedupID, MessageGroupID: p.groupID,
	}, nil
}

func decodeSendMessageBatch(form url.Values) (*SendMessageBatchInput, *awswire.Error) {
	in := &SendMessageBatchInput{QueueURL: form.Get("QueueUrl")}
	for _, sub := range queryIndexed(form, "SendMessageBatchRequestEntry") {
		p, e := decodeSendMembers(sub)
		if e != nil {
			return nil, e
		}
		in.Entries = append(in.Entries, SendMessageBatchRequestEntry{
			ID: sub.Get("Id"), MessageBody: p.body, DelaySeconds: p.delay, MessageAttributes: p.attrs,
			MessageSystemAttributes: p.sysAttrs, MessageDeduplicationID: p.dedupID, MessageGroupID: p.groupID,
		})
	}
	return in, nil
}

// decodeSendMembers reads the members SendMessage and a batch entry share.
func decodeSendMembers(form url.Values) (sendParams, *awswire.Error) {
	var p sendParams
	var e *awswire.Error
	p.body = queryString(form, "MessageBody")
	if p.delay, e = queryInt(form, "DelaySeconds"); e != nil {
		return p, e
	}
	if p.attrs, e = queryAttributes(form, "MessageAttribute"); e != nil {
		return p, e
	}
	sys, e := queryAttributes(form, "MessageSystemAttribute")
	if e != nil {
		return p, e
	}
	if len(sys) > 0 {
		p.sysAttrs = map[string]MessageSystemAttributeValue(sys)
	}
	p.dedupID = queryString(form, "MessageDeduplicationId")
	p.groupID = queryString(form, "MessageGroupId")
	return p, nil
}

func decodeReceiveMessage(form url.Values) (*ReceiveMessageInput, *awswire.Error) {
	in := &ReceiveMessageInput{
		QueueURL:                    form.Get("QueueUrl"),
		AttributeNames:              awswire.QueryList(form, "AttributeName"),
		MessageSystemAttributeNames: awswire.QueryList(form, "MessageSystemAttributeName"),
		MessageAttributeNames:       awswire.QueryList(form, "MessageAttributeName"),
		ReceiveRequestAttemptID:     form.Get("ReceiveRequestAttemptId"),
	}
	var e *awswire.Error
	if in.MaxNumberOfMessages, e = queryInt(form, "MaxNumberOfMessages"); e != nil {
		return nil, e
	}
	if in.VisibilityTimeout, e = queryInt(form, "VisibilityTimeout"); e != nil {
		return nil, e
	}
	if in.WaitTimeSeconds, e = queryInt(form, "WaitTimeSeconds"); e != nil {
		return nil, e
	}
	return in, nil
}

func decodeDeleteMessage(form url.Values) (*DeleteMessageInput, *awswire.Error) {
	return &DeleteMessageInput{QueueURL: form.Get("QueueUrl"), ReceiptHandle: form.Get("ReceiptHandle")}, nil
}

func decodeDeleteMessageBatch(form url.Values) (*DeleteMessageBatchInput, *awswire.Error) {
	in := &DeleteMessageBatchInput{QueueURL: form.Get("QueueUrl")}
	for _, sub := range queryIndexed(form, "DeleteMessageBatchRequestEntry") {
		in.Entries = append(in.Entries, DeleteMessageBatchRequestEntry{ID: sub.Get("Id"), ReceiptHandle: sub.Get("ReceiptHandle")})
	}
	return in, nil
}

func decodeChangeMessageVisibility(form url.Values) (*ChangeMessageVisibilityInput, *awswire.Error) {
	vt, e := queryInt(form, "VisibilityTimeout")
	if e != nil {
		return nil, e
	}
	return &ChangeMessageVisibilityInput{QueueURL: form.Get("QueueUrl"), ReceiptHandle: form.Get("ReceiptHandle"), VisibilityTimeout: vt}, nil
}

func decodeChangeMessageVisibilityBatch(form url.Values) (*ChangeMessageVisibilityBatchInput, *awswire.Error) {
	in := &ChangeMessageVisibilityBatchInput{QueueURL: form.Get("QueueUrl")}
	for _, sub := range queryIndexed(form, "ChangeMessageVisibilityBatchRequestEntry") {
		vt, e := queryInt(sub, "VisibilityTimeout")
		if e != nil {
			return nil, e
		}
		in.Entries = append(in.Entries, ChangeMessageVisibilityBatchRequestEntry{ID: sub.Get("Id"), ReceiptHandle: sub.Get("ReceiptHandle"), VisibilityTimeout: vt})
	}
	return in, nil
}

// queryString is a member's value, nil when the member is absent.
func queryString(form url.Values, name string) *string {
	if vs, ok := form[name]; ok && len(vs) > 0 {
		v := vs[0]
		return &v
	}
	return nil
}

// queryInt reads an integer member; absent is nil.
func queryInt(form url.Values, name string) (*int32, *awswire.Error) {
	v := queryString(form, name)
	if v == nil {
		return nil, nil
	}
	n, err := strconv.ParseInt(strings.TrimSpace(*v), 10, 32)
	if err != nil {
		return nil, errInvalidValue(*v, name, "Must be an integer.")
	}
	n32 := int32(n)
	return &n32, nil
}

// queryIndexed splits the members prefix.N.<rest> into one sub-form per N (keyed by <rest>), in
// index order; nested lists and maps are read from the sub-forms the same way.
func queryIndexed(form url.Values, prefix string) []url.Values {
	byIndex := map[int]url.Values{}
	p := prefix + "."
	for k, vs := range form {
		rest, ok := strings.CutPrefix(k, p)
		if !ok {
			continue
		}
		idx, field, ok := strings.Cut(rest, ".")
		n, err := strconv.Atoi(idx)
		if !ok || err != nil || n < 1 || field == "" {
			continue
		}
		if byIndex[n] == nil {
			byIndex[n] = url.Values{}
		}
		byIndex[n][field] = vs
	}
	idxs := make([]int, 0, len(byIndex))
	for n := range byIndex {
		idxs = append(idxs, n)
	}
	sort.Ints(idxs)
	out := make([]url.Values, 0, len(idxs))
	for _, n := range idxs {
		out = append(out, byIndex[n])
	}
	return out
}

// queryMap reads a flattened map: prefix.N.<keyName> and prefix.N.Value; nil when empty.
func queryMap(form url.Values, prefix, keyName string) map[string]string {
	var out map[string]string
	for _, sub := range queryIndexed(form, prefix) {
		k, ok := sub[keyName]
		if !ok || len(k) == 0 {
			continue
		}
		if out == nil {
			out = map[string]string{}
		}
		out[k[0]] = sub.Get("Value")
	}
	return out
}

// queryAttributes reads message attributes: prefix.N.Name, prefix.N.Value.DataType,
// .Value.StringValue, .Value.BinaryValue (base64), .Value.StringListValue.M, .Value.BinaryListValue.M.
func queryAttributes(form url.Values, prefix string) (MessageBodyAttributeMap, *awswire.Error) {
	var out MessageBodyAttributeMap
	for _, sub := range queryIndexed(form, prefix) {
		name := sub.Get("Name")
		a := MessageAttributeValue{DataType: sub.Get("Value.DataType"), StringValue: sub.Get("Value.StringValue")}
		if b := sub.Get("Value.BinaryValue"); b != "" {
			data, err := base64.StdEncoding.DecodeString(b)
			if err != nil {
				return nil, errInvalidValue(b, prefix+".Value.BinaryValue", "Not valid base64.")
			}
			a.BinaryValue = data
		}
		a.StringListValues = awswire.QueryList(sub, "Value.StringListValue")
		for _, b := range awswire.QueryList(sub, "Value.BinaryListValue") {
			data, err := base64.StdEncoding.DecodeString(b)
			if err != nil {
				return nil, errInvalidValue(b, prefix+".Value.BinaryListValue", "Not valid base64.")
			}
			a.BinaryListValues = append(a.BinaryListValues, data)
		}
		if out == nil {
			out = MessageBodyAttributeMap{}
		}
		out[name] = a
	}
	return out, nil
}
