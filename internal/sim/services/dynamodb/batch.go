package dynamodb

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
)

// WriteRequest: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_WriteRequest.html
type WriteRequest struct {
	PutRequest    *PutRequest    `json:",omitempty"`
	DeleteRequest *DeleteRequest `json:",omitempty"`
}

// PutRequest: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_PutRequest.html
type PutRequest struct {
	Item Item
}

// DeleteRequest: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_DeleteRequest.html
type DeleteRequest struct {
	Key Item
}

// BatchWriteItemInput: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchWriteItem.html
type BatchWriteItemInput struct {
	RequestItems                map[string][]WriteRequest
	ReturnConsumedCapacity      *string
	ReturnItemCollectionMetrics *string
}

// BatchWriteItemOutput: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchWriteItem.html#API_BatchWriteItem_ResponseSyntax
type BatchWriteItemOutput struct {
	UnprocessedItems map[string][]WriteRequest
	ConsumedCapacity []ConsumedCapacity `json:",omitempty"`
}

// maxBatchWrite and maxBatchGet are AWS's request limits: 25 put or delete requests, 100 keys
// (BatchWriteItem and BatchGetItem references).
const (
	maxBatchWrite = 25
	maxBatchGet   = 100
)

// BatchWriteItem puts and deletes up to 25 items across tables in one transaction: all are
// written (UnprocessedItems is always empty) or, if any request is invalid, none.
func (s *Service) BatchWriteItem(_ context.Context, in *BatchWriteItemInput) (*BatchWriteItemOutput, *awswire.Error) {
	var v validation
	if in.RequestItems == nil {
		v.fail(nil, "requestItems", constraintNotNull)
	} else if len(in.RequestItems) == 0 {
		v.fail("{}", "requestItems", "Member must have length greater than or equal to 1")
	}
	checkCommon(&v, in.ReturnConsumedCapacity, in.ReturnItemCollectionMetrics)
	tables := sortedKeys(in.RequestItems)
	total := 0
	for _, name := range tables {
		n := name
		v.tableName(&n, "requestItems.key")
		reqs := in.RequestItems[name]
		if len(reqs) < 1 || len(reqs) > maxBatchWrite {
			v.fail(fmt.Sprintf("%d requests", len(reqs)), "requestItems", "Map value must satisfy constraint: [Member must have length less than or equal to 25, Member must have length greater than or equal to 1]")
		}
		total += len(reqs)
	}
	if e := v.err(); e != nil {
		return nil, e
	}
	if total > maxBatchWrite {
		return nil, errValidation("Too many items requested for the BatchWriteItem call")
	}
	for _, name := range tables {
		for _, r := range in.RequestItems[name] {
			var msg string
			switch {
			case (r.PutRequest == nil) == (r.DeleteRequest == nil):
				msg = "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes"
			case r.PutRequest != nil && r.PutRequest.Item == nil:
				msg = "1 validation error detected: Value null at 'requestItems." + name + ".member.putRequest.item' failed to satisfy constraint: " + constraintNotNull
			case r.DeleteRequest != nil && r.DeleteRequest.Key == nil:
				msg = "1 validation error detected: Value null at 'requestItems." + name + ".member.deleteRequest.key' failed to satisfy constraint: " + constraintNotNull
			case r.PutRequest != nil:
				if msg = validateItem(r.PutRequest.Item); msg == "" && itemSize(r.PutRequest.Item) > maxItemBytes {
					msg = "Item size has exceeded the maximum allowed size"
				}
			default:
				msg = validateItem(r.DeleteRequest.Key)
			}
			if msg != "" {
				return nil, errValidation("%s", msg)
			}
		}
	}
	out := &BatchWriteItemOutput{UnprocessedItems: map[string][]WriteRequest{}}
	var e *awswire.Error
	err := s.commits.Commit(func(tx *store.Tx) error {
		e = nil
		out.ConsumedCapacity = nil
		now := s.nowMS()
		type write struct {
			t      *tableRec
			sc     schema
			sk     string
			before Item
			after  Item
		}
		var writes []write
		units := map[string]float64{}
		// Check everything before writing anything, so an error leaves the store untouched.
		for _, name := range tables {
			t, te := s.activeTable(tx, name, now)
			if te != nil {
				e = te
				return nil
			}
			sc := t.schema()
			seen := map[string]bool{}
			for _, r := range in.RequestItems[name] {
				w := write{t: t, sc: sc}
				if r.PutRequest != nil {
					if ke := sc.checkItemKey(r.PutRequest.Item); ke != nil {
						e = ke
						if !isEmptyKeyError(ke) {
							e = errValidation("The provided key element does not match the schema")
						}
						return nil
					}
					w.sk, w.after = sc.storeKey(r.PutRequest.Item), r.PutRequest.Item
				} else {
					if ke := sc.checkKey(r.DeleteRequest.Key); ke != nil {
						e = ke
						return nil
					}
					w.sk = sc.storeKey(r.DeleteRequest.Key)
				}
				if seen[w.sk] {
					e = errValidation("Provided list of item keys contains duplicates")
					return nil
				}
				seen[w.sk] = true
				old, err := readItem(tx, t.ID, w.sk)
				if err != nil {
					return err
				}
				w.before = old
				u := writeUnits(old, w.after)
				if te := s.checkThroughput(t, now, 0, u); te != nil {
					e = te
					return nil
				}
				units[name] += u
				writes = append(writes, w)
			}
		}
		for _, w := range writes {
			if err := s.writeItem(tx, w.t, w.sc, w.sk, w.before, w.after, now); err != nil {
				return err
			}
		}
		for _, name := range tables {
			if c := consumed(in.ReturnConsumedCapacity, name, units[name]); c != nil {
				out.ConsumedCapacity = append(out.ConsumedCapacity, *c)
			}
		}
		return nil
	})
	if e != nil {
		return nil, e
	}
	if err != nil {
		return nil, errInternal(err)
	}
	return out, nil
}

