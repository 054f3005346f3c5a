package dynamodb

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

func TestItems_roundTripOfEveryType(t *testing.T) {
	h := newHarness(t, "")
	h.createTable("items", "", "")
	in := map[string]types.AttributeValue{
		"pk":   s("k1"),
		"str":  s(""), // empty strings are allowed outside keys
		"num":  n("0012.3400"),
		"big":  n("12345678901234567890123456789012345678"),
		"tiny": n("-1E-130"),
		"bin":  &types.AttributeValueMemberB{Value: []byte{0, 1, 2, 255}},
		"ss":   &types.AttributeValueMemberSS{Value: []string{"a", "b"}},
		"ns":   &types.AttributeValueMemberNS{Value: []string{"1", "2.50"}},
		"bs":   &types.AttributeValueMemberBS{Value: [][]byte{{1}, {2}}},
		"null": &types.AttributeValueMemberNULL{Value: true},
		"bool": &types.AttributeValueMemberBOOL{Value: false},
		"list": &types.AttributeValueMemberL{Value: []types.AttributeValue{s("x"), n("1"), &types.AttributeValueMemberM{Value: map[string]types.AttributeValue{"deep": n("2")}}}},
		"map":  &types.AttributeValueMemberM{Value: map[string]types.AttributeValue{"a": &types.AttributeValueMemberL{}}},
	}
	h.put("items", in)
	got := h.get("items", key("k1"))
	want := map[string]types.AttributeValue{}
	for k, v := range in {
		want[k] = v
	}
	// Numbers come back canonical, as DynamoDB stores them.
	want["num"] = n("12.34")
	want["ns"] = &types.AttributeValueMemberNS{Value: []string{"1", "2.5"}}
	want["tiny"] = n("-0." + strings.Repeat("0", 129) + "1")
	wantItem(t, "GetItem", got, want)
	d, err := h.db.DescribeTable(ctx(), &dynamodb.DescribeTableInput{TableName: aws.String("items")})
	if err != nil {
		t.Fatal(err)
	}
	if d.Table.ItemCount == nil || *d.Table.ItemCount != 1 || d.Table.TableSizeBytes == nil || *d.Table.TableSizeBytes == 0 {
		t.Errorf("ItemCount %v, TableSizeBytes %v", d.Table.ItemCount, d.Table.TableSizeBytes)
	}
}

func TestItems_missingTableAndCreatingTable(t *testing.T) {
	h := newHarness(t, "")
	_, err := h.db.GetItem(ctx(), &dynamodb.GetItemInput{TableName: aws.String("nosuchtable"), Key: key("a")})
	var rnf *types.ResourceNotFoundException
	if !errors.As(err, &rnf) {
		t.Fatalf("GetItem on a missing table: %v", err)
	}
	wantError(t, err, "ResourceNotFoundException", "Requested resource not found")
	_, err = h.db.DescribeTable(ctx(), &dynamodb.DescribeTableInput{TableName: aws.String("nosuchtable")})
	wantError(t, err, "ResourceNotFoundException", "Requested resource not found: Table: nosuchtable not found")

	_, err = h.db.CreateTable(ctx(), &dynamodb.CreateTableInput{
		TableName: aws.String("slow"), BillingMode: types.BillingModePayPerRequest,
		AttributeDefinitions: []types.AttributeDefinition{{AttributeName: aws.String("pk"), AttributeType: types.ScalarAttributeTypeS}},
		KeySchema:            []types.KeySchemaElement{{AttributeName: aws.String("pk"), KeyType: types.KeyTypeHash}},
	})
	if err != nil {
		t.Fatal(err)
	}
	_, err = h.db.PutItem(ctx(), &dynamodb.PutItemInput{TableName: aws.String("slow"), Item: key("a")})
	wantCode(t, err, "ResourceNotFoundException") // still CREATING
	h.clock.Advance(time.Second)
	h.put("slow", key("a"))
}

