package dynamodb

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

func TestSmoke(t *testing.T) {
	h := newHarness(t, "")
	d := h.createTable("tab1", types.ScalarAttributeTypeN, types.StreamViewTypeNewAndOldImages)
	t.Logf("%s %s", *d.LatestStreamArn, *d.LatestStreamLabel)
	h.put("tab1", map[string]types.AttributeValue{"pk": s("a"), "sk": n("1.50"), "x": s("y")})
	got := h.get("tab1", map[string]types.AttributeValue{"pk": s("a"), "sk": n("1.5")})
	t.Logf("%#v", got)
	out, err := h.db.UpdateItem(ctx(), &dynamodb.UpdateItemInput{TableName: aws.String("tab1"), Key: map[string]types.AttributeValue{"pk": s("a"), "sk": n("1.5")},
		UpdateExpression:          aws.String("SET c = if_not_exists(c, :z) + :one, l = list_append(if_not_exists(l, :e), :l) ADD ss :ss"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":z": n("0"), ":one": n("1"), ":e": &types.AttributeValueMemberL{}, ":l": &types.AttributeValueMemberL{Value: []types.AttributeValue{s("q")}}, ":ss": &types.AttributeValueMemberSS{Value: []string{"a", "b"}}},
		ReturnValues:              types.ReturnValueAllNew})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%#v", out.Attributes)
	recs := h.records(*d.LatestStreamArn)
	for _, r := range recs {
		t.Logf("%s %s %v", r.EventName, *r.Dynamodb.SequenceNumber, r.Dynamodb.NewImage)
	}
	q, err := h.db.Query(ctx(), &dynamodb.QueryInput{TableName: aws.String("tab1"), KeyConditionExpression: aws.String("pk = :p AND sk BETWEEN :a AND :b"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":p": s("a"), ":a": n("1"), ":b": n("2")}})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("count %d", q.Count)
}
