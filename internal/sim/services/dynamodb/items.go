package dynamodb

import (
	"context"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
)

// PutItemInput: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_PutItem.html
type PutItemInput struct {
	TableName                           *string
	Item                                Item
	ConditionExpression                 *string
	ReturnValues                        *string
	ReturnValuesOnConditionCheckFailure *string
	ReturnConsumedCapacity              *string
	ReturnItemCollectionMetrics         *string
	exprParams

	Expected            raw
	ConditionalOperator raw
}

// PutItemOutput: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_PutItem.html#API_PutItem_ResponseSyntax
type PutItemOutput struct {
	Attributes       Item              `json:",omitempty"`
	ConsumedCapacity *ConsumedCapacity `json:",omitempty"`
}

var returnValuesEnum = []string{"NONE", "ALL_OLD", "UPDATED_OLD", "ALL_NEW", "UPDATED_NEW"}

// PutItem creates or replaces an item, if its condition holds.
func (s *Service) PutItem(_ context.Context, in *PutItemInput) (*PutItemOutput, *awswire.Error) {
	var v validation
	v.tableRef(in.TableName)
	if in.Item == nil {
		v.fail(nil, "item", constraintNotNull)
	}
	v.enum(in.ReturnValues, "returnValues", returnValuesEnum...)
	v.enum(in.ReturnValuesOnConditionCheckFailure, "returnValuesOnConditionCheckFailure", "ALL_OLD", "NONE")
	checkCommon(&v, in.ReturnConsumedCapacity, in.ReturnItemCollectionMetrics)
	if e := v.err(); e != nil {
		return nil, e
	}
	exprs := requestExprs{Names: in.ExpressionAttributeNames, Values: in.ExpressionAttributeValues,
		Condition: in.ConditionExpression, valueExprs: []string{"ConditionExpression"}}
	if e := checkLegacy(legacy{"Expected": in.Expected, "ConditionalOperator": in.ConditionalOperator}, exprs.present()); e != nil {
		return nil, e
	}
	if msg := validateItem(in.Item); msg != "" {
		return nil, errValidation("%s", msg)
	}
	if rv := deref(in.ReturnValues); rv != "" && rv != "NONE" && rv != "ALL_OLD" {
		return nil, errValidation("ReturnValues can only be ALL_OLD or NONE")
	}
	if itemSize(in.Item) > maxItemBytes {
		return nil, errItemTooLarge()
	}
	parsed, e := exprs.parse()
	if e != nil {
		return nil, e
	}
	out := &PutItemOutput{}
	e = s.writeOne(*in.TableName, func(tx *store.Tx, t *tableRec, sc schema, now int64) *awswire.Error {
		if e := sc.checkItemKey(in.Item); e != nil {
			return e
		}
		sk := sc.storeKey(in.Item)
		old, err := readItem(tx, t.ID, sk)
		if err != nil {
			return errInternal(err)
		}
		if parsed.condition != nil && !evalCond(parsed.condition, old) {
			return conditionFailed(in.ReturnValuesOnConditionCheckFailure, old)
		}
		units := writeUnits(old, in.Item)
		if e := s.checkThroughput(t, now, 0, units); e != nil {
			return e
		}
		if err := s.writeItem(tx, t, sc, sk, old, in.Item, now); err != nil {
			return errInternal(err)
		}
		*out = PutItemOutput{ConsumedCapacity: consumed(in.ReturnConsumedCapacity, t.Name, units)}
		if deref(in.ReturnValues) == "ALL_OLD" && old != nil {
			out.Attributes = old
		}
		return nil
	})
	if e != nil {
		return nil, e
	}
	return out, nil
}

func conditionFailed(returnOnFailure *string, old Item) *awswire.Error {
	if deref(returnOnFailure) == "ALL_OLD" && old != nil {
		return errConditionalCheckFailed(old)
	}
	return errConditionalCheckFailed(nil)
}

