package functionurl

import (
	"context"
	"encoding/json"
	"net/http"
	"regexp"
	"strings"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/services/lambda"
)

// publicAccess reports whether the policy lets anyone call a NONE URL: principal "*" must be
// allowed lambda:InvokeFunctionUrl (for auth type NONE) and lambda:InvokeFunction (directly, or
// only via function URLs).
func publicAccess(ctx context.Context, l Lambda, functionName, qualifier string) (bool, error) {
	out, e := l.GetPolicy(ctx, &lambda.GetPolicyInput{FunctionName: functionName, Qualifier: qualifier})
	if e != nil {
		if e.Code == "ResourceNotFoundException" {
			return false, nil
		}
		return false, e
	}
	var pol lambda.Policy
	if err := json.Unmarshal([]byte(out.Policy), &pol); err != nil {
		return false, err
	}
	var urlOK, invokeOK bool
	for _, st := range pol.Statement {
		if st.Effect != "Allow" || !public(st.Principal) {
			continue
		}
		if actionMatches(st.Action, "lambda:InvokeFunctionUrl") && conditionsHold(st.Condition) {
			urlOK = true
		}
		if actionMatches(st.Action, "lambda:InvokeFunction") && conditionsHold(st.Condition) {
			invokeOK = true
		}
	}
	return urlOK && invokeOK, nil
}

func public(p any) bool {
	switch v := p.(type) {
	case string:
		return v == "*"
	case map[string]any:
		return v["AWS"] == "*"
	}
	return false
}

func actionMatches(action, want string) bool {
	return action == want || action == "lambda:*" || action == "*"
}

// conditionsHold evaluates the condition keys a function URL request carries: the URL's auth type
// is NONE and the call comes through a function URL. Any other key does not hold for an
// anonymous caller.
func conditionsHold(conds map[string]map[string]string) bool {
	for op, kv := range conds {
		for key, want := range kv {
			switch {
			case op == "StringEquals" && strings.EqualFold(key, "lambda:FunctionUrlAuthType"):
				if want != "NONE" {
					return false
				}
			case op == "Bool" && strings.EqualFold(key, "lambda:InvokedViaFunctionUrl"):
				if want != "true" {
					return false
				}
			default:
				return false
			}
		}
	}
	return true
}

var (
	signatureRE   = regexp.MustCompile(`^[0-9a-f]{64}$`)
	amzDateRE     = regexp.MustCompile(`^\d{8}T\d{6}Z$`)
	scopeDateRE   = regexp.MustCompile(`^\d{8}$`)
	signedHdrSepR = regexp.MustCompile(`[;]`)
)

// checkSigV4 checks that r is SigV4-signed for lambda in region (form only: the simulator has no
// IAM to know the secret), and returns the signer's identity.
func checkSigV4(r *http.Request, region, accountID string) (*IAM, bool) {
	cred, ok := awswire.ParseCredential(r)
	if !ok || cred.Service != "lambda" || cred.Region != region || cred.AccessKeyID == "" || !scopeDateRE.MatchString(cred.Date) {
		return nil, false
	}
	var signature, signedHeaders, date string
	if auth := r.Header.Get("Authorization"); auth != "" {
		for _, part := range strings.Split(strings.TrimPrefix(auth, "AWS4-HMAC-SHA256 "), ",") {
			part = strings.TrimSpace(part)
			if v, ok := strings.CutPrefix(part, "Signature="); ok {
				signature = v
			}
			if v, ok := strings.CutPrefix(part, "SignedHeaders="); ok {
				signedHeaders = v
			}
		}
		date = r.Header.Get("X-Amz-Date")
	} else {
		q := r.URL.Query()
		signature, signedHeaders, date = q.Get("X-Amz-Signature"), q.Get("X-Amz-SignedHeaders"), q.Get("X-Amz-Date")
	}
	hasHost := false
	for _, h := range signedHdrSepR.Split(signedHeaders, -1) {
		if h == "host" {
			hasHost = true
		}
	}
	if !signatureRE.MatchString(signature) || !hasHost || !amzDateRE.MatchString(date) || !strings.HasPrefix(date, cred.Date) {
		return nil, false
	}
	return &IAM{AccessKey: cred.AccessKeyID, AccountID: accountID, CallerID: cred.AccessKeyID,
		UserARN: "arn:aws:iam::" + accountID + ":root", UserID: accountID}, true
}
