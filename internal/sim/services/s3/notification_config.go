package s3

import (
	"encoding/base64"
	"encoding/xml"
	"fmt"
	"strings"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
)

// NotificationConfiguration is the document of PutBucketNotificationConfiguration and
// GetBucketNotificationConfiguration. On the wire the configurations are flattened lists of
// TopicConfiguration, QueueConfiguration and CloudFunctionConfiguration elements (the SDKs'
// LambdaFunctionConfigurations), plus an empty EventBridgeConfiguration element when EventBridge
// is on.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketNotificationConfiguration.html
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_NotificationConfiguration.html
type NotificationConfiguration struct {
	XMLName                      xml.Name              `xml:"http://s3.amazonaws.com/doc/2006-03-01/ NotificationConfiguration"`
	TopicConfigurations          []TargetConfiguration `xml:"TopicConfiguration"`
	QueueConfigurations          []TargetConfiguration `xml:"QueueConfiguration"`
	LambdaFunctionConfigurations []TargetConfiguration `xml:"CloudFunctionConfiguration"`
	EventBridgeConfiguration     *struct{}             `xml:"EventBridgeConfiguration"`
	// kinds is the kind of each configuration in document order, as UnmarshalXML met them.
	kinds []string
}

// TargetConfiguration is a TopicConfiguration, QueueConfiguration or LambdaFunctionConfiguration:
// they differ only in the element that holds the destination ARN (Topic, Queue, CloudFunction).
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_QueueConfiguration.html
type TargetConfiguration struct {
	ID            string              `xml:"Id,omitempty"`
	Topic         string              `xml:"Topic,omitempty"`
	Queue         string              `xml:"Queue,omitempty"`
	CloudFunction string              `xml:"CloudFunction,omitempty"`
	Events        []string            `xml:"Event"`
	Filter        *NotificationFilter `xml:"Filter,omitempty"`
	// InvocationRole belongs to the legacy CloudFunctionConfiguration; S3 refuses it today.
	InvocationRole string `xml:"InvocationRole,omitempty"`
}

// NotificationFilter selects objects by key (the SDKs' Filter.Key is S3Key on the wire).
type NotificationFilter struct {
	Key *S3KeyFilter `xml:"S3Key"`
}

// S3KeyFilter holds the prefix and suffix rules.
type S3KeyFilter struct {
	FilterRules []FilterRule `xml:"FilterRule"`
}

// FilterRule is one prefix or suffix rule.
type FilterRule struct {
	Name  string `xml:"Name"`
	Value string `xml:"Value"`
}

// Destination kinds, named as the bus names their services.
const (
	kindTopic  = "sns"
	kindQueue  = "sqs"
	kindLambda = "lambda"
)

// UnmarshalXML decodes the document keeping the order of its configurations, which is the order
// S3 reports destinations it could not validate in. Elements outside the schema make the
// document invalid, as S3 validates it against its schema.
func (n *NotificationConfiguration) UnmarshalXML(d *xml.Decoder, start xml.StartElement) error {
	if start.Name.Local != "NotificationConfiguration" {
		return fmt.Errorf("unexpected document element %s", start.Name.Local)
	}
	n.XMLName = start.Name
	for {
		tok, err := d.Token()
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.EndElement:
			return nil
		case xml.StartElement:
			var list *[]TargetConfiguration
			kind := ""
			switch t.Name.Local {
			case "TopicConfiguration":
				list, kind = &n.TopicConfigurations, kindTopic
			case "QueueConfiguration":
				list, kind = &n.QueueConfigurations, kindQueue
			case "CloudFunctionConfiguration":
				list, kind = &n.LambdaFunctionConfigurations, kindLambda
			case "EventBridgeConfiguration":
				n.EventBridgeConfiguration = &struct{}{}
				if err := d.Skip(); err != nil {
					return err
				}
				continue
			default:
				return fmt.Errorf("unexpected element %s", t.Name.Local)
			}
			var tc TargetConfiguration
			if err := d.DecodeElement(&tc, &t); err != nil {
				return err
			}
			*list = append(*list, tc)
			n.kinds = append(n.kinds, kind)
		}
	}
}

// targets returns the configurations in document order with their kinds (a value built in code
// rather than decoded is taken kind by kind).
func (n *NotificationConfiguration) targets() ([]TargetConfiguration, []string) {
	if len(n.kinds) == len(n.TopicConfigurations)+len(n.QueueConfigurations)+len(n.LambdaFunctionConfigurations) && len(n.kinds) > 0 {
		var out []TargetConfiguration
		idx := map[string]int{}
		for _, k := range n.kinds {
			var list []TargetConfiguration
			switch k {
			case kindTopic:
				list = n.TopicConfigurations
			case kindQueue:
				list = n.QueueConfigurations
			default:
				list = n.LambdaFunctionConfigurations
			}
			out = append(out, list[idx[k]])
			idx[k]++
		}
		return out, n.kinds
	}
	var out []TargetConfiguration
	var kinds []string
	for _, tc := range n.TopicConfigurations {
		out, kinds = append(out, tc), append(kinds, kindTopic)
	}
	for _, tc := range n.QueueConfigurations {
		out, kinds = append(out, tc), append(kinds, kindQueue)
	}
	for _, tc := range n.LambdaFunctionConfigurations {
		out, kinds = append(out, tc), append(kinds, kindLambda)
	}
	return out, kinds
}