// writeOne runs one item write in a grouped commit (commit.go). fn answers an AWS error only
// before it has written anything, so that the error leaves the store as it was.
func (s *Service) writeOne(table string, fn func(tx *store.Tx, t *tableRec, sc schema, now int64) *awswire.Error) *awswire.Error {
	var e *awswire.Error
	err := s.commits.Commit(func(tx *store.Tx) error {
		e = nil
		now := s.nowMS()
		t, te := s.activeTable(tx, table, now)
		if te != nil {
			e = te
			return nil
		}
		e = fn(tx, t, t.schema(), now)
		if e != nil && e.Status >= 500 {
			// A store failure: abort the transaction (the committer retries the others alone).
			return e
		}
		return nil
	})
	if e != nil {
		return e
	}
	if err != nil {
		return errInternal(err)
	}
	return nil
}

// GetItemInput: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_GetItem.html
type GetItemInput struct {
	TableName              *string
	Key                    Item
	ConsistentRead         *bool
	ProjectionExpression   *string
	ReturnConsumedCapacity *string
	exprParams

	AttributesToGet raw
}

// GetItemOutput: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_GetItem.html#API_GetItem_ResponseSyntax
type GetItemOutput struct {
	Item             Item              `json:",omitempty"`
	ConsumedCapacity *ConsumedCapacity `json:",omitempty"`
}

// GetItem reads an item. Every read is strongly consistent here: ConsistentRead only changes the
// capacity units reported.
func (s *Service) GetItem(_ context.Context, in *GetItemInput) (*GetItemOutput, *awswire.Error) {
	var v validation
	v.tableRef(in.TableName)
	if in.Key == nil {
		v.fail(nil, "key", constraintNotNull)
	}
	checkCommon(&v, in.ReturnConsumedCapacity, nil)
	if e := v.err(); e != nil {
		return nil, e
	}
	exprs := requestExprs{Names: in.ExpressionAttributeNames, Values: in.ExpressionAttributeValues, Projection: in.ProjectionExpression}
	if e := checkLegacy(legacy{"AttributesToGet": in.AttributesToGet}, exprs.present()); e != nil {
		return nil, e
	}
	if msg := validateItem(in.Key); msg != "" {
		return nil, errValidation("%s", msg)
	}
	parsed, e := exprs.parse()
	if e != nil {
		return nil, e
	}
	out := &GetItemOutput{}
	e = s.view(func(tx *store.Tx) *awswire.Error {
		now := s.nowMS()
		t, e := s.activeTable(tx, *in.TableName, now)
		if e != nil {
			return e
		}
		sc := t.schema()
		if e := sc.checkKey(in.Key); e != nil {
			return e
		}
		it, err := readItem(tx, t.ID, sc.storeKey(in.Key))
		if err != nil {
			return errInternal(err)
		}
		units := readUnits(itemSize(it), derefBool(in.ConsistentRead))
		if e := s.checkThroughput(t, now, units, 0); e != nil {
			return e
		}
		out.ConsumedCapacity = consumed(in.ReturnConsumedCapacity, t.Name, units)
		if it != nil && parsed.projection != nil {
			it = project(it, parsed.projection)
		}
		out.Item = it
		return nil
	})
	if e != nil {
		return nil, e
	}
	return out, nil
}

// DeleteItemInput: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_DeleteItem.html
type DeleteItemInput struct {
	TableName                           *string
	Key                                 Item
	ConditionExpression                 *string
	ReturnValues                        *string
	ReturnValuesOnConditionCheckFailure *string
	ReturnConsumedCapacity              *string
	ReturnItemCollectionMetrics         *string
	exprParams

	Expected            raw
	ConditionalOperator raw
}

// DeleteItemOutput: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_DeleteItem.html#API_DeleteItem_ResponseSyntax
type DeleteItemOutput struct {
	Attributes       Item              `json:",omitempty"`
	ConsumedCapacity *ConsumedCapacity `json:",omitempty"`
}

