package sts_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	awssts "github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/server"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/services/sts"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/simtest"
)

func TestSTS_getCallerIdentityOverTheWire(t *testing.T) {
	r := server.NewRouter()
	r.QueryVersion(sts.Version, sts.New("123456789012"))
	srv := httptest.NewServer(awswire.WithRequestID(r))
	defer srv.Close()
	client := awssts.New(awssts.Options{
		Region: "us-east-1", BaseEndpoint: aws.String(srv.URL), RetryMaxAttempts: 1, HTTPClient: simtest.HTTPClient(),
		Credentials: credentials.NewStaticCredentialsProvider("AKID", "secret", ""),
	})
	out, err := client.GetCallerIdentity(context.Background(), &awssts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatal(err)
	}
	if *out.Account != "123456789012" || *out.Arn != "arn:aws:iam::123456789012:root" || *out.UserId == "" {
		t.Fatalf("identity: %s %s %s", *out.Account, *out.Arn, *out.UserId)
	}
	_, err = client.GetSessionToken(context.Background(), &awssts.GetSessionTokenInput{})
	var apiErr smithy.APIError
	if err == nil || !errors.As(err, &apiErr) || apiErr.ErrorCode() != "InvalidAction" {
		t.Fatalf("an action not served must answer InvalidAction, got %v", err)
	}
}