// notificationConfig is a bucket's validated notification configuration as the store keeps it.
type notificationConfig struct {
	Destinations []destination `json:"destinations,omitempty"`
	EventBridge  bool          `json:"eventBridge,omitempty"`
}

// destination is one configuration: where matching events go.
type destination struct {
	Kind   string       `json:"kind"` // sns, sqs or lambda
	ID     string       `json:"id"`
	ARN    string       `json:"arn"`
	Events []string     `json:"events"`
	Rules  []filterRule `json:"rules,omitempty"`
}

type filterRule struct {
	Name  string `json:"name"` // "Prefix" or "Suffix", as S3 returns them
	Value string `json:"value"`
}

func (d *destination) filter() (prefix, suffix string, any bool) {
	for _, r := range d.Rules {
		if r.Name == "Prefix" {
			prefix = r.Value
		} else {
			suffix = r.Value
		}
	}
	return prefix, suffix, len(d.Rules) > 0
}

// validEvents are the event types a configuration may name: the Event enum of the S3 model
// (aws-sdk-go-v2/service/s3 types.Event), which is the list S3 accepts.
var validEvents = map[string]bool{}

func init() {
	for _, e := range []string{
		"s3:ReducedRedundancyLostObject",
		"s3:ObjectCreated:*", "s3:ObjectCreated:Put", "s3:ObjectCreated:Post", "s3:ObjectCreated:Copy",
		"s3:ObjectCreated:CompleteMultipartUpload",
		"s3:ObjectRemoved:*", "s3:ObjectRemoved:Delete", "s3:ObjectRemoved:DeleteMarkerCreated",
		"s3:ObjectRestore:*", "s3:ObjectRestore:Post", "s3:ObjectRestore:Completed", "s3:ObjectRestore:Delete",
		"s3:Replication:*", "s3:Replication:OperationFailedReplication", "s3:Replication:OperationNotTracked",
		"s3:Replication:OperationMissedThreshold", "s3:Replication:OperationReplicatedAfterThreshold",
		"s3:LifecycleTransition", "s3:IntelligentTiering", "s3:ObjectAcl:Put",
		"s3:LifecycleExpiration:*", "s3:LifecycleExpiration:Delete", "s3:LifecycleExpiration:DeleteMarkerCreated",
		"s3:ObjectTagging:*", "s3:ObjectTagging:Put", "s3:ObjectTagging:Delete",
		"s3:ObjectAnnotation:*", "s3:ObjectAnnotation:Put", "s3:ObjectAnnotation:Delete",
		"s3:ObjectRetention:Put",
	} {
		validEvents[e] = true
	}
}

// eventMatches reports whether a configured event type (maybe a "*" wildcard) covers an event
// name ("s3:ObjectCreated:Put").
func eventMatches(configured, name string) bool {
	if configured == name {
		return true
	}
	base, ok := strings.CutSuffix(configured, "*")
	return ok && strings.HasPrefix(name, base)
}

// eventsOverlap reports whether two configured event types share an event.
func eventsOverlap(a, b string) bool { return eventMatches(a, b) || eventMatches(b, a) }

