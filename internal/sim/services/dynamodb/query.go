package dynamodb

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
)

// QueryInput: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Query.html
type QueryInput struct {
	TableName              *string
	IndexName              *string
	KeyConditionExpression *string
	FilterExpression       *string
	ProjectionExpression   *string
	Select                 *string
	Limit                  *int32
	ConsistentRead         *bool
	ScanIndexForward       *bool
	ExclusiveStartKey      Item
	ReturnConsumedCapacity *string
	exprParams

	KeyConditions       raw
	QueryFilter         raw
	AttributesToGet     raw
	ConditionalOperator raw
}

// QueryOutput: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Query.html#API_Query_ResponseSyntax
type QueryOutput struct {
	Items            *[]Item `json:",omitempty"`
	Count            int
	ScannedCount     int
	LastEvaluatedKey Item              `json:",omitempty"`
	ConsumedCapacity *ConsumedCapacity `json:",omitempty"`
}

// maxPageBytes is the 1 MB a Query or Scan reads at most per call (Query.html, "Paginating").
const maxPageBytes = 1 << 20

var selectEnum = []string{"ALL_ATTRIBUTES", "ALL_PROJECTED_ATTRIBUTES", "SPECIFIC_ATTRIBUTES", "COUNT"}

// Query reads the items of one partition in sort key order (ScanIndexForward false reverses it).
// Limit counts items read before FilterExpression, as on AWS; a page ends at Limit or 1 MB with
// LastEvaluatedKey.
func (s *Service) Query(_ context.Context, in *QueryInput) (*QueryOutput, *awswire.Error) {
	var v validation
	v.tableRef(in.TableName)
	v.enum(in.Select, "select", selectEnum...)
	v.intRange(in.Limit, "limit", 1, 0)
	checkCommon(&v, in.ReturnConsumedCapacity, nil)
	if e := v.err(); e != nil {
		return nil, e
	}
	exprs := requestExprs{Names: in.ExpressionAttributeNames, Values: in.ExpressionAttributeValues,
		KeyCondition: in.KeyConditionExpression, Filter: in.FilterExpression, Projection: in.ProjectionExpression,
		valueExprs: []string{"FilterExpression", "KeyConditionExpression"}}
	if e := checkLegacy(legacy{"KeyConditions": in.KeyConditions, "QueryFilter": in.QueryFilter, "AttributesToGet": in.AttributesToGet, "ConditionalOperator": in.ConditionalOperator}, exprs.present()); e != nil {
		return nil, e
	}
	if e := checkStartKey(in.ExclusiveStartKey); e != nil {
		return nil, e
	}
	if in.KeyConditionExpression == nil {
		return nil, errValidation("Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.")
	}
	parsed, e := exprs.parse()
	if e != nil {
		return nil, e
	}
	if e := checkSelect(in.Select, in.IndexName, parsed.projection != nil); e != nil {
		return nil, e
	}
	out := &QueryOutput{}
	e = s.view(func(tx *store.Tx) *awswire.Error {
		now := s.nowMS()
		t, e := s.activeTable(tx, *in.TableName, now)
		if e != nil {
			return e
		}
		if in.IndexName != nil {
			// The simulator creates no indexes, so every index is one the table does not have.
			return errValidation("The table does not have the specified index: %s", *in.IndexName)
		}
		sc := t.schema()
		kc, e := buildKeyCond(parsed.keyCondition, sc)
		if e != nil {
			return e
		}
		if e := checkKeyPaths(sc, parsed.projectionInfo.nested); e != nil {
			return e
		}
		if parsed.filter != nil {
			for _, a := range sc.attrs() {
				if parsed.filterInfo.heads[a.Name] {
					return errValidation("Filter Expression can only contain non-primary key attributes: Primary key attribute: %s", a.Name)
				}
			}
		}
		if e := checkQueryStartKey(sc, kc, in.ExclusiveStartKey); e != nil {
			return e
		}
		p := page{limit: limitOf(in.Limit), filter: parsed.filter, projection: parsed.projection, count: deref(in.Select) == "COUNT"}
		forward := in.ScanIndexForward == nil || *in.ScanIndexForward
		var err error
		if forward {
			err = s.queryForward(tx, t, sc, kc, in.ExclusiveStartKey, &p)
		} else {
			err = s.queryBackward(tx, t, sc, kc, in.ExclusiveStartKey, &p)
		}
		if err != nil {
			return errInternal(err)
		}
		units := readUnits(p.bytes, derefBool(in.ConsistentRead))
		if e := s.checkThroughput(t, now, units, 0); e != nil {
			return e
		}
		*out = QueryOutput{Count: p.matched, ScannedCount: p.scanned, ConsumedCapacity: consumed(in.ReturnConsumedCapacity, t.Name, units)}
		if !p.count {
			items := p.items
			if items == nil {
				items = []Item{}
			}
			out.Items = &items
		}
		if p.last != nil {
			out.LastEvaluatedKey = sc.keyOf(p.last)
		}
		return nil
	})
	if e != nil {
		return nil, e
	}
	return out, nil
}

