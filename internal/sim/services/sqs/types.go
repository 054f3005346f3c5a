package sqs

import (
	"encoding/base64"
	"encoding/xml"
	"sort"
)

// The typed input and output of every operation. JSON member names are those of the awsJson 1.0
// protocol (sqs@v1.53.0 request_snapshot/*.snap); XML element names are those of the awsQuery
// protocol (the xmlName/flattened traits in sqs@v1.53.0 schemas/schemas.go). Outputs carry the
// XMLName "<Operation>Result" that awsQuery wraps in "<Operation>Response".

// MessageAttributeValue is a typed user attribute of a message.
// https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_MessageAttributeValue.html
type MessageAttributeValue struct {
	DataType         string   `json:"DataType"`
	StringValue      string   `json:"StringValue,omitempty"`
	BinaryValue      []byte   `json:"BinaryValue,omitempty"`
	StringListValues []string `json:"StringListValues,omitempty"`
	BinaryListValues [][]byte `json:"BinaryListValues,omitempty"`
}

// MessageBodyAttributeMap is a message's user attributes by name (awsQuery: flattened
// <MessageAttribute><Name/><Value/></MessageAttribute>).
type MessageBodyAttributeMap map[string]MessageAttributeValue

// MessageSystemAttributeMap holds system attributes (SentTimestamp, ...) by name.
type MessageSystemAttributeMap map[string]string

// QueueAttributeMap holds queue attributes by name.
type QueueAttributeMap map[string]string

// TagMap holds queue tags.
type TagMap map[string]string

// MessageSystemAttributeValue is the value of a system attribute given on send (only AWSTraceHeader).
// https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_MessageSystemAttributeValue.html
type MessageSystemAttributeValue = MessageAttributeValue

// Message is one received message.
// https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_Message.html
type Message struct {
	MessageID              string                    `json:"MessageId" xml:"MessageId"`
	ReceiptHandle          string                    `json:"ReceiptHandle" xml:"ReceiptHandle"`
	MD5OfBody              string                    `json:"MD5OfBody" xml:"MD5OfBody"`
	Body                   string                    `json:"Body" xml:"Body"`
	Attributes             MessageSystemAttributeMap `json:"Attributes,omitempty" xml:"Attribute,omitempty"`
	MD5OfMessageAttributes string                    `json:"MD5OfMessageAttributes,omitempty" xml:"MD5OfMessageAttributes,omitempty"`
	MessageAttributes      MessageBodyAttributeMap   `json:"MessageAttributes,omitempty" xml:"MessageAttribute,omitempty"`
}

// BatchResultErrorEntry reports one failed entry of a batch operation.
// https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_BatchResultErrorEntry.html
type BatchResultErrorEntry struct {
	ID          string `json:"Id" xml:"Id"`
	SenderFault bool   `json:"SenderFault" xml:"SenderFault"`
	Code        string `json:"Code" xml:"Code"`
	Message     string `json:"Message,omitempty" xml:"Message,omitempty"`
}

// CreateQueueInput: https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_CreateQueue.html
type CreateQueueInput struct {
	QueueName  string            `json:"QueueName"`
	Attributes map[string]string `json:"Attributes"`
	Tags       map[string]string `json:"tags"`
}

// CreateQueueOutput is the answer of CreateQueue.
type CreateQueueOutput struct {
	XMLName  xml.Name `json:"-" xml:"CreateQueueResult"`
	QueueURL string   `json:"QueueUrl" xml:"QueueUrl"`
}

// GetQueueUrlInput: https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_GetQueueUrl.html
type GetQueueUrlInput struct {
	QueueName              string `json:"QueueName"`
	QueueOwnerAWSAccountID string `json:"QueueOwnerAWSAccountId"`
}

// GetQueueUrlOutput is the answer of GetQueueUrl.
type GetQueueUrlOutput struct {
	XMLName  xml.Name `json:"-" xml:"GetQueueUrlResult"`
	QueueURL string   `json:"QueueUrl" xml:"QueueUrl"`
}

// ListQueuesInput: https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ListQueues.html
type ListQueuesInput struct {
	QueueNamePrefix string `json:"QueueNamePrefix"`
	NextToken       string `json:"NextToken"`
	MaxResults      *int32 `json:"MaxResults"`
}

