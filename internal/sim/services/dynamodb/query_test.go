package dynamodb

import (
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// sortKeys are the sort keys of the query test table's partition "p", in numeric order; "other"
// holds one more item that a query of "p" must never see.
var sortKeys = []string{"-5", "0", "1", "2", "10", "10.5", "100"}

func queryTable(t *testing.T) *harness {
	h := newHarness(t, "")
	h.createTable("qtab", types.ScalarAttributeTypeN, "")
	for i, sk := range sortKeys {
		h.put("qtab", map[string]types.AttributeValue{"pk": s("p"), "sk": n(sk), "i": n(fmt.Sprint(i)), "tag": s([]string{"even", "odd"}[i%2])})
	}
	h.put("qtab", map[string]types.AttributeValue{"pk": s("other"), "sk": n("1")})
	return h
}

func sortKeysOf(items []map[string]types.AttributeValue) string {
	var out []string
	for _, it := range items {
		out = append(out, it["sk"].(*types.AttributeValueMemberN).Value)
	}
	return strings.Join(out, ",")
}

func TestQuery_keyConditions(t *testing.T) {
	h := queryTable(t)
	values := map[string]types.AttributeValue{":p": s("p"), ":a": n("1"), ":b": n("10"), ":other": s("other")}
	for _, tc := range []struct {
		cond string
		want string
	}{
		{"pk = :p", "-5,0,1,2,10,10.5,100"},
		{"pk = :p AND sk = :a", "1"},
		{"pk = :p AND sk < :b", "-5,0,1,2"},
		{"pk = :p AND sk <= :b", "-5,0,1,2,10"},
		{"pk = :p AND sk > :b", "10.5,100"},
		{"pk = :p AND sk >= :b", "10,10.5,100"},
		{"pk = :p AND sk BETWEEN :a AND :b", "1,2,10"},
		{"(pk = :p) AND (sk > :a)", "2,10,10.5,100"},
		{"sk >= :b AND pk = :p", "10,10.5,100"},
		{":p = pk AND :b < sk", "10.5,100"}, // a value on the left flips the comparison
		{"pk = :other", "1"},
	} {
		used := map[string]types.AttributeValue{}
		for k, v := range values {
			if strings.Contains(tc.cond, k+" ") || strings.HasSuffix(tc.cond, k) || strings.Contains(tc.cond, k+")") {
				used[k] = v
			}
		}
		out, err := h.db.Query(ctx(), &dynamodb.QueryInput{TableName: aws.String("qtab"), KeyConditionExpression: aws.String(tc.cond), ExpressionAttributeValues: used})
		if err != nil {
			t.Errorf("%s: %v", tc.cond, err)
			continue
		}
		if got := sortKeysOf(out.Items); got != tc.want {
			t.Errorf("%s = %s, want %s", tc.cond, got, tc.want)
		}
		if out.LastEvaluatedKey != nil {
			t.Errorf("%s: LastEvaluatedKey %v without a Limit", tc.cond, out.LastEvaluatedKey)
		}
	}
}

func TestQuery_beginsWithOnStrings(t *testing.T) {
	h := newHarness(t, "")
	h.createTable("stab", types.ScalarAttributeTypeS, "")
	for _, sk := range []string{"a", "ab", "abc", "abd", "b", "a\x00z"} {
		h.put("stab", map[string]types.AttributeValue{"pk": s("p"), "sk": s(sk)})
	}
	out, err := h.db.Query(ctx(), &dynamodb.QueryInput{TableName: aws.String("stab"), KeyConditionExpression: aws.String("pk = :p AND begins_with(sk, :ab)"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":p": s("p"), ":ab": s("ab")}})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, it := range out.Items {
		got = append(got, it["sk"].(*types.AttributeValueMemberS).Value)
	}
	if strings.Join(got, ",") != "ab,abc,abd" {
		t.Errorf("begins_with(sk, ab) = %q", got)
	}
}

func TestQuery_filterProjectionOrderAndPaging(t *testing.T) {
	h := queryTable(t)
	base := func() *dynamodb.QueryInput {
		return &dynamodb.QueryInput{TableName: aws.String("qtab"), KeyConditionExpression: aws.String("pk = :p"),
			ExpressionAttributeValues: map[string]types.AttributeValue{":p": s("p")}}
	}
	// Filter: Count after the filter, ScannedCount before.
	in := base()
	in.FilterExpression = aws.String("tag = :odd")
	in.ExpressionAttributeValues[":odd"] = s("odd")
	out, err := h.db.Query(ctx(), in)
	if err != nil {
		t.Fatal(err)
	}
	if got := sortKeysOf(out.Items); got != "0,2,10.5" || out.Count != 3 || out.ScannedCount != 7 {
		t.Errorf("filter: %s, Count %d, ScannedCount %d", got, out.Count, out.ScannedCount)
	}
	// Projection.
	in = base()
	in.ProjectionExpression = aws.String("sk, #t")
	in.ExpressionAttributeNames = map[string]string{"#t": "tag"}
	in.Limit = aws.Int32(1)
	out, err = h.db.Query(ctx(), in)
	if err != nil {
		t.Fatal(err)
	}
	wantItem(t, "projected item", out.Items[0], map[string]types.AttributeValue{"sk": n("-5"), "tag": s("even")})
	wantItem(t, "LastEvaluatedKey", out.LastEvaluatedKey, map[string]types.AttributeValue{"pk": s("p"), "sk": n("-5")})
	// Backward, with paging by Limit: the pages together are the whole partition, reversed.
	for _, forward := range []bool{true, false} {
		var all []map[string]types.AttributeValue
		var start map[string]types.AttributeValue
		pages := 0
		for {
			in := base()
			in.ScanIndexForward = aws.Bool(forward)
			in.Limit = aws.Int32(3)
			in.ExclusiveStartKey = start
			out, err := h.db.Query(ctx(), in)
			if err != nil {
				t.Fatal(err)
			}
			pages++
			all = append(all, out.Items...)
			if out.LastEvaluatedKey == nil {
				break
			}
			start = out.LastEvaluatedKey
		}
		want := append([]string(nil), sortKeys...)
		if !forward {
			for i, j := 0, len(want)-1; i < j; i, j = i+1, j-1 {
				want[i], want[j] = want[j], want[i]
			}
		}
		if got := sortKeysOf(all); got != strings.Join(want, ",") || pages != 3 {
			t.Errorf("forward=%v: %s in %d pages, want %s", forward, got, pages, strings.Join(want, ","))
		}
	}
	// Select COUNT.
	in = base()
	in.Select = types.SelectCount
	out, err = h.db.Query(ctx(), in)
	if err != nil {
		t.Fatal(err)
	}
	if out.Count != 7 || out.Items != nil {
		t.Errorf("COUNT: Count %d, Items %v", out.Count, out.Items)
	}
}

func TestQuery_errors(t *testing.T) {
	h := queryTable(t)
	for _, tc := range []struct {
		cond   string
		filter string
		values map[string]types.AttributeValue
		index  string
		msg    string
	}{
		{cond: "sk = :a", values: map[string]types.AttributeValue{":a": n("1")}, msg: "Query condition missed key schema element: pk"},
		{cond: "pk > :p", values: map[string]types.AttributeValue{":p": s("p")}, msg: "Query key condition not supported"},
		{cond: "pk = :p OR sk = :a", values: map[string]types.AttributeValue{":p": s("p"), ":a": n("1")}, msg: "Invalid operator used in KeyConditionExpression: OR"},
		{cond: "pk = :p AND sk <> :a", values: map[string]types.AttributeValue{":p": s("p"), ":a": n("1")}, msg: "Invalid operator used in KeyConditionExpression: <>"},
		{cond: "pk = :p AND attribute_exists(sk)", values: map[string]types.AttributeValue{":p": s("p")}, msg: "Invalid operator used in KeyConditionExpression: attribute_exists"},
		{cond: "pk = :p AND pk = :p", values: map[string]types.AttributeValue{":p": s("p")}, msg: "KeyConditionExpressions must only contain one condition per key"},
		{cond: "pk = :p AND x = :a", values: map[string]types.AttributeValue{":p": s("p"), ":a": n("1")}, msg: "Query condition missed key schema element: sk"},
		{cond: "pk = :a", values: map[string]types.AttributeValue{":a": n("1")}, msg: "One or more parameter values were invalid: Condition parameter type does not match schema type"},
		{cond: "pk = :p", filter: "sk > :a", values: map[string]types.AttributeValue{":p": s("p"), ":a": n("1")}, msg: "Filter Expression can only contain non-primary key attributes: Primary key attribute: sk"},
		{cond: "pk = :p", values: map[string]types.AttributeValue{":p": s("p")}, index: "byTag", msg: "The table does not have the specified index: byTag"},
		{cond: "pk = :p AND begins_with(sk, :x)", values: map[string]types.AttributeValue{":p": s("p"), ":x": n("1")}, msg: "Invalid KeyConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N"},
	} {
		in := &dynamodb.QueryInput{TableName: aws.String("qtab"), KeyConditionExpression: aws.String(tc.cond), ExpressionAttributeValues: tc.values}
		if tc.filter != "" {
			in.FilterExpression = aws.String(tc.filter)
		}
		if tc.index != "" {
			in.IndexName = aws.String(tc.index)
		}
		_, err := h.db.Query(ctx(), in)
		if err == nil || apiMessage(err) != tc.msg {
			t.Errorf("%s: got %v, want %q", tc.cond, err, tc.msg)
		}
	}
	_, err := h.db.Query(ctx(), &dynamodb.QueryInput{TableName: aws.String("qtab")})
	wantError(t, err, "ValidationException", "Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.")
}

func TestScan_filterPagingAndSegments(t *testing.T) {
	h := newHarness(t, "")
	h.createTable("scan", "", "")
	for i := 0; i < 40; i++ {
		h.put("scan", map[string]types.AttributeValue{"pk": s(fmt.Sprintf("k%02d", i)), "i": n(fmt.Sprint(i))})
	}
	// Paging by Limit visits every item once.
	seen := map[string]bool{}
	var start map[string]types.AttributeValue
	for {
		out, err := h.db.Scan(ctx(), &dynamodb.ScanInput{TableName: aws.String("scan"), Limit: aws.Int32(7), ExclusiveStartKey: start,
			FilterExpression: aws.String("i >= :ten"), ExpressionAttributeValues: map[string]types.AttributeValue{":ten": n("10")}})
		if err != nil {
			t.Fatal(err)
		}
		if out.ScannedCount > 7 {
			t.Fatalf("ScannedCount %d over the Limit", out.ScannedCount)
		}
		for _, it := range out.Items {
			k := it["pk"].(*types.AttributeValueMemberS).Value
			if seen[k] {
				t.Fatalf("%s seen twice", k)
			}
			seen[k] = true
		}
		if out.LastEvaluatedKey == nil {
			break
		}
		start = out.LastEvaluatedKey
	}
	if len(seen) != 30 {
		t.Errorf("saw %d items, want 30", len(seen))
	}
	// Segments partition the table.
	total := 0
	for seg := int32(0); seg < 4; seg++ {
		out, err := h.db.Scan(ctx(), &dynamodb.ScanInput{TableName: aws.String("scan"), Segment: aws.Int32(seg), TotalSegments: aws.Int32(4), Select: types.SelectCount})
		if err != nil {
			t.Fatal(err)
		}
		total += int(out.Count)
	}
	if total != 40 {
		t.Errorf("segments hold %d items, want 40", total)
	}
	_, err := h.db.Scan(ctx(), &dynamodb.ScanInput{TableName: aws.String("scan"), Segment: aws.Int32(4), TotalSegments: aws.Int32(4)})
	wantError(t, err, "ValidationException", "The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: 4 is not less than TotalSegments: 4")
}

func TestBatch_writeAndGet(t *testing.T) {
	h := newHarness(t, "")
	h.createTable("batch1", "", "")
	h.createTable("batch2", "", "")
	h.put("batch1", key("gone"))
	var reqs []types.WriteRequest
	for i := 0; i < 23; i++ {
		reqs = append(reqs, types.WriteRequest{PutRequest: &types.PutRequest{Item: map[string]types.AttributeValue{"pk": s(fmt.Sprint(i)), "v": n(fmt.Sprint(i))}}})
	}
	reqs = append(reqs, types.WriteRequest{DeleteRequest: &types.DeleteRequest{Key: key("gone")}})
	out, err := h.db.BatchWriteItem(ctx(), &dynamodb.BatchWriteItemInput{RequestItems: map[string][]types.WriteRequest{
		"batch1": reqs,
		"batch2": {{PutRequest: &types.PutRequest{Item: key("x")}}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.UnprocessedItems) != 0 {
		t.Errorf("UnprocessedItems %v", out.UnprocessedItems)
	}
	var keys []map[string]types.AttributeValue
	for i := 0; i < 23; i++ {
		keys = append(keys, key(fmt.Sprint(i)))
	}
	keys = append(keys, key("gone"))
	got, err := h.db.BatchGetItem(ctx(), &dynamodb.BatchGetItemInput{RequestItems: map[string]types.KeysAndAttributes{
		"batch1": {Keys: keys, ProjectionExpression: aws.String("v")},
		"batch2": {Keys: []map[string]types.AttributeValue{key("x")}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Responses["batch1"]) != 23 || len(got.Responses["batch2"]) != 1 || len(got.UnprocessedKeys) != 0 {
		t.Errorf("BatchGetItem: %d and %d items, unprocessed %v", len(got.Responses["batch1"]), len(got.Responses["batch2"]), got.UnprocessedKeys)
	}
	for _, it := range got.Responses["batch1"] {
		if _, ok := it["pk"]; ok || it["v"] == nil {
			t.Errorf("projected item %s", render(it))
		}
	}
	// Limits and duplicates.
	_, err = h.db.BatchWriteItem(ctx(), &dynamodb.BatchWriteItemInput{RequestItems: map[string][]types.WriteRequest{
		"batch1": {{PutRequest: &types.PutRequest{Item: key("d")}}, {DeleteRequest: &types.DeleteRequest{Key: key("d")}}},
	}})
	wantError(t, err, "ValidationException", "Provided list of item keys contains duplicates")
	_, err = h.db.BatchWriteItem(ctx(), &dynamodb.BatchWriteItemInput{RequestItems: map[string][]types.WriteRequest{
		"batch1": reqs, "batch2": reqs[:2],
	}})
	wantError(t, err, "ValidationException", "Too many items requested for the BatchWriteItem call")
	_, err = h.db.BatchWriteItem(ctx(), &dynamodb.BatchWriteItemInput{RequestItems: map[string][]types.WriteRequest{
		"batch1": {{PutRequest: &types.PutRequest{Item: key("ok")}}}, "nosuchtable": {{PutRequest: &types.PutRequest{Item: key("x")}}},
	}})
	wantCode(t, err, "ResourceNotFoundException")
	if it := h.get("batch1", key("ok")); it != nil {
		t.Error("a failed batch wrote an item")
	}
	var many []map[string]types.AttributeValue
	for i := 0; i < 101; i++ {
		many = append(many, key(fmt.Sprint(i)))
	}
	_, err = h.db.BatchGetItem(ctx(), &dynamodb.BatchGetItemInput{RequestItems: map[string]types.KeysAndAttributes{"batch1": {Keys: many[:60]}, "batch2": {Keys: many[60:]}}})
	wantError(t, err, "ValidationException", "Too many items requested for the BatchGetItem call")
}