func isEmptyKeyError(e *awswire.Error) bool {
	return strings.Contains(e.Message, "cannot contain an empty")
}

// KeysAndAttributes: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_KeysAndAttributes.html
type KeysAndAttributes struct {
	Keys                     []Item
	ConsistentRead           *bool             `json:",omitempty"`
	ProjectionExpression     *string           `json:",omitempty"`
	ExpressionAttributeNames map[string]string `json:",omitempty"`
	AttributesToGet          raw               `json:",omitempty"`
}

// BatchGetItemInput: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchGetItem.html
type BatchGetItemInput struct {
	RequestItems           map[string]KeysAndAttributes
	ReturnConsumedCapacity *string
}

// BatchGetItemOutput: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchGetItem.html#API_BatchGetItem_ResponseSyntax
type BatchGetItemOutput struct {
	Responses        map[string][]Item
	UnprocessedKeys  map[string]KeysAndAttributes
	ConsumedCapacity []ConsumedCapacity `json:",omitempty"`
}

// maxBatchGetBytes is the 16 MB BatchGetItem returns at most; keys beyond it come back in
// UnprocessedKeys.
const maxBatchGetBytes = 16 << 20

// BatchGetItem reads up to 100 items across tables.
func (s *Service) BatchGetItem(_ context.Context, in *BatchGetItemInput) (*BatchGetItemOutput, *awswire.Error) {
	var v validation
	if in.RequestItems == nil {
		v.fail(nil, "requestItems", constraintNotNull)
	} else if len(in.RequestItems) == 0 {
		v.fail("{}", "requestItems", "Member must have length greater than or equal to 1")
	}
	checkCommon(&v, in.ReturnConsumedCapacity, nil)
	tables := sortedKeys(in.RequestItems)
	for _, name := range tables {
		n := name
		v.tableName(&n, "requestItems.key")
		if ka := in.RequestItems[name]; len(ka.Keys) < 1 || len(ka.Keys) > maxBatchGet {
			v.fail(fmt.Sprintf("%d keys", len(ka.Keys)), "requestItems."+name+".member.keys", "Member must have length less than or equal to 100, Member must have length greater than or equal to 1")
		}
	}
	if e := v.err(); e != nil {
		return nil, e
	}
	type request struct {
		name   string
		ka     KeysAndAttributes
		parsed *parsedExprs
	}
	var reqs []request
	total := 0
	for _, name := range tables {
		ka := in.RequestItems[name]
		exprs := requestExprs{Names: ka.ExpressionAttributeNames, Projection: ka.ProjectionExpression}
		if e := checkLegacy(legacy{"AttributesToGet": ka.AttributesToGet}, exprs.present()); e != nil {
			return nil, e
		}
		parsed, e := exprs.parse()
		if e != nil {
			return nil, e
		}
		for _, k := range ka.Keys {
			if msg := validateItem(k); msg != "" {
				return nil, errValidation("%s", msg)
			}
		}
		total += len(ka.Keys)
		if total > maxBatchGet {
			return nil, errValidation("Too many items requested for the BatchGetItem call")
		}
		reqs = append(reqs, request{name, ka, parsed})
	}
	out := &BatchGetItemOutput{Responses: map[string][]Item{}, UnprocessedKeys: map[string]KeysAndAttributes{}}
	e := s.view(func(tx *store.Tx) *awswire.Error {
		now := s.nowMS()
		size := 0
		for _, r := range reqs {
			t, e := s.activeTable(tx, r.name, now)
			if e != nil {
				return e
			}
			sc := t.schema()
			seen := map[string]bool{}
			for _, k := range r.ka.Keys {
				if e := sc.checkKey(k); e != nil {
					return e
				}
				sk := sc.storeKey(k)
				if seen[sk] {
					return errValidation("Provided list of item keys contains duplicates")
				}
				seen[sk] = true
			}
			units := 0.0
			items := []Item{}
			for i, k := range r.ka.Keys {
				if size >= maxBatchGetBytes {
					rest := r.ka
					rest.Keys = r.ka.Keys[i:]
					out.UnprocessedKeys[r.name] = rest
					break
				}
				it, err := readItem(tx, t.ID, sc.storeKey(k))
				if err != nil {
					return errInternal(err)
				}
				units += readUnits(itemSize(it), derefBool(r.ka.ConsistentRead))
				if it == nil {
					continue
				}
				size += itemSize(it)
				if r.parsed.projection != nil {
					it = project(it, r.parsed.projection)
				}
				items = append(items, it)
			}
			if e := s.checkThroughput(t, now, units, 0); e != nil {
				return e
			}
			out.Responses[r.name] = items
			if c := consumed(in.ReturnConsumedCapacity, r.name, units); c != nil {
				out.ConsumedCapacity = append(out.ConsumedCapacity, *c)
			}
		}
		return nil
	})
	if e != nil {
		return nil, e
	}
	sort.Slice(out.ConsumedCapacity, func(i, j int) bool { return out.ConsumedCapacity[i].TableName < out.ConsumedCapacity[j].TableName })
	return out, nil
}
