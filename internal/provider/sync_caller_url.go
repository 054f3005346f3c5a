package provider

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	awstypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/provider/diagnostics"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/trigger"
)

// The function_url kind: CreateFunctionUrlConfig and, for AuthType NONE, the two public statements
// AWS requires since October 2025: lambda:InvokeFunctionUrl with the condition
// lambda:FunctionUrlAuthType = NONE, and lambda:InvokeFunction with lambda:InvokedViaFunctionUrl
// (https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html).

func (r *syncCallerResource) createFunctionURL(ctx context.Context, w syncWiring, m *syncFunctionURLModel) (string, diag.Diagnostics) {
	var diags diag.Diagnostics
	conn := r.clients.Lambda
	input := &lambda.CreateFunctionUrlConfigInput{
		FunctionName: aws.String(w.FunctionName),
		AuthType:     awstypes.FunctionUrlAuthType(w.AuthType),
		InvokeMode:   awstypes.InvokeMode(invokeModeOf(w)),
		Cors:         expandFunctionURLCORS(ctx, m.CORS),
	}
	if w.Qualifier != "" {
		input.Qualifier = aws.String(w.Qualifier)
	}
	var url string
	out, err := conn.CreateFunctionUrlConfig(ctx, input)
	switch {
	case errorIs[*awstypes.ResourceConflictException](err, ""):
		// The URL outlived a lost state (drift on a permission): adopt it with this configuration.
		url, diags = r.updateFunctionURL(ctx, w, m)
		if diags.HasError() {
			return "", diags
		}
	case err != nil:
		diags.Append(diagnostics.APIError("creating the function URL of", diagnostics.SyncCallerThing, w.ID(), err))
		return "", diags
	default:
		url = aws.ToString(out.FunctionUrl)
	}

	if w.AuthType != trigger.FunctionURLAuthNone {
		return url, diags
	}
	for _, input := range publicURLPermissions(w) {
		if err := addPermission(ctx, conn, input); err != nil {
			diags.Append(diagnostics.APIError("adding the public permissions of", diagnostics.SyncCallerThing, w.ID(), err))
			return url, diags
		}
	}
	return url, diags
}

// publicURLPermissions are the two statements a NONE function URL needs.
func publicURLPermissions(w syncWiring) []*lambda.AddPermissionInput {
	url := &lambda.AddPermissionInput{
		FunctionName:        aws.String(w.FunctionName),
		StatementId:         aws.String(w.statementID()),
		Action:              aws.String("lambda:InvokeFunctionUrl"),
		Principal:           aws.String("*"),
		FunctionUrlAuthType: awstypes.FunctionUrlAuthTypeNone,
	}
	invoke := &lambda.AddPermissionInput{
		FunctionName:          aws.String(w.FunctionName),
		StatementId:           aws.String(w.invokeStatementID()),
		Action:                aws.String("lambda:InvokeFunction"),
		Principal:             aws.String("*"),
		InvokedViaFunctionUrl: aws.Bool(true),
	}
	if w.Qualifier != "" {
		url.Qualifier, invoke.Qualifier = aws.String(w.Qualifier), aws.String(w.Qualifier)
	}
	return []*lambda.AddPermissionInput{url, invoke}
}

func (r *syncCallerResource) updateFunctionURL(ctx context.Context, w syncWiring, m *syncFunctionURLModel) (string, diag.Diagnostics) {
	var diags diag.Diagnostics
	input := &lambda.UpdateFunctionUrlConfigInput{
		FunctionName: aws.String(w.FunctionName),
		AuthType:     awstypes.FunctionUrlAuthType(w.AuthType),
		InvokeMode:   awstypes.InvokeMode(invokeModeOf(w)),
		Cors:         expandFunctionURLCORS(ctx, m.CORS),
	}
	if input.Cors == nil {
		input.Cors = &awstypes.Cors{} // an update without Cors would keep the old settings
	}
	if w.Qualifier != "" {
		input.Qualifier = aws.String(w.Qualifier)
	}
	out, err := r.clients.Lambda.UpdateFunctionUrlConfig(ctx, input)
	if err != nil {
		diags.Append(diagnostics.APIError("updating the function URL of", diagnostics.SyncCallerThing, w.ID(), err))
		return "", diags
	}
	return aws.ToString(out.FunctionUrl), diags
}

// readFunctionURL reads the URL's configuration into m (it drifts in place) and checks the public
// statements of a NONE URL.
func (r *syncCallerResource) readFunctionURL(ctx context.Context, w syncWiring, m *syncCallerResourceModel) error {
	input := &lambda.GetFunctionUrlConfigInput{FunctionName: aws.String(w.FunctionName)}
	if w.Qualifier != "" {
		input.Qualifier = aws.String(w.Qualifier)
	}
	out, err := r.clients.Lambda.GetFunctionUrlConfig(ctx, input)
	if errorIs[*awstypes.ResourceNotFoundException](err, "") {
		return &notFoundError{what: "function URL of " + w.function(), err: err}
	}
	if err != nil {
		return err
	}
	u := m.FunctionURL
	u.AuthorizationType = types.StringValue(string(out.AuthType))
	u.URL = types.StringValue(aws.ToString(out.FunctionUrl))
	if mode := string(out.InvokeMode); mode != "" && (mode != trigger.InvokeModeBuffered || !u.InvokeMode.IsNull()) {
		u.InvokeMode = types.StringValue(mode)
	}
	u.CORS = flattenFunctionURLCORS(u.CORS, out.Cors)

	w.AuthType = string(out.AuthType)
	return findPolicyStatements(ctx, r.clients.Lambda, w.FunctionName, w.Qualifier, w.statementIDs()...)
}