func TestItems_conditionsAndReturnValues(t *testing.T) {
	h := newHarness(t, "")
	h.createTable("cond", "", "")
	put := func(item map[string]types.AttributeValue, cond string, values map[string]types.AttributeValue, rv types.ReturnValue) (*dynamodb.PutItemOutput, error) {
		in := &dynamodb.PutItemInput{TableName: aws.String("cond"), Item: item, ReturnValues: rv, ExpressionAttributeValues: values,
			ReturnValuesOnConditionCheckFailure: types.ReturnValuesOnConditionCheckFailureAllOld}
		if cond != "" {
			in.ConditionExpression = aws.String(cond)
		}
		return h.db.PutItem(ctx(), in)
	}
	v1 := map[string]types.AttributeValue{"pk": s("a"), "v": n("1")}
	if _, err := put(v1, "attribute_not_exists(pk)", nil, ""); err != nil {
		t.Fatal(err)
	}
	_, err := put(v1, "attribute_not_exists(pk)", nil, "")
	var ccf *types.ConditionalCheckFailedException
	if !errors.As(err, &ccf) {
		t.Fatalf("second conditional put: %v", err)
	}
	if ccf.ErrorMessage() != "The conditional request failed" || !reflect.DeepEqual(ccf.Item, v1) {
		t.Errorf("ConditionalCheckFailedException message %q, Item %#v", ccf.ErrorMessage(), ccf.Item)
	}
	v2 := map[string]types.AttributeValue{"pk": s("a"), "v": n("2")}
	out, err := put(v2, "v = :one", map[string]types.AttributeValue{":one": n("1")}, types.ReturnValueAllOld)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(out.Attributes, v1) {
		t.Errorf("ALL_OLD = %#v", out.Attributes)
	}
	_, err = put(v2, "", nil, types.ReturnValueAllNew)
	wantError(t, err, "ValidationException", "ReturnValues can only be ALL_OLD or NONE")

	// DeleteItem with a condition, and of an absent item.
	_, err = h.db.DeleteItem(ctx(), &dynamodb.DeleteItemInput{TableName: aws.String("cond"), Key: key("a"),
		ConditionExpression: aws.String("v > :five"), ExpressionAttributeValues: map[string]types.AttributeValue{":five": n("5")}})
	wantCode(t, err, "ConditionalCheckFailedException")
	del, err := h.db.DeleteItem(ctx(), &dynamodb.DeleteItemInput{TableName: aws.String("cond"), Key: key("a"), ReturnValues: types.ReturnValueAllOld})
	if err != nil || !reflect.DeepEqual(del.Attributes, v2) {
		t.Fatalf("DeleteItem ALL_OLD = %#v, %v", del, err)
	}
	del, err = h.db.DeleteItem(ctx(), &dynamodb.DeleteItemInput{TableName: aws.String("cond"), Key: key("a"), ReturnValues: types.ReturnValueAllOld})
	if err != nil || del.Attributes != nil {
		t.Fatalf("DeleteItem of an absent item = %#v, %v", del, err)
	}
}