// validateNotification checks a document the way S3 does before it looks at any destination:
// the event types, the filter rules, the ARNs, and that no two configurations claim the same
// event for overlapping keys. It returns the configuration to store, with an Id for every
// configuration that has none (S3 assigns one).
func validateNotification(doc *NotificationConfiguration) (*notificationConfig, *awswire.Error) {
	targets, kinds := doc.targets()
	out := &notificationConfig{EventBridge: doc.EventBridgeConfiguration != nil}
	for i, tc := range targets {
		d := destination{Kind: kinds[i], ID: tc.ID}
		element := map[string]string{kindTopic: "Topic", kindQueue: "Queue", kindLambda: "CloudFunction"}[d.Kind]
		switch d.Kind {
		case kindTopic:
			d.ARN = tc.Topic
			if tc.Queue != "" || tc.CloudFunction != "" {
				return nil, errMalformedXML()
			}
		case kindQueue:
			d.ARN = tc.Queue
			if tc.Topic != "" || tc.CloudFunction != "" {
				return nil, errMalformedXML()
			}
		default:
			d.ARN = tc.CloudFunction
			if tc.Topic != "" || tc.Queue != "" {
				return nil, errMalformedXML()
			}
			if tc.InvocationRole != "" {
				return nil, errInvalidArgument("Invocation role is not supported", "InvocationRole", tc.InvocationRole)
			}
		}
		d.ARN = strings.TrimSpace(d.ARN)
		if d.ARN == "" || len(tc.Events) == 0 {
			return nil, errMalformedXML()
		}
		for _, e := range tc.Events {
			e = strings.TrimSpace(e)
			if !validEvents[e] {
				return nil, errUnsupportedEvent(e)
			}
			d.Events = append(d.Events, e)
		}
		if tc.Filter != nil && tc.Filter.Key != nil {
			seen := map[string]bool{}
			for _, r := range tc.Filter.Key.FilterRules {
				name := strings.ToLower(strings.TrimSpace(r.Name))
				if name != "prefix" && name != "suffix" {
					return nil, errFilterRuleName(r.Name)
				}
				if seen[name] {
					return nil, errDuplicateFilterRule(name)
				}
				seen[name] = true
				d.Rules = append(d.Rules, filterRule{Name: strings.ToUpper(name[:1]) + name[1:], Value: r.Value})
			}
		}
		if !validDestinationARN(d.Kind, d.ARN) {
			return nil, errUnparsableARN(element, d.ARN)
		}
		if d.ID == "" {
			d.ID = newConfigurationID()
		}
		out.Destinations = append(out.Destinations, d)
	}
	if e := checkOverlaps(out.Destinations); e != nil {
		return nil, e
	}
	return out, nil
}

// validDestinationARN checks an ARN's form and that it names the kind of resource its element is
// for: arn:<partition>:<service>:<region>:<account>:<resource>, a Lambda one naming a function.
func validDestinationARN(kind, arn string) bool {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || parts[1] == "" || parts[2] != kind || parts[3] == "" || parts[4] == "" || parts[5] == "" {
		return false
	}
	if kind == kindLambda {
		name, ok := strings.CutPrefix(parts[5], "function:")
		return ok && name != "" && !strings.HasPrefix(name, ":")
	}
	return !strings.ContainsAny(parts[5], ":/")
}

// checkOverlaps refuses two configurations that share an event type for keys both would select:
// their prefixes overlap (one is a prefix of the other, an absent one of every key) and so do
// their suffixes. Without any filter S3 says the configurations overlap; with one, that the
// configuration is ambiguous.
func checkOverlaps(ds []destination) *awswire.Error {
	for i := range ds {
		for j := i + 1; j < len(ds); j++ {
			a, b := &ds[i], &ds[j]
			pa, sa, fa := a.filter()
			pb, sb, fb := b.filter()
			keysOverlap := (strings.HasPrefix(pa, pb) || strings.HasPrefix(pb, pa)) &&
				(strings.HasSuffix(sa, sb) || strings.HasSuffix(sb, sa))
			if !keysOverlap {
				continue
			}
			for _, ea := range a.Events {
				for _, eb := range b.Events {
					if !eventsOverlap(ea, eb) {
						continue
					}
					if !fa && !fb {
						return errConfigurationsOverlap(ea, eb)
					}
					return errAmbiguousFilters()
				}
			}
		}
	}
	return nil
}

// newConfigurationID is the Id S3 gives a configuration that has none: base64 of a random UUID's
// text form, as the configurationId of such configurations reads in real events.
func newConfigurationID() string {
	return base64.StdEncoding.EncodeToString([]byte(awswire.NewRequestID()))
}

// document renders the stored configuration as GetBucketNotificationConfiguration answers it:
// topics, queues, then functions, each in the order they were put, filter rule names capitalised.
func (n *notificationConfig) document() *NotificationConfiguration {
	doc := &NotificationConfiguration{}
	if n == nil {
		return doc
	}
	if n.EventBridge {
		doc.EventBridgeConfiguration = &struct{}{}
	}
	for _, d := range n.Destinations {
		tc := TargetConfiguration{ID: d.ID, Events: d.Events}
		if len(d.Rules) > 0 {
			tc.Filter = &NotificationFilter{Key: &S3KeyFilter{}}
			for _, r := range d.Rules {
				tc.Filter.Key.FilterRules = append(tc.Filter.Key.FilterRules, FilterRule(r))
			}
		}
		switch d.Kind {
		case kindTopic:
			tc.Topic = d.ARN
			doc.TopicConfigurations = append(doc.TopicConfigurations, tc)
		case kindQueue:
			tc.Queue = d.ARN
			doc.QueueConfigurations = append(doc.QueueConfigurations, tc)
		default:
			tc.CloudFunction = d.ARN
			doc.LambdaFunctionConfigurations = append(doc.LambdaFunctionConfigurations, tc)
		}
	}
	return doc
}