func (r *syncCallerResource) deleteFunctionURL(ctx context.Context, w syncWiring) error {
	if err := removePermissions(ctx, r.clients.Lambda, w.FunctionName, w.Qualifier, w.statementIDs()...); err != nil {
		return err
	}
	input := &lambda.DeleteFunctionUrlConfigInput{FunctionName: aws.String(w.FunctionName)}
	if w.Qualifier != "" {
		input.Qualifier = aws.String(w.Qualifier)
	}
	_, err := r.clients.Lambda.DeleteFunctionUrlConfig(ctx, input)
	if errorIs[*awstypes.ResourceNotFoundException](err, "") {
		return nil
	}
	return err
}

func invokeModeOf(w syncWiring) string {
	if w.InvokeMode == "" {
		return trigger.InvokeModeBuffered
	}
	return w.InvokeMode
}

// functionURLConfigEqual compares what UpdateFunctionUrlConfig changes.
func functionURLConfigEqual(a, b *syncFunctionURLModel) bool {
	if a == nil || b == nil {
		return a == b
	}
	mode := func(v types.String) string {
		if v.IsNull() {
			return trigger.InvokeModeBuffered
		}
		return v.ValueString()
	}
	if mode(a.InvokeMode) != mode(b.InvokeMode) || !a.AuthorizationType.Equal(b.AuthorizationType) {
		return false
	}
	if (a.CORS == nil) != (b.CORS == nil) {
		return false
	}
	if a.CORS == nil {
		return true
	}
	x, y := a.CORS, b.CORS
	return x.AllowCredentials.Equal(y.AllowCredentials) && x.AllowHeaders.Equal(y.AllowHeaders) &&
		x.AllowMethods.Equal(y.AllowMethods) && x.AllowOrigins.Equal(y.AllowOrigins) &&
		x.ExposeHeaders.Equal(y.ExposeHeaders) && x.MaxAge.Equal(y.MaxAge)
}

func expandFunctionURLCORS(ctx context.Context, m *syncCORSModel) *awstypes.Cors {
	if m == nil {
		return nil
	}
	list := func(s types.Set) []string {
		var out []string
		if !s.IsNull() && !s.IsUnknown() {
			s.ElementsAs(ctx, &out, false)
		}
		return out
	}
	c := &awstypes.Cors{
		AllowHeaders:  list(m.AllowHeaders),
		AllowMethods:  list(m.AllowMethods),
		AllowOrigins:  list(m.AllowOrigins),
		ExposeHeaders: list(m.ExposeHeaders),
	}
	if !m.AllowCredentials.IsNull() {
		c.AllowCredentials = aws.Bool(m.AllowCredentials.ValueBool())
	}
	if !m.MaxAge.IsNull() {
		c.MaxAge = aws.Int32(int32(m.MaxAge.ValueInt64()))
	}
	return c
}

// flattenFunctionURLCORS reads Lambda's CORS settings, keeping the prior form where Lambda's answer
// means the same (an absent block and empty settings; null and empty or false values).
func flattenFunctionURLCORS(prior *syncCORSModel, c *awstypes.Cors) *syncCORSModel {
	empty := c == nil || (len(c.AllowHeaders) == 0 && len(c.AllowMethods) == 0 && len(c.AllowOrigins) == 0 &&
		len(c.ExposeHeaders) == 0 && !aws.ToBool(c.AllowCredentials) && aws.ToInt32(c.MaxAge) == 0)
	if empty && prior == nil {
		return nil
	}
	if c == nil {
		c = &awstypes.Cors{}
	}
	if prior == nil {
		prior = &syncCORSModel{
			AllowCredentials: types.BoolNull(), MaxAge: types.Int64Null(),
			AllowHeaders: types.SetNull(types.StringType), AllowMethods: types.SetNull(types.StringType),
			AllowOrigins: types.SetNull(types.StringType), ExposeHeaders: types.SetNull(types.StringType),
		}
	}
	set := func(prior types.Set, v []string) types.Set {
		if len(v) == 0 && prior.IsNull() {
			return prior
		}
		elems := make([]attr.Value, len(v))
		for i, s := range v {
			elems[i] = types.StringValue(s)
		}
		return types.SetValueMust(types.StringType, elems)
	}
	out := &syncCORSModel{
		AllowHeaders:     set(prior.AllowHeaders, c.AllowHeaders),
		AllowMethods:     set(prior.AllowMethods, c.AllowMethods),
		AllowOrigins:     set(prior.AllowOrigins, c.AllowOrigins),
		ExposeHeaders:    set(prior.ExposeHeaders, c.ExposeHeaders),
		AllowCredentials: prior.AllowCredentials,
		MaxAge:           prior.MaxAge,
	}
	if aws.ToBool(c.AllowCredentials) || !prior.AllowCredentials.IsNull() {
		out.AllowCredentials = types.BoolValue(aws.ToBool(c.AllowCredentials))
	}
	if aws.ToInt32(c.MaxAge) != 0 || !prior.MaxAge.IsNull() {
		out.MaxAge = types.Int64Value(int64(aws.ToInt32(c.MaxAge)))
	}
	return out
}