func TestItems_updateItemReturnValues(t *testing.T) {
	h := newHarness(t, "")
	h.createTable("upd", "", "")
	h.put("upd", map[string]types.AttributeValue{"pk": s("a"), "x": n("1"), "y": s("keep"), "m": &types.AttributeValueMemberM{Value: map[string]types.AttributeValue{"p": n("1"), "q": n("2")}}})
	update := func(rv types.ReturnValue) map[string]types.AttributeValue {
		t.Helper()
		out, err := h.db.UpdateItem(ctx(), &dynamodb.UpdateItemInput{TableName: aws.String("upd"), Key: key("a"),
			UpdateExpression:          aws.String("SET x = x + :one, m.p = :one REMOVE gone"),
			ExpressionAttributeValues: map[string]types.AttributeValue{":one": n("1")}, ReturnValues: rv})
		if err != nil {
			t.Fatalf("UpdateItem(%s): %v", rv, err)
		}
		return out.Attributes
	}
	if got := update(types.ReturnValueNone); got != nil {
		t.Errorf("NONE = %#v", got)
	}
	if got := update(types.ReturnValueUpdatedOld); !reflect.DeepEqual(got, map[string]types.AttributeValue{"x": n("2"), "m": &types.AttributeValueMemberM{Value: map[string]types.AttributeValue{"p": n("1")}}}) {
		t.Errorf("UPDATED_OLD = %#v", got)
	}
	if got := update(types.ReturnValueUpdatedNew); !reflect.DeepEqual(got, map[string]types.AttributeValue{"x": n("4"), "m": &types.AttributeValueMemberM{Value: map[string]types.AttributeValue{"p": n("1")}}}) {
		t.Errorf("UPDATED_NEW = %#v", got)
	}
	if got := update(types.ReturnValueAllOld); got["x"].(*types.AttributeValueMemberN).Value != "4" || got["y"] == nil {
		t.Errorf("ALL_OLD = %#v", got)
	}
	if got := update(types.ReturnValueAllNew); got["x"].(*types.AttributeValueMemberN).Value != "6" || got["y"] == nil {
		t.Errorf("ALL_NEW = %#v", got)
	}
	// An UpdateItem of an absent item creates it.
	if _, err := h.db.UpdateItem(ctx(), &dynamodb.UpdateItemInput{TableName: aws.String("upd"), Key: key("new"),
		UpdateExpression: aws.String("ADD c :one"), ExpressionAttributeValues: map[string]types.AttributeValue{":one": n("1")}}); err != nil {
		t.Fatal(err)
	}
	if got := h.get("upd", key("new")); !reflect.DeepEqual(got, map[string]types.AttributeValue{"pk": s("new"), "c": n("1")}) {
		t.Errorf("created item = %#v", got)
	}
	_, err := h.db.UpdateItem(ctx(), &dynamodb.UpdateItemInput{TableName: aws.String("upd"), Key: key("new"),
		UpdateExpression: aws.String("SET pk = :one"), ExpressionAttributeValues: map[string]types.AttributeValue{":one": n("1")}})
	wantError(t, err, "ValidationException", "One or more parameter values were invalid: Cannot update attribute pk. This attribute is part of the key")
}