// page accumulates one page of a Query or Scan.
type page struct {
	limit      int
	filter     *cond
	projection []docPath
	count      bool

	items            []Item
	scanned, matched int
	bytes            int
	last             Item // the last item read when the page ended early
}

// add reads one item into the page; it reports false when the page is full.
func (p *page) add(it Item) bool {
	p.scanned++
	p.bytes += itemSize(it)
	if p.filter == nil || evalCond(p.filter, it) {
		p.matched++
		if !p.count {
			shown := it
			if p.projection != nil {
				shown = project(it, p.projection)
			}
			p.items = append(p.items, shown)
		}
	}
	if p.scanned >= p.limit || p.bytes >= maxPageBytes {
		p.last = it
		return false
	}
	return true
}

func limitOf(l *int32) int {
	if l == nil {
		return int(^uint(0) >> 1)
	}
	return int(*l)
}

// queryForward reads the partition in sort key order from the key condition's lower bound (or
// after the ExclusiveStartKey), until the condition stops holding.
func (s *Service) queryForward(tx *store.Tx, t *tableRec, sc schema, kc *keyCond, start Item, p *page) error {
	prefix := partitionPrefix(kc.hash)
	after, inclusive := kc.seek(sc)
	if start != nil {
		after, inclusive = sc.storeKey(start), false
	}
	matching := false
	visit := func(k string, value []byte) error {
		if !strings.HasPrefix(k, prefix) {
			return store.ErrStop
		}
		var it Item
		if err := json.Unmarshal(value, &it); err != nil {
			return err
		}
		if sc.Range != nil && !kc.matchRange(it[sc.Range.Name]) {
			if matching {
				return store.ErrStop // past the contiguous run of matching sort keys
			}
			return nil
		}
		matching = true
		if !p.add(it) {
			return store.ErrStop
		}
		return nil
	}
	bucket := itemsBucket(t.ID)
	exact := sc.Range == nil || kc.rangeOp == "="
	if exact && start != nil {
		return nil // the one possible item was on the previous page
	}
	if inclusive {
		data, err := tx.GetRaw(bucket, after)
		if err == nil {
			if err := visit(after, data); err != nil && err != store.ErrStop {
				return err
			}
		}
		if exact || p.last != nil {
			return nil
		}
	}
	return tx.ForEachAfter(bucket, after, visit)
}

// queryBackward collects the matching items of the partition, then reads them in reverse.
func (s *Service) queryBackward(tx *store.Tx, t *tableRec, sc schema, kc *keyCond, start Item, p *page) error {
	prefix := partitionPrefix(kc.hash)
	var startKey string
	if start != nil {
		startKey = sc.storeKey(start)
	}
	var items []Item
	err := tx.ForEach(itemsBucket(t.ID), prefix, func(k string, value []byte) error {
		if start != nil && k >= startKey {
			return store.ErrStop
		}
		var it Item
		if err := json.Unmarshal(value, &it); err != nil {
			return err
		}
		if sc.Range == nil || kc.matchRange(it[sc.Range.Name]) {
			items = append(items, it)
		}
		return nil
	})
	if err != nil {
		return err
	}
	slices.Reverse(items)
	for _, it := range items {
		if !p.add(it) {
			break
		}
	}
	return nil
}