// DeleteItem deletes an item, if its condition holds; deleting an absent item succeeds and
// changes nothing (no stream record).
func (s *Service) DeleteItem(_ context.Context, in *DeleteItemInput) (*DeleteItemOutput, *awswire.Error) {
	var v validation
	v.tableRef(in.TableName)
	if in.Key == nil {
		v.fail(nil, "key", constraintNotNull)
	}
	v.enum(in.ReturnValues, "returnValues", returnValuesEnum...)
	v.enum(in.ReturnValuesOnConditionCheckFailure, "returnValuesOnConditionCheckFailure", "ALL_OLD", "NONE")
	checkCommon(&v, in.ReturnConsumedCapacity, in.ReturnItemCollectionMetrics)
	if e := v.err(); e != nil {
		return nil, e
	}
	exprs := requestExprs{Names: in.ExpressionAttributeNames, Values: in.ExpressionAttributeValues,
		Condition: in.ConditionExpression, valueExprs: []string{"ConditionExpression"}}
	if e := checkLegacy(legacy{"Expected": in.Expected, "ConditionalOperator": in.ConditionalOperator}, exprs.present()); e != nil {
		return nil, e
	}
	if msg := validateItem(in.Key); msg != "" {
		return nil, errValidation("%s", msg)
	}
	if rv := deref(in.ReturnValues); rv != "" && rv != "NONE" && rv != "ALL_OLD" {
		return nil, errValidation("ReturnValues can only be ALL_OLD or NONE")
	}
	parsed, e := exprs.parse()
	if e != nil {
		return nil, e
	}
	out := &DeleteItemOutput{}
	e = s.writeOne(*in.TableName, func(tx *store.Tx, t *tableRec, sc schema, now int64) *awswire.Error {
		if e := sc.checkKey(in.Key); e != nil {
			return e
		}
		sk := sc.storeKey(in.Key)
		old, err := readItem(tx, t.ID, sk)
		if err != nil {
			return errInternal(err)
		}
		if parsed.condition != nil && !evalCond(parsed.condition, old) {
			return conditionFailed(in.ReturnValuesOnConditionCheckFailure, old)
		}
		units := writeUnits(old)
		if e := s.checkThroughput(t, now, 0, units); e != nil {
			return e
		}
		if err := s.writeItem(tx, t, sc, sk, old, nil, now); err != nil {
			return errInternal(err)
		}
		*out = DeleteItemOutput{ConsumedCapacity: consumed(in.ReturnConsumedCapacity, t.Name, units)}
		if deref(in.ReturnValues) == "ALL_OLD" && old != nil {
			out.Attributes = old
		}
		return nil
	})
	if e != nil {
		return nil, e
	}
	return out, nil
}

// UpdateItemInput: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateItem.html
type UpdateItemInput struct {
	TableName                           *string
	Key                                 Item
	UpdateExpression                    *string
	ConditionExpression                 *string
	ReturnValues                        *string
	ReturnValuesOnConditionCheckFailure *string
	ReturnConsumedCapacity              *string
	ReturnItemCollectionMetrics         *string
	exprParams

	AttributeUpdates    raw
	Expected            raw
	ConditionalOperator raw
}

// UpdateItemOutput: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateItem.html#API_UpdateItem_ResponseSyntax
type UpdateItemOutput struct {
	Attributes       Item              `json:",omitempty"`
	ConsumedCapacity *ConsumedCapacity `json:",omitempty"`
}