// ListQueuesOutput is the answer of ListQueues.
type ListQueuesOutput struct {
	XMLName   xml.Name `json:"-" xml:"ListQueuesResult"`
	QueueUrls []string `json:"QueueUrls,omitempty" xml:"QueueUrl"`
	NextToken string   `json:"NextToken,omitempty" xml:"NextToken,omitempty"`
}

// ListDeadLetterSourceQueuesInput: https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ListDeadLetterSourceQueues.html
type ListDeadLetterSourceQueuesInput struct {
	QueueURL   string `json:"QueueUrl"`
	NextToken  string `json:"NextToken"`
	MaxResults *int32 `json:"MaxResults"`
}

// ListDeadLetterSourceQueuesOutput is the answer of ListDeadLetterSourceQueues; its member is
// lower-case "queueUrls" in the model.
type ListDeadLetterSourceQueuesOutput struct {
	XMLName   xml.Name `json:"-" xml:"ListDeadLetterSourceQueuesResult"`
	QueueUrls []string `json:"queueUrls" xml:"QueueUrl"`
	NextToken string   `json:"NextToken,omitempty" xml:"NextToken,omitempty"`
}

// DeleteQueueInput: https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_DeleteQueue.html
type DeleteQueueInput struct {
	QueueURL string `json:"QueueUrl"`
}

// PurgeQueueInput: https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_PurgeQueue.html
type PurgeQueueInput struct {
	QueueURL string `json:"QueueUrl"`
}

// GetQueueAttributesInput: https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_GetQueueAttributes.html
type GetQueueAttributesInput struct {
	QueueURL       string   `json:"QueueUrl"`
	AttributeNames []string `json:"AttributeNames"`
}

// GetQueueAttributesOutput is the answer of GetQueueAttributes.
type GetQueueAttributesOutput struct {
	XMLName    xml.Name          `json:"-" xml:"GetQueueAttributesResult"`
	Attributes QueueAttributeMap `json:"Attributes,omitempty" xml:"Attribute,omitempty"`
}

// SetQueueAttributesInput: https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SetQueueAttributes.html
type SetQueueAttributesInput struct {
	QueueURL   string            `json:"QueueUrl"`
	Attributes map[string]string `json:"Attributes"`
}

// TagQueueInput: https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_TagQueue.html
type TagQueueInput struct {
	QueueURL string            `json:"QueueUrl"`
	Tags     map[string]string `json:"Tags"`
}

// UntagQueueInput: https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_UntagQueue.html
type UntagQueueInput struct {
	QueueURL string   `json:"QueueUrl"`
	TagKeys  []string `json:"TagKeys"`
}

// ListQueueTagsInput: https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ListQueueTags.html
type ListQueueTagsInput struct {
	QueueURL string `json:"QueueUrl"`
}

// ListQueueTagsOutput is the answer of ListQueueTags.
type ListQueueTagsOutput struct {
	XMLName xml.Name `json:"-" xml:"ListQueueTagsResult"`
	Tags    TagMap   `json:"Tags,omitempty" xml:"Tag,omitempty"`
}

// SendMessageInput: https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessage.html
type SendMessageInput struct {
	QueueURL                string                                 `json:"QueueUrl"`
	MessageBody             *string                                `json:"MessageBody"`
	DelaySeconds            *int32                                 `json:"DelaySeconds"`
	MessageAttributes       MessageBodyAttributeMap                `json:"MessageAttributes"`
	MessageSystemAttributes map[string]MessageSystemAttributeValue `json:"MessageSystemAttributes"`
	MessageDeduplicationID  *string                                `json:"MessageDeduplicationId"`
	MessageGroupID          *string                                `json:"MessageGroupId"`
}

// SendMessageOutput is the answer of SendMessage.
type SendMessageOutput struct {
	XMLName                      xml.Name `json:"-" xml:"SendMessageResult"`
	MD5OfMessageBody             string   `json:"MD5OfMessageBody" xml:"MD5OfMessageBody"`
	MD5OfMessageAttributes       string   `json:"MD5OfMessageAttributes,omitempty" xml:"MD5OfMessageAttributes,omitempty"`
	MD5OfMessageSystemAttributes string   `json:"MD5OfMessageSystemAttributes,omitempty" xml:"MD5OfMessageSystemAttributes,omitempty"`
	MessageID                    string   `json:"MessageId" xml:"MessageId"`
	SequenceNumber               string   `json:"SequenceNumber,omitempty" xml:"SequenceNumber,omitempty"`
}