// checkStartKey validates the values of an ExclusiveStartKey.
func checkStartKey(k Item) *awswire.Error {
	for name, v := range k {
		msg := validateValue(&v)
		if msg != "" {
			// dynalite: some messages come with the prefix, some without.
			for _, bare := range []string{"contains duplicates", "number set", "numeric value", "significant digits", "number with magnitude"} {
				if strings.Contains(msg, bare) {
					return errValidation("%s", msg)
				}
			}
			return errValidation("The provided starting key is invalid: %s", msg)
		}
		k[name] = v
	}
	return nil
}

// checkSelect validates Select against the request (texts ours: AWS's were not found).
func checkSelect(sel, index *string, projection bool) *awswire.Error {
	switch deref(sel) {
	case "COUNT":
		if projection {
			return errValidation("Cannot specify the ProjectionExpression when choosing to get only the Count")
		}
	case "ALL_ATTRIBUTES":
		if projection {
			return errValidation("Cannot specify the ProjectionExpression when choosing to get ALL_ATTRIBUTES")
		}
	case "ALL_PROJECTED_ATTRIBUTES":
		if index == nil {
			return errValidation("ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName")
		}
	case "SPECIFIC_ATTRIBUTES":
		if !projection {
			return errValidation("SPECIFIC_ATTRIBUTES requires a ProjectionExpression")
		}
	}
	return nil
}

// checkKeyPaths refuses nested paths into key attributes (dynalite's recorded text).
func checkKeyPaths(sc schema, nested map[string]bool) *awswire.Error {
	for _, a := range sc.attrs() {
		if nested[a.Name] {
			return errValidation("Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: Key: %s", a.Name)
		}
	}
	return nil
}

// checkScanStartKey checks an ExclusiveStartKey against the table's key schema.
func checkScanStartKey(sc schema, k Item) *awswire.Error {
	if k == nil {
		return nil
	}
	if len(k) != len(sc.attrs()) {
		return errValidation("The provided starting key is invalid: The provided key element does not match the schema")
	}
	if e := sc.checkKey(k); e != nil {
		return errValidation("The provided starting key is invalid: %s", e.Message)
	}
	return nil
}

// checkQueryStartKey checks a Query's ExclusiveStartKey against the schema and the key condition,
// with dynalite's recorded texts.
func checkQueryStartKey(sc schema, kc *keyCond, k Item) *awswire.Error {
	if e := checkScanStartKey(sc, k); e != nil || k == nil {
		return e
	}
	sameHash := equal(k[sc.Hash.Name], kc.hash)
	if sc.Range == nil || kc.rangeOp == "" {
		if !sameHash {
			return errValidation("The provided starting key is outside query boundaries based on provided conditions")
		}
		return nil
	}
	if !kc.matchRange(k[sc.Range.Name]) {
		return errValidation("The provided starting key does not match the range key predicate")
	}
	if !sameHash {
		return errValidation("The query can return at most one row and cannot be restarted")
	}
	return nil
}

// ScanInput: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Scan.html
type ScanInput struct {
	TableName              *string
	IndexName              *string
	FilterExpression       *string
	ProjectionExpression   *string
	Select                 *string
	Limit                  *int32
	ConsistentRead         *bool
	ExclusiveStartKey      Item
	Segment                *int32
	TotalSegments          *int32
	ReturnConsumedCapacity *string
	exprParams

	ScanFilter          raw
	AttributesToGet     raw
	ConditionalOperator raw
}

// ScanOutput: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Scan.html#API_Scan_ResponseSyntax
type ScanOutput = QueryOutput