func TestItems_validationErrors(t *testing.T) {
	h := newHarness(t, "")
	h.createTable("valid", types.ScalarAttributeTypeN, "")
	k := map[string]types.AttributeValue{"pk": s("a"), "sk": n("1")}
	for _, tc := range []struct {
		name string
		call func() error
		msg  string
	}{
		{"missing key attribute", func() error {
			_, err := h.db.PutItem(ctx(), &dynamodb.PutItemInput{TableName: aws.String("valid"), Item: key("a")})
			return err
		}, "One or more parameter values were invalid: Missing the key sk in the item"},
		{"key type mismatch", func() error {
			_, err := h.db.PutItem(ctx(), &dynamodb.PutItemInput{TableName: aws.String("valid"), Item: map[string]types.AttributeValue{"pk": s("a"), "sk": s("1")}})
			return err
		}, "One or more parameter values were invalid: Type mismatch for key sk expected: N actual: S"},
		{"empty string key", func() error {
			_, err := h.db.PutItem(ctx(), &dynamodb.PutItemInput{TableName: aws.String("valid"), Item: map[string]types.AttributeValue{"pk": s(""), "sk": n("1")}})
			return err
		}, "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: pk"},
		{"key with an extra attribute", func() error {
			_, err := h.db.GetItem(ctx(), &dynamodb.GetItemInput{TableName: aws.String("valid"), Key: map[string]types.AttributeValue{"pk": s("a"), "sk": n("1"), "x": n("1")}})
			return err
		}, "The provided key element does not match the schema"},
		{"bad number", func() error {
			_, err := h.db.PutItem(ctx(), &dynamodb.PutItemInput{TableName: aws.String("valid"), Item: map[string]types.AttributeValue{"pk": s("a"), "sk": n("1"), "x": n("12abc")}})
			return err
		}, "The parameter cannot be converted to a numeric value: 12abc"},
		{"too precise", func() error {
			_, err := h.db.PutItem(ctx(), &dynamodb.PutItemInput{TableName: aws.String("valid"), Item: map[string]types.AttributeValue{"pk": s("a"), "sk": n("1"), "x": n("1.23456789012345678901234567890123456789")}})
			return err
		}, "Attempting to store more than 38 significant digits in a Number"},
		{"duplicate set members", func() error {
			_, err := h.db.PutItem(ctx(), &dynamodb.PutItemInput{TableName: aws.String("valid"), Item: map[string]types.AttributeValue{"pk": s("a"), "sk": n("1"), "x": &types.AttributeValueMemberSS{Value: []string{"q", "q"}}}})
			return err
		}, "One or more parameter values were invalid: Input collection [q, q] contains duplicates."},
		{"item over 400 KB", func() error {
			_, err := h.db.PutItem(ctx(), &dynamodb.PutItemInput{TableName: aws.String("valid"), Item: map[string]types.AttributeValue{"pk": s("a"), "sk": n("1"), "x": s(strings.Repeat("x", 400*1024))}})
			return err
		}, "Item size has exceeded the maximum allowed size"},
		{"unused value", func() error {
			_, err := h.db.PutItem(ctx(), &dynamodb.PutItemInput{TableName: aws.String("valid"), Item: k, ConditionExpression: aws.String("attribute_not_exists(pk)"),
				ExpressionAttributeValues: map[string]types.AttributeValue{":a": n("1"), ":b": n("1")}})
			return err
		}, "Value provided in ExpressionAttributeValues unused in expressions: keys: {:a, :b}"},
		{"unused name", func() error {
			_, err := h.db.GetItem(ctx(), &dynamodb.GetItemInput{TableName: aws.String("valid"), Key: k, ProjectionExpression: aws.String("#a"),
				ExpressionAttributeNames: map[string]string{"#a": "a", "#b": "b"}})
			return err
		}, "Value provided in ExpressionAttributeNames unused in expressions: keys: {#b}"},
		{"names without expressions", func() error {
			_, err := h.db.GetItem(ctx(), &dynamodb.GetItemInput{TableName: aws.String("valid"), Key: k, ExpressionAttributeNames: map[string]string{"#a": "a"}})
			return err
		}, "ExpressionAttributeNames can only be specified when using expressions"},
		{"values without expressions", func() error {
			_, err := h.db.UpdateItem(ctx(), &dynamodb.UpdateItemInput{TableName: aws.String("valid"), Key: k, ExpressionAttributeValues: map[string]types.AttributeValue{":a": n("1")}})
			return err
		}, "ExpressionAttributeValues can only be specified when using expressions: UpdateExpression and ConditionExpression are null"},
		{"empty values", func() error {
			_, err := h.db.PutItem(ctx(), &dynamodb.PutItemInput{TableName: aws.String("valid"), Item: k, ConditionExpression: aws.String("attribute_not_exists(pk)"),
				ExpressionAttributeValues: map[string]types.AttributeValue{}})
			return err
		}, "ExpressionAttributeValues must not be empty"},
		{"invalid value key", func() error {
			_, err := h.db.PutItem(ctx(), &dynamodb.PutItemInput{TableName: aws.String("valid"), Item: k, ConditionExpression: aws.String("attribute_not_exists(pk)"),
				ExpressionAttributeValues: map[string]types.AttributeValue{"a": n("1")}})
			return err
		}, `ExpressionAttributeValues contains invalid key: Syntax error; key: "a"`},
		{"invalid value", func() error {
			_, err := h.db.PutItem(ctx(), &dynamodb.PutItemInput{TableName: aws.String("valid"), Item: k, ConditionExpression: aws.String("x = :a"),
				ExpressionAttributeValues: map[string]types.AttributeValue{":a": &types.AttributeValueMemberNS{}}})
			return err
		}, "ExpressionAttributeValues contains invalid value: One or more parameter values were invalid: An number set  may not be empty for key :a"},
		{"reserved word", func() error {
			_, err := h.db.UpdateItem(ctx(), &dynamodb.UpdateItemInput{TableName: aws.String("valid"), Key: k, UpdateExpression: aws.String("SET status = :a"),
				ExpressionAttributeValues: map[string]types.AttributeValue{":a": n("1")}})
			return err
		}, "Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: status"},
		{"syntax error", func() error {
			_, err := h.db.UpdateItem(ctx(), &dynamodb.UpdateItemInput{TableName: aws.String("valid"), Key: k, UpdateExpression: aws.String("ADD hits : incr"),
				ExpressionAttributeValues: map[string]types.AttributeValue{":incr": n("1")}})
			return err
		}, `Invalid UpdateExpression: Syntax error; token: ":", near: "hits : incr"`},
		{"undefined value in a condition", func() error {
			_, err := h.db.DeleteItem(ctx(), &dynamodb.DeleteItemInput{TableName: aws.String("valid"), Key: k, ConditionExpression: aws.String("x = :nope")})
			return err
		}, "Invalid ConditionExpression: An expression attribute value used in expression is not defined; attribute value: :nope"},
		{"legacy parameter", func() error {
			_, err := h.db.PutItem(ctx(), &dynamodb.PutItemInput{TableName: aws.String("valid"), Item: k, Expected: map[string]types.ExpectedAttributeValue{"x": {Exists: aws.Bool(false)}}})
			return err
		}, "The legacy parameter Expected (use the expression parameters instead) is not supported by the lambdatrigger DynamoDB simulator"},
		{"legacy and expression parameters", func() error {
			_, err := h.db.PutItem(ctx(), &dynamodb.PutItemInput{TableName: aws.String("valid"), Item: k, ConditionExpression: aws.String("attribute_not_exists(pk)"),
				Expected: map[string]types.ExpectedAttributeValue{"x": {Exists: aws.Bool(false)}}})
			return err
		}, "Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {Expected} Expression parameters: {ConditionExpression}"},
		{"table name too short", func() error {
			_, err := h.db.GetItem(ctx(), &dynamodb.GetItemInput{TableName: aws.String("ab"), Key: k})
			return err
		}, "1 validation error detected: Value 'ab' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 3"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantError(t, tc.call(), "ValidationException", tc.msg)
		})
	}
}

