package elbv2

import (
	"encoding/json"
	"errors"
	"sort"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
)

func getRecord[T any](tx *store.Tx, bucket, arn string, notFound func() error) (*T, error) {
	var v T
	if err := tx.Get(bucket, arn, &v); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return nil, notFound()
		}
		return nil, err
	}
	return &v, nil
}

func allRecords[T any](tx *store.Tx, bucket string) ([]*T, error) {
	var out []*T
	err := tx.ForEach(bucket, "", func(_ string, data []byte) error {
		var v T
		if err := json.Unmarshal(data, &v); err != nil {
			return err
		}
		out = append(out, &v)
		return nil
	})
	return out, err
}

func getLoadBalancer(tx *store.Tx, arn string) (*loadBalancer, error) {
	return getRecord[loadBalancer](tx, bucketLoadBalancers, arn, func() error { return errLoadBalancerNotFound() })
}

func getTargetGroup(tx *store.Tx, arn string) (*targetGroup, error) {
	return getRecord[targetGroup](tx, bucketTargetGroups, arn, func() error { return errTargetGroupNotFound() })
}

func getListener(tx *store.Tx, arn string) (*listener, error) {
	return getRecord[listener](tx, bucketListeners, arn, func() error { return errListenerNotFound() })
}

// listenersOf returns a load balancer's listeners by port.
func listenersOf(tx *store.Tx, lbARN string) ([]*listener, error) {
	all, err := allRecords[listener](tx, bucketListeners)
	if err != nil {
		return nil, err
	}
	var out []*listener
	for _, l := range all {
		if l.LoadBalancerARN == lbARN {
			out = append(out, l)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Port < out[j].Port })
	return out, nil
}

// loadBalancersOf returns the ARNs of the load balancers whose listeners forward to a target group.
func loadBalancersOf(tx *store.Tx, tgARN string) ([]string, error) {
	all, err := allRecords[listener](tx, bucketListeners)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	var out []string
	for _, l := range all {
		if l.targetGroupARN() == tgARN && !seen[l.LoadBalancerARN] {
			seen[l.LoadBalancerARN] = true
			out = append(out, l.LoadBalancerARN)
		}
	}
	sort.Strings(out)
	return out, nil
}
