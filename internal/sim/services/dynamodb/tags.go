package dynamodb

import (
	"context"
	"sort"
	"strconv"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
)

// maxTags is AWS's limit of 50 tags per table (Tagging.html, "Tagging restrictions").
const maxTags = 50

func checkTags(tags []Tag) *awswire.Error {
	var v validation
	for i, t := range tags {
		k, val := t.Key, t.Value
		if len(k) < 1 || len(k) > 128 {
			v.fail(&k, "tags."+strconv.Itoa(i+1)+".member.key", "Member must have length less than or equal to 128, Member must have length greater than or equal to 1")
		}
		if len(val) > 256 {
			v.fail(&val, "tags."+strconv.Itoa(i+1)+".member.value", constraintMaxLen(256))
		}
	}
	return v.err()
}

// TagResourceInput: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TagResource.html
type TagResourceInput struct {
	ResourceArn *string
	Tags        []Tag
}

// TagResource adds or replaces tags of a table.
func (s *Service) TagResource(_ context.Context, in *TagResourceInput) (*struct{}, *awswire.Error) {
	if in.Tags == nil {
		var v validation
		v.fail(nil, "tags", constraintNotNull)
		return nil, v.err()
	}
	if e := checkTags(in.Tags); e != nil {
		return nil, e
	}
	return nil, s.editTags(in.ResourceArn, func(t *tableRec) *awswire.Error {
		for _, nt := range in.Tags {
			replaced := false
			for i := range t.Tags {
				if t.Tags[i].Key == nt.Key {
					t.Tags[i].Value, replaced = nt.Value, true
				}
			}
			if !replaced {
				t.Tags = append(t.Tags, nt)
			}
		}
		if len(t.Tags) > maxTags {
			// ours: the limit is AWS's, the text is not confirmed.
			return ddbError("LimitExceededException", "The number of tags on the resource exceeds the limit of %d", maxTags)
		}
		return nil
	})
}

// UntagResourceInput: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UntagResource.html
type UntagResourceInput struct {
	ResourceArn *string
	TagKeys     []string
}

// UntagResource removes tags of a table.
func (s *Service) UntagResource(_ context.Context, in *UntagResourceInput) (*struct{}, *awswire.Error) {
	return nil, s.editTags(in.ResourceArn, func(t *tableRec) *awswire.Error {
		kept := t.Tags[:0]
		for _, tag := range t.Tags {
			drop := false
			for _, k := range in.TagKeys {
				drop = drop || k == tag.Key
			}
			if !drop {
				kept = append(kept, tag)
			}
		}
		t.Tags = kept
		return nil
	})
}

func (s *Service) editTags(arn *string, fn func(t *tableRec) *awswire.Error) *awswire.Error {
	name, e := s.tagTarget(arn)
	if e != nil {
		return e
	}
	return s.update(func(tx *store.Tx) *awswire.Error {
		t, err := getTable(tx, name, s.nowMS())
		if err != nil {
			return errInternal(err)
		}
		if t == nil {
			return errTableNotFoundNamed(name)
		}
		if e := fn(t); e != nil {
			return e
		}
		if err := tx.Put(bucketTables, name, t); err != nil {
			return errInternal(err)
		}
		return nil
	})
}

func (s *Service) tagTarget(arn *string) (string, *awswire.Error) {
	var v validation
	if arn == nil {
		v.fail(nil, "resourceArn", constraintNotNull)
		return "", v.err()
	}
	name, ok := s.tableFromARN(*arn)
	if !ok {
		// ours: AWS answers an ARN it does not serve with a not-found or access error.
		return "", ddbError("ResourceNotFoundException", "Requested resource not found: ResourceArn: %s not found", *arn)
	}
	return name, nil
}

// ListTagsOfResourceInput: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_ListTagsOfResource.html
type ListTagsOfResourceInput struct {
	ResourceArn *string
	NextToken   *string
}

// ListTagsOfResourceOutput: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_ListTagsOfResource.html#API_ListTagsOfResource_ResponseSyntax
type ListTagsOfResourceOutput struct {
	Tags []Tag
}

// ListTagsOfResource lists a table's tags (all of them: there are at most 50, so no paging).
func (s *Service) ListTagsOfResource(_ context.Context, in *ListTagsOfResourceInput) (*ListTagsOfResourceOutput, *awswire.Error) {
	name, e := s.tagTarget(in.ResourceArn)
	if e != nil {
		return nil, e
	}
	out := &ListTagsOfResourceOutput{Tags: []Tag{}}
	e = s.view(func(tx *store.Tx) *awswire.Error {
		t, err := getTable(tx, name, s.nowMS())
		if err != nil {
			return errInternal(err)
		}
		if t == nil {
			return errTableNotFoundNamed(name)
		}
		out.Tags = append(out.Tags, t.Tags...)
		sort.Slice(out.Tags, func(i, j int) bool { return out.Tags[i].Key < out.Tags[j].Key })
		return nil
	})
	if e != nil {
		return nil, e
	}
	return out, nil
}

// DescribeTimeToLiveInput: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_DescribeTimeToLive.html
type DescribeTimeToLiveInput struct {
	TableName *string
}

// DescribeTimeToLiveOutput: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_DescribeTimeToLive.html#API_DescribeTimeToLive_ResponseSyntax
type DescribeTimeToLiveOutput struct {
	TimeToLiveDescription struct {
		TimeToLiveStatus string
	}
}

// DescribeTimeToLive answers DISABLED: the simulator does not expire items (UpdateTimeToLive is
// not served, so TTL can never be on).
func (s *Service) DescribeTimeToLive(_ context.Context, in *DescribeTimeToLiveInput) (*DescribeTimeToLiveOutput, *awswire.Error) {
	if e := s.checkTableRef(in.TableName); e != nil {
		return nil, e
	}
	out := &DescribeTimeToLiveOutput{}
	out.TimeToLiveDescription.TimeToLiveStatus = "DISABLED"
	e := s.view(func(tx *store.Tx) *awswire.Error {
		t, err := getTable(tx, s.resolveTableName(*in.TableName), s.nowMS())
		if err != nil {
			return errInternal(err)
		}
		if t == nil {
			return errTableNotFoundNamed(*in.TableName)
		}
		return nil
	})
	if e != nil {
		return nil, e
	}
	return out, nil
}

// DescribeLimitsOutput: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_DescribeLimits.html
type DescribeLimitsOutput struct {
	AccountMaxReadCapacityUnits  int64
	AccountMaxWriteCapacityUnits int64
	TableMaxReadCapacityUnits    int64
	TableMaxWriteCapacityUnits   int64
}

// DescribeLimits answers AWS's default quotas: 80,000 read and write capacity units per account,
// 40,000 per table (ServiceQuotas.html, "Capacity unit sizes ... default quotas").
func (s *Service) DescribeLimits(context.Context, *struct{}) (*DescribeLimitsOutput, *awswire.Error) {
	return &DescribeLimitsOutput{
		AccountMaxReadCapacityUnits: 80000, AccountMaxWriteCapacityUnits: 80000,
		TableMaxReadCapacityUnits: 40000, TableMaxWriteCapacityUnits: 40000,
	}, nil
}