func TestItems_unchangedWriteIsNotCounted(t *testing.T) {
	h := newHarness(t, "")
	h.createTable("count", "", "")
	for i := 0; i < 3; i++ {
		h.put("count", map[string]types.AttributeValue{"pk": s("a"), "v": n("1")})
	}
	h.put("count", map[string]types.AttributeValue{"pk": s("b")})
	d, _ := h.db.DescribeTable(ctx(), &dynamodb.DescribeTableInput{TableName: aws.String("count")})
	if *d.Table.ItemCount != 2 {
		t.Errorf("ItemCount = %d, want 2", *d.Table.ItemCount)
	}
	if _, err := h.db.DeleteItem(ctx(), &dynamodb.DeleteItemInput{TableName: aws.String("count"), Key: key("a")}); err != nil {
		t.Fatal(err)
	}
	d, _ = h.db.DescribeTable(ctx(), &dynamodb.DescribeTableInput{TableName: aws.String("count")})
	if *d.Table.ItemCount != 1 || *d.Table.TableSizeBytes != int64(len("pk")+len("b")) {
		t.Errorf("ItemCount = %d, TableSizeBytes = %d", *d.Table.ItemCount, *d.Table.TableSizeBytes)
	}
}

func TestItems_consumedCapacityAndThrottling(t *testing.T) {
	h := newHarness(t, "", func(c *Config) { c.EnforceThroughput = true })
	_, err := h.db.CreateTable(ctx(), &dynamodb.CreateTableInput{
		TableName:             aws.String("prov"),
		AttributeDefinitions:  []types.AttributeDefinition{{AttributeName: aws.String("pk"), AttributeType: types.ScalarAttributeTypeS}},
		KeySchema:             []types.KeySchemaElement{{AttributeName: aws.String("pk"), KeyType: types.KeyTypeHash}},
		ProvisionedThroughput: &types.ProvisionedThroughput{ReadCapacityUnits: aws.Int64(1), WriteCapacityUnits: aws.Int64(2)},
	})
	if err != nil {
		t.Fatal(err)
	}
	h.clock.Advance(time.Second)
	big := map[string]types.AttributeValue{"pk": s("a"), "x": s(strings.Repeat("x", 1500))}
	out, err := h.db.PutItem(ctx(), &dynamodb.PutItemInput{TableName: aws.String("prov"), Item: big, ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal})
	if err != nil {
		t.Fatal(err)
	}
	if out.ConsumedCapacity == nil || *out.ConsumedCapacity.CapacityUnits != 2 || *out.ConsumedCapacity.TableName != "prov" {
		t.Errorf("ConsumedCapacity = %+v", out.ConsumedCapacity)
	}
	_, err = h.db.PutItem(ctx(), &dynamodb.PutItemInput{TableName: aws.String("prov"), Item: key("b")})
	var pte *types.ProvisionedThroughputExceededException
	if !errors.As(err, &pte) {
		t.Fatalf("third write unit in one second: %v", err)
	}
	h.clock.Advance(time.Second)
	h.put("prov", key("b"))
}
