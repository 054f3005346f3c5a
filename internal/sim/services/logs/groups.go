package logs

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"regexp"
	"slices"
	"strings"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
)

var groupNamePattern = regexp.MustCompile(`^[\.\-_/#A-Za-z0-9]{1,512}$`)

// retentionDays are the values PutRetentionPolicy accepts.
var retentionDays = []int{1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653}

func checkGroupName(name, member string) *awswire.Error {
	if !groupNamePattern.MatchString(name) {
		return errConstraint(name, member, `Member must satisfy regular expression pattern: [\.\-_/#A-Za-z0-9]+`)
	}
	return nil
}

// CreateLogGroupInput is https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html
type CreateLogGroupInput struct {
	LogGroupName  string            `json:"logGroupName"`
	KmsKeyID      string            `json:"kmsKeyId"`
	LogGroupClass string            `json:"logGroupClass"`
	Tags          map[string]string `json:"tags"`
}

// CreateLogGroup creates a log group.
func (s *Service) CreateLogGroup(_ context.Context, in *CreateLogGroupInput) (*struct{}, *awswire.Error) {
	if e := checkGroupName(in.LogGroupName, "logGroupName"); e != nil {
		return nil, e
	}
	switch in.LogGroupClass {
	case "", "STANDARD", "INFREQUENT_ACCESS", "DELIVERY":
	default:
		return nil, errConstraint(in.LogGroupClass, "logGroupClass", "Member must satisfy enum value set: [STANDARD, INFREQUENT_ACCESS, DELIVERY]")
	}
	var ae *awswire.Error
	err := s.cfg.Store.Update(func(tx *store.Tx) error {
		if tx.Has(bucketGroups, in.LogGroupName) {
			ae = errGroupExists()
			return nil
		}
		return s.createGroup(tx, in)
	})
	if err != nil {
		return nil, errInternal(err)
	}
	return &struct{}{}, ae
}

func (s *Service) createGroup(tx *store.Tx, in *CreateLogGroupInput) error {
	class := in.LogGroupClass
	if class == "" {
		class = "STANDARD"
	}
	return tx.Put(bucketGroups, in.LogGroupName, groupRecord{Name: in.LogGroupName, Created: millis(s.now()), KmsKeyID: in.KmsKeyID, Class: class, Tags: in.Tags})
}

// DeleteLogGroupInput is https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_DeleteLogGroup.html
type DeleteLogGroupInput struct {
	LogGroupName string `json:"logGroupName"`
}

// DeleteLogGroup deletes a group with its streams, events and subscription filters.
func (s *Service) DeleteLogGroup(_ context.Context, in *DeleteLogGroupInput) (*struct{}, *awswire.Error) {
	var ae *awswire.Error
	err := s.cfg.Store.Update(func(tx *store.Tx) error {
		if _, e := getGroup(tx, in.LogGroupName); e != nil {
			ae = e
			return nil
		}
		var streams []streamRecord
		if err := tx.ForEach(bucketStreams, in.LogGroupName+keySep, func(_ string, v []byte) error {
			var st streamRecord
			if err := json.Unmarshal(v, &st); err != nil {
				return err
			}
			streams = append(streams, st)
			return nil
		}); err != nil {
			return err
		}
		for _, st := range streams {
			if err := deleteStream(tx, &st); err != nil {
				return err
			}
		}
		if err := deletePrefix(tx, bucketSubs, in.LogGroupName+keySep); err != nil {
			return err
		}
		if err := deletePrefix(tx, bucketOpen, in.LogGroupName+keySep); err != nil {
			return err
		}
		return tx.Delete(bucketGroups, in.LogGroupName)
	})
	if err != nil {
		return nil, errInternal(err)
	}
	return &struct{}{}, ae
}

// DescribeLogGroupsInput is https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_DescribeLogGroups.html
type DescribeLogGroupsInput struct {
	LogGroupNamePrefix  string   `json:"logGroupNamePrefix"`
	LogGroupNamePattern string   `json:"logGroupNamePattern"`
	LogGroupIdentifiers []string `json:"logGroupIdentifiers"`
	NextToken           string   `json:"nextToken"`
	Limit               *int     `json:"limit"`
	LogGroupClass       string   `json:"logGroupClass"`
}

// LogGroup is one entry of DescribeLogGroups.
type LogGroup struct {
	LogGroupName      string `json:"logGroupName"`
	Arn               string `json:"arn"`
	LogGroupArn       string `json:"logGroupArn"`
	CreationTime      int64  `json:"creationTime"`
	RetentionInDays   *int   `json:"retentionInDays,omitempty"`
	MetricFilterCount int    `json:"metricFilterCount"`
	StoredBytes       int64  `json:"storedBytes"`
	KmsKeyID          string `json:"kmsKeyId,omitempty"`
	LogGroupClass     string `json:"logGroupClass,omitempty"`
}

// DescribeLogGroupsOutput answers DescribeLogGroups.
type DescribeLogGroupsOutput struct {
	LogGroups []LogGroup `json:"logGroups"`
	NextToken string     `json:"nextToken,omitempty"`
}