// SendMessageBatchRequestEntry is one message of SendMessageBatch.
// https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessageBatchRequestEntry.html
type SendMessageBatchRequestEntry struct {
	ID                      string                                 `json:"Id"`
	MessageBody             *string                                `json:"MessageBody"`
	DelaySeconds            *int32                                 `json:"DelaySeconds"`
	MessageAttributes       MessageBodyAttributeMap                `json:"MessageAttributes"`
	MessageSystemAttributes map[string]MessageSystemAttributeValue `json:"MessageSystemAttributes"`
	MessageDeduplicationID  *string                                `json:"MessageDeduplicationId"`
	MessageGroupID          *string                                `json:"MessageGroupId"`
}

// SendMessageBatchInput: https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessageBatch.html
type SendMessageBatchInput struct {
	QueueURL string                         `json:"QueueUrl"`
	Entries  []SendMessageBatchRequestEntry `json:"Entries"`
}

// SendMessageBatchResultEntry reports one sent message of SendMessageBatch.
type SendMessageBatchResultEntry struct {
	ID                           string `json:"Id" xml:"Id"`
	MessageID                    string `json:"MessageId" xml:"MessageId"`
	MD5OfMessageBody             string `json:"MD5OfMessageBody" xml:"MD5OfMessageBody"`
	MD5OfMessageAttributes       string `json:"MD5OfMessageAttributes,omitempty" xml:"MD5OfMessageAttributes,omitempty"`
	MD5OfMessageSystemAttributes string `json:"MD5OfMessageSystemAttributes,omitempty" xml:"MD5OfMessageSystemAttributes,omitempty"`
	SequenceNumber               string `json:"SequenceNumber,omitempty" xml:"SequenceNumber,omitempty"`
}

// SendMessageBatchOutput is the answer of SendMessageBatch; both lists are always present in JSON,
// as AWS sends them.
type SendMessageBatchOutput struct {
	XMLName    xml.Name                      `json:"-" xml:"SendMessageBatchResult"`
	Successful []SendMessageBatchResultEntry `json:"Successful" xml:"SendMessageBatchResultEntry"`
	Failed     []BatchResultErrorEntry       `json:"Failed" xml:"BatchResultErrorEntry"`
}

// ReceiveMessageInput: https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ReceiveMessage.html
type ReceiveMessageInput struct {
	QueueURL                    string   `json:"QueueUrl"`
	AttributeNames              []string `json:"AttributeNames"`
	MessageSystemAttributeNames []string `json:"MessageSystemAttributeNames"`
	MessageAttributeNames       []string `json:"MessageAttributeNames"`
	MaxNumberOfMessages         *int32   `json:"MaxNumberOfMessages"`
	VisibilityTimeout           *int32   `json:"VisibilityTimeout"`
	WaitTimeSeconds             *int32   `json:"WaitTimeSeconds"`
	ReceiveRequestAttemptID     string   `json:"ReceiveRequestAttemptId"`
}

// ReceiveMessageOutput is the answer of ReceiveMessage; an empty receive has no Messages member.
type ReceiveMessageOutput struct {
	XMLName  xml.Name  `json:"-" xml:"ReceiveMessageResult"`
	Messages []Message `json:"Messages,omitempty" xml:"Message"`
}

// DeleteMessageInput: https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_DeleteMessage.html
type DeleteMessageInput struct {
	QueueURL      string `json:"QueueUrl"`
	ReceiptHandle string `json:"ReceiptHandle"`
}

// DeleteMessageBatchRequestEntry is one message of DeleteMessageBatch.
type DeleteMessageBatchRequestEntry struct {
	ID            string `json:"Id"`
	ReceiptHandle string `json:"ReceiptHandle"`
}

// DeleteMessageBatchInput: https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_DeleteMessageBatch.html
type DeleteMessageBatchInput struct {
	QueueURL string                           `json:"QueueUrl"`
	Entries  []DeleteMessageBatchRequestEntry `json:"Entries"`
}

// BatchResultEntry is a successful entry of DeleteMessageBatch or ChangeMessageVisibilityBatch.
type BatchResultEntry struct {
	ID string `json:"Id" xml:"Id"`
}

// DeleteMessageBatchOutput is the answer of DeleteMessageBatch.
type DeleteMessageBatchOutput struct {
	XMLName    xml.Name                `json:"-" xml:"DeleteMessageBatchResult"`
	Successful []BatchResultEntry      `json:"Successful" xml:"DeleteMessageBatchResultEntry"`
	Failed     []BatchResultErrorEntry `json:"Failed" xml:"BatchResultErrorEntry"`
}

