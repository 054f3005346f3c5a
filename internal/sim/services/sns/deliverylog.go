package sns

import (
	"encoding/json"
	"errors"
	"time"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
)

// The delivery log is SNS's record of what happened to each delivery once it finished: delivered,
// failed (target missing, denied by its policy, retries exhausted, refused by an HTTP endpoint's
// status) or dropped (its subscription went away). It stands in for the CloudWatch metrics
// NumberOfNotificationsDelivered / NumberOfNotificationsFailed / NumberOfNotificationsFilteredOut
// and the delivery-status logs; the lead can expose it through the admin API.

// Outcomes of a delivery.
const (
	OutcomeDelivered = "delivered"
	OutcomeFailed    = "failed"
	OutcomeDropped   = "dropped"
)

// DeliveryRecord is one finished delivery.
type DeliveryRecord struct {
	Seq             uint64    `json:"seq"`
	Time            time.Time `json:"time"`
	Kind            string    `json:"kind"` // Notification, SubscriptionConfirmation, DeadLetter
	MessageID       string    `json:"messageId,omitempty"`
	TopicARN        string    `json:"topicArn"`
	SubscriptionARN string    `json:"subscriptionArn"`
	Protocol        string    `json:"protocol"`
	Endpoint        string    `json:"endpoint"`
	Outcome         string    `json:"outcome"`
	Attempts        int       `json:"attempts"`
	StatusCode      int       `json:"statusCode,omitempty"` // HTTP/S only
	Error           string    `json:"error,omitempty"`
	// DeadLetterARN is where a failed notification was sent next, if the subscription has a
	// redrive policy.
	DeadLetterARN string `json:"deadLetterArn,omitempty"`
}

// logRetention is how many records the log keeps before it drops the oldest.
const logRetention = 10000

// TopicStats are a topic's counters, named after SNS's CloudWatch metrics.
type TopicStats struct {
	MessagesPublished        int64 `json:"numberOfMessagesPublished"`
	NotificationsDelivered   int64 `json:"numberOfNotificationsDelivered"`
	NotificationsFailed      int64 `json:"numberOfNotificationsFailed"`
	NotificationsFilteredOut int64 `json:"numberOfNotificationsFilteredOut"`
	NotificationsDropped     int64 `json:"numberOfNotificationsDropped"`
}

func appendLog(tx *store.Tx, rec *DeliveryRecord) error {
	n, err := tx.NextSequence(bucketLog)
	if err != nil {
		return err
	}
	rec.Seq = n
	if err := tx.Put(bucketLog, store.SeqKey(n), rec); err != nil {
		return err
	}
	if n > logRetention {
		return tx.Delete(bucketLog, store.SeqKey(n-logRetention))
	}
	return nil
}

func addStats(tx *store.Tx, topicARN string, fn func(*TopicStats)) error {
	var st TopicStats
	if err := tx.Get(bucketStats, topicARN, &st); err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	fn(&st)
	return tx.Put(bucketStats, topicARN, &st)
}

// DeliveryLog returns up to limit finished deliveries with a sequence number above after, oldest
// first.
func (s *Service) DeliveryLog(after uint64, limit int) ([]DeliveryRecord, error) {
	if limit <= 0 {
		limit = 100
	}
	var out []DeliveryRecord
	err := s.cfg.Store.View(func(tx *store.Tx) error {
		return tx.ForEachAfter(bucketLog, store.SeqKey(after), func(_ string, v []byte) error {
			if len(out) == limit {
				return store.ErrStop
			}
			var rec DeliveryRecord
			if err := json.Unmarshal(v, &rec); err != nil {
				return err
			}
			out = append(out, rec)
			return nil
		})
	})
	return out, err
}

// Stats returns a topic's counters (zero for an unknown topic).
func (s *Service) Stats(topicARN string) (TopicStats, error) {
	var st TopicStats
	err := s.cfg.Store.View(func(tx *store.Tx) error {
		if err := tx.Get(bucketStats, topicARN, &st); err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		return nil
	})
	return st, err
}

// PendingDeliveries is how many deliveries wait in the store (being attempted or waiting for a
// retry).
func (s *Service) PendingDeliveries() (int, error) {
	n := 0
	err := s.cfg.Store.View(func(tx *store.Tx) error {
		return tx.ForEach(bucketDeliveries, "", func(string, []byte) error { n++; return nil })
	})
	return n, err
}
