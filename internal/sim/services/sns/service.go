package sns

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"sync"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/clock"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/deliver"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/server"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
)

// Version is the awsQuery API version SNS requests carry.
const Version = "2010-03-31"

// XMLNS is the namespace of SNS responses.
const XMLNS = "http://sns.amazonaws.com/doc/2010-03-31/"

// Config is what the SNS service needs from the simulator.
type Config struct {
	Store *store.Store
	// Clock drives retries and timestamps; default the wall clock.
	Clock clock.Clock
	// Bus carries deliveries to SQS queues and Lambda functions. SNS registers itself on it as
	// "sns" so other services (S3, EventBridge, Lambda destinations) can publish to topics.
	Bus *deliver.Bus
	// Region and AccountID are the simulated account; defaults us-east-1 and 000000000000.
	Region    string
	AccountID string
	Logger    *slog.Logger
	// Endpoint is the simulator's URL, for SubscribeURL, UnsubscribeURL and SigningCertURL.
	Endpoint func() string
	// HTTPClient sends http/https deliveries (tests pass an httptest TLS client). Whatever is
	// given, redirects are never followed and connections are only made to loopback addresses.
	HTTPClient *http.Client
	// Workers bounds concurrent delivery attempts; default 8.
	Workers int
}

// Service is the simulated SNS of one account and Region.
type Service struct {
	cfg    Config
	log    *slog.Logger
	query  *awswire.QueryService
	signer *signer
	http   *http.Client
	sched  *scheduler

	filterMu sync.Mutex
	filters  map[string]cachedFilter // subscription ARN -> compiled filter policy

	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// New builds the service from cfg and resumes the deliveries that were pending in the store.
func New(cfg Config) (*Service, error) {
	if cfg.Store == nil {
		return nil, errors.New("sns: a store is required")
	}
	if cfg.Clock == nil {
		cfg.Clock = clock.Real()
	}
	if cfg.Bus == nil {
		cfg.Bus = deliver.NewBus()
	}
	if cfg.Region == "" {
		cfg.Region = "us-east-1"
	}
	if cfg.AccountID == "" {
		cfg.AccountID = "000000000000"
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Endpoint == nil {
		cfg.Endpoint = func() string { return "http://127.0.0.1:4566" }
	}
	if cfg.Workers <= 0 {
		cfg.Workers = 8
	}
	s := &Service{
		cfg:     cfg,
		log:     cfg.Logger.With("service", "sns"),
		filters: map[string]cachedFilter{},
	}
	var err error
	if s.signer, err = loadSigner(cfg.Store, cfg.Clock); err != nil {
		return nil, err
	}
	s.http = loopbackClient(cfg.HTTPClient)
	s.query = &awswire.QueryService{Version: Version, XMLNS: XMLNS, MaxBody: maxRequestBody, Ops: s.ops()}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	s.sched = newScheduler(cfg.Clock)
	if err := s.resume(); err != nil {
		s.cancel()
		return nil, err
	}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		s.sched.run(s.ctx, cfg.Workers, s.attempt)
	}()
	cfg.Bus.Register("sns", s)
	return s, nil
}

// maxRequestBody bounds a request: a 1 MiB message, URL-encoded (up to three bytes a byte),
// plus its attributes; PublishBatch caps the sum of its entries at the same size.
const maxRequestBody = 4 << 20

// Register adds SNS's routes: awsQuery requests with Version=2010-03-31, anything signed for
// "sns", and the signing certificate's path (where SigningCertURL points).
func (s *Service) Register(r *server.Router) {
	r.QueryVersion(Version, s)
	r.Service("sns", s)
	r.PathPrefix(certPathPrefix, http.HandlerFunc(s.serveCertificate))
}

// ServeHTTP serves the SNS API.
func (s *Service) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.query.ServeHTTP(w, r) }

// Close stops the delivery workers. Pending deliveries stay in the store and resume on New.
func (s *Service) Close() error {
	s.cancel()
	s.wg.Wait()
	return nil
}