// ChangeMessageVisibilityInput: https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ChangeMessageVisibility.html
type ChangeMessageVisibilityInput struct {
	QueueURL          string `json:"QueueUrl"`
	ReceiptHandle     string `json:"ReceiptHandle"`
	VisibilityTimeout *int32 `json:"VisibilityTimeout"`
}

// ChangeMessageVisibilityBatchRequestEntry is one message of ChangeMessageVisibilityBatch.
type ChangeMessageVisibilityBatchRequestEntry struct {
	ID                string `json:"Id"`
	ReceiptHandle     string `json:"ReceiptHandle"`
	VisibilityTimeout *int32 `json:"VisibilityTimeout"`
}

// ChangeMessageVisibilityBatchInput: https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ChangeMessageVisibilityBatch.html
type ChangeMessageVisibilityBatchInput struct {
	QueueURL string                                     `json:"QueueUrl"`
	Entries  []ChangeMessageVisibilityBatchRequestEntry `json:"Entries"`
}

// ChangeMessageVisibilityBatchOutput is the answer of ChangeMessageVisibilityBatch.
type ChangeMessageVisibilityBatchOutput struct {
	XMLName    xml.Name                `json:"-" xml:"ChangeMessageVisibilityBatchResult"`
	Successful []BatchResultEntry      `json:"Successful" xml:"ChangeMessageVisibilityBatchResultEntry"`
	Failed     []BatchResultErrorEntry `json:"Failed" xml:"BatchResultErrorEntry"`
}

// awsQuery renders maps as flattened <Name/><Value/> (or <Key/><Value/>) pairs, one element per
// entry, sorted by key so answers are stable.

func marshalPairs(e *xml.Encoder, start xml.StartElement, m map[string]string, keyName string) error {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		start.Attr = nil
		if err := e.EncodeToken(start); err != nil {
			return err
		}
		if err := e.EncodeElement(k, xml.StartElement{Name: xml.Name{Local: keyName}}); err != nil {
			return err
		}
		if err := e.EncodeElement(m[k], xml.StartElement{Name: xml.Name{Local: "Value"}}); err != nil {
			return err
		}
		if err := e.EncodeToken(start.End()); err != nil {
			return err
		}
	}
	return nil
}

// MarshalXML writes the attributes as flattened <Attribute><Name/><Value/></Attribute> elements.
func (m MessageSystemAttributeMap) MarshalXML(e *xml.Encoder, start xml.StartElement) error {
	return marshalPairs(e, start, m, "Name")
}

// MarshalXML writes the attributes as flattened <Attribute><Name/><Value/></Attribute> elements.
func (m QueueAttributeMap) MarshalXML(e *xml.Encoder, start xml.StartElement) error {
	return marshalPairs(e, start, m, "Name")
}

// MarshalXML writes the tags as flattened <Tag><Key/><Value/></Tag> elements.
func (m TagMap) MarshalXML(e *xml.Encoder, start xml.StartElement) error {
	return marshalPairs(e, start, m, "Key")
}

// MarshalXML writes <MessageAttribute><Name/><Value><StringValue/>|<BinaryValue/><DataType/></Value>
// </MessageAttribute> elements; binary values are base64 as in every awsQuery blob.
func (m MessageBodyAttributeMap) MarshalXML(e *xml.Encoder, start xml.StartElement) error {
	type value struct {
		StringValue     string   `xml:"StringValue,omitempty"`
		BinaryValue     string   `xml:"BinaryValue,omitempty"`
		StringListValue []string `xml:"StringListValue,omitempty"`
		BinaryListValue []string `xml:"BinaryListValue,omitempty"`
		DataType        string   `xml:"DataType"`
	}
	type pair struct {
		Name  string `xml:"Name"`
		Value value  `xml:"Value"`
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		a := m[k]
		v := value{StringValue: a.StringValue, StringListValue: a.StringListValues, DataType: a.DataType}
		if a.BinaryValue != nil {
			v.BinaryValue = base64.StdEncoding.EncodeToString(a.BinaryValue)
		}
		for _, b := range a.BinaryListValues {
			v.BinaryListValue = append(v.BinaryListValue, base64.StdEncoding.EncodeToString(b))
		}
		start.Attr = nil
		if err := e.EncodeElement(pair{Name: k, Value: v}, start); err != nil {
			return err
		}
	}
	return nil
}
