package dynamodb

import (
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

func hashKeyTable(name string) *dynamodb.CreateTableInput {
	return &dynamodb.CreateTableInput{
		TableName:            aws.String(name),
		BillingMode:          types.BillingModePayPerRequest,
		AttributeDefinitions: []types.AttributeDefinition{{AttributeName: aws.String("pk"), AttributeType: types.ScalarAttributeTypeS}},
		KeySchema:            []types.KeySchemaElement{{AttributeName: aws.String("pk"), KeyType: types.KeyTypeHash}},
	}
}

func TestTables_lifecycle(t *testing.T) {
	h := newHarness(t, "")
	in := hashKeyTable("life")
	in.StreamSpecification = &types.StreamSpecification{StreamEnabled: aws.Bool(true), StreamViewType: types.StreamViewTypeKeysOnly}
	in.Tags = []types.Tag{{Key: aws.String("team"), Value: aws.String("a")}}
	out, err := h.db.CreateTable(ctx(), in)
	if err != nil {
		t.Fatal(err)
	}
	d := out.TableDescription
	label := testStart.Format("2006-01-02T15:04:05.000")
	if d.TableStatus != types.TableStatusCreating || *d.TableArn != "arn:aws:dynamodb:us-east-1:000000000000:table/life" ||
		*d.LatestStreamArn != *d.TableArn+"/stream/"+label || *d.LatestStreamLabel != label ||
		d.BillingModeSummary.BillingMode != types.BillingModePayPerRequest || !*d.StreamSpecification.StreamEnabled ||
		d.StreamSpecification.StreamViewType != types.StreamViewTypeKeysOnly || len(*d.TableId) != 36 {
		t.Errorf("CreateTable description: %+v", d)
	}
	_, err = h.db.CreateTable(ctx(), in)
	var inUse *types.ResourceInUseException
	if !errors.As(err, &inUse) || inUse.ErrorMessage() != "Table already exists: life" {
		t.Errorf("second CreateTable: %v", err)
	}
	_, err = h.db.DeleteTable(ctx(), &dynamodb.DeleteTableInput{TableName: aws.String("life")})
	wantError(t, err, "ResourceInUseException", "Attempt to change a resource which is still in use: Table is being created: life")
	// The SDK's waiter sees the table become ACTIVE.
	h.clock.Advance(time.Second)
	if err := dynamodb.NewTableExistsWaiter(h.db).Wait(ctx(), &dynamodb.DescribeTableInput{TableName: aws.String("life")}, time.Second); err != nil {
		t.Fatalf("TableExistsWaiter: %v", err)
	}
	tags, err := h.db.ListTagsOfResource(ctx(), &dynamodb.ListTagsOfResourceInput{ResourceArn: d.TableArn})
	if err != nil || len(tags.Tags) != 1 || *tags.Tags[0].Key != "team" {
		t.Errorf("ListTagsOfResource = %+v, %v", tags, err)
	}
	if _, err := h.db.TagResource(ctx(), &dynamodb.TagResourceInput{ResourceArn: d.TableArn, Tags: []types.Tag{{Key: aws.String("env"), Value: aws.String("x")}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.db.UntagResource(ctx(), &dynamodb.UntagResourceInput{ResourceArn: d.TableArn, TagKeys: []string{"team"}}); err != nil {
		t.Fatal(err)
	}
	tags, _ = h.db.ListTagsOfResource(ctx(), &dynamodb.ListTagsOfResourceInput{ResourceArn: d.TableArn})
	if len(tags.Tags) != 1 || *tags.Tags[0].Key != "env" {
		t.Errorf("tags after tag and untag: %+v", tags.Tags)
	}

	// UpdateTable: to PROVISIONED, UPDATING for a while.
	up, err := h.db.UpdateTable(ctx(), &dynamodb.UpdateTableInput{TableName: aws.String("life"), BillingMode: types.BillingModeProvisioned,
		ProvisionedThroughput: &types.ProvisionedThroughput{ReadCapacityUnits: aws.Int64(5), WriteCapacityUnits: aws.Int64(6)}})
	if err != nil {
		t.Fatal(err)
	}
	if up.TableDescription.TableStatus != types.TableStatusUpdating || *up.TableDescription.ProvisionedThroughput.ReadCapacityUnits != 5 || up.TableDescription.BillingModeSummary != nil {
		t.Errorf("UpdateTable description: %+v", up.TableDescription)
	}
	_, err = h.db.UpdateTable(ctx(), &dynamodb.UpdateTableInput{TableName: aws.String("life"), DeletionProtectionEnabled: aws.Bool(true)})
	wantError(t, err, "ResourceInUseException", "Attempt to change a resource which is still in use: Table is being updated: life")
	h.clock.Advance(time.Second)
	_, err = h.db.UpdateTable(ctx(), &dynamodb.UpdateTableInput{TableName: aws.String("life"),
		ProvisionedThroughput: &types.ProvisionedThroughput{ReadCapacityUnits: aws.Int64(5), WriteCapacityUnits: aws.Int64(6)}})
	wantCode(t, err, "ValidationException")
	if _, err := h.db.UpdateTable(ctx(), &dynamodb.UpdateTableInput{TableName: aws.String("life"), DeletionProtectionEnabled: aws.Bool(true)}); err != nil {
		t.Fatal(err)
	}
	_, err = h.db.DeleteTable(ctx(), &dynamodb.DeleteTableInput{TableName: aws.String("life")})
	wantError(t, err, "ValidationException", "Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first.")
	if _, err := h.db.UpdateTable(ctx(), &dynamodb.UpdateTableInput{TableName: aws.String("life"), DeletionProtectionEnabled: aws.Bool(false)}); err != nil {
		t.Fatal(err)
	}

	// DeleteTable: DELETING, then gone; the waiter sees it go.
	del, err := h.db.DeleteTable(ctx(), &dynamodb.DeleteTableInput{TableName: aws.String("life")})
	if err != nil {
		t.Fatal(err)
	}
	if del.TableDescription.TableStatus != types.TableStatusDeleting {
		t.Errorf("DeleteTable status %s", del.TableDescription.TableStatus)
	}
	_, err = h.db.PutItem(ctx(), &dynamodb.PutItemInput{TableName: aws.String("life"), Item: key("a")})
	wantCode(t, err, "ResourceNotFoundException")
	h.clock.Advance(time.Second)
	if err := dynamodb.NewTableNotExistsWaiter(h.db).Wait(ctx(), &dynamodb.DescribeTableInput{TableName: aws.String("life")}, time.Second); err != nil {
		t.Fatalf("TableNotExistsWaiter: %v", err)
	}
	// The name is free again, and the new table starts empty.
	h.createTable("life", "", "")
	d2, _ := h.db.DescribeTable(ctx(), &dynamodb.DescribeTableInput{TableName: aws.String("life")})
	if *d2.Table.ItemCount != 0 || *d2.Table.TableId == *d.TableId || d2.Table.LatestStreamArn != nil {
		t.Errorf("re-created table: %+v", d2.Table)
	}
}

func TestTables_createValidation(t *testing.T) {
	h := newHarness(t, "")
	for _, tc := range []struct {
		name string
		edit func(*dynamodb.CreateTableInput)
		msg  string
	}{
		{"no throughput", func(in *dynamodb.CreateTableInput) { in.BillingMode = "" },
			"One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED"},
		{"throughput with pay per request", func(in *dynamodb.CreateTableInput) {
			in.ProvisionedThroughput = &types.ProvisionedThroughput{ReadCapacityUnits: aws.Int64(1), WriteCapacityUnits: aws.Int64(1)}
		}, "One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST"},
		{"undefined key", func(in *dynamodb.CreateTableInput) {
			in.KeySchema[0].AttributeName = aws.String("id")
		}, "One or more parameter values were invalid: Some index key attributes are not defined in AttributeDefinitions. Keys: [id], AttributeDefinitions: [pk]"},
		{"extra definition", func(in *dynamodb.CreateTableInput) {
			in.AttributeDefinitions = append(in.AttributeDefinitions, types.AttributeDefinition{AttributeName: aws.String("x"), AttributeType: types.ScalarAttributeTypeS})
		}, "One or more parameter values were invalid: Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions"},
		{"range first", func(in *dynamodb.CreateTableInput) { in.KeySchema[0].KeyType = types.KeyTypeRange },
			"Invalid KeySchema: The first KeySchemaElement is not a HASH key type"},
		{"bad attribute type", func(in *dynamodb.CreateTableInput) { in.AttributeDefinitions[0].AttributeType = "X" },
			"1 validation error detected: Value 'X' at 'attributeDefinitions.1.member.attributeType' failed to satisfy constraint: Member must satisfy enum value set: [B, N, S]"},
		{"bad name", func(in *dynamodb.CreateTableInput) { in.TableName = aws.String("bad name") },
			"1 validation error detected: Value 'bad name' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+"},
		{"global secondary index", func(in *dynamodb.CreateTableInput) {
			in.GlobalSecondaryIndexes = []types.GlobalSecondaryIndex{{IndexName: aws.String("gsi"), KeySchema: in.KeySchema, Projection: &types.Projection{ProjectionType: types.ProjectionTypeAll}}}
		}, "Secondary indexes (GlobalSecondaryIndexes, LocalSecondaryIndexes) is not supported by the lambdatrigger DynamoDB simulator"},
		{"stream without view type", func(in *dynamodb.CreateTableInput) {
			in.StreamSpecification = &types.StreamSpecification{StreamEnabled: aws.Bool(true)}
		}, "One or more parameter values were invalid: StreamViewType must be specified when StreamEnabled is true"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := hashKeyTable("valid")
			tc.edit(in)
			_, err := h.db.CreateTable(ctx(), in)
			wantError(t, err, "ValidationException", tc.msg)
		})
	}
}

func TestTables_listTablesPages(t *testing.T) {
	h := newHarness(t, "", func(c *Config) { c.CreateDelay = -1 })
	var want []string
	for i := 0; i < 7; i++ {
		name := fmt.Sprintf("list%02d", i)
		want = append(want, name)
		if _, err := h.db.CreateTable(ctx(), hashKeyTable(name)); err != nil {
			t.Fatal(err)
		}
	}
	var got []string
	p := dynamodb.NewListTablesPaginator(h.db, &dynamodb.ListTablesInput{Limit: aws.Int32(3)})
	pages := 0
	for p.HasMorePages() {
		out, err := p.NextPage(ctx())
		if err != nil {
			t.Fatal(err)
		}
		pages++
		got = append(got, out.TableNames...)
	}
	if strings.Join(got, ",") != strings.Join(want, ",") || pages != 3 {
		t.Errorf("ListTables = %v in %d pages", got, pages)
	}
	_, err := h.db.ListTables(ctx(), &dynamodb.ListTablesInput{Limit: aws.Int32(101)})
	wantError(t, err, "ValidationException", "1 validation error detected: Value '101' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 100")
}

// TestWire_crcAndUnknownOperation checks the bytes: the X-Amz-Crc32 header the SDKs verify, the
// __type of errors, and the answer to an operation the simulator does not serve.
func TestWire_crcAndUnknownOperation(t *testing.T) {
	h := newHarness(t, "")
	post := func(target, body string) (*http.Response, []byte) {
		req, _ := http.NewRequest(http.MethodPost, h.srv.URL+"/", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-amz-json-1.0")
		req.Header.Set("X-Amz-Target", target)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, b
	}
	for _, target := range []string{"DynamoDB_20120810.ListTables", "DynamoDB_20120810.GetItem", "DynamoDBStreams_20120810.ListStreams", "DynamoDB_20120810.TransactWriteItems"} {
		resp, body := post(target, `{"TableName":"nosuchtable","Key":{"pk":{"S":"a"}}}`)
		crc, _ := strconv.ParseUint(resp.Header.Get("X-Amz-Crc32"), 10, 32)
		if uint32(crc) != crc32.ChecksumIEEE(body) {
			t.Errorf("%s: X-Amz-Crc32 %q does not match the body %s", target, resp.Header.Get("X-Amz-Crc32"), body)
		}
		if resp.Header.Get("X-Amzn-RequestId") == "" {
			t.Errorf("%s: no request id", target)
		}
		if resp.StatusCode != http.StatusOK {
			var e map[string]string
			json.Unmarshal(body, &e)
			if !strings.HasPrefix(e["__type"], "com.amazonaws.dynamodb.v20120810#") {
				t.Errorf("%s: __type %q", target, e["__type"])
			}
		}
		switch target {
		case "DynamoDB_20120810.GetItem":
			if resp.StatusCode != 400 || !strings.Contains(string(body), "ResourceNotFoundException") {
				t.Errorf("GetItem: %d %s", resp.StatusCode, body)
			}
		case "DynamoDB_20120810.TransactWriteItems":
			if resp.StatusCode != 400 || !strings.Contains(string(body), "UnknownOperationException") {
				t.Errorf("unknown operation: %d %s", resp.StatusCode, body)
			}
		}
	}
}