// Scan reads every item of the table (or of one segment: the items whose partition key hashes to
// it), in the store's key order.
func (s *Service) Scan(_ context.Context, in *ScanInput) (*ScanOutput, *awswire.Error) {
	var v validation
	v.tableRef(in.TableName)
	v.enum(in.Select, "select", selectEnum...)
	v.intRange(in.Limit, "limit", 1, 0)
	v.intRange(in.Segment, "segment", 0, 999999)
	v.intRange(in.TotalSegments, "totalSegments", 1, 1000000)
	checkCommon(&v, in.ReturnConsumedCapacity, nil)
	if e := v.err(); e != nil {
		return nil, e
	}
	exprs := requestExprs{Names: in.ExpressionAttributeNames, Values: in.ExpressionAttributeValues,
		Filter: in.FilterExpression, Projection: in.ProjectionExpression, valueExprs: []string{"FilterExpression"}}
	if e := checkLegacy(legacy{"ScanFilter": in.ScanFilter, "AttributesToGet": in.AttributesToGet, "ConditionalOperator": in.ConditionalOperator}, exprs.present()); e != nil {
		return nil, e
	}
	if e := checkStartKey(in.ExclusiveStartKey); e != nil {
		return nil, e
	}
	switch {
	case in.Segment != nil && in.TotalSegments == nil:
		return nil, errValidation("The TotalSegments parameter is required but was not present in the request when Segment parameter is present")
	case in.TotalSegments != nil && in.Segment == nil:
		return nil, errValidation("The Segment parameter is required but was not present in the request when parameter TotalSegments is present")
	case in.TotalSegments != nil && *in.Segment >= *in.TotalSegments:
		return nil, errValidation("The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: %d is not less than TotalSegments: %d", *in.Segment, *in.TotalSegments)
	}
	parsed, e := exprs.parse()
	if e != nil {
		return nil, e
	}
	if e := checkSelect(in.Select, in.IndexName, parsed.projection != nil); e != nil {
		return nil, e
	}
	out := &ScanOutput{}
	e = s.view(func(tx *store.Tx) *awswire.Error {
		now := s.nowMS()
		t, e := s.activeTable(tx, *in.TableName, now)
		if e != nil {
			return e
		}
		if in.IndexName != nil {
			return errValidation("The table does not have the specified index: %s", *in.IndexName)
		}
		sc := t.schema()
		if e := checkScanStartKey(sc, in.ExclusiveStartKey); e != nil {
			return e
		}
		p := page{limit: limitOf(in.Limit), filter: parsed.filter, projection: parsed.projection, count: deref(in.Select) == "COUNT"}
		after := ""
		if in.ExclusiveStartKey != nil {
			after = sc.storeKey(in.ExclusiveStartKey)
		}
		err := tx.ForEachAfter(itemsBucket(t.ID), after, func(k string, value []byte) error {
			var it Item
			if err := json.Unmarshal(value, &it); err != nil {
				return fmt.Errorf("decoding item: %w", err)
			}
			if in.TotalSegments != nil && segmentOf(sc, it, int(*in.TotalSegments)) != int(*in.Segment) {
				return nil
			}
			if !p.add(it) {
				return store.ErrStop
			}
			return nil
		})
		if err != nil {
			return errInternal(err)
		}
		units := readUnits(p.bytes, derefBool(in.ConsistentRead))
		if e := s.checkThroughput(t, now, units, 0); e != nil {
			return e
		}
		*out = ScanOutput{Count: p.matched, ScannedCount: p.scanned, ConsumedCapacity: consumed(in.ReturnConsumedCapacity, t.Name, units)}
		if !p.count {
			items := p.items
			if items == nil {
				items = []Item{}
			}
			out.Items = &items
		}
		if p.last != nil {
			out.LastEvaluatedKey = sc.keyOf(p.last)
		}
		return nil
	})
	if e != nil {
		return nil, e
	}
	return out, nil
}
