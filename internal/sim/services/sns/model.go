package sns

import (
	"time"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/deliver"
)

// The store layout. Everything lives under the top-level bucket "sns".
const (
	// bucketTopics: topic ARN -> topic.
	bucketTopics = "sns/topics"
	// bucketSubs: subscription ARN -> subscription. A subscription ARN is its topic ARN plus
	// ":<uuid>", so a prefix walk with "<topic ARN>:" lists one topic's subscriptions.
	bucketSubs = "sns/subscriptions"
	// bucketTokens: confirmation token -> tokenRecord.
	bucketTokens = "sns/tokens"
	// bucketMessages: message ID -> message, kept while deliveries of it are pending.
	bucketMessages = "sns/messages"
	// bucketDeliveries: store.SeqKey(n) -> delivery. Key order is publish order, which is what
	// FIFO ordering needs.
	bucketDeliveries = "sns/deliveries"
	// bucketDedup: "<topic ARN>\n<scope>\n<dedup ID>" -> dedupRecord, for FIFO topics.
	bucketDedup = "sns/dedup"
	// bucketDedupExpiry: "<expiry unix nanos, 20 digits>\n<dedup key>" -> "", to drop expired
	// dedup records in expiry order.
	bucketDedupExpiry = "sns/dedup-expiry"
	// bucketSequences: topic ARN -> per-topic sequence counter for FIFO sequence numbers.
	bucketSequences = "sns/sequences"
	// bucketLog: store.SeqKey(n) -> DeliveryRecord, the outcome of every finished delivery.
	bucketLog = "sns/log"
	// bucketStats: topic ARN -> TopicStats.
	bucketStats = "sns/stats"
	// bucketMeta holds the signing key.
	bucketMeta = "sns/meta"
)

// topic is a stored topic.
type topic struct {
	ARN        string            `json:"arn"`
	Name       string            `json:"name"`
	FIFO       bool              `json:"fifo,omitempty"`
	Attributes map[string]string `json:"attributes"` // only the settable ones, as set
	Tags       map[string]string `json:"tags,omitempty"`
	// DataProtectionPolicy is kept and returned, never applied.
	DataProtectionPolicy string `json:"dataProtectionPolicy,omitempty"`
	// SubscriptionsDeleted counts Unsubscribe calls, for the attribute of the same name.
	SubscriptionsDeleted int       `json:"subscriptionsDeleted,omitempty"`
	Created              time.Time `json:"created"`
}

// subscription is a stored subscription.
type subscription struct {
	ARN      string `json:"arn"`
	TopicARN string `json:"topicArn"`
	Protocol string `json:"protocol"`
	Endpoint string `json:"endpoint"`
	Owner    string `json:"owner"`
	// Attributes holds the settable ones as set (FilterPolicy, FilterPolicyScope,
	// RawMessageDelivery, RedrivePolicy, DeliveryPolicy, SubscriptionRoleArn).
	Attributes map[string]string `json:"attributes,omitempty"`
	Pending    bool              `json:"pending,omitempty"`
	// Authenticated records ConfirmSubscription's AuthenticateOnUnsubscribe.
	Authenticated bool      `json:"authenticated,omitempty"`
	Token         string    `json:"token,omitempty"`
	Created       time.Time `json:"created"`
}

// tokenRecord maps a confirmation token to its subscription. AWS's tokens are valid for two days.
type tokenRecord struct {
	SubscriptionARN string    `json:"subscriptionArn"`
	TopicARN        string    `json:"topicArn"`
	Expires         time.Time `json:"expires"`
}

// attribute is a published message attribute, as received (StringValue or BinaryValue).
type attribute struct {
	DataType    string `json:"dataType"`
	StringValue string `json:"stringValue,omitempty"`
	BinaryValue []byte `json:"binaryValue,omitempty"`
}

// message is a published message, stored until all its deliveries are done.
type message struct {
	ID        string               `json:"id"`
	TopicARN  string               `json:"topicArn"`
	Subject   string               `json:"subject,omitempty"`
	HasSubj   bool                 `json:"hasSubject,omitempty"`
	Body      string               `json:"body"`
	Structure string               `json:"structure,omitempty"` // "json" or ""
	Attrs     map[string]attribute `json:"attributes,omitempty"`
	Timestamp time.Time            `json:"timestamp"`
	GroupID   string               `json:"groupId,omitempty"`
	DedupID   string               `json:"dedupId,omitempty"`
	SeqNumber string               `json:"sequenceNumber,omitempty"`
	// Remaining counts the deliveries of this message not yet finished; the record is deleted
	// when it reaches zero.
	Remaining int `json:"remaining"`
}

// Delivery kinds.
const (
	kindNotification = "Notification"
	kindConfirmation = "SubscriptionConfirmation"
	// kindDeadLetter re-sends a notification that exhausted its retries to the subscription's
	// redrive dead-letter queue.
	kindDeadLetter = "DeadLetter"
)

// delivery is one pending piece of work: one message to one subscription (or one confirmation
// request). It is written in the same transaction that acknowledges the Publish or Subscribe,
// and deleted in the transaction that records its outcome.
type delivery struct {
	Key       string `json:"-"`
	Kind      string `json:"kind"`
	MessageID string `json:"messageId"`
	TopicARN  string `json:"topicArn"`
	SubARN    string `json:"subscriptionArn"`
	Protocol  string `json:"protocol"`
	Endpoint  string `json:"endpoint"`
	// Chain orders FIFO deliveries: deliveries with the same non-empty Chain are attempted one
	// at a time, in key order.
	Chain string `json:"chain,omitempty"`
	// Attempts made so far; NextAt is when the next one is due.
	Attempts int       `json:"attempts"`
	NextAt   time.Time `json:"nextAt"`
	// Token and ConfirmID are set for confirmation requests.
	Token     string `json:"token,omitempty"`
	ConfirmID string `json:"confirmId,omitempty"`
	// Payload is the body and attributes for kindDeadLetter, fixed when the delivery moved there.
	Payload      []byte                       `json:"payload,omitempty"`
	PayloadAttrs map[string]deliver.Attribute `json:"payloadAttributes,omitempty"`
	LastError    string                       `json:"lastError,omitempty"`
}

// dedupRecord remembers a FIFO message for the five-minute deduplication interval.
type dedupRecord struct {
	MessageID string    `json:"messageId"`
	SeqNumber string    `json:"sequenceNumber"`
	Expires   time.Time `json:"expires"`
}