func (s *Service) ops() map[string]awswire.QueryOp {
	ops := map[string]awswire.QueryOp{
		"CreateTopic":               adapt("CreateTopic", decodeCreateTopic, s.CreateTopic),
		"DeleteTopic":               adapt("DeleteTopic", decodeDeleteTopic, s.DeleteTopic),
		"ListTopics":                adapt("ListTopics", decodeListTopics, s.ListTopics),
		"GetTopicAttributes":        adapt("GetTopicAttributes", decodeGetTopicAttributes, s.GetTopicAttributes),
		"SetTopicAttributes":        adapt("SetTopicAttributes", decodeSetTopicAttributes, s.SetTopicAttributes),
		"Subscribe":                 adapt("Subscribe", decodeSubscribe, s.Subscribe),
		"ConfirmSubscription":       adapt("ConfirmSubscription", decodeConfirmSubscription, s.ConfirmSubscription),
		"Unsubscribe":               adapt("Unsubscribe", decodeUnsubscribe, s.Unsubscribe),
		"ListSubscriptions":         adapt("ListSubscriptions", decodeListSubscriptions, s.ListSubscriptions),
		"ListSubscriptionsByTopic":  adapt("ListSubscriptionsByTopic", decodeListSubscriptionsByTopic, s.ListSubscriptionsByTopic),
		"GetSubscriptionAttributes": adapt("GetSubscriptionAttributes", decodeGetSubscriptionAttributes, s.GetSubscriptionAttributes),
		"SetSubscriptionAttributes": adapt("SetSubscriptionAttributes", decodeSetSubscriptionAttributes, s.SetSubscriptionAttributes),
		"Publish":                   adapt("Publish", decodePublish, s.Publish),
		"PublishBatch":              adapt("PublishBatch", decodePublishBatch, s.PublishBatch),
		"TagResource":               adapt("TagResource", decodeTagResource, s.TagResource),
		"UntagResource":             adapt("UntagResource", decodeUntagResource, s.UntagResource),
		"ListTagsForResource":       adapt("ListTagsForResource", decodeListTagsForResource, s.ListTagsForResource),
	}
	// Actions SNS has that the simulator does not serve answer a clear InvalidAction (never a
	// silent success); an empty or unknown Action gets AWS's own InvalidAction text.
	for _, a := range unservedActions {
		ops[a] = func(action string) awswire.QueryOp {
			return func(context.Context, url.Values) (any, *awswire.Error) { return nil, errUnknownAction(action, true) }
		}(a)
	}
	return ops
}

// unservedActions are SNS's other operations (the sns module's api_op_*.go files).
var unservedActions = []string{
	"AddPermission", "RemovePermission", "CheckIfPhoneNumberIsOptedOut", "CreatePlatformApplication",
	"CreatePlatformEndpoint", "CreateSMSSandboxPhoneNumber", "DeleteEndpoint", "DeletePlatformApplication",
	"DeleteSMSSandboxPhoneNumber", "GetDataProtectionPolicy", "GetEndpointAttributes",
	"GetPlatformApplicationAttributes", "GetSMSAttributes", "GetSMSSandboxAccountStatus",
	"ListEndpointsByPlatformApplication", "ListOriginationNumbers", "ListPhoneNumbersOptedOut",
	"ListPlatformApplications", "ListSMSSandboxPhoneNumbers", "OptInPhoneNumber", "PutDataProtectionPolicy",
	"SetEndpointAttributes", "SetPlatformApplicationAttributes", "SetSMSAttributes", "VerifySMSSandboxPhoneNumber",
}

// Receive lets other services publish to a topic through the bus (S3 notifications, EventBridge
// targets, Lambda destinations): the body becomes the message, attributes become message
// attributes. The topic's access policy is not evaluated.
func (s *Service) Receive(ctx context.Context, m deliver.Message) error {
	in := PublishInput{TopicARN: m.TargetARN, Message: string(m.Body), MessageGroupID: m.MessageGroupID, MessageDeduplicationID: m.DeduplicationID}
	if m.Subject != "" {
		in.Subject, in.HasSubject = m.Subject, true
	}
	if len(m.Attributes) > 0 {
		in.MessageAttributes = map[string]attribute{}
		for k, a := range m.Attributes {
			in.MessageAttributes[k] = attribute{DataType: a.DataType, StringValue: a.StringValue, BinaryValue: a.BinaryValue}
		}
	}
	_, e := s.Publish(ctx, in)
	switch {
	case e == nil:
		return nil
	case e.Code == "NotFound":
		return fmt.Errorf("%w: topic %s", deliver.ErrNoTarget, m.TargetARN)
	}
	return e
}