// DescribeLogGroups lists groups in name order, by prefix or by a substring pattern.
func (s *Service) DescribeLogGroups(_ context.Context, in *DescribeLogGroupsInput) (*DescribeLogGroupsOutput, *awswire.Error) {
	if in.LogGroupNamePrefix != "" && in.LogGroupNamePattern != "" {
		return nil, errInvalidParameter("LogGroupNamePrefix and LogGroupNamePattern are mutually exclusive parameters.")
	}
	limit, e := pageLimit(in.Limit, 50)
	if e != nil {
		return nil, e
	}
	after, e := decodeToken(in.NextToken)
	if e != nil {
		return nil, e
	}
	out := &DescribeLogGroupsOutput{LogGroups: []LogGroup{}}
	err := s.cfg.Store.View(func(tx *store.Tx) error {
		visit := func(k string, v []byte) error {
			if k <= after && after != "" {
				return nil
			}
			if !strings.HasPrefix(k, in.LogGroupNamePrefix) {
				if k > in.LogGroupNamePrefix {
					return store.ErrStop
				}
				return nil
			}
			if in.LogGroupNamePattern != "" && !strings.Contains(strings.ToLower(k), strings.ToLower(in.LogGroupNamePattern)) {
				return nil
			}
			if len(in.LogGroupIdentifiers) > 0 && !slices.Contains(in.LogGroupIdentifiers, k) && !slices.Contains(in.LogGroupIdentifiers, s.groupARNBare(k)) {
				return nil
			}
			var g groupRecord
			if err := json.Unmarshal(v, &g); err != nil {
				return err
			}
			if in.LogGroupClass != "" && g.Class != in.LogGroupClass {
				return nil
			}
			if len(out.LogGroups) == limit {
				out.NextToken = encodeToken(out.LogGroups[len(out.LogGroups)-1].LogGroupName)
				return store.ErrStop
			}
			out.LogGroups = append(out.LogGroups, s.describeGroup(&g))
			return nil
		}
		return tx.ForEach(bucketGroups, in.LogGroupNamePrefix, visit)
	})
	if err != nil {
		return nil, errInternal(err)
	}
	return out, nil
}

func (s *Service) describeGroup(g *groupRecord) LogGroup {
	lg := LogGroup{LogGroupName: g.Name, Arn: s.groupARN(g.Name), LogGroupArn: s.groupARNBare(g.Name), CreationTime: g.Created,
		StoredBytes: g.StoredBytes, KmsKeyID: g.KmsKeyID, LogGroupClass: g.Class}
	if g.RetentionDays > 0 {
		d := g.RetentionDays
		lg.RetentionInDays = &d
	}
	return lg
}

// PutRetentionPolicyInput is https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html
type PutRetentionPolicyInput struct {
	LogGroupName    string `json:"logGroupName"`
	RetentionInDays int    `json:"retentionInDays"`
}

// PutRetentionPolicy sets how long a group keeps events; PutLogEvents rejects older ones.
// Events already stored are not expired by the simulator.
func (s *Service) PutRetentionPolicy(_ context.Context, in *PutRetentionPolicyInput) (*struct{}, *awswire.Error) {
	if !slices.Contains(retentionDays, in.RetentionInDays) {
		return nil, errConstraint(in.RetentionInDays, "retentionInDays", "Member must satisfy enum value set: [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653]")
	}
	return s.setRetention(in.LogGroupName, in.RetentionInDays)
}

// DeleteRetentionPolicyInput is https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_DeleteRetentionPolicy.html
type DeleteRetentionPolicyInput struct {
	LogGroupName string `json:"logGroupName"`
}

// DeleteRetentionPolicy makes a group keep events forever.
func (s *Service) DeleteRetentionPolicy(_ context.Context, in *DeleteRetentionPolicyInput) (*struct{}, *awswire.Error) {
	return s.setRetention(in.LogGroupName, 0)
}

func (s *Service) setRetention(group string, days int) (*struct{}, *awswire.Error) {
	var ae *awswire.Error
	err := s.cfg.Store.Update(func(tx *store.Tx) error {
		g, e := getGroup(tx, group)
		if e != nil {
			ae = e
			return nil
		}
		g.RetentionDays = days
		return tx.Put(bucketGroups, group, g)
	})
	if err != nil {
		return nil, errInternal(err)
	}
	return &struct{}{}, ae
}

// pageLimit reads a limit member (1-max, default max).
func pageLimit(limit *int, maxLimit int) (int, *awswire.Error) {
	if limit == nil {
		return maxLimit, nil
	}
	if *limit < 1 || *limit > maxLimit {
		return 0, errConstraint(*limit, "limit", "Member must have value between 1 and "+itoa(maxLimit))
	}
	return *limit, nil
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

// Pagination tokens carry the last key listed.
func encodeToken(lastKey string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(lastKey))
}

func decodeToken(token string) (string, *awswire.Error) {
	if token == "" {
		return "", nil
	}
	b, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil {
		return "", errInvalidParameter("The specified nextToken is invalid.")
	}
	return string(b), nil
}