// UpdateItem edits an item's attributes (creating the item if it does not exist), if its
// condition holds. Without an UpdateExpression it creates an absent item from its key alone.
func (s *Service) UpdateItem(_ context.Context, in *UpdateItemInput) (*UpdateItemOutput, *awswire.Error) {
	var v validation
	v.tableRef(in.TableName)
	if in.Key == nil {
		v.fail(nil, "key", constraintNotNull)
	}
	v.enum(in.ReturnValues, "returnValues", returnValuesEnum...)
	v.enum(in.ReturnValuesOnConditionCheckFailure, "returnValuesOnConditionCheckFailure", "ALL_OLD", "NONE")
	checkCommon(&v, in.ReturnConsumedCapacity, in.ReturnItemCollectionMetrics)
	if e := v.err(); e != nil {
		return nil, e
	}
	exprs := requestExprs{Names: in.ExpressionAttributeNames, Values: in.ExpressionAttributeValues,
		Update: in.UpdateExpression, Condition: in.ConditionExpression, valueExprs: []string{"UpdateExpression", "ConditionExpression"}}
	if e := checkLegacy(legacy{"AttributeUpdates": in.AttributeUpdates, "Expected": in.Expected, "ConditionalOperator": in.ConditionalOperator}, exprs.present()); e != nil {
		return nil, e
	}
	if msg := validateItem(in.Key); msg != "" {
		return nil, errValidation("%s", msg)
	}
	parsed, e := exprs.parse()
	if e != nil {
		return nil, e
	}
	out := &UpdateItemOutput{}
	e = s.writeOne(*in.TableName, func(tx *store.Tx, t *tableRec, sc schema, now int64) *awswire.Error {
		if e := sc.checkKey(in.Key); e != nil {
			return e
		}
		if parsed.update != nil {
			if e := checkUpdateKeys(sc, parsed.update); e != nil {
				return e
			}
		}
		sk := sc.storeKey(in.Key)
		old, err := readItem(tx, t.ID, sk)
		if err != nil {
			return errInternal(err)
		}
		if parsed.condition != nil && !evalCond(parsed.condition, old) {
			return conditionFailed(in.ReturnValuesOnConditionCheckFailure, old)
		}
		updated := old
		if updated == nil {
			updated = cloneItem(in.Key)
		}
		if parsed.update != nil {
			if updated, e = applyUpdate(old, in.Key, parsed.update); e != nil {
				return e
			}
		}
		if itemSize(updated) > maxItemBytes {
			return errUpdatedItemTooLarge()
		}
		for _, v := range updated {
			if depthOf(v) > maxNesting {
				return errValidation("Nesting Levels have exceeded supported limits")
			}
		}
		units := writeUnits(old, updated)
		if e := s.checkThroughput(t, now, 0, units); e != nil {
			return e
		}
		if err := s.writeItem(tx, t, sc, sk, old, updated, now); err != nil {
			return errInternal(err)
		}
		*out = UpdateItemOutput{ConsumedCapacity: consumed(in.ReturnConsumedCapacity, t.Name, units)}
		out.Attributes = returnedAttributes(deref(in.ReturnValues), old, updated, parsed.update)
		return nil
	})
	if e != nil {
		return nil, e
	}
	return out, nil
}

// checkUpdateKeys refuses an update of a key attribute (dynalite's recorded texts).
func checkUpdateKeys(sc schema, u *update) *awswire.Error {
	for _, a := range u.actions {
		if !sc.isKey(a.path[0].name) {
			continue
		}
		if len(a.path) > 1 {
			return errValidation("Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: Key: %s", a.path[0].name)
		}
		return errValidation("One or more parameter values were invalid: Cannot update attribute %s. This attribute is part of the key", a.path[0].name)
	}
	return nil
}

// returnedAttributes is UpdateItem's Attributes for its ReturnValues.
func returnedAttributes(rv string, old, updated Item, u *update) Item {
	var out Item
	switch rv {
	case "ALL_OLD":
		out = old
	case "ALL_NEW":
		out = updated
	case "UPDATED_OLD":
		if old != nil && u != nil {
			out = project(old, u.paths())
		}
	case "UPDATED_NEW":
		if u != nil {
			out = project(updated, u.paths())
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}
